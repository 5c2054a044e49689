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
* xlkg's errors are errors for the formulas around them: `ISNA(x)`, `IFERROR(x, 0)` and `x+0` cache
  what Excel computes (TRUE, 0, #N/A).
* Another file is never opened: a formula that reads another workbook keeps the value the workbook
  cached for it, and the report lists it as not refreshed.
* Whole-column and whole-sheet references (`Data!A:H`, `A1:XFD1048576`) are read as the cells that
  exist, so the cost follows the data, not the address. A formula longer than Excel's 8,192
  characters is refused (Excel would not open the file).
* The report names every formula that returned a message instead of a result, with the message, and
  every array formula whose range shows only part of its result.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from numbers import Number
from pathlib import Path

import numpy as np

from xlkg.core.result import InputError
from xlkg.excel.formulas_host import OMITTED
from xlkg.output import check_destination
from xlkg.xlsx import EXCEL_ERRORS, MAX_FORMULA_CHARS, Cached, Text, check_file, patch_workbook, same_file
from xlkg.xlsx.refs import col_letter, col_number


def register_formulas() -> list[str]:
    """Register every worksheet function of the registry with `formulas` (idempotent); returns the names.
    See `xlkg.excel.formulas_host`."""
    from xlkg.excel.formulas_host import register_functions

    return register_functions()


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


# Excel's specification: "Length of formula contents: 8,192 characters" (xlkg.xlsx.MAX_FORMULA_CHARS).
# Excel does not open a file holding a longer formula, so neither does xlkg recalc.
# A reference is read as the cells that exist when it names whole columns or rows (Data!A:H, 1:5) or
# reaches past the last used row or column and spans more than this many cells (A1:XFD1048576).
CLIP_CELLS = 100_000
SHEET_ROWS, SHEET_COLS = 1048576, 16384


@dataclass
class RecalcReport:
    dst: Path
    formula_cells: int = 0
    cells_written: int = 0
    errors: dict = field(default_factory=dict)  # (sheet, cell) -> error shown in that cell
    direct_cells: int = 0  # formulas evaluated directly (one xlkg call on data ranges)
    messages: dict = field(default_factory=dict)  # (sheet, anchor) -> (formula, the function's message)
    not_refreshed: dict = field(default_factory=dict)  # (sheet, anchor) -> formula with an external reference
    cut: dict = field(default_factory=dict)  # (sheet, anchor) -> what of the result the range does not show
    clipped: dict = field(default_factory=dict)  # (sheet, anchor) -> [(reference as typed, as read)]
    engine_cells: int = 0  # formula cells the `formulas` engine compiled
    engine: str = ""  # what computed the native formulas: "formulas", "libreoffice" or "" (none needed)
    notes: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)


def _cached(v, *, returned_by_xlkg: bool = False):
    """A computed value as xlkg.xlsx stores it: numbers, booleans, text; errors as their text.

    Text that reads like an error is an error only when it is `formulas`' error value or an xlkg
    function returned it (the hosts' rule); a native formula's text "#N/A" stays text."""
    from xlkg.excel.formulas_host import RETURNED_ERRORS, is_empty, is_error

    if is_error(v) or isinstance(v, _Error):
        return str(v)
    if v is None or is_empty(v):
        return 0.0  # a formula that points at a blank cell shows 0 in Excel
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, Number):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            return "#NUM!"
        return f
    v = str(v)
    if v in EXCEL_ERRORS and not (returned_by_xlkg and v in RETURNED_ERRORS):
        return Text(v)
    return v


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


# ---------------------------------------------------------------------------------------------- references

_STRING = re.compile(r'"(?:[^"]|"")*"')
# another workbook: [1]Sheet!A1, '[1]My sheet'!A1, [1]!Name, 'C:\dir\[book.xlsx]Sheet'!A1
_EXTERNAL = re.compile(r"'(?:[^']|'')*\[[^\]']*\](?:[^']|'')*'!|\[[^\]]*\][\w.\u00a0-\uffff]*!")
_AREA = re.compile(
    r"(?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_\u00a0-\uffff][\w.\u00a0-\uffff]*)!)?"
    r"(?<![\w.$:])(?P<a>\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+):(?P<b>\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+)"
    r"(?![\w.(!])"
)


