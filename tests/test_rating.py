"""Integral regional rating: every number here is a worked example computed by hand in the comments.

The main example (EX) has 4 regions and 3 indicators, one of them "less is better":

    region   out (+)   wage (+)   loss (-)
    A          100        10          2
    B           50        20          4
    C           80        10          1
    D           40         5          8
"""

import math

import numpy as np
import pandas as pd
import pytest

from support.rating_example import DIRS, EX
from xlkg.core.rating import (
    aggregate,
    normalise,
    parse_directions,
    parse_weights,
    rank_eq,
    rate,
)
from xlkg.core.result import InputError


def scores(result):
    return result.values["score"].tolist()


def ranks(result):
    return result.values["rank"].tolist()


# ---------------------------------------------------------------------------------------------------
# ratio to best (seed formula (2), default)


def test_ratio_mean_formula_2_with_less_is_better():
    # b = x/max for +, min/x for -:
    #   out  / 100:  A 1     B 0.5   C 0.8   D 0.4
    #   wage / 20:   A 0.5   B 1     C 0.5   D 0.25
    #   loss 1/x:    A 0.5   B 0.25  C 1     D 0.125
    # R = mean:      A 2/3   B 1.75/3  C 2.3/3   D 0.775/3
    # ranks (higher better): C 1, A 2, B 3, D 4
    r = rate(EX, DIRS)
    assert scores(r) == pytest.approx([2 / 3, 1.75 / 3, 2.3 / 3, 0.775 / 3])
    assert ranks(r) == [2, 3, 1, 4]
    assert list(r.values.columns) == ["score", "rank"]
    assert list(r.values.index) == ["A", "B", "C", "D"]
    assert "formula (2)" in r.method and "x/max" in r.method and "reconstruct" in r.method


def test_ratio_normalise_values():
    b = normalise(EX, DIRS).values
    assert b["out"].tolist() == pytest.approx([1, 0.5, 0.8, 0.4])
    assert b["loss"].tolist() == pytest.approx([0.5, 0.25, 1, 0.125])


def test_directions_default_all_more_is_better():
    # loss taken as "+": loss/8 = A 0.25, B 0.5, C 0.125, D 1
    # A (1 + .5 + .25)/3 = 1.75/3; B (.5 + 1 + .5)/3 = 2/3; C (.8 + .5 + .125)/3 = 1.425/3;
    # D (.4 + .25 + 1)/3 = 1.65/3 -> B 1, A 2, D 3, C 4
    r = rate(EX)
    assert scores(r) == pytest.approx([1.75 / 3, 2 / 3, 1.425 / 3, 1.65 / 3])
    assert ranks(r) == [2, 1, 4, 3]


def test_ratio_geometric():
    # ratio scores as above; R = (prod b)^(1/3):
    #   A (1*.5*.5)^(1/3) = .25^(1/3);  B (.5*1*.25) = .125 -> 0.5;  C (.8*.5*1) = .4^(1/3);
    #   D (.4*.25*.125) = .0125^(1/3)
    # .25^(1/3) = .630, .4^(1/3) = .737, .0125^(1/3) = .232 -> C 1, A 2, B 3, D 4
    r = rate(EX, DIRS, aggregation="geometric")
    assert scores(r) == pytest.approx([0.25 ** (1 / 3), 0.5, 0.4 ** (1 / 3), 0.0125 ** (1 / 3)])
    assert ranks(r) == [2, 3, 1, 4]


def test_geometric_ties_where_arithmetic_does_not():
    # p(+) 4,1,3 -> b 1, .25, .75;  q(+) 1,4,3 -> b .25, 1, .75
    # geometric: A sqrt(.25) = .5, B .5, C .75 -> C 1, A 2, B 2 (tie, RANK.EQ)
    x = pd.DataFrame({"p": [4, 1, 3], "q": [1, 4, 3]}, index=["A", "B", "C"])
    r = rate(x, aggregation="geometric")
    assert scores(r) == pytest.approx([0.5, 0.5, 0.75])
    assert ranks(r) == [2, 2, 1]


