"""Checks shared across the computation (and by the hosts): Excel's error values, how an error message
lists labels, how a method name is read, and which languages xlkg speaks. Each exists once, here.

Method names ignore case, and spaces, hyphens and underscores are alike ("Industry total" =
"industry_total", "z-score" = "z score"); an alias table may map other words to a method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xlkg.core.errors import InputError
from xlkg.core.words import translate
from xlkg.data import LANGS

# Excel's error values, as a cell shows them (the one list: xlkg.core.cells reads them as missing,
# xlkg.xlsx writes them as error cells, xlkg.recalc recognises them in cached values).
EXCEL_ERRORS = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
)

MAX_LABELS = 5  # how many offending labels an error message lists


def fmt_labels(labels) -> str:
    """Labels for an error message: "'a', 'b', 'c'", at most MAX_LABELS of them, then "and N more"."""
    labels = [str(x) for x in labels]
    more = len(labels) - MAX_LABELS
    text = ", ".join(repr(x) for x in labels[:MAX_LABELS])
    return text + (f" and {more} more" if more > 0 else "")


def method_key(name) -> str:
    """A method name as typed, compared without case and with spaces, '-' and '_' alike."""
    return " ".join(str(name).replace("_", " ").replace("-", " ").split()).lower()


def check_method(method, valid: Sequence[str], *, arg: str = "method", aliases: Mapping | None = None,
                 what: str = "a known method", choices: str | None = None, kind: str = "method") -> str:
    """The name in `valid` that `method` names ("Industry total" -> "industry_total"; an alias such as
    "mean" -> "arithmetic" when `aliases` maps it; a Kyrgyz or Russian word of xlkg.core.words' `kind`
    as its English word). Otherwise InputError: "<arg>: 'x' is not <what>; choose one of <choices>"
    (choices default: the valid names)."""
    choices = ", ".join(valid) if choices is None else choices
    if not isinstance(method, str):
        raise InputError(f"{arg}: expected the name of {what}, got {method!r}; choose one of {choices}")
    key = method_key(translate(method, kind))
    for v in valid:
        if key == method_key(v):
            return v
    for a, v in (aliases or {}).items():
        if key == method_key(a):
            return v
    raise InputError(f"{arg}: '{method}' is not {what}; choose one of {choices}")


def check_lang(lang, *, arg: str = "lang") -> str:
    """The language code named by `lang` ("ky", "ru" or "en"; case and surrounding spaces ignored)."""
    code = lang.strip().lower() if isinstance(lang, str) else None
    if code not in LANGS:
        raise InputError(f'{arg}: expected "ky", "ru" or "en", got "{lang}"')
    return code
