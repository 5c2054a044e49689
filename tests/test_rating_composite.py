"""The rating as a composite indicator: imputation, outlier treatment, Monte Carlo uncertainty of ranks and
coherence. Every number is worked by hand in the comments, or comes from LibreOffice Calc (its SKEW and
KURT, the same definitions as Excel's), or from the COINr toy (tests/data/vectors/coinr_rating_toy_8x5).
"""

import numpy as np
import pandas as pd
import pytest

from conftest import VECTORS
from xlkg.core.rating import coherence, impute, rate_composite, treat, uncertainty
from xlkg.core.rating.coherence import cronbach_alpha
from xlkg.core.rating.treat import kurtosis, skewness
from xlkg.core.result import InputError

CASE = VECTORS / "coinr_rating_toy_8x5"
LONG = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]  # COINr's treatment vignette: 1..10 and two outliers
REGIONS = [f"r{i}" for i in range(1, 13)]


@pytest.fixture(scope="module")
def toy():
    x = pd.read_csv(CASE / "input_indicators.csv", index_col=0)
    meta = pd.read_csv(CASE / "input_indicator_meta.csv").set_index("iCode").loc[list(x.columns)]
    return x, meta["Direction"].tolist()


def frame(**cols):
    return pd.DataFrame(cols, index=REGIONS[:len(next(iter(cols.values())))])


# ------------------------------------------------------------------------------------------------
# skewness, kurtosis, treatment


def test_skew_and_kurt_are_excels():
    # LibreOffice Calc 7: =SKEW(1..10,30,100) 3.0632410342395, =KURT(...) 9.74139083456914;
    # with 100 replaced by 30: SKEW 1.71203806008905, KURT 1.8157805377242;
    # GRP_pc of the COINr toy: SKEW 0.672753328583333, KURT -0.554185471526657
    X = np.array([LONG, LONG[:-1] + [30.0]]).T
    np.testing.assert_allclose(skewness(X), [3.0632410342395, 1.71203806008905], rtol=1e-12)
    np.testing.assert_allclose(kurtosis(X), [9.74139083456914, 1.8157805377242], rtol=1e-12)
    grp = np.array([[152.3, 98.7, 211.6, 75.4, 130.0, 88.2, 176.9, 109.5]]).T
    assert skewness(grp)[0] == pytest.approx(0.672753328583333, rel=1e-12)
    assert kurtosis(grp)[0] == pytest.approx(-0.554185471526657, rel=1e-12)


def test_winsorise_one_point_and_report_it():
    # skew 3.06 >= 2 and kurt 9.74 >= 3.5: treat. Skew > 0, so the highest point (100, region r12) takes the
    # value of the next (30); then skew 1.71 < 2: done. The second column (0..11) is symmetric: untouched.
    t = treat(frame(a=LONG, b=[float(i) for i in range(12)]), "winsorise")
    assert t.values["a"].tolist() == LONG[:-1] + [30.0]
    assert t.values["b"].tolist() == [float(i) for i in range(12)]
    assert t.cells.to_dict("records") == [{"region": "r12", "indicator": "a", "original": 100.0, "treated": 30.0,
                                           "how": "winsorised"}]
    rep = t.report
    assert bool(rep.loc["a", "needs treatment"]) and not bool(rep.loc["b", "needs treatment"])
    assert rep.loc["a", "points winsorised"] == 1 and rep.loc["a", "skew after"] == pytest.approx(1.71203806008905)


def test_winmax_limits_the_points_and_auto_falls_back_to_log():
    # With winmax 0 nothing may be winsorised: 'winsorise' leaves the data and says the indicator is still
    # outside the limits; 'auto' log-transforms the original values instead: right skew, a = (100-1)/100 = 0.99,
    # x -> log(x - 1 + 0.99): 1 -> log(0.99), 100 -> log(99.99), 30 -> log(29.99)
    t = treat(frame(a=LONG), "winsorise", winmax=0)
    assert t.values["a"].tolist() == LONG and t.cells.empty
    assert "still outside" in t.report.loc["a", "treatment"]
    t = treat(frame(a=LONG), "auto", winmax=0)
    np.testing.assert_allclose(t.values["a"].to_numpy(), np.log(np.array(LONG) - 0.01), rtol=1e-14)
    assert len(t.cells) == 12 and set(t.cells["how"]) == {"log-transformed (winsorising did not suffice)"}


def test_log_of_a_left_skewed_indicator_mirrors():
    # -x of the vignette is skewed to the left (skew -3.06): -log(max + a - x), max = -1, a = 0.99
    x = -np.array(LONG)
    t = treat(frame(a=x.tolist()), "log")
    np.testing.assert_allclose(t.values["a"].to_numpy(), -np.log(-1 + 0.99 - x), rtol=1e-14)
    # the order of the regions is kept
    assert (np.argsort(t.values["a"].to_numpy()) == np.argsort(x)).all()