def test_ratio_weighted():
    # weights 1,1,2 -> .25,.25,.5
    #   A .25*1 + .25*.5 + .5*.5 = .625;  B .125 + .25 + .125 = .5;  C .2 + .125 + .5 = .825;
    #   D .1 + .0625 + .0625 = .225  -> C 1, A 2, B 3, D 4
    r = rate(EX, DIRS, [1, 1, 2])
    assert scores(r) == pytest.approx([0.625, 0.5, 0.825, 0.225])
    assert ranks(r) == [2, 3, 1, 4]
    assert "weighted" in r.method
    # by label, in any order, the same
    r2 = rate(EX, DIRS, {"loss": 2, "out": 1, "wage": 1}, aggregation="weighted")
    assert scores(r2) == pytest.approx([0.625, 0.5, 0.825, 0.225])


def test_weights_are_normalised():
    # 10,10,20 is the same scheme as 1,1,2
    assert scores(rate(EX, DIRS, [10, 10, 20])) == pytest.approx([0.625, 0.5, 0.825, 0.225])
    assert parse_weights([1, 1, 2], ["a", "b", "c"]).tolist() == [0.25, 0.25, 0.5]


# ---------------------------------------------------------------------------------------------------
# min-max


def test_minmax_mean():
    # out: (x-40)/60:   A 1     B 1/6   C 2/3   D 0
    # wage: (x-5)/15:   A 1/3   B 1     C 1/3   D 0
    # loss (-): (8-x)/7: A 6/7  B 4/7   C 1     D 0
    # mean: A (1 + 1/3 + 6/7)/3 = 46/63;  B (1/6 + 1 + 4/7)/3 = 73/126;  C (2/3+1/3+1)/3 = 2/3;  D 0
    # -> A 1, C 2, B 3, D 4
    r = rate(EX, DIRS, method="minmax")
    assert scores(r) == pytest.approx([46 / 63, 73 / 126, 2 / 3, 0.0])
    assert ranks(r) == [1, 3, 2, 4]


def test_minmax_geometric_zero_score_makes_zero():
    # A (1 * 1/3 * 6/7)^(1/3) = (2/7)^(1/3); B (1/6 * 1 * 4/7) = (2/21)^(1/3); C (2/3*1/3*1) = (2/9)^(1/3);
    # D has 0 in every indicator -> 0 (a genuine geometric mean, no compensation)
    r = rate(EX, DIRS, method="minmax", aggregation="geometric")
    assert scores(r) == pytest.approx([(2 / 7) ** (1 / 3), (2 / 21) ** (1 / 3), (2 / 9) ** (1 / 3), 0.0])
    assert ranks(r) == [1, 3, 2, 4]


def test_minmax_weighted():
    # weights .25,.25,.5 on the min-max scores:
    #   A .25 + 1/12 + 3/7 = 0.76190...;  B 1/24 + .25 + 2/7 = 0.57738...;  C 1/6 + 1/12 + .5 = .75;  D 0
    r = rate(EX, DIRS, [1, 1, 2], method="minmax")
    assert scores(r) == pytest.approx([0.25 + 1 / 12 + 3 / 7, 1 / 24 + 0.25 + 2 / 7, 0.75, 0.0])
    assert ranks(r) == [1, 3, 2, 4]


def test_minmax_constant_column_is_unavailable_with_reason():
    # wage constant 7 -> max = min: no min-max score for anybody; the others give the score
    #   out: A 1, B 1/6, C 2/3, D 0;  loss: A 6/7, B 4/7, C 1, D 0
    #   mean over 2: A (1 + 6/7)/2 = 13/14; B (1/6 + 4/7)/2 = 31/84; C (2/3 + 1)/2 = 5/6; D 0
    x = EX.assign(wage=7.0)
    r = rate(x, DIRS, method="minmax")
    assert scores(r) == pytest.approx([13 / 14, 31 / 84, 5 / 6, 0.0])
    b = normalise(x, DIRS, method="minmax")
    assert b.values["wage"].isna().all()
    assert "same value" in b.reasons.loc["A", "wage"]
    assert any("'wage'" in n for n in r.notes)


