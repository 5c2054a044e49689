"""A table from a file as economists save it (CSV in any locale, .xlsx), and a CSV their Excel opens.

Reading (`read_rows`): the cells of a table as rows, the way a worksheet function receives them, so
that `xlkg.core.cells` reads them by the same rules.

* CSV as Excel saves it in any locale: Russian-locale Excel writes "CSV (разделители - запятые)" in
  the Windows code page cp1251 with ";" between fields and decimal commas, without a byte order mark;
  "CSV UTF-8" has a BOM; English Excel writes "," and decimal points; "Unicode text" is UTF-16 with
  tabs. The encoding is taken from the BOM, else UTF-8 when the bytes are valid UTF-8, else cp1251;
  the separator is the one of ";", tab and "," that splits the lines into the same number of fields.
* .xlsx / .xlsm: the cached values of the first sheet (or the one named), read with openpyxl.

Writing (`csv_text` / `write_csv`): style "excel-ru" is what Russian-locale Excel opens cleanly by a
double click: UTF-8 with a BOM (Kyrgyz letters ң, ө, ү are not in cp1251), ";" between fields, decimal
commas, CRLF line ends; style "plain" is UTF-8, "," and decimal points. Whole numbers (ranks) are
written without decimals ("2", not "2.0"); other numbers with 15 significant digits, as Excel keeps them.
"""

from __future__ import annotations

import csv
import io
import math
from numbers import Number
from pathlib import Path

from xlkg.core.result import InputError

CSV_STYLES = ("excel-ru", "plain")
_SEPARATORS = (";", "\t", ",")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, *, name: str = "file") -> str:
    """The text of a CSV file saved by Excel in any locale (see the module's rules)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts like {encoding} text but is not ({exc.reason})") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def separator(text: str) -> str:
    """The field separator of CSV `text`: the first of ";", tab, "," that splits its lines (quotes
    respected) into the same number of fields, more than one; "," when none does."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    best = None
    for sep in _SEPARATORS:
        counts = [len(r) for r in csv.reader(lines, delimiter=sep)]
        if not counts or max(counts) < 2:
            continue
        same = sum(c == counts[0] for c in counts) / len(counts)
        if same == 1.0:
            return sep
        if best is None or same > best[0]:
            best = (same, sep)
    return best[1] if best and best[0] >= 0.8 else ","


def read_rows(path, *, sheet: str | None = None) -> list[list]:
    """The cells of the table in `path` (CSV or .xlsx/.xlsm) as rows; None for a blank cell."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p, sheet)
    elif suffix in (".xls", ".xlsb", ".ods"):
        raise InputError(f"{p.name}: {suffix} files are not read; save the table as .xlsx or as CSV")
    else:
        if sheet is not None:
            raise InputError(f"{p.name}: --sheet is for .xlsx files; a CSV file has one table")
        text = decode(p.read_bytes(), name=p.name)
        if text.startswith("\ufeff"):
            text = text[1:]
        sep = separator(text)
        rows = [[None if c.strip() == "" else c for c in row] for row in csv.reader(io.StringIO(text), delimiter=sep)]
    rows = [r for r in rows if any(c is not None for c in r)]
    if not rows:
        raise InputError(f"{p.name}: the file holds no table")
    width = max(len(r) for r in rows)
    return [list(r) + [None] * (width - len(r)) for r in rows]


def _xlsx_rows(p: Path, sheet: str | None) -> list[list]:
    import zipfile

    from .read import load_workbook

    try:
        with load_workbook(p, data_only=True, read_only=True) as wb:
            if sheet is None:
                ws = wb.worksheets[0]
            elif sheet in wb.sheetnames:
                ws = wb[sheet]
            else:
                raise InputError(f"{p.name}: no sheet named {sheet!r}; sheets are " + ", ".join(wb.sheetnames))
            return [list(r) for r in ws.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, OSError) as exc:  # read-only mode finds damage while reading
        raise InputError(f"{p.name}: not a workbook Excel saved ({exc})") from exc


def _cell_text(value, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Number):
        v = float(value)
        if math.isnan(v):
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        text = format(v, ".15g").replace("e", "E")
        return text.replace(".", decimal)
    return str(value)


def csv_text(rows, *, style: str = "excel-ru") -> str:
    """`rows` (lists of cells) as CSV text in `style` (see the module's rules); no BOM in the text."""
    if style not in CSV_STYLES:
        raise InputError(f"csv style: {style!r} is not one of {', '.join(CSV_STYLES)}")
    sep, decimal, end = (";", ",", "\r\n") if style == "excel-ru" else (",", ".", "\n")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=end)
    for row in rows:
        w.writerow([_cell_text(c, decimal) for c in row])
    return buf.getvalue()


def frame_rows(frame, *, index_label: str) -> list[list]:
    """A labelled DataFrame as rows: a header row, then the label and the values of each row."""
    rows = [[index_label] + [str(c) for c in frame.columns]]
    for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        rows.append([str(label)] + list(values))
    return rows


def csv_bytes(rows, *, style: str = "excel-ru") -> bytes:
    """The bytes of a CSV file in `style`: with a UTF-8 BOM for "excel-ru"."""
    text = csv_text(rows, style=style)
    return ("\ufeff" + text).encode("utf-8") if style == "excel-ru" else text.encode("utf-8")
