"""After `xlkg recalc`, the native formulas around xlkg's errors cache what Excel computes (issue 10.4):
ISNA(x) TRUE, IFERROR(x, 0) 0, x+0 #N/A; every formula that returned a message is named with the
message; an array formula whose range is smaller than its result is reported with what was cut."""


import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from support.workbooks import TOY_TABLE, sheet_with
from xlkg import cli
from xlkg.recalc import recalc, summary_lines
from xlkg.xlsx import read_raw

# Region x sector table with a national row. Region A's S2 is the text "x": A's row total is unknown, so
# xlkg gives #N/A for A in every column. By hand for B/S1: x_B = 30 + 6 = 36, x_S1 = 40, x = 46:
# (30 / 36) / (40 / 46) = 1380 / 1440 = 23/24.
TABLE = [["Region", "S1", "S2"], ["A", 10, "x"], ["B", 30, 6], ["Total", 40, 6]]


def _book(path):
    wb, data = sheet_with(TABLE, "Data")
    res = wb.create_sheet("Res")
    res["A1"] = ArrayFormula("A1:C3", "=LOCALIZATION(Data!A1:C4)")
    res["E1"] = "=ISNA(B2)"
    res["E2"] = "=IFERROR(B2,0)"
    res["E3"] = "=B2+0"
    res["E4"] = "=ISNA(B3)"
    res["E5"] = "=IFERROR(B3,0)"
    # the same, with xlkg's call inside a native formula (evaluated by the engine)
    res["E6"] = "=ISNA(INDEX(LOCALIZATION(Data!A1:C4),2,2))"
    res["E7"] = "=IFERROR(INDEX(LOCALIZATION(Data!A1:C4),2,2),-1)"
    res["E8"] = '="#N/A"'  # text that only looks like an error stays text
    res["E9"] = "=ISERROR(Data!C2)"  # the text "x" in the data is no error
    wb.save(path)


@pytest.mark.parametrize("direct", [True, False])
def test_native_formulas_around_xlkg_errors_cache_what_excel_computes(tmp_path, direct):
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    _book(src)
    recalc(src, dst, direct=direct)
    ws = openpyxl.load_workbook(dst, data_only=True)["Res"]
    assert ws["B2"].value == "#N/A" and ws["B3"].value == pytest.approx(23 / 24)
    assert ws["E1"].value is True
    assert ws["E2"].value == 0
    assert ws["E3"].value == "#N/A"
    assert ws["E4"].value is False
    assert ws["E5"].value == pytest.approx(23 / 24)
    assert ws["E6"].value is True
    assert ws["E7"].value == -1
    assert ws["E9"].value is False
    raw = read_raw(dst, "Res", ["B2", "E3", "E8"])
    assert raw["B2"].t == "e" and raw["E3"].t == "e"  # stored as error values
    assert raw["E8"].t == "str" and raw["E8"].value == "#N/A"  # stored as text