# ---------------------------------------------------------------------------------------------------
# z-score


Z3 = pd.DataFrame({"p": [1.0, 2.0, 3.0], "q": [30.0, 10.0, 20.0]}, index=["X", "Y", "Z"])


def test_zscore_mean_with_less_is_better_and_tie():
    # p (+): mean 2, sd (n-1) = sqrt((1+0+1)/2) = 1 -> z: X -1, Y 0, Z 1
    # q (-): mean 20, sd = sqrt((100+100+0)/2) = 10 -> (mean-x)/sd: X -1, Y 1, Z 0
    # mean: X -1, Y 0.5, Z 0.5 -> Y and Z tie at rank 1, X rank 3 (RANK.EQ)
    r = rate(Z3, ["+", "-"], method="zscore")
    assert scores(r) == pytest.approx([-1.0, 0.5, 0.5])
    assert ranks(r) == [3, 1, 1]


def test_zscore_weighted():
    # weights 3,1 -> .75,.25: X -1, Y .25, Z .75 -> Z 1, Y 2, X 3
    r = rate(Z3, ["+", "-"], [3, 1], method="zscore")
    assert scores(r) == pytest.approx([-1.0, 0.25, 0.75])
    assert ranks(r) == [3, 2, 1]


# ---------------------------------------------------------------------------------------------------
# rank (sum of places)


def test_sum_of_places_with_ties():
    # places (1 = best; RANK.EQ ties):
    #   out (+):  A 1 (100)  C 2 (80)  B 3 (50)  D 4 (40)
    #   wage (+): B 1 (20)   A 2, C 2 (10, tie)  D 4 (5; place 3 skipped)
    #   loss (-): C 1 (1)    A 2 (2)   B 3 (4)   D 4 (8)
    # sums: A 5, B 7, C 5, D 12 -> smaller is better: A 1, C 1 (tie), B 3, D 4
    p = normalise(EX, DIRS, method="rank").values
    assert p["wage"].tolist() == [2, 1, 2, 4]
    r = rate(EX, DIRS, method="rank")
    assert scores(r) == [5, 7, 5, 12]
    assert ranks(r) == [1, 3, 1, 4]
    assert "lowest" in r.method


def test_sum_of_places_weighted():
    # weights .25,.25,.5; score = n * weighted mean place:
    #   A 3*(.25*1 + .25*2 + .5*2) = 5.25;  B 3*(.75 + .25 + 1.5) = 7.5;  C 3*(.5 + .5 + .5) = 4.5;  D 12
    # -> C 1, A 2, B 3, D 4
    r = rate(EX, DIRS, [1, 1, 2], method="rank")
    assert scores(r) == pytest.approx([5.25, 7.5, 4.5, 12])
    assert ranks(r) == [2, 3, 1, 4]


# ---------------------------------------------------------------------------------------------------
# distance to a reference


def test_distance_to_ideal():
    # reference = best values -> b = the ratio scores; D = sqrt(sum (1-b)^2):
    #   A 0 + .25 + .25 = .5 -> sqrt(.5);   B .25 + 0 + .5625 = .8125;   C .04 + .25 + 0 = .29;
    #   D .36 + .5625 + .765625 = 1.688125
    # smaller is better: C 1, A 2, B 3, D 4
    r = rate(EX, DIRS, method="distance")
    assert scores(r) == pytest.approx([math.sqrt(0.5), math.sqrt(0.8125), math.sqrt(0.29), math.sqrt(1.688125)])
    assert ranks(r) == [2, 3, 1, 4]


def test_distance_to_a_reference_region():
    # reference B (50, 20, 4): b = x/50, x/20, 4/x
    #   A (2, .5, 2)   -> 1 + .25 + 1 = 2.25 -> 1.5
    #   B (1, 1, 1)    -> 0
    #   C (1.6, .5, 4) -> .36 + .25 + 9 = 9.61 -> 3.1
    #   D (.8, .25, .5) -> .04 + .5625 + .25 = .8525
    # being above the reference counts as distance too: B 1, D 2, A 3, C 4
    r = rate(EX, DIRS, method="distance", reference="B")
    assert scores(r) == pytest.approx([1.5, 0.0, 3.1, math.sqrt(0.8525)])
    assert ranks(r) == [3, 1, 4, 2]
    assert "region 'B'" in r.method


