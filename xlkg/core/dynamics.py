"""Dynamics and structure of a time series table (methods section 6; seed Tables 2.1 and 2.2).

Orientation: rows are the items (activities, regions), columns are the periods in time order
(e.g. 2015 ... 2019), as in the seed's tables. A Series indexed by period is one item.

    base growth    T_b = x_t / x_0 * 100          chain growth    T_c = x_t / x_(t-1) * 100
    base increase  D_b = x_t - x_0                chain increase  D_c = x_t - x_(t-1)
    share          S_i = x_i / x * 100            (x: an explicit total, the table's total row, or the sum)

A growth of 200% or more is printed as "N times" ("2.5 times", "2,5 эсе", "в 2,5 раза"):
`format_growth`. Source: standard statistics (the seed's Tables 2.1 and 2.2 use them).
Missing values and zero bases give NaN with a reason; growth and shares need values >= 0 (a negative
value raises InputError naming the cell), increases accept any sign.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlkg.core.checks import check_lang, fmt_labels
from xlkg.core.measures import (
    BEYOND_RANGE,
    MISSING_INPUT,
    ZERO_DENOMINATOR,
    InputError,
    Result,
    as_matrix,
    as_scalar,
    as_series,
    beyond_range,
    frame_reasons,
)
from xlkg.data import LANGS

__all__ = [
    "base_growth",
    "chain_growth",
    "base_increase",
    "chain_increase",
    "shares",
    "check_total",
    "find_total_row",
    "format_growth",
    "format_number",
    "LANGS",
]

# A growth rate on a base so small that the rate is beyond Excel's numbers (x_t / 1e-320) is missing.
_TOO_SMALL_BASE = "growth beyond the largest number Excel holds: the base value is too small to compare with"
# Printed figures from this size on are written as Excel writes large numbers ("5.0E+20"): a float
# holds 15 significant digits, so more digits would print noise.
_SCIENTIFIC_FROM = 1e15


def _table(values, arg="values", nonnegative=True):
    """(DataFrame, array, was_series) from a table or one series of periods."""
    was_series = isinstance(values, pd.Series)
    if was_series:
        name = values.name if values.name is not None else "value"
        values = values.to_frame(name=name).T
    frame, arr = as_matrix(values, arg=arg, nonnegative=nonnegative, regional=False)
    return frame, arr, was_series


def _out(frame, out, reasons, was_series, method, notes=()):
    res = pd.DataFrame(out, index=frame.index, columns=frame.columns, copy=False)
    if was_series:
        res = res.iloc[0]
        reasons = reasons.iloc[0] if reasons is not None else None
    return Result(res, reasons, method, list(notes))


def _base_pos(frame, base):
    if base is None:
        return 0
    cols = list(frame.columns)
    for k, c in enumerate(cols):
        if c == base or str(c) == str(base):
            return k
    raise InputError(f"base: period {base!r} is not a column; periods are {fmt_labels(cols)}")


def base_growth(values, base=None) -> Result:
    """Base growth rate, percent: T_b = x_t / x_0 * 100, x_0 the value of the base period.

    values: DataFrame items x periods (or a Series by period), values >= 0.
    base: the base period's column label (default: the first column).
    Source: standard (seed Table 2.1: industry 2019 vs 2015 = 156.9%).
    """
    frame, arr, ser = _table(values)
    k = _base_pos(frame, base)
    x0 = arr[:, k]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = arr / x0[:, None] * 100.0
    out[x0 == 0, :] = np.nan
    huge = beyond_range(out)
    reasons = None
    if np.isnan(out).any():
        reasons = frame_reasons(frame, cell_masks=[(np.isnan(arr), MISSING_INPUT), (huge, _TOO_SMALL_BASE)],
                                row_masks=[(np.isnan(x0), f"{MISSING_INPUT}: base period {frame.columns[k]}"),
                                           (x0 == 0, f"{ZERO_DENOMINATOR}: base period {frame.columns[k]} is 0")])
    return _out(frame, out, reasons, ser, f"T_b = x_t / x_{frame.columns[k]} * 100  [base growth, %; standard]")


def chain_growth(values) -> Result:
    """Chain growth rate, percent: T_c = x_t / x_(t-1) * 100 (the first period has none: NaN).

    Source: standard (seed Table 2.1: industry 2019 vs 2018 = 110.3%).
    """
    frame, arr, ser = _table(values)
    prev = np.empty_like(arr)
    prev[:, 0] = np.nan
    prev[:, 1:] = arr[:, :-1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = arr / prev * 100.0
    out[prev == 0] = np.nan
    huge = beyond_range(out)
    first = np.zeros(arr.shape, bool)
    first[:, 0] = True
    reasons = frame_reasons(frame, cell_masks=[(first, "no previous period"), (huge, _TOO_SMALL_BASE),
                                               (np.isnan(arr), MISSING_INPUT),
                                               (np.isnan(prev), f"{MISSING_INPUT}: previous period"),
                                               (prev == 0, f"{ZERO_DENOMINATOR}: previous period is 0")])
    return _out(frame, out, reasons, ser, "T_c = x_t / x_(t-1) * 100  [chain growth, %; standard]")


def base_increase(values, base=None) -> Result:
    """Absolute increase over the base period: D_b = x_t - x_0 (any sign).

    Source: standard (seed Table 2.1: industry +102 945.0 mln som in 2019 vs 2015).
    """
    frame, arr, ser = _table(values, nonnegative=False)
    k = _base_pos(frame, base)
    with np.errstate(over="ignore", invalid="ignore"):
        out = arr - arr[:, [k]]
    huge = beyond_range(out)
    reasons = None
    if np.isnan(out).any():
        reasons = frame_reasons(frame, cell_masks=[(np.isnan(arr), MISSING_INPUT), (huge, BEYOND_RANGE)],
                                row_masks=[(np.isnan(arr[:, k]), f"{MISSING_INPUT}: base period {frame.columns[k]}")])
    return _out(frame, out, reasons, ser, f"D_b = x_t - x_{frame.columns[k]}  [base increase; standard]")


def chain_increase(values) -> Result:
    """Absolute increase over the previous period: D_c = x_t - x_(t-1) (first period NaN).

    Source: standard (seed Table 2.1: industry +26 623.2 mln som in 2019 vs 2018).
    """
    frame, arr, ser = _table(values, nonnegative=False)
    out = np.full_like(arr, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        out[:, 1:] = arr[:, 1:] - arr[:, :-1]
    huge = beyond_range(out)
    first = np.zeros(arr.shape, bool)
    first[:, 0] = True
    prev_nan = np.zeros(arr.shape, bool)
    prev_nan[:, 1:] = np.isnan(arr[:, :-1])
    reasons = frame_reasons(frame, cell_masks=[(first, "no previous period"), (huge, BEYOND_RANGE),
                                               (np.isnan(arr), MISSING_INPUT),
                                               (prev_nan, f"{MISSING_INPUT}: previous period")])
    return _out(frame, out, reasons, ser, "D_c = x_t - x_(t-1)  [chain increase; standard]")


def shares(values, total=None, total_row=None) -> Result:
    """Structure: share of each item in the total, percent: S_i = x_i / x * 100, per period.

    values: DataFrame items x periods (values >= 0).
    total: the total x, one number or a Series by period (wins over everything else);
    total_row: the label of the row of `values` that holds the total (e.g. "Industry, total");
    default: the sum of the rows (a sum over a missing cell is missing).
    Source: standard (seed Table 2.1: manufacturing 2019 = 79.1% of industry).
    """
    frame, arr, ser = _table(values)
    if ser:
        raise InputError("values: shares need a table of items (rows) by periods (columns)")
    notes = []
    col_inc = None
    if total is not None:
        if np.ndim(total) == 0 and not isinstance(total, pd.Series):
            tot = np.full(arr.shape[1], as_scalar(total, arg="total"))
        else:
            t = as_series(total, arg="total")
            missing = [c for c in frame.columns if c not in t.index]
            if missing:
                raise InputError(f"total: no value for period(s) {fmt_labels(missing)}")
            tot = t.reindex(frame.columns).to_numpy(dtype=float)
        notes.append("total: given")
    elif total_row is not None:
        if total_row not in frame.index:
            raise InputError(f"total_row: {total_row!r} is not a row label; rows are {fmt_labels(frame.index)}")
        tot = frame.loc[total_row].to_numpy(dtype=float)
        notes.append(f"total: row {total_row!r}")
    else:
        tot = arr.sum(axis=0)
        col_inc = np.isnan(tot)
        notes.append("total: sum of the rows")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = arr / tot[None, :] * 100.0
    out[:, tot == 0] = np.nan
    huge = beyond_range(out)
    reasons = None
    if np.isnan(out).any():
        reasons = frame_reasons(frame, cell_masks=[(np.isnan(arr), MISSING_INPUT), (huge, BEYOND_RANGE)],
                                col_masks=[(col_inc, "total not computable: missing value in the period"),
                                           (np.isnan(tot), f"{MISSING_INPUT}: total"),
                                           (tot == 0, f"{ZERO_DENOMINATOR}: total is 0")])
    return _out(frame, out, reasons, False, "S_i = x_i / x * 100  [share, %; standard]", notes)


def find_total_row(values, rtol: float = 1e-3):
    """The label of the row that equals the sum of all the other rows, or None.

    A row is taken for the total when, in every period where no cell of the table is missing (at least
    two such periods, so that a chance match in one period does not count; the row non-zero), it differs from the sum of the other rows by at most `rtol`
    of itself (default 0.1%, rounding in printed tables). Needs at least three rows (the total and
    two items); when more than one row qualifies, none is returned. Used where a total row carries a
    label that is not a recognised national total (seed Table 2.1: "Өнөр жай, бардыгы"), so that it
    is not added to the items it sums.
    """
    frame, arr, ser = _table(values, nonnegative=False)
    if ser or arr.shape[0] < 3:
        return None
    complete = ~np.isnan(arr).any(axis=0)
    if complete.sum() < 2:  # one period could match by chance (1 + 1 = 2)
        return None
    a = arr[:, complete]
    col_sum = a.sum(axis=0)
    found = []
    for i in range(a.shape[0]):
        rest = col_sum - a[i]
        scale = np.abs(a[i])
        if (scale > 0).all() and (np.abs(a[i] - rest) <= rtol * scale).all():
            found.append(frame.index[i])
    return found[0] if len(found) == 1 else None


def check_total(values, total_row) -> Result:
    """Difference total - sum of the other rows, per period (0 where a table adds up, as seed Table 2.2).

    Any sign accepted (a financial result can be a loss). Returns a Series by period; NaN with a reason
    where a cell is missing.
    """
    frame, arr, _ = _table(values, nonnegative=False)
    if total_row not in frame.index:
        raise InputError(f"total_row: {total_row!r} is not a row label; rows are {fmt_labels(frame.index)}")
    pos = frame.index.get_loc(total_row)
    parts = np.delete(arr, pos, axis=0)
    out = arr[pos] - parts.sum(axis=0)
    reasons = None
    if np.isnan(out).any():
        r = np.where(np.isnan(out), MISSING_INPUT, None).astype(object)
        reasons = pd.Series(r, index=frame.columns, dtype=object)
    return Result(pd.Series(out, index=frame.columns, name="gap"), reasons,
                  f"gap_t = {total_row} - sum of the other rows  [check that sections add up to the total]")


# --------------------------------------------------------------------------------------------------
# printing
# --------------------------------------------------------------------------------------------------

def _num(x: float, lang: str, decimals: int, sign: bool = False) -> str:
    if abs(x) >= _SCIENTIFIC_FROM:
        text = f"{abs(x):.{max(decimals, 1)}E}"
    else:
        text = f"{abs(x):,.{decimals}f}".replace(",", " ")
    if lang in ("ky", "ru"):
        text = text.replace(".", ",")
    if x < 0 and x != 0 and float(text.replace(" ", "").replace(",", ".")) != 0:
        text = "−" + text if lang in ("ky", "ru") else "-" + text
    elif sign and x > 0:
        text = "+" + text
    return text


def _times_word_ru(text: str) -> str:
    if "," in text or "E" in text:
        return "раза"  # a fraction: "в 2,5 раза"
    n = int(text.replace(" ", ""))
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "раза"
    return "раз"


def _format_one(p, lang, decimals, times_from):
    if p is None or pd.isna(p):
        return None
    p = float(p)
    if p >= times_from:
        t = _num(p / 100.0, lang, decimals)
        if lang == "en":
            return f"{t} times"
        if lang == "ky":
            return f"{t} эсе"
        return f"в {t} {_times_word_ru(t)}"
    return _num(p, lang, decimals) + "%"


def format_growth(percent, lang: str = "en", decimals: int = 1, times_from: float = 200.0):
    """Print a growth rate (percent) as the seed does: "156.9%", or "N times" from 200% on.

        en: "156.9%", "2.5 times"     ky: "156,9%", "2,5 эсе"     ru: "156,9%", "в 2,5 раза"

    percent: a number, Series or DataFrame of growth rates in percent (e.g. from base_growth).
    Returns a str (None for a missing value), or a Series/DataFrame of them.
    """
    lang = check_lang(lang)
    if isinstance(percent, Result):
        percent = percent.values
    if isinstance(percent, pd.DataFrame):
        return percent.apply(lambda col: col.map(lambda v: _format_one(v, lang, decimals, times_from)))
    if isinstance(percent, pd.Series):
        return percent.map(lambda v: _format_one(v, lang, decimals, times_from))
    return _format_one(percent, lang, decimals, times_from)


def format_number(x, lang: str = "en", decimals: int = 1, sign: bool = False):
    """Print a number with space thousands and the language's decimal mark: "+102 945.0" (en),
    "+102 945,0" (ky, ru). sign=True puts "+" before positive numbers (for increases).
    None for a missing value."""
    lang = check_lang(lang)
    if x is None or pd.isna(x):
        return None
    return _num(float(x), lang, decimals, sign)
