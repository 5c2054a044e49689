"""The workbook JSON the Excel client posts to an Office.js script (xlwings Server 1.20.0's
custom-scripts/index.js, getBookData): one entry per sheet with its values, and the defined names with
their addresses. Here: the scorecard template, with the input workbook's sheets copied in."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from xlkg import xlsx


def _sheets(path, only=None) -> list[dict]:
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        out = []
        for ws in wb.worksheets:
            if only is None or ws.title in only:
                rows = [["" if c is None else c for c in r] for r in ws.iter_rows(values_only=True)]
                out.append({"name": ws.title, "visibility": "Visible", "values": rows or [[""]],
                            "pictures": [], "shapes": [], "charts": [], "tables": [], "pivot_tables": []})
        return out
    finally:
        wb.close()


def book_payload(template: Path, input_path: Path | None, *, version: str = "0.37.8") -> dict:
    """The book JSON for `template` with the input sheets of `input_path` (none when it is None)."""
    from xlkg.excel import macros

    all_sheets = _sheets(template) + (_sheets(input_path, macros.INPUT_SHEETS) if input_path else [])
    order = [s["name"] for s in all_sheets]
    wb = openpyxl.load_workbook(template)
    names = []
    for n in wb.defined_names:
        s, ref = xlsx.resolve_name(template, n)
        names.append({"name": n, "sheet_index": order.index(s), "address": ref, "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None})
    wb.close()
    return {"client": "Office.js", "version": version, "sheets": all_sheets, "names": names,
            "book": {"name": Path(template).name, "active_sheet_index": 0, "selection": "A1",
                     "calculation": "automatic"}}
