"""The zip-level cell writer: values land where asked, everything else in the workbook survives.

Fixtures are built with xlsxwriter (tests/support/workbooks.py) (charts, images, validations, conditional formats, defined
names with Cyrillic letters, merged cells, formulas, an array formula, a chartsheet, a VBA project)
and taken from the xlwings wheel (quickstart_standalone.xlsm). Values read back are the values the
test wrote (a round trip); the other checks compare bytes of the original parts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from support.workbooks import SHEET, build_rich, quickstart_xlsm
from xlkg import xlsx as xp
from xlkg.core.result import InputError


def rezip(src: Path, dst: Path, replace: dict) -> Path:
    """Copy a package replacing members (bytes), adding new ones, or dropping them (None)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        seen = set()
        for info in zin.infolist():
            seen.add(info.filename)
            data = replace.get(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in replace.items():
            if name not in seen and data is not None:
                zout.writestr(name, data)
    return dst


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


@pytest.fixture
def rich(tmp_path) -> Path:
    return build_rich(tmp_path / "rich.xlsx")


@pytest.fixture
def vba_bytes() -> bytes:
    return member(quickstart_xlsm(), "xl/vbaProject.bin")


# ---------------------------------------------------------------------------------------------- writing


def test_values_round_trip_and_every_other_part_is_byte_identical(rich, tmp_path):
    before = xp.inventory(rich)
    out = tmp_path / "out.xlsx"
    writes = {
        SHEET: {
            "B2": 10, "C2": -0.125, "B3": 1234567.891,          # numbers over existing numbers
            "A2": "Чүй облусу ң ө ү",                            # Kyrgyz letters
            "A3": "x & <y> \"q\"",                             # XML specials
            "G1": "  leading and trailing  ",                  # whitespace kept
            "G2": True, "G3": False,
            "G4": "#N/A", "G5": "#DIV/0!",                     # error cells
            "G6": xp.Text("#N/A"),                              # literal text that looks like an error
            "G7": None,                                         # clearing a missing cell: no-op
            "B8": None,                                         # clearing an existing value
            "A6": "Жаңы",                                       # top-left of a merged range
            "K30": 7,                                           # new row and column beyond the data
            "A4": dt.date(2024, 3, 1),                          # date serial (1900 system)
        },
        "Summary": {"B1": 2.5},
    }
    rep = xp.patch_workbook(rich, out, writes)
    assert rep.changed_parts == sorted([xp.sheet_parts(rich)[SHEET], xp.sheet_parts(rich)["Summary"]])
    after = xp.inventory(out)
    xp.assert_preserved(before, after, rep.changed_parts)
    assert after["charts"] and after["images"] and after["drawings"]
    got = xp.read_cells(out, SHEET, list(writes[SHEET]))
    expect = dict(writes[SHEET])
    expect["G6"] = "#N/A"
    # 1 March 2024 is serial 45352 in Excel's 1900 system (1 Jan 1900 = 1, plus the fictitious 29 Feb 1900);
    # A4 has no date format, so openpyxl reads the number back
    expect["A4"] = 45352
    assert got == expect
    assert xp.read_raw(out, SHEET, ["G4"])["G4"].t == "e"
    assert xp.read_raw(out, SHEET, ["G6"])["G6"].t == "inlineStr"
    assert xp.read_cells(out, "Summary", ["B1"]) == {"B1": 2.5}


def test_sheet_xml_outside_sheetdata_is_untouched(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    xp.patch_workbook(rich, out, {SHEET: {"B2": 1, "Z40": "new"}})
    part = xp.sheet_parts(rich)[SHEET]
    a, b = member(rich, part).decode(), member(out, part).decode()

    def outside(t):
        t = re.sub(r'<dimension ref="[^"]*"/>', "", t)
        return t[: t.index("<sheetData")], t[t.index("</sheetData>"):]

    assert outside(a) == outside(b)
    assert '<dimension ref="A1:Z40"/>' in b


def test_styles_are_kept_and_new_cells_take_the_column_style(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    before = xp.read_raw(rich, SHEET, ["A1"])["A1"].s
    xp.patch_workbook(rich, out, {SHEET: {"A1": "Новый заголовок", "C20": 3.14159, "F5": 0.25}})
    raw = xp.read_raw(out, SHEET, ["A1", "C20", "F5"])
    assert raw["A1"].s == before and before is not None
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    assert ws["A1"].font.b
    assert ws["C20"].number_format == "0.00"   # set_column("B:C", ..., num)
    assert ws["F5"].number_format == "0.0%"    # set_column("F:F", ..., pct)


def test_patching_twice_gives_identical_bytes_and_is_idempotent(rich, tmp_path):
    writes = {SHEET: {"B2": 5, "A2": "Нарын", "K9": True, "D2": xp.Cached(7.5)}}
    a, b, c = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    xp.patch_workbook(rich, a, writes)
    xp.patch_workbook(rich, b, writes)
    assert a.read_bytes() == b.read_bytes()
    xp.patch_workbook(a, c, writes)  # filling the filled file again changes nothing
    assert c.read_bytes() == a.read_bytes()


def test_zip_member_order_timestamps_and_compression_are_kept(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    xp.patch_workbook(rich, out, {SHEET: {"B2": 1}})
    with zipfile.ZipFile(rich) as za, zipfile.ZipFile(out) as zb:
        sig = lambda z: [(i.filename, i.date_time, i.compress_type) for i in z.infolist()]  # noqa: E731
        assert sig(za) == sig(zb)


# ---------------------------------------------------------------------------------------------- formulas


def test_cached_values_keep_formulas_and_set_the_type(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    xp.patch_workbook(rich, out, {SHEET: {
        "D2": xp.Cached(12.5), "D3": xp.Cached("текст"),
        "E2": xp.Cached("#VALUE!"), "E3": xp.Cached(True),   # E3 is a non-master cell of the array E2:E3
    }})
    raw = xp.read_raw(out, SHEET, ["D2", "D3", "E2", "E3"])
    assert (raw["D2"].formula, raw["D2"].t, raw["D2"].value) == ("B2+C2", None, "12.5")
    assert (raw["D3"].formula, raw["D3"].t, raw["D3"].value) == ("B3+C3", "str", "текст")
    assert (raw["E2"].formula, raw["E2"].t, raw["E2"].value) == ("B2:B3*2", "e", "#VALUE!")
    assert raw["E2"].formula_attrs == {"t": "array", "ref": "E2:E3"}
    assert (raw["E3"].formula, raw["E3"].t, raw["E3"].value) == (None, "b", "1")
    assert xp.read_cells(out, SHEET, ["D2", "D3", "E2", "E3"]) == {"D2": 12.5, "D3": "текст", "E2": "#VALUE!", "E3": True}
    wb = openpyxl.load_workbook(out)  # formulas are still there for Excel
    assert wb[SHEET]["D2"].value == "=B2+C2"


def test_cached_none_removes_the_cached_value(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    xp.patch_workbook(rich, out, {SHEET: {"D2": xp.Cached(None)}})
    raw = xp.read_raw(out, SHEET, ["D2"])["D2"]
    assert raw.formula == "B2+C2" and raw.value is None


def test_cached_on_a_plain_cell_is_refused(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"B2: holds no formula"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"B2": xp.Cached(1)}})


def test_plain_value_over_a_formula_is_refused_unless_asked(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"D2: holds the formula =B2\+C2"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"D2": 1}})
    assert not (tmp_path / "o.xlsx").exists()
    xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"D2": 1}}, replace_formulas=True)
    raw = xp.read_raw(tmp_path / "o.xlsx", SHEET, ["D2"])["D2"]
    assert raw.formula is None and raw.value == "1"


