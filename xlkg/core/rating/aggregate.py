"""Aggregate: scores -> one number per region (formula (2) and its alternatives), and RANK.EQ ranks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..result import InputError, Result
from .options import (
    AGG_TEXT,
    DEFAULT_AGGREGATION,
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    RANK_DECIMALS,
    VALID,
    as_label,
    check_indicators,
    check_min_coverage,
    parse_aggregation,
    parse_method,
    parse_weights,
)

# --------------------------------------------------------------------------------------------------
# Aggregation and ranks


def aggregate_core(B: np.ndarray, labels, method: str, aggregation: str, w: np.ndarray | None,
                    min_coverage: float):
    """Aggregated score per region (array) and reasons (object array)."""
    m, n = B.shape
    avail = ~np.isnan(B)
    k = avail.sum(axis=1)
    need = max(1, math.ceil(min_coverage * n - 1e-9))
    # Equal weights are counted as 1 each (not 1/n) so that sums of places stay exact integers.
    weights = np.ones(n) if w is None else np.asarray(w, dtype=float) * n
    W = np.where(avail, weights[None, :], 0.0)
    wsum = W.sum(axis=1)
    B0 = np.where(avail, B, 0.0)
    with np.errstate(all="ignore"):
        if method == "rank":
            score = n * (W * B0).sum(axis=1) / wsum
        elif method == "distance":
            score = np.sqrt(n * (W * (1.0 - B0) ** 2 * avail).sum(axis=1) / wsum)
        elif aggregation == "geometric":
            zero = (avail & (B0 == 0)).any(axis=1)
            logs = np.where(avail & (B0 > 0), np.log(np.where(B0 > 0, B0, 1.0)), 0.0)
            score = np.where(zero, 0.0, np.exp((W * logs).sum(axis=1) / wsum))
        else:
            score = (W * B0).sum(axis=1) / wsum
    reasons = np.full(m, None, dtype=object)
    low = k < need
    names = labels.tolist() if hasattr(labels, "tolist") else list(labels)
    for i in np.flatnonzero(low):
        absent = [as_label(names[j]) for j in np.flatnonzero(~avail[i])]
        shown = ", ".join(f"'{a}'" for a in absent[:3]) + (", …" if len(absent) > 3 else "")
        reasons[i] = (f"{k[i]} of {n} indicators available, {need} needed (min_coverage {min_coverage:g}); "
                      f"missing {shown}")
    zero_w = ~low & (wsum <= 0)
    reasons[zero_w] = "the indicators available for this region all have weight 0"
    score = np.where(low | zero_w, np.nan, score)
    score[~np.isfinite(score)] = np.nan
    return score, reasons


def rank_eq(values, *, ascending: bool = False, decimals: int = RANK_DECIMALS) -> pd.Series:
    """Ranks as Excel's RANK.EQ: 1 = highest (or lowest with ascending=True), ties share the best
    place and the next place is skipped (3, 1, 3, 2 -> 1, 4, 1, 3). NaN stays NaN. Values are compared
    after rounding to `decimals` decimals."""
    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    return s.round(decimals).rank(method="min", ascending=ascending)


def resolve(method, aggregation, weights_given: bool, *, arg_method="method", arg_agg="aggregation"):
    method = parse_method(method, arg=arg_method)
    agg = parse_aggregation(aggregation, arg=arg_agg)
    if agg is None:
        agg = "weighted" if weights_given else DEFAULT_AGGREGATION
    if agg == "weighted" and not weights_given:
        raise InputError(f"{arg_agg}: 'weighted' needs weights (one number >= 0 per indicator); give weights "
                         f"or use aggregation='mean'")
    if agg != "weighted" and weights_given:
        raise InputError(f"{arg_agg}: '{agg}' gives every indicator the same weight, but weights were given; "
                         f"use aggregation='weighted' (or leave it empty), or leave weights out")
    if agg not in VALID[method]:
        why = {"zscore": "z-scores are negative for below-average regions",
               "rank": "the sum-of-places method adds places",
               "distance": "the distance method has its own rule, sqrt(sum (1-b)^2)"}[method]
        raise InputError(f"{arg_agg}: '{agg}' does not go with method='{method}' ({why}); use "
                         + " or ".join(f"'{a}'" for a in VALID[method]))
    return method, agg


def aggregate(scores, method: str = DEFAULT_METHOD, aggregation: str | None = None, weights=None,
              min_coverage: float = DEFAULT_MIN_COVERAGE) -> Result:
    """One number per region from normalised scores (the values of `normalise`).

    `method` is the normalisation that produced the scores (it decides how they are combined: places
    are summed, distances are root-sum-squared). Aggregation 'mean' (default, formula (2)),
    'geometric' or 'weighted' (the default when weights are given). A region with fewer than
    ceil(min_coverage * n) available scores gets NaN and the reason.
    """
    if isinstance(scores, Result):
        scores = scores.values
    b, _ = check_indicators(scores, arg="scores")
    min_coverage = check_min_coverage(min_coverage)
    w = parse_weights(weights, b.columns)
    method, agg = resolve(method, aggregation, w is not None)
    score, reasons = aggregate_core(b.to_numpy(dtype=float), b.columns, method, agg, w, min_coverage)
    return Result(values=pd.Series(score, index=b.index, name="score"),
                  reasons=pd.Series(reasons, index=b.index, dtype=object),
                  method=f"Aggregation: {AGG_TEXT[(method, agg)]}; min_coverage {min_coverage:g}")


