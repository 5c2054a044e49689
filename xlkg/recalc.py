"""`xlkg recalc IN.xlsx -o OUT.xlsx`: evaluate every formula of a workbook without Excel.

The formulas are evaluated with the `formulas` package, with xlkg's worksheet functions registered
from the registry; the results are then written as cached values into a byte-for-byte copy of the
ORIGINAL workbook (`xlkg.xlsx`), so every formula, style, defined name, sheet, chart and macro is
kept, the file shows the results in any viewer, and Excel still recalculates it.

* Add-in prefixes that Excel writes into files are understood: `[1]!LOCALIZATION(` (a classic add-in
  function, with an external-link part) and `_xldudf_LOCALIZATION(` (an Office.js custom function,
  also with a namespace `_xldudf_NS_LOCALIZATION(`). They are rewritten for evaluation only; the file
  keeps them.
* An array formula (a CSE array, or an Excel 365 dynamic array, which files store as an array formula
  over the spill range) gets a cached value in every cell of its range.
* Errors are per cell: a formula that cannot be read or evaluated gets an Excel error value as its
  cached result (and is listed in the report); the rest of the workbook is computed.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import time
from dataclasses import dataclass, field
from numbers import Number
from pathlib import Path

import numpy as np

from xlkg.core.result import InputError
from xlkg.xlsx import EXCEL_ERRORS, Cached, patch_workbook, same_file


def register_formulas() -> list[str]:
    """Register every worksheet function of the registry with `formulas` (idempotent).

    Ranges arrive as 2-D numpy arrays (blanks as the package's empty token); the function's list of
    rows is returned as a formulas Array, so an array formula fills its range and a single-cell
    formula takes the top-left value, as Excel does. Returns the names registered."""
    import formulas
    from formulas.functions import Array, wrap_func

    from xlkg.excel import registry

    table = formulas.get_functions()
    names = []
    block_cls = _block_class(Array)
    for spec in registry.functions():
        table[spec.name] = wrap_func(_adapter(spec.func, block_cls))
        names.append(spec.name)
    return names


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


def _adapter(fn, array_cls):
    def call(*args):
        args = [_arg(a) for a in args]
        rows = fn(*args)
        width = max(len(r) for r in rows)
        out = np.empty((len(rows), width), dtype=object)
        out[:, :] = ""
        for i, r in enumerate(rows):
            out[i, : len(r)] = r
        return out.view(array_cls)

    call.__name__ = fn.__name__
    return call


def _arg(a):
    """A `formulas` argument as the worksheet function expects it: 2-D arrays stay arrays (cells.py
    reads them), a 1x1 array of a literal becomes the scalar, the empty token of an omitted
    argument becomes None."""
    if isinstance(a, np.ndarray):
        if a.shape == (1, 1):
            v = a[0, 0]
            if _is_empty(v) or (isinstance(v, str) and v == OMITTED):
                return None
            if isinstance(v, str) or isinstance(v, (bool, np.bool_)) or isinstance(v, Number):
                return v
        return a
    if _is_empty(a) or (isinstance(a, str) and a == OMITTED):
        return None
    return a


def _is_empty(v) -> bool:
    return isinstance(v, str) and type(v) is not str and str(v) == "empty"


def rewrite_prefixes(formula: str, names) -> str:
    """`=[1]!LOCALIZATION(A1:C9)` -> `=LOCALIZATION(A1:C9)`; `_xldudf_LOCALIZATION(` and
    `_xldudf_NS_LOCALIZATION(` (an Office.js namespace) likewise; `xlkg.xlam!LOCALIZATION(` too.
    Only the names of xlkg's worksheet functions are touched."""
    if "!" not in formula and "_xldudf_" not in formula.lower():
        return formula
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    formula = re.sub(r"(?:\[\d+\]|'[^']*'|[\w.\-]+\.xlam?)!(?=(?:" + alt + r")\()", "", formula,
                     flags=re.IGNORECASE)
    return re.sub(r"_xldudf_(?:[A-Za-z]\w*?[._])??(?=(?:" + alt + r")\()", "", formula, flags=re.IGNORECASE)


# `formulas` turns an omitted argument (`=F(A1,,"en")`) into 0, which cannot be told from a typed 0.
# Omitted arguments of xlkg's functions are therefore marked with this text before evaluation, and
# the adapter passes None (the function's default), as xlwings does in Excel.
OMITTED = "\u2060xlkg:omitted\u2060"


def mark_omitted(formula: str, names) -> str:
    """Mark empty arguments of xlkg's functions: `=LOCALIZATION(A1:C9,,,,"en")` ->
    `=LOCALIZATION(A1:C9,"<omitted>","<omitted>","<omitted>","en")` (evaluation only)."""
    if not re.search(r"\(\s*,|,\s*,|,\s*\)", formula):
        return formula
    from openpyxl.formula.tokenizer import Token, Tokenizer

    try:
        tokens = Tokenizer(formula).items
    except Exception:
        return formula
    names = {n.upper() for n in names}
    out, stack = [], []
    mark = Token(f'"{OMITTED}"', Token.OPERAND, Token.TEXT)
    prev = None  # last non-whitespace token
    for tok in tokens:
        if tok.type == Token.WSPACE:
            out.append(tok)
            continue
        ours = bool(stack) and stack[-1]
        if tok.type == Token.FUNC and tok.subtype == Token.CLOSE:
            if ours and prev is not None and prev.type == Token.SEP and prev.subtype == Token.ARG:
                out.append(mark)
            stack.pop() if stack else None
        elif tok.type == Token.SEP and tok.subtype == Token.ARG and ours:
            if prev is not None and ((prev.type == Token.SEP and prev.subtype == Token.ARG)
                                     or (prev.type == Token.FUNC and prev.subtype == Token.OPEN)):
                out.append(mark)
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            stack.append(tok.value[:-1].upper() in names)
        elif tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            stack.append(False)
        elif tok.type == Token.PAREN and tok.subtype == Token.CLOSE and stack:
            stack.pop()
        out.append(tok)
        prev = tok
    return "=" + "".join(t.value for t in out)


@dataclass
class RecalcReport:
    dst: Path
    formula_cells: int = 0
    cells_written: int = 0
    errors: dict = field(default_factory=dict)  # (sheet, cell) -> error shown in that cell
    direct_cells: int = 0  # formulas evaluated directly (one xlkg call on data ranges)
    seconds: dict = field(default_factory=dict)


def _cached(v):
    """A computed value as xlkg.xlsx stores it: numbers, booleans, text; errors as their text."""
    from formulas.tokens.operand import XlError

    if isinstance(v, XlError):
        return str(v)
    if _is_empty(v) or v is None:
        return 0.0  # a formula that points at a blank cell shows 0 in Excel
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, Number):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            return "#NUM!"
        return f
    return str(v)


