"""The headless host: xlkg's worksheet functions inside the `formulas` package (used by `xlkg recalc`).

What this adapter guarantees, whatever the workbook holds:

* Excel's function library is registered lazily. `formulas` imports every module of its library on
  first use, and its statistics module imports scipy.stats (about a second). Here the modules are
  loaded in two steps: everything but statistics first; statistics (and the compatibility module that
  depends on it) only when a formula names a function that is not found otherwise. The table gives
  the same function for every name as `formulas`' own: the modules are replayed in `formulas`' order.
* xlkg's error values are errors for the formulas around them. A worksheet function returns an error
  as its exact error text (one of `RETURNED_ERRORS`); that cell is handed to the engine as
  `formulas`' error value, so `ISNA(x)` is TRUE, `IFERROR(x, 0)` is 0 and `x+0` is #N/A, as in Excel.
  Error cells of an input range reach the function as their text, as in the other hosts.
* No other file is ever opened: `Model` refuses to load any workbook but the one it was given, so an
  external reference cannot pull another file's contents into the result (recalc keeps the value the
  workbook cached for it instead).
* No progress bar is drawn on stderr.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import importlib
import os
import types
from numbers import Number

import numpy as np

# The seven classic errors a worksheet function may return; that exact text is the error (every host).
from xlkg.excel.registry import RETURNED_ERRORS  # noqa: E402

# `formulas` turns an omitted argument (`=F(A1,,"en")`) into 0, which cannot be told from a typed 0.
# Omitted arguments of xlkg's functions are therefore marked with this text before evaluation, and
# the adapter passes None (the function's default), as xlwings does in Excel.
OMITTED = "\u2060xlkg:omitted\u2060"

# formulas' library modules in the order `formulas.functions.get_functions` loads them; the ones that
# import scipy are loaded only when needed.
_HEAVY = (".stat", ".comp")


class FunctionTable(collections.defaultdict):
    """`formulas`' function table, filled lazily: a name not found loads the rest of the library once.

    Behaves like the table `formulas.functions.get_functions()` returns (a defaultdict whose missing
    names give `not_implemented`, i.e. #NAME?), so every user of `formulas` in the process gets the same
    functions as before, only later."""

    def __init__(self, ff):
        super().__init__(lambda: ff.not_implemented)
        self._ff = ff
        self._extra: dict = {}  # registered by the host (xlkg's functions): kept over a reload
        self.complete = False
        self._load(tuple(m for m in ff.SUBMODULES if m not in _HEAVY))

    def _load(self, modules):
        ff = self._ff
        fresh = {}
        for name in modules:
            fresh.update(importlib.import_module(name, ff.__name__).FUNCTIONS)
        fresh.update(ff.FUNCTIONS)
        fresh.update(self._extra)
        dict.clear(self)
        dict.update(self, fresh)

    def load_all(self):
        if not self.complete:
            self.complete = True
            self._load(tuple(self._ff.SUBMODULES))

    def register(self, name, func):
        self._extra[name] = func
        dict.__setitem__(self, name, func)

    def __contains__(self, name):
        if dict.__contains__(self, name):
            return True
        if self.complete:
            return False
        self.load_all()
        return dict.__contains__(self, name)

    def __missing__(self, name):
        if not self.complete:
            self.load_all()
            if dict.__contains__(self, name):
                return dict.__getitem__(self, name)
        return super().__missing__(name)


_TABLE = None


def function_table():
    """The process's `formulas` function table (lazy, see `FunctionTable`); installed on first use."""
    global _TABLE
    if _TABLE is not None:
        return _TABLE
    import formulas.functions as ff

    getter = ff.get_functions
    info = getattr(getter, "cache_info", None)
    if info is not None and info().currsize:  # somebody already loaded the whole library: use it
        table = getter()
        _TABLE = table if isinstance(table, FunctionTable) else _wrap_full(table)
        return _TABLE
    table = FunctionTable(ff)

    @functools.wraps(getter)
    def get_functions():
        return table

    ff.get_functions = get_functions  # formulas looks the table up through this name at parse time
    import formulas

    if "get_functions" in vars(formulas):
        formulas.get_functions = get_functions
    _TABLE = table
    return table


def _wrap_full(table):
    """A complete table (already loaded by somebody else) with the same `register`/`load_all` face."""

    class Full:
        complete = True

        def register(self, name, func):
            table[name] = func

        def load_all(self):
            pass

        def __contains__(self, name):
            return name in table

    return Full()


# ---------------------------------------------------------------------------------------------- functions


def register_functions() -> list[str]:
    """Register every worksheet function of the registry with `formulas` (idempotent); returns the names.

    Ranges arrive as 2-D arrays (blanks as None, error cells as their text); the function's list of
    rows goes back as an array whose error texts are `formulas` error values, so an array formula
    fills its range and a single-cell formula takes the top-left value, as Excel does."""
    from formulas.functions import Array, wrap_func

    from xlkg.excel import registry

    table = function_table()
    if "INDEX" not in getattr(table, "_extra", {}):
        table.register("INDEX", _fast_index())
    block_cls = _block_class(Array)
    names = []
    for spec in registry.functions():
        table.register(spec.name, wrap_func(_adapter(spec.func, block_cls, spec.name)))
        names.append(spec.name)
    return names


def _fast_index():
    """formulas' INDEX with a short way for its usual call, INDEX(range, row, column) with numbers inside
    the range: formulas builds a reference for every cell of the range on each call (a 50 x 10 table
    costs 500 references per INDEX), here only the one cell's reference is built, the same object
    formulas would return. Every other call (row or column 0 or omitted, arrays of positions, several
    areas, out of range, errors) goes to formulas' own INDEX."""
    from formulas.functions import look, parse_ranges, wrap_func, wrap_impure_func
    from formulas.ranges import Ranges
    from formulas.tokens.operand import _index2col

    original = look.xindex
    entry = look.FUNCTIONS["INDEX"]

    def scalar(v):
        if isinstance(v, np.ndarray):
            if v.size != 1:
                return None
            v = v.ravel()[0]
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, Number):
            return None
        return v

    def xindex(array, row_num, col_num=None, area_num=1):
        if isinstance(array, Ranges) and not array.is_set and len(array.ranges) == 1 and col_num is not None:
            r, c, a = (scalar(v) for v in parse_ranges(row_num, col_num, area_num)[0])
            rng = array.ranges[0]
            if r is not None and c is not None and a == 1:
                r, c = int(r), int(c)
                rows, cols = int(rng["r2"]) - int(rng["r1"]) + 1, rng["n2"] - rng["n1"] + 1
                if 1 <= r <= rows and 1 <= c <= cols:
                    value = Ranges((rng,), array.values).value
                    row, n = int(rng["r1"]) + r - 1, rng["n1"] + c - 1
                    col = _index2col(n)
                    ref = f"{col}{row}"
                    sheet_id = rng["sheet_id"]
                    name = f"{sheet_id}!{ref}" if sheet_id else ref
                    return Ranges(values=dict(array.values)).set_value(
                        {"r1": row, "r2": row, "c1": col, "c2": col, "n1": n, "n2": n, "ref": ref, "name": name,
                         "sheet_id": sheet_id}, value[r - 1, c - 1])
        return original(array, row_num, col_num, area_num)

    xindex.__name__ = original.__name__
    return dict(entry, function=wrap_impure_func(wrap_func(xindex, ranges=True)))