def test_array_formula_partly_overwritten_is_refused(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"E3: belongs to an array formula over E2:E3"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"E3": 1}})
    with pytest.raises(xp.XlsxPatchError, match=r"overwrites only part of an array formula over E2:E3"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"E3": 1}}, replace_formulas=True)
    xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"E2": 1, "E3": 2}}, replace_formulas=True)
    raw = xp.read_raw(tmp_path / "o.xlsx", SHEET, ["E2", "E3"])
    assert raw["E2"].formula is None and (raw["E2"].value, raw["E3"].value) == ("1", "2")


def _with_calc_chain(src: Path, dst: Path) -> Path:
    """Add a calcChain part (as Excel writes one) naming the formula cells of the first sheet."""
    ct = member(src, "[Content_Types].xml").decode()
    ct = ct.replace("</Types>", '<Override PartName="/xl/calcChain.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
    rels = member(src, "xl/_rels/workbook.xml.rels").decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    chain = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><c r="D2" i="1"/><c r="D3"/><c r="E2" a="1"/></calcChain>')
    return rezip(src, dst, {"[Content_Types].xml": ct.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                            "xl/calcChain.xml": chain.encode()})


def test_calc_chain_is_dropped_only_when_a_formula_goes(rich, tmp_path):
    src = _with_calc_chain(rich, tmp_path / "chain.xlsx")
    kept = tmp_path / "kept.xlsx"
    rep = xp.patch_workbook(src, kept, {SHEET: {"D2": xp.Cached(4), "B2": 9}})
    assert rep.removed_parts == [] and "xl/calcChain.xml" in zipfile.ZipFile(kept).namelist()
    dropped = tmp_path / "dropped.xlsx"
    before = xp.inventory(src)
    rep = xp.patch_workbook(src, dropped, {SHEET: {"D2": 4}}, replace_formulas=True)
    assert rep.removed_parts == ["xl/calcChain.xml"]
    assert set(rep.changed_parts) == {"[Content_Types].xml", "xl/_rels/workbook.xml.rels", xp.sheet_parts(src)[SHEET]}
    xp.assert_preserved(before, xp.inventory(dropped), rep.changed_parts, rep.removed_parts)
    assert b"calcChain" not in member(dropped, "[Content_Types].xml")
    assert b"calcChain" not in member(dropped, "xl/_rels/workbook.xml.rels")
    openpyxl.load_workbook(dropped)  # still a valid package


def test_shared_formula_master_is_not_overwritten_alone(rich, tmp_path):
    part = xp.sheet_parts(rich)[SHEET]
    xml = member(rich, part).decode()
    # Excel stores a formula filled down as one shared formula: the master holds the text and the range
    xml = xml.replace("<f>B2+C2</f>", '<f t="shared" ref="D2:D3" si="0">B2+C2</f>')
    xml = xml.replace("<f>B3+C3</f>", '<f t="shared" si="0"/>')
    src = rezip(rich, tmp_path / "shared.xlsx", {part: xml.encode()})
    with pytest.raises(xp.XlsxPatchError, match=r"D2: holds the formula that cells of D2:D3 share \(e.g. D3\)"):
        xp.patch_workbook(src, tmp_path / "o.xlsx", {SHEET: {"D2": 1}}, replace_formulas=True)
    xp.patch_workbook(src, tmp_path / "o.xlsx", {SHEET: {"D3": xp.Cached(7), "D2": xp.Cached(4)}})
    raw = xp.read_raw(tmp_path / "o.xlsx", SHEET, ["D2", "D3"])
    assert raw["D3"].formula_attrs == {"t": "shared", "si": "0"} and raw["D3"].value == "7"
    xp.patch_workbook(src, tmp_path / "o2.xlsx", {SHEET: {"D2": 1, "D3": 2}}, replace_formulas=True)


def test_full_calc_on_load(rich, tmp_path):
    wbx = member(rich, "xl/workbook.xml").decode()
    stripped = re.sub(r"<calcPr[^>]*/>", "", wbx)
    src = rezip(rich, tmp_path / "nocalc.xlsx", {"xl/workbook.xml": stripped.encode()})
    out = tmp_path / "o.xlsx"
    rep = xp.patch_workbook(src, out, {SHEET: {"B2": 1}}, full_calc_on_load=True)
    assert "xl/workbook.xml" in rep.changed_parts
    new = member(out, "xl/workbook.xml").decode()
    assert re.search(r'</definedNames><calcPr fullCalcOnLoad="1"/>', new)
    # an existing calcPr keeps its attributes and gains the flag
    with_calc = re.sub(r"<calcPr[^>]*/>", '<calcPr calcId="191029"/>', wbx)
    src2 = rezip(rich, tmp_path / "calc.xlsx", {"xl/workbook.xml": with_calc.encode()})
    xp.patch_workbook(src2, out, {SHEET: {"B2": 1}}, full_calc_on_load=True, overwrite=True)
    assert '<calcPr calcId="191029" fullCalcOnLoad="1"/>' in member(out, "xl/workbook.xml").decode()
    openpyxl.load_workbook(out)


# ---------------------------------------------------------------------------------------------- refusals


def test_bad_values_are_refused_naming_the_cell(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"sheet 'Данные', cell C2: nan cannot be stored"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"C2": float("nan")}})
    with pytest.raises(xp.XlsxPatchError, match=r"cell C2: cannot write a value of type dict"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"C2": {}}})
    with pytest.raises(xp.XlsxPatchError, match=r"'B0' is not a cell address|'B0' lies outside"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"B0": 1}})
    with pytest.raises(xp.XlsxPatchError, match=r"'2B' is not a cell address"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"2B": 1}})
    assert issubclass(xp.XlsxPatchError, InputError)