# A cheap first look: a column-only or row-only end (A:H, 1:5), a three-letter column or a five-digit row.
_MAYBE_BIG = re.compile(r":\$?[A-Za-z]{1,3}(?![\w$])|\d:\$?\d|[A-Za-z]{3}\$?\d|\d{5}")


def _mask_strings(text: str) -> str:
    """The formula with the contents of its text literals blanked (same length), so that a reference
    is never looked for inside quotes."""
    return _STRING.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)


def is_external(text: str, external_names=()) -> bool:
    """Whether a formula reads another workbook (directly or through a defined name that does)."""
    if "[" in text:
        if _EXTERNAL.search(_mask_strings(text)):
            return True
    if external_names:
        upper = text.upper()
        for name in external_names:
            if name in upper and re.search(r"(?<![\w.])" + re.escape(name) + r"(?![\w.(])",
                                           _mask_strings(text).upper()):
                return True
    return False


def _corner(text: str):
    """'$B$7' -> (7, 2); 'B' -> (None, 2); '7' -> (7, None)."""
    t = text.replace("$", "")
    m = re.fullmatch(r"([A-Za-z]{1,3})?(\d+)?", t)
    col = col_number(m.group(1)) if m.group(1) else None
    row = int(m.group(2)) if m.group(2) else None
    return row, col


def clip_references(text: str, sheet: str, extents: dict) -> tuple[str, list]:
    """Whole-column, whole-row and oversized references read as the cells that exist.

    `extents` is {sheet title casefolded: (last used row, last used column)}. A reference is clipped
    when it names whole columns or rows (`Data!A:H`, `1:5`), or reaches past the last used row or
    column and spans more than CLIP_CELLS cells (`A1:XFD1048576`); it then ends at the last used row
    and column (never before it starts). Cells beyond the used ones are blank, so every function that
    skips blanks (SUM, xlkg's tables) gives what it gives on the whole reference; one that counts the
    range's size (ROWS, COLUMNS) sees the clipped one. Returns (formula, [(as typed, as read)])."""
    if ":" not in text or not _MAYBE_BIG.search(text):
        return text, []
    masked = _mask_strings(text)
    out, pos, notes = [], 0, []
    for m in _AREA.finditer(masked):
        (r1, c1), (r2, c2) = _corner(m.group("a")), _corner(m.group("b"))
        if (r1 is None) != (r2 is None) or (c1 is None) != (c2 is None):
            continue  # not a reference (e.g. a time such as 10:30 would not parse here anyway)
        whole = r1 is None or c1 is None
        r1, r2 = (1, SHEET_ROWS) if r1 is None else (min(r1, r2), max(r1, r2))
        c1, c2 = (1, SHEET_COLS) if c1 is None else (min(c1, c2), max(c1, c2))
        prefix = m.group("sheet") or ""
        name = prefix[:-1]
        name = name[1:-1].replace("''", "'") if name.startswith("'") else name
        ext = extents.get((name or sheet).casefold())
        if ext is None:
            continue
        max_row, max_col = ext
        big = whole or ((r2 > max_row or c2 > max_col) and (r2 - r1 + 1) * (c2 - c1 + 1) > CLIP_CELLS)
        if not big:
            continue
        r2, c2 = min(r2, max(r1, max_row)), min(c2, max(c1, max_col))
        new = f"{prefix}{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"
        notes.append((text[m.start():m.end()], new))
        out.append(text[pos:m.start()])
        out.append(new)
        pos = m.end()
    if not notes:
        return text, []
    out.append(text[pos:])
    return "".join(out), notes


