"""Regional measures of the cluster analysis: localization, per-capita production, specialization,
the integral coefficient of cluster-formation potential, and the advantage classification.

Orientation everywhere: a matrix has regions in rows and sectors in columns (labels are the index and
the columns of a pandas DataFrame); a per-region input (population, GRP, region totals) is a Series
indexed by region; a per-sector input (national sector totals) is a Series indexed by sector.
Region labels are matched across languages and spellings (Чүй / Чуй / Chui ...) by `xlkg.core.regions`;
sector labels are matched exactly.

What cannot be computed stays missing: a zero denominator or a missing input gives NaN in
`Result.values` and a short text at the same position of `Result.reasons` (never inf, never 0).
`Result.reasons` is None when every value could be computed. Bad input (a negative value, labels that
do not match, an unknown method) raises `InputError` naming the labels.

Formulas follow the methods of the manual (docs/methods.md, sections 1-4): sources are stated per function as
"standard" (textbook formula), "seed" (the dissertation), "reconstruction" (the dissertation's formula
image was lost; default documented, alternatives selectable with `method=`).

Method names ignore case, and spaces, hyphens and underscores are alike ("Industry total" =
"industry_total"). The arithmetic mean is "arithmetic" in `localization_mean` and "mean" in
`cluster_potential` (and in the rating's aggregation); each accepts the other word, "average" and
"geometric mean" too, so an economist need not remember which module says which.

A table read from a worksheet by `xlkg.core.cells.read_table` may be passed as it is: its national-total
row and total column are the default totals, and its reason for each empty cell is kept. A
national-total row left inside a plain DataFrame is refused (it would count the country twice).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from xlkg.core.cells import Column, Table, find_total_labels, is_total_label  # noqa: F401 (find_total_labels: also imported from here)
from xlkg.core.checks import MAX_LABELS, check_method, fmt_labels
from xlkg.core.regions import align, match_key, region_key
from xlkg.core.result import MISSING_INPUT, ZERO_DENOMINATOR, InputError, Result, frame_kind

__all__ = [
    "localization",
    "localization_mean",
    "per_capita",
    "specialization",
    "cluster_potential",
    "advantage",
    "candidates",
    "cluster_analysis",
    "LOCALIZATION_MEAN_METHODS",
    "SPECIALIZATION_METHODS",
    "POTENTIAL_METHODS",
]

LOCALIZATION_MEAN_METHODS = ("arithmetic", "geometric")
SPECIALIZATION_METHODS = ("grp", "industry_total", "marketability")
POTENTIAL_METHODS = ("geometric", "mean", "product")

# The same two means are named "arithmetic" here, "mean" in cluster_potential and in the rating's
# aggregation: either word (and the usual spellings) is understood wherever one of them is.
_ARITHMETIC_WORDS = ("arithmetic", "mean", "average", "arithmetic mean", "amean")
_GEOMETRIC_WORDS = ("geometric", "geometric mean", "geomean", "gmean")
_LOCALIZATION_MEAN_ALIASES = {**dict.fromkeys(_ARITHMETIC_WORDS, "arithmetic"),
                              **dict.fromkeys(_GEOMETRIC_WORDS, "geometric")}
_POTENTIAL_ALIASES = {**dict.fromkeys(_ARITHMETIC_WORDS, "mean"), **dict.fromkeys(_GEOMETRIC_WORDS, "geometric")}

# --------------------------------------------------------------------------------------------------
# input checks and alignment (shared with xlkg.core.dynamics and xlkg.core.peers)
# --------------------------------------------------------------------------------------------------

def _cells(mask: np.ndarray, frame: pd.DataFrame) -> str:
    """'(row, column)' labels of the True cells of mask, at most a few."""
    rows, cols = np.nonzero(mask)
    pairs = [f"({frame.index[r]!s}, {frame.columns[c]!s})" for r, c in zip(rows[:MAX_LABELS], cols[:MAX_LABELS], strict=True)]
    more = len(rows) - MAX_LABELS
    return ", ".join(pairs) + (f" and {more} more" if more > 0 else "")


def _unwrap(obj):
    """Accept a Result wherever a labelled value is expected (its values and reasons are used), and
    what `xlkg.core.cells` reads from a worksheet: a `Table` (its values and the reader's reason for each
    missing cell) or a `Column` (its values)."""
    if isinstance(obj, Result):
        return obj.values, obj.reasons
    if isinstance(obj, Table):
        return obj.values, obj.missing
    if isinstance(obj, Column):
        return obj.values, obj.missing
    return obj, None


def _table_defaults(values, region_totals=None, sector_totals=None, grand_total=None):
    """Totals a `xlkg.core.cells.Table` carries (its national-total row, its total column and the cell where
    they meet), used where the caller gives none; explicit arguments always win. A `Column` given as
    totals brings its own national row as the grand total. The table's corner cell is used only when
    the caller does not replace the table's region totals (x and x_r must come from one source).
    Returns (region_totals, sector_totals, grand_total, the Table or None)."""
    for col in (region_totals, sector_totals):
        if grand_total is None and isinstance(col, Column) and col.total is not None:
            grand_total = col.total
    table = values if isinstance(values, Table) else None
    if table is not None:
        if grand_total is None and region_totals is None:
            grand_total = values.grand_total
        region_totals = values.row_totals if region_totals is None else region_totals
        sector_totals = values.col_totals if sector_totals is None else sector_totals
    return region_totals, sector_totals, grand_total, table


def _column_total(series, total):
    """`total` if given, else the national-total row of a `xlkg.core.cells.Column` (population, GRP), else None."""
    if total is None and isinstance(series, Column):
        return series.total
    return total


def _as_read(result: Result, table) -> Result:
    """A result computed from a worksheet `Table`: where a cell is missing and the reader said why
    (naming the cell: "row 5 'Ош облусу', column 2 'mining': error value #N/A"), that text replaces
    the generic 'no data'; the reader's notes (which row was read as the national total) come first."""
    if table is None:
        return result
    result.notes = list(table.notes) + list(result.notes)
    reasons = result.reasons
    if reasons is None:
        return result
    r = reasons.to_numpy(dtype=object)
    w = table.missing.reindex(index=reasons.index, columns=reasons.columns).to_numpy(dtype=object)
    better = np.equal(r, MISSING_INPUT) & pd.notna(w)
    if better.any():
        result.reasons = pd.DataFrame(np.where(better, w, r), index=reasons.index, columns=reasons.columns,
                                      copy=False)
    return result


