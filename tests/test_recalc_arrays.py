"""An array formula entered over a range of another size than its result shows what Excel shows: the
top-left part of the block, #N/A beyond the result; the same on the direct path and in the engine."""

import openpyxl
import pytest
import xlsxwriter

from xlkg.recalc import recalc

# The 4-region example of tests/test_rating.py, ratio to best (formula (2)):
#   A 2/3 (rank 2), B 1.75/3 (rank 3), C 2.3/3 (rank 1), D .775/3 (rank 4)
ROWS = [["Region", "out", "wage", "loss"], ["A", 100, 10, 2], ["B", 50, 20, 4], ["C", 80, 10, 1], ["D", 40, 5, 8]]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    d = tmp_path_factory.mktemp("arrays")
    src = d / "in.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet("S")
    for i, r in enumerate(ROWS):
        ws.write_row(i, 0, r)
    formula = '=REGION_RATING(A1:D5,"+,+,-",,,,,,"en")'
    ws.write_array_formula("H1:I3", formula)  # smaller than the 5 x 3 result
    ws.write_array_formula("H6:K11", formula)  # larger
    wb.close()
    out = {}
    for direct in (True, False):
        dst = d / f"out_{direct}.xlsx"
        recalc(src, dst, direct=direct)
        out[direct] = openpyxl.load_workbook(dst, data_only=True)["S"]
    return out


@pytest.mark.parametrize("direct", [True, False])
def test_smaller_range_shows_the_top_left_part(book, direct):
    ws = book[direct]
    got = [[ws[f"{c}{r}"].value for c in "HI"] for r in (1, 2, 3)]
    assert got[0] == ["Region", "Score"]
    assert got[1][0] == "A" and got[1][1] == pytest.approx(2 / 3)
    assert got[2][0] == "B" and got[2][1] == pytest.approx(1.75 / 3)


@pytest.mark.parametrize("direct", [True, False])
def test_larger_range_shows_na_beyond_the_result(book, direct):
    ws = book[direct]
    assert [ws[f"{c}6"].value for c in "HIJK"] == ["Region", "Score", "Rank", "#N/A"]
    assert [ws[f"{c}8"].value for c in "HJ"] == ["B", 3]
    assert [ws[f"{c}11"].value for c in "HIJK"] == ["#N/A"] * 4