def _raw_value(raw):
    """A cached value as stored in the sheet XML (xlkg.xlsx.read_raw) -> Python (errors as text)."""
    if raw is None or raw.value is None:
        return None
    if raw.t == "e":
        return raw.value
    if raw.t == "b":
        return raw.value in ("1", "true")
    if raw.t in ("str", "inlineStr", "s"):
        return raw.value
    try:
        return float(raw.value)
    except ValueError:
        return raw.value


def _set_constant(cell, value):
    """Put a value into a cell of the workbook `formulas` reads, typed as Excel would store it, so that
    an error stays an error for the formulas that read it."""
    if isinstance(value, Text):
        cell.value, cell.data_type = value.value, "s"
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "e" if value in EXCEL_ERRORS else "s"


# ---------------------------------------------------------------------------------------------- recalc


ENGINES = ("formulas", "libreoffice")


def recalc(src, dst, *, overwrite: bool = False, direct: bool = True, engine: str = "formulas") -> RecalcReport:
    """Evaluate every formula of `src` and write a copy to `dst` carrying the results as cached values.

    Formulas that are one call of an xlkg function on plain ranges of data cells and literals (the way
    the functions are meant to be used: one array formula per table) are evaluated directly, identical
    calls once; formulas that read another workbook keep the value the workbook cached (no other file
    is ever opened); every other formula (Excel's own functions, nested calls, references to formula
    results) is evaluated by the `formulas` engine, which compiles only those formulas and the cells
    they read, and sees the direct results and the kept values as constants.

    `engine="libreoffice"` has LibreOffice (headless, a private profile) compute the native formulas
    instead, on a throw-away copy in which xlkg's results are constants; it is used when no formula
    left calls an xlkg function and the workbook links no other workbook (else the `formulas` engine
    runs, and the report says why)."""
    from xlkg.excel import formulas_host as host
    from xlkg.xlsx import read_raw

    src, dst = Path(src), Path(dst)
    if not src.exists():
        raise FileNotFoundError(f"{src}: no such workbook")
    if not overwrite and same_file(src, dst):
        raise InputError(f"output {dst.name} is the input workbook itself; choose another file or pass "
                         f"overwrite=True")
    check_destination(dst, overwrite=overwrite, hint="overwrite=True")  # a folder, or an existing file
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"{src.name}: xlkg recalc reads .xlsx and .xlsm workbooks")
    if engine not in ENGINES:
        raise InputError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}")
    check_file(src)  # password-protected, .xls, zip bombs, parts outside the package, DOCTYPEs: refused here
    t0 = time.perf_counter()
    names = _function_names()
    name_set = set(names)
    upper_names = tuple(n.upper() for n in names)
    report = RecalcReport(dst)
    host.MESSAGES.clear()

    try:
        book = host.load_workbook(src.resolve())
    except Exception as exc:  # not a workbook that can be read
        raise InputError(f"{src.name}: cannot read the workbook ({type(exc).__name__}: {exc})") from exc
    t_load = time.perf_counter()

    extents = {ws.title.casefold(): (ws.max_row, ws.max_column) for ws in book.worksheets}
    by_title = {ws.title.casefold(): ws for ws in book.worksheets}
    external_names = set()
    for dn in _defined_names(book):
        value = dn.attr_text or ""
        if is_external(value):
            external_names.add(dn.name.upper())
        elif ":" in value:
            first = book.worksheets[0].title
            clipped, notes = clip_references(value, first, extents)
            if notes:
                dn.attr_text = clipped

    # Every formula cell of the original: (sheet title, anchor, ref of its range, formula as evaluated).
    formula_cells = []
    original_text = {}
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
                if len(text) - text.startswith("=") > MAX_FORMULA_CHARS:
                    raise InputError(
                        f"{src.name}, sheet {ws.title!r}, cell {c.coordinate}: the formula has "
                        f"{len(text) - 1:,} characters; Excel's limit is {MAX_FORMULA_CHARS:,}, so Excel would "
                        f"not open this workbook, and xlkg recalc does not evaluate it")
                new = text
                if "(" in text and any(n in text.upper() for n in upper_names):
                    new = mark_omitted(rewrite_prefixes(text, names), names)
                new, notes = clip_references(new, ws.title, extents)
                if notes:
                    report.clipped[(ws.title, c.coordinate)] = notes
                if new != text:
                    if isinstance(val, str):
                        c.value = new
                    else:
                        val.text = new
                ref = arrays.get(c.coordinate, c.coordinate)
                r1, c1, r2, c2 = _bounds(ref)
                max_row, max_col = extents[ws.title.casefold()]
                if (r2 > max_row or c2 > max_col) and (r2 - r1 + 1) * (c2 - c1 + 1) > CLIP_CELLS:
                    # an array formula entered over whole columns or the whole sheet: its cells that exist
                    r2, c2 = min(r2, max(r1, max_row)), min(c2, max(c1, max_col))
                    clipped = f"{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"
                    report.clipped.setdefault((ws.title, c.coordinate), []).append((f"range {ref}", clipped))
                    ref = clipped
                    if not isinstance(val, str):
                        val.ref = ref
                formula_cells.append((ws.title, c.coordinate, ref, new))
                original_text[(ws.title, c.coordinate)] = text
                if r1 == r2 and c1 == c2:
                    cells_here.add((r1, c1))
                else:
                    cells_here.update((r, k) for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))

    # Formulas that read another workbook keep the value the workbook cached for them.
    kept: dict = {}  # (sheet, anchor) -> {(row, col): cached value}
    linked = [fc for fc in formula_cells if is_external(fc[3], external_names)]
    wanted: dict = {}  # sheet -> cells whose cached values are read (once per sheet)
    for sheet, _anchor, ref, _ in linked:
        r1, c1, r2, c2 = _bounds(ref)
        wanted.setdefault(sheet, []).extend(f"{col_letter(k)}{r}" for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))
    raw = {sheet: read_raw(src, sheet, cells) for sheet, cells in wanted.items()}
    for sheet, anchor, ref, _ in linked:
        r1, c1, r2, c2 = _bounds(ref)
        kept[(sheet, anchor)] = {(r, k): _raw_value(raw[sheet][f"{col_letter(k)}{r}"])
                                 for r in range(r1, r2 + 1) for k in range(c1, c2 + 1)}
        report.not_refreshed[(sheet, anchor)] = original_text[(sheet, anchor)]

    # Direct evaluation of one-call formulas on data cells.
    from xlkg.excel import registry

    done: dict = {}  # (sheet, anchor) -> 2-D list of values, evaluated directly
    memo: dict = {}
    owner: dict = {}  # (sheet, row, col) of a cell in a formula's range -> (sheet, anchor)
    pending = []
    for sheet, anchor, ref, text in formula_cells:
        if direct and (sheet, anchor) not in kept and any(n in text.upper() for n in upper_names):
            call = _direct_call(text, name_set)
            if call is not None:
                pending.append((sheet, anchor, ref, call))
    for sheet, anchor, ref, _ in formula_cells:
        r1, c1, r2, c2 = _bounds(ref)
        if pending and (r2 - r1 + 1) * (c2 - c1 + 1) <= 1_000_000:
            owner.update(((sheet, r, k), (sheet, anchor)) for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))

    def place(key, ref, block, old):
        ws = by_title[key[0].casefold()]
        r1, c1, r2, c2 = _bounds(ref)
        for r in range(r1, r2 + 1):
            for k in range(c1, c2 + 1):
                _set_constant(ws.cell(r, k), _fill(block, r - r1, k - c1) if block is not None else old[(r, k)])

    for key, ref in ((k, fc[2]) for fc in formula_cells if (k := (fc[0], fc[1])) in kept):
        place(key, ref, None, kept[key])
    direct_keys = {(p[0], p[1]) for p in pending}
    # One-call formulas on data cells first; then, pass by pass, those whose ranges hold the results of
    # formulas already evaluated (a chain of xlkg blocks is evaluated without the engine).
    progress = True
    while pending and progress:
        progress, waiting = False, []
        for item in pending:
            sheet, anchor, ref, (name, args) = item
            values, key, state = [], [name], "ok"
            for arg in args:
                if arg[0] == "lit":
                    values.append(arg[1])
                    key.append(("lit", arg[1]))
                    continue
                ws = by_title.get((arg[1] or sheet).casefold())
                if ws is None:
                    state = "engine"
                    break
                r1, c1, r2, c2 = _bounds(arg[2])
                if _overlaps(in_formula.get(ws.title, ()), r1, c1, r2, c2):
                    owners = {owner.get((ws.title, r, k)) for (r, k) in in_formula[ws.title]
                              if r1 <= r <= r2 and c1 <= k <= c2}
                    if None in owners or (sheet, anchor) in owners:
                        state = "engine"  # reads itself, or cells the map does not cover
                        break
                    if any(o not in done for o in owners):
                        state = "wait" if all(o in direct_keys for o in owners) else "engine"
                        if state == "engine":
                            break
                        continue
                rk = ("ref", ws.title, arg[2])
                key.append(rk)
                if rk not in memo:
                    memo[rk] = [[_plain(v) for v in r] for r in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1,
                                                                               max_col=c2, values_only=True)]
                values.append(memo[rk])
            if state == "wait":
                waiting.append(item)
                continue
            if state != "ok":
                continue
            key = tuple(key)
            if key not in memo:
                memo[key] = registry.get(name).func(*values)
            done[(sheet, anchor)] = memo[key]
            place((sheet, anchor), ref, memo[key], None)
            progress = True
        pending = waiting
        direct_keys = {(p[0], p[1]) for p in pending}
    t_direct = time.perf_counter()

    # The engine compiles only the formulas left and, through them, the cells they read.
    bad: dict = {}
    rest = [fc for fc in formula_cells if (fc[0], fc[1]) not in done and (fc[0], fc[1]) not in kept]
    index = {}
    if rest and engine == "libreoffice":
        why = _libreoffice_refusal(src, rest, kept, upper_names)
        if why is None:
            index = _libreoffice_values(src, formula_cells, done, kept, rest)
            report.engine = "libreoffice"
            rest = []
        else:
            report.notes.append(f"LibreOffice was not used: {why}; the formulas engine computed the workbook")
    if rest:
        import schedula as sh

        host.register_functions()
        model = host.model_class()(book, src.resolve())
        _, ctx = model.add_book(str(src.resolve()))
        by_sheet: dict = {}
        for fc in rest:
            by_sheet.setdefault(fc[0], []).append(fc)
        for sheet, cells in by_sheet.items():
            ws = by_title[sheet.casefold()]
            _, cctx = model.add_sheet(ws, ctx)
            references = model.references
            formula_references = model.formula_references(cctx)
            formula_ranges = model.formula_ranges(cctx)
            cctx2 = {"external_links": model.external_links(cctx)}
            cctx2.update(cctx)
            for _, anchor, _, _ in cells:
                c = ws[anchor]
                try:
                    cell = sh.await_result(model.compile_cell(c, cctx2, references, formula_references))
                    model.add_cell(cell, cctx2, formula_ranges)
                except Exception as exc:
                    bad[(sheet, anchor)] = ("#NAME?", f"{type(exc).__name__}: {exc}")
        busy: dict = {}
        for sheet, _, ref, _ in rest:
            r1, c1, r2, c2 = _bounds(ref)
            busy.setdefault(sheet.casefold(), set()).update(
                (r, k) for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))
        host.add_constant_ranges(model, by_title, busy)
        with host.quiet_progress():
            model.finish()
        report.engine_cells = len(model.cells)
    t_build = time.perf_counter()
    if rest:
        report.engine = "formulas"
        index = _solution_index(model.calculate())
    t_calc = time.perf_counter()

    writes: dict = {}
    sheet_names = [ws.title for ws in book.worksheets]
    for sheet, anchor, ref, text in formula_cells:
        target = writes.setdefault(sheet, {})
        r1, c1, r2, c2 = _bounds(ref)
        key = (sheet, anchor)
        if key in bad:
            err = bad[key][0]
            for r in range(r1, r2 + 1):
                for col in range(c1, c2 + 1):
                    target[f"{col_letter(col)}{r}"] = Cached(err)
                    report.errors[(sheet, f"{col_letter(col)}{r}")] = bad[key][1]
            continue
        block, old, arr = done.get(key), kept.get(key), None
        if block is not None:
            msg = host.message_of(block, name_set)
            if msg is not None:
                report.messages[key] = (original_text[key], msg)
            h, w = len(block), max(len(r) for r in block)
            if ref != anchor and (h > r2 - r1 + 1 or w > c2 - c1 + 1) and (h, w) != (1, 1) and msg is None:
                report.cut[key] = _cut_text(ref, (r1, c1, r2, c2), h, w)
        elif old is None:
            value = index.get((sheet.upper(), ref))
            if value is None:
                value = index.get((sheet.upper(), anchor))
            if value is None:
                arr = np.array([["#N/A"]], dtype=object)
                report.errors[key] = "not evaluated"
            else:
                arr = np.asarray(value, dtype=object)
                if arr.ndim == 0:
                    arr = arr.reshape(1, 1)
            top = arr[0, 0]
            if isinstance(top, str) and str(top) in host.MESSAGES:
                report.messages[key] = (original_text[key], host.MESSAGES[str(top)])
            elif ref != anchor and report.engine == "formulas":
                size = _engine_block_size(text, sheet, index, name_set)
                if size is not None and (size[0] > r2 - r1 + 1 or size[1] > c2 - c1 + 1):
                    report.cut[key] = _cut_text(ref, (r1, c1, r2, c2), *size)
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                i, j = r - r1, col - c1
                if block is not None:
                    cached = _cached(_fill(block, i, j), returned_by_xlkg=True)
                elif old is not None:
                    v = old[(r, col)]
                    cached = v if v is not None else None
                else:
                    v = arr[i, j] if i < arr.shape[0] and j < arr.shape[1] else host.na()
                    cached = _cached(v)
                addr = f"{col_letter(col)}{r}"
                target[addr] = Cached(cached)
                if isinstance(cached, str) and cached in EXCEL_ERRORS:
                    report.errors[(sheet, addr)] = ref_reason(text, sheet_names) if cached == "#REF!" else cached
    report.formula_cells = sum(len(v) for v in writes.values())
    report.direct_cells = len(done)
    patch = patch_workbook(src, dst, writes, overwrite=overwrite)
    report.cells_written = patch.cells_written
    t_write = time.perf_counter()
    report.seconds = {"load": t_load - t0, "direct": t_direct - t_load, "build": t_build - t_direct,
                      "calculate": t_calc - t_build, "write": t_write - t_calc, "total": t_write - t0}
    return report


