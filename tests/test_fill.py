"""Headless fill of the scorecard template: values land where the plan says, nothing of the template is
lost, a second fill is identical, and templates that cannot be filled safely are refused with a reason.

The cluster is the hand-made one of test_scorecard.py (3 participants), typed into a copy of the
bundled input workbook; its hand-worked values are repeated here where a cell is checked.
"""

import math
import re
import zipfile

import openpyxl
import pytest

from support.cluster import EXAMPLE, INPUT_TEMPLATE, MACRO_TEMPLATE, TEMPLATE, WB, cluster_cells, write_input
from xlkg import cli, xlsx
from xlkg.core.result import InputError
from xlkg.scorecard.compute import load_inputs
from xlkg.scorecard.layout import NOTES_ROWS
from xlkg.scorecard.plan import NA
from xlkg.scorecard.reader import read_cluster
from xlkg.scorecard.templates import vba_project_bytes
from xlkg.scorecard.writer import fill, fill_batch, fill_example


@pytest.fixture(scope="module")
def hand_input(tmp_path_factory):
    return write_input(tmp_path_factory.mktemp("in") / "hand.xlsx")


@pytest.fixture(scope="module")
def filled(hand_input, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "hand_scorecard.xlsx"
    return fill(hand_input, TEMPLATE, out)


def read_name(path, name):
    sheet, ref = xlsx.resolve_name(path, name)
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = wb[sheet]
        cells = ws[ref] if ":" in ref else ((ws[ref],),)
        return [[c.value for c in row] for row in cells]
    finally:
        wb.close()


def test_every_filled_cell_holds_the_computed_value(filled):
    plan = filled.plan
    wb = openpyxl.load_workbook(filled.output, data_only=True)
    n = 0
    for sheet, cells in xlsx.name_writes(TEMPLATE, plan.writes).items():
        for ref, want in cells.items():
            got = wb[sheet][ref].value
            if isinstance(want, float):
                assert got == pytest.approx(want, rel=1e-12), (sheet, ref)
            else:
                assert got == want, (sheet, ref, got, want)
            n += 1
    wb.close()
    assert n == filled.cells_written and n > 500


def test_hand_worked_cells_in_the_workbook(filled):
    # financial block, rows in catalogue order: revenue 200 -> 250, change 50, growth 125, score 1.25
    fin = read_name(filled.output, "xlkg_financial")
    codes = [r[0] for r in read_name(filled.output, "xlkg_financial_codes")]
    rev = fin[codes.index("fin_revenue")]
    assert rev[:5] == [200, 250, 50, 125, 1.25] and rev[5] is None
    # C's report taxes "н/д": report, change, growth, score are #N/A and the note names C and the input
    tax = fin[codes.index("fin_taxes")]
    assert tax[0] == 6 and tax[1:5] == [NA] * 4
    assert "C" in tax[5] and "taxes" in tax[5] and "н/д" in tax[5]
    # receivables days (less is better): 73 -> 58.4, score 73 / 58.4 = 1.25
    assert fin[codes.index("fin_receivables_days")][:5] == pytest.approx([73, 58.4, -14.6, 80, 1.25])
    # financial index (101/6) / 13 = 16.8333 / 13 = 1.294872, coverage 13 of 14 (sum of scores worked out in
    # test_scorecard.test_subsystem_indices); written beside the section header
    idx = read_name(filled.output, "xlkg_financial_index")[0]
    assert idx == pytest.approx([101 / 6 / 13, 13 / 14])
    summary = read_name(filled.output, "xlkg_summary")
    assert summary[1] == pytest.approx([101 / 6 / 13, 13 / 14, 13, 14, 1])  # index, coverage, scored, of, weight
    assert summary[0][:2] == pytest.approx([242 / 15 / 12, 1.0])  # production factors 16.1333 / 12, all 12 scored
    assert read_name(filled.output, "xlkg_cluster") == [["Hand-made cluster"]]
    assert read_name(filled.output, "xlkg_illustrative") == [[None]]
    notes = [r[0] for r in read_name(filled.output, "xlkg_notes")]
    assert len(notes) == NOTES_ROWS
    assert any(n and n.startswith("fin_taxes") and "C (no data ('н/д'))" in n for n in notes)
    assert any(n and n.startswith("in_trademarks") and "'abc' is not a number" in n for n in notes)


@pytest.mark.parametrize("template", [TEMPLATE, MACRO_TEMPLATE], ids=["xlsx", "xlsm"])
def test_nothing_of_the_template_is_lost(hand_input, tmp_path, template):
    out = tmp_path / f"out{template.suffix}"
    before = xlsx.inventory(template)
    fill(hand_input, template, out)
    after = xlsx.inventory(out)
    assert after["sheets"] == before["sheets"]
    assert after["defined_names"] == before["defined_names"]
    assert len(after["charts"]) == len(before["charts"]) == 1
    for sheet, info in before["sheet_info"].items():
        for k in ("data_validations", "conditional_formats", "merged", "drawing"):
            assert after["sheet_info"][sheet][k] == info[k], (sheet, k)
    # a colour scale on each of the 7 subsystem blocks and on each block's index in its header: 7 + 7
    assert before["sheet_info"]["Scorecard"]["conditional_formats"] == 14
    changed = {n for n in before["members"] if before["members"][n] != after["members"][n]}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
                       "xl/worksheets/sheet4.xml"}
    assert set(after["members"]) == set(before["members"])
    if template.suffix == ".xlsm":
        with zipfile.ZipFile(out) as z:
            assert z.read("xl/vbaProject.bin") == vba_project_bytes()
            assert "[0]!SampleCall" in z.read("xl/drawings/vmlDrawing1.vml").decode()


