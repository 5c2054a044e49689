"""Write cell values into an existing .xlsx/.xlsm without losing anything else in it.

Why this exists: loading a workbook with openpyxl and saving it again drops charts, images, form
controls and other parts openpyxl does not model. This module edits only the ``<sheetData>`` (and the
``<dimension>`` hint) of the worksheets it writes to, at the level of the XML text, and copies every
other zip member unchanged. Charts, images, the VBA project, data validations, conditional formats,
defined names, styles, form controls and custom XML therefore survive byte for byte.

Public API
----------
``patch_workbook(src, dst, writes, *, full_calc_on_load=False, replace_formulas=False, overwrite=False)``
    ``writes`` is ``{sheet_name: {"B3": value, ...}}``. A value is one of

    * ``int`` / ``float`` (also numpy numbers) -> a number cell. NaN and infinity are refused: write
      ``"#N/A"`` or ``None`` instead, so that nothing shows as a silent blank.
    * ``bool`` -> a boolean cell (``t="b"``).
    * ``str`` -> an inline string (``t="inlineStr"``). The shared-string table is left untouched, so
      only the worksheet parts change; Excel reads inline strings and converts them on its next save.
      A string that is exactly an Excel error (``"#N/A"``, ``"#DIV/0!"``, ... see ``EXCEL_ERRORS``)
      becomes an error cell (``t="e"``); wrap it in ``Text("#N/A")`` to write the literal text.
    * ``datetime.date`` / ``datetime.datetime`` -> the date serial number (1900 or 1904 system as the
      workbook says); the cell keeps its own number format.
    * ``None`` -> the cell's value is cleared (its style stays).
    * ``Cached(value)`` -> the cell must hold a formula (or lie inside an array-formula range): the
      formula is kept, ``value`` becomes its cached result (``t="str"`` for text, ``t="e"`` for errors,
      ``t="b"`` for booleans, no ``t`` for numbers; ``Cached(None)`` removes the cached value).

    The cell's style (``s=``) is always kept; a new cell takes the style of its row (when the row has a
    custom format) or of its column (``<cols>``), as Excel does when one types into an empty cell.
    Rows and cells are created in sorted order when missing. Returns a ``PatchReport``.

    Refusals raise ``XlsxPatchError`` (a subclass of ``xlkg.result.InputError``) and leave ``dst``
    untouched: legacy or encrypted files (.xls, or any OLE compound file), .xlsb, strict OOXML, a sheet
    that is missing (the message lists the sheets) or is a chartsheet/dialogsheet/macrosheet, a cell
    inside a merged range other than its top-left, a plain value written over a formula unless
    ``replace_formulas=True``, an array-formula range only partly overwritten, the master cell of a
    shared formula overwritten without the cells that depend on it, ``dst`` equal to ``src`` without
    ``overwrite=True``, ``dst`` with a different extension than ``src``.

    calcChain: when a formula is removed (``replace_formulas=True``) the calculation chain
    (``xl/calcChain.xml``, its relationship and content type) is dropped, because Excel reports a
    damaged file when the chain names a cell without a formula; Excel rebuilds it silently. Writing
    cached values keeps the chain (the formulas are unchanged).
    ``full_calc_on_load=True`` sets ``<calcPr fullCalcOnLoad="1"/>`` in ``xl/workbook.xml`` so that
    Excel recomputes every formula when the file is opened.

``resolve_name(path, name, *, sheet=None) -> (sheet_name, ref)``
    A defined name that refers to one cell or one rectangular range, e.g. ``("Итоги", "B3")`` or
    ``("Data", "A2:D9")``. Names are matched case-insensitively; ``sheet`` selects a sheet-scoped name.
``resolve_names(path, names, *, sheet=None) -> {name: (sheet_name, ref)}`` reads the workbook once.
``name_writes(path, values) -> writes``
    ``{defined_name: value or 2-D list}`` -> the ``writes`` dict for ``patch_workbook``.
``read_cells(path, sheet, cells) -> {cell: value}``
    Cached values as stored in the file (openpyxl, ``data_only=True``; reading with openpyxl is safe).
``read_raw(path, sheet, cells) -> {cell: RawCell}``
    The cell's XML as stored: type attribute, style, formula text, value text.
``check_package(path) -> [problem, ...]``
    The usual causes of Excel's repair prompt, found without Excel (dangling parts and
    relationships, cells out of order, missing shared strings or styles, overlapping merges, ...).
``inventory(path) -> dict`` and ``assert_preserved(before, after, changed_parts=(), removed_parts=())``
    What must survive a write (sheets, defined names, validation and conditional-format counts,
    charts, drawings, images, VBA hash, and a hash of every zip member), and a check that it did.

Determinism: the output zip keeps the member order, timestamps and compression of the input, so
patching the same file twice with the same writes gives identical bytes.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import hashlib
import math
import numbers
import os
import posixpath
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np

from xlkg.result import InputError

__all__ = [
    "Cached",
    "Text",
    "EXCEL_ERRORS",
    "XlsxPatchError",
    "PatchReport",
    "RawCell",
    "patch_workbook",
    "resolve_name",
    "resolve_names",
    "name_writes",
    "read_cells",
    "read_raw",
    "inventory",
    "assert_preserved",
    "sheet_parts",
    "same_file",
    "check_package",
    "cells_in",
    "split_ref",
    "col_letter",
]


class XlsxPatchError(InputError):
    """The workbook cannot be written without damaging it; the message says what and where."""


EXCEL_ERRORS = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
)


@dataclass(frozen=True)
class Cached:
    """Keep the cell's formula and store `value` as its cached (last computed) result."""

    value: object


@dataclass(frozen=True)
class Text:
    """Write `value` as literal text even when it looks like an Excel error such as "#N/A"."""

    value: str


@dataclass
class PatchReport:
    dst: Path
    changed_parts: list[str] = field(default_factory=list)
    removed_parts: list[str] = field(default_factory=list)
    cells_written: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class RawCell:
    ref: str
    t: str | None
    s: str | None
    formula: str | None
    formula_attrs: dict
    value: str | None
    exists: bool = True


# --------------------------------------------------------------------------------------------------
# namespaces, content types, relationship types

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_OFFICE_DOC = NS_R + "/officeDocument"
REL_STRICT_OFFICE_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
REL_WORKSHEET = NS_R + "/worksheet"
REL_CALCCHAIN = NS_R + "/calcChain"
REL_KINDS = {
    NS_R + "/chartsheet": "a chartsheet",
    NS_R + "/dialogsheet": "a dialog sheet",
    "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet": "an Excel 4 macro sheet",
    "http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet": "an Excel 4 macro sheet",
}
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# --------------------------------------------------------------------------------------------------
# small helpers: cell references

