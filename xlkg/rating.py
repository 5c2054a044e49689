"""Integral regional rating (seed formula (2)), its alternatives, and how robust a rank is.

The seed ranks regions by an integral rating of industry's resource potential, effectiveness and
efficiency (ky: ресурстук дарамет, натыйжалуулук, жемиштүүлүк; ru: ресурсность, результативность,
эффективность)::

    R_r = (1/n) * sum_k b_rk                      formula (2): n = number of indicator scores
    b_rk = x_rk / max_r x_rk                      "more is better" (+) indicators
    b_rk = min_r x_rk / x_rk                      "less is better" (-) indicators

Only the legend of formula (2) survives ("rating score of the indicators; n the number of scores");
the score rule b above is a reconstruction (the ratio-to-best rule) and is the default. The
alternatives ministries use are chosen by name, one verb per step:

* `normalise(indicators, directions, method)` turns raw indicators into scores b (region x indicator);
* `aggregate(scores, method, aggregation, weights, min_coverage)` turns scores into one number a region;
* `rank_eq(values, ascending)` ranks like Excel's RANK.EQ;
* `rate(...)` does all three for one table; `rate_years(...)` for several years and the period;
* `sensitivity(...)` re-rates with every method combination and reports each region's rank range.

Normalisations (``method=``), each honouring the direction of every indicator:

=========  ==========================================================  =========================
name       score b_rk                                                  better
=========  ==========================================================  =========================
ratio      x/max (+), min/x (-)          [seed formula (2), default]   higher (b in (0, 1])
minmax     (x-min)/(max-min) (+), (max-x)/(max-min) (-)                higher (b in [0, 1])
zscore     (x-mean)/sd (+), (mean-x)/sd (-); sd with n-1 (STDEV.S)     higher
rank       place of the region, 1 = best, ties share the best place    lower (sum of places)
distance   b = x/ref (+), ref/x (-); ref = ideal (best) value or a     lower (distance)
           reference region; aggregated as sqrt(sum_k (1-b_rk)^2)
=========  ==========================================================  =========================

Aggregations (``aggregation=``), always over the indicators a region has (see min_coverage):

* ``mean`` (default): arithmetic mean, formula (2). For ``rank`` the score is the sum of places
  (n times the mean place, so that a region with a missing indicator is comparable); for
  ``distance`` it is sqrt(n/k * sum over its k available indicators of (1-b)^2), which is
  sqrt(sum (1-b)^2) when nothing is missing.
* ``geometric``: (prod b)^(1/k); for ``ratio`` and ``minmax`` only (it needs scores >= 0; a score
  of 0 makes it 0: no compensation).
* ``weighted``: sum w_k b_k / sum w_k over available indicators; weights >= 0, one per indicator,
  normalised to sum 1. For ``rank`` n times the weighted mean place, for ``distance``
  sqrt(n * sum w_k (1-b_k)^2 / sum w_k).

Data availability: a region needs at least ceil(min_coverage * n) of the n indicators (default
min_coverage = 0.5: at least half); below that it gets no score (NaN and the reason). An indicator
whose scores cannot be computed for any region (zero maximum, zero minimum of a "-" indicator under
ratio, all regions equal under minmax/zscore, no data) is NaN with the reason for every region and
counts as unavailable; the note says so.

Ranks are RANK.EQ: 1 = best, tied regions share the best place and the next place is skipped. Scores
are compared after rounding to 12 decimals so that equal scores reached by different arithmetic tie.
For ``ratio``, ``minmax``, ``zscore`` the highest score is rank 1; for ``rank`` (sum of places) and
``distance`` the lowest is.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from importlib import resources
from numbers import Number

import numpy as np
import pandas as pd

from .cells import Table
from .measures import find_total_labels
from .regions import match_key
from .result import MISSING_INPUT, InputError, Result

NORMALISATIONS = ("ratio", "minmax", "zscore", "rank", "distance")
AGGREGATIONS = ("mean", "geometric", "weighted")
DEFAULT_METHOD = "ratio"
DEFAULT_AGGREGATION = "mean"
DEFAULT_MIN_COVERAGE = 0.5
RANK_DECIMALS = 12

# Which aggregation fits which normalisation.
_VALID = {
    "ratio": ("mean", "geometric", "weighted"),
    "minmax": ("mean", "geometric", "weighted"),
    "zscore": ("mean", "weighted"),
    "rank": ("mean", "weighted"),
    "distance": ("mean", "weighted"),
}
# Lower aggregated score is better for these.
_LOWER_IS_BETTER = frozenset({"rank", "distance"})

_METHOD_ALIASES = {
    "ratio": "ratio", "ratio-to-best": "ratio", "ratio to best": "ratio", "best": "ratio",
    "minmax": "minmax", "min-max": "minmax", "min max": "minmax", "min_max": "minmax",
    "zscore": "zscore", "z-score": "zscore", "z score": "zscore", "z": "zscore", "standard": "zscore",
    "rank": "rank", "ranks": "rank", "places": "rank", "sum of places": "rank",
    "distance": "distance", "distances": "distance",
}
_AGG_ALIASES = {
    "mean": "mean", "arithmetic": "mean", "amean": "mean", "average": "mean", "arithmetic mean": "mean",
    "geometric": "geometric", "geomean": "geometric", "gmean": "geometric", "geometric mean": "geometric",
    "weighted": "weighted", "weighted mean": "weighted", "wmean": "weighted",
}

_NORM_TEXT = {
    "ratio": "b = x/max for more-is-better, b = min/x for less-is-better (ratio to best; seed formula (2), "
             "score rule reconstructed)",
    "minmax": "b = (x-min)/(max-min) for more-is-better, (max-x)/(max-min) for less-is-better (min-max; standard)",
    "zscore": "b = (x-mean)/sd for more-is-better, (mean-x)/sd for less-is-better, sd with n-1 as STDEV.S "
              "(z-score; standard)",
    "rank": "b = place of the region per indicator, 1 = best, ties share the best place as RANK.EQ "
            "(sum of places; standard)",
    "distance": "b = x/ref for more-is-better, ref/x for less-is-better, distance sqrt(sum (1-b)^2) "
                "(distance to a reference; standard)",
}
_AGG_TEXT = {
    ("ratio", "mean"): "R = (1/n) sum b (arithmetic mean, seed formula (2))",
    ("minmax", "mean"): "R = (1/n) sum b (arithmetic mean)",
    ("zscore", "mean"): "R = (1/n) sum b (arithmetic mean)",
    ("ratio", "geometric"): "R = (prod b)^(1/n) (geometric mean)",
    ("minmax", "geometric"): "R = (prod b)^(1/n) (geometric mean; a score of 0 makes it 0)",
    ("ratio", "weighted"): "R = sum w b / sum w (weighted arithmetic mean)",
    ("minmax", "weighted"): "R = sum w b / sum w (weighted arithmetic mean)",
    ("zscore", "weighted"): "R = sum w b / sum w (weighted arithmetic mean)",
    ("rank", "mean"): "S = sum of places (n times the mean place over available indicators)",
    ("rank", "weighted"): "S = n * sum w place / sum w (weighted sum of places)",
    ("distance", "mean"): "D = sqrt(sum (1-b)^2) (scaled by n/k when k of n indicators are available)",
    ("distance", "weighted"): "D = sqrt(n * sum w (1-b)^2 / sum w) (weighted distance)",
}


# The seed's three sides of the rating, named as in its parallel Kyrgyz and Russian sentences
# ("ресурстук дараметинин, натыйжалуулугунун жана жемиштүүлүгүн" / "ресурсности, результативности и
# эффективности").
GROUPS = {
    "resource_potential": {"ky": "ресурстук дарамет", "ru": "ресурсность", "en": "resource potential"},
    "effectiveness": {"ky": "натыйжалуулук", "ru": "результативность", "en": "effectiveness"},
    "efficiency": {"ky": "жемиштүүлүк", "ru": "эффективность", "en": "efficiency"},
}


def suggested_indicators() -> pd.DataFrame:
    """The suggested indicator set for the industrial rating (package data rating_indicators.csv).

    Columns: key, group (resource_potential / effectiveness / efficiency, see GROUPS), ky, ru, en,
    unit, direction ('+' more is better, '-' less is better), note (where the National Statistical
    Committee publishes it, or how it is derived, and caveats). Our suggestion, not the seed's list.
    """
    with resources.files("xlkg").joinpath("data/rating_indicators.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------------------------------
# Argument checking


def _choose(name, aliases: dict, valid: tuple, arg: str, what: str, choices_text: str) -> str:
    if not isinstance(name, str):
        raise InputError(f"{arg}: expected the name of {what}, got {name!r}; choose one of {choices_text}")
    key = " ".join(name.strip().lower().replace("_", " ").split())
    key = aliases.get(key, key)
    if key not in valid:
        raise InputError(f"{arg}: '{name}' is not {what}; choose one of {choices_text}")
    return key


_METHOD_CHOICES = ("'ratio' (default: x/max, min/x), 'minmax', 'zscore', 'rank' (sum of places), "
                   "'distance' (to the best values or a reference region)")
_AGG_CHOICES = "'mean' (default, formula (2)), 'geometric', 'weighted' (needs weights)"


def parse_method(method, *, arg: str = "method") -> str:
    """The normalisation named by `method` (case and spelling tolerant); default 'ratio'."""
    if method is None or (isinstance(method, str) and not method.strip()):
        return DEFAULT_METHOD
    return _choose(method, _METHOD_ALIASES, NORMALISATIONS, arg, "a normalisation method", _METHOD_CHOICES)


def parse_aggregation(aggregation, *, arg: str = "aggregation") -> str | None:
    """The aggregation named by `aggregation`, or None when not given."""
    if aggregation is None or (isinstance(aggregation, str) and not aggregation.strip()):
        return None
    return _choose(aggregation, _AGG_ALIASES, AGGREGATIONS, arg, "an aggregation", _AGG_CHOICES)


def _check_min_coverage(min_coverage, arg="min_coverage") -> float:
    if min_coverage is None:
        return DEFAULT_MIN_COVERAGE
    if isinstance(min_coverage, bool) or not isinstance(min_coverage, Number):
        raise InputError(f"{arg}: expected a share between 0 and 1 (e.g. 0.5 = at least half of the "
                         f"indicators), got {min_coverage!r}")
    v = float(min_coverage)
    if not (0 < v <= 1):
        raise InputError(f"{arg}: expected a share above 0 and at most 1 (e.g. 0.5 = at least half of the "
                         f"indicators, 1 = all), got {min_coverage!r}")
    return v


def _label(x) -> str:
    return str(x)


def _check_indicators(indicators, *, arg: str = "indicators", min_rows: int = 2):
    """A float DataFrame (region x indicator) and the reasons for its missing cells (or None).

    Accepts a DataFrame, or a table read from cells (an object with ``values`` and ``missing``
    DataFrames, as `xlkg.cells.read_table` returns), whose per-cell reasons are kept.
    """
    missing = None
    if not isinstance(indicators, pd.DataFrame) and isinstance(getattr(indicators, "values", None), pd.DataFrame):
        missing = getattr(indicators, "missing", None)
        indicators = indicators.values
    if isinstance(indicators, pd.Series):
        indicators = indicators.to_frame()
    if not isinstance(indicators, pd.DataFrame):
        raise InputError(f"{arg}: expected a table of regions (rows) by indicators (columns), "
                         f"got {type(indicators).__name__}")
    if indicators.shape[1] == 0:
        raise InputError(f"{arg}: the table has no indicator columns")
    if indicators.shape[0] < min_rows:
        got = "no region" if indicators.shape[0] == 0 else f"1 region ('{_label(indicators.index[0])}')"
        raise InputError(f"{arg}: a rating compares regions, so it needs at least 2 regions (rows); got {got}")
    for what, labels in (("region (row)", indicators.index), ("indicator (column)", indicators.columns)):
        dup = labels[labels.duplicated()]
        if len(dup):
            raise InputError(f"{arg}: {what} label '{_label(dup[0])}' appears more than once; labels must be unique")
    totals = find_total_labels(indicators.index)
    if totals:
        raise InputError(f"{arg}: row '{_label(totals[0])}' is a national or overall total, not a region; "
                         f"take it out of the rating (xlkg.cells.read_table does so)")
    seen: dict = {}
    for r in indicators.index.tolist():  # tolist: no per-item boxing by pandas
        k = match_key(r)
        if k in seen:
            raise InputError(f"{arg}: '{_label(seen[k])}' and '{_label(r)}' name the same region; keep one row")
        seen[k] = r
    if all(pd.api.types.is_float_dtype(t) or (pd.api.types.is_integer_dtype(t) and not pd.api.types.is_bool_dtype(t))
           for t in indicators.dtypes):
        # Already numbers (the usual case, and what xlkg.cells gives): no per-cell checks needed.
        x = pd.DataFrame(indicators.to_numpy(dtype=float), index=indicators.index, columns=indicators.columns)
        return _check_finite(x, arg), _reindexed(missing, x)
    cols = {}
    for c in indicators.columns:
        s = indicators[c]
        num = pd.to_numeric(s, errors="coerce")
        bad = num.isna() & s.notna()
        if bad.any():
            r = s.index[bad.to_numpy()][0]
            raise InputError(f"{arg}: the value {s[r]!r} for region '{_label(r)}', indicator '{_label(c)}' "
                             f"is not a number; give a number or leave the cell empty")
        if isinstance(s.dtype, pd.BooleanDtype) or s.dtype == bool:
            raise InputError(f"{arg}: indicator '{_label(c)}' holds TRUE/FALSE values, not numbers")
        cols[c] = num.astype(float)
    x = pd.DataFrame(cols, index=indicators.index)
    x.columns = indicators.columns
    return _check_finite(x, arg), _reindexed(missing, x)


def _check_finite(x: pd.DataFrame, arg: str) -> pd.DataFrame:
    inf = np.isinf(x.to_numpy())
    if inf.any():
        i, j = np.argwhere(inf)[0]
        raise InputError(f"{arg}: the value for region '{_label(x.index[i])}', indicator '{_label(x.columns[j])}' "
                         f"is infinite; give a finite number or leave the cell empty")
    return x


def _reindexed(missing, x):
    return None if missing is None else missing.reindex(index=x.index, columns=x.columns)


_PLUS = {"+", "+1", "1", "1.0", "+1.0"}
_MINUS = {"-", "-1", "-1.0"}
_MINUS_CHARS = ("\u2212", "\u2013", "\u2014")  # Unicode minus, en dash, em dash (autocorrected hyphens)


def _direction_of(value, where: str, arg: str) -> int:
    allowed = "'+' or 1 (more is better), '-' or -1 (less is better)"
    if value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip()):
        raise InputError(f"{arg}: {where} is empty; allowed: {allowed}")
    if isinstance(value, bool):
        raise InputError(f"{arg}: {where} is {value!r}; allowed: {allowed}")
    if isinstance(value, Number):
        if float(value) == 1.0:
            return 1
        if float(value) == -1.0:
            return -1
        raise InputError(f"{arg}: {where} is {value!r}; allowed: {allowed}")
    if isinstance(value, str):
        text = value.strip()
        for ch in _MINUS_CHARS:
            text = text.replace(ch, "-")
        text = text.replace(" ", "")
        if text in _PLUS:
            return 1
        if text in _MINUS:
            return -1
    raise InputError(f"{arg}: {where} is {value!r}; allowed: {allowed}")


def _as_list(values, arg: str):
    """Flatten a list / tuple / 1-D or 2-D array / one-row or one-column range into a list."""
    if isinstance(values, np.ndarray):
        if values.ndim > 2 or (values.ndim == 2 and min(values.shape) > 1):
            raise InputError(f"{arg}: expected one row or one column of cells, got {values.shape[0]} x {values.shape[1]}")
        return list(values.ravel())
    values = list(values)
    if values and all(isinstance(v, (list, tuple)) for v in values):
        if len(values) > 1 and any(len(v) > 1 for v in values):
            raise InputError(f"{arg}: expected one row or one column of cells, got {len(values)} rows "
                             f"of {max(len(v) for v in values)} cells")
        values = [c for row in values for c in row]
    return values


def _per_indicator(values, labels, arg: str, what: str) -> list:
    """One entry per indicator: from a list (same count, same order) or a mapping keyed by label."""
    labels = list(labels)
    if isinstance(values, pd.Series) and isinstance(values.index, pd.RangeIndex):
        values = values.tolist()
    if isinstance(values, (dict, pd.Series)):
        mapping = dict(values.items())
        by_text = {str(k).strip().casefold(): v for k, v in mapping.items()}
        unknown = [k for k in mapping if str(k).strip().casefold() not in {str(l).strip().casefold() for l in labels}]
        if unknown:
            raise InputError(f"{arg}: no indicator is called '{_label(unknown[0])}'; the indicators are "
                             + ", ".join(f"'{_label(l)}'" for l in labels))
        absent = [l for l in labels if str(l).strip().casefold() not in by_text]
        if absent:
            raise InputError(f"{arg}: no {what} given for indicator '{_label(absent[0])}'; give one {what} "
                             f"for each of " + ", ".join(f"'{_label(l)}'" for l in labels))
        return [by_text[str(l).strip().casefold()] for l in labels]
    if isinstance(values, str):
        parts = [p for p in values.replace(";", ",").replace(" ", ",").split(",") if p != ""]
        values = parts
    out = _as_list(values, arg)
    if len(out) != len(labels):
        raise InputError(f"{arg}: {len(out)} {what}(s) given for {len(labels)} indicator(s) ("
                         + ", ".join(f"'{_label(l)}'" for l in labels) + f"); give exactly one {what} per indicator, "
                         f"in the order of the indicator columns")
    return out


def parse_directions(directions, labels, *, arg: str = "directions") -> np.ndarray:
    """+1 / -1 per indicator. None means all "more is better".

    Accepted per indicator: "+", "+1", 1 (more is better); "-", "-1", -1 (less is better); the Unicode
    minus "−" and the dashes "–", "—" that spreadsheet autocorrection makes of a hyphen count as "-".
    Given as a list in column order, a one-row/one-column range, a text like "+,+,-", or a mapping
    label -> direction. Anything else raises InputError naming the position, the indicator and value.
    """
    labels = list(labels)
    if directions is None:
        return np.ones(len(labels), dtype=int)
    items = _per_indicator(directions, labels, arg, "direction")
    return np.array([_direction_of(v, f"position {i + 1} (indicator '{_label(l)}')", arg)
                     for i, (v, l) in enumerate(zip(items, labels))], dtype=int)


def parse_weights(weights, labels, *, arg: str = "weights") -> np.ndarray | None:
    """Weights per indicator, normalised to sum 1; None when not given.

    A list in column order (or one-row/one-column range), or a mapping label -> weight. Each weight is
    a number >= 0; at least one must be above 0.
    """
    labels = list(labels)
    if weights is None:
        return None
    if isinstance(weights, str):
        raise InputError(f"{arg}: expected one number per indicator, got the text {weights!r}")
    items = _per_indicator(weights, labels, arg, "weight")
    w = np.empty(len(items))
    for i, (v, l) in enumerate(zip(items, labels)):
        where = f"position {i + 1} (indicator '{_label(l)}')"
        if v is None or isinstance(v, bool) or not isinstance(v, Number) or (isinstance(v, float) and math.isnan(v)):
            shown = "empty" if v is None or (isinstance(v, float) and math.isnan(v)) else repr(v)
            raise InputError(f"{arg}: {where} is {shown}; each weight must be a number >= 0")
        f = float(v)
        if not math.isfinite(f) or f < 0:
            raise InputError(f"{arg}: {where} is {v!r}; each weight must be a finite number >= 0")
        w[i] = f
    if w.sum() <= 0:
        raise InputError(f"{arg}: all weights are 0; at least one indicator needs a weight above 0")
    return w / w.sum()


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
                             + ", ".join(f"'{_label(r)}'" for r in x.index) + " or leave it empty for the best values")
        return x.loc[matches[0]].to_numpy(dtype=float), f"region '{_label(matches[0])}'"
    vals = _per_indicator(reference, x.columns, arg, "reference value")
    out = np.empty(len(vals))
    for i, v in enumerate(vals):
        if v is None or isinstance(v, bool) or not isinstance(v, Number):
            raise InputError(f"{arg}: position {i + 1} (indicator '{_label(x.columns[i])}') is {v!r}; "
                             f"expected a number")
        out[i] = float(v)
        if not math.isfinite(out[i]) or out[i] < 0:
            raise InputError(f"{arg}: position {i + 1} (indicator '{_label(x.columns[i])}') is {v!r}; "
                             f"reference values must be finite and >= 0")
    return out, "the given reference values"


def _check_reference(reference, method):
    if reference is not None and method != "distance" and not (isinstance(reference, str) and not reference.strip()):
        raise InputError(f"reference: a reference region is used only by method='distance' (method is "
                         f"'{method}'); leave reference out or choose method='distance'")


def _normalise_core(x: pd.DataFrame, dirs: np.ndarray, method: str, reference=None, *, arg="indicators"):
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
                f"{arg}: indicator '{_label(x.columns[j])}' is negative for region '{_label(x.index[i])}' "
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
    notes = [f"indicator '{_label(c)}': {r}; it counts as unavailable for every region"
             for c, r in zip(x.columns, col_reason) if r is not None]
    return B, reasons, notes, ref_text


def normalise(indicators, directions=None, method: str = DEFAULT_METHOD, *, reference=None) -> Result:
    """Scores b per region and indicator (formulas in the module docstring; default 'ratio').

    Returns a Result whose values are a DataFrame shaped like `indicators`: b for ratio / minmax /
    zscore / distance (for distance b = x/ref or ref/x, whose distance to 1 is aggregated), the place
    (1 = best) for rank. NaN cells have their reason. `reference` (distance only): None for the best
    value of each indicator, a region label, or one value per indicator.
    """
    method = parse_method(method)
    _check_reference(reference, method)
    x, missing = _check_indicators(indicators)
    dirs = parse_directions(directions, x.columns)
    B, reasons, notes, ref_text = _normalise_core(x, dirs, method, reference)
    reasons = _merge_missing(reasons, missing)
    values = pd.DataFrame(B, index=x.index, columns=x.columns)
    text = f"Normalisation: {_NORM_TEXT[method]}"
    if ref_text:
        text += f"; reference: {ref_text}"
    return Result(values=values, reasons=pd.DataFrame(reasons, index=x.index, columns=x.columns, dtype=object),
                  method=text + "; directions: " + _directions_text(x.columns, dirs), notes=notes)


def _merge_missing(reasons: np.ndarray, missing) -> np.ndarray:
    """Where the input reader gave a more precise reason for a missing cell, use it."""
    if missing is None:
        return reasons
    M = missing.to_numpy(dtype=object)
    better = np.equal(reasons, MISSING_INPUT) & ~pd.isna(M)
    return np.where(better, M, reasons)


def _directions_text(labels, dirs) -> str:
    return ", ".join(f"{_label(l)} {'+' if d > 0 else '-'}" for l, d in zip(labels, dirs))


# --------------------------------------------------------------------------------------------------
# Aggregation and ranks


def _aggregate_core(B: np.ndarray, labels, method: str, aggregation: str, w: np.ndarray | None,
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
        absent = [_label(names[j]) for j in np.flatnonzero(~avail[i])]
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


def _resolve(method, aggregation, weights_given: bool, *, arg_method="method", arg_agg="aggregation"):
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
    if agg not in _VALID[method]:
        why = {"zscore": "z-scores are negative for below-average regions",
               "rank": "the sum-of-places method adds places",
               "distance": "the distance method has its own rule, sqrt(sum (1-b)^2)"}[method]
        raise InputError(f"{arg_agg}: '{agg}' does not go with method='{method}' ({why}); use "
                         + " or ".join(f"'{a}'" for a in _VALID[method]))
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
    b, _ = _check_indicators(scores, arg="scores")
    min_coverage = _check_min_coverage(min_coverage)
    w = parse_weights(weights, b.columns)
    method, agg = _resolve(method, aggregation, w is not None)
    score, reasons = _aggregate_core(b.to_numpy(dtype=float), b.columns, method, agg, w, min_coverage)
    return Result(values=pd.Series(score, index=b.index, name="score"),
                  reasons=pd.Series(reasons, index=b.index, dtype=object),
                  method=f"Aggregation: {_AGG_TEXT[(method, agg)]}; min_coverage {min_coverage:g}")


# --------------------------------------------------------------------------------------------------
# The rating


def _method_text(method, agg, min_coverage, labels, dirs, w, ref_text=None) -> str:
    better = "lowest" if method in _LOWER_IS_BETTER else "highest"
    parts = [
        f"Integral rating ({'seed formula (2), score rule reconstructed' if (method, agg) == ('ratio', 'mean') else 'variant of seed formula (2)'})",
        f"normalisation '{method}': {_NORM_TEXT[method]}",
        f"aggregation '{agg}': {_AGG_TEXT[(method, agg)]}",
    ]
    if ref_text:
        parts.append(f"reference: {ref_text}")
    parts.append(f"over available indicators; a region needs at least {max(1, math.ceil(min_coverage * len(labels) - 1e-9))} "
                 f"of {len(labels)} (min_coverage {min_coverage:g})")
    parts.append(f"rank as RANK.EQ, 1 = {better} score")
    parts.append("directions: " + _directions_text(labels, dirs))
    if w is not None:
        parts.append("weights (normalised): " + ", ".join(f"{_label(l)} {v:.4g}" for l, v in zip(labels, w)))
    return "; ".join(parts)


def _checked_inputs(indicators, directions, weights, min_coverage):
    """The checked table, the reader's reasons, directions, normalised weights and min_coverage."""
    min_coverage = _check_min_coverage(min_coverage)
    x, missing = _check_indicators(indicators)
    return x, missing, parse_directions(directions, x.columns), parse_weights(weights, x.columns), min_coverage