def test_second_fill_is_identical(hand_input, tmp_path):
    a, b, c = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    fill(hand_input, TEMPLATE, a)
    fill(hand_input, TEMPLATE, b)
    assert a.read_bytes() == b.read_bytes()
    fill(hand_input, a, c)  # refilling a filled scorecard gives the same workbook again
    assert c.read_bytes() == a.read_bytes()


def test_output_is_new_unless_overwrite(hand_input, tmp_path):
    out = tmp_path / "o.xlsx"
    fill(hand_input, TEMPLATE, out)
    with pytest.raises(InputError, match="exists"):
        fill(hand_input, TEMPLATE, out)
    fill(hand_input, TEMPLATE, out, overwrite=True)
    with pytest.raises(InputError, match="a file this run reads"):  # the template itself: not even with overwrite
        fill(hand_input, out, out, overwrite=True)


def _rezip(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, edit(info.filename, data))


def test_formula_in_a_target_cell_is_refused(hand_input, tmp_path):
    sheet, ref = xlsx.resolve_name(TEMPLATE, "xlkg_financial")
    first = ref.split(":")[0]
    row = re.sub(r"[A-Z]+", "", first)
    cell = f"J{row}"  # the score cell of the first financial indicator
    part = xlsx.sheet_parts(TEMPLATE)[sheet]

    def edit(name, data):
        if name != part:
            return data
        text, n = re.subn(rf'<c r="{cell}"( s="\d+")?/>', rf'<c r="{cell}"\1><f>1+1</f><v>2</v></c>', data.decode())
        assert n == 1
        return text.encode()

    bad = tmp_path / "formula.xlsx"
    _rezip(TEMPLATE, bad, edit)
    out = tmp_path / "o.xlsx"
    with pytest.raises(InputError, match=cell):
        fill(hand_input, bad, out)
    assert not out.exists()


def test_template_of_another_catalogue_is_refused(hand_input, tmp_path):
    # swap the code of the first financial row at zip level: shared string "fin_revenue" -> "fin_sales"
    bad = tmp_path / "other.xlsx"
    _rezip(TEMPLATE, bad, lambda n, d: d.replace(b">fin_revenue<", b">fin_sales<") if n == "xl/sharedStrings.xml" else d)
    with pytest.raises(InputError, match="another indicator catalogue"):
        fill(hand_input, bad, tmp_path / "o.xlsx")
    assert not (tmp_path / "o.xlsx").exists()


def test_template_without_a_target_name_is_refused(hand_input, tmp_path):
    bad = tmp_path / "noname.xlsx"
    _rezip(TEMPLATE, bad, lambda n, d: re.sub(rb'<definedName name="xlkg_overall">[^<]*</definedName>', b"", d)
           if n == "xl/workbook.xml" else d)
    with pytest.raises(InputError, match="xlkg_overall"):
        fill(hand_input, bad, tmp_path / "o.xlsx")