_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letter(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def split_ref(ref: str, *, where: str = "cell") -> tuple[int, int]:
    """'B3' / '$B$3' -> (row 3, column 2); InputError naming `where` when it is not a cell address."""
    m = _REF_RE.match(str(ref).strip())
    if not m:
        raise XlsxPatchError(f"{where}: {ref!r} is not a cell address such as 'B3'")
    row, col = int(m.group(2)), col_number(m.group(1))
    if not (1 <= row <= 1048576 and 1 <= col <= 16384):
        raise XlsxPatchError(f"{where}: {ref!r} lies outside the sheet (A1:XFD1048576)")
    return row, col


def _range_bounds(ref: str, *, where: str = "range") -> tuple[int, int, int, int]:
    parts = str(ref).split(":")
    if len(parts) == 1:
        r, c = split_ref(parts[0], where=where)
        return r, c, r, c
    if len(parts) != 2:
        raise XlsxPatchError(f"{where}: {ref!r} is not a range such as 'A1:C5'")
    r1, c1 = split_ref(parts[0], where=where)
    r2, c2 = split_ref(parts[1], where=where)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _range_text(b: tuple[int, int, int, int]) -> str:
    """(r1, c1, r2, c2) -> "A1:C5", the inverse of `_range_bounds`."""
    return f"{col_letter(b[1])}{b[0]}:{col_letter(b[3])}{b[2]}"


def cells_in(ref: str) -> list[list[str]]:
    """'A1:B2' -> [['A1', 'B1'], ['A2', 'B2']] (rows of cell addresses)."""
    r1, c1, r2, c2 = _range_bounds(ref)
    return [[f"{col_letter(c)}{r}" for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]


def _norm_ref(ref: str, where: str) -> str:
    r, c = split_ref(ref, where=where)
    return f"{col_letter(c)}{r}"


# --------------------------------------------------------------------------------------------------
# XML text scanning (positions are kept so that untouched text is never rewritten)

_TAG_RE = re.compile(
    r"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!DOCTYPE[^>]*>|"
    r"(?P<close>/)?(?P<name>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<empty>/)?>)",
    re.S,
)
_ATTR_RE = re.compile(r"([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")


def _attrs(text: str) -> list[tuple[str, str]]:
    """Attributes of a start tag in document order as (name, quoted raw value)."""
    return _ATTR_RE.findall(text or "")


def _attr(attrs: list[tuple[str, str]], name: str) -> str | None:
    for k, v in attrs:
        if k == name:
            return _unescape(v[1:-1])
    return None


def _unescape(s: str) -> str:
    if "&" not in s:
        return s
    s = re.sub(r"&#x([0-9A-Fa-f]+);", lambda m: chr(int(m.group(1), 16)), s)
    s = re.sub(r"&#([0-9]+);", lambda m: chr(int(m.group(1))), s)
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_attr(s: str) -> str:
    return _esc_text(s).replace('"', "&quot;")


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _decode(data: bytes) -> tuple[str, str, bytes]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8", b"\xef\xbb\xbf"
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16", b""
    return data.decode("utf-8"), "utf-8", b""


def _encode(text: str, enc: str, bom: bytes) -> bytes:
    return bom + text.encode(enc)


@dataclass
class _Cell:
    row: int
    col: int
    start: int
    end: int
    tag: str  # qualified element name, e.g. "c" or "x:c"
    attrs: list
    f_text: str | None = None  # the whole <f ...>...</f> element as stored
    f_attrs: list | None = None
    f_inner: str | None = None
    v_inner: str | None = None
    other_children: list = field(default_factory=list)  # raw text of children other than f/v/is

    @property
    def ref(self) -> str:
        return f"{col_letter(self.col)}{self.row}"


@dataclass
class _Row:
    r: int
    start: int
    end: int
    start_tag_end: int  # index just after the start tag
    tag: str
    attrs: list
    empty: bool
    end_tag_start: int
    cells: list | None  # parsed on demand (_row_cells)


@dataclass
class _Sheet:
    text: str
    prefix: str  # "" or "x:"
    sd_start: int
    sd_end: int
    sd_empty: bool
    sd_inner_start: int
    sd_inner_end: int
    rows: list
    dim_span: tuple[int, int] | None  # position of the dimension ref value (without quotes)
    dim_ref: str | None
    merges: list
    col_styles: list  # (min, max, style)
    row_starts: list | None = None


def _parse_sheet(text: str, part: str) -> _Sheet:
    m_root = None
    for m in _TAG_RE.finditer(text):
        if m.group("name"):
            m_root = m
            break
    if m_root is None:
        raise XlsxPatchError(f"{part}: not an XML worksheet")
    root_attrs = _attrs(m_root.group("attrs"))
    prefix = ""
    rp = m_root.group("name").split(":")[0] + ":" if ":" in m_root.group("name") else ""
    ns = _attr(root_attrs, "xmlns" + (":" + rp[:-1] if rp else ""))
    if ns == NS_STRICT:
        raise XlsxPatchError(f"{part}: strict OOXML workbooks are not supported; save as 'Excel Workbook (.xlsx)'")
    if ns != NS_MAIN or _local(m_root.group("name")) != "worksheet":
        raise XlsxPatchError(f"{part}: not a SpreadsheetML worksheet (root {m_root.group('name')!r})")
    prefix = rp
    sd = re.compile(r"<" + re.escape(prefix) + r"sheetData(?P<a>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<e>/)?>")
    msd = sd.search(text)
    if msd is None:
        raise XlsxPatchError(f"{part}: the worksheet has no <sheetData> element")
    sd_empty = bool(msd.group("e"))
    inner_start = msd.end()
    if sd_empty:
        inner_end = inner_start
        sd_end = msd.end()
    else:
        close = "</" + prefix + "sheetData>"
        inner_end = text.find(close, inner_start)
        if inner_end < 0:
            raise XlsxPatchError(f"{part}: <sheetData> is not closed")
        sd_end = inner_end + len(close)

    rows: list[_Row] = []
    row_re = re.compile(r"<" + re.escape(prefix) + r"row(?=[\s/>])(?P<a>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<e>/)?>")
    close_row = "</" + prefix + "row>"
    last_row = 0
    pos = inner_start
    while True:
        m = row_re.search(text, pos, inner_end)
        if m is None:
            break
        attrs = _attrs(m.group("a"))
        r = _attr(attrs, "r")
        rnum = int(r) if r else last_row + 1
        if rnum <= last_row:
            raise XlsxPatchError(f"{part}: rows are not in ascending order at row {rnum}")
        last_row = rnum
        if m.group("e"):
            rows.append(_Row(rnum, m.start(), m.end(), m.end(), prefix + "row", attrs, True, m.start(), []))
            pos = m.end()
            continue
        ce = text.find(close_row, m.end(), inner_end)
        if ce < 0:
            raise XlsxPatchError(f"{part}: row {rnum} is not closed")
        rows.append(_Row(rnum, m.start(), ce + len(close_row), m.end(), prefix + "row", attrs, False, ce, None))
        pos = ce + len(close_row)

    dim_span = dim_ref = None
    md = re.compile(r"<" + re.escape(prefix) + r"dimension\s+[^>]*?ref\s*=\s*([\"'])([^\"']*)\1").search(text, 0, msd.start())
    if md:
        dim_span = (md.start(2), md.end(2))
        dim_ref = md.group(2)
    merges = [
        _range_bounds(mm.group(2), where=f"{part} merged range")
        for mm in re.finditer(r"<" + re.escape(prefix) + r"mergeCell\s+[^>]*?ref\s*=\s*([\"'])([^\"']*)\1", text[sd_end:])
    ]
    col_styles = []
    for mc in re.finditer(r"<" + re.escape(prefix) + r"col\s([^>]*)>", text[: msd.start()]):
        a = _attrs(mc.group(1))
        st = _attr(a, "style")
        if st and st != "0":
            try:
                col_styles.append((int(_attr(a, "min")), int(_attr(a, "max")), st))
            except (TypeError, ValueError):
                pass
    return _Sheet(text, prefix, msd.start(), sd_end, sd_empty, inner_start, inner_end, rows, dim_span, dim_ref, merges, col_styles)


def _row_cells(text: str, row: _Row, part: str) -> list:
    """Parse (once) the cells of one row, keeping each element's position in the text."""
    if row.cells is not None:
        return row.cells
    cells: list[_Cell] = []
    stack: list[tuple[str, int, list, int]] = []  # (name, start, attrs, start_tag_end)
    cur_cell: _Cell | None = None
    last_col = 0
    for m in _TAG_RE.finditer(text, row.start_tag_end, row.end_tag_start):
        name = m.group("name")
        if not name:
            continue
        loc = _local(name)
        depth = len(stack)
        if m.group("close"):
            if not stack or stack[-1][0] != name:
                raise XlsxPatchError(f"{part}: malformed XML in row {row.r}")
            sname, sstart, sattrs, send = stack.pop()
            depth = len(stack)
            if depth == 0 and cur_cell is not None:
                cur_cell.end = m.end()
                cur_cell = None
            elif depth == 1 and cur_cell is not None:
                _cell_child(cur_cell, loc, sattrs, text[send:m.start()], text[sstart:m.end()])
            continue
        attrs = _attrs(m.group("attrs"))
        empty = bool(m.group("empty"))
        if depth == 0:
            if loc != "c":
                # e.g. extLst inside a row: kept as is, never touched
                if not empty:
                    stack.append((name, m.start(), attrs, m.end()))
                continue
            rref = _attr(attrs, "r")
            if rref:
                rr, cc = split_ref(rref, where=f"{part} cell")
                if rr != row.r:
                    raise XlsxPatchError(f"{part}: cell {rref} lies in row {row.r}")
            else:
                cc = last_col + 1
            if cc <= last_col:
                raise XlsxPatchError(f"{part}: cells of row {row.r} are not in column order")
            last_col = cc
            cell = _Cell(row.r, cc, m.start(), m.end(), name, attrs)
            cells.append(cell)
            if not empty:
                stack.append((name, m.start(), attrs, m.end()))
                cur_cell = cell
        else:
            if empty:
                if depth == 1 and cur_cell is not None:
                    _cell_child(cur_cell, loc, attrs, "", text[m.start():m.end()])
            else:
                stack.append((name, m.start(), attrs, m.end()))
    if stack:
        raise XlsxPatchError(f"{part}: row {row.r} is not well formed")
    row.cells = cells
    return cells


def _row_at(sh: _Sheet, pos: int) -> _Row | None:
    import bisect

    if sh.row_starts is None:
        sh.row_starts = [r.start for r in sh.rows]
    i = bisect.bisect_right(sh.row_starts, pos) - 1
    if i >= 0 and sh.rows[i].start <= pos < sh.rows[i].end:
        return sh.rows[i]
    return None


def _cell_at(sh: _Sheet, pos: int, part: str) -> _Cell | None:
    row = _row_at(sh, pos)
    if row is None:
        return None
    for c in _row_cells(sh.text, row, part):
        if c.start <= pos < c.end:
            return c
    return None


def _cell_child(cell: _Cell, loc: str, attrs: list, inner: str, whole: str) -> None:
    if loc == "f":
        cell.f_text, cell.f_attrs, cell.f_inner = whole, attrs, inner
    elif loc == "v":
        cell.v_inner = inner
    elif loc == "is":
        cell.v_inner = inner
    else:
        cell.other_children.append(whole)


# --------------------------------------------------------------------------------------------------
# package structure


@dataclass
class _Package:
    path: Path
    names: list[str]
    ct_xml: str
    wb_part: str
    wb_xml: str
    wb_rels_part: str
    sheets: list[tuple[str, str | None, str, str]]  # (name, part, rel type, state)
    date1904: bool
    macro: bool


def _read_zip(path: Path) -> zipfile.ZipFile:
    p = Path(path)
    if not p.is_file():
        raise XlsxPatchError(f"workbook {str(p)!r} does not exist")
    with open(p, "rb") as fh:
        head = fh.read(8)
    if head == CFB_MAGIC:
        raise XlsxPatchError(
            f"{p.name}: this is a legacy .xls or a password-protected (encrypted) workbook; "
            "open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'Excel Macro-Enabled Workbook (.xlsm)' without a password"
        )
    if p.suffix.lower() == ".xlsb":
        raise XlsxPatchError(f"{p.name}: binary workbooks (.xlsb) are not supported; save it as .xlsx or .xlsm")
    if not zipfile.is_zipfile(p):
        raise XlsxPatchError(f"{p.name}: not an Excel .xlsx/.xlsm file (not a zip package)")
    zf = zipfile.ZipFile(p)
    names = zf.namelist()
    if len(set(names)) != len(names):
        zf.close()
        raise XlsxPatchError(f"{p.name}: the package holds duplicate parts; open and re-save it in Excel")
    for info in zf.infolist():
        if info.flag_bits & 0x1:
            zf.close()
            raise XlsxPatchError(f"{p.name}: the zip package is encrypted")
    return zf


def _rels_part(part: str) -> str:
    d, b = posixpath.split(part)
    return posixpath.join(d, "_rels", b + ".rels")


def _resolve_target(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str, str]]:
    rp = _rels_part(part)
    try:
        root = ET.fromstring(zf.read(rp))
    except KeyError:
        return []
    out = []
    for el in root:
        if _local(el.tag.split("}")[-1]) != "Relationship":
            continue
        tgt = el.get("Target", "")
        mode = el.get("TargetMode", "Internal")
        out.append((el.get("Id"), el.get("Type"), tgt if mode == "External" else _resolve_target(part, tgt), mode))
    return out


def _open_package(zf: zipfile.ZipFile, path: Path) -> _Package:
    names = zf.namelist()
    if "[Content_Types].xml" not in names:
        raise XlsxPatchError(f"{path.name}: not an Office Open XML package (no [Content_Types].xml)")
    ct_xml = zf.read("[Content_Types].xml").decode("utf-8-sig")
    wb_part = None
    for _id, typ, tgt, _mode in _rels(zf, ""):  # _rels/.rels
        if typ == REL_STRICT_OFFICE_DOC:
            raise XlsxPatchError(f"{path.name}: strict OOXML workbooks are not supported; save as 'Excel Workbook (.xlsx)'")
        if typ == REL_OFFICE_DOC:
            wb_part = tgt
    if wb_part is None or wb_part not in names:
        raise XlsxPatchError(f"{path.name}: the package names no workbook part")
    ct_wb = _content_type(ct_xml, wb_part)
    if ct_wb and "binary" in ct_wb:
        raise XlsxPatchError(f"{path.name}: binary workbooks (.xlsb) are not supported; save it as .xlsx or .xlsm")
    wb_xml = zf.read(wb_part).decode("utf-8-sig")
    root = ET.fromstring(wb_xml)
    if root.tag == "{%s}workbook" % NS_STRICT:
        raise XlsxPatchError(f"{path.name}: strict OOXML workbooks are not supported; save as 'Excel Workbook (.xlsx)'")
    if root.tag != "{%s}workbook" % NS_MAIN:
        raise XlsxPatchError(f"{path.name}: the workbook part is not SpreadsheetML ({root.tag})")
    rels = {rid: (typ, tgt) for rid, typ, tgt, _m in _rels(zf, wb_part)}
    sheets = []
    for sh in root.iter("{%s}sheet" % NS_MAIN):
        rid = sh.get("{%s}id" % NS_R)
        typ, tgt = rels.get(rid, (None, None))
        sheets.append((sh.get("name"), tgt, typ, sh.get("state", "visible")))
    wbpr = root.find("{%s}workbookPr" % NS_MAIN)
    date1904 = wbpr is not None and wbpr.get("date1904", "0") in ("1", "true")
    macro = "macroEnabled" in (ct_wb or "")
    return _Package(path, names, ct_xml, wb_part, wb_xml, _rels_part(wb_part), sheets, date1904, macro)


def _content_type(ct_xml: str, part: str) -> str | None:
    root = ET.fromstring(ct_xml)
    for el in root:
        if el.tag.endswith("Override") and el.get("PartName", "").lstrip("/") == part:
            return el.get("ContentType")
    ext = part.rsplit(".", 1)[-1].lower()
    for el in root:
        if el.tag.endswith("Default") and el.get("Extension", "").lower() == ext:
            return el.get("ContentType")
    return None


def _sheet_part(pkg: _Package, sheet: str) -> str:
    names = [s[0] for s in pkg.sheets]
    for name, part, typ, _state in pkg.sheets:
        if name == sheet:
            if typ != REL_WORKSHEET:
                kind = REL_KINDS.get(typ, f"not a worksheet ({typ})")
                raise XlsxPatchError(f"sheet {sheet!r} is {kind}; cells can only be written to worksheets")
            if part not in pkg.names:
                raise XlsxPatchError(f"sheet {sheet!r}: its part {part!r} is missing from the package")
            return part
    folded = [n for n in names if n.casefold() == str(sheet).casefold()]
    hint = f" (did you mean {folded[0]!r}?)" if folded else ""
    raise XlsxPatchError(f"sheet {sheet!r} not found{hint}; the workbook has: " + ", ".join(repr(n) for n in names))


def sheet_parts(path) -> dict[str, str]:
    """{sheet name: zip part} for every sheet (worksheets and others), in workbook order."""
    with _read_zip(Path(path)) as zf:
        pkg = _open_package(zf, Path(path))
    return {name: part for name, part, _t, _s in pkg.sheets}


# --------------------------------------------------------------------------------------------------
# values -> XML


def _num_text(x: float, where: str) -> str:
    if isinstance(x, np.floating) and x.dtype.itemsize < 8:
        x = float(str(x))  # a float32 0.1 is written as 0.1, not as its binary expansion
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise XlsxPatchError(f"{where}: {x} cannot be stored in a cell; write None (blank) or '#N/A'")
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)|\r")


