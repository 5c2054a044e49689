"""Office.js one-click fill (xlwings Server / xlwings Lite): the script `fill_scorecard`.

In Excel 365 (desktop, Mac, web) the xlwings task pane or a button bound to the script runs
`fill_scorecard(book)` on the open workbook. Office.js cannot open a second file, so the input sheets
("Settings", "Base period", "Report period") must be in the scorecard workbook itself: copy them
from the input workbook (right-click the sheet tab, Move or Copy). The script builds the same FillPlan
as the classic macro and `xlkg fill`, and only sets values (the template holds formats, the chart and
the colour scales), which keeps it inside the set of actions the Office.js client replays.

An xlwings Server project re-exports it from its `custom_scripts` module:

    from xlkg.excel.scripts import fill_scorecard  # noqa: F401
"""

from __future__ import annotations

import xlwings as xw

from xlkg.core.result import InputError
from xlkg.excel.macros import apply_to_book, book_sheets, plan_for
from xlkg.scorecard.layout import INPUT_SHEETS
from xlkg.scorecard.reader import has_input


class ScriptMessage(InputError, xw.XlwingsError):
    """xlkg's message for the user of a script. xlwings Server answers an XlwingsError with its text
    (HTTP 400), which the add-in shows in its task pane or a dialog; any other exception reaches the user
    as "An error occurred." only (environment "prod")."""


@xw.script(name="Fill scorecard / Заполнить / Толтуруу")
def fill_scorecard(book: xw.Book):
    """Fill the balanced scorecard of this workbook from its input sheets."""
    try:
        names = [s.name for s in book.sheets]
        if not has_input(names):
            raise InputError(
                "this workbook has no input sheets: copy " + ", ".join(repr(s) for s in INPUT_SHEETS) +
                " from the input workbook into it, then run the script again"
            )
        apply_to_book(plan_for(book_sheets(book)), book)
    except InputError as exc:
        raise ScriptMessage(f"xlkg: {exc}") from None
    except Exception as exc:  # a bug: still say what, rather than "An error occurred."
        raise ScriptMessage(f"xlkg: internal error ({type(exc).__name__}: {exc})") from exc