def test_merged_cell_other_than_top_left_is_refused(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"cell B6: lies inside the merged range A6:C6; write to its top-left cell A6"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {SHEET: {"B6": "x"}})


def test_missing_sheet_and_chartsheet_are_refused(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"sheet 'данные' not found \(did you mean 'Данные'\?\); "
                       r"the workbook has: 'Данные', 'Summary', 'Диаграмма'"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {"данные": {"A1": 1}})
    with pytest.raises(xp.XlsxPatchError, match=r"sheet 'Диаграмма' is a chartsheet"):
        xp.patch_workbook(rich, tmp_path / "o.xlsx", {"Диаграмма": {"A1": 1}})


def test_legacy_encrypted_binary_and_strict_files_are_refused(rich, tmp_path):
    files = Path(__file__).resolve().parent / "data" / "files"  # real files: see the README there
    with pytest.raises(xp.XlsxPatchError, match=r"legacy Excel 97-2003 workbook \(\.xls\)"):
        xp.patch_workbook(files / "legacy_97_2003.xls", tmp_path / "o.xls", {SHEET: {"A1": 1}})
    # Excel stores a password-protected .xlsx as an OLE compound file holding an EncryptedPackage stream
    with pytest.raises(xp.XlsxPatchError, match=r"this workbook is password-protected"):
        xp.patch_workbook(files / "password_protected.xlsx", tmp_path / "o.xlsx", {SHEET: {"A1": 1}})
    xlsb = tmp_path / "book.xlsb"
    xlsb.write_bytes(rich.read_bytes())
    with pytest.raises(xp.XlsxPatchError, match=r"\.xlsb"):
        xp.patch_workbook(xlsb, tmp_path / "o.xlsb", {SHEET: {"A1": 1}})
    wbx = member(rich, "xl/workbook.xml").decode().replace(xp.xmltext.NS_MAIN, xp.xmltext.NS_STRICT)
    strict = rezip(rich, tmp_path / "strict.xlsx", {"xl/workbook.xml": wbx.encode()})
    with pytest.raises(xp.XlsxPatchError, match=r"strict OOXML"):
        xp.patch_workbook(strict, tmp_path / "o.xlsx", {SHEET: {"A1": 1}})
    txt = tmp_path / "notes.xlsx"
    txt.write_text("not a workbook")
    with pytest.raises(xp.XlsxPatchError, match=r"not an Excel \.xlsx/\.xlsm file"):
        xp.patch_workbook(txt, tmp_path / "o.xlsx", {SHEET: {"A1": 1}})


