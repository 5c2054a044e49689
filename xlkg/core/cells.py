"""What Excel sends, read into labelled data. The only module that knows the shapes of cells.

A worksheet function receives the values of a range as rows of cells: xlwings passes a list of rows
(None for a blank, float for a number, str for text, ``"#N/A"``-style strings for error values in
Office.js); the headless evaluator (`formulas`) passes 2-D numpy arrays whose blanks are its own
"empty" token and whose errors are string-like error tokens. Ministry workbooks add their own habits:
numbers typed as text with a decimal comma and space thousands ("1 234,5"), dashes for "no data",
footnote marks, a national-total row ("Кыргыз Республикасы", "Всего", "Бардыгы", "Total"), merged
headers whose continuation cells arrive blank.

Everything here turns that into a `Table`: a float DataFrame labelled by the header row and the
first column, NaN where a cell holds no number, and beside it the reason for each NaN in words that
name the cell ("row 4 'Чүй облусу', column 3 'mining': no data ('-')"). One bad cell spoils only the
results that depend on it; the rest of the table is read.

Rules for text numbers (documented for users):
* spaces, no-break spaces and thin spaces inside a number are thousands separators;
* a single comma is a decimal comma ("7913,8" = 7913.8); when both "." and "," occur, the rightmost one
  is the decimal separator ("1.234,5" and "1,234.5" are both 1234.5);
* a leading "−" (Unicode minus) or "-" followed by digits is negative; "(12,3)" is -12.3;
* a trailing "%" divides by 100, as Excel's VALUE() does ("12,5%" = 0.125);
* trailing footnote marks ("*", "¹", "²", "³") are ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from numbers import Number

import numpy as np
import pandas as pd

from xlkg.core.result import InputError

# Cells that mean "no data" in statistical tables (ky/ru/en habits). Compared after stripping and
# lower-casing. "x"/"х" (Latin and Cyrillic) is the statistics committees' "not applicable / confidential".
MISSING_MARKERS = frozenset(
    {"", "-", "–", "—", "−", "--", "---", "н/д", "н.д.", "нд", "…", "...", "..", "x", "х", "n/a", "na",
     "маалымат жок", "нет данных", "no data"}
)
# A dash in a statistics committee's table means "the phenomenon is absent" (no such production);
# read as missing by default (never a silent 0), and as 0 only when the caller says so.
DASHES = frozenset({"-", "–", "—", "−", "--", "---"})
ERROR_VALUES = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!",
     "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)

# Labels of a national / overall total (row or column), normalised: lower case, single spaces,
# trailing punctuation removed. Exact matches, plus labels that start with one of TOTAL_PREFIXES
# ("Всего по республике", "Total, all sectors"). A label like "Mining, total" (a section's own total)
# is NOT a national total and stays a row.
TOTAL_LABELS = frozenset(
    {"кыргыз республикасы", "кыргызская республика", "kyrgyz republic", "the kyrgyz republic",
     "kyrgyzstan", "кыргызстан", "республика боюнча", "по республике", "по кыргызской республике",
     "всего", "итого", "бардыгы", "баары", "жыйынтыгы", "жалпы", "total", "all", "grand total",
     "all regions", "all sectors", "бардык тармактар", "все отрасли", "все регионы", "республика"}
)
TOTAL_PREFIXES = ("всего", "итого", "бардыгы", "total", "grand total", "кыргыз республикасы боюнча")
# Rows that only introduce a breakdown and hold no data of their own.
SUBHEADING_LABELS = frozenset({"в том числе", "в т.ч.", "в т. ч.", "из них", "анын ичинде", "алардын ичинен",
                               "of which", "including"})

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f']+")
_FOOTNOTE = re.compile(r"[*¹²³⁴⁵⁶⁷⁸⁹⁰)]+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _norm_label(text: str) -> str:
    t = " ".join(str(text).replace("ё", "е").replace("Ё", "Е").split()).lower()
    return t.rstrip(" .:;,")


def is_total_label(text) -> bool:
    """True when a row/column label names a national or overall total, in Kyrgyz, Russian or English."""
    if not isinstance(text, str):
        return False
    t = _norm_label(text)
    return t in TOTAL_LABELS or any(t.startswith(p + " ") or t.startswith(p + ",") for p in TOTAL_PREFIXES)


def is_blank(cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    # The `formulas` evaluator's empty cell is a str subclass token whose text is "empty".
    if isinstance(cell, str) and type(cell) is not str and str(cell) == "empty":
        return True
    return isinstance(cell, str) and cell.strip() == ""


def parse_cell(cell, *, dash_is_zero: bool = False) -> tuple[float, str | None]:
    """Read one cell as a number: (value, None), or (NaN, reason) when it holds no number.

    Never raises: a cell that is not a number is a missing value with a reason, so one bad cell does
    not stop the rest of a table. With ``dash_is_zero`` a dash ("-", "–", "—") is 0, the statistics
    committees' convention for "no such production"; otherwise it is missing.
    """
    if is_blank(cell):
        return math.nan, "blank"
    if isinstance(cell, bool) or isinstance(cell, np.bool_):
        return math.nan, f"{'TRUE' if cell else 'FALSE'} is not a number"
    if isinstance(cell, Number):
        v = float(cell)
        if math.isinf(v):
            return math.nan, "infinite value"
        return v, None
    if hasattr(cell, "year") and hasattr(cell, "month"):
        return math.nan, f"a date ({cell}) is not a number"
    text = str(cell).strip()
    if text.upper() in ERROR_VALUES:
        return math.nan, f"error value {text.upper()}"
    if dash_is_zero and text in DASHES:
        return 0.0, None
    if text.lower() in MISSING_MARKERS:
        return math.nan, f"no data ('{text}')"
    value = _parse_number_text(text)
    if value is None:
        shown = text if len(text) <= 30 else text[:27] + "..."
        return math.nan, f"'{shown}' is not a number"
    return value, None


def _parse_number_text(text: str) -> float | None:
    t = _FOOTNOTE.sub("", text) if not text.startswith("(") else text
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    t = t.replace("\u2212", "-")  # Unicode minus
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    t = _SPACES.sub("", t)
    if "," in t and "." in t:
        if t.rfind(",") > t.rfind("."):
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", "")
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    if not _NUMBER.match(t):
        return None
    value = float(t)
    if negative:
        value = -value
    return value / 100.0 if percent else value


def parse_number(cell, *, where: str) -> float:
    """One number that must be there (a threshold, a total): InputError naming `where` otherwise."""
    value, reason = parse_cell(cell)
    if reason is not None:
        raise InputError(f"{where}: expected a number, got {reason}")
    return value


def label_text(cell) -> str | None:
    if is_blank(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (int, np.integer)) and not isinstance(cell, bool):
        return str(int(cell))
    return " ".join(str(cell).split())


def as_rows(rows, *, arg: str) -> list[list]:
    """Normalise what a host passes (list of rows, a single row, a scalar, a numpy array) to rows."""
    if isinstance(rows, pd.DataFrame):
        raise InputError(f"{arg}: pass the cells (a list of rows), or use the measures module for DataFrames")
    if isinstance(rows, np.ndarray):
        rows = rows.tolist() if rows.ndim == 2 else [rows.tolist()] if rows.ndim == 1 else [[rows.item()]]
    elif not isinstance(rows, (list, tuple)):
        rows = [[rows]]
    elif rows and not isinstance(rows[0], (list, tuple, np.ndarray)):
        rows = [list(rows)]
    rows = [list(r) for r in rows]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    # A selection larger than the data: drop blank rows and columns at the end.
    while rows and all(is_blank(c) for c in rows[-1]):
        rows.pop()
    while rows and rows[0] and all(is_blank(r[-1]) for r in rows):
        rows = [r[:-1] for r in rows]
    return rows


def _col_name(i: int) -> str:
    return f"column {i + 1}"


@dataclass
class Table:
    """A labelled table read from cells.

    values       float DataFrame, index = row labels, columns = column labels, NaN where no number
    missing      object DataFrame of the same shape: None, or why the cell has no number
    row_totals   a recognised total column ("Всего", "Total") per row, or None
    col_totals   a recognised national-total row ("Кыргыз Республикасы") per column, or None
    grand_total  the cell where both meet, or None
    notes        what the reader did that a user may want to know (skipped rows, merged headers)
    """

    values: pd.DataFrame
    missing: pd.DataFrame
    row_totals: pd.Series | None = None
    col_totals: pd.Series | None = None
    grand_total: float | None = None
    notes: list[str] = field(default_factory=list)
    arg: str = "values"
    dashes: list[str] = field(default_factory=list)  # cells holding a dash read as missing ("row 3 'Чүй', column 2 'mining'")


def _header_rows(rows: list[list]) -> int:
    """How many leading rows form the header: the first, plus following rows with a blank label cell
    whose other cells are all text (a second header line under merged cells)."""
    n = 1
    while n < len(rows) - 1:
        row = rows[n]
        if not is_blank(row[0]):
            break
        rest = [c for c in row[1:] if not is_blank(c)]
        above = rows[n - 1][1:]
        # Under a header merged across columns the merged cells arrive blank; the line below names them
        # (years, units). Otherwise a label-less line of text only is also a header line.
        fills_merged = any(is_blank(a) and not is_blank(c) for a, c in zip(above, row[1:]))
        all_text = bool(rest) and all(parse_cell(c)[1] is not None for c in rest)
        if not rest or not (fills_merged or all_text):
            break
        n += 1
    return n


def _column_labels(rows: list[list], n_header: int, notes: list[str], arg: str) -> list[str]:
    width = len(rows[0])
    levels = []
    for h in range(n_header):
        labels, last = [], None
        for j in range(1, width):
            text = label_text(rows[h][j])
            if text is None and last is not None and h < n_header - 1:
                text = last  # continuation cell of a header merged across columns
            labels.append(text)
            last = text if text is not None else last
        levels.append(labels)
    out = []
    for j in range(width - 1):
        parts = [lv[j] for lv in levels if lv[j] is not None]
        # Repeated upper parts (a merged header over several columns) are kept once per column.
        label = " / ".join(dict.fromkeys(parts)) if parts else None
        if label is None:
            label = f"({_col_name(j + 1)})"
            notes.append(f"{arg}: {_col_name(j + 1)} has no header; it is called '{label}'")
        out.append(label)
    if n_header > 1:
        notes.append(f"{arg}: header read from {n_header} rows (merged cells)")
    return out


def read_table(rows, *, arg: str = "values", totals: bool = True, dash_is_zero: bool = False) -> Table:
    """Read a region x sector (or region x indicator) table: header row(s), then one row per label.

    The first row holds column labels (more header rows are recognised under merged cells), the first
    column holds row labels. With ``totals`` a national-total row and an overall-total column are taken
    out of the values and returned as ``col_totals`` / ``row_totals``. ``dash_is_zero``: see `parse_cell`.
    """
    rows = as_rows(rows, arg=arg)
    if len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], str) and parse_cell(rows[0][0])[1]:
        # one cell of text where a table belongs: usually another function's message; show it
        text = " ".join(rows[0][0].split())
        raise InputError(f"{arg}: expected a table, got one cell of text: \"{text}\"")
    if len(rows) < 2 or len(rows[0]) < 2:
        raise InputError(
            f"{arg}: expected a table with a header row and a first column of labels "
            f"(at least 2 x 2 cells), got {len(rows)} row(s) x {len(rows[0]) if rows else 0} column(s)"
        )
    notes: list[str] = []
    n_header = _header_rows(rows)
    columns = _column_labels(rows, n_header, notes, arg)
    body = rows[n_header:]

    labels, data_rows, positions = [], [], []
    for k, row in enumerate(body):
        excel_row = n_header + k + 1
        label = label_text(row[0])
        data = row[1:]
        if label is None:
            if all(is_blank(c) for c in data):
                continue
            label = f"(row {excel_row})"
            notes.append(f"{arg}: row {excel_row} has no label; it is called '{label}'")
        if _norm_label(label) in SUBHEADING_LABELS and all(is_blank(c) for c in data):
            notes.append(f"{arg}: row {excel_row} '{label}' introduces a breakdown and holds no data; skipped")
            continue
        labels.append(label)
        data_rows.append(data)
        positions.append(excel_row)
    _check_unique(labels, positions, arg, "row")
    _check_unique(columns, list(range(2, len(columns) + 2)), arg, "column")

    n, m = len(labels), len(columns)
    vals = np.full((n, m), np.nan)
    why = np.full((n, m), None, dtype=object)
    dashes = []
    for i, data in enumerate(data_rows):
        for j, cell in enumerate(data):
            v, reason = parse_cell(cell, dash_is_zero=dash_is_zero)
            if reason is None:
                vals[i, j] = v
            else:
                where = f"row {positions[i]} '{labels[i]}', column {j + 2} '{columns[j]}'"
                why[i, j] = f"{where}: {reason}"
                if isinstance(cell, str) and cell.strip() in DASHES:
                    dashes.append(where)
    values = pd.DataFrame(vals, index=pd.Index(labels, dtype=object), columns=pd.Index(columns, dtype=object))
    missing = pd.DataFrame(why, index=values.index, columns=values.columns)

    if dash_is_zero:
        notes.append(f"{arg}: dashes read as 0 (no such production)")
    table = Table(values=values, missing=missing, notes=notes, arg=arg, dashes=dashes)
    if totals:
        _split_totals(table)
    if table.values.shape[0] == 0 or table.values.shape[1] == 0:
        raise InputError(f"{arg}: the table has no data rows or columns besides its labels and totals")
    return table


def _check_unique(labels, positions, arg, what):
    seen: dict[str, tuple[str, int]] = {}
    for label, pos in zip(labels, positions):
        key = label.casefold()
        if key in seen:
            first, first_pos = seen[key]
            raise InputError(
                f"{arg}: {what} label '{first}' appears twice ({what} {first_pos} '{first}' and {what} {pos} "
                f"'{label}'); labels must be unique"
            )
        seen[key] = (label, pos)


def _split_totals(t: Table) -> None:
    total_rows = [r for r in t.values.index if is_total_label(r)]
    # Under a header merged across columns, a total column's label is "<upper part> / Всего": its own
    # (last) part decides, as for a single-row header.
    total_cols = [c for c in t.values.columns if is_total_label(c) or is_total_label(str(c).rsplit(" / ", 1)[-1])]
    for kind, found in (("row", total_rows), ("column", total_cols)):
        if len(found) > 1:
            raise InputError(f"{t.arg}: more than one total {kind}: " + ", ".join(f"'{x}'" for x in found))
    if total_rows and total_cols:
        t.grand_total = float(t.values.loc[total_rows[0], total_cols[0]])
        if math.isnan(t.grand_total):
            t.grand_total = None
    if total_rows:
        t.col_totals = t.values.loc[total_rows[0]].drop(total_cols, errors="ignore")
        t.notes.append(f"{t.arg}: row '{total_rows[0]}' read as the national total")
    if total_cols:
        t.row_totals = t.values[total_cols[0]].drop(total_rows, errors="ignore")
        t.notes.append(f"{t.arg}: column '{total_cols[0]}' read as the total of each row")
    if total_rows or total_cols:  # drop() costs about a millisecond even when there is nothing to drop
        t.values = t.values.drop(index=total_rows, columns=total_cols)
        t.missing = t.missing.drop(index=total_rows, columns=total_cols)


@dataclass
class Column:
    """Label -> number pairs (population by region, GRP by region), with an optional total row."""

    values: pd.Series
    missing: pd.Series
    total: float | None = None
    notes: list[str] = field(default_factory=list)
    arg: str = "values"


def read_pairs(rows, *, arg: str) -> Column:
    """Read two columns (label, number), or two rows (labels above numbers); a header line is optional.

    A label recognised as a national total ("Кыргыз Республикасы", "Всего") gives ``total``.
    """
    rows = as_rows(rows, arg=arg)
    if rows and len(rows) == 2 and len(rows[0]) > 2:
        rows = [list(r) for r in zip(*rows)]  # laid out across: labels in the first row
    if not rows or len(rows[0]) != 2:
        width = len(rows[0]) if rows else 0
        raise InputError(f"{arg}: expected two columns (label, number), got {width} column(s)")
    notes: list[str] = []
    first_value = rows[0][1]
    if parse_cell(first_value)[1] is not None and isinstance(first_value, str) and not is_blank(first_value) \
            and first_value.strip().lower() not in MISSING_MARKERS and first_value.strip().upper() not in ERROR_VALUES:
        notes.append(f"{arg}: first row '{label_text(rows[0][0])}' / '{label_text(first_value)}' read as a header")
        rows = rows[1:]
        start = 2
        # more header lines under it (a unit "тыс. чел." under a merged label cell): blank label, text
        while rows and is_blank(rows[0][0]) and isinstance(rows[0][1], str) and parse_cell(rows[0][1])[1] \
                and rows[0][1].strip().lower() not in MISSING_MARKERS and rows[0][1].strip().upper() not in ERROR_VALUES:
            notes.append(f"{arg}: row {start} '{label_text(rows[0][1])}' read as part of the header")
            rows, start = rows[1:], start + 1
    else:
        start = 1
    labels, vals, why, total = [], [], [], None
    for k, (label_cell, cell) in enumerate(rows, start=start):
        label = label_text(label_cell)
        if label is None:
            if is_blank(cell):
                continue
            raise InputError(f"{arg}: row {k} has a value ({label_text(cell)}) but no label")
        v, reason = parse_cell(cell)
        if is_total_label(label):
            if reason is None:
                total = v
                notes.append(f"{arg}: '{label}' read as the national total")
            continue
        labels.append(label)
        vals.append(v)
        why.append(None if reason is None else f"{arg} '{label}': {reason}")
    _check_unique(labels, list(range(1, len(labels) + 1)), arg, "row")
    if not labels:
        raise InputError(f"{arg}: no labelled values found")
    index = pd.Index(labels, dtype=object)
    return Column(pd.Series(vals, index=index, dtype=float), pd.Series(why, index=index, dtype=object),
                  total, notes, arg)


def read_row(rows, *, arg: str) -> list:
    """One row or one column of cells (directions, weights), flattened; trailing blanks dropped."""
    rows = as_rows(rows, arg=arg)
    if not rows:
        return []
    if len(rows) > 1 and len(rows[0]) > 1:
        raise InputError(f"{arg}: expected a single row or column, got {len(rows)} rows x {len(rows[0])} columns")
    flat = [r[0] for r in rows] if len(rows) > 1 else list(rows[0])
    while flat and is_blank(flat[-1]):
        flat.pop()
    return flat


def read_text(cell, *, arg: str, default: str | None = None) -> str | None:
    """An optional text argument (a method name): blank or omitted gives ``default``."""
    if isinstance(cell, (list, tuple, np.ndarray)):
        flat = read_row(cell, arg=arg)
        if len(flat) > 1:
            raise InputError(f"{arg}: expected one cell, got {len(flat)}")
        cell = flat[0] if flat else None
    if is_blank(cell):
        return default
    return " ".join(str(cell).split())
