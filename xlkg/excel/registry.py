"""The one registry of xlkg's worksheet functions.

A worksheet function is written once, in `xlkg.excel.udfs`, as a plain Python function with an
uppercase name (the name users type), a one-paragraph docstring (the Function Wizard description,
at most 255 characters) and the `@worksheet_function` decorator below, which takes the category and
one line of help per argument. Everything that describes the functions is derived from here:

* the xlwings decorators (`@xw.func`, `@xw.arg`) applied with the host's own implementation;
* `udf_manifest.txt` (`manifest_text()`);
* the classic VBA module (`xlkg.excel.generate.vba_module_text()`, xlwings' own generator);
* the Office.js custom-functions metadata (`xlkg.excel.generate.officejs_metadata()`);
* the `formulas` registration used by `xlkg recalc` (`register_formulas()`).

The signature (argument names, order, defaults) is read from the function itself and never written
a second time.

Only options that mean the same in classic Excel and in Office.js are used: `category` (ignored by
Office.js), `doc`, and `ndim=2` for range arguments, so that every range arrives as a list of rows
in every host. No `expand="table"` (legacy, classic only): results are returned as one 2-D block and
spill natively in Excel 365, or fill a CSE array range in older Excel.
"""

from __future__ import annotations

import functools
import inspect
import math
import types
from dataclasses import dataclass, field
from numbers import Number
from typing import Callable

import numpy as np

from xlkg.core.result import InputError
from xlkg.xlsx.errors import EXCEL_ERRORS

# The module where the worksheet functions can be imported as plain Python functions. This is the
# "UDF Modules" entry of the xlwings add-in and the first line of udf_manifest.txt.
UDF_MODULE = "xlkg.excel.udfs"
CATEGORY = "xlkg"
MAX_DESCRIPTION = 255  # Excel's Function Wizard (Application.MacroOptions) cuts at 255 characters

# What every host receives from a worksheet function (see `excel_block`, applied to every result):
# - a value that cannot be computed is the text "#N/A"; a returned cell whose text is exactly one of
#   Excel's seven classic errors IS that error in every host: Office.js (xlwings converts these texts),
#   classic Excel (the generated VBA module converts them with CVErr, because a Python COM server cannot
#   hand Excel a chosen error code) and `xlkg recalc` (stored and used as the error value);
# - no text cell longer than 255 characters (classic Excel turns a whole returned array into #VALUE!
#   when one of its strings is longer): longer text is split at spaces over continuation rows.
RETURNED_ERRORS = EXCEL_ERRORS[:7]  # "#NULL!" ... "#N/A", in Excel's ERROR.TYPE order 1..7
NA = "#N/A"
MAX_TEXT = 255
CONTINUED = " …"  # ends every part of a split text but the last

# Words VBA reserves (the generated classic module declares every argument as a VBA parameter).
VBA_RESERVED = frozenset(w.lower() for w in """
    And As Boolean ByRef Byte ByVal Call Case Close Const Currency Date Debug Declare Dim Do Double Each
    Else ElseIf Empty End Enum Erase Error Event Exit False For Friend Function Get Global GoSub GoTo If
    Implements In Input Integer Is Let Like Lock Long Loop LSet Me Mod Name New Next Not Nothing Null
    Object On Open Option Optional Or ParamArray Preserve Print Private Property Public Put RaiseEvent
    ReDim Rem Resume Return RSet Seek Select Set Single Static Step Stop String Sub Then To True Type
    TypeOf Until Variant Wend While With WithEvents Write Xor Array Len Mid Left Right Val Str Format
    """.split())

# Kinds of argument: how a host must deliver the cells.
RANGE = "range"  # a range of cells, delivered as a list of rows (xlwings ndim=2)
SCALAR = "scalar"  # one value typed in the formula or one cell (a method name, a threshold, a language)


@dataclass(frozen=True)
class Arg:
    name: str
    doc: str
    kind: str
    optional: bool
    default: object = None
    vararg: bool = False