class _Error(str):
    """An error value read back from LibreOffice's copy (stored as an error, not as text)."""


def _libreoffice_refusal(src, rest, kept, upper_names) -> str | None:
    """Why the LibreOffice engine cannot compute these formulas, or None when it can."""
    import zipfile

    from xlkg import render

    if render.find_soffice() is None:
        return "it is not installed"
    for sheet, anchor, _, text in rest:
        if any(n in text.upper() for n in upper_names):
            return f"{sheet}!{anchor} calls an xlkg function inside another formula"
    if kept:
        return "the workbook reads other workbooks"
    with zipfile.ZipFile(src) as z:
        if any(n.startswith("xl/externalLinks/") for n in z.namelist()):
            return "the workbook links other workbooks"
    return None


def _libreoffice_values(src, formula_cells, done, kept, rest) -> dict:
    """{(SHEET, ref): 2-D values} of the formulas in `rest`, computed by LibreOffice on a copy whose
    xlkg formulas are replaced by their results (LibreOffice does not know xlkg's functions)."""
    import tempfile
    import warnings

    import openpyxl

    from xlkg import render

    writes: dict = {}
    for sheet, anchor, ref, _ in formula_cells:
        block = done.get((sheet, anchor))
        if block is None:
            continue
        r1, c1, r2, c2 = _bounds(ref)
        target = writes.setdefault(sheet, {})
        for r in range(r1, r2 + 1):
            for k in range(c1, c2 + 1):
                v = _cached(_fill(block, r - r1, k - c1), returned_by_xlkg=True)
                target[f"{col_letter(k)}{r}"] = v
    with tempfile.TemporaryDirectory(prefix="xlkg-recalc-") as tmp:
        work = src
        if writes:
            work = Path(tmp) / ("book" + src.suffix.lower())
            patch_workbook(src, work, writes, replace_formulas=True)
        out = render.convert(work, "xlsx:Calc MS Excel 2007 XML", Path(tmp) / "out", recalc=True)
        wanted: dict = {}  # sheet -> {(row, col)}
        for sheet, _, ref, _ in rest:
            r1, c1, r2, c2 = _bounds(ref)
            wanted.setdefault(sheet, set()).update((r, k) for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))
        got: dict = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            wb = openpyxl.load_workbook(out, data_only=True, read_only=True)
        try:
            for sheet, cells in wanted.items():
                ws, last = wb[sheet], max(r for r, _ in cells)
                here = got.setdefault(sheet, {})
                for row in ws.iter_rows(max_row=last):
                    for c in row:
                        rc = (getattr(c, "row", None), getattr(c, "column", None))
                        if rc in cells:
                            here[rc] = _Error(c.value) if c.data_type == "e" else c.value
        finally:
            wb.close()
    index = {}
    for sheet, _anchor, ref, _ in rest:
        r1, c1, r2, c2 = _bounds(ref)
        arr = np.empty((r2 - r1 + 1, c2 - c1 + 1), dtype=object)
        here = got.get(sheet, {})
        for r in range(r1, r2 + 1):
            for k in range(c1, c2 + 1):
                arr[r - r1, k - c1] = here.get((r, k))
        index[(sheet.upper(), ref)] = arr
    return index