def _solution_index(solution) -> dict:
    """{(SHEET upper-cased, 'A1' or 'A1:C9'): 2-D array of values}."""
    out = {}
    pat = re.compile(r"^'?\[(?P<book>[^\]]*)\](?P<sheet>.*?)'?!(?P<ref>[A-Z]+\d+(?::[A-Z]+\d+)?)$")
    for key, value in solution.items():
        m = pat.match(str(key))
        if not m:
            continue
        val = getattr(value, "value", value)
        out[(m.group("sheet").replace("''", "'"), m.group("ref"))] = val
    return out


def _literal(tok):
    """The value of a literal operand token, or raise ValueError."""
    from openpyxl.formula.tokenizer import Token

    if tok.subtype == Token.TEXT:
        text = tok.value[1:-1].replace('""', '"')
        return None if text == OMITTED else text
    if tok.subtype == Token.NUMBER:
        v = float(tok.value)
        return int(v) if v.is_integer() and "." not in tok.value and "e" not in tok.value.lower() else v
    if tok.subtype == Token.LOGICAL:
        return tok.value.upper() == "TRUE"
    raise ValueError(tok.value)


_REF = re.compile(r"^(?:(?:'(?P<q>(?:[^']|'')+)'|(?P<s>[^'!:]+))!)?"
                  r"(?P<a>\$?[A-Za-z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Za-z]{1,3}\$?\d+))?$")


