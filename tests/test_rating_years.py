"""Rating over several years and over the period: a worked example computed by hand.

    2015     P (+)   Q (-)          2016     P (+)   Q (-)
    A         10       1            A         30       2
    B         20       2            B         20       1
    C          5       4            C         10       4

Ratio to best, arithmetic mean (formula (2)):
    2015: P/20 = A .5, B 1, C .25;  Q 1/x = A 1, B .5, C .25
          R: A .75, B .75, C .25              -> ranks A 1, B 1 (tie), C 3
    2016: P/30 = A 1, B 2/3, C 1/3;  Q 1/x = A .5, B 1, C .25
          R: A .75, B 5/6, C 7/24             -> ranks B 1, A 2, C 3
    mean of yearly scores: A .75, B (3/4 + 5/6)/2 = 19/24, C (1/4 + 7/24)/2 = 13/48 -> B 1, A 2, C 3
    period means: P A 20, B 20, C 7.5;  Q A 1.5, B 1.5, C 4
          ratio: P/20 = 1, 1, .375;  Q 1.5/x = 1, 1, .375 -> R: A 1, B 1, C .375 -> A 1, B 1, C 3
    rank change (2015 rank - 2016 rank): A 1 - 2 = -1 (moved down), B 0, C 0
"""

import math

import numpy as np
import pandas as pd
import pytest

from xlkg.core.rating import rate_years
from xlkg.core.result import InputError

Y2015 = pd.DataFrame({"P": [10.0, 20.0, 5.0], "Q": [1.0, 2.0, 4.0]}, index=["A", "B", "C"])
Y2016 = pd.DataFrame({"P": [30.0, 20.0, 10.0], "Q": [2.0, 1.0, 4.0]}, index=["A", "B", "C"])
DIRS = ["+", "-"]

COLUMNS = ["score 2015", "score 2016", "rank 2015", "rank 2016", "mean score", "rank of mean score",
           "period score", "period rank", "rank change"]


def check_worked_example(v):
    assert list(v.columns) == COLUMNS
    assert list(v.index) == ["A", "B", "C"]
    assert v["score 2015"].tolist() == pytest.approx([0.75, 0.75, 0.25])
    assert v["score 2016"].tolist() == pytest.approx([0.75, 5 / 6, 7 / 24])
    assert v["rank 2015"].tolist() == [1, 1, 3]
    assert v["rank 2016"].tolist() == [2, 1, 3]
    assert v["mean score"].tolist() == pytest.approx([0.75, 19 / 24, 13 / 48])
    assert v["rank of mean score"].tolist() == [2, 1, 3]
    assert v["period score"].tolist() == pytest.approx([1.0, 1.0, 0.375])
    assert v["period rank"].tolist() == [1, 1, 3]
    assert v["rank change"].tolist() == [-1, 0, 0]


def test_years_from_a_mapping():
    r = rate_years({2016: Y2016, 2015: Y2015}, DIRS)  # years are put in order
    check_worked_example(r.values)
    assert "2015, 2016" in r.method and "formula (2)" in r.method


def test_years_from_a_long_table():
    long = pd.concat([Y2015.assign(year=2015), Y2016.assign(year=2016)]).rename_axis("region").reset_index()
    check_worked_example(rate_years(long, DIRS).values)


def test_years_from_region_year_indicator_value():
    rows = []
    for y, f in ((2015, Y2015), (2016, Y2016)):
        for reg in f.index:
            for ind in f.columns:
                rows.append({"Region": reg, "Year": y, "indicator": ind, "value": f.loc[reg, ind]})
    check_worked_example(rate_years(pd.DataFrame(rows), DIRS).values)


def test_region_missing_in_one_year():
    # C has no data in 2016: no 2016 score or rank; mean of yearly scores over its 1 year of 2
    # (1 >= ceil(0.5 * 2)): .25.  2016 without C: P/30 = A 1, B 2/3; Q 1/x = A .5, B 1
    #   -> A .75, B 5/6 (as before).  Period means: C P 5, Q 4 (its only year); A 20/1.5, B 20/1.5
    #   -> C: 5/20 = .25 and 1.5/4 = .375 -> .3125
    y16 = Y2016.drop(index="C")
    v = rate_years({2015: Y2015, 2016: y16}, DIRS).values
    assert math.isnan(v.loc["C", "score 2016"]) and math.isnan(v.loc["C", "rank 2016"])
    assert v.loc["C", "mean score"] == pytest.approx(0.25)
    assert v.loc["C", "period score"] == pytest.approx(0.3125)
    assert math.isnan(v.loc["C", "rank change"])
    r = rate_years({2015: Y2015, 2016: y16}, DIRS)
    assert "0 of 2" in r.reason_at("C", "score 2016")
    assert "no rank in 2015 or in 2016" in r.reason_at("C", "rank change")