def _str_text(s: str, where: str) -> str:
    if len(s) > 32767:
        raise XlsxPatchError(f"{where}: text of {len(s)} characters exceeds Excel's 32,767 per cell")
    # OOXML escapes characters XML cannot carry as _xHHHH_ (and a literal "_x0041_" as "_x005F_x0041_")
    s = _CTRL_RE.sub(lambda m: "_x005F_" if m.group(0) == "_" else "_x%04X_" % ord(m.group(0)), s)
    return _esc_text(s)


def _classify(value, where: str, date1904: bool) -> tuple[str | None, str | None, bool]:
    """-> (t attribute or None, value xml or None, is_inline_string)."""
    if value is None:
        return None, None, False
    if isinstance(value, Text):
        return "inlineStr", _str_text(str(value.value), where), True
    if isinstance(value, (bool, np.bool_)):
        return "b", "1" if bool(value) else "0", False
    if isinstance(value, str):
        if value in EXCEL_ERRORS:
            return "e", value, False
        return "inlineStr", _str_text(value, where), True
    if isinstance(value, _dt.datetime) or isinstance(value, _dt.date):
        return None, _num_text(_date_serial(value, date1904), where), False
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        return None, _num_text(value, where), False
    raise XlsxPatchError(f"{where}: cannot write a value of type {type(value).__name__} ({value!r})")


