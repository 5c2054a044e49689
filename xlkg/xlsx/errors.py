"""What goes wrong with workbook files, and the one list of Excel's error values."""

from __future__ import annotations

from ..core.errors import InputError


class XlsxPatchError(InputError):
    """The workbook cannot be written without damaging it; the message says what and where."""


EXCEL_ERRORS = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
)