def test_output_must_differ_from_input_and_keep_its_extension(rich, tmp_path):
    with pytest.raises(xp.XlsxPatchError, match=r"is the input workbook itself"):
        xp.patch_workbook(rich, rich, {SHEET: {"B2": 1}})
    with pytest.raises(xp.XlsxPatchError, match=r"must keep the input's extension '.xlsx'"):
        xp.patch_workbook(rich, tmp_path / "o.xlsm", {SHEET: {"B2": 1}})
    xp.patch_workbook(rich, rich, {SHEET: {"B2": 77}}, overwrite=True)
    assert xp.read_cells(rich, SHEET, ["B2"]) == {"B2": 77}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_a_refusal_leaves_an_existing_output_untouched(rich, tmp_path):
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"previous")
    with pytest.raises(xp.XlsxPatchError):
        xp.patch_workbook(rich, out, {SHEET: {"B6": 1}}, overwrite=True)
    assert out.read_bytes() == b"previous"


# ---------------------------------------------------------------------------------------------- names


def test_defined_names_resolve_case_insensitively_with_cyrillic(rich):
    assert xp.resolve_name(rich, "итог") == (SHEET, "D2")
    assert xp.resolve_name(rich, "БЛОК") == (SHEET, "B2:C3")
    assert xp.resolve_name(rich, "местное") == (SHEET, "B8")
    assert xp.resolve_name(rich, "местное", sheet=SHEET) == (SHEET, "B8")
    with pytest.raises(xp.XlsxPatchError, match=r"defined name 'нет' not found in rich.xlsx; names present: .*Итог"):
        xp.resolve_name(rich, "нет")
    with pytest.raises(xp.XlsxPatchError, match=r"'константа' refers to '3.5', not to one cell"):
        xp.resolve_name(rich, "константа")


