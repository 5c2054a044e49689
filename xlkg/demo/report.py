"""Writing labelled results into a new workbook, the way an economist reads a statistical table.

Each block: a title in Kyrgyz, Russian and English, one header row per language above the columns,
label columns in the chosen languages, numbers with a number format, and a cell that could not be
computed showing the reason in grey italics instead of a number (never a silent blank or 0). Sheets are
set up for A4 printing, landscape, fitted to the page width.
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from xlkg.core.regions import LANGS, region_key, term

_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_WARN_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_REASON_FONT = Font(italic=True, color="808080", size=9)
_FONT = "Calibri"


class BlockWriter:
    """Appends titled, labelled blocks to the sheets of a new openpyxl workbook, top to bottom."""

    def __init__(self, wb):
        self.wb = wb
        self.row: dict[str, int] = {}
        self.widths: dict[str, dict[int, float]] = {}
        self.spans: dict[str, list[int]] = {}  # rows of running text, merged across the sheet's width
        self.starts: dict[str, list[int]] = {}  # first rows of sub-blocks (a page break may go before)

    def sheet(self, name: str, titles: dict | None = None):
        ws = self.wb.create_sheet(name)
        self.row[ws.title] = 1
        self.widths[ws.title] = {}
        self.spans[ws.title] = []
        self.starts[ws.title] = []
        ws.sheet_view.showGridLines = False
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.print_options.horizontalCentered = True
        return ws

    def _next(self, ws, n: int = 1) -> int:
        r = self.row[ws.title]
        self.row[ws.title] = r + n
        return r

    def _width(self, ws, col: int, text) -> None:
        if text is None:
            return
        longest = max((len(part) for part in str(text).split("\n")), default=0)
        w = self.widths[ws.title]
        w[col] = max(w.get(col, 0), min(longest * 1.05 + 2, 36))

    def title(self, ws, texts: dict, small: bool = False) -> None:
        if small:
            self._next(ws)  # a blank line before a sub-block
            self.starts[ws.title].append(self.row[ws.title])
        for k, lang in enumerate(LANGS):
            r = self._next(ws)
            text = texts[lang]
            if not text.startswith("xlkg"):  # glossary terms are lower case; the product's name stays so
                text = text[:1].upper() + text[1:]
            c = ws.cell(r, 1, text)
            size = (12 if small else 14) if k == 0 else (10 if small else 11)
            c.font = Font(name=_FONT, bold=k == 0, size=size, color="1F3864")

    def paragraph(self, ws, texts: dict, warn: bool = False) -> None:
        for lang in LANGS:
            r = self._next(ws)
            c = ws.cell(r, 1, texts[lang])
            c.font = Font(name=_FONT, size=10, bold=warn, color="7F6000" if warn else "000000")
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if warn:
                c.fill = _WARN_FILL
            self.spans[ws.title].append(r)
        self._next(ws)

    def method_line(self, ws, name: str, method: str) -> None:
        r = self._next(ws)
        c = ws.cell(r, 1, f"{name}: {method}")
        c.font = Font(name=_FONT, size=8, italic=True, color="595959")
        c.alignment = Alignment(wrap_text=True, vertical="top")
        self.spans[ws.title].append(r)

    def block(self, ws, frame: pd.DataFrame, row_labels: list[dict], col_labels: list[dict], *, fmt: str,
              reasons: pd.DataFrame | None = None, colour_scale: bool = False,
              label_langs=LANGS) -> str:
        """Write a labelled block; returns the address of its numbers (for a colour scale or a chart)."""
        n_lab = len(label_langs)
        # One header line per language, unless the column labels read the same in all (years, codes).
        langs = LANGS if any(len({str(lab[lang]) for lang in LANGS}) > 1 for lab in col_labels) else ("en",)
        head_top = self._next(ws, len(langs))
        for k, lang in enumerate(langs):
            r = head_top + k
            for j, lab in enumerate(label_langs):
                c = ws.cell(r, j + 1, {"ky": "Аталышы", "ru": "Наименование", "en": "Name"}[lab] if k == 0 else None)
                c.fill = _HEAD_FILL
                c.font = Font(name=_FONT, bold=True, size=9)
                c.alignment = Alignment(vertical="top")
            for j, labels in enumerate(col_labels):
                c = ws.cell(r, n_lab + j + 1, labels[lang])
                c.fill = _HEAD_FILL
                c.font = Font(name=_FONT, bold=k == 0, size=9, italic=k > 0)
                c.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
                self._width(ws, n_lab + j + 1, "x" * 14)
        first = self.row[ws.title]
        vals = frame.to_numpy()
        why = None if reasons is None else reasons.reindex(index=frame.index, columns=frame.columns).to_numpy()
        for i, labels in enumerate(row_labels):
            r = self._next(ws)
            for j, lang in enumerate(label_langs):
                c = ws.cell(r, j + 1, labels[lang])
                c.font = Font(name=_FONT, size=10)
                c.border = _BORDER
                c.alignment = Alignment(wrap_text=True, vertical="top")
                self._width(ws, j + 1, labels[lang])
            for j in range(vals.shape[1]):
                v = vals[i, j]
                c = ws.cell(r, n_lab + j + 1)
                c.border = _BORDER
                if isinstance(v, float) and math.isnan(v) or v is None or v is pd.NA:
                    text = why[i, j] if why is not None and isinstance(why[i, j], str) else "–"
                    c.value = text
                    c.font = _REASON_FONT
                    c.alignment = Alignment(horizontal="center", vertical="top", wrap_text=len(text) > 12)
                else:
                    c.value = float(v) if not isinstance(v, str) else v
                    c.number_format = fmt
                    c.font = Font(name=_FONT, size=10)
                    c.alignment = Alignment(vertical="top", horizontal="right" if isinstance(v, str) else None)
                    if isinstance(v, str) and len(v) > 14:  # long text (a sector, a status): wrapped, left
                        self._width(ws, n_lab + j + 1, v)
                        c.alignment = Alignment(vertical="top", wrap_text=True)
        last = self.row[ws.title] - 1
        ref = f"{get_column_letter(n_lab + 1)}{first}:{get_column_letter(n_lab + vals.shape[1])}{last}"
        if colour_scale and last >= first:
            ws.conditional_formatting.add(ref, ColorScaleRule(
                start_type="num", start_value=0, start_color="F8696B",
                mid_type="num", mid_value=1, mid_color="FFEB84",
                end_type="percentile", end_value=90, end_color="63BE7B"))
        return ref

    def candidates(self, ws, table: pd.DataFrame, label_langs=LANGS) -> None:
        """Per sector, the candidate regions in order: the sector's names, then "1. region (Ki)", ..."""
        for sector, part in table.groupby("sector", sort=False):
            r = self._next(ws)
            for j, lang in enumerate(label_langs):
                try:
                    name = term(f"sector.{sector}", lang)
                except KeyError:
                    name = str(sector)
                c = ws.cell(r, j + 1, name)
                c.font = Font(name=_FONT, bold=True, size=10)
                c.alignment = Alignment(wrap_text=True, vertical="top")
            for k, (_, row) in enumerate(part.iterrows()):
                label = str(row["region"])
                key = label if label.startswith("region.") else region_key(label)
                shown = term(key, "ky") if key else label
                c = ws.cell(r, len(label_langs) + 1 + k, f"{int(row['rank'])}. {shown} ({row['potential']:.3f})")
                c.font = Font(name=_FONT, size=10)
                c.alignment = Alignment(wrap_text=True, vertical="top")
        self._next(ws)

    def finish(self) -> None:
        for ws in self.wb.worksheets:
            for col, width in self.widths[ws.title].items():
                ws.column_dimensions[get_column_letter(col)].width = max(width, 9)
            ws.column_dimensions["A"].width = max(self.widths[ws.title].get(1, 0), 24)
            last = max(ws.max_column, 1)
            if last == 1:  # running text only: one column as wide as the page
                ws.column_dimensions["A"].width = 120
            for r in self.spans[ws.title]:
                if last > 1:
                    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
            _fit_row_heights(ws)
            _break_pages(ws, self.starts[ws.title])


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