def test_merged_target_cells_are_refused(hand_input, tmp_path):
    sheet, ref = xlsx.resolve_name(TEMPLATE, "xlkg_overall")  # Summary D16:E16
    part = xlsx.sheet_parts(TEMPLATE)[sheet]

    def edit(name, data):
        if name != part:
            return data
        return data.replace(b"</mergeCells>", f'<mergeCell ref="{ref}"/></mergeCells>'.encode()).replace(
            b'<mergeCells count="', b'<mergeCells count="1')  # count is advisory; Excel recounts
    bad = tmp_path / "merged.xlsx"
    _rezip(TEMPLATE, bad, edit)
    with pytest.raises(InputError, match="merged"):
        fill(hand_input, bad, tmp_path / "o.xlsx")


def test_missing_input_sheet_names_the_sheet(tmp_path):
    p = tmp_path / "x.xlsx"
    _rezip(INPUT_TEMPLATE, p, lambda n, d: d.replace(b'name="Report period"', b'name="Report"') if n == "xl/workbook.xml" else d)
    with pytest.raises(InputError, match="'Report period'"):
        fill(p, TEMPLATE, tmp_path / "o.xlsx")


def test_example_is_marked_illustrative_and_fills(tmp_path):
    rep = fill(EXAMPLE, TEMPLATE, tmp_path / "ex.xlsx")
    mark = read_name(rep.output, "xlkg_illustrative")[0][0]
    # the one illustrative-data notice, in Kyrgyz, Russian and English
    assert mark.startswith("Көрсөтмө маалыматтар: ") and " / Иллюстративные данные: " in mark and " / Illustrative data: " in mark
    wb = openpyxl.load_workbook(EXAMPLE, read_only=True)
    for sheet in ("Instructions", "Base period", "Report period"):
        texts = [c for r in wb[sheet].iter_rows(max_row=4, values_only=True) for c in r if isinstance(c, str)]
        assert any("Көрсөтмө маалыматтар" in t and "Иллюстративные данные" in t and "Illustrative data" in t for t in texts), sheet
    wb.close()
    assert 0 < rep.scorecard.overall_coverage < 1  # the example holds one "н/д" on purpose
    assert not math.isnan(rep.scorecard.overall)


