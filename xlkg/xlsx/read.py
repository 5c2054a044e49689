"""Reading workbooks: the one way the package opens a workbook with openpyxl, cached values of cells,
and the raw XML of a cell."""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import XlsxPatchError
from .package import check_file, open_package, read_zip, sheet_part
from .refs import norm_ref, split_ref
from .xmltext import attr, decode_part, parse_sheet, row_cells, unescape


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
# reading


@contextmanager
def load_workbook(path, *, read_only: bool = False, data_only: bool = False, keep_vba: bool = False,
                  keep_links: bool = True, what: str = "workbook") -> Iterator:
    """``with load_workbook(path, ...) as wb:`` an openpyxl workbook, for reading only; closed on exit.

    The file passes `check_file` first (password-protected, .xls, zip bombs, part names outside the
    package, DOCTYPEs: refused with a message naming it as `what`), so openpyxl never reads such a file.

    The one warnings policy: openpyxl's UserWarnings (extensions and parts it does not model, "will
    be lost/removed") concern saving, which never happens to a workbook read here (saving through
    openpyxl would drop what it does not model; `patch_workbook` writes instead). They are silenced
    while the workbook is loaded and used, since read-only mode parses a sheet while it is iterated.
    """
    import openpyxl

    check_file(path, what=what)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(path, read_only=read_only, data_only=data_only, keep_vba=keep_vba,
                                    keep_links=keep_links)
        try:
            yield wb
        finally:
            wb.close()


def read_cells(path, sheet: str, cells) -> dict:
    """{cell: cached value} as stored (numbers, text, booleans, error strings such as "#N/A", None)."""
    refs = [norm_ref(c, f"sheet {sheet!r}") for c in cells]
    with load_workbook(path, data_only=True) as wb:
        if sheet not in wb.sheetnames:
            raise XlsxPatchError(f"sheet {sheet!r} not found; the workbook has: " + ", ".join(repr(n) for n in wb.sheetnames))
        ws = wb[sheet]
        return {orig: ws[ref].value for orig, ref in zip(cells, refs, strict=True)}


def read_raw(path, sheet: str, cells) -> dict:
    """{cell: RawCell} with the XML as stored: t, s, formula text (unescaped), value text."""
    path = Path(path)
    with read_zip(path) as zf:
        pkg = open_package(zf, path)
        part = sheet_part(pkg, sheet)
        sh = parse_sheet(decode_part(zf.read(part))[0], part)
    by_r = {row.r: row for row in sh.rows}
    index = {}
    for ref in cells:
        r = split_ref(ref, where=f"sheet {sheet!r}")[0]
        if r in by_r:
            index.update({(c.row, c.col): c for c in row_cells(sh.text, by_r[r], part)})
    out = {}
    for ref in cells:
        rc = split_ref(ref, where=f"sheet {sheet!r}")
        c = index.get(rc)
        if c is None:
            out[ref] = RawCell(ref, None, None, None, {}, None, exists=False)
            continue
        val = c.v_inner
        if val is not None and attr(c.attrs, "t") == "inlineStr":
            val = "".join(unescape(t) for t in re.findall(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", val, re.S))
        elif val is not None:
            val = unescape(val)
        out[ref] = RawCell(
            ref, attr(c.attrs, "t"), attr(c.attrs, "s"),
            unescape(c.f_inner) if c.f_inner is not None else None,
            {k: unescape(v[1:-1]) for k, v in (c.f_attrs or [])}, val,
        )
    return out