def _fit_row_heights(ws) -> None:
    """Row heights for wrapped text: spreadsheet programs do not grow rows of a file they open.

    A column of width w (in widths of "0" at 11 pt) holds about w characters of 11 pt text; smaller
    fonts hold more, bold a little fewer, italics a little more. A line takes about 1.2 x the font
    size in points; text wraps at word boundaries. Merged cells count the width of the whole range."""
    spans = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.min_col, rng.max_col)

    def col_width(c: int) -> float:
        return ws.column_dimensions[get_column_letter(c)].width or 9

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
                height = max(height, lines * size * 1.2 + 3)
        if height > 16:
            ws.row_dimensions[row[0].row].height = round(height, 1)


# A4 landscape with the margins of BlockWriter.sheet: printable width and height in points.
A4_LANDSCAPE_PT = (841.9 - 72.0, 595.3 - 86.4 - 8.0)


def column_points(width: float) -> float:
    """Points a column of `width` (characters of "0" at Calibri 11) takes: 7 px per character + 5 px."""
    return (width * 7 + 5) * 0.75


def plan_page_breaks(heights: list[float], starts: list[int], page_height: float) -> list[int]:
    """Rows (indexes into `heights`) to break a page before, so that a block that starts at one of
    `starts` and would cross the bottom of a page begins on the next one instead; a block taller than
    a page starts on a fresh page and flows on. `page_height` in the same unit as `heights`."""
    bounds = sorted({0, *(s for s in starts if 0 < s < len(heights))}) + [len(heights)]
    breaks, used = [], 0.0
    for a, b in zip(bounds, bounds[1:]):
        h = sum(heights[a:b])
        if used > 0 and used + h > page_height:
            breaks.append(a)
            used = 0.0
        used = (used + h) % page_height if used + h > page_height else used + h
    return breaks


def _break_pages(ws, starts: list[int]) -> None:
    """Page breaks before sub-blocks that would otherwise be cut by the bottom of a page (fit to width:
    the page holds more rows when the sheet is wider than the paper)."""
    from openpyxl.worksheet.pagebreak import Break

    if not starts:
        return
    width = sum(column_points(ws.column_dimensions[get_column_letter(c)].width or 8.43)
                for c in range(1, ws.max_column + 1))
    scale = min(1.0, A4_LANDSCAPE_PT[0] / width) if width else 1.0
    heights = [ws.row_dimensions[r].height or 15.0 for r in range(1, ws.max_row + 1)]
    for i in plan_page_breaks(heights, [s - 1 for s in starts], A4_LANDSCAPE_PT[1] / scale):
        ws.row_breaks.append(Break(id=i))  # after row i (1-based) = before the block's first row
