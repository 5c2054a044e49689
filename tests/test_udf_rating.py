"""The rating's worksheet functions called the way Excel calls them (rows of cells: text numbers with
decimal commas, blanks, a national-total row, region names in Kyrgyz, Russian and English).

The worked example is the 4-region example of tests/test_rating.py, with real region names:

    region                     out (+)   wage (+)   loss (-)
    A  Чүй облусу (ky)           100        10          2
    B  Ошская область (ru)        50        20          4
    C  Naryn (en)                 80        10          1
    D  Баткен облусу (ky)         40         5          8

Hand computation (tests/test_rating.py gives each step):
    ratio to best  b = x/max (+), min/x (-):
        out /100:  A 1    B .5    C .8   D .4
        wage /20:  A .5   B 1     C .5   D .25
        loss 1/x:  A .5   B .25   C 1    D .125
        R = mean:  A 2/3, B 1.75/3, C 2.3/3, D .775/3        -> C 1, A 2, B 3, D 4
    min-max        A 46/63, B 73/126, C 2/3, D 0              -> A 1, C 2, B 3, D 4
    sum of places  places out A1 C2 B3 D4; wage B1 A2 C2 D4; loss C1 A2 B3 D4
                   sums A 5, B 7, C 5, D 12 (lower is better) -> A 1, C 1, B 3, D 4
"""

import math

import pytest

from xlkg.core import rating
from xlkg.excel import udfs

REGIONS = ["Чүй облусу", "Ошская область", "Naryn", "Баткен облусу"]


def rows_ex():
    """The example as Excel hands it over: text numbers with decimal commas, a blank row, a blank
    trailing column, and the national-total row (column sums) under the regions."""
    return [
        ["Регион", "out", "wage", "loss", None],
        ["Чүй облусу", "100,0", 10, "2", None],
        ["Ошская область", 50.0, "20,0", 4, None],
        ["Naryn", "80", 10.0, "1,0", None],
        ["Баткен облусу", 40, "5", "8,0", None],
        [None, None, None, None, None],
        ["Кыргыз Республикасы", "270,0", 45, 15, None],
    ]


DIRS = [["+", "+", "-"]]


def cells_of(block):
    return [c for row in block for c in row]


def assert_clean(block):
    """Every cell is a number, a bool or a text: never None or NaN."""
    for c in cells_of(block):
        assert c is not None
        assert not (isinstance(c, float) and math.isnan(c))


# ---------------------------------------------------------------------------------------------------
# REGION_RATING


def test_region_rating_three_methods_give_the_hand_ranks():
    ratio = udfs.REGION_RATING(rows_ex(), DIRS)
    assert ratio[0] == ["Регион", "Балл", "Место"]
    assert [r[0] for r in ratio[1:]] == REGIONS  # input order kept, national row left out
    assert [r[1] for r in ratio[1:]] == pytest.approx([2 / 3, 1.75 / 3, 2.3 / 3, 0.775 / 3])
    assert [r[2] for r in ratio[1:]] == [2, 3, 1, 4]
    minmax = udfs.REGION_RATING(rows_ex(), DIRS, None, "minmax")
    assert [r[1] for r in minmax[1:]] == pytest.approx([46 / 63, 73 / 126, 2 / 3, 0.0])
    assert [r[2] for r in minmax[1:]] == [1, 3, 2, 4]
    places = udfs.REGION_RATING(rows_ex(), DIRS, None, "rank", None, None, None, "en")
    assert places[0] == ["Region", "Score", "Rank"]
    assert [r[1:] for r in places[1:]] == [[5, 1], [7, 3], [5, 1], [12, 4]]
    assert_clean(ratio), assert_clean(minmax), assert_clean(places)