def test_treatment_keeps_missing_cells_and_refuses_bad_options():
    t = treat(frame(a=LONG[:-1] + [np.nan]), "auto")
    assert np.isnan(t.values.loc["r12", "a"])
    with pytest.raises(InputError, match="winsorise"):
        treat(frame(a=LONG), "trim")
    with pytest.raises(InputError, match="winmax"):
        treat(frame(a=LONG), "auto", winmax=-1)


# ------------------------------------------------------------------------------------------------
# imputation


def test_impute_mean_and_median_are_flagged(toy):
    x, _ = toy
    # Invest_pc without R5: 38.1 52.3 29.4 12.8 19.9 45.7 26.4 -> mean 224.6/7 = 32.0857142857143,
    # median (sorted 12.8 19.9 26.4 29.4 38.1 45.7 52.3) 29.4
    m = impute(x, "mean")
    assert m.values.loc["R5", "Invest_pc"] == pytest.approx(224.6 / 7, rel=1e-12)
    assert m.imputed.to_numpy().sum() == 1 and bool(m.imputed.loc["R5", "Invest_pc"])
    assert any("R5" in n and "Invest_pc" in n for n in m.notes)
    assert impute(x, "median").values.loc["R5", "Invest_pc"] == 29.4
    none = impute(x)
    assert np.isnan(none.values.loc["R5", "Invest_pc"]) and not none.imputed.to_numpy().any()


def test_composite_rating_flags_the_filled_cell(toy):
    x, dirs = toy
    # R5 with Invest_pc = 32.0857142857143: min-max (32.0857142857143 - 12.8)/(52.3 - 12.8) = 0.488245931283906;
    # index = (0.400881057268722 + 0.666666666666667 + 0.388235294117647 + 0.488245931283906
    #          + 0.379807692307692)/5 = 0.464767328328927
    r = rate_composite(x, dirs, method="minmax", imputation="mean")
    assert r.values.loc["R5", "score"] == pytest.approx(0.464767328328927, rel=1e-12)
    assert r.values.loc["R5", "imputed"] == "Invest_pc"
    assert (r.values.drop(index="R5")["imputed"] == "").all() and (r.values["treated"] == "").all()
    # without imputation: COINr's index for R5 (mean of its 4 scores), nothing flagged
    plain = rate_composite(x, dirs, method="minmax")
    assert plain.values.loc["R5", "score"] == pytest.approx(0.45889767759018218, rel=1e-12)
    assert (plain.values["imputed"] == "").all()


def test_composite_flags_treated_cells_and_refuses_log_with_ratio():
    x = frame(a=LONG, b=[float(i) for i in range(1, 13)])
    r = rate_composite(x, method="minmax", treatment="winsorise")
    assert r.values.loc["r12", "treated"] == "a" and (r.values.drop(index="r12")["treated"] == "").all()
    with pytest.raises(InputError, match="log-transformed"):
        rate_composite(x, treatment="log")  # ratio x/max needs a natural zero


# ------------------------------------------------------------------------------------------------
# uncertainty of ranks


def test_a_dominant_region_is_always_first_and_a_dominated_one_always_last():
    # A is at least as good as B, and B as C, on every indicator ("loss" is less is better). Every
    # normalisation is monotone and every drawn weight positive, so A is first and C last in every replication.
    x = pd.DataFrame({"p": [9.0, 5, 1], "q": [30.0, 20, 10], "loss": [1.0, 2, 3]}, index=["A", "B", "C"])
    u = uncertainty(x, ["+", "+", "-"], runs=500, seed=7)
    assert u.values.loc["A", ["median rank", "rank 5%", "rank 95%", "worst rank"]].tolist() == [1, 1, 1, 1]
    assert u.values.loc["C", ["median rank", "rank 5%", "rank 95%", "best rank"]].tolist() == [3, 3, 3, 3]
    assert u.ranks.shape == (500, 3) and u.draws.nunique() == 7  # the 7 valid pairs were all drawn


def test_weights_uncertainty_by_hand():
    # Two regions, two indicators: A is best on the first, B on the second. Min-max only, so A's score is w1,
    # B's w2: A is first exactly when w1(1+u1) > w2(1+u2). Nominal weights 1 and 0.9, spread 0.25:
    # P(A second) = P(u1 - 0.9 u2 < -0.1) = (1/0.45)(1/0.5) * 0.375^2 / 2 = 0.3125 (u uniform on [-.25,.25]).
    # So A's median rank is 1, its 95 % quantile 2, its 5 % quantile 1; B the reverse.
    x = pd.DataFrame({"one": [1.0, 0.0], "two": [0.0, 1.0]}, index=["A", "B"])
    u = uncertainty(x, weights=[1, 0.9], method="minmax", methods="minmax", aggregations="mean", runs=4000, seed=3)
    ranks = u.values[["rank", "median rank", "rank 5%", "rank 95%", "best rank", "worst rank"]]
    assert ranks.loc["A"].tolist() == [1, 1, 1, 2, 1, 2]
    assert ranks.loc["B"].tolist() == [2, 2, 1, 2, 1, 2]
    assert (u.values[["imputed", "treated"]] == "").all().all()  # nothing filled, nothing treated
    share_second = (u.ranks["A"] == 2).mean()
    assert abs(share_second - 0.3125) < 4 * np.sqrt(0.3125 * 0.6875 / 4000)  # within 4 standard errors