def _engine_block_size(text, sheet, index, names):
    """(rows, columns) of the whole result of an array formula `=NAME(ranges, literals)` the engine
    evaluated (its ranges hold other formulas' results): the call is made once more on the values the
    engine computed for those ranges. None when that is not such a formula or a range is not known."""
    from xlkg.excel import formulas_host as host
    from xlkg.excel import registry

    call = _direct_call(text, names)
    if call is None:
        return None
    name, args = call
    values = []
    for arg in args:
        if arg[0] == "lit":
            values.append(arg[1])
            continue
        value = index.get(((arg[1] or sheet).upper(), arg[2]))
        if value is None:
            return None
        values.append(host.plain_rows(value))
    block = registry.get(name).func(*values)
    return len(block), max(len(r) for r in block)


def _function_names() -> list[str]:
    from xlkg.excel import registry

    return [spec.name for spec in registry.functions()]


def _defined_names(book):
    names = book.defined_names
    return list(names.values()) if isinstance(names, dict) else list(getattr(names, "definedName", names))


def _bounds(ref: str):
    """'B2:D5' -> (2, 2, 5, 4) as (first row, first column, last row, last column)."""
    a, _, b = ref.replace("$", "").partition(":")
    (r1, c1), (r2, c2) = _corner(a), _corner(b or a)
    return r1, c1, r2, c2


