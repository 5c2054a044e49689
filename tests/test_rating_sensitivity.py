"""Sensitivity of the rating to the choice of method: hand-computed ranks of the 4-region example.

    region   out (+)   wage (+)   loss (-)
    A          100        10          2
    B           50        20          4
    C           80        10          1
    D           40         5          8

Ranks by combination (worked out in tests/test_rating.py; z-scores here):
    ratio/mean       C 1, A 2, B 3, D 4     (A .667, B .583, C .767, D .258)
    ratio/geometric  C 1, A 2, B 3, D 4     (A .630, B .5, C .737, D .232)
    minmax/mean      A 1, C 2, B 3, D 4     (A .730, B .579, C .667, D 0)
    minmax/geometric A 1, C 2, B 3, D 4     (A .659, B .457, C .606, D 0)
    zscore/mean      A 1, C 2, B 3, D 4
        out:  mean 67.5, sd sqrt(2275/3) = 27.54 -> A 1.180, B -.636, C .454, D -.999
        wage: mean 11.25, sd sqrt(118.75/3) = 6.29 -> A -.199, B 1.391, C -.199, D -.993
        loss: mean 3.75, sd sqrt(28.75/3) = 3.10, (mean-x)/sd -> A .565, B -.081, C .888, D -1.373
        mean: A .516, B .225, C .381, D -1.122
    rank/mean        A 1, C 1, B 3, D 4     (sums 5, 7, 5, 12)
    distance/mean    C 1, A 2, B 3, D 4     (A .707, B .901, C .539, D 1.299)
So A and C move between rank 1 and rank 2; B is always 3, D always 4.
"""

import pytest

from support.rating_example import DIRS, EX  # the 4-region example above
from xlkg.core.rating import sensitivity
from xlkg.core.result import InputError


def test_rank_ranges_over_method_combinations():
    s = sensitivity(EX, DIRS)
    v = s.values
    assert list(v.columns) == ["rank", "best rank", "worst rank", "rank range", "best with", "worst with"]
    assert v["rank"].tolist() == [2, 3, 1, 4]  # baseline ratio/mean
    assert v["best rank"].tolist() == [1, 3, 1, 4]
    assert v["worst rank"].tolist() == [2, 3, 2, 4]
    assert v["rank range"].tolist() == [1, 0, 1, 0]
    # the region whose rank changes: A is 1st by min-max, 2nd by ratio to best
    assert v.loc["A", "best with"] == "minmax/mean" and v.loc["A", "worst with"] == "ratio/mean"
    assert list(s.ranks.columns) == ["ratio/mean", "ratio/geometric", "minmax/mean", "minmax/geometric",
                                     "zscore/mean", "rank/mean", "distance/mean"]
    assert s.ranks["zscore/mean"].tolist() == [1, 3, 2, 4]
    assert s.ranks["rank/mean"].tolist() == [1, 3, 1, 4]
    assert any("zscore/geometric" in n for n in s.notes)


def test_spearman_between_methods():
    # ratio/mean (A 2, B 3, C 1, D 4) vs minmax/mean (A 1, B 3, C 2, D 4):
    #   d = 1, 0, 1, 0 -> rho = 1 - 6 * 2 / (4 * 15) = 0.8
    # ratio/mean vs rank/mean (A 1, B 3, C 1, D 4 -> average ranks 1.5, 3, 1.5, 4):
    #   deviations from 2.5: x = -.5, .5, -1.5, 1.5;  y = -1, .5, -1, 1.5
    #   sum xy = .5 + .25 + 1.5 + 2.25 = 4.5; sum x^2 = 5; sum y^2 = 4.5 -> 4.5 / sqrt(22.5) = 0.9487
    c = sensitivity(EX, DIRS).correlation
    assert c.loc["ratio/mean", "minmax/mean"] == pytest.approx(0.8)
    assert c.loc["ratio/mean", "rank/mean"] == pytest.approx(4.5 / 22.5 ** 0.5)
    assert c.loc["ratio/mean", "ratio/geometric"] == pytest.approx(1.0)


def test_drop_one_indicator():
    # ratio/mean without loss: out A 1, B .5, C .8, D .4; wage A .5, B 1, C .5, D .25
    #   A .75, B .75, C .65, D .325 -> A 1, B 1, C 3, D 4: B reaches rank 1, C falls to 3
    s = sensitivity(EX, DIRS, methods=["ratio"], aggregations=["mean"], drop_one=True)
    assert s.ranks["ratio/mean without loss"].tolist() == [1, 1, 3, 4]
    assert s.scores["ratio/mean without loss"].tolist() == pytest.approx([0.75, 0.75, 0.65, 0.325])
    assert s.values.loc["B", "best rank"] == 1
    assert s.values.loc["C", "worst rank"] == 3


def test_weighted_combination_added_when_weights_given():
    # weights 1,1,2 -> ratio/weighted: A .625, B .5, C .825, D .225 -> C 1, A 2, B 3, D 4 (baseline)
    s = sensitivity(EX, DIRS, [1, 1, 2])
    assert "ratio/weighted" in s.ranks.columns and "rank/weighted" in s.ranks.columns
    assert s.values["rank"].tolist() == [2, 3, 1, 4]
    # rank/weighted (C 4.5, A 5.25, B 7.5, D 12): C 1, A 2
    assert s.ranks["rank/weighted"].tolist() == [2, 3, 1, 4]


def test_sensitivity_errors():
    with pytest.raises(InputError, match=r"methods: 'foo' is not a normalisation method"):
        sensitivity(EX, DIRS, methods=["ratio", "foo"])
    with pytest.raises(InputError, match=r"aggregations: 'weighted' needs weights"):
        sensitivity(EX, DIRS, aggregations=["weighted"])
    with pytest.raises(InputError, match=r"at least 2 regions"):
        sensitivity(EX.iloc[:1], DIRS)