def test_name_writes_fill_blocks_by_shape(rich, tmp_path):
    w = xp.name_writes(rich, {"блок": [[1, 2], [3, 4]], "строка": [5, 6], "итог": xp.Cached(10)})
    assert w == {SHEET: {"B2": 1, "C2": 2, "B3": 3, "C3": 4, "B8": 5, "C8": 6, "D2": xp.Cached(10)}}
    with pytest.raises(xp.XlsxPatchError, match=r"'блок' covers B2:C3 \(2 x 2\); the value given has another shape"):
        xp.name_writes(rich, {"блок": [1, 2, 3, 4]})
    out = tmp_path / "o.xlsx"
    xp.patch_workbook(rich, out, w)
    assert xp.read_cells(out, SHEET, ["B2", "C3", "C8", "D2"]) == {"B2": 1, "C3": 4, "C8": 6, "D2": 10}


def test_cells_in_and_refs():
    assert xp.cells_in("A1:B2") == [["A1", "B1"], ["A2", "B2"]]
    assert xp.split_ref("$AB$12") == (12, 28)
    assert xp.col_letter(16384) == "XFD"
    from xlkg.xlsx.refs import area_ref

    assert area_ref(3, 2) == "B3" and area_ref(3, 2, 3, 2) == "B3"  # one cell, however it is given
    assert area_ref(3, 2, 9, 4) == "B3:D9" and area_ref(3, 2, 9, 4, absolute=True) == "$B$3:$D$9"
    assert area_ref(1, 27, absolute=True) == "$AA$1"


# ---------------------------------------------------------------------------------------------- macros


def test_quickstart_xlsm_keeps_its_vba_project(tmp_path):
    src = quickstart_xlsm()
    before = xp.inventory(src)
    out = tmp_path / "quickstart.xlsm"
    rep = xp.patch_workbook(src, out, {"Sheet1": {"A1": "Салам", "B2": 3.5, "C3": xp.Text("#REF!")}})
    after = xp.inventory(out)
    xp.assert_preserved(before, after, rep.changed_parts)
    assert after["vba_sha256"] == hashlib.sha256(member(src, "xl/vbaProject.bin")).hexdigest()
    assert member(out, "xl/vbaProject.bin") == member(src, "xl/vbaProject.bin")
    assert xp.read_cells(out, "Sheet1", ["A1", "B2", "C3"]) == {"A1": "Салам", "B2": 3.5, "C3": "#REF!"}
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb.vba_archive is not None


def test_xlsm_with_button_and_vba_survives(tmp_path, vba_bytes):
    src = build_rich(tmp_path / "macro.xlsm", vba=vba_bytes)
    before = xp.inventory(src)
    assert before["vba_sha256"] == hashlib.sha256(vba_bytes).hexdigest()
    out = tmp_path / "filled.xlsm"
    rep = xp.patch_workbook(src, out, {"Summary": {"B1": 99, "A5": "итог"}, SHEET: {"D3": xp.Cached(8)}})
    xp.assert_preserved(before, xp.inventory(out), rep.changed_parts)
    vml = [n for n in before["members"] if n.endswith(".vml")]
    assert vml, "the button lives in a VML drawing"


def test_inventory_and_assert_preserved_detect_loss(rich, tmp_path):
    before = xp.inventory(rich)
    assert before["sheet_info"][SHEET]["data_validations"] == 1
    assert before["sheet_info"][SHEET]["conditional_formats"] == 1
    assert before["sheet_info"][SHEET]["merged"] == 1
    assert len(before["charts"]) == 2 and len(before["images"]) == 1
    # openpyxl's load/save drops the charts and the image: assert_preserved must notice
    resaved = tmp_path / "resaved.xlsx"
    openpyxl.load_workbook(rich).save(resaved)
    with pytest.raises(AssertionError, match=r"charts|images|lost"):
        xp.assert_preserved(before, xp.inventory(resaved))