def _date_serial(value, date1904: bool) -> float:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        base = _dt.datetime(1904, 1, 1) if date1904 else _dt.datetime(1899, 12, 30)
        serial = (value - base).total_seconds() / 86400.0
    else:
        base = _dt.date(1904, 1, 1) if date1904 else _dt.date(1899, 12, 30)
        serial = float((value - base).days)
    if not date1904 and serial < 61:
        # Excel's 1900 system counts a non-existent 29 Feb 1900; dates before March 1900 are off by one
        serial -= 1
    return serial


def _cached_xml(value, where: str) -> tuple[str | None, str | None]:
    """Cached result of a formula -> (t, <v> text)."""
    if value is None:
        return None, None
    if isinstance(value, Text):
        return "str", _str_text(str(value.value), where)
    if isinstance(value, (bool, np.bool_)):
        return "b", "1" if bool(value) else "0"
    if isinstance(value, str):
        if value in EXCEL_ERRORS:
            return "e", value
        return "str", _str_text(value, where)
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        return None, _num_text(value, where)
    raise XlsxPatchError(f"{where}: cannot store a cached value of type {type(value).__name__} ({value!r})")


def _start_tag(tag: str, attrs: list[tuple[str, str]], empty: bool = False) -> str:
    a = "".join(f" {k}={v}" for k, v in attrs)
    return f"<{tag}{a}{'/' if empty else ''}>"


def _set_attr(attrs: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    out, done = [], False
    for k, v in attrs:
        if k == name:
            if value is not None and not done:
                out.append((k, f'"{_esc_attr(value)}"'))
                done = True
        else:
            out.append((k, v))
    if value is not None and not done:
        out.append((name, f'"{_esc_attr(value)}"'))
    return out


# --------------------------------------------------------------------------------------------------
# the sheet patcher


def _sheet_objects(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, tuple, int, list]]:
    """Tables and pivot tables on a worksheet: (kind, name, bounds, header rows, column names)."""
    out = []
    for _id, typ, tgt, mode in _rels(zf, part):
        if mode == "External" or typ not in (NS_R + "/table", NS_R + "/pivotTable"):
            continue
        try:
            root = ET.fromstring(zf.read(tgt))
        except (KeyError, ET.ParseError):
            continue
        if typ == NS_R + "/table":
            ref = root.get("ref")
            if not ref:
                continue
            cols = [c.get("name") for c in root.iter("{%s}tableColumn" % NS_MAIN)]
            out.append(("table", root.get("displayName") or root.get("name") or tgt, _range_bounds(ref, where=tgt),
                        int(root.get("headerRowCount", "1")), cols))
        else:
            loc = root.find("{%s}location" % NS_MAIN)
            if loc is not None and loc.get("ref"):
                out.append(("pivot", root.get("name") or tgt, _range_bounds(loc.get("ref"), where=tgt), 0, []))
    return out


def _check_objects(sheet_name: str, objects, writes: dict) -> None:
    for ref, value in writes.items():
        r, c = split_ref(ref, where=f"sheet {sheet_name!r}")
        for kind, name, (r1, c1, r2, c2), header, cols in objects:
            if not (r1 <= r <= r2 and c1 <= c <= c2):
                continue
            rng = _range_text((r1, c1, r2, c2))
            where = f"sheet {sheet_name!r}, cell {col_letter(c)}{r}"
            if kind == "pivot":
                raise XlsxPatchError(f"{where}: lies inside the pivot table {name!r} ({rng}); refresh the pivot table instead")
            if header and r < r1 + header:
                current = cols[c - c1] if c - c1 < len(cols) else None
                if not (isinstance(value, str) and value == current):
                    raise XlsxPatchError(
                        f"{where}: is a header of the table {name!r} ({rng}); its text must stay {current!r} "
                        "(the table's column names are stored separately)"
                    )


