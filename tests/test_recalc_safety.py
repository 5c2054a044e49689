"""`xlkg recalc` with workbooks from elsewhere (issue 11.1-11.3): another file is never opened, whole
columns and whole sheets cost what the used cells cost, a formula beyond Excel's limit is refused."""

import subprocess
import sys

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from support.workbooks import TOY_TABLE, sheet_with
from xlkg.cli import main
from xlkg.core.result import InputError
from xlkg.recalc import MAX_FORMULA_CHARS, clip_references, is_external, recalc
from xlkg.xlsx import Cached, patch_workbook, read_raw


def _with_cached(tmp_path, build, cached):
    """A workbook built by `build(wb)`, then given cached values {sheet: {cell: value}} as Excel saves them."""
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    build(wb)
    wb.save(plain)
    src = tmp_path / "book" / "in.xlsx"
    patch_workbook(plain, src, {s: {c: Cached(v) for c, v in cells.items()} for s, cells in cached.items()})
    return src


def test_external_references_keep_their_cached_values_and_no_file_is_read(tmp_path):
    # the other workbook exists next door and holds 99; the workbook cached 42 for the link
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    other = openpyxl.Workbook()
    other.active.title = "Sheet1"
    other["Sheet1"]["A1"] = 99
    other.save(secret_dir / "secret.xlsx")

    def build(wb):
        ws = wb.active
        ws.title = "S"
        ws["A1"] = "='../secret/[secret.xlsx]Sheet1'!A1"
        ws["A2"] = "=A1*2"  # a native formula reading the kept value
        ws["A3"] = "=[1]Sheet1!B2"  # a broken link: Excel showed 7 when it last had the file
        ws["A4"] = "=Secret+1"  # through a defined name
        wb.defined_names["Secret"] = DefinedName("Secret", attr_text="'../secret/[secret.xlsx]Sheet1'!$A$1")

    src = _with_cached(tmp_path, build, {"S": {"A1": 42, "A2": 0, "A3": 7, "A4": 43}})
    dst = tmp_path / "out.xlsx"
    report = recalc(src, dst)
    ws = openpyxl.load_workbook(dst, data_only=True)["S"]
    assert [ws[c].value for c in ("A1", "A2", "A3", "A4")] == [42, 84, 7, 43]
    assert set(report.not_refreshed) == {("S", "A1"), ("S", "A3"), ("S", "A4")}
    assert report.not_refreshed[("S", "A1")] == "='../secret/[secret.xlsx]Sheet1'!A1"
    assert not report.errors
    out = tmp_path / "cli.xlsx"
    assert main(["recalc", str(src), "-o", str(out)]) == 0


def test_external_reference_detection():
    assert is_external("='C:\\data\\[book.xlsx]Sheet 1'!A1+1")
    assert is_external("=SUM([2]Data!A1:B9)")
    assert is_external("=[1]!Rate*2")
    assert not is_external('="[1]Sheet1!A1"')  # text, not a reference
    assert not is_external("=SUM(Table1[Amount])+Sheet2!A1")  # a structured reference
    assert is_external("=Rate*2", {"RATE"}) and not is_external("=Rates*2", {"RATE"})


def test_clip_references_reads_the_cells_that_exist():
    ext = {"data": (10, 8), "s": (3, 3)}
    assert clip_references("=LOCALIZATION(Data!A:H)", "S", ext) == ("=LOCALIZATION(Data!A1:H10)", [("Data!A:H", "Data!A1:H10")])
    assert clip_references("=SUM(Data!A1:XFD1048576)", "S", ext)[0] == "=SUM(Data!A1:H10)"
    assert clip_references("=SUM($B:$B)", "S", ext)[0] == "=SUM(B1:B3)"
    assert clip_references("=SUM(2:3)", "S", ext)[0] == "=SUM(A2:C3)"
    assert clip_references("=SUM('Data'!C5:C2000)", "S", ext)[1] == []  # 1,996 cells: kept as typed
    assert clip_references('=A1&"B:B"', "S", ext)[1] == []
    assert clip_references("=SUM(Data!K:K)", "S", ext)[0] == "=SUM(Data!K1:K10)"  # beyond the data: one column


