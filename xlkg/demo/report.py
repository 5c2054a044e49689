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

from xlkg.core.regions import LANGS, region_key, term
from xlkg.xlsx.page import a4_page_openpyxl, break_pages, fit_row_heights
from xlkg.xlsx.refs import col_letter

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
        a4_page_openpyxl(ws)
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
        ref = f"{col_letter(n_lab + 1)}{first}:{col_letter(n_lab + vals.shape[1])}{last}"
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
                ws.column_dimensions[col_letter(col)].width = max(width, 9)
            ws.column_dimensions["A"].width = max(self.widths[ws.title].get(1, 0), 24)
            last = max(ws.max_column, 1)
            if last == 1:  # running text only: one column as wide as the page
                ws.column_dimensions["A"].width = 120
            for r in self.spans[ws.title]:
                if last > 1:
                    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
            fit_row_heights(ws)
            break_pages(ws, self.starts[ws.title])
