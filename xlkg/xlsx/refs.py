"""Cell references: column letters and numbers, A1 references and rectangular ranges."""

from __future__ import annotations

import re

from .errors import XlsxPatchError

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


def area_ref(r1: int, c1: int, r2: int | None = None, c2: int | None = None, *, absolute: bool = False) -> str:
    """The A1 reference of cell (r1, c1), or of the rectangle from it to (r2, c2); rows and columns count
    from 1: "B3", "B3:D9", with `absolute` "$B$3:$D$9". A rectangle of one cell is that cell's reference."""
    d = "$" if absolute else ""
    first = f"{d}{col_letter(c1)}{d}{r1}"
    if r2 is None or (r2, c2) == (r1, c1):
        return first
    return f"{first}:{d}{col_letter(c2)}{d}{r2}"


def split_ref(ref: str, *, where: str = "cell") -> tuple[int, int]:
    """'B3' / '$B$3' -> (row 3, column 2); InputError naming `where` when it is not a cell address."""
    m = _REF_RE.match(str(ref).strip())
    if not m:
        raise XlsxPatchError(f"{where}: {ref!r} is not a cell address such as 'B3'")
    row, col = int(m.group(2)), col_number(m.group(1))
    if not (1 <= row <= 1048576 and 1 <= col <= 16384):
        raise XlsxPatchError(f"{where}: {ref!r} lies outside the sheet (A1:XFD1048576)")
    return row, col


def range_bounds(ref: str, *, where: str = "range") -> tuple[int, int, int, int]:
    parts = str(ref).split(":")
    if len(parts) == 1:
        r, c = split_ref(parts[0], where=where)
        return r, c, r, c
    if len(parts) != 2:
        raise XlsxPatchError(f"{where}: {ref!r} is not a range such as 'A1:C5'")
    r1, c1 = split_ref(parts[0], where=where)
    r2, c2 = split_ref(parts[1], where=where)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def range_text(b: tuple[int, int, int, int]) -> str:
    """(r1, c1, r2, c2) -> "A1:C5", the inverse of `range_bounds`."""
    return f"{col_letter(b[1])}{b[0]}:{col_letter(b[3])}{b[2]}"


def cells_in(ref: str) -> list[list[str]]:
    """'A1:B2' -> [['A1', 'B1'], ['A2', 'B2']] (rows of cell addresses)."""
    r1, c1, r2, c2 = range_bounds(ref)
    return [[f"{col_letter(c)}{r}" for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]


def norm_ref(ref: str, where: str) -> str:
    r, c = split_ref(ref, where=where)
    return f"{col_letter(c)}{r}"