def _rate_frame(x, missing, dirs, w, method, agg, min_coverage, reference):
    """Scores and ranks for one checked table: (values DataFrame, reasons DataFrame, notes, ref_text)."""
    B, breasons, notes, ref_text = _normalise_core(x, dirs, method, reference)
    score, reasons = _aggregate_core(B, x.columns, method, agg, w, min_coverage)
    rank = rank_eq(pd.Series(score, index=x.index), ascending=method in _LOWER_IS_BETTER)
    avail = ~np.isnan(B)
    usable = avail.any(axis=0)  # indicators left out for everybody are already in the notes
    partial = ~np.isnan(score) & ((~avail & usable).sum(axis=1) > 0)
    cols, rows, gaps = x.columns.tolist(), x.index.tolist(), ~avail & usable  # lists: no pandas boxing per item
    for i in np.flatnonzero(partial):
        absent = [f"'{_label(cols[j])}'" for j in np.flatnonzero(gaps[i])]
        notes.append(f"region '{_label(rows[i])}': score from {avail[i].sum()} of {B.shape[1]} indicators "
                     f"(no score for {', '.join(absent)})")
    values = pd.DataFrame({"score": score, "rank": rank.to_numpy()}, index=x.index)
    r = pd.DataFrame({"score": reasons, "rank": reasons}, index=x.index, dtype=object)
    return values, r, notes, ref_text


