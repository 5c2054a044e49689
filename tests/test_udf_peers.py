"""SHIFT_SHARE and the composite-rating worksheet functions called the way Excel calls them (rows of
cells: text numbers with decimal commas, region names in two languages, a national-total row).

Numbers come from REAT's and COINr's outputs (tests/data/vectors) or from hand examples in the comments;
the computations behind them are tested in tests/test_shiftshare.py and tests/test_rating_composite.py.
"""

import csv
import math

import numpy as np
import pandas as pd
import pytest

from conftest import VECTORS
from xlkg.excel import udfs

SHIFT = VECTORS / "shiftshare_toy_6x4"
COINR = VECTORS / "coinr_rating_toy_8x5"


def sheet(path):
    """A CSV as Excel's cells: text labels, numbers as numbers, NA as an empty cell."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    out = [rows[0]]
    for r in rows[1:]:
        out.append([r[0]] + [None if c == "NA" else float(c) for c in r[1:]])
    return out


def as_frame(block):
    return pd.DataFrame([r[1:] for r in block[1:]], index=[r[0] for r in block[1:]], columns=block[0][1:])


def assert_clean(block):
    for row in block:
        assert len(row) == len(block[0])
        for c in row:
            assert c is not None and not (isinstance(c, float) and math.isnan(c))


def test_shift_share_agrees_with_reat():
    block = udfs.SHIFT_SHARE(sheet(SHIFT / "input_base.csv"), sheet(SHIFT / "input_report.csv"), lang="en")
    assert_clean(block)
    assert block[0] == ["Region", "National share", "Industry mix", "Regional shift", "Total change"]
    got = as_frame(block)
    reat = pd.read_csv(SHIFT / "REAT_shift_Dunn.csv", index_col=0)
    for ours, theirs in (("National share", "National share"), ("Industry mix", "Industrial mix"),
                         ("Total change", "Growth (t1-t)")):
        np.testing.assert_allclose(got[ours].astype(float), reat[theirs], rtol=1e-12, atol=1e-9)
    ok = reat["Regional share"].notna()
    np.testing.assert_allclose(got.loc[ok, "Regional shift"].astype(float), reat.loc[ok, "Regional share"],
                               rtol=1e-12, atol=1e-9)
    # R6 (a zero base cell): REAT NA; xlkg the finite value Net total shift - Industrial mix (vectors README)
    assert got.loc["R6", "Regional shift"] == pytest.approx(-7.27339572192513, rel=1e-12)


def test_shift_share_esteban_shows_na_for_the_zero_cell():
    block = udfs.SHIFT_SHARE(sheet(SHIFT / "input_base.csv"), sheet(SHIFT / "input_report.csv"), "esteban", lang="en")
    got = as_frame(block)
    reat = pd.read_csv(SHIFT / "REAT_shift_Esteban.csv", index_col=0)
    assert got.loc["R6", "Allocation effect"] == "#N/A" and got.loc["R6", "Regional shift"] == "#N/A"
    np.testing.assert_allclose(got.loc["R1":"R5", "Allocation effect"].astype(float),
                               reat.loc["R1":"R5", "Allocation effect"], rtol=1e-12, atol=1e-9)


def test_shift_share_from_cells_as_a_ministry_types_them():
    # Hand example of tests/test_shiftshare.py: Chui NS 6, IM 0.5, RS 5.5, total 12; Talas 14, -0.5, -5.5, 8.
    # Report year in Russian, other order, decimal commas, a national row in neither table.
    base = [["Аймак", "A", "B"], ["Чүй облусу", 10, "20"], ["Талас облусу", "30,0", 40]]
    report = [["Регион", "A", "B"], ["Таласская область", 30, "48,0"], ["Чуйская область", "12", 30]]
    block = udfs.SHIFT_SHARE(base, report, lang="ky")
    assert block[0][0] == "Аймак" and [r[0] for r in block[1:]] == ["Чүй облусу", "Талас облусу"]
    np.testing.assert_allclose(np.array([r[1:] for r in block[1:]], dtype=float),
                               [[6, 0.5, 5.5, 12], [14, -0.5, -5.5, 8]], rtol=1e-12, atol=1e-12)
    per = udfs.SHIFT_SHARE(base, report, "dunn", "industries", lang="en")
    assert per[0] == ["Region", "Sector", "National share", "Industry mix", "Regional shift", "Total change"]
    # Chui, A: NS = 10*0.2 = 2; IM = 10*(1.05-1.2) = -1.5; RS = 12 - 10.5 = 1.5; total 2
    assert per[1][:2] == ["Чүй облусу", "A"]
    np.testing.assert_allclose(per[1][2:], [2, -1.5, 1.5, 2], rtol=1e-12, atol=1e-12)


def test_shift_share_bad_input_is_one_cell_naming_it():
    base = [["Region", "A", "B"], ["Chui", 10, 20], ["Talas", 30, 40]]
    report = [["Region", "A", "C"], ["Chui", 12, 30], ["Talas", 30, 48]]
    block = udfs.SHIFT_SHARE(base, report)
    assert len(block) >= 1 and "SHIFT_SHARE" in block[0][0] and "'C'" in " ".join(r[0] for r in block)
    block = udfs.SHIFT_SHARE(base, base, "lmdi")
    assert "not a shift-share method" in " ".join(r[0] for r in block)


def test_composite_rating_agrees_with_coinr_and_flags_imputed_cells():
    ind = sheet(COINR / "input_indicators.csv")
    dirs = [["+", "+", "-", "+", "+"]]
    block = udfs.REGION_RATING_COMPOSITE(ind, dirs, None, "minmax", None, None, None, 0.2, "en")
    assert_clean(block)
    assert block[0] == ["Region", "Score", "Rank", "Imputed indicators", "Treated indicators"]
    got = as_frame(block)
    ref = pd.read_csv(COINR / "COINr_Aggregate_amean_equal.csv", index_col=0)
    np.testing.assert_allclose(got["Score"].astype(float), ref["Index"], rtol=1e-12)
    assert got["Rank"].tolist() == ref["Rank"].tolist()
    # with the indicator mean filled in for R5 (hand value in tests/test_rating_composite.py)
    got = as_frame(udfs.REGION_RATING_COMPOSITE(ind, dirs, None, "minmax", None, None, "mean", None, "en"))
    assert got.loc["R5", "Score"] == pytest.approx(0.464767328328927, rel=1e-12)
    assert got.loc["R5", "Imputed indicators"] == "Invest_pc"


def test_impute_and_treat_blocks():
    ind = sheet(COINR / "input_indicators.csv")
    got = as_frame(udfs.RATING_IMPUTE(ind, "median", "en"))
    assert got.loc["R5", "Invest_pc"] == 29.4 and got.loc["R5", "Imputed indicators"] == "Invest_pc"
    # COINr's treatment vignette: 1..10, 30, 100 -> 100 winsorised to 30 (tests/test_rating_composite.py)
    long = [["Region", "x"]] + [[f"r{i}", float(v)] for i, v in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], 1)]
    cells = udfs.RATING_TREAT(long, "winsorise", None, "cells", "en")
    assert cells == [["Region", "Indicator", "Original", "Treated", "How"], ["r12", "x", 100.0, 30.0, "winsorised"]]
    treated = udfs.RATING_TREAT(long, None, None, None, "en")
    assert treated[-1] == ["r12", 30.0]
    report = udfs.RATING_TREAT(long, "auto", 0, "report", "en")
    assert report[1][0] == "x" and report[1][4].startswith("log-transformed")


def test_uncertainty_block_is_reproducible_and_bounded():
    ind = sheet(COINR / "input_indicators.csv")
    dirs = [["+", "+", "-", "+", "+"]]
    a = udfs.REGION_RATING_UNCERTAINTY(ind, dirs, None, 400, 5, None, None, None, None, "en")
    b = udfs.REGION_RATING_UNCERTAINTY(ind, dirs, None, 400, 5, None, None, None, None, "en")
    assert a == b
    assert a[0] == ["Region", "Rank", "Median rank", "Rank, 5 %", "Rank, 95 %", "Best rank", "Worst rank",
                    "Imputed indicators", "Treated indicators"]
    got = as_frame(a).iloc[:, :6].astype(float)
    assert ((got["Best rank"] <= got["Rank, 5 %"]) & (got["Rank, 5 %"] <= got["Median rank"])
            & (got["Median rank"] <= got["Rank, 95 %"]) & (got["Rank, 95 %"] <= got["Worst rank"])).all()
    # no spread, one method: the nominal ranks are COINr's (equal weights, min-max, arithmetic mean)
    c = as_frame(udfs.REGION_RATING_UNCERTAINTY(ind, dirs, None, 20, 1, 0, "minmax", None, None, "en"))
    ref = pd.read_csv(COINR / "COINr_Aggregate_amean_equal.csv", index_col=0)["Rank"]
    assert c["Median rank"].tolist() == ref.tolist()
    bad = udfs.REGION_RATING_UNCERTAINTY(ind, dirs, None, 0)
    assert "runs" in bad[0][0]


def test_coherence_block():
    # hand example of tests/test_rating_composite.py: r(base, rev) = -1, r(base, index) = 1
    ind = [["Region", "base", "same", "rev"], ["A", 1, 3, 1], ["B", 2, 5, 2], ["C", 4, 9, 4], ["D", 8, 17, 8]]
    block = udfs.REGION_RATING_COHERENCE(ind, [["+", "+", "-"]], None, "minmax", None, None, None, "en")
    assert block[0] == ["Correlation", "base", "same", "rev", "Index"]
    assert block[1][0] == "base"
    np.testing.assert_allclose(block[1][1:], [1, 1, -1, 1], atol=1e-12)
    assert len(block) == 5  # nothing filled or treated: no line about it
    # a missing cell filled with the mean is named under the matrix
    ind[2][3] = None
    block = udfs.REGION_RATING_COHERENCE(ind, [["+", "+", "-"]], None, "minmax", None, None, "mean", "en")
    assert block[-1][:2] == ["Imputed indicators", "B: rev"] and len(block[-1]) == len(block[0])


def test_method_text_cites_the_shift_share_and_treatment_formulas():
    # a text longer than a cell holds (255 characters) continues in the rows below, the cut marked by "…"
    def text_of(block):
        return " ".join(row[0] for row in block).replace(" … ", " ")

    text = text_of(udfs.METHOD_TEXT("shift_share", "esteban", "en"))
    assert text.startswith("shift-share analysis: ") and "Esteban-Marquillas (1972)" in text
    assert "AE = sum_i (e_ij0-ê_ij)*(g_ij-g_i)" in text
    text = text_of(udfs.METHOD_TEXT("outlier_treatment", None, "ru"))
    assert text.startswith("обработка выбросов: ") and "|skew| >= 2 and kurtosis >= 3.5" in text


def test_headless_recalc_of_a_workbook_using_the_new_functions(tmp_path):
    # A workbook as a user builds it: the two years on two sheets, one array formula each; `xlkg recalc`
    # (the formulas host) writes the results, which must be REAT's (R6: the finite regional shift)
    from openpyxl import Workbook, load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    from xlkg.recalc import recalc

    wb = Workbook()
    for title, name in (("Base", "input_base.csv"), ("Report", "input_report.csv")):
        ws = wb.active if title == "Base" else wb.create_sheet()
        ws.title = title
        for row in sheet(SHIFT / name):
            ws.append(row)
    out = wb.create_sheet("Out")
    out["A1"] = ArrayFormula("A1:E7", '=SHIFT_SHARE(Base!A1:E7, Report!A1:E7, "dunn", , , "en")')
    out["A10"] = ArrayFormula("A10:I16", "=REGION_RATING_UNCERTAINTY(Base!A1:E7, , , 200, 3, , , , , \"en\")")
    wb.save(tmp_path / "in.xlsx")
    recalc(tmp_path / "in.xlsx", tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx", data_only=True)["Out"]
    got = {r[0]: r[1:5] for r in ws.iter_rows(min_row=2, max_row=7, max_col=5, values_only=True)}
    reat = pd.read_csv(SHIFT / "REAT_shift_Dunn.csv", index_col=0)
    np.testing.assert_allclose([got[r][0] for r in reat.index], reat["National share"], rtol=1e-12)
    assert got["R6"][2] == pytest.approx(-7.27339572192513, rel=1e-12)
    assert [c.value for c in ws[10]][:5] == ["Region", "Rank", "Median rank", "Rank, 5 %", "Rank, 95 %"]
    assert all(isinstance(c.value, (int, float)) for c in ws[11][1:7])