def test_uncertainty_is_reproducible_and_the_seed_matters(toy):
    x, dirs = toy
    a = uncertainty(x, dirs, runs=300, seed=11)
    b = uncertainty(x, dirs, runs=300, seed=11)
    c = uncertainty(x, dirs, runs=300, seed=12)
    pd.testing.assert_frame_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    assert not a.ranks.equals(c.ranks)
    # no spread and a single method: every replication is the nominal rating, COINr's ranks (equal weights)
    d = uncertainty(x, dirs, method="minmax", methods="minmax", aggregations="mean", spread=0, runs=50,
                    min_coverage=0.2)
    ref = pd.read_csv(CASE / "COINr_Aggregate_amean_equal.csv", index_col=0)["Rank"]
    for col in ("rank", "median rank", "rank 5%", "rank 95%"):
        assert d.values[col].tolist() == ref.tolist()


def test_uncertainty_flags_filled_cells_and_survives_a_nominal_method_that_does_not_fit(toy):
    x, dirs = toy
    u = uncertainty(x, dirs, runs=100, imputation="median")
    assert u.values.loc["R5", "imputed"] == "Invest_pc" and (u.values.drop(index="R5")["imputed"] == "").all()
    # a negative value: the ratio rule (the nominal default) does not fit, the other normalisations do
    y = x.copy()
    y.loc["R1", "GRP_pc"] = -5.0
    u = uncertainty(y, dirs, runs=100)
    assert u.values["rank"].isna().all() and "negative" in u.reason_at("R1", "rank")
    assert u.values["median rank"].notna().all()
    assert any("left out of the draws" in n and "ratio" in n for n in u.notes)


def test_uncertainty_bad_arguments(toy):
    x, dirs = toy
    with pytest.raises(InputError, match="runs"):
        uncertainty(x, dirs, runs=0)
    with pytest.raises(InputError, match="spread"):
        uncertainty(x, dirs, spread=1.5)
    with pytest.raises(InputError, match="seed"):
        uncertainty(x, dirs, seed=-1)


# ------------------------------------------------------------------------------------------------
# coherence


def test_coherence_by_hand():
    # 'same' is a linear function of 'base' (min-max scores equal); 'rev' equals 'base' but less is better, so its
    # scores are 1 - those of 'base'. Index = (s + s + 1 - s)/3 = (s + 1)/3: r(index, base) = 1,
    # r(index, rev) = -1, r(base, rev) = -1.
    x = pd.DataFrame({"base": [1.0, 2, 4, 8], "same": [3.0, 5, 9, 17], "rev": [1.0, 2, 4, 8]},
                     index=["A", "B", "C", "D"])
    c = coherence(x, ["+", "+", "-"], method="minmax").values
    assert list(c.columns) == ["base", "same", "rev", "index"]
    np.testing.assert_allclose(c.loc["base", ["same", "rev", "index"]].to_numpy(dtype=float), [1, -1, 1], atol=1e-12)
    np.testing.assert_allclose(c.loc["rev", "index"], -1, atol=1e-12)


def test_pearson_and_spearman_by_hand():
    # scores s = (0, 0.5, 1), t = (0, 1, 0.5) (min-max of the raw values below). Pearson: deviations
    # (-.5, 0, .5) and (-.5, .5, 0): sum of products 0.25, sums of squares 0.5 and 0.5 -> r = 0.5.
    # Spearman: ranks (1,2,3) and (1,3,2): r = (1 + 0 + 0)/2 = 0.5 as well; a fourth region makes them differ:
    x = pd.DataFrame({"s": [0.0, 5, 10], "t": [0.0, 10, 5]}, index=["A", "B", "C"])
    assert coherence(x, method="minmax").values.loc["s", "t"] == pytest.approx(0.5, rel=1e-12)
    # s = (0, 1, 2, 10), t = (0, 2, 1, 3): ranks (1,2,3,4) and (1,3,2,4): Spearman 1 - 6*2/(4*15) = 0.8
    y = pd.DataFrame({"s": [0.0, 1, 2, 10], "t": [0.0, 2, 1, 3]}, index=["A", "B", "C", "D"])
    assert coherence(y, method="minmax", correlation="spearman").values.loc["s", "t"] == pytest.approx(0.8)


def test_cronbach_alpha_by_hand():
    # two identical items: alpha = 2/1 * (1 - 2v/4v) = 1; two items with zero covariance and equal variance:
    # var(sum) = 2v -> alpha = 2 * (1 - 2v/2v) = 0
    assert cronbach_alpha(np.array([[1.0, 1], [2, 2], [4, 4]])) == pytest.approx(1.0)
    assert cronbach_alpha(np.array([[1.0, 1], [-1, 1], [1, -1], [-1, -1]])) == pytest.approx(0.0)