def test_prefixed_namespace_sheet(tmp_path):
    """Some generators write the main namespace with a prefix (x:); new elements use the same prefix."""
    ns = xp.xmltext.NS_MAIN
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="{ns}"><x:dimension ref="A1"/>'
             '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    wb = (f'<?xml version="1.0" encoding="UTF-8"?>\n<x:workbook xmlns:x="{ns}" xmlns:r="{xp.xmltext.NS_R}"><x:sheets>'
          '<x:sheet name="S" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    ct = ('<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    src = tmp_path / "p.xlsx"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    out = tmp_path / "o.xlsx"
    xp.patch_workbook(src, out, {"S": {"B1": "ж", "A3": 2}})
    text = member(out, "xl/worksheets/sheet1.xml").decode()
    assert ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>ж</x:t></x:is></x:c>'
            '</x:row><x:row r="3"><x:c r="A3"><x:v>2</x:v></x:c></x:row>') in text
    assert xp.read_cells(out, "S", ["A1", "B1", "A3"]) == {"A1": 1, "B1": "ж", "A3": 2}


def test_rows_and_cells_without_addresses(tmp_path, rich):
    """The r attributes of rows and cells are optional: positions then follow from the order."""
    part = xp.sheet_parts(rich)["Summary"]
    xml = member(rich, part).decode()
    body = ('<sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row>'
            '<row r="3"><c r="B3"><v>5</v></c><c><v>6</v></c></row></sheetData>')
    xml = re.sub(r"<sheetData>.*</sheetData>", body, xml, flags=re.S)
    src = rezip(rich, tmp_path / "implicit.xlsx", {part: xml.encode()})
    out = tmp_path / "o.xlsx"
    xp.patch_workbook(src, out, {"Summary": {"B1": 20, "D1": 4, "A3": "x", "C3": 60, "A2": 1}})
    assert xp.read_cells(out, "Summary", ["A1", "B1", "D1", "A2", "A3", "B3", "C3"]) == {
        "A1": "a", "B1": 20, "D1": 4, "A2": 1, "A3": "x", "B3": 5, "C3": 60}


def test_table_headers_and_pivot_tables_are_protected(tmp_path):
    src = tmp_path / "table.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet("T")
    ws.add_table("B2:C4", {"name": "Кластер", "columns": [{"header": "Аймак"}, {"header": "Сумма"}],
                           "data": [["Ош", 1], ["Нарын", 2]]})
    wb.close()
    with pytest.raises(xp.XlsxPatchError, match=r"cell C2: is a header of the table 'Кластер' \(B2:C4\); its text must stay 'Сумма'"):
        xp.patch_workbook(src, tmp_path / "o.xlsx", {"T": {"C2": "Итог"}})
    xp.patch_workbook(src, tmp_path / "o.xlsx", {"T": {"C2": "Сумма", "C3": 10, "B4": "Талас"}})
    assert xp.read_cells(tmp_path / "o.xlsx", "T", ["C3", "B4"]) == {"C3": 10, "B4": "Талас"}
    # a pivot table is found through the sheet's relationships; its area is refused
    part = xp.sheet_parts(src)["T"]
    rels_name = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rels = member(src, rels_name).decode().replace(
        "</Relationships>", '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/pivotTable" Target="../pivotTables/pivotTable1.xml"/></Relationships>')
    pivot = (f'<pivotTableDefinition xmlns="{xp.xmltext.NS_MAIN}" name="Сводная" cacheId="1" dataCaption="Values">'
             '<location ref="E2:F6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/></pivotTableDefinition>')
    with_pivot = rezip(src, tmp_path / "pivot.xlsx", {rels_name: rels.encode(), "xl/pivotTables/pivotTable1.xml": pivot.encode()})
    with pytest.raises(xp.XlsxPatchError, match=r"cell F3: lies inside the pivot table 'Сводная' \(E2:F6\)"):
        xp.patch_workbook(with_pivot, tmp_path / "o2.xlsx", {"T": {"F3": 1}})


def test_empty_sheet_gets_its_first_cells(tmp_path):
    src = tmp_path / "empty.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    wb.add_worksheet("Бош")
    wb.close()
    assert b"<sheetData/>" in member(src, xp.sheet_parts(src)["Бош"])
    out = tmp_path / "o.xlsx"
    xp.patch_workbook(src, out, {"Бош": {"C3": 1, "A1": "баш"}})
    assert xp.read_cells(out, "Бош", ["A1", "C3"]) == {"A1": "баш", "C3": 1}
    assert '<dimension ref="A1:C3"/>' in member(out, xp.sheet_parts(src)["Бош"]).decode()