_BLOCK_CLASSES: dict = {}


def _block_class(array_cls):
    """formulas' Array with Excel's rule for an array formula whose range differs from the result:
    the top-left part shows, cells beyond the result show #N/A, and a one-row (one-column) result
    repeats down (across). formulas' own fallback refills a 2-D block row by row into the range's
    shape, which scrambles a labelled block entered over a range of another size."""
    if array_cls in _BLOCK_CLASSES:
        return _BLOCK_CLASSES[array_cls]

    class Block(array_cls):
        def reshape(self, shape, *shapes, order="C"):
            target = tuple(shape) if not shapes and isinstance(shape, (tuple, list)) else (shape, *shapes)
            if self.ndim != 2 or len(target) != 2 or target == self.shape:
                return super().reshape(shape, *shapes, order=order)
            (h, w), (H, W) = self.shape, target
            src = np.asarray(self, dtype=object)
            src = np.repeat(src, H, axis=0) if h == 1 else src[:H]
            src = np.repeat(src, W, axis=1) if w == 1 else src[:, :W]
            res = np.empty(target, dtype=object)
            res[:, :] = getattr(self, "_default", "#N/A")
            res[: src.shape[0], : src.shape[1]] = src
            return res

    Block.__name__ = "XlkgBlock"
    _BLOCK_CLASSES[array_cls] = Block
    return Block


