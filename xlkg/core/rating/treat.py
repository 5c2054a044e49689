"""Outlier treatment before normalisation: winsorising and a log transform, with every treated cell
reported (beyond the seed; the JRC COIN Tool and COINr's `Treat()` do the same).

Why: one region's extreme value (a capital city's output per head) squeezes every other region's
score. Under the ratio rule x/max all other regions end up near 0 and differ by little; under min-max
the same.

The test (as COINr's `check_SkewKurt`): an indicator needs treatment when its skewness and its
kurtosis are both high, |skew| >= skew_thresh (default 2) AND kurt >= kurt_thresh (default 3.5).
Skewness and kurtosis are Excel's SKEW and KURT (sample, bias-adjusted; kurtosis in excess of the
normal's 3), over the regions with a value::

    skew = n / ((n-1)(n-2)) * sum z^3
    kurt = n(n+1) / ((n-1)(n-2)(n-3)) * sum z^4 - 3(n-1)^2 / ((n-2)(n-3)),   z = (x - mean) / sd (n-1)

Methods (``method=``):

* ``none`` (default): nothing changes.
* ``winsorise``: while an indicator fails the test and at most `winmax` points (default 5) are
  treated, the next point at the end the skew points to takes the value of the point after it (with
  h points winsorised at the top, every value above the (h+1)-th highest is set to it; likewise at the
  bottom). The end is chosen again at each step from the skew of the current values.
* ``log``: an indicator that fails the test is log-transformed instead: log(x - min + a) when it is
  skewed to the right, -log(max + a - x) when to the left, a = (max - min) / 100 (COINr's
  `log_CT_plus`). The order of the regions is kept; the ratio scale is not (so the transformed
  indicator suits min-max and z-scores, not the ratio rule or the distance).
* ``auto`` (COINr's default process): winsorise; if `winmax` points do not bring the indicator within
  the limits, log-transform the original values instead.

Skewness needs at least 3 values, kurtosis 4: an indicator with fewer values is left as it is (noted).
Missing cells stay missing. Directions do not matter here: both ends are treated alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import check_method
from ..result import InputError, Result
from .options import as_label, check_indicators

TREATMENTS = ("none", "winsorise", "log", "auto")
DEFAULT_TREATMENT = "none"
DEFAULT_WINMAX = 5
DEFAULT_SKEW = 2.0
DEFAULT_KURT = 3.5

_ALIASES = {"no": "none", "off": "none", "winsorize": "winsorise", "winsor": "winsorise",
            "winsorisation": "winsorise", "winsorization": "winsorise", "logarithm": "log", "log transform": "log",
            "coinr": "auto", "default": "auto"}


def parse_treatment(name, *, arg: str = "treatment") -> str:
    """The treatment named by `name` (default 'none'), in English, Russian or Kyrgyz."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return DEFAULT_TREATMENT
    return check_method(name, TREATMENTS, arg=arg, aliases=_ALIASES, what="an outlier treatment", kind="treatment",
                        choices="'none' (default), 'winsorise', 'log' or 'auto' (winsorise, else log)")


def _standardised(X: np.ndarray):
    """Per column over its non-missing values: the count n, the sample sd (STDEV.S) and z = (x - mean) / sd
    (0 where missing)."""
    X = np.asarray(X, dtype=float)
    ok = ~np.isnan(X)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(all="ignore"):
        mean = np.where(ok, X, 0.0).sum(axis=0) / n
        d = np.where(ok, X - mean, 0.0)
        sd = np.sqrt((d ** 2).sum(axis=0) / (n - 1))
        return n, sd, d / sd


def skewness(X: np.ndarray) -> np.ndarray:
    """Excel's SKEW of every column over its non-missing values (NaN with fewer than 3 or sd 0)."""
    n, sd, z = _standardised(X)
    with np.errstate(all="ignore"):
        s = n / ((n - 1) * (n - 2)) * (z ** 3).sum(axis=0)
    return np.where((n >= 3) & (sd > 0), s, np.nan)


