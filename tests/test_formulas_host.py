"""The `formulas` adapter (xlkg.excel.formulas_host): its short way for INDEX gives what formulas' own
INDEX gives, and the function table gives every name the same function as formulas' own table."""

import subprocess
import sys

import openpyxl
import pytest

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
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in TABLE:
        ws.append(row)
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