def test_region_rating_min_coverage_argument():
    # Баткен (D) has only 'out' (wage "н/д", loss "-"): 1 of 3 indicators.
    # Other columns: wage max 20 (A 10, B 20, C 10) -> A .5, B 1, C .5; loss min 1 -> A .5, B .25, C 1.
    # default min_coverage 0.5 needs ceil(1.5) = 2 indicators: D has no score -> "#N/A";
    #   A 2/3, B 1.75/3, C 2.3/3 -> C 1, A 2, B 3
    # min_coverage 0.3 needs ceil(0.9) = 1: D = out/max = 40/100 = .4 -> C 1, A 2, B 3, D 4
    rows = rows_ex()[:5]
    rows[4] = ["Баткен облусу", 40, "н/д", "-", None]
    default = udfs.REGION_RATING(rows, DIRS)
    assert default[4] == ["Баткен облусу", "#N/A", "#N/A"]
    assert [r[2] for r in default[1:4]] == [2, 3, 1]
    low = udfs.REGION_RATING(rows, DIRS, None, None, None, "0,3")
    assert [r[1] for r in low[1:]] == pytest.approx([2 / 3, 1.75 / 3, 2.3 / 3, 0.4])
    assert [r[2] for r in low[1:]] == [2, 3, 1, 4]


def test_region_rating_reference_region_in_another_language():
    # distance to region B (the table says "Ошская область", the argument "Osh oblast"):
    # b = x/50, x/20, 4/x;  D = sqrt(sum (1-b)^2)
    #   A (2, .5, 2) -> 1 + .25 + 1 = 2.25 -> 1.5;  B -> 0;  C (1.6, .5, 4) -> .36 + .25 + 9 -> 3.1;
    #   D (.8, .25, .5) -> .04 + .5625 + .25 = .8525;  lower is better: B 1, D 2, A 3, C 4
    block = udfs.REGION_RATING(rows_ex(), DIRS, None, "distance", None, None, "Osh oblast", "en")
    assert [r[1] for r in block[1:]] == pytest.approx([1.5, 0.0, 3.1, math.sqrt(0.8525)])
    assert [r[2] for r in block[1:]] == [3, 1, 4, 2]
    # a reference with another method is refused, naming the argument
    msg = udfs.REGION_RATING(rows_ex(), DIRS, None, "ratio", None, None, "Osh oblast")
    assert len(msg) == 1 and len(msg[0]) == 1 and "reference" in msg[0][0]


# ---------------------------------------------------------------------------------------------------
# REGION_RATING_SCORES


def test_scores_ratio_and_places_per_indicator():
    block = udfs.REGION_RATING_SCORES(rows_ex(), DIRS, None, None, "en")
    assert block[0] == ["Score (ratio)", "out", "wage", "loss"]
    assert [r[0] for r in block[1:]] == REGIONS
    assert [r[1:] for r in block[1:]] == [pytest.approx(v) for v in (
        [1, 0.5, 0.5], [0.5, 1, 0.25], [0.8, 0.5, 1], [0.4, 0.25, 0.125])]
    places = udfs.REGION_RATING_SCORES(rows_ex(), DIRS, "sum of places", None, "ky")
    assert places[0][0] == "Упай (rank)"
    # out A1 C2 B3 D4; wage B1 A2 C2 D4 (tie: RANK.EQ); loss C1 A2 B3 D4
    assert [r[1:] for r in places[1:]] == [[1, 2, 2], [3, 1, 3], [2, 2, 1], [4, 4, 4]]
    assert_clean(block)


def test_scores_missing_cell_is_na_not_blank():
    rows = rows_ex()[:5]
    rows[2] = ["Ошская область", 50.0, "…", 4, None]
    block = udfs.REGION_RATING_SCORES(rows, DIRS)
    assert block[2][2] == "#N/A"
    # wage max is still 10 -> A 1, C 1, D .5
    assert [block[i][2] for i in (1, 3, 4)] == pytest.approx([1.0, 1.0, 0.5])