def test_batch_fills_each_and_reports_failures(hand_input, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("one", "two"):
        (folder / f"{name}.xlsx").write_bytes(hand_input.read_bytes())
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    (folder / "~$one.xlsx").write_bytes(b"lock file")
    res = fill_batch(folder, TEMPLATE, tmp_path / "out", progress=False)
    assert sorted(r.output.name for r in res.done) == ["one_scorecard.xlsx", "two_scorecard.xlsx"]
    assert [(p.name, "broken.xlsx" in p.name) for p, _ in res.failed] == [("broken.xlsx", True)]
    assert "broken.xlsx: not an Excel .xlsx/.xlsm file (not a zip package)" in res.failed[0][1]
    s = res.summary()
    assert "FAILED broken.xlsx" in s and "filled 2" in s


def test_cli_single_and_batch(hand_input, tmp_path, capsys):
    out = tmp_path / "cli.xlsx"
    assert cli.main(["fill", str(hand_input), "--template", str(TEMPLATE), "-o", str(out)]) == 0
    got = capsys.readouterr()
    assert out.exists() and got.out.startswith(f"wrote {out}: overall index") and got.err == ""
    # an existing output is bad input: exit 2, the message on stderr, nothing on stdout
    assert cli.main(["fill", str(hand_input), "--template", str(TEMPLATE), "-o", str(out)]) == 2
    got = capsys.readouterr()
    assert got.out == "" and got.err.startswith("xlkg fill: ") and "exists" in got.err
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(hand_input.read_bytes())
    assert cli.main(["fill", str(folder), "--template", str(TEMPLATE), "-o", str(tmp_path / "fo"), "--no-progress"]) == 0
    assert (tmp_path / "fo" / "a_scorecard.xlsx").exists()
    assert capsys.readouterr().out.startswith("filled 1 scorecard(s), 0 failed")
    # a batch with a workbook that cannot be filled: the others are filled, the summary says why, exit 1
    (folder / "broken.xlsx").write_bytes(b"PK not a workbook")
    assert cli.main(["fill", str(folder), "--template", str(TEMPLATE), "-o", str(tmp_path / "fo2"), "--no-progress"]) == 1
    summary = capsys.readouterr().out
    assert "filled 1 scorecard(s), 1 failed" in summary and "FAILED broken.xlsx" in summary


def test_reader_refuses_duplicate_participants():
    rows = [["code", "", "", "", "", "A", "A"], ["revenue", "", "", "", "", 1, 2]]
    with pytest.raises(InputError, match="'A' appears twice"):
        read_cluster({"Base period": rows, "Report period": rows})


def test_bundled_workbooks_are_what_the_builder_makes(tmp_path):
    from xlkg.scorecard.templates import build_templates

    for p in build_templates(tmp_path):
        assert p.read_bytes() == (WB / p.name).read_bytes(), f"{p.name} is stale: run python -m xlkg.scorecard.templates workbooks"


def test_template_print_setup_chart_and_colour_scales():
    with zipfile.ZipFile(TEMPLATE) as z:
        parts = xlsx.sheet_parts(TEMPLATE)
        for sheet in ("Summary", "Scorecard", "Notes"):
            xml = z.read(parts[sheet]).decode()
            assert 'paperSize="9"' in xml and 'fitToHeight="0"' in xml and "<pageSetUpPr fitToPage=\"1\"/>" in xml, sheet
        chart = z.read("xl/charts/chart1.xml").decode()
        assert "<c:radarChart>" in chart and "Summary!$D$9:$D$15" in chart
        summary = z.read(parts["Summary"]).decode()
        assert 'type="colorScale"' in summary and 'type="dataBar"' in summary
        assert z.read(parts["Scorecard"]).decode().count('type="colorScale"') == 14
    inv = xlsx.inventory(INPUT_TEMPLATE)
    assert inv["sheet_info"]["Base period"]["data_validations"] == len(load_inputs())
    assert inv["sheets"] == ["Instructions", "Settings", "Base period", "Report period"]
    with zipfile.ZipFile(MACRO_TEMPLATE) as z:
        assert z.read("xl/vbaProject.bin") == vba_project_bytes()
    assert "_xlwings.conf" in xlsx.inventory(MACRO_TEMPLATE)["sheets"]  # disabled until renamed
    with zipfile.ZipFile(MACRO_TEMPLATE) as z:  # every printed sheet says A4, whatever the machine's default paper
        for sheet, part in xlsx.sheet_parts(MACRO_TEMPLATE).items():
            assert 'paperSize="9"' in z.read(part).decode(), sheet


def test_radar_chart_and_wrapped_rows_read_in_three_languages():
    import openpyxl

    from xlkg.scorecard.compute import SUBSYSTEMS
    from xlkg.scorecard.templates import SUBSYSTEM_SHORT

    with zipfile.ZipFile(TEMPLATE) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    # labels from a hidden column: no <c:plotVisOnly val="1"/>, so hidden cells are plotted
    assert "Summary!$J$9:$J$15" in chart and "plotVisOnly" not in chart
    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb["Summary"]
    assert ws["A1"].value.startswith("Балансталган") and "\nСбалансированная" in ws["A1"].value
    for i, key in enumerate(SUBSYSTEMS):
        ky, ru, en = ws.cell(9 + i, 10).value.split("\n")
        assert (ky, ru, en) == SUBSYSTEM_SHORT[key] and ky and ru and en
    # wrapped texts carry their own row heights (programs do not grow rows of a file they open)
    wb = openpyxl.load_workbook(INPUT_TEMPLATE)
    for name in ("Instructions", "Settings"):
        ws = wb[name]
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and len(c.value) > 90:
                    assert (ws.row_dimensions[c.row].height or 15) >= 29, (name, c.coordinate)


def test_the_demo_fills_the_bundled_example(tmp_path):
    p = fill_example(tmp_path / "demo.xlsx").output
    assert read_name(p, "xlkg_illustrative")[0][0].endswith("Illustrative data: the figures are made up (for the example), "
                                                           "not official statistics.")
    assert fill_example(tmp_path / "demo.xlsx").output == p  # the demo may be run again over its own output


X14_CF = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings>'
    '<x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:cfRule type="dataBar" id="{6D1C2E2A-0000-4000-8000-000000000001}"><x14:dataBar minLength="0" maxLength="100">'
    '<x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule><xm:sqref>J5:J16</xm:sqref>'
    '</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>'
)