def _patch_sheet(sheet_name: str, part: str, data: bytes, writes: dict, *, replace_formulas: bool, date1904: bool):
    text, enc, bom = _decode(data)
    sh = _parse_sheet(text, part)
    p = sh.prefix

    # normalise targets
    targets: dict[tuple[int, int], object] = {}
    for ref, value in writes.items():
        where = f"sheet {sheet_name!r}, cell {ref}"
        rc = split_ref(ref, where=f"sheet {sheet_name!r}")
        if rc in targets:
            raise XlsxPatchError(f"{where}: written twice (as {ref!r} and another spelling)")
        targets[rc] = value

    rows_by_r = {row.r: row for row in sh.rows}
    existing: dict[tuple[int, int], _Cell] = {}
    for r in {r for r, _c in targets}:
        if r in rows_by_r:
            for c in _row_cells(text, rows_by_r[r], part):
                existing[(c.row, c.col)] = c

    # merged ranges
    for (r, c) in targets:
        for (r1, c1, r2, c2) in sh.merges:
            if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1):
                rng = _range_text((r1, c1, r2, c2))
                raise XlsxPatchError(
                    f"sheet {sheet_name!r}, cell {col_letter(c)}{r}: lies inside the merged range {rng}; "
                    f"write to its top-left cell {col_letter(c1)}{r1} instead"
                )

    # array formulas (and data tables) anywhere in the sheet: found by their <f t="array" ref=...>
    arrays = []  # (bounds, master cell, kind)
    f_re = re.compile(r"<" + re.escape(p) + r"f\s[^>]*?\bt\s*=\s*[\"'](array|dataTable)[\"']")
    for m in f_re.finditer(text, sh.sd_inner_start, sh.sd_inner_end):
        c = _cell_at(sh, m.start(), part)
        if c is None or c.f_attrs is None:
            continue
        ref = _attr(c.f_attrs, "ref") or c.ref
        arrays.append((_range_bounds(ref, where=f"{part} array formula"), c, m.group(1)))

    def shared_group(si: str) -> list[tuple[int, int]]:
        """Cells sharing the formula `si` (read only when a shared formula's master is overwritten)."""
        out = []
        si_re = re.compile(r"<" + re.escape(p) + r"f\s[^>]*?\bsi\s*=\s*[\"']" + re.escape(si) + r"[\"']")
        for m in si_re.finditer(text, sh.sd_inner_start, sh.sd_inner_end):
            c = _cell_at(sh, m.start(), part)
            if c is not None and c.f_attrs is not None and _attr(c.f_attrs, "t") == "shared":
                out.append((c.row, c.col))
        return out

    def in_array(rc):
        for b, master, ft in arrays:
            if b[0] <= rc[0] <= b[2] and b[1] <= rc[1] <= b[3]:
                return b, master, ft
        return None

    removed_formula = False
    drop_array_masters: set[tuple[int, int]] = set()
    for rc, value in targets.items():
        where = f"sheet {sheet_name!r}, cell {col_letter(rc[1])}{rc[0]}"
        arr = in_array(rc)
        cell = existing.get(rc)
        if isinstance(value, Cached):
            if (cell is None or cell.f_attrs is None) and arr is None:
                raise XlsxPatchError(f"{where}: holds no formula, so it has no cached value to set; write a plain value instead")
            continue
        if arr is not None:
            b, master, ft = arr
            rng = _range_text(b)
            kind = "an array formula" if ft == "array" else "a data table"
            if not replace_formulas:
                raise XlsxPatchError(
                    f"{where}: belongs to {kind} over {rng} (entered in {master.ref}); "
                    "pass Cached(value) to set its result, or replace_formulas=True to overwrite the whole range"
                )
            covered = all((r, c) in targets and not isinstance(targets[(r, c)], Cached)
                          for r in range(b[0], b[2] + 1) for c in range(b[1], b[3] + 1))
            if not covered:
                raise XlsxPatchError(
                    f"{where}: overwrites only part of {kind} over {rng}; Excel cannot change part of an array — "
                    "write every cell of the range or none"
                )
            drop_array_masters.add((master.row, master.col))
            removed_formula = True
        elif cell is not None and cell.f_attrs is not None:
            if not replace_formulas:
                raise XlsxPatchError(
                    f"{where}: holds the formula ={_unescape(cell.f_inner or '')}; writing a value would delete it. "
                    "Pass Cached(value) to keep the formula and set its result, or replace_formulas=True to overwrite it"
                )
            si = _attr(cell.f_attrs, "si")
            if _attr(cell.f_attrs, "t") == "shared" and _attr(cell.f_attrs, "ref"):
                others = [m for m in shared_group(si) if m != rc and (m not in targets or isinstance(targets[m], Cached))]
                if others:
                    b = _range_bounds(_attr(cell.f_attrs, "ref"), where=f"{part} shared formula")
                    raise XlsxPatchError(
                        f"{where}: holds the formula that cells of {_range_text(b)} share "
                        f"(e.g. {col_letter(others[0][1])}{others[0][0]}); overwrite those cells too, or write elsewhere"
                    )
            removed_formula = True

    # build edits
    edits: list[tuple[int, int, str]] = []
    new_rows: dict[int, list] = {}
    for (r, c), value in sorted(targets.items()):
        where = f"sheet {sheet_name!r}, cell {col_letter(c)}{r}"
        cell = existing.get((r, c))
        if cell is not None:
            edits.append((cell.start, cell.end, _cell_xml(cell.tag, cell.attrs, cell, value, where, p, date1904,
                                                          drop_array=(r, c) in drop_array_masters)))
        else:
            row = rows_by_r.get(r)
            style = None
            if row is not None and _attr(row.attrs, "customFormat") in ("1", "true"):
                style = _attr(row.attrs, "s")
            if style is None:
                for lo, hi, st in sh.col_styles:
                    if lo <= c <= hi:
                        style = st
                        break
            attrs = [("r", f'"{col_letter(c)}{r}"')]
            if style and style != "0":
                attrs.append(("s", f'"{style}"'))
            xml = _cell_xml(p + "c", attrs, None, value, where, p, date1904)
            if xml:
                new_rows.setdefault(r, []).append((c, xml))

    for r, cells in new_rows.items():
        row = rows_by_r.get(r)
        if row is None:
            continue
        cols = [c for c, _ in cells]
        # widen spans when present and simple
        spans = _attr(row.attrs, "spans")
        attrs = row.attrs
        if spans and re.fullmatch(r"\d+:\d+", spans):
            lo, hi = (int(x) for x in spans.split(":"))
            lo2, hi2 = min([lo] + cols), max([hi] + cols)
            if (lo2, hi2) != (lo, hi):
                attrs = _set_attr(attrs, "spans", f"{lo2}:{hi2}")
        if row.empty:
            body = "".join(x for _, x in cells)
            edits.append((row.start, row.end, _start_tag(row.tag, attrs) + body + f"</{row.tag}>"))
            continue
        if attrs is not row.attrs:
            edits.append((row.start, row.start_tag_end, _start_tag(row.tag, attrs)))
        # insertion points: before the first existing cell with a larger column, else before </row>
        groups: dict[int, list[str]] = {}
        for c, xml in cells:
            pos = row.end_tag_start
            for ec in row.cells:
                if ec.col > c:
                    pos = ec.start
                    break
            groups.setdefault(pos, []).append(xml)
        for pos, xs in groups.items():
            edits.append((pos, pos, "".join(xs)))

    missing_rows = sorted(r for r in new_rows if r not in rows_by_r)
    if missing_rows:
        groups = {}
        for r in missing_rows:
            cols = [c for c, _ in new_rows[r]]
            pos = None
            for row in sh.rows:
                if row.r > r:
                    pos = row.start
                    break
            if pos is None:
                pos = sh.sd_inner_end
            xml = f'<{p}row r="{r}">' + "".join(x for _, x in new_rows[r]) + f"</{p}row>"
            groups.setdefault(pos, []).append(xml)
        if sh.sd_empty:
            tag_text = text[sh.sd_start:sh.sd_end]
            open_tag = tag_text[:-2].rstrip() + ">"
            edits.append((sh.sd_start, sh.sd_end, open_tag + "".join(groups[sh.sd_inner_end]) + f"</{p}sheetData>"))
        else:
            for pos, xs in groups.items():
                edits.append((pos, pos, "".join(xs)))

    # dimension hint
    if sh.dim_span is not None and targets:
        rs = [r for (r, c), v in targets.items() if v is not None]
        cs = [c for (r, c), v in targets.items() if v is not None]
        if rs:
            try:
                b = _range_bounds(sh.dim_ref, where="dimension")
                nb = (min(b[0], min(rs)), min(b[1], min(cs)), max(b[2], max(rs)), max(b[3], max(cs)))
            except XlsxPatchError:
                b = None
                nb = (min(rs), min(cs), max(rs), max(cs))
            if nb != b:
                if sh.dim_ref in ("A1", "") and not sh.rows:
                    nb = (min(rs), min(cs), max(rs), max(cs))
                new = f"{col_letter(nb[1])}{nb[0]}" + ("" if nb[:2] == nb[2:] else f":{col_letter(nb[3])}{nb[2]}")
                edits.append((sh.dim_span[0], sh.dim_span[1], new))

    edits.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for s, e, x in edits:
        if s < pos:
            raise AssertionError("overlapping edits")  # pragma: no cover - internal consistency
        out.append(text[pos:s])
        out.append(x)
        pos = e
    out.append(text[pos:])
    return _encode("".join(out), enc, bom), removed_formula