def test_distance_weighted():
    # D = sqrt(n * sum w (1-b)^2), w = .25,.25,.5, n = 3:
    #   A 3*(0 + .0625 + .125) = .5625 -> .75;  B 3*(.0625 + 0 + .28125) = 1.03125;
    #   C 3*(.01 + .0625 + 0) = .2175;  D 3*(.09 + .140625 + .3828125) = 1.8403125
    r = rate(EX, DIRS, [1, 1, 2], method="distance")
    assert scores(r) == pytest.approx([0.75, math.sqrt(1.03125), math.sqrt(0.2175), math.sqrt(1.8403125)])
    assert ranks(r) == [2, 3, 1, 4]


# ---------------------------------------------------------------------------------------------------
# The 4-region example: three methods, three hand-computed rankings


def test_four_regions_three_methods_give_the_hand_ranks():
    # from the worked examples above:
    #   sum of places: A 5, B 7, C 5, D 12         -> A 1, C 1, B 3, D 4
    #   min-max mean:  A .730, B .579, C .667, D 0 -> A 1, C 2, B 3, D 4
    #   ratio to best: A .667, B .583, C .767, D .258 -> C 1, A 2, B 3, D 4
    assert ranks(rate(EX, DIRS, method="rank")) == [1, 3, 1, 4]
    assert ranks(rate(EX, DIRS, method="minmax")) == [1, 3, 2, 4]
    assert ranks(rate(EX, DIRS, method="ratio")) == [2, 3, 1, 4]


# ---------------------------------------------------------------------------------------------------
# Missing data and the availability threshold


MISS = pd.DataFrame(
    {"out": [100.0, np.nan, 80.0, 40.0], "wage": [10.0, 20.0, 10.0, np.nan], "loss": [2.0, 4.0, 1.0, np.nan]},
    index=["A", "B", "C", "D"],
)


def test_missing_above_and_below_threshold():
    # min_coverage 0.5 of 3 indicators -> 2 needed.
    # B lacks out (2 of 3: above) -> mean over wage, loss: (1 + .25)/2 = .625
    # D has only out (1 of 3: below) -> no score
    # A, C as in the full example (max out is still 100, min loss still 1): 2/3, 2.3/3
    r = rate(MISS, DIRS)
    s = r.values["score"]
    assert s[["A", "B", "C"]].tolist() == pytest.approx([2 / 3, 0.625, 2.3 / 3])
    assert math.isnan(s["D"]) and math.isnan(r.values.loc["D", "rank"])
    assert ranks(r)[:3] == [2, 3, 1]
    reason = r.reason_at("D", "score")
    assert "1 of 3" in reason and "2 needed" in reason and "'wage'" in reason and "'loss'" in reason
    assert r.reason_at("B", "score") is None
    assert "region 'B': score from 2 of 3 indicators (no score for 'out')" in r.notes


def test_threshold_changes_who_gets_a_score():
    # min_coverage 1: B (2 of 3) also drops out; min_coverage 0.3: 1 needed, D gets out/100 = 0.4
    r1 = rate(MISS, DIRS, min_coverage=1)
    assert math.isnan(r1.values.loc["B", "score"])
    r03 = rate(MISS, DIRS, min_coverage=0.3)
    assert r03.values.loc["D", "score"] == pytest.approx(0.4)
    assert ranks(r03) == [2, 3, 1, 4]


def test_missing_with_sum_of_places_is_scaled_to_n():
    # places among regions with data: out A 1, C 2, D 3; wage B 1, A 2, C 2; loss C 1, A 2, B 3
    # A 1+2+2 = 5; C 2+2+1 = 5; B (1+3)/2 * 3 = 6 (2 of 3 available: n times the mean place); D none
    r = rate(MISS, DIRS, method="rank")
    assert r.values["score"][["A", "B", "C"]].tolist() == [5, 6, 5]
    assert ranks(r)[:3] == [1, 3, 1]


