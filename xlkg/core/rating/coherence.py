"""Coherence of the rating: how each indicator moves with the index, and the indicators with each
other (beyond the seed; COINr's `get_corr()` and the COIN Tool's correlation check).

The scores of every indicator (after imputation, treatment and normalisation, so that each already
reads "higher = better", or "lower = better" for the sum of places and the distance, like the index)
are correlated pairwise over the regions that have both values:

* ``pearson`` (default): Pearson's r, as Excel's CORREL/PEARSON over the pairs;
* ``spearman``: Pearson's r of the ranks (average ranks for ties), as COINr's `cor_method = "spearman"`.

The result is a square table over the indicators and the index ('index' last row and column). An
indicator whose correlation with the index is low or negative pulls against the rest: it may measure
something else, or be dominated by an outlier (see `treat`). Two indicators correlating above about
0.9 double-count one thing. (Thresholds are reading aids of the COIN Tool, not rules.)

Cronbach's alpha of the indicator scores (regions with every score), a summary of how consistently the
indicators measure one thing, is given in the notes: alpha = k/(k-1) * (1 - sum var_k / var(sum_k)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..cells import Table
from ..result import InputError, Result
from .aggregate import aggregate_core, resolve
from .compose import prepare
from .impute import DEFAULT_IMPUTATION
from .normalise import normalise_core
from .options import (
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    check_min_coverage,
    parse_directions,
    parse_weights,
)
from .treat import DEFAULT_TREATMENT

CORRELATIONS = ("pearson", "spearman")
INDEX = "index"
MIN_PAIRS = 3


@dataclass
class CoherenceResult(Result):
    """Result of `coherence`; `imputed` and `treated`: True where a cell was filled or treated before the
    correlations were taken (regions x indicators)."""

    imputed: pd.DataFrame | None = None
    treated: pd.DataFrame | None = None


def parse_correlation(name, *, arg: str = "correlation") -> str:
    if name is None or (isinstance(name, str) and not name.strip()):
        return "pearson"
    key = str(name).strip().casefold()
    key = {"pearson": "pearson", "correl": "pearson", "пирсон": "pearson", "spearman": "spearman",
           "rank": "spearman", "спирмен": "spearman"}.get(key)
    if key is None:
        raise InputError(f"{arg}: expected 'pearson' (default) or 'spearman', got {name!r}")
    return key


def _corr(X: np.ndarray, spearman: bool) -> np.ndarray:
    """Pairwise-complete correlation matrix of the columns of X (NaN below MIN_PAIRS pairs or sd 0)."""
    frame = pd.DataFrame(X)
    return frame.corr(method="spearman" if spearman else "pearson", min_periods=MIN_PAIRS).to_numpy()


def cronbach_alpha(S: np.ndarray) -> float:
    """Cronbach's alpha of the columns of S over the rows with every value (NaN if fewer than 2 of either)."""
    full = S[~np.isnan(S).any(axis=1)]
    k = S.shape[1]
    if k < 2 or full.shape[0] < 2:
        return float("nan")
    var_items = full.var(axis=0, ddof=1).sum()
    var_total = full.sum(axis=1).var(ddof=1)
    if var_total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - var_items / var_total))


def coherence(indicators, directions=None, weights=None, method: str = DEFAULT_METHOD,
              aggregation: str | None = None, min_coverage: float = DEFAULT_MIN_COVERAGE, *,
              correlation: str = "pearson", imputation: str = DEFAULT_IMPUTATION,
              treatment: str = DEFAULT_TREATMENT, reference=None) -> CoherenceResult:
    """Correlation of every indicator's scores with the index and with each other (module docstring).

    Result.values: square DataFrame, rows and columns = the indicators, then 'index'.
    """
    m, agg = resolve(method, aggregation, weights is not None)
    cov = check_min_coverage(min_coverage)
    kind = parse_correlation(correlation)
    p = prepare(indicators, imputation=imputation, treatment=treatment, method=m)
    dirs = parse_directions(directions, p.x.columns)
    w = parse_weights(weights, p.x.columns)
    B, _, notes, _ = normalise_core(p.x, dirs, m, reference)
    score, _ = aggregate_core(B, p.x.columns, m, agg, w, cov)
    S = np.column_stack([B, score])
    C = _corr(S, kind == "spearman")
    index = INDEX if INDEX not in set(map(str, p.x.columns)) else f"{INDEX} ({m}/{agg})"
    labels = list(p.x.columns) + [index]
    values = pd.DataFrame(C, index=labels, columns=labels)
    why = np.where(np.isnan(C), f"fewer than {MIN_PAIRS} regions with both values, or no variation", None)
    pre = list(indicators.notes) if isinstance(indicators, Table) else []
    alpha = cronbach_alpha(B)
    notes = pre + p.notes + notes + [f"Cronbach's alpha of the indicator scores: {alpha:.3f}" if np.isfinite(alpha)
                                     else "Cronbach's alpha: not computable (too few regions with every score)"]
    text = (f"Coherence ({'Pearson r' if kind == 'pearson' else 'Spearman rank correlation'}, pairwise over the "
            f"regions with both values, as COINr get_corr) of the indicator scores ('{m}' normalisation, "
            f"directions applied) with each other and with the index ('{m}/{agg}'); " + p.text)
    return CoherenceResult(values=values, reasons=pd.DataFrame(why, index=labels, columns=labels, dtype=object),
                           method=text, notes=notes, imputed=p.imputed, treated=p.treated)
