"""Classic Excel one-click fill: the "Fill" button of xlkg_scorecard.xlsm calls `main()`.

Wiring (nothing here is new VBA; the VBA project is xlwings' own, copied byte for byte):

    button "Толтуруу / Заполнить / Fill"  ->  VBA macro SampleCall (xlwings quickstart module)
    SampleCall  ->  RunPython "import xlkg_scorecard; xlkg_scorecard.main()"   (the workbook's base name)
    workbooks/xlkg_scorecard.py  ->  from xlkg.excel.macros import main

`main()` takes the calling workbook (`xw.Book.caller()`), finds the cluster's input, computes the
scorecard, builds the same FillPlan as `xlkg fill` and writes it through the workbook's defined names.
Where the input comes from, first match wins:

1. the path typed into the cell named ``xlkg_input_path`` (relative paths: next to the scorecard);
2. the input sheets ("Settings", "Base period", "Report period") inside the scorecard workbook itself;
3. another open workbook that has the input sheets.

Nothing is saved: the user sees the filled scorecard and saves it (Save As) where they like. An error
(no input found, a template of another catalogue) is raised as an `InputError` whose message xlwings
shows in a message box.
"""

from __future__ import annotations

from pathlib import Path

from xlkg.core.result import InputError
from xlkg.scorecard import layout
from xlkg.scorecard.layout import INPUT_SHEETS
from xlkg.scorecard.plan import FillPlan, build_plan
from xlkg.scorecard.reader import compute_from_sheets, has_input, read_input_sheets


def sheet_rows(sheet) -> list[list]:
    """All cells of a sheet from A1 to the last used cell, as rows (xlwings `Sheet`).

    Error cells arrive as their text ("#N/A"; `err_to_str`), so a note can say "error value #N/A"
    instead of calling the cell blank (classic xlwings reads errors as None by default).
    """
    last = sheet.used_range.last_cell
    rows = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value
    return [list(r) for r in (rows or [])]


def book_sheets(book, names=INPUT_SHEETS) -> dict[str, list[list]]:
    """{sheet name: rows} for the input sheets a book has; other sheets by name only (for messages)."""
    out = {}
    for sh in book.sheets:
        out[sh.name] = sheet_rows(sh) if sh.name in names else []
    return out


def _name_value(book, name):
    try:
        return book.names[name].refers_to_range.value
    except Exception:  # a template without that name: the option is simply not there
        return None


def find_input(book) -> tuple[dict, str]:
    """The input sheets for `book` and a description of where they came from (see module docstring)."""
    path = _name_value(book, layout.INPUT_PATH.name)
    if isinstance(path, str) and path.strip():
        p = Path(path.strip().strip('"'))
        if not p.is_absolute():
            p = Path(book.fullname).parent / p
        return read_input_sheets(p), str(p)
    names = [s.name for s in book.sheets]
    if has_input(names):
        return book_sheets(book), f"sheets of {book.name}"
    try:
        others = list(book.app.books)
    except Exception:
        others = []
    for other in others:
        if other.name == book.name:
            continue
        if has_input([s.name for s in other.sheets]):
            return book_sheets(other), other.name
    raise InputError(
        "no input found: type the input workbook's file name into the cell 'Input workbook' "
        f"(defined name {layout.INPUT_PATH.name}) on the {layout.INPUT_PATH.sheet} sheet, or open the input workbook "
        f"(sheets {', '.join(repr(s) for s in INPUT_SHEETS)})"
    )


def plan_for(sheets: dict) -> FillPlan:
    sc, settings = compute_from_sheets(sheets)
    return build_plan(sc, illustrative=settings["illustrative"])


def apply_to_book(plan: FillPlan, book) -> int:
    """Write a FillPlan into an xlwings Book (or any object with the same `names[...]` API).

    Checks first that the template's indicator codes are the plan's; returns the number of names
    written. A name the template lacks is an InputError naming it.
    """

    def rng(name):
        try:
            return book.names[name].refers_to_range
        except Exception:
            raise InputError(f"template {book.name}: defined name {name!r} not found; "
                             "use the bundled scorecard template or rebuild it") from None

    plan.check_expected(lambda n: rng(n).options(ndim=2).value)
    for name, value in plan.writes.items():
        rng(name).value = value
    return len(plan.writes)


def fill_book(book) -> FillPlan:
    """Find the input, compute, and fill `book`; returns the plan that was applied."""
    sheets, _source = find_input(book)
    plan = plan_for(sheets)
    apply_to_book(plan, book)
    return plan


def main(book=None) -> None:
    """The button's entry point: fill the calling workbook (RunPython ... main())."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    fill_book(book)