def test_reasons_from_the_reader_are_kept():
    from xlkg.core.cells import read_table

    rows = [["Регион", "out", "wage", "loss"],
            ["Чүй облусу", "1 000,5", 10, 2],
            ["Талас облусу", "н/д", 20, 4],
            ["Нарын облусу", 800, 10, 1]]
    t = read_table(rows, arg="indicators")
    b = normalise(t, DIRS)
    # the reader's reason names the cell
    assert "Талас" in b.reasons.loc["Талас облусу", "out"]
    # out: 1000.5 -> 1; Нарын 800/1000.5; wage/20; 1/loss
    r = rate(t, DIRS)
    assert r.values.loc["Чүй облусу", "score"] == pytest.approx((1 + 0.5 + 0.5) / 3)
    assert r.values.loc["Талас облусу", "score"] == pytest.approx((1 + 0.25) / 2)


# ---------------------------------------------------------------------------------------------------
# Zero maximum, zero minimum, negative values


def test_zero_maximum_gives_no_score_for_that_indicator_never_inf_or_zero():
    # out all 0 -> x/max undefined for everybody: NaN with reason, the indicator counts as unavailable;
    # each region has 2 of 3 -> mean over wage and loss:
    #   A (.5 + .5)/2 = .5;  B (1 + .25)/2 = .625;  C (.5 + 1)/2 = .75;  D (.25 + .125)/2 = .1875
    x = EX.assign(out=0.0)
    b = normalise(x, DIRS)
    assert b.values["out"].isna().all()
    assert "zero maximum" in b.reasons.loc["C", "out"]
    r = rate(x, DIRS)
    assert scores(r) == pytest.approx([0.5, 0.625, 0.75, 0.1875])
    assert ranks(r) == [3, 2, 1, 4]
    assert any("zero maximum" in n and "'out'" in n for n in r.notes)
    assert np.isfinite(r.values["score"]).all()


def test_zero_maximum_with_strict_threshold_gives_nan_and_reason():
    r = rate(EX.assign(out=0.0), DIRS, min_coverage=1)
    assert r.values["score"].isna().all()
    assert "'out'" in r.reason_at("A", "score")


def test_zero_minimum_of_less_is_better():
    # loss of C = 0 -> min/x is 0 for everybody else and 0/0 for C: undefined, NaN with reason
    x = EX.copy()
    x.loc["C", "loss"] = 0.0
    b = normalise(x, DIRS)
    assert b.values["loss"].isna().all()
    assert "zero minimum" in b.reasons.loc["A", "loss"]
    # min-max handles it: (8-0)/8 = 1 for C
    assert normalise(x, DIRS, method="minmax").values.loc["C", "loss"] == pytest.approx(1.0)


def test_zero_value_of_more_is_better_is_a_real_zero_score():
    # out of D = 0 while max = 100: b = 0 (a genuine score, not a failure)
    x = EX.copy()
    x.loc["D", "out"] = 0.0
    assert normalise(x, DIRS).values.loc["D", "out"] == 0.0


def test_negative_value_with_ratio_is_an_error_naming_the_label():
    x = EX.copy()
    x.loc["B", "out"] = -12.3
    with pytest.raises(InputError, match=r"'out'.*'B'.*-12\.3.*minmax"):
        rate(x, DIRS)
    with pytest.raises(InputError, match="'out'"):
        rate(x, DIRS, method="distance")
    # min-max accepts it: out (x - (-12.3)) / (100 + 12.3): A 1, B 0
    b = normalise(x, DIRS, method="minmax").values["out"]
    assert b["A"] == pytest.approx(1.0) and b["B"] == pytest.approx(0.0)
    assert b["C"] == pytest.approx(92.3 / 112.3)


# ---------------------------------------------------------------------------------------------------
# RANK.EQ