def test_parts_openpyxl_would_drop_are_kept(hand_input, tmp_path):
    # An Excel 2010 data-bar extension and a custom XML part: openpyxl warns that it would drop the
    # first ("will be removed") and drops the second on save. The fill keeps both byte for byte.
    part = xlsx.sheet_parts(TEMPLATE)["Scorecard"]
    rich = tmp_path / "rich.xlsx"

    def edit(name, data):
        return data.replace(b"</worksheet>", X14_CF.encode() + b"</worksheet>") if name == part else data

    _rezip(TEMPLATE, rich, edit)
    with zipfile.ZipFile(rich, "a") as z:
        z.writestr("customXml/item1.xml", "<root xmlns='urn:ministry'>keep me</root>")
    with pytest.warns(UserWarning, match="will be removed"):
        openpyxl.load_workbook(rich)
    out = tmp_path / "out.xlsx"
    fill(hand_input, rich, out)
    with zipfile.ZipFile(out) as z:
        assert X14_CF.encode() in z.read(part)
        assert z.read("customXml/item1.xml") == b"<root xmlns='urn:ministry'>keep me</root>"


def test_templates_the_writer_cannot_handle_are_refused(hand_input, tmp_path):
    xlsb = tmp_path / "t.xlsb"
    xlsb.write_bytes(TEMPLATE.read_bytes())
    with pytest.raises(InputError, match=r"\.xlsb"):
        fill(hand_input, xlsb, tmp_path / "o.xlsb")
    strict = tmp_path / "strict.xlsx"
    _rezip(TEMPLATE, strict, lambda n, d: d.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                                   b"http://purl.oclc.org/ooxml/spreadsheetml/main"))
    with pytest.raises(InputError, match="strict OOXML"):
        fill(hand_input, strict, tmp_path / "o.xlsx")
    assert not (tmp_path / "o.xlsx").exists()


def test_ministry_style_cells_in_the_input_workbook(tmp_path):
    cells = cluster_cells()
    cells["base"]["A"]["revenue"] = "1 00,0"          # space and decimal comma: 100
    cells["base"]["B"]["financial_result"] = "−2"     # Unicode minus: -2
    cells["report"]["C"]["taxes"] = "–"               # en dash: no data
    cells["report"]["B"]["export_revenue"] = "#N/A"   # an error cell
    p = write_input(tmp_path / "ministry.xlsx", cells)
    rep = fill(p, TEMPLATE, tmp_path / "o.xlsx")
    v, why = rep.scorecard.indicators.values, rep.scorecard.indicators.reasons
    assert v.loc["fin_revenue", "base"] == 200 and v.loc["fin_result", "base"] == 10   # as by hand
    assert "C (no data ('–'))" in why.loc["fin_taxes", "report"]
    assert "B (error value #N/A)" in why.loc["fin_export", "report"]
    fin = read_name(rep.output, "xlkg_financial")
    codes = [r[0] for r in read_name(rep.output, "xlkg_financial_codes")]
    assert fin[codes.index("fin_export")][1] == NA and fin[codes.index("fin_export")][0] == 6
    # coverage shown: financial 12 of 14 (taxes and exports without a report value)
    assert read_name(rep.output, "xlkg_financial_index")[0][1] == pytest.approx(12 / 14)


def test_from_the_repository_the_bundled_workbooks_are_those_of_workbooks():
    from xlkg.scorecard import writer

    assert writer.default_template() == TEMPLATE and writer.default_template(macro=True) == MACRO_TEMPLATE
    assert writer.example_input() == EXAMPLE


def test_installed_package_builds_its_templates(monkeypatch, tmp_path):
    import xlkg.scorecard.writer as sf

    monkeypatch.setattr(sf, "repo_workbooks", lambda: tmp_path / "absent")
    monkeypatch.setattr(sf, "_built_dir", lambda: tmp_path / "built")
    t = sf.default_template()
    assert t == tmp_path / "built" / "xlkg_scorecard.xlsx" and t.read_bytes() == TEMPLATE.read_bytes()
    assert sf.example_input().read_bytes() == EXAMPLE.read_bytes()


def test_settings_membership_row_in_any_of_the_three_languages():
    from xlkg.scorecard.reader import read_settings

    assert read_settings([["membership", None, "сопоставимый состав"]])["membership"] == "continuing"
    assert read_settings([["membership", None, "бардыгы"]])["membership"] == "all"
    assert read_settings([["membership", None, None]])["membership"] == "all"
    with pytest.raises(InputError, match=r"sheet 'Settings' row 1 \(membership\): 'half'; expected 'all'"):
        read_settings([["membership", None, "half"]])


def test_the_input_template_offers_the_membership_setting():
    ws = openpyxl.load_workbook(INPUT_TEMPLATE)["Settings"]
    keys = [r[0] for r in ws.iter_rows(values_only=True)]
    assert "membership" in keys