def _cell_xml(tag: str, attrs: list, cell: _Cell | None, value, where: str, p: str, date1904: bool, drop_array=False) -> str:
    attrs = [a for a in attrs if a[0] not in ("t", "vm")]
    children_after = "".join(cell.other_children) if cell is not None else ""
    if isinstance(value, Cached):
        t, v = _cached_xml(value.value, where)
        if t:
            attrs = _set_attr(attrs, "t", t)
        f = cell.f_text if (cell is not None and cell.f_text) else ""
        body = f + (f"<{p}v>{v}</{p}v>" if v is not None else "") + children_after
    else:
        attrs = [a for a in attrs if a[0] != "cm"]  # cell metadata belongs to a (dynamic-array) formula
        t, v, inline = _classify(value, where, date1904)
        if t:
            attrs = _set_attr(attrs, "t", t)
        if v is None:
            body = children_after
        elif inline:
            sp = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""
            body = f"<{p}is><{p}t{sp}>{v}</{p}t></{p}is>" + children_after
        else:
            body = f"<{p}v>{v}</{p}v>" + children_after
    if not body:
        if [a for a in attrs if a[0] != "r"] or cell is None:
            if cell is None and (value is None or value == Cached(None)):
                return ""  # clearing a cell that does not exist: nothing to write
            return _start_tag(tag, attrs, empty=True)
        return ""  # a bare cleared cell is removed
    return _start_tag(tag, attrs) + body + f"</{tag}>"


# --------------------------------------------------------------------------------------------------
# workbook-level edits


def _set_full_calc(wb_xml: str) -> str:
    m = re.search(r"<((?:\w+:)?)calcPr\b((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>", wb_xml)
    if m:
        attrs = _set_attr(_attrs(m.group(2)), "fullCalcOnLoad", "1")
        return wb_xml[: m.start()] + _start_tag(m.group(1) + "calcPr", attrs, empty=bool(m.group(3))) + wb_xml[m.end():]
    mroot = re.search(r"<((?:\w+:)?)workbook\b", wb_xml)
    p = mroot.group(1) if mroot else ""
    for follower in ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                     "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"):
        mf = re.search(r"<" + re.escape(p) + follower + r"\b", wb_xml)
        if mf:
            return wb_xml[: mf.start()] + f'<{p}calcPr fullCalcOnLoad="1"/>' + wb_xml[mf.start():]
    end = wb_xml.rfind(f"</{p}workbook>")
    return wb_xml[:end] + f'<{p}calcPr fullCalcOnLoad="1"/>' + wb_xml[end:]


def _drop_calc_chain(zf, pkg: _Package, new_data: dict, removed: list) -> None:
    rels_xml = zf.read(pkg.wb_rels_part).decode("utf-8-sig") if pkg.wb_rels_part in pkg.names else ""
    chain = None
    for _id, typ, tgt, _m in _rels(zf, pkg.wb_part):
        if typ == REL_CALCCHAIN:
            chain = tgt
    if chain is None:
        return
    pat = re.compile(r"<Relationship\b[^>]*?Type\s*=\s*\"" + re.escape(REL_CALCCHAIN) + r"\"[^>]*?/>\s*")
    new_rels = pat.sub("", rels_xml)
    new_data[pkg.wb_rels_part] = _reencode(zf.read(pkg.wb_rels_part), new_rels)
    ct = pkg.ct_xml
    ct2 = re.sub(r"<Override\b[^>]*?PartName\s*=\s*\"/" + re.escape(chain) + r"\"[^>]*?/>", "", ct)
    new_data["[Content_Types].xml"] = _reencode(zf.read("[Content_Types].xml"), ct2)
    if chain in pkg.names:
        removed.append(chain)


def _reencode(original: bytes, text: str) -> bytes:
    return (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")


def same_file(a: Path, b: Path) -> bool:
    """`a` and `b` name the same file (the same path, or a link to it)."""
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def patch_workbook(src, dst, writes: dict, *, full_calc_on_load: bool = False, replace_formulas: bool = False,
                   overwrite: bool = False) -> PatchReport:
    """Copy `src` to `dst` with the given cell values written; see the module docstring."""
    src, dst = Path(src), Path(dst)
    if same_file(src, dst) and not overwrite:
        raise XlsxPatchError(f"output {dst.name} is the input workbook itself; choose another file or pass overwrite=True")
    if src.suffix.lower() != dst.suffix.lower():
        raise XlsxPatchError(
            f"output {dst.name} must keep the input's extension {src.suffix!r}: the file type is stored inside the workbook"
        )
    if not isinstance(writes, dict):
        raise XlsxPatchError("writes must be a dict {sheet name: {cell: value}}")
    report = PatchReport(dst)
    with _read_zip(src) as zf:
        pkg = _open_package(zf, src)
        new_data: dict[str, bytes] = {}
        removed: list[str] = []
        any_removed_formula = False
        for sheet, cells in writes.items():
            part = _sheet_part(pkg, sheet)
            if not isinstance(cells, dict):
                raise XlsxPatchError(f"sheet {sheet!r}: expected a dict {{cell: value}}, got {type(cells).__name__}")
            if not cells:
                continue
            _check_objects(sheet, _sheet_objects(zf, part), cells)
            original = zf.read(part)
            data, removed_formula = _patch_sheet(sheet, part, original, cells,
                                                 replace_formulas=replace_formulas, date1904=pkg.date1904)
            any_removed_formula |= removed_formula
            report.cells_written += len(cells)
            if data != original:
                new_data[part] = data
        if any_removed_formula:
            _drop_calc_chain(zf, pkg, new_data, removed)
            if removed:
                report.notes.append("formulas were replaced: the calculation chain was dropped; Excel rebuilds it")
        if full_calc_on_load:
            wb_text = _set_full_calc(pkg.wb_xml)
            if wb_text != pkg.wb_xml:
                new_data[pkg.wb_part] = _reencode(zf.read(pkg.wb_part), wb_text)

        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".xlkg-", suffix=dst.suffix, dir=str(dst.parent))
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", allowZip64=True) as zout:
                for info in zf.infolist():
                    if info.filename in removed:
                        continue
                    data = new_data.get(info.filename)
                    if data is None:
                        data = zf.read(info.filename)
                    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    zi.compress_type = info.compress_type
                    zi.external_attr = info.external_attr
                    zi.create_system = info.create_system
                    zi.comment = info.comment
                    zout.writestr(zi, data)
            os.replace(tmp, dst)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    report.changed_parts = sorted(new_data)
    report.removed_parts = removed
    return report


# --------------------------------------------------------------------------------------------------
# defined names

_SHEETREF_RE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!\s][^!]*))!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)$")


def _defined_names(path) -> tuple[list, list[str]]:
    with _read_zip(Path(path)) as zf:
        pkg = _open_package(zf, Path(path))
    root = ET.fromstring(pkg.wb_xml)
    out = []
    for dn in root.iter("{%s}definedName" % NS_MAIN):
        lsid = dn.get("localSheetId")
        out.append((dn.get("name"), int(lsid) if lsid is not None else None, (dn.text or "").strip(), dn.get("hidden") == "1"))
    return out, [s[0] for s in pkg.sheets]


def resolve_name(path, name: str, *, sheet: str | None = None) -> tuple[str, str]:
    """Defined name -> (sheet name, "B3") or (sheet name, "A1:D9"). Case-insensitive, like Excel.

    A sheet-scoped name is chosen when `sheet` is given (falling back to the workbook-level name);
    without `sheet`, the workbook-level name, or the only sheet-scoped one of that name.
    """
    return _resolve(path, name, sheet, _defined_names(path))


def resolve_names(path, names, *, sheet: str | None = None) -> dict[str, tuple[str, str]]:
    """`resolve_name` for many names, reading the workbook once: {name: (sheet, ref)}."""
    table = _defined_names(path)
    return {n: _resolve(path, n, sheet, table) for n in names}