def kurtosis(X: np.ndarray) -> np.ndarray:
    """Excel's KURT (excess kurtosis) of every column (NaN with fewer than 4 values or sd 0)."""
    n, sd, z = _standardised(X)
    with np.errstate(all="ignore"):
        k = (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * (z ** 4).sum(axis=0)
             - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
    return np.where((n >= 4) & (sd > 0), k, np.nan)


def _fails(X, skew_thresh, kurt_thresh):
    s, k = skewness(X), kurtosis(X)
    return (np.abs(s) >= skew_thresh) & (k >= kurt_thresh), s, k


def _winsorised(X, sorted_asc, hi, lo):
    """X with every value above the (hi+1)-th highest set to it, below the (lo+1)-th lowest likewise."""
    count = (~np.isnan(X)).sum(axis=0)
    cols = np.arange(X.shape[1])
    top = sorted_asc[np.clip(count - 1 - hi, 0, None), cols]  # NaN sort last: the count-th value is the max
    bottom = sorted_asc[np.clip(lo, 0, None), cols]
    return np.where(np.isnan(X), np.nan, np.minimum(np.maximum(X, bottom), top))


def _log_ct(X, skew):
    with np.errstate(all="ignore"):
        mn, mx = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
        a = (mx - mn) / 100.0
        right = np.log(X - mn + a)
        left = -np.log(mx + a - X)
    return np.where(skew >= 0, right, left)


@dataclass
class TreatResult(Result):
    """Result of `treat`: `values` = the treated table; `cells` = one row per treated cell (region,
    indicator, original, treated, how); `report` = one row per indicator (skew and kurtosis before and
    after, the treatment applied, points winsorised)."""

    cells: pd.DataFrame | None = None
    report: pd.DataFrame | None = None


def treat(indicators, method: str = DEFAULT_TREATMENT, *, winmax: int = DEFAULT_WINMAX,
          skew_thresh: float = DEFAULT_SKEW, kurt_thresh: float = DEFAULT_KURT) -> TreatResult:
    """Treat outliers indicator by indicator (module docstring); report every treated cell."""
    method = parse_treatment(method)
    x, missing = check_indicators(indicators)
    winmax = _count(winmax, "winmax")
    skew_thresh = _positive(skew_thresh, "skew_thresh")
    kurt_thresh = _positive(kurt_thresh, "kurt_thresh", allow_negative=True)
    X = x.to_numpy(dtype=float)
    n = X.shape[1]
    fail0, s0, k0 = _fails(X, skew_thresh, kurt_thresh)
    how = np.full(n, "", dtype=object)
    hi = np.zeros(n, dtype=int)
    lo = np.zeros(n, dtype=int)
    T = X.copy()
    if method in ("winsorise", "auto"):
        sorted_asc = np.sort(X, axis=0)
        count = (~np.isnan(X)).sum(axis=0)
        active = fail0.copy()
        for _ in range(winmax):  # at most winmax steps, all indicators at once
            if not active.any():
                break
            s = skewness(T)
            up = active & (s >= 0)
            down = active & (s < 0)
            hi = hi + up
            lo = lo + down
            # never winsorise past the middle of the values
            hi = np.minimum(hi, np.maximum(count - 1 - lo, 0))
            T = _winsorised(X, sorted_asc, hi, lo)
            active = active & _fails(T, skew_thresh, kurt_thresh)[0]
        still = _fails(T, skew_thresh, kurt_thresh)[0] & fail0
        how = np.where(fail0 & ~still, "winsorised", how)
        if method == "auto":
            logged = _log_ct(X, s0)
            T = np.where(still[None, :], logged, T)
            how = np.where(still, "log-transformed (winsorising did not suffice)", how)
        else:
            how = np.where(still, "winsorised (still outside the limits)", how)
    elif method == "log":
        T = np.where(fail0[None, :], _log_ct(X, s0), X)
        how = np.where(fail0, "log-transformed", how)
    T = np.where(np.isnan(X), np.nan, T)
    s1, k1 = skewness(T), kurtosis(T)
    changed = ~np.isnan(X) & (T != X)
    rows, cols = x.index.tolist(), x.columns.tolist()
    ii, jj = np.nonzero(changed)
    cells = pd.DataFrame({"region": [rows[i] for i in ii], "indicator": [cols[j] for j in jj],
                          "original": X[ii, jj], "treated": T[ii, jj],
                          "how": [how[j] for j in jj]})
    points = np.where(np.char.startswith(how.astype(str), "log"), 0, hi + lo)
    report = pd.DataFrame({"skew": s0, "kurtosis": k0, "needs treatment": fail0,
                           "treatment": np.where(how == "", "none", how), "points winsorised": points,
                           "cells changed": changed.sum(axis=0), "skew after": s1, "kurtosis after": k1},
                          index=x.columns)
    notes = []
    few = (~np.isnan(X)).sum(axis=0) < 4
    for c in np.asarray(cols, dtype=object)[few]:
        notes.append(f"indicator '{as_label(c)}': fewer than 4 values, skewness and kurtosis not tested; left "
                     f"as it is")
    for c, h in zip(cols, how, strict=True):
        if h:
            notes.append(f"indicator '{as_label(c)}': {h}")
    text = (f"Outlier treatment '{method}' (as the COIN Tool / COINr Treat): an indicator is treated when "
            f"|skew| >= {skew_thresh:g} and kurtosis >= {kurt_thresh:g} (Excel SKEW, KURT)")
    if method in ("winsorise", "auto"):
        text += f"; winsorising up to {winmax} points, the end chosen by the sign of the skew"
    if method in ("log", "auto"):
        text += "; log transform log(x - min + a) (right skew) or -log(max + a - x) (left skew), a = (max-min)/100"
    values = pd.DataFrame(T, index=x.index, columns=x.columns)
    reasons = missing if missing is not None else None
    return TreatResult(values=values, reasons=reasons, method=text, notes=notes, cells=cells, report=report)


def _count(v, arg):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not float(v).is_integer() \
            or v < 0:
        raise InputError(f"{arg}: expected a whole number >= 0, got {v!r}")
    return int(v)


def _positive(v, arg, allow_negative=False):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v) \
            or (v <= 0 and not allow_negative):
        raise InputError(f"{arg}: expected a number{'' if allow_negative else ' above 0'}, got {v!r}")
    return float(v)