# Messages (a function's one-column block starting "NAME: ") seen while the engine evaluated, keyed by
# their first line; recalc names the formulas that showed them.
MESSAGES: dict[str, str] = {}


def message_of(block, names) -> str | None:
    """The message a function returned instead of a result (its block's text, lines joined), or None."""
    if not block or not block[0]:
        return None
    first = block[0][0]
    if not isinstance(first, str) or ": " not in first[:60]:
        return None
    if first.split(": ", 1)[0] not in names:
        return None
    if any(len([v for v in row if v not in ("", None)]) > 1 for row in block):
        return None  # a labelled result block, not a message
    from xlkg.excel import registry

    try:
        return registry.message_text([[row[0]] for row in block if row and row[0] not in ("", None)])
    except ValueError:
        return " ".join(str(row[0]) for row in block if row and row[0] not in ("", None))


def _adapter(fn, array_cls, name):
    from formulas.functions import Error

    errors = {e: Error.errors[e] for e in RETURNED_ERRORS if e in Error.errors}

    def call(*args):
        args = [_arg(a) for a in args]
        rows = fn(*args)
        width = max(len(r) for r in rows)
        out = np.empty((len(rows), width), dtype=object)
        out[:, :] = ""
        for i, r in enumerate(rows):
            out[i, : len(r)] = [errors.get(v, v) if isinstance(v, str) else v for v in r]
        msg = message_of(rows, {name})
        if msg is not None:
            MESSAGES[str(rows[0][0])] = msg
        return out.view(array_cls)

    call.__name__ = fn.__name__
    return call


def _arg(a):
    """A `formulas` argument as the worksheet function expects it: 2-D arrays stay arrays with blanks as
    None and error values as their text (as the other hosts deliver them), a 1x1 array of a literal
    becomes the scalar, the empty token of an omitted argument becomes None."""
    if isinstance(a, np.ndarray):
        if a.shape == (1, 1):
            v = a[0, 0]
            if is_empty(v) or (isinstance(v, str) and v == OMITTED):
                return None
            if isinstance(v, str):
                return str(v)
            if isinstance(v, (bool, np.bool_)) or isinstance(v, Number):
                return v
        out = np.asarray(a, dtype=object).copy()
        flat = out.ravel()
        for i, v in enumerate(flat):
            if isinstance(v, str) and type(v) is not str:
                flat[i] = None if is_empty(v) else str(v)
        return out
    if is_empty(a) or (isinstance(a, str) and a == OMITTED):
        return None
    if isinstance(a, str) and type(a) is not str:
        return str(a)
    return a


def plain_rows(value) -> list[list]:
    """A range's values as the engine computed them -> the list of rows a worksheet function receives
    (blanks None, error values as their text)."""
    arr = np.asarray(value, dtype=object)
    if arr.ndim < 2:
        arr = arr.reshape(1, -1)
    return [[None if is_empty(v) else (str(v) if isinstance(v, str) else v) for v in row] for row in arr.tolist()]


def is_empty(v) -> bool:
    """formulas' token for a blank cell (a str subclass whose text is "empty")."""
    return isinstance(v, str) and type(v) is not str and str(v) == "empty"


def na():
    """formulas' #N/A error value."""
    from formulas.functions import Error

    return Error.errors["#N/A"]


def is_error(v) -> bool:
    from formulas.tokens.operand import XlError

    return isinstance(v, XlError)


# ---------------------------------------------------------------------------------------------- the model


class ExternalWorkbookRefused(Exception):
    """Raised inside `formulas` when it tries to open another workbook; it then shows #REF!."""