def test_rank_eq_ties_share_best_place_next_skipped():
    # 3, 1, 3, 2 descending: the two 3s share place 1, 2 is place 3, 1 is place 4
    assert rank_eq([3, 1, 3, 2]).tolist() == [1, 4, 1, 3]
    # ascending (smaller better): 1 -> 1, 2 -> 2, 3,3 -> 3,3
    assert rank_eq([3, 1, 3, 2], ascending=True).tolist() == [3, 1, 3, 2]
    r = rank_eq([1.0, np.nan, 2.0])
    assert r.tolist()[0] == 2 and math.isnan(r.tolist()[1]) and r.tolist()[2] == 1


def test_rank_eq_equal_scores_by_different_arithmetic_tie():
    # 0.1 + 0.2 != 0.3 in binary floating point; both are 0.3 to 12 decimals
    assert rank_eq([0.1 + 0.2, 0.3, 0.2]).tolist() == [1, 1, 3]


def test_equal_scores_tie_in_the_rating():
    # p(+) 2, 4, 1 -> .5, 1, .25;  q(+) 4, 2, 1 -> 1, .5, .25: A .75, B .75, C .25 -> 1, 1, 3
    x = pd.DataFrame({"p": [2, 4, 1], "q": [4, 2, 1]}, index=["A", "B", "C"])
    assert ranks(rate(x)) == [1, 1, 3]


# ---------------------------------------------------------------------------------------------------
# Directions


@pytest.mark.parametrize("given", [["+", "+", "-"], ["+1", "1", "-1"], [1, 1.0, -1], ["+", "+", "\u2212"],
                                   ["+", "+", "\u2013"], "+,+,-", "+ + -", [[1, 1, -1]], [["+"], ["+"], ["-"]],
                                   {"loss": "-", "wage": "+", "out": "+"}, np.array(["+", "+", "-"])])
def test_directions_accepted_forms(given):
    assert parse_directions(given, ["out", "wage", "loss"]).tolist() == [1, 1, -1]


@pytest.mark.parametrize("given, pattern", [
    (["+", "больше", "-"], r"directions: position 2 \(indicator 'wage'\) is 'больше'; allowed: '\+' or 1"),
    (["+", 2, "-"], r"position 2 \(indicator 'wage'\) is 2"),
    (["+", None, "-"], r"position 2 \(indicator 'wage'\) is empty"),
    (["+", "+"], r"directions: 2 direction\(s\) given for 3 indicator\(s\)"),
    ({"out": "+", "wage": "+", "loss": "-", "jobs": "+"}, r"no indicator is called 'jobs'"),
    ({"out": "+", "wage": "+"}, r"no direction given for indicator 'loss'"),
    ([True, "+", "-"], r"position 1 \(indicator 'out'\) is True"),
])
def test_invalid_directions(given, pattern):
    with pytest.raises(InputError, match=pattern):
        rate(EX, given)


# ---------------------------------------------------------------------------------------------------
# Weights, methods, shape: clear messages


@pytest.mark.parametrize("given, pattern", [
    ([1, 1], r"weights: 2 weight\(s\) given for 3 indicator\(s\) \('out', 'wage', 'loss'\)"),
    ([1, 1, 1, 1], r"4 weight\(s\) given for 3"),
    ({"out": 1, "wage": 1, "jobs": 1}, r"weights: no indicator is called 'jobs'"),
    ({"out": 1, "wage": 1}, r"no weight given for indicator 'loss'"),
    ([1, -1, 1], r"position 2 \(indicator 'wage'\) is -1; each weight must be a finite number >= 0"),
    ([1, "0,5", 1], r"position 2 \(indicator 'wage'\) is '0,5'"),
    ([1, None, 1], r"position 2 \(indicator 'wage'\) is empty"),
    ([0, 0, 0], r"all weights are 0"),
    ("1,1,2", r"weights: expected one number per indicator"),
])
def test_invalid_weights(given, pattern):
    with pytest.raises(InputError, match=pattern):
        rate(EX, DIRS, given)


def test_single_region_is_refused():
    with pytest.raises(InputError, match=r"at least 2 regions.*1 region \('A'\)"):
        rate(EX.loc[["A"]], DIRS)


