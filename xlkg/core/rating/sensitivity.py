"""Sensitivity: each region's rank range over every method combination."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..result import InputError, Result
from .aggregate import resolve
from .normalise import directions_text
from .options import (
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    NORMALISATIONS,
    VALID,
    as_label,
    parse_aggregation,
    parse_method,
)
from .rate import checked_inputs, rate_frame

# --------------------------------------------------------------------------------------------------
# Sensitivity


@dataclass
class SensitivityResult(Result):
    """Result of `sensitivity`: `values` = the per-region summary, plus the full tables.

    ranks        regions x combinations: the RANK.EQ rank under each combination
    scores       regions x combinations: the score under each (higher or lower better, see `lower`)
    correlation  combinations x combinations: Spearman rank correlation between the rankings
    """

    ranks: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None
    correlation: pd.DataFrame | None = None


def combination_label(method: str, aggregation: str, dropped=None) -> str:
    """How a combination is named in sensitivity tables: 'ratio/mean', 'rank/mean without Wages'."""
    base = f"{method}/{aggregation}"
    return base if dropped is None else f"{base} without {as_label(dropped)}"


def sensitivity(indicators, directions=None, weights=None, method: str = DEFAULT_METHOD,
                aggregation: str | None = None, min_coverage: float = DEFAULT_MIN_COVERAGE, *,
                methods=None, aggregations=None, drop_one: bool = False, reference=None) -> SensitivityResult:
    """How much each region's rank depends on the choice of method (beyond the seed, as COINr does).

    Rates the regions with every valid combination of normalisation (`methods`, default all five) and
    aggregation (`aggregations`, default 'mean' and 'geometric', plus 'weighted' when weights are
    given; 'mean'/'geometric' then use equal weights). Combinations that do not fit ('zscore',
    'rank', 'distance' with 'geometric') are skipped and named in the notes. With drop_one, every
    combination is also computed once without each indicator in turn.

    `method`/`aggregation` name the baseline whose rank is shown first (default ratio/mean, or
    ratio/weighted with weights).

    values: DataFrame (regions in input order) with columns 'rank' (baseline), 'best rank',
      'worst rank', 'rank range' (worst - best), 'best with', 'worst with' (the first combination
      that gives the best / worst rank).
    ranks / scores: regions x combinations. correlation: Spearman rank correlation between
      combinations (pairwise over regions ranked by both; ties as average ranks).
    """
    base_method, base_agg = resolve(method, aggregation, weights is not None)
    x, missing, dirs, w, min_coverage = checked_inputs(indicators, directions, weights, min_coverage)
    if methods is None:
        methods = list(NORMALISATIONS)
    elif isinstance(methods, str):
        methods = [methods]
    methods = [parse_method(m, arg="methods") for m in methods]
    if aggregations is None:
        aggregations = ["mean", "geometric"] + (["weighted"] if w is not None else [])
    elif isinstance(aggregations, str):
        aggregations = [aggregations]
    aggregations = [parse_aggregation(a, arg="aggregations") for a in aggregations]
    if "weighted" in aggregations and w is None:
        raise InputError("aggregations: 'weighted' needs weights (one number >= 0 per indicator)")
    if drop_one and x.shape[1] < 2:
        raise InputError("drop_one: dropping an indicator needs at least 2 indicators")

    combos, skipped, dropped_all = [], [], []
    for m_ in dict.fromkeys(methods):
        for a in dict.fromkeys(aggregations):
            (combos if a in VALID[m_] else skipped).append((m_, a))
    if (base_method, base_agg) not in combos:
        combos.insert(0, (base_method, base_agg))
    ranks, scores = {}, {}
    for m_, a in combos:
        ww = w if a == "weighted" else None
        v, _, _, _ = rate_frame(x, missing, dirs, ww, m_, a, min_coverage, reference)
        ranks[combination_label(m_, a)] = v["rank"]
        scores[combination_label(m_, a)] = v["score"]
        if drop_one:
            for j, c in enumerate(x.columns):
                keep = [k for k in range(x.shape[1]) if k != j]
                xs = x.iloc[:, keep]
                wk = None if ww is None else (ww[keep] / ww[keep].sum() if ww[keep].sum() > 0 else None)
                if ww is not None and wk is None:
                    dropped_all.append(combination_label(m_, a, c))
                    continue
                v, _, _, _ = rate_frame(xs, None, dirs[keep], wk, m_, a, min_coverage, reference)
                ranks[combination_label(m_, a, c)] = v["rank"]
                scores[combination_label(m_, a, c)] = v["score"]
    RK = pd.DataFrame(ranks, index=x.index)
    SC = pd.DataFrame(scores, index=x.index)
    base = RK[combination_label(base_method, base_agg)]
    best = RK.min(axis=1, skipna=True)
    worst = RK.max(axis=1, skipna=True)
    any_rank = RK.notna().any(axis=1)
    best_with = pd.Series([RK.columns[np.nanargmin(row)] if ok else None for row, ok in
                           zip(RK.to_numpy(), any_rank, strict=True)], index=x.index, dtype=object)
    worst_with = pd.Series([RK.columns[np.nanargmax(row)] if ok else None for row, ok in
                            zip(RK.to_numpy(), any_rank, strict=True)], index=x.index, dtype=object)
    values = pd.DataFrame({"rank": base, "best rank": best, "worst rank": worst, "rank range": worst - best,
                           "best with": best_with, "worst with": worst_with}, index=x.index)
    no = "no rank under any method combination (too few indicators with data)"
    reasons = pd.DataFrame(None, index=x.index, columns=values.columns, dtype=object)
    reasons.loc[~any_rank.to_numpy(), :] = no
    reasons.loc[base.isna().to_numpy() & any_rank.to_numpy(), "rank"] = "no rank under the baseline combination"
    corr = RK.corr(method="spearman", min_periods=2)
    notes = []
    if skipped:
        notes.append("skipped (the aggregation does not fit the normalisation): "
                     + ", ".join(combination_label(m_, a) for m_, a in skipped))
    if dropped_all:
        notes.append("skipped (no indicator with a weight above 0 is left): " + ", ".join(dropped_all))
    partial = RK.isna().any(axis=1) & any_rank
    for r in x.index[partial.to_numpy()]:
        notes.append(f"region '{as_label(r)}' has no rank under some combinations; its best/worst use the others")
    text = ("Sensitivity of the integral rating (beyond the seed; rank range over method combinations as in "
            "composite-indicator practice): combinations " + ", ".join(combination_label(m_, a) for m_, a in combos)
            + f"{'; each also without one indicator at a time' if drop_one else ''}; baseline {combination_label(base_method, base_agg)}; ranks as RANK.EQ, 1 = best; Spearman "
              f"correlation between the rankings; min_coverage {min_coverage:g}; directions: "
            + directions_text(x.columns, dirs))
    return SensitivityResult(values=values, reasons=reasons, method=text, notes=notes, ranks=RK, scores=SC,
                             correlation=corr)