@dataclass(frozen=True)
class WorksheetFunction:
    name: str
    func: Callable
    category: str
    description: str
    args: tuple[Arg, ...]
    volatile: bool = False
    examples: tuple[str, ...] = field(default=())

    @property
    def has_vararg(self) -> bool:
        return any(a.vararg for a in self.args)

    def signature_text(self) -> str:
        """`NAME(values, [region_totals], ...)` as Excel's help writes it."""
        parts = []
        for a in self.args:
            if a.vararg:
                one = a.name[:-1] if a.name.endswith("s") else a.name
                parts.append(f"{one}1, [{one}2], ...")
            elif a.optional:
                parts.append(f"[{a.name}]")
            else:
                parts.append(a.name)
        return f"{self.name}({', '.join(parts)})"


REGISTRY: dict[str, WorksheetFunction] = {}


def worksheet_function(*, args: dict[str, str], ranges: tuple[str, ...] = (), category: str = CATEGORY,
                       volatile: bool = False, examples: tuple[str, ...] = ()):
    """Register a worksheet function and decorate it for the running xlwings host.

    `args` maps every parameter name to its one-line help (Function Wizard / IntelliSense);
    `ranges` names the parameters that take a range of cells (delivered as a list of rows).
    """

    def register(fn: Callable) -> Callable:
        guarded = _guard(fn)
        spec = _build_spec(guarded, args, ranges, category, volatile, examples)
        old = REGISTRY.get(spec.name)
        if old is not None and old.func.__wrapped__.__module__ != fn.__module__:
            raise ValueError(f"worksheet function {spec.name} defined in {old.func.__wrapped__.__module__} "
                             f"and in {fn.__module__}")
        REGISTRY[spec.name] = spec
        import xlwings as xw  # the decorators of whichever host xlwings selected at import

        return decorate(guarded, spec, xw.func, xw.arg)

    return register


def _guard(fn: Callable) -> Callable:
    """What Excel shows instead of a traceback: bad input (InputError) becomes a block with the message;
    any other failure a block naming the function and the error. Every result, message or not, goes
    through `excel_block`, the one place that makes it fit every host."""

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        try:
            rows = fn(*args, **kwargs)
        except InputError as exc:
            rows = [[f"{fn.__name__}: {exc}"]]
        except Exception as exc:  # a bug must still not put a traceback into a cell
            rows = [[f"{fn.__name__}: internal error ({type(exc).__name__}: {exc})"]]
        return excel_block(rows)

    return guarded


