"""A schematic map of the Kyrgyz regions drawn with cells: one tile per region, placed roughly as the
regions lie (north to south, west to east), coloured by a sector's Ki or by cluster type.

    Talas        Bishkek      Chui         Issyk-Kul
    Jalal-Abad   Jalal-Abad   Naryn        Naryn
    Batken       Osh oblast   Osh city

Bishkek stands beside Chui (it lies inside it), Osh city beside Osh oblast. A tile is two cells high:
the region's name, then its value. The map is a picture for reading, not a geographic projection.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from xlkg.core.regions import term

# region key -> (row, first column, columns spanned) on a 3 x 4 grid
TILES = {
    "region.talas": (0, 0, 1), "region.bishkek": (0, 1, 1), "region.chui": (0, 2, 1), "region.issyk_kul": (0, 3, 1),
    "region.jalal_abad": (1, 0, 2), "region.naryn": (1, 2, 2),
    "region.batken": (2, 0, 1), "region.osh_oblast": (2, 1, 1), "region.osh_city": (2, 2, 1),
}
TILE_WIDTH = 24  # characters
_WHITE = Side(style="medium", color="FFFFFF")
_EDGE = Border(left=_WHITE, right=_WHITE, top=_WHITE, bottom=_WHITE)
# The colour scale of the results workbook's Ki blocks: red at 0, yellow at 1 (neutral), green from the top.
_RED, _YELLOW, _GREEN, _GREY = (0xF8, 0x69, 0x6B), (0xFF, 0xEB, 0x84), (0x63, 0xBE, 0x7B), "D9D9D9"
CLUSTER_COLOURS = ("9DC3E6", "F4B183", "A9D18E", "FFD966", "C9C9E8", "F8CBAD")


def _mix(a, b, t: float) -> str:
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(a, b, strict=True))


def ki_colour(ki: float, top: float) -> str:
    """Red (0) -> yellow (1) -> green (`top` and above), as the Ki colour scale of the results workbook."""
    if ki is None or (isinstance(ki, float) and math.isnan(ki)):
        return _GREY
    if ki <= 1:
        return _mix(_RED, _YELLOW, max(ki, 0.0))
    return _mix(_YELLOW, _GREEN, min((ki - 1) / max(top - 1, 1e-9), 1.0))


def draw(ws, top: int, left: int, tiles: dict[str, tuple[str, str, str]], lang: str = "ky") -> int:
    """Draw the map with its top-left cell at (top, left); `tiles` maps a region key to (value text, fill
    colour, font colour). Regions not given are drawn grey with a dash. Returns the first free row below."""
    for c in range(4):
        letter = ws.cell(top, left + c).column_letter
        ws.column_dimensions[letter].width = TILE_WIDTH
    for key, (r, c, span) in TILES.items():
        text, fill, font = tiles.get(key, ("–", _GREY, "595959"))
        row = top + 2 * r
        for k in range(span):
            for dr in (0, 1):
                cell = ws.cell(row + dr, left + c + k)
                cell.fill = PatternFill("solid", fgColor=fill)
                cell.border = _EDGE
        if span > 1:
            ws.merge_cells(start_row=row, start_column=left + c, end_row=row, end_column=left + c + span - 1)
            ws.merge_cells(start_row=row + 1, start_column=left + c, end_row=row + 1, end_column=left + c + span - 1)
        name = ws.cell(row, left + c, term(key, lang))
        name.font = Font(name="Calibri", bold=True, size=10, color=font)
        name.alignment = Alignment(horizontal="center", vertical="bottom", wrap_text=True)
        value = ws.cell(row + 1, left + c, text)
        value.font = Font(name="Calibri", size=10, color=font)
        value.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for r in range(3):
        ws.row_dimensions[top + 2 * r].height = 30
        ws.row_dimensions[top + 2 * r + 1].height = 42
    return top + 6