def rate(indicators, directions=None, weights=None, method: str = DEFAULT_METHOD, aggregation: str | None = None,
         min_coverage: float = DEFAULT_MIN_COVERAGE, *, reference=None) -> Result:
    """Integral rating of regions: a score and a RANK.EQ rank per region, in the input order.

    indicators   regions (rows) x indicators (columns), numbers; empty/NaN = no data. A table read by
                 `xlkg.cells.read_table` is accepted too (its reasons for missing cells are kept).
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
    method, agg = _resolve(method, aggregation, weights is not None)
    _check_reference(reference, method)
    x, missing, dirs, w, min_coverage = _checked_inputs(indicators, directions, weights, min_coverage)
    values, reasons, notes, ref_text = _rate_frame(x, missing, dirs, w, method, agg, min_coverage, reference)
    if isinstance(indicators, Table):  # what the worksheet reader did (e.g. the national row taken out)
        notes = list(indicators.notes) + notes
    return Result(values=values, reasons=reasons,
                  method=_method_text(method, agg, min_coverage, x.columns, dirs, w, ref_text), notes=notes)


# --------------------------------------------------------------------------------------------------
# Several years


def _years_from_input(data, *, region: str, year: str, arg: str = "data") -> dict:
    """{year: DataFrame regions x indicators}, all with the same columns and the union of regions."""
    if isinstance(data, dict):
        if not data:
            raise InputError(f"{arg}: no years given")
        frames = {}
        for y, f in data.items():
            fx, _ = _check_year_frame(f, y, arg)
            frames[y] = fx
    elif isinstance(data, pd.DataFrame):
        df = data
        if isinstance(df.index, pd.MultiIndex):
            df = df.reset_index()
        cols = {str(c).strip().casefold(): c for c in df.columns}
        rc, yc = cols.get(region.casefold()), cols.get(year.casefold())
        if yc is None or rc is None:
            raise InputError(f"{arg}: a long table needs a '{region}' column and a '{year}' column (one row per "
                             f"region and year, one column per indicator); found columns "
                             + ", ".join(f"'{_label(c)}'" for c in df.columns))
        rest = [c for c in df.columns if c not in (rc, yc)]
        lower = {str(c).strip().casefold() for c in rest}
        if lower == {"indicator", "value"}:
            ic = cols["indicator"]
            vc = cols["value"]
            dup = df.duplicated([rc, yc, ic])
            if dup.any():
                r = df[dup].iloc[0]
                raise InputError(f"{arg}: region '{r[rc]}', year {r[yc]}, indicator '{r[ic]}' appears more than once")
            df = df.pivot(index=[rc, yc], columns=ic, values=vc).reset_index()
            df.columns.name = None
            rest = [c for c in df.columns if c not in (rc, yc)]
        if not rest:
            raise InputError(f"{arg}: the long table has no indicator columns besides '{region}' and '{year}'")
        dup = df.duplicated([rc, yc])
        if dup.any():
            r = df[dup].iloc[0]
            raise InputError(f"{arg}: region '{r[rc]}' appears more than once in year {r[yc]}")
        frames = {}
        for y in pd.unique(df[yc]):
            part = df[df[yc] == y].set_index(rc)[rest]
            part.index.name = None
            fx, _ = _check_year_frame(part, y, arg, min_rows=1)
            frames[y] = fx
    else:
        raise InputError(f"{arg}: expected a mapping year -> table (regions x indicators) or a long table with "
                         f"'{region}' and '{year}' columns, got {type(data).__name__}")
    years = list(frames)
    try:
        years = sorted(years)
    except TypeError:
        pass
    first = years[0]
    cols = list(frames[first].columns)
    regions: list = []
    label_of: dict = {}  # match key -> the label first seen (region names may differ between years)
    for y in years:
        f = frames[y]
        f.index = [label_of.setdefault(match_key(r), r) for r in f.index]
        fc = list(f.columns)
        if set(fc) != set(cols):
            extra = [c for c in fc if c not in cols]
            lack = [c for c in cols if c not in fc]
            what = (f"lacks indicator '{_label(lack[0])}'" if lack else f"has indicator '{_label(extra[0])}'")
            raise InputError(f"{arg}: year {y} {what} but year {first} does not agree; every year needs the "
                             f"same indicators")
        for r in f.index:
            if r not in regions:
                regions.append(r)
    out = {y: frames[y].reindex(index=regions, columns=cols) for y in years}
    if len(regions) < 2:
        raise InputError(f"{arg}: a rating compares regions, so it needs at least 2 regions; got "
                         + ", ".join(f"'{_label(r)}'" for r in regions))
    return out


def _check_year_frame(f, y, arg, min_rows=2):
    if not isinstance(f, pd.DataFrame) and not isinstance(getattr(f, "values", None), pd.DataFrame):
        raise InputError(f"{arg}: year {y}: expected a table of regions by indicators, got {type(f).__name__}")
    return _check_indicators(f, arg=f"{arg} (year {y})", min_rows=min_rows)


def rate_years(data, directions=None, weights=None, method: str = DEFAULT_METHOD, aggregation: str | None = None,
               min_coverage: float = DEFAULT_MIN_COVERAGE, *, reference=None, region: str = "region",
               year: str = "year") -> Result:
    """Rating per year and over the period, with ranks per year so that movement shows.

    data: a mapping year -> table (regions x indicators, same indicators every year), or a long table
    with a `region` column, a `year` column and one column per indicator (or columns 'indicator' and
    'value'). Regions are matched across years by name in any of ky/ru/en and common spellings
    (`xlkg.regions.match_key`); other labels must match exactly (case and spaces aside). A region is
    shown under the label it has in the first year that lists it.

    Each year is rated on its own (scores relative to that year's best: the seed's five-year rating).
    Over the period two figures are given:
      * mean of yearly scores: the mean over the years in which the region has a score (it needs a
        score in at least ceil(min_coverage * years) years), ranked;
      * score of period means: each indicator averaged over the years that have it, then rated.

    Result.values, rows = regions (first-seen order), columns in this order:
      'score <year>' for each year, 'rank <year>' for each year, 'mean score', 'rank of mean score',
      'period score', 'period rank', 'rank change' (rank in the first year minus rank in the last
      year: positive = moved up).
    """
    method, agg = _resolve(method, aggregation, weights is not None)
    _check_reference(reference, method)
    min_coverage = _check_min_coverage(min_coverage)
    frames = _years_from_input(data, region=region, year=year)
    years = list(frames)
    first = frames[years[0]]
    dirs = parse_directions(directions, first.columns)
    w = parse_weights(weights, first.columns)
    index = first.index
    lower = method in _LOWER_IS_BETTER

    scores, ranks, sreasons, notes = {}, {}, {}, []
    ref_text = None
    for y in years:
        v, r, nts, ref_text = _rate_frame(frames[y], None, dirs, w, method, agg, min_coverage, reference)
        scores[y], ranks[y], sreasons[y] = v["score"], v["rank"], r["score"]
        notes += [f"{y}: {t}" for t in nts]

    S = pd.DataFrame(scores)
    have = S.notna().sum(axis=1).to_numpy()
    need_years = max(1, math.ceil(min_coverage * len(years) - 1e-9))
    mean_score = S.mean(axis=1, skipna=True).to_numpy()
    few = have < need_years
    mean_score = np.where(few, np.nan, mean_score)
    mean_reason = np.where(few, f"a score in fewer than {need_years} of {len(years)} years", None).astype(object)
    mean_rank = rank_eq(pd.Series(mean_score, index=index), ascending=lower)

    stacked = np.stack([frames[y].to_numpy(dtype=float) for y in years])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(stacked, axis=0)
    pm = pd.DataFrame(means, index=index, columns=first.columns)
    pv, pr, pnotes, _ = _rate_frame(pm, None, dirs, w, method, agg, min_coverage, reference)
    notes += [f"period means: {t}" for t in pnotes]

    values = {}
    reasons = {}
    for y in years:
        values[f"score {y}"] = scores[y]
        reasons[f"score {y}"] = sreasons[y]
    for y in years:
        values[f"rank {y}"] = ranks[y]
        reasons[f"rank {y}"] = sreasons[y]
    values["mean score"] = mean_score
    reasons["mean score"] = mean_reason
    values["rank of mean score"] = mean_rank.to_numpy()
    reasons["rank of mean score"] = mean_reason
    values["period score"] = pv["score"]
    reasons["period score"] = pr["score"]
    values["period rank"] = pv["rank"]
    reasons["period rank"] = pr["score"]
    change = ranks[years[0]] - ranks[years[-1]]
    values["rank change"] = change
    ch_reason = np.where(change.isna(), f"no rank in {years[0]} or in {years[-1]}", None).astype(object)
    reasons["rank change"] = ch_reason
    V = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in values.items()}, index=index)
    R = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in reasons.items()}, index=index, dtype=object)
    R = R.where(V.isna(), None)
    text = (_method_text(method, agg, min_coverage, first.columns, dirs, w, ref_text)
            + f"; years {', '.join(str(y) for y in years)}, each rated on its own; mean score = mean of yearly "
              f"scores over the years with a score (at least {need_years}); period score = rating of each "
              f"indicator's mean over the years; rank change = first-year rank minus last-year rank")
    return Result(values=V, reasons=R, method=text, notes=notes)


_REGION_HEADERS = frozenset({"region", "regions", "регион", "регионы", "область", "аймак", "аймактар", "облус"})
_YEAR_HEADERS = frozenset({"year", "years", "год", "годы", "жыл", "жылдар"})
_HEADER_SEPARATORS = re.compile(r"[/|;,()\n\r\\]+")


def _header_kind(cell) -> str | None:
    """"region" or "year" when a header cell names the region or year column, in one language or several
    ("Аймак / Регион", "Жыл / Год", "Region (Регион)", "Жыл" and "Год" on two lines of one cell); else None."""
    if cell is None:
        return None
    parts = [" ".join(p.split()).strip(" .:").casefold() for p in _HEADER_SEPARATORS.split(str(cell))]
    parts = [p for p in parts if p]
    for kind, words in (("region", _REGION_HEADERS), ("year", _YEAR_HEADERS)):
        if parts and all(p in words for p in parts):
            return kind
    return None


def long_table_from_rows(rows, *, arg: str = "data") -> pd.DataFrame:
    """A long table (one row per region and year) from cells, for `rate_years`.

    The header row names a region column (region / регион / область / аймак / облус), a year column
    (year / год / жыл) and one column per indicator; a header may give the name in several languages
    ("Аймак / Регион", "Жыл / Год", "Region (Регион)", or one name per line of the cell) (or 'indicator' and 'value' columns). Numbers go
    through `xlkg.cells.parse_cell` (decimal commas, "н/д", "-" ...). Returns a DataFrame with
    columns 'region', 'year' and the indicators.
    """
    from .cells import as_rows, parse_cell

    rows = as_rows(rows, arg=arg)
    if len(rows) < 2:
        raise InputError(f"{arg}: expected a header row and at least one row of data")
    header = ["" if c is None else " ".join(str(c).split()) for c in rows[0]]
    kinds = []
    for h, cell in zip(header, rows[0]):
        kinds.append(_header_kind(cell) or ("indicator" if h.casefold() == "indicator" else "value"))
    if kinds.count("region") != 1 or kinds.count("year") != 1:
        raise InputError(f"{arg}: the header row needs one region column (region / регион / аймак) and one year "
                         f"column (year / год / жыл); found " + ", ".join(f"'{h}'" for h in header))
    names = ["region" if k == "region" else "year" if k == "year" else h for h, k in zip(header, kinds)]
    for j, (h, k) in enumerate(zip(header, kinds)):
        if k == "value" and not h:
            raise InputError(f"{arg}: column {j + 1} has no header; name the indicator")
    data = []
    for i, row in enumerate(rows[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        rec = {}
        for name, k, c in zip(names, kinds, row):
            if k in ("region", "indicator"):
                if c is None or not str(c).strip():
                    raise InputError(f"{arg}: row {i} has no {k} name")
                rec[name] = " ".join(str(c).split())
                continue
            v, why = parse_cell(c)
            if k == "year":
                if why is not None or not float(v).is_integer():
                    raise InputError(f"{arg}: row {i}, year column: {c!r} is not a year")
                rec[name] = int(v)
            else:
                rec[name] = v if why is None else np.nan
        data.append(rec)
    return pd.DataFrame(data, columns=names)


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
    return base if dropped is None else f"{base} without {_label(dropped)}"


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
    base_method, base_agg = _resolve(method, aggregation, weights is not None)
    x, missing, dirs, w, min_coverage = _checked_inputs(indicators, directions, weights, min_coverage)
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
            (combos if a in _VALID[m_] else skipped).append((m_, a))
    if (base_method, base_agg) not in combos:
        combos.insert(0, (base_method, base_agg))
    ranks, scores = {}, {}
    for m_, a in combos:
        ww = w if a == "weighted" else None
        v, _, _, _ = _rate_frame(x, missing, dirs, ww, m_, a, min_coverage, reference)
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
                v, _, _, _ = _rate_frame(xs, None, dirs[keep], wk, m_, a, min_coverage, reference)
                ranks[combination_label(m_, a, c)] = v["rank"]
                scores[combination_label(m_, a, c)] = v["score"]
    RK = pd.DataFrame(ranks, index=x.index)
    SC = pd.DataFrame(scores, index=x.index)
    base = RK[combination_label(base_method, base_agg)]
    best = RK.min(axis=1, skipna=True)
    worst = RK.max(axis=1, skipna=True)
    any_rank = RK.notna().any(axis=1)
    best_with = pd.Series([RK.columns[np.nanargmin(row)] if ok else None for row, ok in
                           zip(RK.to_numpy(), any_rank)], index=x.index, dtype=object)
    worst_with = pd.Series([RK.columns[np.nanargmax(row)] if ok else None for row, ok in
                            zip(RK.to_numpy(), any_rank)], index=x.index, dtype=object)
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
        notes.append(f"region '{_label(r)}' has no rank under some combinations; its best/worst use the others")
    text = ("Sensitivity of the integral rating (beyond the seed; rank range over method combinations as in "
            "composite-indicator practice): combinations " + ", ".join(combination_label(m_, a) for m_, a in combos)
            + f"{'; each also without one indicator at a time' if drop_one else ''}; baseline {combination_label(base_method, base_agg)}; ranks as RANK.EQ, 1 = best; Spearman "
              f"correlation between the rankings; min_coverage {min_coverage:g}; directions: "
            + _directions_text(x.columns, dirs))
    return SensitivityResult(values=values, reasons=reasons, method=text, notes=notes, ranks=RK, scores=SC,
                             correlation=corr)


# --------------------------------------------------------------------------------------------------
# Command line: xlkg rating TABLE.csv


def _read_csv_rows(path) -> list[list]:
    import csv
    from pathlib import Path

    p = Path(path)
    text = p.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[None if c.strip() == "" else c for c in row] for row in csv.reader(text.splitlines(), dialect)]
    rows = [r for r in rows if any(c is not None for c in r)]
    if not rows:
        raise InputError(f"{p.name}: the file is empty")
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


def _split_list(text, arg):
    if text is None:
        return None
    return [t for t in text.replace(";", ",").split(",") if t.strip() != ""]


def configure_parser(p) -> None:
    """Arguments of `xlkg rating` (an argparse parser)."""
    p.add_argument("input", help="CSV: header row of indicators, first column of regions (or, with --years, "
                                 "a long table with 'region' and 'year' columns)")
    p.add_argument("--directions", help="one per indicator, e.g. \"+,+,-\" (default all +)")
    p.add_argument("--weights", help="one per indicator, e.g. \"1,1,2\" (selects the weighted mean)")
    p.add_argument("--method", default=DEFAULT_METHOD, help="ratio (default), minmax, zscore, rank, distance")
    p.add_argument("--aggregation", help="mean (default), geometric, weighted")
    p.add_argument("--min-coverage", type=float, default=DEFAULT_MIN_COVERAGE,
                   help="share of indicators a region needs for a score (default 0.5)")
    p.add_argument("--reference", help="for --method distance: a region (default: the best values)")
    p.add_argument("--years", action="store_true", help="the input is a long table: rating per year and period")
    p.add_argument("--sensitivity", action="store_true", help="rank range over all method combinations")
    p.add_argument("--drop-one", action="store_true", help="with --sensitivity: also drop each indicator in turn")
    p.add_argument("-o", "--output", help="CSV to write (default: print)")


def _weights_arg(text):
    from .cells import parse_number

    items = _split_list(text, "weights")
    if items is None:
        return None
    return [parse_number(t, where=f"weights, position {k}") for k, t in enumerate(items, start=1)]


def rating_cli(args) -> int:
    """Run `xlkg rating` from parsed arguments; prints the method text and writes/prints a CSV."""
    import sys

    from .cells import read_table

    rows = _read_csv_rows(args.input)
    directions = _split_list(args.directions, "directions")
    weights = _weights_arg(args.weights)
    common = dict(directions=directions, weights=weights, method=args.method, aggregation=args.aggregation,
                  min_coverage=args.min_coverage, reference=args.reference)
    extra = None
    if args.years:
        r = rate_years(long_table_from_rows(rows, arg="input"), **common)
    elif args.sensitivity:
        r = sensitivity(read_table(rows, arg="indicators"), drop_one=args.drop_one, **common)
        extra = r.correlation
    else:
        r = rate(read_table(rows, arg="indicators"), **common)
    out = r.values.copy()
    why = r.reasons if isinstance(r.reasons, pd.DataFrame) else None
    if why is not None:
        out["reason"] = [next((x for x in row if isinstance(x, str) and x), "") for row in why.to_numpy()]
    text = out.to_csv(index_label="region", lineterminator="\n")
    if extra is not None:
        text += "\nSpearman rank correlation\n" + extra.to_csv(lineterminator="\n")
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    print("method: " + r.method, file=sys.stderr)
    for n in r.notes:
        print("note: " + n, file=sys.stderr)
    return 0


def main_rating(argv: list[str] | None = None) -> int:
    """`xlkg rating` on its own: exit status 2 and a message (no traceback) on bad input."""
    import argparse
    import sys

    p = argparse.ArgumentParser(prog="xlkg rating", description="Integral regional rating (seed formula (2)).")
    configure_parser(p)
    args = p.parse_args(argv)
    try:
        return rating_cli(args)
    except (InputError, FileNotFoundError, PermissionError) as e:
        print(f"xlkg rating: {e}", file=sys.stderr)
        return 2