def _overlaps(cells, r1, c1, r2, c2) -> bool:
    """Whether any (row, col) of `cells` lies in the rectangle (cost: the smaller of the two)."""
    if not cells:
        return False
    if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(cells):
        return any((r, k) in cells for r in range(r1, r2 + 1) for k in range(c1, c2 + 1))
    return any(r1 <= r <= r2 and c1 <= k <= c2 for r, k in cells)


def _plain(v):
    """A cell value of the workbook as the worksheet functions receive it from Excel."""
    if isinstance(v, str) and type(v) is not str:
        return str(v)
    return v


def _cut_text(ref, bounds, h, w) -> str:
    r1, c1, r2, c2 = bounds
    H, W = r2 - r1 + 1, c2 - c1 + 1
    parts = []
    if h > H:
        parts.append(f"rows {H + 1}-{h}" if h > H + 1 else f"row {h}")
    if w > W:
        parts.append(f"columns {W + 1}-{w}" if w > W + 1 else f"column {w}")
    whole = f"{col_letter(c1)}{r1}:{col_letter(c1 + max(w, W) - 1)}{r1 + max(h, H) - 1}"
    return (f"the result has {h} x {w} cells but the formula's range {ref} holds {H} x {W}: "
            f"{' and '.join(parts)} of the result are not shown (as in Excel for this range). "
            f"Enter the formula over {whole} to see all of it")


