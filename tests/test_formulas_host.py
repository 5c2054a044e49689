"""The `formulas` adapter (xlkg.excel.formulas_host): its short way for INDEX gives what formulas' own
INDEX gives, and the function table gives every name the same function as formulas' own table."""

import subprocess
import sys

import openpyxl
import pytest

from support.workbooks import sheet_with
from xlkg.recalc import recalc

# A 3 x 3 table; the expected values by hand (Excel's INDEX: row, column from 1; a blank shows 0).
TABLE = [[1, 2, 3], [4, None, 6], [7, 8, "t"]]
CASES = {
    "=INDEX(A1:C3,2,3)": 6,
    "=INDEX($A$1:$C$3,3,3)": "t",
    "=INDEX(A1:C3,2,2)": 0,  # the blank cell
    "=INDEX(A1:C3,2.7,1.2)": 4,  # positions are truncated
    '=INDEX(A1:C3,"2",1)': 4,  # a position given as text
    "=INDEX(A1:C3,4,1)": "#REF!",  # beyond the range: formulas' own INDEX answers
    "=INDEX(A1:C3,1,-1)": "#VALUE!",
    "=SUM(INDEX(A1:C3,1,1):INDEX(A1:C3,2,2))": 7,  # INDEX as a reference: 1 + 2 + 4 + blank
    "=INDEX((A1:A3,C1:C3),2,1,2)": 6,  # the second area
}


def test_index_short_way_gives_excels_values(tmp_path):
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb, ws = sheet_with(TABLE)
    cells = {}
    for i, formula in enumerate(CASES, start=1):
        ws[f"E{i}"] = formula
        cells[f"E{i}"] = CASES[formula]
    wb.save(src)
    recalc(src, dst)
    got = openpyxl.load_workbook(dst, data_only=True)["S"]
    assert {c: got[c].value for c in cells} == pytest.approx(cells)


def test_function_table_matches_formulas_own():
    code = """
import formulas.functions as ff
full = {k: v for k, v in ff.get_functions.__wrapped__().items()}
from xlkg.excel import formulas_host
table = formulas_host.function_table()
cheap = dict(table)
assert not table.complete and 'AVERAGE' not in cheap and 'SUM' in cheap
assert all(full[k] is v for k, v in cheap.items()), "a cheap module's name differs"
assert 'AVERAGE' in table and table.complete
assert ff.get_functions() is table
assert all(table[k] is v for k, v in full.items())
print('ok')
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_a_range_of_constants_enters_the_engine_as_one_node_with_the_same_values(tmp_path):
    from xlkg.xlsx import patch_workbook

    plain, src, dst = tmp_path / "plain.xlsx", tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    data["A1"], data["A4"], data["A5"] = 1, "t", 2.5  # A2: an error cell (below), A3 blank
    res = wb.create_sheet("Res")
    res["A1"] = "=COUNTBLANK(Data!A1:A5)"  # A3: 1
    res["A2"] = "=COUNTA(Data!A1:A5)"  # 1, #N/A, "t", 2.5: 4
    res["A3"] = "=ISNA(INDEX(Data!A1:A5,2,1))"  # TRUE
    res["A4"] = "=SUM(Data!A1:A5)"  # an error in the range: #N/A
    res["A5"] = "=SUMIF(Data!A1:A5,\">0\")"  # 1 + 2.5
    wb.save(plain)
    patch_workbook(plain, src, {"Data": {"A2": "#N/A"}})
    report = recalc(src, dst)
    got = openpyxl.load_workbook(dst, data_only=True)["Res"]
    assert [got[f"A{i}"].value for i in range(1, 6)] == [1, 4, True, "#N/A", 3.5]
    assert report.engine_cells == 6  # five formulas and one node for Data!A1:A5