@pytest.fixture
def wide(tmp_path):
    """A 6 KB workbook whose formulas name whole columns and the whole sheet."""
    src = tmp_path / "wide.xlsx"
    # the toy table of tests/test_recalc.py (REAT locq2 A/S1 = 1.8, D/S3 = 12/11)
    wb, data = sheet_with(TOY_TABLE, "Data")
    res = wb.create_sheet("Res")
    res["A1"] = ArrayFormula("A1:D5", "=LOCALIZATION(Data!A1:XFD1048576)")
    res["A8"] = ArrayFormula("A8:D12", "=LOCALIZATION(Data!A:D)")
    res["F1"] = "=SUM(Data!B:B)"  # 120 + 40 + 10 + 30
    res["F2"] = ArrayFormula("F2", "=SUM(IF(ISNUMBER(Data!A1:XFD1048576),1,0))")  # 4 regions x 3 sectors: 12 numbers
    res["F3"] = "=SUM(Data!1:1)"  # the header row: no numbers
    res["F4"] = "=INDEX(LOCALIZATION(Data!A:D),2,2)"  # engine path, 1.8
    big = wb.create_sheet("Big")
    big["A1"] = ArrayFormula("A1:XFD1048576", "=SUM(Data!B2:D5)")  # entered over the whole sheet: 600
    wb.save(src)
    return src


def test_whole_columns_and_whole_sheet_cost_what_the_data_costs(wide, tmp_path):
    dst = tmp_path / "out.xlsx"
    report = recalc(wide, dst)
    ws = openpyxl.load_workbook(dst, data_only=True)["Res"]
    assert ws["B2"].value == pytest.approx(1.8) and ws["D5"].value == pytest.approx(12 / 11)
    assert ws["B9"].value == pytest.approx(1.8) and ws["D12"].value == pytest.approx(12 / 11)
    assert ws["F1"].value == 200 and ws["F2"].value == 12 and ws["F3"].value == 0
    assert ws["F4"].value == pytest.approx(1.8)
    assert not report.errors
    assert ("Res", "A8") in report.clipped and ("Res", "F2") in report.clipped
    # the engine compiled the formulas it evaluates and the 5 x 4 data cells, not a million cells
    assert report.engine_cells < 60
    # the whole-sheet array range: its cells that exist get their values, the report says so
    big = openpyxl.load_workbook(dst, data_only=True)["Big"]
    assert big["A1"].value == 600
    assert report.clipped[("Big", "A1")] == [("range A1:XFD1048576", "A1:A1")]


def test_formula_beyond_excels_limit_is_refused(tmp_path, capsys):
    src = tmp_path / "long.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = '="' + "a" * (MAX_FORMULA_CHARS - 2) + '"'  # exactly 8,192 characters after "="
    ws["B7"] = '="' + "a" * 20_000 + '"'
    wb.save(src)
    with pytest.raises(InputError, match=r"'S', cell B7: the formula has 20,002 characters; Excel's limit is 8,192"):
        recalc(src, tmp_path / "out.xlsx")
    assert main(["recalc", str(src), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "8,192" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()
    del ws["B7"]
    wb.save(src)
    recalc(src, tmp_path / "ok.xlsx")
    assert openpyxl.load_workbook(tmp_path / "ok.xlsx", data_only=True)["S"]["A1"].value == "a" * 8190
    assert read_raw(tmp_path / "ok.xlsx", "S", ["A1"])["A1"].t == "str"


def _in_fresh_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_statistics_library_is_loaded_only_when_a_formula_needs_it(tmp_path):
    src = tmp_path / "in.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in [["Region", "S1", "S2"], ["A", 10, 20], ["B", 30, 40]]:
        ws.append(row)
    ws["E1"] = ArrayFormula("E1:G3", "=LOCALIZATION(A1:C3)")
    ws["E5"] = "=SUM(B2:C3)+INDEX(B2:C3,2,1)"  # 100 + 30
    wb.save(src)
    code = ("import sys; from xlkg.recalc import recalc; r = recalc(sys.argv[1], sys.argv[2]); import openpyxl; "
            "print('scipy.stats' in sys.modules, openpyxl.load_workbook(sys.argv[2], data_only=True)['S'][sys.argv[3]].value)")
    got = _in_fresh_python(code.replace("sys.argv[1]", repr(str(src))).replace("sys.argv[2]", repr(str(tmp_path / "o.xlsx")))
                           .replace("sys.argv[3]", "'E5'"))
    assert got == ["False", "130"]
    ws["E6"] = "=AVERAGE(B2:C3)"  # 25: statistics are loaded for it
    wb.save(src)  # (a second output: recalc never replaces an existing file unless told to)
    got = _in_fresh_python(code.replace("sys.argv[1]", repr(str(src))).replace("sys.argv[2]", repr(str(tmp_path / "o2.xlsx")))
                           .replace("sys.argv[3]", "'E6'"))
    assert got == ["True", "25"]