def test_numpy_and_decimal_values(rich, tmp_path):
    import decimal

    import numpy as np

    out = tmp_path / "o.xlsx"
    xp.patch_workbook(rich, out, {SHEET: {"B2": np.float64(1.5), "C2": np.int64(7), "B3": np.float32(0.1),
                                          "C3": decimal.Decimal("2.25"), "G1": np.bool_(True)}})
    raw = xp.read_raw(out, SHEET, ["B3", "C3", "G1"])
    assert raw["B3"].value == "0.1" and raw["C3"].value == "2.25" and (raw["G1"].t, raw["G1"].value) == ("b", "1")
    assert xp.read_cells(out, SHEET, ["B2", "C2"]) == {"B2": 1.5, "C2": 7}


# ---------------------------------------------------------------------------------------------- structure


def test_check_package_passes_every_output_of_these_tests(rich, tmp_path, vba_bytes):
    assert xp.check_package(rich) == []
    out = tmp_path / "o.xlsx"
    xp.patch_workbook(rich, out, {SHEET: {"A1": "жаңы", "Z99": 1, "D2": xp.Cached("x"), "G3": True, "G4": "#N/A"},
                                  "Summary": {"A1": None, "B1": None, "C5": 2.5}})
    assert xp.check_package(out) == []
    src = _with_calc_chain(rich, tmp_path / "chain.xlsx")
    assert xp.check_package(src) == []
    xp.patch_workbook(src, out, {SHEET: {"D2": 1}}, replace_formulas=True, overwrite=True)
    assert xp.check_package(out) == []
    macro = build_rich(tmp_path / "m.xlsm", vba=vba_bytes)
    xp.patch_workbook(macro, tmp_path / "m2.xlsm", {"Summary": {"A9": "x"}})
    assert xp.check_package(tmp_path / "m2.xlsm") == []
    assert xp.check_package(quickstart_xlsm()) == []


def test_check_package_finds_what_excel_would_repair(rich, tmp_path):
    part = xp.sheet_parts(rich)[SHEET]
    xml = member(rich, part).decode()

    def broken(name, replace):
        return xp.check_package(rezip(rich, tmp_path / f"{name}.xlsx", replace))

    # cells out of column order inside a row
    swapped = xml.replace('<c r="A2" t="s"><v>4</v></c>', '', 1).replace('</row><row r="3"', '<c r="A2" t="s"><v>4</v></c></row><row r="3"', 1)
    assert any("out of column order" in p for p in broken("order", {part: swapped.encode()}))
    # a shared-string index beyond the table, a style beyond cellXfs
    assert any("shared string 999 does not exist" in p
               for p in broken("sst", {part: xml.replace('t="s"><v>4</v>', 't="s"><v>999</v>', 1).encode()}))
    assert any("style 77 does not exist" in p for p in broken("style", {part: xml.replace('<c r="A3" t="s">', '<c r="A3" s="77" t="s">', 1).encode()}))
    # overlapping merged ranges
    assert any("merged ranges overlap" in p for p in broken("merge", {part: xml.replace(
        '<mergeCell ref="A6:C6"/>', '<mergeCell ref="A6:C6"/><mergeCell ref="B5:B7"/>').replace(
        'mergeCells count="1"', 'mergeCells count="2"').encode()}))
    # a part without its content type, a relationship pointing nowhere, a name pointing at no sheet
    ct = member(rich, "[Content_Types].xml").decode()
    assert any("image1.png: has no content type" in p for p in broken("ct", {"[Content_Types].xml": re.sub(
        r'<Default Extension="png"[^>]*/>', "", ct).encode()}))
    assert any("does not hold" in p for p in broken("rel", {"xl/charts/chart1.xml": None}))
    wbx = member(rich, "xl/workbook.xml").decode().replace("'Данные'!$D$2", "'Нет'!$D$2")
    assert any("points at sheet 'Нет'" in p for p in broken("name", {"xl/workbook.xml": wbx.encode()}))
    # a calculation chain naming a cell without a formula
    chain = _with_calc_chain(rich, tmp_path / "chain.xlsx")
    sheet_xml = member(chain, part).decode().replace("<f>B2+C2</f>", "")
    assert any("calcChain names Данные!D2, which holds no formula" in p
               for p in xp.check_package(rezip(chain, tmp_path / "chain2.xlsx", {part: sheet_xml.encode()})))
