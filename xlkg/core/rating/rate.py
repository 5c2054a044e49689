"""Rate: normalise, aggregate and rank one table of indicators."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..cells import Table
from ..result import Result
from .aggregate import aggregate_core, rank_eq, resolve
from .normalise import check_reference, directions_text, normalise_core
from .options import (
    AGG_TEXT,
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    LOWER_IS_BETTER,
    NORM_TEXT,
    as_label,
    check_indicators,
    check_min_coverage,
    parse_directions,
    parse_weights,
)

# --------------------------------------------------------------------------------------------------
# The rating


def method_text(method, agg, min_coverage, labels, dirs, w, ref_text=None) -> str:
    better = "lowest" if method in LOWER_IS_BETTER else "highest"
    parts = [
        f"Integral rating ({'seed formula (2), score rule reconstructed' if (method, agg) == ('ratio', 'mean') else 'variant of seed formula (2)'})",
        f"normalisation '{method}': {NORM_TEXT[method]}",
        f"aggregation '{agg}': {AGG_TEXT[(method, agg)]}",
    ]
    if ref_text:
        parts.append(f"reference: {ref_text}")
    parts.append(f"over available indicators; a region needs at least {max(1, math.ceil(min_coverage * len(labels) - 1e-9))} "
                 f"of {len(labels)} (min_coverage {min_coverage:g})")
    parts.append(f"rank as RANK.EQ, 1 = {better} score")
    parts.append("directions: " + directions_text(labels, dirs))
    if w is not None:
        parts.append("weights (normalised): " + ", ".join(f"{as_label(label)} {v:.4g}" for label, v in zip(labels, w, strict=True)))
    return "; ".join(parts)


def checked_inputs(indicators, directions, weights, min_coverage):
    """The checked table, the reader's reasons, directions, normalised weights and min_coverage."""
    min_coverage = check_min_coverage(min_coverage)
    x, missing = check_indicators(indicators)
    return x, missing, parse_directions(directions, x.columns), parse_weights(weights, x.columns), min_coverage


def rate_frame(x, missing, dirs, w, method, agg, min_coverage, reference):
    """Scores and ranks for one checked table: (values DataFrame, reasons DataFrame, notes, ref_text)."""
    B, breasons, notes, ref_text = normalise_core(x, dirs, method, reference)
    score, reasons = aggregate_core(B, x.columns, method, agg, w, min_coverage)
    rank = rank_eq(pd.Series(score, index=x.index), ascending=method in LOWER_IS_BETTER)
    avail = ~np.isnan(B)
    usable = avail.any(axis=0)  # indicators left out for everybody are already in the notes
    partial = ~np.isnan(score) & ((~avail & usable).sum(axis=1) > 0)
    cols, rows, gaps = x.columns.tolist(), x.index.tolist(), ~avail & usable  # lists: no pandas boxing per item
    for i in np.flatnonzero(partial):
        absent = [f"'{as_label(cols[j])}'" for j in np.flatnonzero(gaps[i])]
        notes.append(f"region '{as_label(rows[i])}': score from {avail[i].sum()} of {B.shape[1]} indicators "
                     f"(no score for {', '.join(absent)})")
    values = pd.DataFrame({"score": score, "rank": rank.to_numpy()}, index=x.index)
    r = pd.DataFrame({"score": reasons, "rank": reasons}, index=x.index, dtype=object)
    return values, r, notes, ref_text


def rate(indicators, directions=None, weights=None, method: str = DEFAULT_METHOD, aggregation: str | None = None,
         min_coverage: float = DEFAULT_MIN_COVERAGE, *, reference=None) -> Result:
    """Integral rating of regions: a score and a RANK.EQ rank per region, in the input order.

    indicators   regions (rows) x indicators (columns), numbers; empty/NaN = no data. A table read by
                 `xlkg.core.cells.read_table` is accepted too (its reasons for missing cells are kept).
    directions   one per indicator: '+' / 1 more is better, '-' / -1 less is better; default all '+'.
    weights      one number >= 0 per indicator (list in column order, or label -> weight); normalised
                 to sum 1. Giving weights selects aggregation 'weighted'.
    method       normalisation: 'ratio' (default; b = x/max, min/x: seed formula (2) reconstructed),
                 'minmax', 'zscore', 'rank' (sum of places), 'distance'.
    aggregation  'mean' (default without weights: formula (2)), 'geometric', 'weighted'.
    min_coverage share of indicators a region must have to get a score (default 0.5: at least half).
    reference    'distance' only: None = best value per indicator, or a region label, or values.

    Result.values: DataFrame with columns 'score' and 'rank'. For 'ratio', 'minmax', 'zscore' a higher
    score is better; for 'rank' (sum of places) and 'distance' a lower one is; rank 1 is always best.
    Result.reasons says why a region has no score; Result.method states formula, source and variant.
    """
    method, agg = resolve(method, aggregation, weights is not None)
    check_reference(reference, method)
    x, missing, dirs, w, min_coverage = checked_inputs(indicators, directions, weights, min_coverage)
    values, reasons, notes, ref_text = rate_frame(x, missing, dirs, w, method, agg, min_coverage, reference)
    if isinstance(indicators, Table):  # what the worksheet reader did (e.g. the national row taken out)
        notes = list(indicators.notes) + notes
    return Result(values=values, reasons=reasons,
                  method=method_text(method, agg, min_coverage, x.columns, dirs, w, ref_text), notes=notes)