def _direct_call(text: str, names: set):
    """`=NAME(arg, ...)` with NAME one of ours and every argument a literal, an omitted argument or a
    plain cell range: (NAME, [("ref", sheet or None, "A1:B2") | ("lit", value)]); None otherwise."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    try:
        tokens = [t for t in Tokenizer(text).items if t.type != Token.WSPACE]
    except Exception:
        return None
    if len(tokens) < 2 or tokens[0].type != Token.FUNC or tokens[0].subtype != Token.OPEN:
        return None
    name = tokens[0].value[:-1].upper()
    if name not in names or tokens[-1].type != Token.FUNC or tokens[-1].subtype != Token.CLOSE:
        return None
    args, current = [], []
    for tok in tokens[1:-1]:
        if tok.type == Token.SEP and tok.subtype == Token.ARG:
            args.append(current)
            current = []
        else:
            current.append(tok)
    if current or args:
        args.append(current)
    out = []
    for arg in args:
        if not arg:
            out.append(("lit", None))
            continue
        if len(arg) != 1 or arg[0].type != Token.OPERAND:
            return None
        tok = arg[0]
        if tok.subtype == Token.RANGE:
            m = _REF.match(tok.value)
            if not m:
                return None  # a defined name or another kind of reference: left to `formulas`
            sheet = (m.group("q") or "").replace("''", "'") or m.group("s")
            ref = m.group("a").replace("$", "") + (":" + m.group("b").replace("$", "") if m.group("b") else "")
            out.append(("ref", sheet, ref.upper()))
        else:
            try:
                out.append(("lit", _literal(tok)))
            except ValueError:
                return None
    return name, out


def recalc(src, dst, *, overwrite: bool = False, direct: bool = True) -> RecalcReport:
    """Evaluate every formula of `src` and write a copy to `dst` carrying the results as cached values.

    Formulas that are one call of an xlkg function on plain ranges of data cells and literals (the way
    the functions are meant to be used: one array formula per table) are evaluated directly, identical
    calls once; every other formula (Excel's own functions, nested calls, references to formula
    results) is evaluated by the `formulas` engine, which sees the direct results as values."""
    import formulas
    import schedula as sh
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    from xlkg.excel import registry

    src, dst = Path(src), Path(dst)
    if not src.exists():
        raise FileNotFoundError(f"{src}: no such workbook")
    if not overwrite and same_file(src, dst):
        raise InputError(f"output {dst.name} is the input workbook itself; choose another file or pass "
                         f"overwrite=True")
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"{src.name}: xlkg recalc reads .xlsx and .xlsm workbooks")
    t0 = time.perf_counter()
    names = register_formulas()
    name_set = set(names)
    report = RecalcReport(dst)

    model = formulas.ExcelModel()
    try:
        book, ctx = model.add_book(str(src.resolve()))
    except Exception as exc:  # not a workbook formulas can read
        raise InputError(f"{src.name}: cannot read the workbook ({type(exc).__name__}: {exc})") from exc
    t_load = time.perf_counter()

    # Every formula cell of the original: (sheet title, anchor, ref of its range, formula text).
    formula_cells = []
    in_formula: dict = {}  # sheet -> set of (row, col) holding a formula or lying in an array range
    for ws in book.worksheets:
        arrays = dict(getattr(ws, "array_formulae", {}) or {})
        cells_here = in_formula.setdefault(ws.title, set())
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                val = c.value
                text = val if isinstance(val, str) else getattr(val, "text", None)
                if text is None:
                    continue
                new = mark_omitted(rewrite_prefixes(text, names), names)
                if new != text:
                    if isinstance(val, str):
                        c.value = new
                    else:
                        val.text = new
                ref = arrays.get(c.coordinate, c.coordinate)
                formula_cells.append((ws.title, c.coordinate, ref, new))
                c1, r1, c2, r2 = range_boundaries(ref)
                cells_here.update((r, k) for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))

    # Direct evaluation of one-call formulas on data cells.
    done: dict = {}  # (sheet, anchor) -> 2-D list of values, evaluated directly
    memo: dict = {}
    by_title = {ws.title.casefold(): ws for ws in book.worksheets}
    for sheet, anchor, ref, text in formula_cells:
        call = _direct_call(text, name_set) if direct and any(n in text.upper() for n in name_set) else None
        if call is None:
            continue
        name, args = call
        values, key, ok = [], [name], True
        for arg in args:
            if arg[0] == "lit":
                values.append(arg[1])
                key.append(("lit", arg[1]))
                continue
            ws = by_title.get((arg[1] or sheet).casefold())
            if ws is None:
                ok = False
                break
            c1, r1, c2, r2 = range_boundaries(arg[2])
            busy = in_formula.get(ws.title, ())
            if any((r, k) in busy for r in range(r1, r2 + 1) for k in range(c1, c2 + 1)):
                ok = False  # it reads formula results: the engine orders the evaluation
                break
            rk = ("ref", ws.title, arg[2])
            key.append(rk)
            if rk not in memo:
                memo[rk] = [list(r) for r in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2,
                                                          values_only=True)]
            values.append(memo[rk])
        if not ok:
            continue
        key = tuple(key)
        if key not in memo:
            memo[key] = registry.get(name).func(*values)
        done[(sheet, anchor)] = memo[key]
    # The engine sees the direct results as plain values.
    for sheet, anchor, ref, _ in formula_cells:
        block = done.get((sheet, anchor))
        if block is None:
            continue
        ws = by_title[sheet.casefold()]
        c1, r1, c2, r2 = range_boundaries(ref)
        for r in range(r1, r2 + 1):
            for k in range(c1, c2 + 1):
                v = _fill(block, r - r1, k - c1)
                cell = ws.cell(r, k)
                cell.value = v
                if isinstance(v, str):
                    cell.data_type = "s"
    t_direct = time.perf_counter()

    # Compile the rest cell by cell, so that one formula the engine cannot read spoils only its cell.
    bad: dict = {}
    rest = [fc for fc in formula_cells if (fc[0], fc[1]) not in done]
    index = {}
    if rest:
        for ws in book.worksheets:
            wsx, cctx = model.add_sheet(ws, ctx)
            references = model.references
            formula_references = model.formula_references(cctx)
            formula_ranges = model.formula_ranges(cctx)
            cctx2 = {"external_links": model.external_links(cctx)}
            cctx2.update(cctx)
            for row in wsx.iter_rows():
                for c in row:
                    if not hasattr(c, "value"):
                        continue
                    try:
                        cell = sh.await_result(model.compile_cell(c, cctx2, references, formula_references))
                        model.add_cell(cell, cctx2, formula_ranges)
                    except Exception as exc:
                        bad[(ws.title, c.coordinate)] = ("#NAME?", f"{type(exc).__name__}: {exc}")
        with _quiet_progress():
            model.finish()
    t_build = time.perf_counter()
    if rest:
        index = _solution_index(model.calculate())
    t_calc = time.perf_counter()

    writes: dict = {}
    for sheet, anchor, ref, _ in formula_cells:
        target = writes.setdefault(sheet, {})
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if (sheet, anchor) in bad:
            err = bad[(sheet, anchor)][0]
            for r in range(min_row, max_row + 1):
                for col in range(min_col, max_col + 1):
                    target[f"{get_column_letter(col)}{r}"] = Cached(err)
                    report.errors[(sheet, f"{get_column_letter(col)}{r}")] = bad[(sheet, anchor)][1]
            continue
        block = done.get((sheet, anchor))
        if block is not None:
            arr = None
        else:
            value = index.get((sheet.upper(), ref))
            if value is None:
                value = index.get((sheet.upper(), anchor))
            if value is None:
                arr = np.array([["#N/A"]], dtype=object)
                report.errors[(sheet, anchor)] = "not evaluated"
            else:
                arr = np.asarray(value, dtype=object)
                if arr.ndim == 0:
                    arr = arr.reshape(1, 1)
        for r in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                i, j = r - min_row, col - min_col
                if arr is None:
                    v = _fill(block, i, j)
                else:
                    v = arr[i, j] if i < arr.shape[0] and j < arr.shape[1] else "#N/A"
                cached = _cached(v)
                addr = f"{get_column_letter(col)}{r}"
                target[addr] = Cached(cached)
                if isinstance(cached, str) and cached.upper() in EXCEL_ERRORS:
                    report.errors[(sheet, addr)] = cached
    report.formula_cells = sum(len(v) for v in writes.values())
    report.direct_cells = sum(1 for fc in formula_cells if (fc[0], fc[1]) in done)
    patch = patch_workbook(src, dst, writes, overwrite=overwrite)
    report.cells_written = patch.cells_written
    t_write = time.perf_counter()
    report.seconds = {"load": t_load - t0, "direct": t_direct - t_load, "build": t_build - t_direct,
                      "calculate": t_calc - t_build, "write": t_write - t_calc, "total": t_write - t0}
    return report


def _fill(block, i, j):
    """Cell (i, j) of an array range filled by `block`, as Excel fills a CSE range: a 1x1 result repeats,
    cells beyond the result show #N/A."""
    if len(block) == 1 and len(block[0]) == 1:
        return block[0][0]
    if i < len(block) and j < len(block[i]):
        return block[i][j]
    return "#N/A"