# ---------------------------------------------------------------------------------------------------
# REGION_RATING_YEARS
#
# The worked example of tests/test_rating_years.py (ratio to best, formula (2)):
#     2015     P (+)   Q (-)          2016     P (+)   Q (-)
#     A         10       1            A         30       2
#     B         20       2            B         20       1
#     C          5       4            C         10       4
#     2015: R A .75, B .75, C .25 -> A 1, B 1, C 3;   2016: R A .75, B 5/6, C 7/24 -> B 1, A 2, C 3
#     mean of yearly scores A .75, B 19/24, C 13/48 -> B 1, A 2, C 3
#     period means P 20, 20, 7.5; Q 1.5, 1.5, 4 -> R A 1, B 1, C .375 -> A 1, B 1, C 3
#     rank change (2015 - 2016): A -1, B 0, C 0


def long_rows():
    # A = Талас (ky in 2015, ru in 2016), B = Бишкек, C = Osh city (en); years as numbers and text;
    # national-total rows and a blank row are in the range too.
    return [
        ["Аймак", "Жыл", "P", "Q"],
        ["Талас облусу", 2015, "10", "1,0"],
        ["Бишкек ш.", 2015, 20, 2],
        ["Osh city", 2015, "5,0", 4],
        ["Кыргыз Республикасы", 2015, 35, 7],
        [None, None, None, None],
        ["Таласская область", "2016", "30", 2],
        ["г. Бишкек", 2016, "20,0", "1"],
        ["Osh city", 2016, 10, "4"],
        ["Кыргыз Республикасы", 2016, 60, 7],
    ]


def test_years_all_view_gives_the_hand_example():
    block = udfs.REGION_RATING_YEARS(long_rows(), [["+", "-"]], None, None, None, None, None, "en")
    assert block[0] == ["Region", "Score 2015", "Score 2016", "Rank 2015", "Rank 2016", "Mean score",
                        "Rank of mean score", "Period score", "Period rank", "Rank change"]
    assert [r[0] for r in block[1:]] == ["Талас облусу", "Бишкек ш.", "Osh city"]
    expect = [[0.75, 0.75, 1, 2, 0.75, 2, 1.0, 1, -1],
              [0.75, 5 / 6, 1, 1, 19 / 24, 1, 1.0, 1, 0],
              [0.25, 7 / 24, 3, 3, 13 / 48, 3, 0.375, 3, 0]]
    for row, want in zip(block[1:], expect, strict=True):
        assert row[1:] == pytest.approx(want)
    assert_clean(block)


def test_years_ranks_and_scores_views():
    ranks = udfs.REGION_RATING_YEARS(long_rows(), [["+", "-"]], None, None, None, None, "ranks", "ru")
    assert ranks[0] == ["Регион", "Место 2015", "Место 2016"]
    assert [r[1:] for r in ranks[1:]] == [[1, 2], [1, 1], [3, 3]]
    scores = udfs.REGION_RATING_YEARS(long_rows(), [["+", "-"]], None, None, None, None, "scores", "ky")
    assert scores[0] == ["Аймак", "Упай 2015", "Упай 2016"]
    assert [r[1:] for r in scores[1:]] == [pytest.approx(v) for v in ([0.75, 0.75], [0.75, 5 / 6], [0.25, 7 / 24])]


def test_years_four_region_example_with_minmax_in_both_years():
    # the 4-region example in 2018 and 2019 (same numbers, names in ky then en): min-max gives
    # A 1, C 2, B 3, D 4 in both years (hand computation in the module docstring)
    ex = rows_ex()[1:5]
    en = {"Чүй облусу": "Chui", "Ошская область": "Osh oblast", "Naryn": "Нарын облусу",
          "Баткен облусу": "Batken"}
    rows = [["region", "year", "out", "wage", "loss"]]
    rows += [[r[0], 2018] + r[1:4] for r in ex] + [[en[r[0]], 2019] + r[1:4] for r in ex]
    block = udfs.REGION_RATING_YEARS(rows, DIRS, None, "minmax", None, None, "ranks")
    assert [r[0] for r in block[1:]] == REGIONS
    assert [r[1:] for r in block[1:]] == [[1, 1], [3, 3], [2, 2], [4, 4]]