def test_unknown_method_and_aggregation():
    with pytest.raises(InputError, match=r"method: 'topsis' is not a normalisation method; choose one of 'ratio'"):
        rate(EX, DIRS, method="topsis")
    with pytest.raises(InputError, match=r"aggregation: 'median' is not an aggregation; choose one of 'mean'"):
        rate(EX, DIRS, aggregation="median")


def test_method_names_are_tolerant():
    assert ranks(rate(EX, DIRS, method="Min-Max")) == [1, 3, 2, 4]
    assert ranks(rate(EX, DIRS, method="sum of places")) == [1, 3, 1, 4]
    # the words of the measures module are understood too (see test_ratio_mean / test_ratio_geometric)
    assert scores(rate(EX, DIRS, aggregation="arithmetic mean")) == pytest.approx([2 / 3, 1.75 / 3, 2.3 / 3, 0.775 / 3])
    assert scores(rate(EX, DIRS, aggregation="Geometric mean")) == pytest.approx(
        [0.25 ** (1 / 3), 0.5, 0.4 ** (1 / 3), 0.0125 ** (1 / 3)])


def test_combinations_that_do_not_fit():
    with pytest.raises(InputError, match=r"aggregation: 'geometric' does not go with method='zscore'.*negative"):
        rate(EX, DIRS, method="zscore", aggregation="geometric")
    with pytest.raises(InputError, match=r"'weighted' needs weights"):
        rate(EX, DIRS, aggregation="weighted")
    with pytest.raises(InputError, match=r"aggregation: 'mean' gives every indicator the same weight, but weights"):
        rate(EX, DIRS, [1, 1, 2], aggregation="mean")


def test_bad_cells_and_arguments():
    x = EX.astype(object)
    x.loc["C", "wage"] = "abc"
    with pytest.raises(InputError, match=r"'abc' for region 'C', indicator 'wage' is not a number"):
        rate(x, DIRS)
    with pytest.raises(InputError, match=r"min_coverage: expected a share above 0 and at most 1"):
        rate(EX, DIRS, min_coverage=1.5)
    with pytest.raises(InputError, match=r"reference: no region is called 'Z'"):
        rate(EX, DIRS, method="distance", reference="Z")
    dup = pd.concat([EX, EX.loc[["A"]]])
    with pytest.raises(InputError, match=r"region \(row\) label 'A' appears more than once"):
        rate(dup, DIRS)
    with pytest.raises(InputError, match="infinite"):
        rate(EX.assign(out=[1.0, np.inf, 2.0, 3.0]), DIRS)


def test_aggregate_takes_normalised_scores():
    # the ratio scores of EX, aggregated by the arithmetic mean (formula (2)): as in the first test
    b = normalise(EX, DIRS)
    a = aggregate(b, "ratio")
    assert a.values.tolist() == pytest.approx([2 / 3, 1.75 / 3, 2.3 / 3, 0.775 / 3])


def test_reference_only_with_distance():
    with pytest.raises(InputError, match=r"reference: a reference region is used only by method='distance'"):
        rate(EX, DIRS, method="ratio", reference="B")
    # given reference values (50, 20, 4) are the same as region B: see test_distance_to_a_reference_region
    r = rate(EX, DIRS, method="distance", reference=[50, 20, 4])
    assert scores(r) == pytest.approx([1.5, 0.0, 3.1, math.sqrt(0.8525)])
    with pytest.raises(InputError, match=r"reference: position 1 \(indicator 'out'\) is -5"):
        rate(EX, DIRS, method="distance", reference=[-5, 20, 4])


# ---------------------------------------------------------------------------------------------------
# Missing values under every normalisation and aggregation (MISS: B lacks out; D has out only)
#
# Each indicator is normalised over the regions that have it (D's out = 40 still counts in the
# minimum and maximum of out); D has 1 of 3 indicators, below ceil(0.5 * 3) = 2: no score anywhere.


