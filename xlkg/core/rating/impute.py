"""Missing values: leave them out (default) or fill them with the indicator's mean or median, and say
so in every result (beyond the seed; COINr's `Impute()` with `i_mean` / `i_median` over an indicator).

* ``none`` (default): nothing is filled. A region is rated on the indicators it has (see the rating's
  min_coverage), which is the seed's formula (2) over its available scores.
* ``mean``: a missing cell takes the mean of the indicator over the regions that have it.
* ``median``: the same with the median (robust to the outlier one region may be).

Imputation works on the raw values, before outlier treatment and normalisation (COINr's order). An
indicator no region has stays missing. Every filled cell is listed in `Result.notes` and flagged in
`Result.imputed` (True where filled), so a rating that rests on a filled value can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import check_method
from ..result import Result
from .options import as_label, check_indicators

IMPUTATIONS = ("none", "mean", "median")
DEFAULT_IMPUTATION = "none"

_ALIASES = {"no": "none", "off": "none", "average": "mean", "i mean": "mean", "i median": "median"}


def parse_imputation(name, *, arg: str = "imputation") -> str:
    """The imputation named by `name` (default 'none'), in English, Russian or Kyrgyz."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return DEFAULT_IMPUTATION
    return check_method(name, IMPUTATIONS, arg=arg, aliases=_ALIASES, what="an imputation", kind="imputation",
                        choices="'none' (default: missing values are left out), 'mean' or 'median' (of the "
                                "indicator over the regions)")


@dataclass
class ImputeResult(Result):
    """Result of `impute`: `values` = the table with filled cells; `imputed` = True where a cell was filled."""

    imputed: pd.DataFrame | None = None


def impute(indicators, method: str = DEFAULT_IMPUTATION) -> ImputeResult:
    """Fill missing values by the indicator's mean or median, or not at all (module docstring)."""
    method = parse_imputation(method)
    x, missing = check_indicators(indicators)
    X = x.to_numpy(dtype=float)
    gap = np.isnan(X)
    fill = np.full(X.shape[1], np.nan)
    has = (~gap).any(axis=0)
    if method != "none" and has.any():
        fill[has] = (np.nanmean if method == "mean" else np.nanmedian)(X[:, has], axis=0)
    V = np.where(gap, fill[None, :], X) if method != "none" else X.copy()
    imputed = gap & ~np.isnan(V)
    rows, cols = x.index.tolist(), x.columns.tolist()
    notes = [f"region '{as_label(rows[i])}', indicator '{as_label(cols[j])}': no data, filled with the "
             f"indicator's {method} {V[i, j]:.6g}" for i, j in zip(*np.nonzero(imputed), strict=True)]
    reasons = None
    if missing is not None:
        reasons = missing.where(~imputed & gap, None)
    text = {"none": "Missing values: not imputed (a region is rated on the indicators it has)",
            "mean": "Missing values: filled with the indicator's mean over the regions with a value (COINr i_mean)",
            "median": "Missing values: filled with the indicator's median over the regions with a value "
                      "(COINr i_median)"}[method]
    return ImputeResult(values=pd.DataFrame(V, index=x.index, columns=x.columns), reasons=reasons, method=text,
                        notes=notes, imputed=pd.DataFrame(imputed, index=x.index, columns=x.columns))