# ---------------------------------------------------------------------------------------------------
# REGION_RATING_SENSITIVITY
#
# Ranks of the example under each combination (tests/test_rating_sensitivity.py works them out):
#   ratio/mean C1 A2 B3 D4; ratio/geometric same; minmax/mean and /geometric A1 C2 B3 D4;
#   zscore/mean A1 C2 B3 D4; rank/mean A1 C1 B3 D4; distance/mean C1 A2 B3 D4.
#   So A and C move between rank 1 and 2; B is always 3, D always 4.
#   Spearman ratio/mean vs minmax/mean: d = 1, 0, 1, 0 -> 1 - 6*2/(4*15) = 0.8


def test_sensitivity_summary():
    block = udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, None, None, None, None, "en")
    assert block[0] == ["Region", "Rank", "Best rank", "Worst rank", "Rank range", "Best with", "Worst with"]
    assert [r[0] for r in block[1:]] == REGIONS
    assert [r[1:5] for r in block[1:]] == [[2, 1, 2, 1], [3, 3, 3, 0], [1, 1, 2, 1], [4, 4, 4, 0]]
    assert block[1][5:] == ["minmax/mean", "ratio/mean"]  # A: 1st by min-max, 2nd by ratio to best
    assert_clean(block)


def test_sensitivity_ranks_and_correlation_views():
    ranks = udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, None, None, "ranks", None, "en")
    assert ranks[0] == ["Region", "ratio/mean", "ratio/geometric", "minmax/mean", "minmax/geometric",
                        "zscore/mean", "rank/mean", "distance/mean"]
    assert [r[6] for r in ranks[1:]] == [1, 3, 1, 4]  # rank/mean
    corr = udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, None, "ratio; minmax", "correlation")
    assert corr[0] == ["Корреляция Спирмена", "ratio/mean", "ratio/geometric", "minmax/mean", "minmax/geometric"]
    assert corr[1][3] == pytest.approx(0.8)
    assert corr[1][1] == pytest.approx(1.0)


def test_sensitivity_drop_one_and_methods_as_cells():
    # ratio/mean without loss: out A 1, B .5, C .8, D .4; wage A .5, B 1, C .5, D .25
    #   A .75, B .75, C .65, D .325 -> A 1, B 1, C 3, D 4: B reaches rank 1, C falls to 3
    block = udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, True, [["ratio"]], "ranks", None, "en")
    head = block[0]
    col = head.index("ratio/mean without loss")
    assert [r[col] for r in block[1:]] == [1, 1, 3, 4]
    summary = udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, "TRUE", "ratio", None, None, "en")
    assert summary[2][2] == 1  # B's best rank
    assert summary[3][3] == 3  # C's worst rank


# ---------------------------------------------------------------------------------------------------
# RATING_INDICATORS


