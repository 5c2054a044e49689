"""What goes wrong with workbook files, and Excel's error values (the one list is xlkg.core.checks')."""

from __future__ import annotations

from ..core.checks import EXCEL_ERRORS
from ..core.errors import InputError


class XlsxPatchError(InputError):
    """The workbook cannot be written without damaging it; the message says what and where."""


__all__ = ["EXCEL_ERRORS", "XlsxPatchError"]


