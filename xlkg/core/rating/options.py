"""Rating options: the method and aggregation names, their aliases and texts, and the checks of every argument (indicators, directions, weights, coverage)."""

from __future__ import annotations

import math
from numbers import Number

import numpy as np
import pandas as pd

from ..checks import check_method
from ..measures import find_total_labels
from ..regions import match_key
from ..result import InputError, frame_kind

NORMALISATIONS = ("ratio", "minmax", "zscore", "rank", "distance")
AGGREGATIONS = ("mean", "geometric", "weighted")
DEFAULT_METHOD = "ratio"
DEFAULT_AGGREGATION = "mean"
DEFAULT_MIN_COVERAGE = 0.5
RANK_DECIMALS = 12

# Which aggregation fits which normalisation.
VALID = {
    "ratio": ("mean", "geometric", "weighted"),
    "minmax": ("mean", "geometric", "weighted"),
    "zscore": ("mean", "weighted"),
    "rank": ("mean", "weighted"),
    "distance": ("mean", "weighted"),
}
# Lower aggregated score is better for these.
LOWER_IS_BETTER = frozenset({"rank", "distance"})

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

NORM_TEXT = {
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
AGG_TEXT = {
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


# --------------------------------------------------------------------------------------------------
# Argument checking


_METHOD_CHOICES = ("'ratio' (default: x/max, min/x), 'minmax', 'zscore', 'rank' (sum of places), "
                   "'distance' (to the best values or a reference region)")
_AGG_CHOICES = "'mean' (default, formula (2)), 'geometric', 'weighted' (needs weights)"


def parse_method(method, *, arg: str = "method") -> str:
    """The normalisation named by `method` (case and spelling tolerant); default 'ratio'."""
    if method is None or (isinstance(method, str) and not method.strip()):
        return DEFAULT_METHOD
    return check_method(method, NORMALISATIONS, arg=arg, aliases=_METHOD_ALIASES, what="a normalisation method",
                        choices=_METHOD_CHOICES, kind="normalisation")


def parse_aggregation(aggregation, *, arg: str = "aggregation") -> str | None:
    """The aggregation named by `aggregation`, or None when not given."""
    if aggregation is None or (isinstance(aggregation, str) and not aggregation.strip()):
        return None
    return check_method(aggregation, AGGREGATIONS, arg=arg, aliases=_AGG_ALIASES, what="an aggregation",
                        choices=_AGG_CHOICES, kind="aggregation")


def check_min_coverage(min_coverage, arg="min_coverage") -> float:
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


def as_label(x) -> str:
    return str(x)


def check_indicators(indicators, *, arg: str = "indicators", min_rows: int = 2):
    """A float DataFrame (region x indicator) and the reasons for its missing cells (or None).

    Accepts a DataFrame, or a table read from cells (an object with ``values`` and ``missing``
    DataFrames, as `xlkg.core.cells.read_table` returns), whose per-cell reasons are kept.
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
        got = "no region" if indicators.shape[0] == 0 else f"1 region ('{as_label(indicators.index[0])}')"
        raise InputError(f"{arg}: a rating compares regions, so it needs at least 2 regions (rows); got {got}")
    for what, labels in (("region (row)", indicators.index), ("indicator (column)", indicators.columns)):
        dup = labels[labels.duplicated()]
        if len(dup):
            raise InputError(f"{arg}: {what} label '{as_label(dup[0])}' appears more than once; labels must be unique")
    totals = find_total_labels(indicators.index)
    if totals:
        raise InputError(f"{arg}: row '{as_label(totals[0])}' is a national or overall total, not a region; "
                         f"take it out of the rating (xlkg.core.cells.read_table does so)")
    seen: dict = {}
    for r in indicators.index.tolist():  # tolist: no per-item boxing by pandas
        k = match_key(r)
        if k in seen:
            raise InputError(f"{arg}: '{as_label(seen[k])}' and '{as_label(r)}' name the same region; keep one row")
        seen[k] = r
    if frame_kind(indicators) in ("f", "i", "u"):
        # Already numbers (the usual case, and what xlkg.core.cells gives): no per-cell checks needed.
        x = pd.DataFrame(indicators.to_numpy(dtype=float), index=indicators.index, columns=indicators.columns)
        return _check_finite(x, arg), _reindexed(missing, x)
    cols = {}
    for c in indicators.columns:
        s = indicators[c]
        num = pd.to_numeric(s, errors="coerce")
        bad = num.isna() & s.notna()
        if bad.any():
            r = s.index[bad.to_numpy()][0]
            raise InputError(f"{arg}: the value {s[r]!r} for region '{as_label(r)}', indicator '{as_label(c)}' "
                             f"is not a number; give a number or leave the cell empty")
        if isinstance(s.dtype, pd.BooleanDtype) or s.dtype == bool:
            raise InputError(f"{arg}: indicator '{as_label(c)}' holds TRUE/FALSE values, not numbers")
        cols[c] = num.astype(float)
    x = pd.DataFrame(cols, index=indicators.index)
    x.columns = indicators.columns
    return _check_finite(x, arg), _reindexed(missing, x)


def _check_finite(x: pd.DataFrame, arg: str) -> pd.DataFrame:
    inf = np.isinf(x.to_numpy())
    if inf.any():
        i, j = np.argwhere(inf)[0]
        raise InputError(f"{arg}: the value for region '{as_label(x.index[i])}', indicator '{as_label(x.columns[j])}' "
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


def per_indicator(values, labels, arg: str, what: str) -> list:
    """One entry per indicator: from a list (same count, same order) or a mapping keyed by label."""
    labels = list(labels)
    if isinstance(values, pd.Series) and isinstance(values.index, pd.RangeIndex):
        values = values.tolist()
    if isinstance(values, (dict, pd.Series)):
        mapping = dict(values.items())
        by_text = {str(k).strip().casefold(): v for k, v in mapping.items()}
        unknown = [k for k in mapping if str(k).strip().casefold() not in {str(label).strip().casefold() for label in labels}]
        if unknown:
            raise InputError(f"{arg}: no indicator is called '{as_label(unknown[0])}'; the indicators are "
                             + ", ".join(f"'{as_label(label)}'" for label in labels))
        absent = [label for label in labels if str(label).strip().casefold() not in by_text]
        if absent:
            raise InputError(f"{arg}: no {what} given for indicator '{as_label(absent[0])}'; give one {what} "
                             f"for each of " + ", ".join(f"'{as_label(label)}'" for label in labels))
        return [by_text[str(label).strip().casefold()] for label in labels]
    if isinstance(values, str):
        parts = [p for p in values.replace(";", ",").replace(" ", ",").split(",") if p != ""]
        values = parts
    out = _as_list(values, arg)
    if len(out) != len(labels):
        raise InputError(f"{arg}: {len(out)} {what}(s) given for {len(labels)} indicator(s) ("
                         + ", ".join(f"'{as_label(label)}'" for label in labels) + f"); give exactly one {what} per indicator, "
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
    items = per_indicator(directions, labels, arg, "direction")
    return np.array([_direction_of(v, f"position {i + 1} (indicator '{as_label(label)}')", arg)
                     for i, (v, label) in enumerate(zip(items, labels, strict=True))], dtype=int)


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
    items = per_indicator(weights, labels, arg, "weight")
    w = np.empty(len(items))
    for i, (v, label) in enumerate(zip(items, labels, strict=True)):
        where = f"position {i + 1} (indicator '{as_label(label)}')"
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