def as_matrix(values, *, arg: str = "values", nonnegative: bool = True,
              regional: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """Validate a regions x sectors matrix; return it as a float DataFrame and its (shared) array.

    Raises InputError for: not a 2-D labelled table, repeated labels, text that is not a number,
    infinite values, (when `nonnegative`) negative values, naming the cells, and (when `regional`)
    a row or column labelled as a national or overall total ("Кыргыз Республикасы", "Всего",
    "Total"): summed with the regions it would count the country twice. Totals are given as
    arguments, or the table is read with `xlkg.core.cells.read_table`, which takes them out.
    """
    values, _ = _unwrap(values)
    if isinstance(values, pd.Series):
        values = values.to_frame()
    if not isinstance(values, pd.DataFrame):
        try:
            values = pd.DataFrame(values)
        except Exception as exc:  # pragma: no cover - message path
            raise InputError(f"{arg}: expected a table with region labels in rows and sector labels in columns") from exc
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise InputError(f"{arg}: the table is empty (need at least one region row and one sector column)")
    for axis, labels in (("region (row)", values.index), ("sector (column)", values.columns)):
        if not labels.is_unique:
            dup = labels[labels.duplicated()].unique()
            raise InputError(f"{arg}: {axis} labels repeat: {fmt_labels(dup)}; each label must appear once")
    if regional:
        _refuse_total_labels(values, arg)
        _refuse_same_region(values.index, arg)
    if frame_kind(values) != "f":
        try:
            values = values.astype(float)
        except (TypeError, ValueError) as exc:
            bad = values.apply(lambda s: pd.to_numeric(s, errors="coerce")).isna() & values.notna()
            raise InputError(
                f"{arg}: not a number at {_cells(bad.to_numpy(), values)}; give numbers (missing cells may be empty)"
            ) from exc
    arr = values.to_numpy(dtype=float, copy=False)
    with np.errstate(over="ignore"):
        total = arr.sum()
    if not np.isfinite(total):
        if np.isinf(arr).any():
            raise InputError(f"{arg}: infinite value at {_cells(np.isinf(arr), values)}; give finite numbers")
        if np.isinf(total):  # finite cells whose sum overflows
            raise InputError(f"{arg}: values too large to add up")
        has_nan = True
    else:
        has_nan = False
    if nonnegative:
        if has_nan:  # np.nanmin warns on a table with no number at all
            present = arr[~np.isnan(arr)]
            low = present.min() if present.size else 0.0
        else:
            low = arr.min()
        if low < 0:
            raise InputError(
                f"{arg}: negative value at {_cells(arr < 0, values)}; this measure needs values >= 0"
            )
    return values, arr




def _refuse_total_labels(values: pd.DataFrame, arg: str) -> None:
    for axis, labels, give in (("row", values.index, "sector_totals (the national row)"),
                               ("column", values.columns, "region_totals (each region's total)")):
        found = find_total_labels(labels)
        if found:
            raise InputError(
                f"{arg}: {axis} {fmt_labels(found)} is a national or overall total, not a "
                f"{'region' if axis == 'row' else 'sector'}; take it out of the table and give it as {give}, "
                f"or read the table with xlkg.core.cells.read_table, which does so")


def _refuse_same_region(labels, arg: str) -> None:
    """Two rows that name one region in different languages or spellings ("Чүй" and "Чуйская область")
    would count it twice in every sum: refused, naming both."""
    seen: dict[str, object] = {}
    for label in labels:
        key = region_key(label)
        if key is None:
            continue
        if key in seen:
            raise InputError(f"{arg}: rows '{seen[key]}' and '{label}' name the same region; keep one")
        seen[key] = label


def as_series(series, *, arg: str, nonnegative: bool = True) -> pd.Series:
    """Validate a labelled vector (population, GRP, totals): float Series, unique labels, >= 0."""
    series, _ = _unwrap(series)
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise InputError(f"{arg}: expected one column of numbers labelled by region or sector")
        series = series.iloc[:, 0]
    if isinstance(series, Mapping):
        series = pd.Series(series)
    if not isinstance(series, pd.Series):
        raise InputError(f"{arg}: expected numbers labelled by region or sector (a pandas Series)")
    if not series.index.is_unique:
        dup = series.index[series.index.duplicated()].unique()
        raise InputError(f"{arg}: labels repeat: {fmt_labels(dup)}")
    try:
        series = series.astype(float)
    except (TypeError, ValueError) as exc:
        bad = pd.to_numeric(series, errors="coerce").isna() & series.notna()
        raise InputError(f"{arg}: not a number at {fmt_labels(series.index[bad])}") from exc
    arr = series.to_numpy()
    if np.isinf(arr).any():
        raise InputError(f"{arg}: infinite value at {fmt_labels(series.index[np.isinf(arr)])}")
    if nonnegative and (arr < 0).any():
        raise InputError(f"{arg}: negative value at {fmt_labels(series.index[arr < 0])}; need values >= 0")
    return series


def as_scalar(x, *, arg: str, nonnegative: bool = True) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{arg}: expected one number, got {x!r}") from exc
    if np.isinf(x):
        raise InputError(f"{arg}: expected a finite number, got {x}")
    if nonnegative and x < 0:
        raise InputError(f"{arg}: negative value {x}; need a value >= 0")
    return x


def align_regions(target_index: pd.Index, series: pd.Series, *, arg: str, target_arg: str) -> pd.Series:
    """`series` reindexed to `target_index`, region names matched across languages and spellings.

    Uses `xlkg.core.regions.align`; labels that are not known regions are matched exactly. Raises
    InputError naming the labels of `target_index` that `series` lacks.
    """
    if series.index.equals(target_index):
        return series
    return align(target_index, series, arg=arg, target_arg=target_arg)


def align_sectors(target_columns: pd.Index, series: pd.Series, *, arg: str, target_arg: str) -> pd.Series:
    """`series` reindexed to the sector labels `target_columns` (exact match); InputError names the gaps."""
    if series.index.equals(target_columns):
        return series
    missing = target_columns.difference(series.index, sort=False)
    if len(missing):
        raise InputError(
            f"{arg}: no value for sector(s) {fmt_labels(missing)} of {target_arg}; labels must match its columns"
        )
    return series.reindex(target_columns)


def align_frames(target: pd.DataFrame, other: pd.DataFrame, *, arg: str, target_arg: str) -> pd.DataFrame:
    """`other` with rows and columns put in the order of `target`; InputError names labels that differ."""
    if other.index.equals(target.index) and other.columns.equals(target.columns):
        return other
    extra_cols = other.columns.difference(target.columns, sort=False)
    missing_cols = target.columns.difference(other.columns, sort=False)
    if len(extra_cols) or len(missing_cols):
        parts = []
        if len(missing_cols):
            parts.append(f"sector(s) {fmt_labels(missing_cols)} of {target_arg} are missing in {arg}")
        if len(extra_cols):
            parts.append(f"sector(s) {fmt_labels(extra_cols)} of {arg} are not in {target_arg}")
        raise InputError("labels do not match: " + "; ".join(parts))
    if other.index.equals(target.index):
        return other.reindex(columns=target.columns)
    pos = pd.Series(np.arange(len(other.index), dtype=float), index=other.index)
    try:
        where = align_regions(target.index, pos, arg=arg, target_arg=target_arg)
    except InputError as exc:
        tk = {match_key(x) for x in target.index}
        ok = {match_key(x) for x in other.index}
        missing = [x for x in target.index if match_key(x) not in ok]
        extra = [x for x in other.index if match_key(x) not in tk]
        parts = []
        if missing:
            parts.append(f"region(s) {fmt_labels(missing)} of {target_arg} are missing in {arg}")
        if extra:
            parts.append(f"region(s) {fmt_labels(extra)} of {arg} are not in {target_arg}")
        raise InputError("labels do not match: " + ("; ".join(parts) if parts else str(exc))) from exc
    where_arr = where.to_numpy()
    if np.isnan(where_arr).any():
        missing = target.index[np.isnan(where_arr)]
        raise InputError(f"labels do not match: region(s) {fmt_labels(missing)} of {target_arg} are missing in {arg}")
    used = set(where_arr.astype(int).tolist())
    extra = [other.index[k] for k in range(len(other.index)) if k not in used]
    if extra:
        raise InputError(f"labels do not match: region(s) {fmt_labels(extra)} of {arg} are not in {target_arg}")
    out = other.iloc[where_arr.astype(int)].reindex(columns=target.columns)
    out.index = target.index
    return out


def frame_reasons(like: pd.DataFrame, cell_masks=(), row_masks=(), col_masks=(), all_text=None, base=None):
    """Reasons frame for a matrix result, or None when no mask is set.

    cell_masks: (bool matrix, text); row_masks: (bool per row, text); col_masks: (bool per column,
    text); all_text: a text for every cell (e.g. grand total is 0); base: an existing reasons frame
    (its texts are kept where no mask here applies). The most specific text wins: cell masks over
    row masks over column masks over all_text over base; within a list, earlier masks win. Built with vectorised masks only; nothing is built when nothing
    is missing.
    """
    cell_masks = [(m, t) for m, t in cell_masks if m is not None and m.any()]
    row_masks = [(m, t) for m, t in row_masks if m is not None and m.any()]
    col_masks = [(m, t) for m, t in col_masks if m is not None and m.any()]
    base_arr = None if base is None else base.to_numpy(dtype=object)
    if not (cell_masks or row_masks or col_masks or all_text or base_arr is not None):
        return None
    shape = like.shape
    out = np.full(shape, None, dtype=object) if base_arr is None else base_arr.copy()
    if all_text:
        out[:, :] = all_text
    for m, t in reversed(col_masks):
        out[:, np.asarray(m, dtype=bool)] = t
    for m, t in reversed(row_masks):
        out[np.asarray(m, dtype=bool), :] = t
    for m, t in reversed(cell_masks):
        out[np.asarray(m, dtype=bool)] = t
    return pd.DataFrame(out, index=like.index, columns=like.columns, copy=False)


def series_reasons(like: pd.Series, *masks):
    masks = [(m, t) for m, t in masks if m is not None and np.asarray(m).any()]
    if not masks:
        return None
    out = np.full(len(like), None, dtype=object)
    for m, t in reversed(masks):
        out[np.asarray(m, dtype=bool)] = t
    return pd.Series(out, index=like.index, dtype=object)


# A value beyond what Excel holds (|v| > 9.99999999999999E+307) is not shown as a number.
BEYOND_RANGE = "result beyond the largest number Excel holds (the inputs differ by too many orders of magnitude)"
_EXCEL_MAX = 9.99999999999999e307


def beyond_range(out: np.ndarray):
    """Mask of the values of `out` beyond Excel's range, set to NaN in place; None when there are none."""
    with np.errstate(invalid="ignore"):
        huge = np.abs(out) > _EXCEL_MAX
    if not huge.any():
        return None
    out[huge] = np.nan
    return huge


def reciprocal(vec: np.ndarray) -> np.ndarray:
    """1/vec with NaN (not inf) where vec is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 / vec
    out[vec == 0] = np.nan
    return out


def _sector_totals(values: pd.DataFrame, arr: np.ndarray, sector_totals, *, arg: str):
    """x_i: the given national row (aligned to the columns), else the column sums. Returns (x_i array,
    mask of columns whose sum met a missing cell or None, note)."""
    if sector_totals is not None:
        st = align_sectors(values.columns, as_series(sector_totals, arg="sector_totals"),
                           arg="sector_totals", target_arg=arg).to_numpy(dtype=float)
        return st, None, "sector totals x_i: given"
    st = arr.sum(axis=0)
    return st, np.isnan(st), "sector totals x_i: sums of the table's columns"


def _sector_total_masks(col_inc, st):
    """Reasons for a sector total that cannot divide (for `frame_reasons(col_masks=...)`)."""
    return [(col_inc, "sector total not computable: missing value in the column"),
            (st == 0, f"{ZERO_DENOMINATOR}: sector total is 0"),
            (np.isnan(st), f"{MISSING_INPUT}: sector total")]


def _totals(values: pd.DataFrame, arr: np.ndarray, region_totals, sector_totals, grand_total, *, arg: str):
    """Resolve x_r, x_i and x: explicit totals win, else sums of the table.

    Returns (x_r array, x_i array, x float, notes, row_incomplete mask, col_incomplete mask, why x
    is missing or None). A total summed from a table with a missing cell is itself missing (a sum
    that silently reads a missing cell as 0 would be wrong).
    """
    notes = []
    row_inc = col_inc = None
    if region_totals is not None:
        rt = align_regions(values.index, as_series(region_totals, arg="region_totals"),
                           arg="region_totals", target_arg=arg).to_numpy(dtype=float)
        notes.append("region totals x_r: given")
    else:
        rt = arr.sum(axis=1)
        row_inc = np.isnan(rt)
        notes.append("region totals x_r: sums of the table's rows")
    st, col_inc, note = _sector_totals(values, arr, sector_totals, arg=arg)
    notes.append(note)
    if grand_total is not None:
        gt = as_scalar(grand_total, arg="grand_total")
        notes.append("grand total x: given")
        grand_why = f"{MISSING_INPUT}: grand total"
    elif region_totals is not None:
        gt = float(np.sum(rt))
        notes.append("grand total x: sum of the given region totals")
        grand_why = "grand total not computable: a given region total is missing"
    elif sector_totals is not None:
        gt = float(np.sum(st))
        notes.append("grand total x: sum of the given sector totals")
        grand_why = "grand total not computable: a given sector total is missing"
    else:
        gt = float(np.sum(rt))
        notes.append("grand total x: sum of the table")
        grand_why = "grand total not computable: missing value in the table"
    return rt, st, gt, notes, row_inc, col_inc, (grand_why if np.isnan(gt) else None)


# --------------------------------------------------------------------------------------------------
# 1. localization coefficient
# --------------------------------------------------------------------------------------------------

_LQ_METHOD = ("Kl_ri = (x_ri / x_r) / (x_i / x)  [localization coefficient = location quotient; "
              "standard; identical to REAT locq / EconGeo location_quotient]")


def localization(values, region_totals=None, sector_totals=None, grand_total=None, *, arg: str = "values") -> Result:
    """Localization coefficient (location quotient) on one base.

        Kl_ri = (x_ri / x_r) / (x_i / x)

    Source: standard (methods section 1); the same number as REAT `locq` and EconGeo
    `location_quotient`. Kl > 1: the sector's share in the region exceeds its share in the country.

    values: DataFrame, regions in rows, sectors in columns, values >= 0 (output, employment, ...).
    region_totals: Series by region, x_r (e.g. all industry of the region when the table lists only
        priority sectors). Default: the row sums of `values`.
    sector_totals: Series by sector, x_i (the national row). Default: the column sums.
    grand_total: number, x. Default: sum of `region_totals` if given, else sum of `sector_totals` if
        given, else the sum of the table.
    Explicit totals always win over sums of the table. A table sum over a missing cell is missing.
    `values` may be a `xlkg.core.cells.Table` read from a worksheet: its national-total row, total column
    and their meeting cell are then the default totals (the meeting cell only while the table's own
    region totals are used), and its reasons for missing cells are kept. Totals read with
    `xlkg.core.cells.read_pairs` bring their national row as the grand total.

    Returns Result(values=DataFrame like `values`). NaN with a reason where the cell is missing, a
    total is 0 or a total could not be summed. Raises InputError for negative values (naming the
    cells) and for totals whose labels do not match.
    """
    region_totals, sector_totals, grand_total, table = _table_defaults(values, region_totals, sector_totals,
                                                                     grand_total)
    values, arr = as_matrix(values, arg=arg)
    rt, st, gt, notes, row_inc, col_inc, grand_why = _totals(
        values, arr, region_totals, sector_totals, grand_total, arg=arg)
    # x / x_r (NaN where x is missing). A grand total of 0 leaves no share x_i / x to compare with:
    # every coefficient is missing, never 0.
    with np.errstate(over="ignore"):
        row_factor = (gt if gt != 0 else np.nan) * reciprocal(rt)
    col_factor = reciprocal(st)                                         # 1 / x_i
    with np.errstate(over="ignore", invalid="ignore"):
        out = arr * row_factor[:, None]
        out *= col_factor[None, :]
    huge = beyond_range(out)
    reasons = None
    bad_rows = np.isnan(row_factor)
    bad_cols = np.isnan(col_factor)
    if bad_rows.any() or bad_cols.any() or huge is not None:
        reasons = frame_reasons(
            values,
            cell_masks=[(np.isnan(arr), MISSING_INPUT), (huge, BEYOND_RANGE)],
            row_masks=[(row_inc, "region total not computable: missing value in the row"),
                       (rt == 0, f"{ZERO_DENOMINATOR}: region total is 0"),
                       (np.isnan(rt), f"{MISSING_INPUT}: region total")],
            col_masks=_sector_total_masks(col_inc, st),
            all_text=(grand_why if grand_why
                      else f"{ZERO_DENOMINATOR}: grand total is 0" if gt == 0 else None),
        )
    elif np.isnan(out).any():
        reasons = frame_reasons(values, cell_masks=[(np.isnan(arr), MISSING_INPUT)])
    if region_totals is not None or sector_totals is not None:
        _note_parts_exceed(arr, rt, st, values, notes)
    res = pd.DataFrame(out, index=values.index, columns=values.columns, copy=False)
    return _as_read(Result(res, reasons, _LQ_METHOD, notes), table)


def _note_parts_exceed(arr, rt, st, values, notes):
    with np.errstate(invalid="ignore"):
        rows = np.nansum(arr, axis=1) > rt * (1 + 1e-9)
        cols = np.nansum(arr, axis=0) > st * (1 + 1e-9)
    if rows.any():
        notes.append("warning: the row sum exceeds the given region total for "
                     + fmt_labels(values.index[rows]))
    if cols.any():
        notes.append("warning: the column sum exceeds the given sector total for "
                     + fmt_labels(values.columns[cols]))


def _bases_items(bases, *, arg="bases"):
    if isinstance(bases, Mapping):
        items = [(str(k), v) for k, v in bases.items()]
    elif isinstance(bases, (list, tuple)):
        items = [(f"base {k + 1}", v) for k, v in enumerate(bases)]
    else:
        raise InputError(f"{arg}: give the bases as a dict name -> table or as a list of tables")
    if not items:
        raise InputError(f"{arg}: no base given; give at least one table")
    return items


def _base_arg(name: str) -> str:
    """How messages name a base: "base 2" for the second of a list, "base 'employment'" for a named one."""
    return name if name.startswith("base ") and name[5:].isdigit() else f"base {name!r}"


def localization_mean(bases, method: str = "arithmetic", totals=None) -> Result:
    """Average localization coefficient over several bases (seed: "on various bases").

        Kl_ri = (1/B) * sum_b Kl^b_ri           method="arithmetic" (default; "mean", "average" too)
        Kl_ri = (prod_b Kl^b_ri) ^ (1/B)        method="geometric" ("geometric mean", "geomean" too)

    Source: seed (the average over bases), mean type a reconstruction (arithmetic by default).
    bases: dict name -> DataFrame (e.g. {"output": ..., "employment": ..., "enterprises": ...}) or a
        list of DataFrames (or `xlkg.core.cells.Table`s, whose total rows/columns are used as in
        `localization`); all with the same region and sector labels (regions matched across
        languages; order may differ; the first base fixes the order of the result).
    totals: optional dict name -> dict(region_totals=..., sector_totals=..., grand_total=...) (for a
        list of bases: a list of such dicts, or None entries), passed to `localization` per base.
    A cell missing in any base is missing in the mean, with the base named in the reason.
    """
    m = check_method(method, LOCALIZATION_MEAN_METHODS, aliases=_LOCALIZATION_MEAN_ALIASES)
    items = _bases_items(bases)
    if totals is None:
        tot = {}
    elif isinstance(totals, Mapping):
        tot = {str(k): v for k, v in totals.items()}
    else:
        tot = {name: t for (name, _), t in zip(items, totals, strict=True)}
    unknown = set(tot) - {n for n, _ in items}
    if unknown:
        raise InputError(f"totals: no base named {fmt_labels(sorted(unknown))}")
    first = None
    lqs = []
    for name, frame in items:
        t = tot.get(name) or {}
        bad = set(t) - {"region_totals", "sector_totals", "grand_total"}
        if bad:
            raise InputError(f"totals for base {name!r}: unknown key(s) {fmt_labels(sorted(bad))}; "
                             "valid: region_totals, sector_totals, grand_total")
        # Each base is computed in its own row order (with its own totals), then put in the first's.
        lq = localization(frame, arg=_base_arg(name), **t)
        if first is None:
            first = lq.values
        else:
            where = dict(arg=_base_arg(name), target_arg=_base_arg(items[0][0]))
            lq.values = align_frames(first, lq.values, **where)
            if lq.reasons is not None:
                lq.reasons = align_frames(first, lq.reasons, **where)
        lqs.append((name, lq))
    stack = [r.values.to_numpy() for _, r in lqs]
    k = len(stack)
    if m == "arithmetic":
        out = stack[0].copy()
        for s in stack[1:]:
            out += s
        out /= k
        formula = "Kl_ri = (1/B) * sum_b Kl^b_ri (arithmetic mean over bases)"
    else:
        out = stack[0].copy()
        for s in stack[1:]:
            out *= s
        out = out ** (1.0 / k) if k > 1 else out
        formula = "Kl_ri = (prod_b Kl^b_ri)^(1/B) (geometric mean over bases)"
    reasons = None
    if any(r.reasons is not None for _, r in lqs):
        out_r = np.full(out.shape, None, dtype=object)
        for name, r in reversed(lqs):
            if r.reasons is not None:
                ra = r.reasons.to_numpy(dtype=object)
                has = pd.notna(ra)
                out_r[has] = np.char.add(f"{name}: " if name.startswith("base ") else f"base {name}: ",
                                                         ra[has].astype(str)).astype(object) if has.any() else out_r[has]
        reasons = pd.DataFrame(out_r, index=first.index, columns=first.columns, copy=False)
    names = ", ".join(n for n, _ in items)
    method_text = (f"{formula}; bases: {names}; each base: {_LQ_METHOD}; source: seed (average over bases), "
                   f"mean type reconstruction, default arithmetic")
    notes = [f"{n}: {'; '.join(r.notes)}" for n, r in lqs]
    return Result(pd.DataFrame(out, index=first.index, columns=first.columns, copy=False), reasons, method_text, notes)


# --------------------------------------------------------------------------------------------------
# 2. per-capita production coefficient
# --------------------------------------------------------------------------------------------------

def per_capita(values, population, sector_totals=None, total_population=None) -> Result:
    """Per-capita production coefficient.

        Kdp_ri = (x_ri / x_i) / (P_r / P)

    Source: standard (methods section 2; REAT's Litzenberger per-capita term). x is output in value.
    values: DataFrame regions x sectors, >= 0.
    population: Series by region (P_r), matched to the rows of `values` across languages/spellings.
    sector_totals: Series by sector, x_i (national). Default: column sums of `values`.
    total_population: P. Default: the national-total row of `population` when it is a
        `xlkg.core.cells.Column` that has one, else the sum of `population` over the regions of `values`.
    `values` may be a `xlkg.core.cells.Table`: its national-total row is then the default x_i.
    NaN with a reason where a cell or population is missing or a denominator is 0.
    """
    _, sector_totals, _, table = _table_defaults(values, sector_totals=sector_totals)
    total_population = _column_total(population, total_population)
    values, arr = as_matrix(values)
    pop = align_regions(values.index, as_series(population, arg="population"),
                        arg="population", target_arg="values").to_numpy(dtype=float)
    out, reasons, notes = _sector_share_over_region_share(
        values, arr, sector_totals, pop, total_population, q_arg="total_population", q_name="population",
        q_total_name="total population", given_note="total population P: given",
        summed_note="total population P: sum over the table's regions",
        total_missing="total population not computable: missing population")
    method = "Kdp_ri = (x_ri / x_i) / (P_r / P)  [per-capita production coefficient; standard]"
    return _as_read(Result(out, reasons, method, notes), table)


def _sector_share_over_region_share(values, arr, sector_totals, q, q_total, *, q_arg, q_name, q_total_name,
                                    given_note, summed_note, total_missing):
    """(x_ri / x_i) / (q_r / q): the common form of the per-capita (q = population) and the
    specialization (q = GRP) coefficients. q: per-region array aligned to the rows; q_total: the
    national q (default: the sum of q, itself missing if any q_r is). Returns (DataFrame, reasons or
    None, notes)."""
    st, col_inc, note = _sector_totals(values, arr, sector_totals, arg="values")
    notes = [note]
    if q_total is not None:
        qtot = as_scalar(q_total, arg=q_arg)
        notes.append(given_note)
    else:
        qtot = float(q.sum())
        notes.append(summed_note)
    # x_ri * q / q_r, then / x_i. A national q of 0 leaves no share q_r / q: every value is missing.
    with np.errstate(over="ignore", invalid="ignore"):
        out = arr * ((qtot if qtot != 0 else np.nan) * reciprocal(q))[:, None]
        out *= reciprocal(st)[None, :]
    huge = beyond_range(out)
    reasons = None
    if np.isnan(out).any():
        reasons = frame_reasons(
            values,
            cell_masks=[(np.isnan(arr), MISSING_INPUT), (huge, BEYOND_RANGE)],
            row_masks=[(q == 0, f"{ZERO_DENOMINATOR}: {q_name} is 0"), (np.isnan(q), f"{MISSING_INPUT}: {q_name}")],
            col_masks=_sector_total_masks(col_inc, st),
            all_text=(total_missing if np.isnan(qtot)
                      else f"{ZERO_DENOMINATOR}: {q_total_name} is 0" if qtot == 0 else None),
        )
    return pd.DataFrame(out, index=values.index, columns=values.columns, copy=False), reasons, notes


# --------------------------------------------------------------------------------------------------
# 3. specialization coefficient
# --------------------------------------------------------------------------------------------------

def specialization(values, grp=None, method: str = "grp", outflow=None, *, sector_totals=None,
                   grp_total=None, region_totals=None, grand_total=None) -> Result:
    """Specialization coefficient (methods section 3; a reconstruction, authors differ).

    method="grp" (default):  Ks_ri = (x_ri / x_i) / (Y_r / Y), Y = gross regional product.
        grp: Series by region (Y_r); grp_total: Y (default: the national-total row of `grp` when it
        is a `xlkg.core.cells.Column` that has one, else the sum of `grp` over the table's regions);
        sector_totals: x_i (default: the national-total row of a `xlkg.core.cells.Table`, else column sums).
    method="industry_total": Y = total industrial output: Ks_ri = (x_ri / x_i) / (x_r / x), which is
        algebraically the localization coefficient on output (`localization`); computed by it, and
        the result says so. region_totals / sector_totals / grand_total as in `localization`.
    method="marketability" (коэффициент межрайонной товарности): Ks_ri = outflow_ri / x_ri, where
        `outflow` (DataFrame like `values`: what the region ships out of the sector) exists.
    """
    m = check_method(method, SPECIALIZATION_METHODS)
    grp_total = _column_total(grp, grp_total)
    if m == "industry_total":
        r = localization(values, region_totals=region_totals, sector_totals=sector_totals,
                         grand_total=grand_total)
        r.method = ("Ks_ri = (x_ri / x_i) / (x_r / x) with Y = total industrial output; identical to the "
                    "localization coefficient on output: " + _LQ_METHOD + "; source: reconstruction")
        r.notes = ["with Y = total industrial output the specialization coefficient equals the "
                   "localization coefficient on output; it adds no information"] + r.notes
        return r
    _, sector_totals, _, table = _table_defaults(values, sector_totals=sector_totals)
    values, arr = as_matrix(values)
    if m == "marketability":
        if outflow is None:
            raise InputError("outflow: method 'marketability' needs the outflow table (regions x sectors)")
        of, of_arr = as_matrix(outflow, arg="outflow")
        of = align_frames(values, of, arg="outflow", target_arg="values")
        of_arr = of.to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = of_arr / arr
        zero = arr == 0
        out[zero] = np.nan
        reasons = None
        if np.isnan(out).any():
            reasons = frame_reasons(values, cell_masks=[(np.isnan(arr), MISSING_INPUT),
                                                        (np.isnan(of_arr), f"{MISSING_INPUT}: outflow"),
                                                        (zero, f"{ZERO_DENOMINATOR}: output is 0")])
        method_text = "Ks_ri = outflow_ri / x_ri  [marketability; source: reconstruction, alternative]"
        return _as_read(Result(pd.DataFrame(out, index=values.index, columns=values.columns, copy=False),
                               reasons, method_text, []), table)
    if grp is None:
        raise InputError("grp: method 'grp' needs the gross regional product per region (Y_r)")
    y = align_regions(values.index, as_series(grp, arg="grp"), arg="grp", target_arg="values").to_numpy(dtype=float)
    out, reasons, notes = _sector_share_over_region_share(
        values, arr, sector_totals, y, grp_total, q_arg="grp_total", q_name="GRP", q_total_name="Y",
        given_note="Y (GDP): given", summed_note="Y (GDP): sum of GRP over the table's regions",
        total_missing="Y not computable: missing GRP")
    method_text = ("Ks_ri = (x_ri / x_i) / (Y_r / Y), Y = GRP  [specialization coefficient; source: "
                   "reconstruction, default]")
    return _as_read(Result(out, reasons, method_text, notes), table)


# --------------------------------------------------------------------------------------------------
# 4. integral coefficient of cluster-formation potential, advantage, candidates
# --------------------------------------------------------------------------------------------------

_POTENTIAL_FORMULAS = {
    "geometric": "Ki_ri = (Kl_ri * Kdp_ri * Ks_ri)^(1/3)  [geometric mean; default]",
    "mean": "Ki_ri = (Kl_ri + Kdp_ri + Ks_ri) / 3  [arithmetic mean; alternative]",
    "product": "Ki_ri = Kl_ri * Kdp_ri * Ks_ri  [product; alternative]",
}


def cluster_potential(kl, kdp, ks, method: str = "geometric") -> Result:
    """Integral coefficient of the level of cluster-formation potential (methods section 4).

        geometric (default): Ki = (Kl * Kdp * Ks)^(1/3)   ("geometric mean", "geomean" too)
        mean:                Ki = (Kl + Kdp + Ks) / 3     ("arithmetic", "average" too)
        product:             Ki = Kl * Kdp * Ks

    Source: reconstruction (the seed's formula image was lost); all three are neutral at 1, and the
    seed reads Ki > 1 as an absolute advantage for forming a cluster (Table 3.1).
    kl, kdp, ks: DataFrames (or Results) regions x sectors with the same labels (order may differ;
        regions matched across languages); the result follows the order of `kl`. A Result's reasons
        are carried into the result. Labels that differ raise InputError naming them.
    """
    m = check_method(method, POTENTIAL_METHODS, aliases=_POTENTIAL_ALIASES)
    parts = []
    first = None
    for name, obj in (("kl", kl), ("kdp", kdp), ("ks", ks)):
        frame, reasons = _unwrap(obj)
        frame, _ = as_matrix(frame, arg=name)
        if first is None:
            first = frame
        else:
            frame = align_frames(first, frame, arg=name, target_arg="kl")
            if reasons is not None:
                reasons = align_frames(first, reasons, arg=name, target_arg="kl")
        parts.append((name, frame.to_numpy(dtype=float), reasons))
    a, b, c = (p[1] for p in parts)
    if m == "geometric":
        out = np.cbrt(a * b * c)
    elif m == "mean":
        out = (a + b + c) / 3.0
    else:
        out = a * b * c
    reasons = None
    if np.isnan(out).any():
        out_r = np.full(out.shape, None, dtype=object)
        for name, arr, rs in reversed(parts):
            miss = np.isnan(arr)
            if not miss.any():
                continue
            if rs is not None:
                ra = rs.to_numpy(dtype=object)
                txt = np.where(pd.notna(ra), ra, MISSING_INPUT).astype(str)
                out_r[miss] = np.char.add(f"{name}: ", txt[miss]).astype(object)
            else:
                out_r[miss] = f"{name}: {MISSING_INPUT}"
        reasons = pd.DataFrame(out_r, index=first.index, columns=first.columns, copy=False)
    method_text = _POTENTIAL_FORMULAS[m] + "; source: reconstruction (seed Table 3.1 reads Ki > 1 as advantage)"
    return Result(pd.DataFrame(out, index=first.index, columns=first.columns, copy=False), reasons, method_text, [])


def advantage(potential, threshold: float = 1.0) -> Result:
    """Absolute advantage for forming a cluster: Ki_ri > threshold (default 1, as the seed reads Table 3.1).

    Returns Result(values=DataFrame of pandas nullable booleans: True = advantage, False = none,
    <NA> where the potential is missing, with its reason).
    """
    frame, reasons = _unwrap(potential)
    frame, arr = as_matrix(frame, arg="potential")
    thr = as_scalar(threshold, arg="threshold", nonnegative=False)
    miss = np.isnan(arr)
    with np.errstate(invalid="ignore"):
        above = arr > thr
    out = pd.DataFrame({k: pd.arrays.BooleanArray(above[:, k], miss[:, k]) for k in range(arr.shape[1])})
    out.index = frame.index
    out.columns = frame.columns
    rs = None
    if miss.any():
        if reasons is not None:
            ra = reasons.to_numpy(dtype=object)
            has = pd.notna(ra)
            ra = np.where(has, ra, None)
            ra[miss & ~has] = MISSING_INPUT
            ra[~miss] = None
            rs = pd.DataFrame(ra, index=frame.index, columns=frame.columns, copy=False)
        else:
            rs = frame_reasons(frame, cell_masks=[(miss, MISSING_INPUT)])
    return Result(out, rs, f"advantage: Ki_ri > {thr:g} (seed, Table 3.1)", [])


def candidates(potential, threshold: float = 1.0) -> Result:
    """Per sector, the candidate regions for a cluster: Ki_ri > threshold, sorted by Ki descending.

    Returns Result(values=DataFrame with columns sector, rank, region, potential), sectors in the
    order of the columns of `potential`, ranks 1, 2, ... within each sector (ties keep the row order).
    Missing potentials are never candidates. `notes` names the sectors without any candidate.
    """
    frame, _ = _unwrap(potential)
    frame, arr = as_matrix(frame, arg="potential")
    thr = as_scalar(threshold, arg="threshold", nonnegative=False)
    with np.errstate(invalid="ignore"):
        above = arr > thr
    # sort each column by potential descending (stable): rows with no advantage go to the end
    key = np.where(above, -arr, np.inf)
    order = np.argsort(key, axis=0, kind="stable")
    counts = above.sum(axis=0)
    cols = np.repeat(np.arange(arr.shape[1]), counts)
    ranks = np.concatenate([np.arange(1, k + 1) for k in counts]) if counts.sum() else np.zeros(0, int)
    rows = order[ranks - 1, cols] if counts.sum() else np.zeros(0, int)
    out = pd.DataFrame({
        "sector": frame.columns[cols],
        "rank": ranks.astype(int),
        "region": frame.index[rows],
        "potential": arr[rows, cols],
    })
    empty = frame.columns[counts == 0]
    notes = [f"no region above {thr:g} for: {', '.join(map(str, empty))}"] if len(empty) else []
    return Result(out, None, f"candidates: regions with Ki_ri > {thr:g}, sorted by Ki descending (seed, Table 3.1)", notes)


def cluster_analysis(bases, population, grp=None, *, output_base=None, totals=None,
                     localization_method: str = "arithmetic", specialization_method: str = "grp",
                     potential_method: str = "geometric", outflow=None, total_population=None,
                     grp_total=None, threshold: float = 1.0) -> dict:
    """The whole chain of methods sections 1-4 in one call, as a dict of Results:

        "localization"   localization_mean(bases, localization_method, totals)
        "per_capita"     per_capita(output, population, sector_totals of the output base, total_population)
        "specialization" specialization(output, grp, specialization_method, outflow, ...)
        "potential"      cluster_potential(Kl, Kdp, Ks, potential_method)
        "advantage"      advantage(potential, threshold)
        "candidates"     candidates(potential, threshold)

    bases: dict name -> DataFrame (or a list); output_base: the name of the base in value terms used
    for Kdp and Ks (default: the first base). totals: as in `localization_mean`; the output base's
    sector_totals / region_totals / grand_total are also used by per_capita and specialization.
    Defaults: arithmetic mean over bases, GRP specialization, geometric-mean potential, threshold 1.
    """
    items = _bases_items(bases)
    names = [n for n, _ in items]
    out_name = names[0] if output_base is None else str(output_base)
    if out_name not in names:
        raise InputError(f"output_base: no base named {out_name!r}; bases are {fmt_labels(names)}")
    output = dict(items)[out_name]
    if totals is None:
        out_totals = {}
    elif isinstance(totals, Mapping):
        out_totals = dict(totals.get(out_name) or {})
    else:
        out_totals = dict(list(totals)[names.index(out_name)] or {})
    kl = localization_mean(dict(items), localization_method, totals=(
        None if totals is None else totals if isinstance(totals, Mapping) else dict(zip(names, totals, strict=True))))
    kdp = per_capita(output, population, sector_totals=out_totals.get("sector_totals"),
                     total_population=total_population)
    ks = specialization(output, grp, specialization_method, outflow,
                        sector_totals=out_totals.get("sector_totals"), grp_total=grp_total,
                        region_totals=out_totals.get("region_totals"), grand_total=out_totals.get("grand_total"))
    ki = cluster_potential(kl, kdp, ks, potential_method)
    return {"localization": kl, "per_capita": kdp, "specialization": ks, "potential": ki,
            "advantage": advantage(ki, threshold), "candidates": candidates(ki, threshold)}
