"""Namespaces, and scanning of worksheet XML as text (positions are kept, so untouched text is never rewritten)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import XlsxPatchError
from .refs import col_letter, range_bounds, split_ref

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
# XML text scanning (positions are kept so that untouched text is never rewritten)

_TAG_RE = re.compile(
    r"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!DOCTYPE[^>]*>|"
    r"(?P<close>/)?(?P<name>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<empty>/)?>)",
    re.S,
)
_ATTR_RE = re.compile(r"([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")


def parse_attrs(text: str) -> list[tuple[str, str]]:
    """Attributes of a start tag in document order as (name, quoted raw value)."""
    return _ATTR_RE.findall(text or "")


def attr(attrs: list[tuple[str, str]], name: str) -> str | None:
    for k, v in attrs:
        if k == name:
            return unescape(v[1:-1])
    return None


def unescape(s: str) -> str:
    if "&" not in s:
        return s
    s = re.sub(r"&#x([0-9A-Fa-f]+);", lambda m: chr(int(m.group(1), 16)), s)
    s = re.sub(r"&#([0-9]+);", lambda m: chr(int(m.group(1))), s)
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return esc_text(s).replace('"', "&quot;")


def local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def decode_part(data: bytes) -> tuple[str, str, bytes]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8", b"\xef\xbb\xbf"
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16", b""
    return data.decode("utf-8"), "utf-8", b""


def encode_part(text: str, enc: str, bom: bytes) -> bytes:
    return bom + text.encode(enc)


@dataclass
class XmlCell:
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
    cells: list | None  # parsed on demand (row_cells)


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


def parse_sheet(text: str, part: str) -> _Sheet:
    m_root = None
    for m in _TAG_RE.finditer(text):
        if m.group("name"):
            m_root = m
            break
    if m_root is None:
        raise XlsxPatchError(f"{part}: not an XML worksheet")
    root_attrs = parse_attrs(m_root.group("attrs"))
    prefix = ""
    rp = m_root.group("name").split(":")[0] + ":" if ":" in m_root.group("name") else ""
    ns = attr(root_attrs, "xmlns" + (":" + rp[:-1] if rp else ""))
    if ns == NS_STRICT:
        raise XlsxPatchError(f"{part}: strict OOXML workbooks are not supported; save as 'Excel Workbook (.xlsx)'")
    if ns != NS_MAIN or local(m_root.group("name")) != "worksheet":
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
        attrs = parse_attrs(m.group("a"))
        r = attr(attrs, "r")
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
        range_bounds(mm.group(2), where=f"{part} merged range")
        for mm in re.finditer(r"<" + re.escape(prefix) + r"mergeCell\s+[^>]*?ref\s*=\s*([\"'])([^\"']*)\1", text[sd_end:])
    ]
    col_styles = []
    for mc in re.finditer(r"<" + re.escape(prefix) + r"col\s([^>]*)>", text[: msd.start()]):
        a = parse_attrs(mc.group(1))
        st = attr(a, "style")
        if st and st != "0":
            try:
                col_styles.append((int(attr(a, "min")), int(attr(a, "max")), st))
            except (TypeError, ValueError):
                pass
    return _Sheet(text, prefix, msd.start(), sd_end, sd_empty, inner_start, inner_end, rows, dim_span, dim_ref, merges, col_styles)


def row_cells(text: str, row: _Row, part: str) -> list:
    """Parse (once) the cells of one row, keeping each element's position in the text."""
    if row.cells is not None:
        return row.cells
    cells: list[XmlCell] = []
    stack: list[tuple[str, int, list, int]] = []  # (name, start, attrs, start_tag_end)
    cur_cell: XmlCell | None = None
    last_col = 0
    for m in _TAG_RE.finditer(text, row.start_tag_end, row.end_tag_start):
        name = m.group("name")
        if not name:
            continue
        loc = local(name)
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
        attrs = parse_attrs(m.group("attrs"))
        empty = bool(m.group("empty"))
        if depth == 0:
            if loc != "c":
                # e.g. extLst inside a row: kept as is, never touched
                if not empty:
                    stack.append((name, m.start(), attrs, m.end()))
                continue
            rref = attr(attrs, "r")
            if rref:
                rr, cc = split_ref(rref, where=f"{part} cell")
                if rr != row.r:
                    raise XlsxPatchError(f"{part}: cell {rref} lies in row {row.r}")
            else:
                cc = last_col + 1
            if cc <= last_col:
                raise XlsxPatchError(f"{part}: cells of row {row.r} are not in column order")
            last_col = cc
            cell = XmlCell(row.r, cc, m.start(), m.end(), name, attrs)
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


def cell_at(sh: _Sheet, pos: int, part: str) -> XmlCell | None:
    row = _row_at(sh, pos)
    if row is None:
        return None
    for c in row_cells(sh.text, row, part):
        if c.start <= pos < c.end:
            return c
    return None


def _cell_child(cell: XmlCell, loc: str, attrs: list, inner: str, whole: str) -> None:
    if loc == "f":
        cell.f_text, cell.f_attrs, cell.f_inner = whole, attrs, inner
    elif loc == "v":
        cell.v_inner = inner
    elif loc == "is":
        cell.v_inner = inner
    else:
        cell.other_children.append(whole)