@contextlib.contextmanager
def _quiet_progress():
    """No progress bar on stderr while `formulas` completes its model.

    `formulas.ExcelModel.complete` draws a tqdm bar through the name `tqdm` in its own module (and
    offers no switch). For the duration of the call that one name is pointed at a stand-in whose
    `tqdm(...)` is tqdm's own bar created with `disable=True`; tqdm itself and every other user of it
    are untouched, and the name is restored afterwards."""
    import types

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


def recalc_cli(args) -> int:
    """Entry point of `xlkg recalc` (args: input, output, overwrite)."""
    overwrite = getattr(args, "overwrite", False)
    src, dst = Path(args.input), Path(args.output)
    if not overwrite and src.exists() and same_file(src, dst):
        raise InputError(f"output {dst.name} is the input workbook itself; choose another file (-o) or add "
                         f"--overwrite")
    report = recalc(src, dst, overwrite=overwrite)
    print(f"wrote {report.dst}: {report.formula_cells} formula cells evaluated in "
          f"{report.seconds['total']:.2f} s")
    if report.errors:
        shown = list(report.errors.items())[:10]
        print(f"{len(report.errors)} cell(s) show an error value:")
        for (sheet, cell), why in shown:
            print(f"  {sheet}!{cell}: {why}")
        if len(report.errors) > len(shown):
            print(f"  ... and {len(report.errors) - len(shown)} more")
    return 0

