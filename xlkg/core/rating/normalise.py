"""Normalise: raw indicators -> scores b (region x indicator), honouring each indicator's direction."""

from __future__ import annotations

import math
import warnings
from numbers import Number

import numpy as np
import pandas as pd

from ..regions import match_key
from ..result import MISSING_INPUT, InputError, Result
from .options import (
    DEFAULT_METHOD,
    NORM_TEXT,
    as_label,
    check_indicators,
    parse_directions,
    parse_method,
    per_indicator,
)

# --------------------------------------------------------------------------------------------------
# Normalisation


def _reference_values(reference, x: pd.DataFrame, dirs: np.ndarray, arg: str = "reference"):
    """Reference value per indicator for 'distance', and a text naming the reference."""
    X = x.to_numpy()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        best = np.where(dirs > 0, np.nanmax(X, axis=0), np.nanmin(X, axis=0))
    if reference is None or (isinstance(reference, str) and reference.strip().lower() in ("", "best", "ideal")):
        return best, "the best value of each indicator (max for more-is-better, min for less-is-better)"
    if isinstance(reference, (str, int, float)) and not isinstance(reference, bool):
        matches = [r for r in x.index if match_key(r) == match_key(str(reference))]
        if not matches:
            raise InputError(f"{arg}: no region is called '{reference}'; give one of "
                             + ", ".join(f"'{as_label(r)}'" for r in x.index) + " or leave it empty for the best values")
        return x.loc[matches[0]].to_numpy(dtype=float), f"region '{as_label(matches[0])}'"
    vals = per_indicator(reference, x.columns, arg, "reference value")
    out = np.empty(len(vals))
    for i, v in enumerate(vals):
        if v is None or isinstance(v, bool) or not isinstance(v, Number):
            raise InputError(f"{arg}: position {i + 1} (indicator '{as_label(x.columns[i])}') is {v!r}; "
                             f"expected a number")
        out[i] = float(v)
        if not math.isfinite(out[i]) or out[i] < 0:
            raise InputError(f"{arg}: position {i + 1} (indicator '{as_label(x.columns[i])}') is {v!r}; "
                             f"reference values must be finite and >= 0")
    return out, "the given reference values"


def check_reference(reference, method):
    if reference is not None and method != "distance" and not (isinstance(reference, str) and not reference.strip()):
        raise InputError(f"reference: a reference region is used only by method='distance' (method is "
                         f"'{method}'); leave reference out or choose method='distance'")


