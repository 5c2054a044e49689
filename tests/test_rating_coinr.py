"""The rating against COINr 1.1.14's outputs (tests/data/vectors/coinr_rating_toy_8x5; the folder's README
gives the call behind each file): min-max and z-score normalisation, the rank normalisations, and the
arithmetic-mean index with its ranks (equal weights, weights 2,1,1,1,1, data threshold 0.9).

Where xlkg defines a thing differently from COINr the test states the relation instead of equality:
xlkg's 'rank' normalisation is a place (1 = best, ties share the better place, as RANK.EQ), COINr's n_rank a
rank from the worst (1 = worst, ties share the lower number: ties.method "min" on the flipped values).
Tolerance: relative 1e-12 (the README's).
"""

import numpy as np
import pandas as pd
import pytest

from conftest import VECTORS
from xlkg.core.rating import normalise, rate

CASE = VECTORS / "coinr_rating_toy_8x5"


def read(name):
    return pd.read_csv(CASE / name, index_col=0)


@pytest.fixture(scope="module")
def data():
    x = read("input_indicators.csv")
    meta = pd.read_csv(CASE / "input_indicator_meta.csv").set_index("iCode").loc[list(x.columns)]
    return x, meta


def same(got: pd.DataFrame | pd.Series, ref):
    assert list(got.index) == list(ref.index)
    g, r = np.asarray(got, dtype=float), np.asarray(ref, dtype=float)
    assert np.array_equal(np.isnan(g), np.isnan(r))
    ok = ~np.isnan(r)
    np.testing.assert_allclose(g[ok], r[ok], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("method, file", [("minmax", "COINr_n_minmax.csv"), ("zscore", "COINr_n_zscore.csv")])
def test_normalisation_agrees_with_coinr(data, method, file):
    x, meta = data
    got = normalise(x, directions=meta["Direction"].tolist(), method=method).values
    ref = read(file)
    assert list(got.columns) == list(ref.columns)
    same(got, ref)


def test_rank_normalisations_relate_to_coinr(data):
    # xlkg place p = 1 + (number of better values); COINr n_rank r = 1 + (number of worse values), so with k
    # regions having the indicator and t regions sharing the value: r = k + 2 - p - t (= k + 1 - p without
    # ties). n_prank = (r - 1)/(k - 1).
    x, meta = data
    dirs = meta["Direction"].to_numpy()
    p = normalise(x, directions=dirs.tolist(), method="rank").values.to_numpy()
    X = x.to_numpy(dtype=float) * dirs  # COINr flips "less is better" indicators first
    k = (~np.isnan(X)).sum(axis=0)
    t = (X[:, None, :] == X[None, :, :]).sum(axis=1)  # regions with the same value, itself included
    expected = np.where(np.isnan(X), np.nan, k + 2 - p - t)
    same(pd.DataFrame(expected, index=x.index), read("COINr_n_rank.csv"))
    same(pd.DataFrame((expected - 1) / (k - 1), index=x.index), read("COINr_n_prank.csv"))
    # the tie (Wage 18.2 for R2 and R6): COINr ranks both 2 (from the worst), xlkg places both 6th of 8
    wage = list(x.columns).index("Wage")
    assert p[[1, 5], wage].tolist() == [6, 6] and read("COINr_n_rank.csv")["Wage"][["R2", "R6"]].tolist() == [2, 2]


@pytest.mark.parametrize("file, weights, min_coverage", [
    ("COINr_Aggregate_amean_equal.csv", None, 0.2),
    ("COINr_Aggregate_amean_w2.csv", "Weight_alt", 0.2),
    # COINr: NA when (available / n) < dat_thresh; xlkg: a region needs ceil(min_coverage * n) indicators;
    # both mean 5 of 5 at 0.9, so R5 (4 of 5) has no index
    ("COINr_Aggregate_amean_equal_datthresh0.9.csv", None, 0.9),
])
def test_index_and_rank_agree_with_coinr(data, file, weights, min_coverage):
    x, meta = data
    w = None if weights is None else meta[weights].tolist()
    got = rate(x, directions=meta["Direction"].tolist(), weights=w, method="minmax", min_coverage=min_coverage).values
    ref = read(file)
    same(got["score"], ref["Index"])
    same(got["rank"], ref["Rank"])


def test_r5_by_hand(data):
    # README hand check: R5 has no Invest_pc; its index is the mean of its 4 min-max scores
    # (0.4008810573 + 0.6666666667 + 0.3882352941 + 0.3798076923) / 4 = 0.458897677590182, rank 5
    x, meta = data
    got = rate(x, directions=meta["Direction"].tolist(), method="minmax").values.loc["R5"]
    assert got["score"] == pytest.approx(0.458897677590182, rel=1e-12)
    assert got["rank"] == 5