def _resolve(path, name, sheet, table) -> tuple[str, str]:
    names, sheets = table
    key = str(name).casefold()
    hits = [n for n in names if (n[0] or "").casefold() == key]
    if not hits:
        close = sorted(n[0] for n in names if not n[0].startswith("_xlnm."))
        raise XlsxPatchError(f"defined name {name!r} not found in {Path(path).name}; names present: " + (", ".join(close) or "none"))
    chosen = None
    if sheet is not None:
        for n in hits:
            if n[1] is not None and n[1] < len(sheets) and sheets[n[1]] == sheet:
                chosen = n
    if chosen is None:
        glob = [n for n in hits if n[1] is None]
        if glob:
            chosen = glob[0]
        elif len(hits) == 1:
            chosen = hits[0]
        else:
            scopes = ", ".join(repr(sheets[n[1]]) for n in hits if n[1] is not None and n[1] < len(sheets))
            raise XlsxPatchError(f"defined name {name!r} exists only per sheet ({scopes}); say which sheet")
    m = _SHEETREF_RE.match(chosen[2])
    if not m:
        raise XlsxPatchError(
            f"defined name {name!r} refers to {chosen[2]!r}, not to one cell or one rectangular range of a sheet"
        )
    sh = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    if sh not in sheets:
        raise XlsxPatchError(f"defined name {name!r} refers to sheet {sh!r}, which the workbook does not have")
    ref = m.group(3).replace("$", "").upper()
    r1, c1, r2, c2 = _range_bounds(ref, where=f"defined name {name!r}")
    if (r1, c1) == (r2, c2):
        return sh, f"{col_letter(c1)}{r1}"
    return sh, _range_text((r1, c1, r2, c2))


def name_writes(path, values: dict, *, sheet: str | None = None) -> dict:
    """{defined name: value or 2-D list of rows} -> {sheet: {cell: value}} for `patch_workbook`.

    A single-cell name takes a scalar; a range name takes a list of rows exactly its shape (a one-row
    or one-column range also takes a flat list of its length).
    """
    writes: dict[str, dict] = {}
    table = _defined_names(path)
    for name, value in values.items():
        sh, ref = _resolve(path, name, sheet, table)
        target = writes.setdefault(sh, {})
        if ":" not in ref:
            target[ref] = value
            continue
        grid = cells_in(ref)
        nrows, ncols = len(grid), len(grid[0])
        rows = value
        if isinstance(rows, (list, tuple)) and rows and not isinstance(rows[0], (list, tuple)):
            if nrows == 1:
                rows = [list(rows)]
            elif ncols == 1:
                rows = [[x] for x in rows]
        if (not isinstance(rows, (list, tuple)) or len(rows) != nrows
                or any(not isinstance(r, (list, tuple)) or len(r) != ncols for r in rows)):
            raise XlsxPatchError(f"defined name {name!r} covers {ref} ({nrows} x {ncols}); the value given has another shape")
        for grow, vrow in zip(grid, rows):
            for cref, v in zip(grow, vrow):
                target[cref] = v
    return writes


# --------------------------------------------------------------------------------------------------
# reading


def read_cells(path, sheet: str, cells) -> dict:
    """{cell: cached value} as stored (numbers, text, booleans, error strings such as "#N/A", None)."""
    import openpyxl  # reading only; saving through openpyxl would drop parts

    refs = [_norm_ref(c, f"sheet {sheet!r}") for c in cells]
    with warnings.catch_warnings():  # openpyxl warns about extensions it ignores when reading
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(path, data_only=True, read_only=False, keep_links=True)
    try:
        if sheet not in wb.sheetnames:
            raise XlsxPatchError(f"sheet {sheet!r} not found; the workbook has: " + ", ".join(repr(n) for n in wb.sheetnames))
        ws = wb[sheet]
        return {orig: ws[ref].value for orig, ref in zip(cells, refs)}
    finally:
        wb.close()