def test_years_must_share_indicators():
    with pytest.raises(InputError, match=r"year 2016 lacks indicator 'Q'"):
        rate_years({2015: Y2015, 2016: Y2016[["P"]]}, DIRS)


def test_long_table_needs_region_and_year():
    with pytest.raises(InputError, match=r"needs a 'region' column and a 'year' column.*found columns 'P', 'Q'"):
        rate_years(Y2015, DIRS)


def test_duplicate_region_in_a_year():
    long = pd.concat([Y2015.assign(year=2015), Y2015.iloc[[0]].assign(year=2015)]).rename_axis("region").reset_index()
    with pytest.raises(InputError, match=r"region 'A' appears more than once in year 2015"):
        rate_years(long, DIRS)


def test_years_with_sum_of_places():
    # 2015 places: P B 1, A 2, C 3; Q A 1, B 2, C 3 -> sums A 3, B 3, C 6 -> A 1, B 1, C 3
    # 2016 places: P A 1, B 2, C 3; Q B 1, A 2, C 3 -> sums A 3, B 3, C 6 -> A 1, B 1, C 3
    # mean sums: 3, 3, 6 -> ranks 1, 1, 3 (smaller is better)
    v = rate_years({2015: Y2015, 2016: Y2016}, DIRS, method="rank").values
    assert v["score 2015"].tolist() == [3, 3, 6]
    assert v["rank 2016"].tolist() == [1, 1, 3]
    assert v["rank of mean score"].tolist() == [1, 1, 3]
    assert np.array_equal(v["rank change"].to_numpy(), [0, 0, 0])


def test_region_names_in_different_languages_are_matched_across_years():
    # 2015 in Kyrgyz, 2016 in Russian: the same worked example with A = Чүй, B = Талас, C = Нарын
    ky = ["Чүй облусу", "Талас облусу", "Нарын облусу"]
    ru = ["Чуйская область", "Таласская область", "Нарынская область"]
    r = rate_years({2015: Y2015.set_axis(ky), 2016: Y2016.set_axis(ru)}, DIRS)
    assert list(r.values.index) == ky
    check_worked_example(r.values.set_axis(["A", "B", "C"]))


def test_two_names_of_one_region_in_one_table():
    from xlkg.core.rating import rate

    x = Y2015.set_axis(["Чүй облусу", "Chui oblast", "Нарын облусу"])
    with pytest.raises(InputError, match=r"'Чүй облусу' and 'Chui oblast' name the same region"):
        rate(x, DIRS)


def test_long_table_from_cells_with_ministry_habits():
    # header in Russian, years as text, decimal commas, "н/д": the same worked example as above
    from xlkg.core.rating import long_table_from_rows

    rows = [["Регион", "Год", "P", "Q"],
            ["A", "2015", "10,0", 1], ["B", 2015.0, 20, 2], ["C", 2015, 5, "4"],
            ["A", 2016, 30, 2], ["B", 2016, 20, 1], ["C", 2016, "10", "4,0"],
            [None, None, None, None]]
    check_worked_example(rate_years(long_table_from_rows(rows), DIRS).values)
    rows[3][3] = "н/д"  # C, 2015, Q missing: 1 of 2 indicators is still enough (min_coverage 0.5)
    v = rate_years(long_table_from_rows(rows), DIRS).values
    assert v.loc["C", "score 2015"] == pytest.approx(0.25)  # P only: 5/20
    with pytest.raises(InputError, match=r"row 3, year column: 'two thousand' is not a year"):
        rate_years(long_table_from_rows([rows[0], rows[1], ["B", "two thousand", 1, 2]]), DIRS)
    with pytest.raises(InputError, match=r"needs one region column.*found 'Регион', 'P', 'Q'"):
        long_table_from_rows([["Регион", "P", "Q"], ["A", 1, 2]])