def test_missing_with_minmax_mean_gives_a_tie():
    # out (x-40)/60: A 1, C 2/3, D 0;  wage (x-10)/10 over A,B,C: A 0, B 1, C 0;
    # loss (-) (4-x)/3 over A,B,C: A 2/3, B 0, C 1
    # A (1 + 0 + 2/3)/3 = 5/9;  B (1 + 0)/2 = 1/2;  C (2/3 + 0 + 1)/3 = 5/9;  D none
    # -> A 1, C 1 (tie), B 3
    r = rate(MISS, DIRS, method="minmax")
    s = r.values["score"]
    assert s[["A", "B", "C"]].tolist() == pytest.approx([5 / 9, 0.5, 5 / 9])
    assert math.isnan(s["D"]) and "1 of 3" in r.reason_at("D", "score")
    assert ranks(r)[:3] == [1, 3, 1]


def test_missing_with_ratio_geometric_takes_the_root_of_the_available_count():
    # ratio scores: out /100: A 1, C .8;  wage /20: A .5, B 1, C .5;  loss 1/x: A .5, B .25, C 1
    # A (1*.5*.5)^(1/3) = .25^(1/3) = .630;  B (1*.25)^(1/2) = .5;  C (.8*.5*1)^(1/3) = .4^(1/3) = .737
    # -> C 1, A 2, B 3
    r = rate(MISS, DIRS, aggregation="geometric")
    s = r.values["score"]
    assert s[["A", "B", "C"]].tolist() == pytest.approx([0.25 ** (1 / 3), 0.5, 0.4 ** (1 / 3)])
    assert math.isnan(s["D"])
    assert ranks(r)[:3] == [2, 3, 1]


def test_missing_with_weights_renormalises_over_available_indicators():
    # weights 1, 1, 2 -> .25, .25, .5; A .25 + .125 + .25 = .625; C .2 + .125 + .5 = .825;
    # B has wage and loss only: (.25*1 + .5*.25) / (.25 + .5) = .375/.75 = .5
    r = rate(MISS, DIRS, [1, 1, 2])
    s = r.values["score"]
    assert s[["A", "B", "C"]].tolist() == pytest.approx([0.625, 0.5, 0.825])
    assert math.isnan(s["D"])


def test_missing_with_distance_scales_by_n_over_k():
    # ideal = best of those with data: out 100, wage 20, loss 1 -> b = the ratio scores above
    # A 0 + .25 + .25 = .5 -> sqrt(.5) = .707;  C .04 + .25 + 0 = .29 -> .539
    # B (k = 2 of n = 3): 0 + .75^2 = .5625, times 3/2 = .84375 -> .919;  D none
    # smaller is better: C 1, A 2, B 3
    r = rate(MISS, DIRS, method="distance")
    s = r.values["score"]
    assert s[["A", "B", "C"]].tolist() == pytest.approx([math.sqrt(0.5), math.sqrt(0.84375), math.sqrt(0.29)])
    assert math.isnan(s["D"])
    assert ranks(r)[:3] == [2, 3, 1]


def test_missing_with_zscore_above_and_below_threshold():
    # Z3 with q missing for X. p (+): mean 2, sd 1 -> X -1, Y 0, Z 1.
    # q (-) over Y, Z (10, 20): mean 15, sd sqrt((25 + 25)/1) = sqrt(50) -> (15 - x)/sqrt(50):
    #   Y 5/sqrt(50) = 1/sqrt(2), Z -1/sqrt(2)
    # min_coverage .5 (1 of 2 needed): X -1 (p only), Y (0 + .7071)/2 = .3536, Z (1 - .7071)/2 = .1464
    #   -> Y 1, Z 2, X 3;  min_coverage 1: X has no score
    z = Z3.copy()
    z.loc["X", "q"] = np.nan
    r = rate(z, ["+", "-"], method="zscore")
    h = 1 / math.sqrt(2)
    assert scores(r) == pytest.approx([-1.0, h / 2, (1 - h) / 2])
    assert ranks(r) == [3, 1, 2]
    r1 = rate(z, ["+", "-"], method="zscore", min_coverage=1)
    assert math.isnan(r1.values.loc["X", "score"]) and "1 of 2" in r1.reason_at("X", "score")
