"""Write cell values into an existing .xlsx/.xlsm without losing anything else in it.

Why this exists: loading a workbook with openpyxl and saving it again drops charts, images, form
controls and other parts openpyxl does not model. This module edits only the ``<sheetData>`` (and the
``<dimension>`` hint) of the worksheets it writes to, at the level of the XML text, and copies every
other zip member unchanged. Charts, images, the VBA project, data validations, conditional formats,
defined names, styles, form controls and custom XML therefore survive byte for byte.

Public API
----------
``patch_workbook(src, dst, writes, *, full_calc_on_load=False, replace_formulas=False, overwrite=False)``
    ``writes`` is ``{sheet_name: {"B3": value, ...}}``. A value is one of

    * ``int`` / ``float`` (also numpy numbers) -> a number cell. NaN and infinity are refused: write
      ``"#N/A"`` or ``None`` instead, so that nothing shows as a silent blank.
    * ``bool`` -> a boolean cell (``t="b"``).
    * ``str`` -> an inline string (``t="inlineStr"``). The shared-string table is left untouched, so
      only the worksheet parts change; Excel reads inline strings and converts them on its next save.
      A string that is exactly an Excel error (``"#N/A"``, ``"#DIV/0!"``, ... see ``EXCEL_ERRORS``)
      becomes an error cell (``t="e"``); wrap it in ``Text("#N/A")`` to write the literal text.
    * ``datetime.date`` / ``datetime.datetime`` -> the date serial number (1900 or 1904 system as the
      workbook says); the cell keeps its own number format.
    * ``None`` -> the cell's value is cleared (its style stays).
    * ``Cached(value)`` -> the cell must hold a formula (or lie inside an array-formula range): the
      formula is kept, ``value`` becomes its cached result (``t="str"`` for text, ``t="e"`` for errors,
      ``t="b"`` for booleans, no ``t`` for numbers; ``Cached(None)`` removes the cached value).

    The cell's style (``s=``) is always kept; a new cell takes the style of its row (when the row has a
    custom format) or of its column (``<cols>``), as Excel does when one types into an empty cell.
    Rows and cells are created in sorted order when missing. Returns a ``PatchReport``.

    Refusals raise ``XlsxPatchError`` (a subclass of ``xlkg.core.result.InputError``) and leave ``dst``
    untouched: legacy or encrypted files (.xls, or any OLE compound file), .xlsb, strict OOXML, a sheet
    that is missing (the message lists the sheets) or is a chartsheet/dialogsheet/macrosheet, a cell
    inside a merged range other than its top-left, a plain value written over a formula unless
    ``replace_formulas=True``, an array-formula range only partly overwritten, the master cell of a
    shared formula overwritten without the cells that depend on it, ``dst`` equal to ``src`` without
    ``overwrite=True``, ``dst`` with a different extension than ``src``.

    calcChain: when a formula is removed (``replace_formulas=True``) the calculation chain
    (``xl/calcChain.xml``, its relationship and content type) is dropped, because Excel reports a
    damaged file when the chain names a cell without a formula; Excel rebuilds it silently. Writing
    cached values keeps the chain (the formulas are unchanged).
    ``full_calc_on_load=True`` sets ``<calcPr fullCalcOnLoad="1"/>`` in ``xl/workbook.xml`` so that
    Excel recomputes every formula when the file is opened.

``resolve_name(path, name, *, sheet=None) -> (sheet_name, ref)``
    A defined name that refers to one cell or one rectangular range, e.g. ``("Итоги", "B3")`` or
    ``("Data", "A2:D9")``. Names are matched case-insensitively; ``sheet`` selects a sheet-scoped name.
``resolve_names(path, names, *, sheet=None) -> {name: (sheet_name, ref)}`` reads the workbook once.
``name_writes(path, values) -> writes``
    ``{defined_name: value or 2-D list}`` -> the ``writes`` dict for ``patch_workbook``.
``read_cells(path, sheet, cells) -> {cell: value}``
    Cached values as stored in the file (openpyxl, ``data_only=True``; reading with openpyxl is safe).
``read_raw(path, sheet, cells) -> {cell: RawCell}``
    The cell's XML as stored: type attribute, style, formula text, value text.
``check_file(path, *, what="workbook", formulas=False)``
    The checks every reader relies on, before openpyxl or `formulas` reads a file (every reader of
    this package opens files through the same checks): a password-protected workbook, a legacy .xls
    and an .xlsb are named as such; part names that climb out of the package, an XML part with a
    DOCTYPE, a package expanding beyond ``MAX_UNCOMPRESSED`` (2 GiB) or a part beyond ``MAX_RATIO``
    (100 times its compressed size) are refused; with ``formulas=True`` also any formula longer than
    Excel's ``MAX_FORMULA_CHARS`` (8,192 characters). Raises ``XlsxPatchError`` naming file and part.
``check_package(path) -> [problem, ...]``
    The usual causes of Excel's repair prompt, found without Excel (dangling parts and
    relationships, cells out of order, missing shared strings or styles, overlapping merges, ...).
``inventory(path) -> dict`` and ``assert_preserved(before, after, changed_parts=(), removed_parts=())``
    What must survive a write (sheets, defined names, validation and conditional-format counts,
    charts, drawings, images, VBA hash, and a hash of every zip member), and a check that it did.

Determinism: the output zip keeps the member order, timestamps and compression of the input, so
patching the same file twice with the same writes gives identical bytes.
"""

from .errors import EXCEL_ERRORS, XlsxPatchError
from .inventory import assert_preserved, check_package, inventory
from .names import name_writes, resolve_name, resolve_names
from .package import MAX_CELL_CHARS, MAX_FORMULA_CHARS, MAX_RATIO, MAX_UNCOMPRESSED, check_file, sheet_parts
from .patch import Cached, PatchReport, Text, patch_workbook, same_file
from .read import RawCell, read_cells, read_raw
from .refs import cells_in, col_letter, split_ref

__all__ = [
    "Cached",
    "Text",
    "EXCEL_ERRORS",
    "XlsxPatchError",
    "PatchReport",
    "RawCell",
    "patch_workbook",
    "resolve_name",
    "resolve_names",
    "name_writes",
    "read_cells",
    "read_raw",
    "inventory",
    "assert_preserved",
    "sheet_parts",
    "check_file",
    "MAX_FORMULA_CHARS",
    "MAX_CELL_CHARS",
    "MAX_UNCOMPRESSED",
    "MAX_RATIO",
    "same_file",
    "check_package",
    "cells_in",
    "split_ref",
    "col_letter",
]