def model_class():
    """`formulas.ExcelModel` that reads only the workbook it was given (see the module docstring)."""
    from formulas.excel import BOOK, ExcelModel

    class Model(ExcelModel):
        def __init__(self, book, path):
            super().__init__()
            self._path = os.path.abspath(str(path))
            self._own = os.path.basename(self._path)
            self._own_book = book

        def add_book(self, book=None, context=None, data_only=False):
            name = book if isinstance(book, str) else (context or {}).get("filename")
            if book is not None and not isinstance(book, str):
                raise ExternalWorkbookRefused("xlkg recalc evaluates one workbook")
            if name is None or not self._is_own(name):
                raise ExternalWorkbookRefused(f"{name}: xlkg recalc never opens another workbook")
            # the workbook was read already (and prepared by recalc): formulas must use that object
            self.books.setdefault(self._own.upper(), {}).setdefault(BOOK, self._own_book)
            return super().add_book(book, context, data_only)

        def _is_own(self, name):
            p = name.replace("\\", "/")
            if self.basedir is None:  # the first call names the workbook by its full path
                return os.path.abspath(p) == self._path
            while p.startswith("./"):
                p = p[2:]
            return p.upper() == self._own.upper()

    return Model


def add_constant_ranges(model, sheets: dict, busy: dict) -> int:
    """Give the engine each range its formulas read as one constant when no cell of it is evaluated by
    the engine (data cells, and xlkg's results already placed as constants).

    `formulas` would compile every cell of such a range one by one and assemble the range from them
    (a SUM over a row of ten numbers costs eleven nodes, an INDEX into a 50 x 10 table five hundred);
    the values are the same, read from the same workbook: numbers as formulas reads them (rounded to
    15 digits), error cells as error values, blanks as formulas' empty token. `sheets` is
    {sheet title casefolded: worksheet}, `busy` {sheet title casefolded: set of (row, col) of cells
    the engine evaluates}. Returns the number of ranges given as constants."""
    import schedula as sh
    from formulas.cell import Cell
    from formulas.functions import Error
    from formulas.ranges import Ranges

    own = model._own.upper()
    added = 0
    for cell in list(model.cells.values()):
        for name in list(cell.inputs or ()):
            if not isinstance(name, str) or name in model.cells:
                continue
            try:
                rng = Ranges.get_range(name)
            except Exception:
                continue
            if str(rng.get("filename", "")).upper() != own or "sheet" not in rng:
                continue
            ws = sheets.get(str(rng["sheet"]).casefold())
            r1, r2, c1, c2 = int(rng["r1"]), int(rng["r2"]), rng["n1"], rng["n2"]
            if ws is None or (r1 == r2 and c1 == c2) or (r2 - r1 + 1) * (c2 - c1 + 1) > 1_000_000:
                continue
            cells = busy.get(ws.title.casefold(), ())
            if any(r1 <= r <= r2 and c1 <= k <= c2 for r, k in cells):
                continue
            values = np.empty((r2 - r1 + 1, c2 - c1 + 1), dtype=object)
            values[:, :] = sh.EMPTY
            for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
                for c in row:
                    v = getattr(c, "value", None)
                    if v is None:
                        continue
                    t = c.data_type
                    if t == "f":
                        break  # a formula: leave the range to formulas
                    if t == "e":
                        v = Error.errors.get(str(v), v)
                    elif t == "n" and isinstance(v, float):
                        v = round(v, 15)
                    values[c.row - r1, c.column - c1] = v
                else:
                    continue
                break
            else:
                const = Cell(name, values)
                const.compile()
                if const.add(model.dsp):
                    model.cells[const.output] = const
                    added += 1
    return added


@contextlib.contextmanager
def quiet_progress():
    """No progress bar on stderr while `formulas` completes its model.

    `formulas.ExcelModel.complete` draws a tqdm bar through the name `tqdm` in its own module (and
    offers no switch). For the duration of the call that one name is pointed at a stand-in whose
    `tqdm(...)` is tqdm's own bar created with `disable=True`; tqdm itself and every other user of it
    are untouched, and the name is restored afterwards."""
    import tqdm as _tqdm
    from formulas.excel import ExcelModel

    glb = ExcelModel.complete.__globals__
    original = glb.get("tqdm")
    if original is not _tqdm:  # a formulas version that no longer uses tqdm this way: leave it alone
        yield
        return
    glb["tqdm"] = types.SimpleNamespace(tqdm=functools.partial(_tqdm.tqdm, disable=True))
    try:
        yield
    finally:
        glb["tqdm"] = original


def load_workbook(path):
    """The workbook as `formulas` reads it (dates as serial numbers), formulas as text."""
    from formulas.excel.xlreader import load_workbook as _load

    return _load(str(path))
