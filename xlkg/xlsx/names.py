"""Defined names: where they point, and the writes that fill them."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from .errors import XlsxPatchError
from .package import open_package, read_zip
from .refs import cells_in, col_letter, range_bounds, range_text
from .xmltext import NS_MAIN

# --------------------------------------------------------------------------------------------------
# defined names

_SHEETREF_RE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!\s][^!]*))!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)$")


def _defined_names(path) -> tuple[list, list[str]]:
    with read_zip(Path(path)) as zf:
        pkg = open_package(zf, Path(path))
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
    if "#REF!" in chosen[2].upper():
        raise XlsxPatchError(
            f"defined name {name!r} refers to {chosen[2]!r}: #REF!, a sheet or cells it pointed at were deleted; "
            "define the name again (Formulas > Name Manager) or use a workbook where it is intact")
    m = _SHEETREF_RE.match(chosen[2])
    if not m:
        raise XlsxPatchError(
            f"defined name {name!r} refers to {chosen[2]!r}, not to one cell or one rectangular range of a sheet"
        )
    sh = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    if sh not in sheets:
        raise XlsxPatchError(f"defined name {name!r} refers to sheet {sh!r}, which the workbook does not have")
    ref = m.group(3).replace("$", "").upper()
    r1, c1, r2, c2 = range_bounds(ref, where=f"defined name {name!r}")
    if (r1, c1) == (r2, c2):
        return sh, f"{col_letter(c1)}{r1}"
    return sh, range_text((r1, c1, r2, c2))


def name_writes(path, values: dict, *, sheet: str | None = None, refs: dict | None = None) -> dict:
    """{defined name: value or 2-D list of rows} -> {sheet: {cell: value}} for `patch_workbook`.

    A single-cell name takes a scalar; a range name takes a list of rows exactly its shape (a one-row
    or one-column range also takes a flat list of its length). `refs` ({name: (sheet, ref)}, from
    `resolve_names`) saves reading the workbook again when the same names are written many times.
    """
    writes: dict[str, dict] = {}
    refs = refs or {}
    table = None if all(n in refs for n in values) else _defined_names(path)
    for name, value in values.items():
        sh, ref = refs[name] if name in refs else _resolve(path, name, sheet, table)
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
        for grow, vrow in zip(grid, rows, strict=True):
            for cref, v in zip(grow, vrow, strict=True):
                target[cref] = v
    return writes