def excel_cell(value):
    """One result cell as every host can show it: float, bool or str; missing (None, NaN, inf) is "#N/A"."""
    if value is None:
        return NA
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, Number):
        v = float(value)
        return NA if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, str):
        return value
    try:
        if value != value:  # NaT and the like
            return NA
    except (TypeError, ValueError):  # pandas.NA: its comparison has no truth value
        return NA
    return str(value)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in parts of at most `limit` characters, cut at spaces; every part but the last ends with " …"
    (or "…" without a space where a word longer than a cell had to be cut)."""
    if len(text) <= limit:
        return [text]
    room = limit - len(CONTINUED)
    parts, rest = [], text
    while len(rest) > limit:
        cut = rest.rfind(" ", 0, room + 1)
        if cut <= 0:  # one word longer than a cell: cut inside it, marked by "…" without a space
            parts.append(rest[: limit - 1] + CONTINUED.strip())
            rest = rest[limit - 1:]
            continue
        parts.append(rest[:cut].rstrip() + CONTINUED)
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return parts


def message_text(block) -> str:
    """The text of a message block (one column; a long message is split over its rows) as one string."""
    if not block or any(len(row) != 1 for row in block):
        raise ValueError(f"not a one-column message block: {block!r}")
    out = ""
    for row in block:
        p = str(row[0])
        if p.endswith(CONTINUED):  # cut at a space
            out += p[: -len(CONTINUED)] + " "
        elif p.endswith(CONTINUED.strip()) and row is not block[-1]:  # cut inside a word
            out += p[: -len(CONTINUED.strip())]
        else:
            out += p
    return out


_FLOAT = {float}


def excel_block(rows) -> list[list]:
    """A function's result as the one block every host receives: a rectangular list of rows of
    `excel_cell` values, with every text longer than 255 characters split over continuation rows
    inserted below its row (the other cells of a continuation row are empty text)."""
    # A finite float or a plain str is already its own `excel_cell` (x - x is 0.0 only for a finite x):
    # only the other cells take the call, and a usual result row (a label, then finite floats) is
    # recognised whole at C speed (the sum of floats is finite only when every one is).
    rows = list(rows)
    long = False
    for k, row in enumerate(rows):
        if type(row) is list and row and type(row[0]) is str:
            tail = row[1:]
            if not tail or set(map(type, tail)) == _FLOAT:
                total = sum(tail)
                if total - total == 0.0:
                    long = long or len(row[0]) > MAX_TEXT
                    continue
        row = [c if (type(c) is float and c - c == 0.0) or type(c) is str else excel_cell(c) for c in row]
        long = long or any(type(c) is not float and isinstance(c, str) and len(c) > MAX_TEXT for c in row)
        rows[k] = row
    rows = rows or [[NA]]
    width = max(len(r) for r in rows) or 1
    if not long:  # no text to split (the usual block)
        return [row if len(row) == width else row + [""] * (width - len(row)) for row in rows]
    out = []
    for row in rows:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        parts = [split_text(c) if isinstance(c, str) and len(c) > MAX_TEXT else None for c in row]
        if not any(parts):
            out.append(row)
            continue
        depth = max(len(p) for p in parts if p)
        for k in range(depth):
            out.append([(p[k] if k < len(p) else "") if p else (c if k == 0 else "") for c, p in zip(row, parts, strict=True)])
    return out


def _build_spec(fn, arg_docs, ranges, category, volatile, examples) -> WorksheetFunction:
    name = fn.__name__
    if name != name.upper() or not name[0].isalpha():
        raise ValueError(f"{name}: worksheet function names are upper case and start with a letter")
    description = " ".join((fn.__doc__ or "").split())
    if not description:
        raise ValueError(f"{name}: the docstring is the Function Wizard description and must not be empty")
    if len(description) > MAX_DESCRIPTION:
        raise ValueError(f"{name}: description has {len(description)} characters, Excel shows at most "
                         f"{MAX_DESCRIPTION}")
    out = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL):
            raise ValueError(f"{name}: xlwings supports positional parameters and *args only ({p.name})")
        doc = arg_docs.get(p.name)
        if not doc:
            raise ValueError(f"{name}: argument {p.name} has no help text")
        if len(doc) > MAX_DESCRIPTION or "\n" in doc:
            raise ValueError(f"{name}: help of {p.name} must be one line of at most {MAX_DESCRIPTION} characters")
        if p.name.lower() in VBA_RESERVED:
            raise ValueError(f"{name}: argument name {p.name!r} is a VBA keyword; the classic module cannot declare it")
        vararg = p.kind is p.VAR_POSITIONAL
        optional = p.default is not p.empty
        out.append(Arg(p.name, doc, RANGE if p.name in ranges else SCALAR, optional,
                       p.default if optional else None, vararg))
    unknown = set(arg_docs) - {a.name for a in out}
    if unknown:
        raise ValueError(f"{name}: help given for unknown arguments {sorted(unknown)}")
    if any(a.vararg for a in out) and any(a.optional for a in out):
        raise ValueError(f"{name}: xlwings cannot combine optional arguments with *args")
    return WorksheetFunction(name, fn, category, description, tuple(out), volatile, tuple(examples))


def decorate(fn: Callable, spec: WorksheetFunction, func, arg) -> Callable:
    """Apply xlwings-style decorators `func`/`arg` (any host's implementation) as the spec says."""
    for a in reversed(spec.args):
        # err_to_str: an error cell of the input arrives as its text ("#N/A"), which xlkg names in its
        # message, instead of xlwings' default None (a silent blank)
        options = {"doc": a.doc, "err_to_str": True}
        if a.kind == RANGE:
            options["ndim"] = 2
        fn = arg(a.name, **options)(fn)
    kwargs = {"category": spec.category}
    if spec.volatile:
        kwargs["volatile"] = True
    return func(**kwargs)(fn)


def _copy_function(fn: Callable) -> Callable:
    """A fresh function object calling `fn`, with its name, signature and docstring (the
    description, on one line), so decorators that store metadata on the function (xlwings'
    `__xlfunc__`) can be applied per host without touching the real one."""

    def copy(*args, **kwargs):
        return fn(*args, **kwargs)

    functools.update_wrapper(copy, fn)
    copy.__doc__ = " ".join((fn.__doc__ or "").split())
    copy.__dict__.pop("__xlfunc__", None)
    return copy


def decorated_module(func, arg, *, name: str = UDF_MODULE) -> types.ModuleType:
    """A module object holding a copy of every worksheet function, decorated with the given host's
    `func`/`arg` implementation (e.g. `xlwings.udfs.xlfunc`/`xlarg` for the classic VBA generator,
    `xlwings.server.func`/`arg` for the Office.js metadata)."""
    functions()  # make sure the functions are registered
    module = types.ModuleType(name)
    for spec in REGISTRY.values():
        setattr(module, spec.name, decorate(_copy_function(spec.func), spec, func, arg))
    return module


def functions() -> list[WorksheetFunction]:
    """Every registered worksheet function, in the order they are defined."""
    import importlib

    importlib.import_module(UDF_MODULE)
    return list(REGISTRY.values())


def get(name: str) -> WorksheetFunction:
    functions()
    return REGISTRY[name.upper()]


def _default_text(value) -> str:
    if value is None:
        return "blank"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def manifest_text() -> str:
    """The text of udf_manifest.txt: where the functions live, then each function's contract."""
    lines = [
        f"module: {UDF_MODULE}",
        "# Generated from the worksheet-function registry (xlkg/excel/registry.py) by `xlkg manifest`.",
        "# Do not edit: a test fails when this file is stale.",
        "",
    ]
    for spec in functions():
        lines.append(f"{spec.name}({', '.join(_manifest_arg(a) for a in spec.args)})")
        lines.append(f"    {spec.description}")
        for a in spec.args:
            what = "cells" if a.kind == RANGE else "value"
            extra = f"optional, default {_default_text(a.default)}" if a.optional else (
                "repeating, optional after the first" if a.vararg else "required")
            lines.append(f"    {a.name} ({what}; {extra}): {a.doc}")
        lines.append("")
    return "\n".join(lines)


def _manifest_arg(a: Arg) -> str:
    if a.vararg:
        return f"*{a.name}"
    if a.optional:
        return f"{a.name}={_default_text(a.default)}"
    return a.name


def russian_locale_formula(formula: str) -> str:
    """`formula` as Russian-locale Excel shows it: ";" between arguments, "," before decimals.
    Text in double quotes and sheet names in single quotes are left as they are."""
    out, quote = [], None
    for i, ch in enumerate(formula):
        if quote:
            quote = None if ch == quote else quote
            out.append(ch)
        elif ch in "\"'":
            quote = ch
            out.append(ch)
        elif ch == "{" or ch == "}":
            raise ValueError(f"array constants are not converted: {formula}")
        elif ch == ",":
            out.append(";")
        elif ch == "." and 0 < i < len(formula) - 1 and formula[i - 1].isdigit() and formula[i + 1].isdigit():
            out.append(",")
        else:
            out.append(ch)
    return "".join(out)


def reference_markdown() -> str:
    """The worksheet-function reference (the body of docs/reference.md), from the registry."""
    out = ["| Function | What it returns |", "|---|---|"]
    for spec in functions():
        out.append(f"| `{spec.signature_text()}` | {spec.description} |")
    out.append("")
    for spec in functions():
        out.append(f"### {spec.name}")
        out.append("")
        out.append(f"`{spec.signature_text()}`")
        out.append("")
        out.append(spec.description)
        out.append("")
        for a in spec.args:
            opt = f" (optional, default {_default_text(a.default)})" if a.optional else ""
            out.append(f"- `{a.name}`{opt}: {a.doc}")
        for ex in spec.examples:
            out.append(f"- Example: `{ex}`")
            out.append(f"  (Russian-locale Excel: `{russian_locale_formula(ex)}`)")
        out.append("")
    return "\n".join(out)