def normalise_core(x: pd.DataFrame, dirs: np.ndarray, method: str, reference=None, *, arg="indicators"):
    """Scores b (m x n array), per-cell reasons (object array), notes, and a reference text."""

    X = x.to_numpy(dtype=float)
    m, n = X.shape
    miss = np.isnan(X)
    plus = dirs > 0
    col_reason = np.full(n, None, dtype=object)
    cell_reason = np.full((m, n), None, dtype=object)
    ref_text = None

    if method in ("ratio", "distance"):
        neg = np.nan_to_num(X, nan=0.0) < 0
        if neg.any():
            i, j = np.argwhere(neg)[0]
            raise InputError(
                f"{arg}: indicator '{as_label(x.columns[j])}' is negative for region '{as_label(x.index[i])}' "
                f"({X[i, j]:g}); the {method} method (x/max, min/x) needs values >= 0: use method='minmax' "
                f"or 'zscore', or an indicator that cannot be negative (e.g. a profitability share instead "
                f"of a financial result)")

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        count = (~miss).sum(axis=0)
        mx = np.nanmax(X, axis=0) if m else np.full(n, np.nan)
        mn = np.nanmin(X, axis=0) if m else np.full(n, np.nan)
        if method == "ratio":
            B = np.where(plus, X / mx, mn / X)
            col_reason = np.where(plus & (mx == 0), "zero maximum: x/max is undefined", col_reason)
            col_reason = np.where(~plus & (mn == 0),
                                  "zero minimum of a less-is-better indicator: min/x is undefined "
                                  "(use method='minmax')", col_reason)
        elif method == "distance":
            ref, ref_text = _reference_values(reference, x, dirs)
            B = np.where(plus, X / ref, ref / X)
            col_reason = np.where(np.isnan(ref), "the reference has no value for this indicator", col_reason)
            col_reason = np.where(plus & (ref == 0), "the reference value is 0: x/ref is undefined", col_reason)
            col_reason = np.where(~plus & (ref == 0),
                                  "the reference value of a less-is-better indicator is 0: ref/x is undefined",
                                  col_reason)
            zero_cell = ~plus[None, :] & (X == 0)
            cell_reason = np.where(zero_cell, "value 0 of a less-is-better indicator: ref/x is undefined",
                                   cell_reason)
        elif method == "minmax":
            rng = mx - mn
            B = np.where(plus, (X - mn) / rng, (mx - X) / rng)
            col_reason = np.where(rng == 0, "all regions have the same value (max = min)", col_reason)
        elif method == "zscore":
            mu = np.nanmean(X, axis=0)
            sd = np.nanstd(X, axis=0, ddof=1)
            B = np.where(plus, 1.0, -1.0) * (X - mu) / sd
            col_reason = np.where(sd == 0, "all regions have the same value (standard deviation 0)", col_reason)
            col_reason = np.where(count < 2, "fewer than 2 regions have a value (no standard deviation)",
                                  col_reason)
        elif method == "rank":
            B = np.full((m, n), np.nan)
            for j in range(n):
                B[:, j] = pd.Series(X[:, j]).rank(method="min", ascending=not plus[j]).to_numpy()
        else:  # pragma: no cover - names are checked before
            raise InputError(f"method: '{method}' is not a normalisation method")
    col_reason = np.where(count == 0, MISSING_INPUT, col_reason)

    bad_col = np.array([r is not None for r in col_reason])
    reasons = np.where(bad_col[None, :], np.broadcast_to(col_reason, (m, n)), cell_reason)
    reasons = np.where(miss, MISSING_INPUT, reasons)
    B = np.where(np.equal(reasons, None), B, np.nan).astype(float)
    B[~np.isfinite(B)] = np.nan  # never inf (guarded above; this is a last safety net)
    notes = [f"indicator '{as_label(c)}': {r}; it counts as unavailable for every region"
             for c, r in zip(x.columns, col_reason, strict=True) if r is not None]
    return B, reasons, notes, ref_text


def normalise(indicators, directions=None, method: str = DEFAULT_METHOD, *, reference=None) -> Result:
    """Scores b per region and indicator (formulas in the module docstring; default 'ratio').

    Returns a Result whose values are a DataFrame shaped like `indicators`: b for ratio / minmax /
    zscore / distance (for distance b = x/ref or ref/x, whose distance to 1 is aggregated), the place
    (1 = best) for rank. NaN cells have their reason. `reference` (distance only): None for the best
    value of each indicator, a region label, or one value per indicator.
    """
    method = parse_method(method)
    check_reference(reference, method)
    x, missing = check_indicators(indicators)
    dirs = parse_directions(directions, x.columns)
    B, reasons, notes, ref_text = normalise_core(x, dirs, method, reference)
    reasons = _merge_missing(reasons, missing)
    values = pd.DataFrame(B, index=x.index, columns=x.columns)
    text = f"Normalisation: {NORM_TEXT[method]}"
    if ref_text:
        text += f"; reference: {ref_text}"
    return Result(values=values, reasons=pd.DataFrame(reasons, index=x.index, columns=x.columns, dtype=object),
                  method=text + "; directions: " + directions_text(x.columns, dirs), notes=notes)


def _merge_missing(reasons: np.ndarray, missing) -> np.ndarray:
    """Where the input reader gave a more precise reason for a missing cell, use it."""
    if missing is None:
        return reasons
    M = missing.to_numpy(dtype=object)
    better = np.equal(reasons, MISSING_INPUT) & ~pd.isna(M)
    return np.where(better, M, reasons)


def directions_text(labels, dirs) -> str:
    return ", ".join(f"{as_label(label)} {'+' if d > 0 else '-'}" for label, d in zip(labels, dirs, strict=True))


