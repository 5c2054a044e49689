"""Page setup and row heights of the workbooks xlkg writes: A4, fitted to one page wide, the same margins.

Spreadsheet programs keep a file's row heights when they open it (they do not grow a row for wrapped
text), so a writer sets the height of every row that holds wrapped text from an estimate: how many
lines the text wraps into (`wrap_lines`, `line_chars`) and how tall those lines are (`row_height`).
A block that a page's bottom would cut starts on the next page (`plan_page_breaks`).

Works on xlsxwriter worksheets (`a4_page`) and openpyxl ones (`a4_page_openpyxl`, `fit_row_heights`,
`break_pages`); the libraries are imported only by the functions that use them.
"""

from __future__ import annotations

from itertools import pairwise

from .refs import col_letter

A4_PAPER = 9  # the paper size code of A4 in SpreadsheetML
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}  # inches

# A4 landscape with MARGINS: printable width and height in points (less a little for the footer).
A4_LANDSCAPE_PT = (841.9 - 72.0, 595.3 - 86.4 - 8.0)


def a4_page(ws, landscape: bool = True) -> None:
    """An xlsxwriter worksheet on A4 (paper 9), fitted to one page wide, with MARGINS."""
    ws.set_paper(A4_PAPER)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(**MARGINS)


def a4_page_openpyxl(ws, landscape: bool = True) -> None:
    """The same page setup for an openpyxl worksheet, centred horizontally."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if landscape:
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.horizontalCentered = True


def wrap_lines(text: str, chars: float) -> int:
    """How many lines `text` takes when a spreadsheet wraps it at word boundaries into `chars`
    characters per line (a word longer than a line breaks inside it)."""
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0
        for word in para.split():
            n = len(word)
            if used == 0:
                used = n
            elif used + 1 + n <= chars:
                used += 1 + n
            else:
                lines, used = lines + 1, n
            while used > chars:
                lines, used = lines + 1, used - chars
        total += lines
    return total


def line_chars(width: float, size: float, per: float) -> float:
    """Characters of `size`-point text that one line of a wrapped cell `width` units wide holds (a unit
    is the width of "0" at 11 pt; `per` is characters per unit at 11 pt for the font's style); at least 3."""
    return max((width - 0.8) * 11 / size * per, 3)


def row_height(lines: int, size: float, *, leading: float = 1.2, pad: float = 3.0) -> float:
    """Points a row takes for `lines` lines of `size`-point text: each line `leading` times the font
    size, plus `pad` (the writers differ in how much room they leave: see their callers)."""
    return lines * size * leading + pad


def column_points(width: float) -> float:
    """Points a column of `width` (characters of "0" at Calibri 11) takes: 7 px per character + 5 px."""
    return (width * 7 + 5) * 0.75


def plan_page_breaks(heights: list[float], starts: list[int], page_height: float) -> list[int]:
    """Rows (indexes into `heights`) to break a page before, so that a block that starts at one of
    `starts` and would cross the bottom of a page begins on the next one instead; a block taller than
    a page starts on a fresh page and flows on. `page_height` in the same unit as `heights`."""
    bounds = sorted({0, *(s for s in starts if 0 < s < len(heights))}) + [len(heights)]
    breaks, used = [], 0.0
    for a, b in pairwise(bounds):
        h = sum(heights[a:b])
        if used > 0 and used + h > page_height:
            breaks.append(a)
            used = 0.0
        used = (used + h) % page_height if used + h > page_height else used + h
    return breaks


def fit_row_heights(ws) -> None:
    """Row heights for the wrapped text of an openpyxl worksheet.

    A column of width w (in widths of "0" at 11 pt) holds about w characters of 11 pt text; smaller
    fonts hold more, bold a little fewer, italics a little more. A line takes about 1.2 x the font
    size in points; text wraps at word boundaries. Merged cells count the width of the whole range."""
    spans = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.min_col, rng.max_col)

    def col_width(c: int) -> float:
        return ws.column_dimensions[col_letter(c)].width or 9

    for row in ws.iter_rows():
        height = 0.0
        for c in row:
            if c.value is None or not (c.alignment and c.alignment.wrap_text):
                continue
            first, last = spans.get((c.row, c.column), (c.column, c.column))
            width = sum(col_width(k) for k in range(first, last + 1))
            font = c.font
            size = (font.sz or 11) if font else 11
            per = 0.97 if font and font.b else 1.12 if font and font.i else 1.05
            lines = wrap_lines(str(c.value), line_chars(width, size, per))
            if lines > 1:
                height = max(height, row_height(lines, size))
        if height > 16:
            ws.row_dimensions[row[0].row].height = round(height, 1)


def break_pages(ws, starts: list[int]) -> None:
    """Page breaks in an openpyxl worksheet (A4 landscape, fitted to width) before the blocks starting
    at rows `starts` (1-based) that the bottom of a page would otherwise cut; a sheet wider than the
    paper is scaled down, so its page holds more rows."""
    from openpyxl.worksheet.pagebreak import Break

    if not starts:
        return
    width = sum(column_points(ws.column_dimensions[col_letter(c)].width or 8.43)
                for c in range(1, ws.max_column + 1))
    scale = min(1.0, A4_LANDSCAPE_PT[0] / width) if width else 1.0
    heights = [ws.row_dimensions[r].height or 15.0 for r in range(1, ws.max_row + 1)]
    for i in plan_page_breaks(heights, [s - 1 for s in starts], A4_LANDSCAPE_PT[1] / scale):
        ws.row_breaks.append(Break(id=i))  # after row i (1-based) = before the block's first row