def test_every_formula_that_returned_a_message_is_named_with_it(tmp_path, capsys):
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb, ws = sheet_with(TABLE)
    ws["F1"] = "=LOCALIZATION(A1:B1)"  # one row: not a table (direct)
    ws["F2"] = "=INDEX(PER_CAPITA(A1:C4,A1:A1),1,1)"  # a population of one cell (engine)
    ws["F3"] = "=LOCALIZATION(A1:C4)"  # a result, not a message
    wb.save(src)
    report = recalc(src, dst)
    assert set(report.messages) == {("S", "F1"), ("S", "F2")}
    formula, msg = report.messages[("S", "F1")]
    assert formula == "=LOCALIZATION(A1:B1)" and msg.startswith("LOCALIZATION: ")
    assert report.messages[("S", "F2")][1].startswith("PER_CAPITA: ")
    assert cli.main(["recalc", str(src), "-o", str(tmp_path / "o2.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "2 formula(s) returned a message" in out
    assert "S!F1 =LOCALIZATION(A1:B1)" in out and msg in out
    assert report.messages[("S", "F2")][1] in out


def test_long_message_is_reported_whole(tmp_path):
    """A message longer than a cell may hold (255 characters) comes back split over several rows; the
    report gives it whole, as the function raised it."""
    from xlkg.core.result import InputError
    from xlkg.excel import registry

    label = "Region " + "x" * 150  # the message names the row's label
    rows = [["Region", "S1", "S2"], [label, None, 5], ["D", 3, 4]]
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb, ws = sheet_with(rows)
    ws["F1"] = ArrayFormula("F1:F4", "=LOCALIZATION(A1:C3)")
    wb.save(src)
    with pytest.raises(InputError) as raised:
        registry.get("LOCALIZATION").func.__wrapped__([list(r) for r in rows])
    whole = f"LOCALIZATION: {raised.value}"
    assert len(whole) > 255 and len(registry.get("LOCALIZATION").func(rows)) > 1  # it is split in the cells
    report = recalc(src, dst)
    assert report.messages[("S", "F1")][1] == whole
    assert whole in "\n".join(summary_lines(report))


def test_a_result_larger_than_its_array_range_is_reported(tmp_path):
    # The 4-region rating of tests/test_recalc_arrays.py: 5 rows x 3 columns (header + 4 regions).
    rows = [["Region", "out", "wage", "loss"], ["A", 100, 10, 2], ["B", 50, 20, 4], ["C", 80, 10, 1],
            ["D", 40, 5, 8]]
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb, ws = sheet_with(rows)
    ws["H1"] = ArrayFormula("H1:J2", '=REGION_RATING(A1:D5,"+,+,-")')  # direct: 2 of 5 rows
    ws["L1"] = ArrayFormula("L1:L5", "=LOCALIZATION(A1:D5)")  # 5 x 4 result, one column shown
    ws["H10"] = ArrayFormula("H10:J14", '=REGION_RATING(A1:D5,"+,+,-")')  # fits: not reported
    wb.save(src)
    report = recalc(src, dst)
    assert set(report.cut) == {("S", "H1"), ("S", "L1")}
    assert "5 x 3" in report.cut[("S", "H1")] and "H1:J2" in report.cut[("S", "H1")]
    assert "rows 3-5" in report.cut[("S", "H1")] and "H1:J5" in report.cut[("S", "H1")]
    assert "columns 2-4" in report.cut[("S", "L1")]
    text = "\n".join(summary_lines(report))
    assert "S!H1" in text and "show only part of their result" in text


def test_a_chain_of_blocks_is_evaluated_directly_and_its_cut_reported(tmp_path):
    """CANDIDATES reading a LOCALIZATION block (a formula result) is still one xlkg call: it is evaluated
    without the engine, and a range smaller than its result is reported (issue 10.4: 2 of 14 cached)."""
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    # the toy table of tests/test_recalc.py: Ki > 1 for A/S1 (1.8), B/S2 (40/21), C/S3, D/S2, D/S3 (12/11)
    wb, ws = sheet_with(TOY_TABLE)
    ws["F1"] = ArrayFormula("F1:I5", '=LOCALIZATION(A1:D5,,,,"en")')
    ws["K1"] = ArrayFormula("K1:N2", '=CANDIDATES(F1:I5,,"en")')
    wb.save(src)
    report = recalc(src, dst)
    assert report.direct_cells == 2 and report.engine == ""
    assert set(report.cut) == {("S", "K1")}
    assert "K1:N2 holds 2 x 4" in report.cut[("S", "K1")]


@pytest.mark.skipif(__import__("xlkg.render").render.find_soffice() is None, reason="LibreOffice not installed")
def test_libreoffice_engine_computes_native_formulas_around_xlkg_results(tmp_path):
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    _book(src)
    wb = openpyxl.load_workbook(src)
    ws = wb["Res"]
    ws["E6"] = ws["E7"] = None  # xlkg calls inside native formulas need the formulas engine
    ws["E10"] = "=SUM(Data!B2:C4)"  # 10 + 30 + 6 + 40 + 6 (the text "x" is skipped)
    wb.save(src)
    report = recalc(src, dst, engine="libreoffice")
    assert report.engine == "libreoffice" and not report.notes
    got = openpyxl.load_workbook(dst, data_only=True)["Res"]
    assert [got[c].value for c in ("E1", "E2", "E3", "E4", "E9", "E10")] == [True, 0, "#N/A", False, False, 92]
    assert got["E5"].value == pytest.approx(23 / 24)
    raw = read_raw(dst, "Res", ["E3", "E8"])
    assert raw["E3"].t == "e" and raw["E8"].t == "str"
    # the formulas stay formulas; only the cached values changed
    assert openpyxl.load_workbook(dst)["Res"]["E10"].value == "=SUM(Data!B2:C4)"
    # a workbook the LibreOffice engine cannot take is computed by formulas, and the report says why
    _book(tmp_path / "nested.xlsx")
    report = recalc(tmp_path / "nested.xlsx", tmp_path / "o3.xlsx", engine="libreoffice")
    assert report.engine == "formulas" and "calls an xlkg function inside another formula" in report.notes[0]


def test_a_cut_result_of_the_engine_is_reported(tmp_path):
    """CANDIDATES over a table that native formulas compute (so the engine evaluates it), entered over
    two rows: the report says what was cut. By hand, Ki > 1 in the toy table (see above) at A/S1,
    B/S2, C/S3, D/S2, D/S3: five candidates, a header row, 4 columns (sector, rank, region, Ki)."""
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb, ws = sheet_with(TOY_TABLE)
    ws["F1"] = ArrayFormula("F1:I5", '=LOCALIZATION(A1:D5,,,,"en")')
    for r in range(1, 6):  # a native copy of the block: the engine computes it
        for c in "KLMN":
            src_col = chr(ord(c) - 5)
            ws[f"{c}{r}"] = f"={src_col}{r}"
    ws["P1"] = ArrayFormula("P1:S2", '=CANDIDATES(K1:N5,,"en")')
    wb.save(src)
    report = recalc(src, dst)
    assert report.engine == "formulas"
    assert set(report.cut) == {("S", "P1")}
    assert "the result has 6 x 4 cells" in report.cut[("S", "P1")] and "rows 3-6" in report.cut[("S", "P1")]