def read_raw(path, sheet: str, cells) -> dict:
    """{cell: RawCell} with the XML as stored: t, s, formula text (unescaped), value text."""
    path = Path(path)
    with _read_zip(path) as zf:
        pkg = _open_package(zf, path)
        part = _sheet_part(pkg, sheet)
        sh = _parse_sheet(_decode(zf.read(part))[0], part)
    by_r = {row.r: row for row in sh.rows}
    index = {}
    for ref in cells:
        r = split_ref(ref, where=f"sheet {sheet!r}")[0]
        if r in by_r:
            index.update({(c.row, c.col): c for c in _row_cells(sh.text, by_r[r], part)})
    out = {}
    for ref in cells:
        rc = split_ref(ref, where=f"sheet {sheet!r}")
        c = index.get(rc)
        if c is None:
            out[ref] = RawCell(ref, None, None, None, {}, None, exists=False)
            continue
        val = c.v_inner
        if val is not None and _attr(c.attrs, "t") == "inlineStr":
            val = "".join(_unescape(t) for t in re.findall(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", val, re.S))
        elif val is not None:
            val = _unescape(val)
        out[ref] = RawCell(
            ref, _attr(c.attrs, "t"), _attr(c.attrs, "s"),
            _unescape(c.f_inner) if c.f_inner is not None else None,
            {k: _unescape(v[1:-1]) for k, v in (c.f_attrs or [])}, val,
        )
    return out


# --------------------------------------------------------------------------------------------------
# inventory: what must survive


def inventory(path) -> dict:
    """Everything a write must keep: sheets, defined names, per-sheet counts, parts and their hashes."""
    path = Path(path)
    with _read_zip(path) as zf:
        pkg = _open_package(zf, path)
        members = {}
        for info in zf.infolist():
            members[info.filename] = hashlib.sha256(zf.read(info.filename)).hexdigest()
        per_sheet = {}
        for name, part, typ, state in pkg.sheets:
            entry = {"part": part, "kind": typ.rsplit("/", 1)[-1] if typ else None, "state": state}
            if part in members and typ == REL_WORKSHEET:
                txt = _decode(zf.read(part))[0]
                entry.update(
                    data_validations=len(re.findall(r"<(?:\w+:)?dataValidation[\s>]", txt)),
                    conditional_formats=len(re.findall(r"<(?:\w+:)?conditionalFormatting[\s>]", txt)),
                    merged=len(re.findall(r"<(?:\w+:)?mergeCell[\s>/]", txt)),
                    formulas=len(re.findall(r"<(?:\w+:)?f[\s>/]", txt)),
                    drawing=bool(re.search(r"<(?:\w+:)?drawing[\s>/]", txt)),
                )
            per_sheet[name] = entry
        root = ET.fromstring(pkg.wb_xml)
        dnames = sorted(
            (dn.get("name"), dn.get("localSheetId"), (dn.text or "").strip())
            for dn in root.iter("{%s}definedName" % NS_MAIN)
        )
        vba = members.get("xl/vbaProject.bin")
        return {
            "sheets": [s[0] for s in pkg.sheets],
            "sheet_info": per_sheet,
            "defined_names": dnames,
            "charts": sorted(n for n in members if re.match(r"xl/charts/chart[^/]*\.xml$", n)),
            "drawings": sorted(n for n in members if re.match(r"xl/drawings/[^/]*\.xml$", n)),
            "images": sorted(n for n in members if n.startswith("xl/media/")),
            "controls": sorted(n for n in members if n.startswith("xl/ctrlProps/") or n.startswith("xl/activeX/")),
            "vba_sha256": vba,
            "macro_enabled": pkg.macro,
            "members": members,
        }


def assert_preserved(before: dict, after: dict, changed_parts=(), removed_parts=()) -> None:
    """Raise AssertionError naming what was lost or changed outside `changed_parts`/`removed_parts`."""
    problems = []
    changed, removed = set(changed_parts), set(removed_parts)
    for key in ("sheets", "defined_names", "charts", "drawings", "images", "controls", "vba_sha256", "macro_enabled"):
        if before[key] != after[key]:
            problems.append(f"{key}: {before[key]!r} -> {after[key]!r}")
    for sheet, info in before["sheet_info"].items():
        a = after["sheet_info"].get(sheet)
        if a is None:
            problems.append(f"sheet {sheet!r} lost")
            continue
        for k in ("data_validations", "conditional_formats", "merged", "drawing", "kind", "state", "part"):
            if info.get(k) != a.get(k):
                problems.append(f"sheet {sheet!r}: {k} {info.get(k)!r} -> {a.get(k)!r}")
    for name, digest in before["members"].items():
        if name in removed:
            if name in after["members"]:
                problems.append(f"{name}: expected to be removed")
            continue
        if name not in after["members"]:
            problems.append(f"{name}: lost")
        elif name not in changed and after["members"][name] != digest:
            problems.append(f"{name}: changed")
    extra = set(after["members"]) - set(before["members"])
    if extra:
        problems.append(f"new parts: {sorted(extra)}")
    if problems:
        raise AssertionError("workbook not preserved:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------------------------------
# structural check: the usual causes of Excel's "We found a problem with some content" repair prompt


def check_package(path) -> list[str]:
    """Problems Excel would repair, found without Excel; an empty list when none.

    Checks: every XML part parses; every content-type override names an existing part and every
    part has a content type; every internal relationship points at an existing part; worksheets
    have rows in ascending order, cells in column order inside their row, no cell twice; shared
    string indices exist; style indices exist in cellXfs; merged ranges do not overlap; array and
    shared formulas carry their ranges; defined names point at existing sheets; the calculation
    chain names only formula cells.
    """
    path = Path(path)
    problems: list[str] = []
    with _read_zip(path) as zf:
        pkg = _open_package(zf, path)
        names = set(pkg.names)
        parsed: dict[str, ET.Element] = {}  # each part is parsed once

        def xml(part: str) -> ET.Element:
            if part not in parsed:
                parsed[part] = ET.fromstring(zf.read(part))
            return parsed[part]

        for n in pkg.names:
            if n.endswith((".xml", ".rels")):  # (legacy VML drawings are not always XML; not checked)
                try:
                    xml(n)
                except ET.ParseError as exc:
                    problems.append(f"{n}: not well-formed XML ({exc})")
        ct = ET.fromstring(pkg.ct_xml)
        defaults = {el.get("Extension", "").lower() for el in ct if el.tag.endswith("Default")}
        overrides = {el.get("PartName", "").lstrip("/") for el in ct if el.tag.endswith("Override")}
        for part in sorted(overrides - names):
            problems.append(f"[Content_Types].xml names {part}, which the package does not hold")
        for n in pkg.names:
            if n.endswith("/") or n == "[Content_Types].xml":
                continue
            if n not in overrides and n.rsplit(".", 1)[-1].lower() not in defaults:
                problems.append(f"{n}: has no content type")
        for n in pkg.names:
            if not n.endswith(".rels"):
                continue
            d = posixpath.dirname(posixpath.dirname(n))
            src_part = posixpath.join(d, posixpath.basename(n)[:-5]) if posixpath.basename(n) != ".rels" else ""
            for _id, typ, tgt, mode in _rels(zf, src_part):
                if mode != "External" and tgt not in names:
                    problems.append(f"{n}: relationship {_id} points at {tgt}, which the package does not hold")

        n_strings = n_xfs = None
        wb_rels = _rels(zf, pkg.wb_part)
        for _id, typ, tgt, _m in wb_rels:
            if typ == NS_R + "/sharedStrings" and tgt in names:
                n_strings = len(xml(tgt).findall("{%s}si" % NS_MAIN))
            elif typ == NS_R + "/styles" and tgt in names:
                xfs = xml(tgt).find("{%s}cellXfs" % NS_MAIN)
                n_xfs = len(xfs) if xfs is not None else 0

        formula_cells: dict[str, set] = {}
        for idx, (sheet, part, typ, _state) in enumerate(pkg.sheets):
            if typ != REL_WORKSHEET or part not in names:
                continue
            try:
                root = xml(part)
            except ET.ParseError:
                continue
            formula_cells[idx] = set()
            sd = root.find("{%s}sheetData" % NS_MAIN)
            last_r = 0
            for row in (sd if sd is not None else []):
                r = int(row.get("r", last_r + 1))
                if r <= last_r:
                    problems.append(f"{sheet}: row {r} comes after row {last_r}")
                last_r = r
                last_c = 0
                for c in row.findall("{%s}c" % NS_MAIN):
                    ref = c.get("r")
                    if ref:
                        try:
                            rr, cc = split_ref(ref)
                        except XlsxPatchError:
                            problems.append(f"{sheet}: bad cell address {ref!r}")
                            continue
                        if rr != r:
                            problems.append(f"{sheet}: cell {ref} inside row {r}")
                    else:
                        cc = last_c + 1
                    if cc <= last_c:
                        problems.append(f"{sheet}: cell {col_letter(cc)}{r} out of column order (or twice)")
                    last_c = cc
                    addr = f"{col_letter(cc)}{r}"
                    t = c.get("t", "n")
                    v = c.find("{%s}v" % NS_MAIN)
                    f = c.find("{%s}f" % NS_MAIN)
                    if f is not None:
                        formula_cells[idx].add(addr)
                        ft = f.get("t")
                        if ft in ("array", "dataTable") and not f.get("ref"):
                            problems.append(f"{sheet}!{addr}: {ft} formula without its range")
                        if ft == "shared" and f.get("si") is None:
                            problems.append(f"{sheet}!{addr}: shared formula without its index")
                    if t == "s":
                        if v is None or not (v.text or "").strip().isdigit():
                            problems.append(f"{sheet}!{addr}: shared-string cell without an index")
                        elif n_strings is None or int(v.text) >= n_strings:
                            problems.append(f"{sheet}!{addr}: shared string {v.text} does not exist")
                    elif t == "inlineStr" and c.find("{%s}is" % NS_MAIN) is None and f is None:
                        problems.append(f"{sheet}!{addr}: inline string without <is>")
                    elif t == "b" and v is not None and v.text not in ("0", "1"):
                        problems.append(f"{sheet}!{addr}: boolean {v.text!r} is not 0 or 1")
                    elif t == "n" and v is not None:
                        try:
                            float(v.text)
                        except (TypeError, ValueError):
                            problems.append(f"{sheet}!{addr}: number {v.text!r} is not a number")
                    elif t not in ("n", "s", "str", "inlineStr", "b", "e", "d"):
                        problems.append(f"{sheet}!{addr}: unknown cell type {t!r}")
                    s = c.get("s")
                    if s is not None and n_xfs is not None and int(s) >= n_xfs:
                        problems.append(f"{sheet}!{addr}: style {s} does not exist ({n_xfs} cell formats)")
            merged = [_range_bounds(m.get("ref")) for m in root.iter("{%s}mergeCell" % NS_MAIN) if m.get("ref")]
            for i, a in enumerate(merged):
                for b in merged[i + 1:]:
                    if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                        problems.append(f"{sheet}: merged ranges overlap ({_range_text(a)} and {_range_text(b)})")

        sheet_names = {s[0] for s in pkg.sheets}
        wb_root = ET.fromstring(pkg.wb_xml)
        for dn in wb_root.iter("{%s}definedName" % NS_MAIN):
            text = (dn.text or "").strip()
            for m in re.finditer(r"(?:'((?:[^']|'')+)'|([A-Za-z0-9_.\u0400-\u04ff]+))!", text):
                sh = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
                if sh not in sheet_names:
                    problems.append(f"defined name {dn.get('name')!r} points at sheet {sh!r}, which does not exist")
        by_sheet_id = {el.get("sheetId"): i for i, el in enumerate(wb_root.iter("{%s}sheet" % NS_MAIN))}
        for _id, typ, tgt, _m in wb_rels:
            if typ == REL_CALCCHAIN and tgt in names:
                current = None
                for c in xml(tgt):
                    current = c.get("i", current)  # an omitted sheet id repeats the previous one
                    idx = by_sheet_id.get(current)
                    if idx is None:
                        problems.append(f"calcChain names sheet id {current}, which does not exist")
                        continue
                    ref = c.get("r")
                    cells = formula_cells.get(idx)
                    if ref and cells is not None and ref not in cells:
                        problems.append(f"calcChain names {pkg.sheets[idx][0]}!{ref}, which holds no formula")
    return problems