def _fill(block, i, j):
    """Cell (i, j) of an array range filled by `block`, as Excel fills a CSE range: a 1x1 result repeats,
    cells beyond the result show #N/A."""
    if len(block) == 1 and len(block[0]) == 1:
        return block[0][0]
    if i < len(block) and j < len(block[i]):
        return block[i][j]
    return "#N/A"


def summary_lines(report: RecalcReport) -> list[str]:
    """What `xlkg recalc` prints: what was written, every formula that returned a message (with the
    message), every reference to another workbook left as cached, every result cut by its range, and
    the cells that show an error value (the first ten)."""
    lines = [f"wrote {report.dst}: {report.formula_cells} formula cells evaluated in "
             f"{report.seconds.get('total', 0):.2f} s"]
    if report.messages:
        lines.append(f"{len(report.messages)} formula(s) returned a message instead of a result:")
        for (sheet, cell), (formula, msg) in report.messages.items():
            lines.append(f"  {sheet}!{cell} {formula}")
            lines.append(f"    {msg}")
    if report.not_refreshed:
        lines.append(f"{len(report.not_refreshed)} formula(s) read another workbook and were not refreshed "
                     f"(xlkg recalc never opens another file; the values the workbook had cached are kept):")
        for (sheet, cell), formula in report.not_refreshed.items():
            lines.append(f"  {sheet}!{cell} {formula}")
    if report.cut:
        lines.append(f"{len(report.cut)} array formula(s) show only part of their result:")
        for (sheet, cell), why in report.cut.items():
            lines.append(f"  {sheet}!{cell}: {why}")
    for note in report.notes:
        lines.append(note)
    if report.clipped:
        n = sum(len(v) for v in report.clipped.values())
        first = next(iter(report.clipped.values()))[0]
        lines.append(f"{n} whole-column, whole-row or oversized reference(s) read as the cells that exist "
                     f"(e.g. {first[0]} as {first[1]})")
    errors = {k: v for k, v in report.errors.items()}
    if errors:
        shown = list(errors.items())[:10]
        lines.append(f"{len(errors)} cell(s) show an error value:")
        for (sheet, cell), why in shown:
            lines.append(f"  {sheet}!{cell}: {why}")
        if len(errors) > len(shown):
            lines.append(f"  ... and {len(errors) - len(shown)} more")
    return lines


_SHEET_PREFIX = re.compile(r"(?:'((?:[^']|'')+)'|(?<![#\w.])([^\s'!(),;:=+\-*/&^<>{}#\[\]]+))!")


def ref_reason(formula: str, sheets) -> str:
    """What a #REF! result means, when the formula says: the sheets it names that the workbook does not
    have (deleted or renamed), or a #REF! written into it (Excel writes one where a deleted sheet or
    deleted cells were referred to)."""
    text = _mask_strings(formula or "")
    known = {s.casefold() for s in sheets}
    missing = []
    for m in _SHEET_PREFIX.finditer(text):
        name = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
        if name.casefold() not in known and name not in missing:
            missing.append(name)
    if missing:
        names = ", ".join(repr(n) for n in missing)
        return (f"#REF!: the formula refers to sheet{'s' if len(missing) > 1 else ''} {names}, which the workbook "
                "does not have")
    if "#REF!" in text.upper():
        return "#REF!: the formula holds #REF! (it referred to a sheet or cells that were deleted)"
    return "#REF!"