def test_rating_indicators_lists_the_suggested_set_in_each_language():
    # the package data file xlkg/data/rating_indicators.csv, read here without xlkg
    import csv
    from pathlib import Path

    with open(Path(__file__).resolve().parents[1] / "xlkg" / "data" / "rating_indicators.csv", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert len(table) > 0
    for lang in ("ky", "ru", "en"):
        block = udfs.RATING_INDICATORS(lang)
        assert len(block) == len(table) + 1
        for row, rec in zip(block[1:], table, strict=True):
            assert row == [rec["key"], rating.GROUPS[rec["group"]][lang], rec[lang], rec["unit"], rec["direction"],
                           rec["note"]]
        assert {r[4] for r in block[1:]} <= {"+", "-"}
        assert_clean(block)
    assert udfs.RATING_INDICATORS("en")[0] == ["Key", "Group", "Indicator", "Unit", "Direction", "Note"]
    assert udfs.RATING_INDICATORS()[0][1] == "Группа"


# ---------------------------------------------------------------------------------------------------
# bad input: one cell with a message naming the argument


def one_message(block, *words):
    assert len(block) == 1 and len(block[0]) == 1, block
    text = block[0][0]
    assert isinstance(text, str)
    for w in words:
        assert w in text, (w, text)
    return text


def test_bad_directions_are_named():
    bad = [["+", "?", "-"]]
    one_message(udfs.REGION_RATING(rows_ex(), bad), "REGION_RATING", "directions", "position 2", "'wage'")
    one_message(udfs.REGION_RATING_SCORES(rows_ex(), bad), "directions", "'wage'")
    one_message(udfs.REGION_RATING_SENSITIVITY(rows_ex(), bad), "directions", "'wage'")
    one_message(udfs.REGION_RATING_YEARS(long_rows(), [["+", "up"]]), "directions", "'Q'")


def test_weights_that_do_not_match_the_indicators():
    one_message(udfs.REGION_RATING(rows_ex(), DIRS, [[1, 2]]), "weights", "2 weight(s)", "3 indicator(s)")
    one_message(udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, [[1, 1, 1, 1]]), "weights", "4 weight(s)")
    one_message(udfs.REGION_RATING_YEARS(long_rows(), [["+", "-"]], [["1"]]), "weights", "1 weight(s)")
    one_message(udfs.REGION_RATING(rows_ex(), DIRS, [["1", "x", "1"]]), "weights, position 2")


def test_a_single_region_is_refused():
    rows = rows_ex()[:2] + [["Кыргыз Республикасы", 100, 10, 2, None]]
    for block in (udfs.REGION_RATING(rows), udfs.REGION_RATING_SCORES(rows),
                  udfs.REGION_RATING_SENSITIVITY(rows)):
        one_message(block, "indicators", "at least 2 regions")
    long = [["region", "year", "P"], ["Talas", 2015, 1], ["Talas", 2016, 2]]
    one_message(udfs.REGION_RATING_YEARS(long), "data", "at least 2 regions")


def test_other_bad_arguments_are_named():
    one_message(udfs.REGION_RATING(rows_ex(), DIRS, None, "best-of"), "method", "'best-of'")
    one_message(udfs.REGION_RATING(rows_ex(), DIRS, None, None, None, 1.5), "min_coverage")
    one_message(udfs.REGION_RATING(rows_ex(), DIRS, None, None, None, None, "Tokyo", None), "reference")
    one_message(udfs.REGION_RATING(rows_ex(), DIRS, None, "distance", None, None, "Tokyo"), "reference", "Tokyo")
    one_message(udfs.REGION_RATING_YEARS(long_rows(), None, None, None, None, None, "table"), "view")
    one_message(udfs.REGION_RATING_YEARS([["Регион", "P"], ["A", 1], ["B", 2]]), "data", "year")
    one_message(udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, "maybe"), "drop_one")
    one_message(udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, None, "ratio,foo"), "methods", "'foo'")
    one_message(udfs.REGION_RATING_SENSITIVITY(rows_ex(), DIRS, None, None, None, "all"), "view")
    one_message(udfs.RATING_INDICATORS("de"), "lang")


def test_directions_typed_as_one_text_in_the_formula():
    # =REGION_RATING(A1:D7, "+,+,-") arrives as one cell (a 1 x 1 range in every host); ratio ranks C 1, A 2, B 3, D 4
    for typed in ([["+,+,-"]], "+; +; −", [["+,+,-"]]):
        block = udfs.REGION_RATING(rows_ex(), typed)
        assert [r[2] for r in block[1:]] == [2, 3, 1, 4]
    one_message(udfs.REGION_RATING(rows_ex(), [["+,+"]]), "directions", "2 direction(s)")
    scores = udfs.REGION_RATING_SCORES(rows_ex(), "+,+,-")
    assert scores[4][3] == pytest.approx(0.125)  # D's loss: min/x = 1/8
