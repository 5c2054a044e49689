"""What Excel sends, read into labelled data. The only module that knows the shapes of cells.

A worksheet function receives the values of a range as rows of cells: xlwings passes a list of rows
(None for a blank, float for a number, str for text, ``"#N/A"``-style strings for error values in
Office.js); the headless evaluator (`formulas`) passes 2-D numpy arrays whose blanks are its own
"empty" token and whose errors are string-like error tokens. Ministry workbooks add their own habits:
numbers typed as text with a decimal comma and space thousands ("1 234,5"), dashes for "no data",
footnote marks, a national-total row ("Кыргыз Республикасы боюнча", "Всего", "Бардыгы", "Total"),
merged headers whose continuation cells arrive blank, and the statistics committee's layout: a code
column, the names in Kyrgyz, Russian and English, a units line under the header, years across as
"2021 г." or "2021-ж.".

Everything here turns that into a `Table`: a float DataFrame labelled by the header row and the
label column(s), NaN where a cell holds no number, and beside it the reason for each NaN in words
that name the cell ("row 4 'Чүй облусу', column 3 'mining': no data ('-')"). One bad cell spoils
only the results that depend on it; the rest of the table is read.

Rules for text numbers (documented for users; each refusal is a missing value whose reason says why):
* spaces, no-break spaces and thin spaces inside a number are thousands separators;
* a comma is the decimal comma ("7913,8" = 7913.8); when both "." and "," occur, the rightmost one
  is the decimal mark and the other must separate groups of three ("1.234,5" and "1,234.5" are both
  1234.5); several dots or several commas alone separate thousands ("1.234.567" = 1234567);
* "1.234" (one to three digits, a dot, three digits) is either 1234 or 1.234: the other numbers of the
  same table decide (a "0.480" or "7913.8" elsewhere makes the dot a decimal point; a "1.234,5" or
  "1.234.567" makes it a thousands separator); with no such number, or with both, the cell is refused
  as ambiguous. "1,234" follows the same evidence, and without any it is a decimal comma;
* a leading "−" (Unicode minus) or "-" is negative; "(12,3)" (accounting brackets) is -12.3, and a
  sign inside the brackets ("(-5)") is refused as ambiguous;
* a number typed with "%" ("12%") is refused: it may mean 12 (percent) or 0.12; type the number and
  put the unit in the header;
* a number beyond what Excel holds (above 9.99999999999999E+307, e.g. "1e400" or a 400-digit number,
  or below 2.2250738585072E-308 without being 0) is refused;
* trailing footnote marks ("*", "¹", "²", "³", " 1)") are ignored.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from numbers import Number

import numpy as np
import pandas as pd

from xlkg.core.checks import EXCEL_ERRORS
from xlkg.core.regions import region_key
from xlkg.core.result import InputError

# Cells that mean "no data" in statistical tables (ky/ru/en habits). Compared after stripping and
# lower-casing. "x"/"х" (Latin and Cyrillic) is the statistics committees' "not applicable / confidential".
MISSING_MARKERS = frozenset(
    {"", "-", "–", "—", "−", "--", "---", "н/д", "н.д.", "нд", "…", "...", "..", "x", "х", "n/a", "na",
     "маалымат жок", "нет данных", "no data"}
)
# A dash in a statistics committee's table means "the phenomenon is absent" (no such production);
# read as missing by default (never a silent 0), and as 0 only when the caller says so.
DASHES = frozenset({"-", "–", "—", "−", "--", "---"})
ERROR_VALUES = frozenset(EXCEL_ERRORS)

# Excel's limits for a number in a cell (Excel specifications and limits): beyond them a text is not
# a number Excel could hold, so xlkg does not read one either.
EXCEL_MAX = 9.99999999999999e307
EXCEL_MIN_POSITIVE = 2.2250738585072e-308
_MAX_NUMBER_TEXT = 1000  # characters; a longer text is not a number anybody typed

# How the reason of an ambiguous text number begins; `read_table` settles these from the table.
AMBIGUOUS = "ambiguous"

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f']+")
_FOOTNOTE = re.compile(r"(?:[*¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s+\d\))$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# one to three digits, one separator, exactly three digits: a decimal mark or a thousands separator
_GROUPED_OR_DECIMAL = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_SIGNS = "+-\u2212\u2013"
# a number with at most 15 digits on each side of one decimal mark, thousands (if any) in groups of
# three separated by spaces: always within Excel's range, read without the general rules
_PLAIN = re.compile(r"^-?(?:\d{1,15}|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}){1,4})(?:[.,]\d{1,15})?$")
_PLAIN_TO_FLOAT = {ord(","): ".", ord(" "): None, 0xA0: None, 0x202F: None, 0x2009: None}
# the same test in one search: a plain number that is not of the "1.234" form (which reads two ways)
_PLAIN_NUMBER = re.compile("^(?!" + _GROUPED_OR_DECIMAL.pattern[1:] + ")" + _PLAIN.pattern[1:])


def is_blank(cell) -> bool:
    if cell is None:
        return True
    kind = type(cell)
    if kind is float:  # the usual cells first
        return cell != cell
    if kind is str:
        return not cell.strip()
    if isinstance(cell, float) and math.isnan(cell):
        return True
    # The `formulas` evaluator's empty cell is a str subclass token whose text is "empty".
    if isinstance(cell, str) and str(cell) == "empty":
        return True
    return isinstance(cell, str) and cell.strip() == ""


def parse_cell(cell, *, dash_is_zero: bool = False, decimal: str | None = None) -> tuple[float, str | None]:
    """Read one cell as a number: (value, None), or (NaN, reason) when it holds no number.

    Never raises: a cell that is not a number is a missing value with a reason, so one bad cell does
    not stop the rest of a table. With ``dash_is_zero`` a dash ("-", "–", "—") is 0, the statistics
    committees' convention for "no such production"; otherwise it is missing. ``decimal`` ("." or ",")
    is the decimal mark the rest of the table shows, which settles "1.234" (see the module's rules);
    without it such a cell is missing with a reason that begins with `AMBIGUOUS`.
    """
    if type(cell) is float:  # the usual cell, first and fast
        size = abs(cell)
        if EXCEL_MIN_POSITIVE <= size <= EXCEL_MAX or size == 0.0:
            return cell, None
        return (math.nan, "blank") if cell != cell else _in_excel_range(cell, None)
    if type(cell) is str:  # the usual text number ("7913,8", "1 234,5", "12"), fast; the rules below
        t = cell.strip()      # decide everything else
        if _PLAIN_NUMBER.match(t):
            return float(t.translate(_PLAIN_TO_FLOAT)), None
    if is_blank(cell):
        return math.nan, "blank"
    if isinstance(cell, bool) or isinstance(cell, np.bool_):
        return math.nan, f"{'TRUE' if cell else 'FALSE'} is not a number"
    if isinstance(cell, Number):
        try:
            v = float(cell)
        except (TypeError, ValueError, OverflowError):
            return math.nan, f"{cell!r} is not a number"
        if math.isnan(v):
            return math.nan, "blank"
        return _in_excel_range(v, None)
    if hasattr(cell, "year") and hasattr(cell, "month"):
        return math.nan, f"a date ({cell}) is not a number"
    text = str(cell).strip()
    if text.upper() in ERROR_VALUES:
        return math.nan, f"error value {text.upper()}"
    if dash_is_zero and text in DASHES:
        return 0.0, None
    if text.lower() in MISSING_MARKERS:
        return math.nan, f"no data ('{text}')"
    return _number_from_text(text, decimal)


def _shown(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _in_excel_range(value: float, text: str | None) -> tuple[float, str | None]:
    what = f"'{_shown(text)}'" if text is not None else f"{value:g}"
    if math.isinf(value) or abs(value) > EXCEL_MAX:
        return math.nan, f"{what} is beyond the largest number Excel holds (9.99999999999999E+307)"
    if value != 0 and abs(value) < EXCEL_MIN_POSITIVE:
        return math.nan, f"{what} is below the smallest number Excel holds (2.2250738585072E-308)"
    return value, None


def _number_from_text(text: str, decimal: str | None = None) -> tuple[float, str | None]:
    if len(text) > _MAX_NUMBER_TEXT:
        return math.nan, f"'{_shown(text)}' is not a number"
    t = _FOOTNOTE.sub("", text).strip()
    negative = False
    if len(t) > 2 and t.startswith("(") and t.endswith(")"):
        inner = t[1:-1].strip()
        if inner[:1] in _SIGNS:
            bare = inner.lstrip(_SIGNS).strip()
            return math.nan, (f"{AMBIGUOUS}: '{text}' has a sign inside accounting brackets, which already "
                              f"mean negative; write -{bare} or ({bare})")
        negative, t = True, inner
    t = t.replace("\u2212", "-").replace("\u2013", "-")  # Unicode minus, an en dash typed for a minus
    if t.endswith("%"):
        bare = t[:-1].strip()
        return math.nan, (f"'{text}' is a percentage typed as text: it may mean {bare} (percent) or a "
                          f"hundredth of it; type the number without '%' and give the unit in the header")
    t = _SPACES.sub("", t)
    plain, ambiguous = _plain_number(t, decimal)
    if ambiguous:
        whole = t.replace(".", "").replace(",", "")
        return math.nan, (f"{AMBIGUOUS}: '{text}' may be {whole} (a dot between thousands) or "
                          f"{t.replace('.', ',')} (a decimal point), and no other number of the table says "
                          f"which; write {whole} or {t.replace('.', ',')}")
    if plain is None or not _NUMBER.match(plain):
        return math.nan, f"'{_shown(text)}' is not a number"
    value, why = _in_excel_range(float(plain), text)
    if why is not None:
        return value, why
    if value == 0 and any(d in "123456789" for d in plain.lower().partition("e")[0]):
        return math.nan, f"'{_shown(text)}' is below the smallest number Excel holds (2.2250738585072E-308)"
    return (-value if negative else value), None


def _grouped(head: str, sep: str) -> bool:
    """`head` is digits separated in groups of three by `sep` ("1.234.567"; a sign may lead)."""
    parts = head.lstrip("+-").split(sep)
    return (1 <= len(parts[0]) <= 3 and parts[0].isdigit() and parts[0][0] != "0" or parts[0] == "0") \
        and all(len(p) == 3 and p.isdigit() for p in parts[1:])


def _plain_number(t: str, decimal: str | None) -> tuple[str | None, bool]:
    """(`t` with "." as its only decimal mark and no thousands separators, or None; ambiguous?)."""
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        sep = "." if dec == "," else ","
        head, _, tail = t.rpartition(dec)
        if not _grouped(head, sep):
            return None, False
        return head.replace(sep, "") + "." + tail, False
    if dots > 1 or commas > 1:  # "1.234.567", "1,234,567": thousands separators only
        sep = "." if dots else ","
        return (t.replace(sep, ""), False) if _grouped(t, sep) else (None, False)
    if _GROUPED_OR_DECIMAL.match(t):
        mark = "." if dots else ","
        if decimal is None:
            if mark == ".":
                return None, True
            decimal = ","  # the decimal comma of Kyrgyz and Russian (and of Russian-locale Excel)
        return (t.replace(",", ".") if decimal == mark else t.replace(mark, "")), False
    return t.replace(",", "."), False


_NOT_IN_NUMBERS = dict.fromkeys(map(ord, " \t\u00a0\u2007\u2009\u202f'()*¹²³⁴⁵⁶⁷⁸⁹⁰"))


def decimal_evidence(text: str) -> str | None:
    """The decimal mark ("." or ",") that one text number shows beyond doubt, else None.

    "0.480", "7913.8", "1,234.5", "1,234,567" show a decimal point; "7913,8", "1.234,5", "1.234.567"
    a decimal comma; "1.234", "1,234", "1 234", "12" show nothing."""
    t = text.translate(_NOT_IN_NUMBERS)
    dots, commas = t.count("."), t.count(",")
    if not (dots or commas):
        return None
    if dots and commas:
        return "," if t.rfind(",") > t.rfind(".") else "."
    if dots > 1:
        return ","
    if commas > 1:
        return "."
    if not _GROUPED_OR_DECIMAL.match(t) and _NUMBER.match(t.replace(",", ".")):
        return "." if dots else ","
    return None


def table_decimal(texts) -> str | None:
    """The decimal mark the text numbers of one table agree on ("." or ","), or None when they show
    none or both."""
    seen = set()
    for text in texts:
        mark = decimal_evidence(text)
        if mark is not None:
            seen.add(mark)
            if len(seen) > 1:
                return None
    return seen.pop() if seen else None


def parse_cells(cells, *, dash_is_zero: bool = False) -> list[tuple[float, str | None]]:
    """`parse_cell` for the cells of one table (or column), with "1.234" settled by the decimal mark
    the table's other text numbers show (`table_decimal`); cells stay in order."""
    values, reasons = parse_grid(cells, dash_is_zero=dash_is_zero)
    out = list(zip(values.tolist(), [None] * len(values), strict=True))
    for k, why in reasons.items():
        out[k] = (math.nan, why)
    return out


def parse_grid(cells, *, dash_is_zero: bool = False) -> tuple[np.ndarray, dict[int, str]]:
    """`parse_cells` for many cells at once, vectorised: (float array, {position: reason}).

    Numbers (what Excel sends most) are converted in one numpy call; only the other cells go through
    `parse_cell`, and the plainest text numbers through one regular expression. The values and reasons
    are exactly those of `parse_cell` cell by cell, with "1.234" settled as in `settle_ambiguous`.
    """
    cells = cells if isinstance(cells, list) else list(cells)
    odd = [k for k, c in enumerate(cells) if type(c) is not float]
    if odd:
        floats = list(cells)
        for k in odd:
            floats[k] = math.nan
    else:
        floats = cells
    values = np.array(floats, dtype=float)
    reasons: dict[int, str] = {}
    with np.errstate(invalid="ignore"):
        size = np.abs(values)
        off = ~((size >= EXCEL_MIN_POSITIVE) & (size <= EXCEL_MAX) | (size == 0.0))
    if odd:
        off[odd] = False
    for k in np.flatnonzero(off).tolist():  # NaN (a blank), infinities, numbers beyond Excel's range
        values[k], why = parse_cell(cells[k])
        reasons[k] = why
    slow = []  # text that is not in its plainest form: only these can read two ways ("1.234")
    plain = _PLAIN_NUMBER.match  # the plain text numbers as `parse_cell` reads them first
    for k in odd:
        c = cells[k]
        if type(c) is str:
            if plain(c):
                try:  # without a thousands space (the usual text number) replace() is the quicker same reading
                    values[k] = float(c.replace(",", "."))
                except ValueError:  # "1 234,5": float() refuses the inner space; parse_cell's full reading
                    values[k] = float(c.translate(_PLAIN_TO_FLOAT))
                continue
            slow.append(k)
        v, why = parse_cell(c, dash_is_zero=dash_is_zero)
        values[k] = v
        if why is not None:
            reasons[k] = why
    todo = [k for k in slow if _two_readings(cells[k])]
    if todo:
        texts = [cells[k] for k in odd if isinstance(cells[k], str)]
        settled = settle_ambiguous([cells[k] for k in todo], [(values[k], reasons.get(k)) for k in todo],
                                   dash_is_zero=dash_is_zero, texts=texts)
        for k, (v, why) in zip(todo, settled, strict=True):
            values[k] = v
            if why is None:
                reasons.pop(k, None)
            else:
                reasons[k] = why
    return values, reasons


# a text number that reads two ways: one to three digits, "." or ",", three digits ("1.234", "(1,234)*")
_TWO_READINGS = re.compile(r"^\s*\(?\s*[+\-\u2212\u2013]?[1-9]\d{0,2}[.,]\d{3}\s*\)?\s*[*¹²³⁴⁵⁶⁷⁸⁹⁰]*\s*$")


def _two_readings(cell) -> bool:
    return type(cell) is str and _TWO_READINGS.match(cell) is not None


def settle_ambiguous(cells, parsed: list, *, dash_is_zero: bool = False, texts=None) -> list:
    """Re-read the text numbers that read two ways ("1.234", "1,234") with the decimal mark the other
    text numbers show (`table_decimal`). `cells` and `parsed` are parallel lists; returns `parsed`,
    changed in place. `texts`: the table's text cells, when `cells` is only a part of the table."""
    todo = [k for k, c in enumerate(cells) if _two_readings(c)]
    if not todo:
        return parsed
    texts = [c for c in cells if isinstance(c, str)] if texts is None else texts
    mark = table_decimal(texts)
    if mark is not None:
        for k in todo:
            parsed[k] = parse_cell(cells[k], dash_is_zero=dash_is_zero, decimal=mark)
        return parsed
    if len({decimal_evidence(c) for c in texts} - {None}) > 1:
        for k in todo:
            parsed[k] = (math.nan, f"{AMBIGUOUS}: '{cells[k].strip()}' may be read with a decimal point or a "
                                   f"decimal comma, and the table's other numbers use both; write it without "
                                   f"a thousands separator")
    return parsed


def parse_number(cell, *, where: str) -> float:
    """One number that must be there (a threshold, a total): InputError naming `where` otherwise."""
    value, reason = parse_cell(cell)
    if reason is not None:
        raise InputError(f"{where}: expected a number, got {reason}")
    return value


def label_text(cell) -> str | None:
    if type(cell) is str:  # the usual label, first and fast: blank exactly when it has nothing but whitespace
        return " ".join(cell.split()) or None
    if is_blank(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (int, np.integer)) and not isinstance(cell, bool):
        return str(int(cell))
    return " ".join(str(cell).split())


# --------------------------------------------------------------------------------------------------
# labels: the national total, years, codes, units


# Labels of a national / overall total (row or column), normalised (`_total_tokens`). A label is a
# national total when it is one of TOTAL_LABELS, starts with one of TOTAL_PREFIXES ("Всего по
# промышленности", "Total, all sectors"), or consists only of the words below: the country's name
# (COUNTRY_WORDS), a word for "total" (TOTAL_WORDS) and connecting words (TOTAL_FILLERS), at least
# one of the first two: "Кыргыз Республикасы боюнча", "Всего по Кыргызской Республике", "Республика
# боюнча бардыгы", "Total for the Kyrgyz Republic", "КР". A label like "Mining, total" or "Өнөр жай,
# бардыгы" (a section's own total) has another word, so it is NOT a national total and stays a row.
TOTAL_LABELS = frozenset(
    {"кыргыз республикасы", "кыргызская республика", "kyrgyz republic", "the kyrgyz republic",
     "kyrgyzstan", "кыргызстан", "республика боюнча", "по республике", "по кыргызской республике",
     "всего", "итого", "бардыгы", "баары", "жыйынтыгы", "жалпы", "total", "all", "grand total",
     "all regions", "all sectors", "бардык тармактар", "все отрасли", "все регионы", "республика"}
)
TOTAL_PREFIXES = ("всего", "итого", "бардыгы", "total", "grand total", "кыргыз республикасы боюнча")
# the country, as tables name it (abbreviations after the dots are taken out: "Кырг. Респ." -> "кырг респ")
COUNTRY_WORDS = (
    "кыргыз республикасы", "кыргыз республикасынын", "кыргыз респ", "кырг респ", "кырг республикасы",
    "кыргызская республика", "кыргызской республике", "кыргызской республики", "кыргызская респ",
    "кырг республика", "киргизская республика", "киргизия", "kyrgyz republic", "kyrgyz rep", "kyrgyzstan",
    "кыргызстан", "кыргызстана", "кр", "kr", "республика", "республике", "республики", "республикасы",
    "республиканын", "республика в целом", "republic", "өлкө", "страна", "стране", "country", "national",
    "nationwide", "the country", "whole country")
TOTAL_WORDS = ("всего", "итого", "итог", "бардыгы", "баары", "бардык", "жыйынтыгы", "жыйынтык", "жалпы",
               "жалпысынан", "total", "totals", "grand total", "overall", "all", "in total", "всего по", "в целом",
               "целом", "сумма", "sum")
TOTAL_FILLERS = ("по", "боюнча", "for", "the", "of", "in", "в", "as a whole", "whole", "a", "and", "и", "жана",
                 "все", "всем", "регионы", "регионам", "областям", "отрасли", "отраслям", "regions", "sectors",
                 "industries", "аймактар", "аймактары", "тармактар", "тармактары", "облустар")
SUBHEADING_LABELS = frozenset({"в том числе", "в т.ч.", "в т. ч.", "из них", "анын ичинде", "алардын ичинен",
                               "of which", "including"})

_LABEL_FOOTNOTE = re.compile(r"(?:[*¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s*\(?\d\)|\s*\(\d\))(?=\s|$|[,.:;])")
_LABEL_PARTS = re.compile(r"\s*(?:/|\||\n|\r)\s*")


def _norm_label(text: str) -> str:
    t = " ".join(str(text).replace("ё", "е").replace("Ё", "Е").split()).lower()
    return t.rstrip(" .:;,")


def _phrase_tokens(phrases) -> list[tuple[str, ...]]:
    return sorted((tuple(p.split()) for p in phrases), key=len, reverse=True)


_COUNTRY = _phrase_tokens(COUNTRY_WORDS)
_TOTAL = _phrase_tokens(TOTAL_WORDS)
_FILLER = _phrase_tokens(TOTAL_FILLERS)


def _total_tokens(text: str) -> list[str]:
    t = _LABEL_FOOTNOTE.sub(" ", str(text).replace("ё", "е").replace("Ё", "Е").lower())
    return re.findall(r"[^\W_]+", t.replace("-", " "))


def _is_total_part(text: str) -> bool:
    t = _norm_label(_LABEL_FOOTNOTE.sub(" ", text))
    if not t:
        return False
    if t in TOTAL_LABELS or any(t.startswith(p + " ") or t.startswith(p + ",") for p in TOTAL_PREFIXES):
        return True
    tokens = _total_tokens(t)
    if not tokens or any(tok.isdigit() for tok in tokens):
        return False
    seen_key = False
    k = 0
    while k < len(tokens):
        for kind, phrases in (("key", _COUNTRY), ("key", _TOTAL), ("filler", _FILLER)):
            hit = next((p for p in phrases if tuple(tokens[k:k + len(p)]) == p), None)
            if hit is not None:
                seen_key |= kind == "key"
                k += len(hit)
                break
        else:
            return False
    return seen_key


def is_total_label(text) -> bool:
    """True when a row/column label names a national or overall total, in Kyrgyz, Russian or English,
    with or without "боюнча"/"по", footnote marks and abbreviations ("Кыргыз Республикасы боюнча¹",
    "Всего по КР", "Kyrgyz Rep., total"). A label in several languages ("Кыргыз Республикасы /
    Кыргызская Республика") is a total when each of its parts is."""
    if not isinstance(text, str):
        return False
    return _is_total_text(str(text))


# characters a label copied from a PDF or a web page carries invisibly: soft hyphen, zero-width space and joiners
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@lru_cache(maxsize=16384)
def _is_total_text(text: str) -> bool:
    text = text.translate(INVISIBLE)
    low = text.lower().replace("ё", "е")
    if not _SCREEN_SEARCH(low):
        return False
    parts = [p for p in _LABEL_PARTS.split(text) if p.strip()]
    return bool(parts) and all(_is_total_part(p) for p in parts)


def total_screen_words() -> tuple[str, ...]:
    """Words one of which every total label contains (lower case): a quick screen over many labels
    before `is_total_label` decides."""
    return _SCREEN


_SCREEN = tuple(sorted({max(phrase.split(), key=len)
                        for phrase in tuple(TOTAL_LABELS) + TOTAL_PREFIXES + COUNTRY_WORDS + TOTAL_WORDS}))
# one search for any of the screen words (a match of one word, as `w in text` for each word would find)
_SCREEN_SEARCH = re.compile("|".join(map(re.escape, _SCREEN))).search


def find_total_labels(labels) -> list:
    """The labels that name a national or overall total ("Кыргыз Республикасы", "Всего", "Total"), as
    `is_total_label` decides, in order. A quick screen over all labels at once comes first: a total label
    contains one of the screen words, so a list without any of them costs one lower-casing and a few
    substring searches instead of a check per label."""
    labels = labels.tolist() if hasattr(labels, "tolist") else list(labels)  # tolist: no per-item boxing
    try:
        text = "\n".join(labels)
    except TypeError:
        text = "\n".join(map(str, labels))
    text = text.translate(INVISIBLE).lower().replace("ё", "е")  # as `_is_total_text` screens one label
    if not _SCREEN_SEARCH(text):
        return []
    return [x for x in labels if is_total_label(x)]


# A period label: a year, alone or with the word for year ("2021 г.", "2021-ж.", "2021 жыл", "2021 год",
# "2021 y."), as the statistics committee heads its columns.
_YEAR = re.compile(r"^(?:(?:за|в|in|год|жыл|year)\s*)?((?:19|20|21)\d\d)(?:\s*[-‐]?\s*(?:г|гг|год|года|ж|жыл|жылы|y|yr|year)"
                   r"\.?)?\s*[*¹²³]*$", re.IGNORECASE)


def year_of(cell) -> int | None:
    """The year a period label names ("2021 г.", "2021-ж.", 2021, "2021"), else None."""
    if isinstance(cell, bool) or is_blank(cell):
        return None
    if isinstance(cell, Number):
        v = float(cell)
        return int(v) if v.is_integer() and 1900 <= v <= 2199 else None
    m = _YEAR.match(" ".join(str(cell).split()))
    return int(m.group(1)) if m else None


def period_label(cell) -> str | None:
    """A column label as a period: "2021" for "2021 г." / "2021-ж." / 2021.0, else the label as it is."""
    y = year_of(cell)
    return str(y) if y is not None else label_text(cell)


_CODE_HEADERS = frozenset({"код", "коду", "коды", "code", "codes", "соате", "соато", "ате", "гкэд", "окэд",
                           "ккэд", "шифр", "№", "no", "n", "№ п/п", "номер", "#"})
_CODE = re.compile(r"^[0-9][0-9 .\-]*$|^[A-Za-z]$|^[A-Za-z]?\d{1,2}(?:\.\d{1,2})*$")
_UNIT_WORDS = re.compile(
    r"(?:^|[\s(./,])(?:млн|млрд|тыс|миң|миллион|сом|som|kgs|чел|адам|persons?|people|%|пайыз|процент\w*|percent|"
    r"ед|бирдик\w*|units?|тонн?\w*|кг|kg|квт\w*|kwh|мвт\w*|га|ha|км|km|м2|м²|км2|км²|куб|долл\w*|usd|руб\w*|"
    r"единиц\w*|человек|штук\w*|шт|даана|литр\w*|л|mln|bn|thousand|thsd|million|in)(?=$|[\s).,/:;²])",
    re.IGNORECASE)
_UNIT_HEADERS = frozenset({"ед. изм", "ед.изм", "единица измерения", "единицы измерения", "өлчөө бирдиги",
                           "бирдиги", "unit", "units", "unit of measure"})


def _is_code_header(cell) -> bool:
    return isinstance(cell, str) and _norm_label(cell) in _CODE_HEADERS


def _is_code(cell) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, Number):
        v = float(cell)
        return v.is_integer() and v >= 0
    return isinstance(cell, str) and bool(_CODE.match(cell.strip()))


def is_unit_text(cell) -> bool:
    """A cell that names a unit ("млн сом", "тыс. чел.", "%", "in mln som", "(миң адам)")."""
    if not isinstance(cell, str) or is_blank(cell):
        return False
    t = cell.strip()
    if t in ("%", "(%)") or _norm_label(t) in _UNIT_HEADERS:
        return True
    return parse_cell(t)[1] is not None and bool(_UNIT_WORDS.search(" " + t)) and len(t) <= 40


def _is_text_label(cell) -> bool:
    """A cell that is a name: text that is neither a number, a missing-value mark nor an error value."""
    if not isinstance(cell, str) or is_blank(cell):
        return False
    t = cell.strip()
    return t.lower() not in MISSING_MARKERS and t.upper() not in ERROR_VALUES and bool(_LETTER.search(t))


_LETTER = re.compile(r"[^\W\deE_]")  # a letter other than the exponent's e: "1e400" and "12%" are not names


# --------------------------------------------------------------------------------------------------
# the shape of a table


def as_rows(rows, *, arg: str) -> list[list]:
    """Normalise what a host passes (list of rows, a single row, a scalar, a numpy array) to rows."""
    if isinstance(rows, pd.DataFrame):
        raise InputError(f"{arg}: pass the cells (a list of rows), or use the measures module for DataFrames")
    if isinstance(rows, np.ndarray):
        rows = rows.tolist() if rows.ndim == 2 else [rows.tolist()] if rows.ndim == 1 else [[rows.item()]]
    elif not isinstance(rows, (list, tuple)):
        rows = [[rows]]
    elif rows and not isinstance(rows[0], (list, tuple, np.ndarray)):
        rows = [list(rows)]
    width = max((len(r) for r in rows), default=0)
    if all(type(r) is list and len(r) == width for r in rows):
        rows = list(rows)  # what hosts send: equal rows of a rectangle; no cell is copied (none is changed)
    else:
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
    if rows and all(str(c).strip().upper() == "#REF!" for r in rows for c in r) and any(rows):
        raise InputError(f"{arg}: #REF!: the range refers to a sheet or cells that do not exist (deleted, or the "
                         "formula names a sheet the workbook does not have); select the table again")
    # A selection larger than the data: drop blank rows and columns at the end.
    while rows and all(is_blank(c) for c in rows[-1]):
        rows.pop()
    while rows and rows[0] and all(is_blank(r[-1]) for r in rows):
        rows = [r[:-1] for r in rows]
    return rows


def _col_name(i: int) -> str:
    return f"column {i + 1}"


@dataclass
class Table:
    """A labelled table read from cells.

    values       float DataFrame, index = row labels, columns = column labels, NaN where no number
    missing      object DataFrame of the same shape: None, or why the cell has no number
    row_totals   a recognised total column ("Всего", "Total") per row, or None
    col_totals   a recognised national-total row ("Кыргыз Республикасы") per column, or None
    grand_total  the cell where both meet, or None
    notes        what the reader did that a user may want to know (skipped rows, merged headers)
    units        the units line under the header ("млн сом"), per column, when the table has one
    """

    values: pd.DataFrame
    missing: pd.DataFrame
    row_totals: pd.Series | None = None
    col_totals: pd.Series | None = None
    grand_total: float | None = None
    notes: list[str] = field(default_factory=list)
    arg: str = "values"
    dashes: list[str] = field(default_factory=list)  # cells holding a dash read as missing ("row 3 'Чүй', column 2 'mining'")
    units: list[str] | None = None


# What runs along the rows of a table (`read_table(orient=...)`): regions (a region x sector or region
# x indicator table; regions across are turned) or periods (items x periods; years down are turned).
ORIENTS = ("regions", "periods", "any")


def _region_like(label) -> bool:
    return isinstance(label, str) and (region_key(label) is not None or is_total_label(label))


def _labels_say(labels, orient: str) -> int:
    """How many of `labels` name what `orient` puts in rows (regions, or years for periods)."""
    if orient == "periods":
        return sum(year_of(x) is not None for x in labels)
    return sum(_region_like(x) for x in labels)


@dataclass
class Layout:
    """How `read_table` found a table laid out (see `table_layout`)."""

    rows: list[list]               # one label column, then the data columns; header line(s) first
    notes: list[str]
    units: list[str] | None = None
    transposed: bool = False
    first_col: int = 0            # the sheet column (0-based, in the range) of the first data column


def table_layout(rows: list[list], *, arg: str = "values", orient: str = "regions") -> Layout:
    """Recognise the statistics committee's and the ministries' layouts in `rows` (already `as_rows`):

    * a code column first (header "Код", "Code", "СОАТЕ", "ГКЭД", "№", or codes in every row followed by
      names): left out;
    * the names in several columns (Kyrgyz, Russian, English): read as one label "ky / ru / en";
    * a units line under the header ("млн сом", "тыс. чел.", "%"): kept apart as the units, not
      glued to the column labels;
    * a range that starts below the header row (its first row holds a region and numbers): refused;
    * a table turned sideways (regions across for `orient` "regions", years down for "periods"):
      turned, with a note; when both its header row and its first column say so, refused.
    Returns the rows with one label column, and the notes.
    """
    notes: list[str] = []
    width = len(rows[0])
    body = rows[1:]
    # 1. a code column
    start = 0
    if width >= 3 and len(rows) >= 2:
        by_header = _is_code_header(rows[0][0])
        by_values = False
        # every filled first cell a code (checked lazily: the first name ends it, in the usual table at once)
        if not by_header and all(_is_code(c) for c in (r[0] for r in body if not is_blank(r[0]))):
            col0 = [r[0] for r in body if not is_blank(r[0])]
            if col0 and len(col0) >= max(1, len(body) // 2):
                names1 = [r[1] for r in body if not is_blank(r[1])]
                by_values = bool(names1) and sum(_is_text_label(c) for c in names1) >= max(1, (len(names1) + 1) // 2)
        if by_header or by_values:
            start = 1
            notes.append(f"{arg}: column 1 '{label_text(rows[0][0]) or ''}' read as codes, not data")
    # 2. the names in more than one column
    end = start + 1
    while end < width - 1:
        # a number in the column ends it at once (the usual table): it is neither a name nor a unit
        if any(type(r[end]) is float and r[end] == r[end] for r in body):
            break
        filled = [r[end] for r in body if not is_blank(r[end])]
        if not filled or year_of(rows[0][end]) is not None:
            break
        if not all(_is_text_label(c) or is_unit_text(c) for c in filled):
            break
        if sum(_is_text_label(c) for c in filled) < max(1, len(filled) // 2):
            break
        end += 1
    if end - start > 1:
        notes.append(f"{arg}: columns {start + 1}-{end} read together as the label "
                     f"(names in {end - start} columns)")
    if (start, end) != (0, 1):  # else the rows are already one label column and the data
        out = []
        for r in rows:
            parts = [label_text(c) for c in r[start:end]]
            parts = list(dict.fromkeys(p for p in parts if p is not None))
            out.append([" / ".join(parts) if parts else None] + r[end:])
        rows = out
    # 3. a units line under the header
    units = None
    k = 1
    while k < len(rows) - 1:
        label, data = rows[k][0], rows[k][1:]
        filled = [c for c in data if not is_blank(c)]
        # the data cells first: a number among them settles it without reading the label
        units_only = filled and all(is_unit_text(c) for c in filled) and (is_blank(label) or is_unit_text(label))
        if units_only or (not filled and not is_blank(label) and is_unit_text(label)):
            units = [label_text(c) for c in data] if filled else [label_text(label)] * len(data)
            notes.append(f"{arg}: row {k + 1} read as the units ("
                         + ", ".join(dict.fromkeys(u for u in units if u)) + "), not as data or labels")
            rows = rows[:k] + rows[k + 1:]
            break
        if not is_blank(label) or not filled or not all(isinstance(c, str) for c in filled):
            break
        k += 1
    # 4. a range that starts below its header row
    head = rows[0]
    nums = [c for c in head[1:] if not is_blank(c) and parse_cell(c)[1] is None]
    if nums and len(nums) * 2 >= len([c for c in head[1:] if not is_blank(c)]) \
            and not all(year_of(c) is not None for c in nums):
        label = label_text(head[0])
        fractional = any(not float(parse_cell(c)[0]).is_integer() for c in nums)
        if _region_like(label) or fractional:
            shown = ", ".join(label_text(c) or "" for c in head[:4])
            raise InputError(f"{arg}: the first row ({shown}, ...) holds numbers where the column labels belong: "
                             f"the range seems to start below its header row; select it from the header row")
    # 5. turned sideways
    transposed = False
    if orient != "any" and len(rows) >= 2 and len(rows[0]) >= 2:
        across = [c for c in rows[0][1:] if not is_blank(c)]
        down = [r[0] for r in rows[1:] if not is_blank(r[0])]
        # regions belong down the first column, periods across the header row
        wrong, right = (across, down) if orient == "regions" else (down, across)
        n_wrong = _labels_say(wrong, orient)
        misplaced = n_wrong >= 2 and n_wrong * 2 >= len(wrong)
        n_right = _labels_say(right, orient) if misplaced else None  # only then does it matter
        what = "regions" if orient == "regions" else "years"
        if misplaced and n_right == 0:
            rows = [list(c) for c in zip(*rows, strict=True)]
            transposed = True
            where, now = ("across the header row", "in rows") if orient == "regions" else ("down the first column", "across")
            notes.append(f"{arg}: the {what} are {where}; the table was read turned ({what} {now})")
        elif orient == "regions" and misplaced and n_right >= 2:
            first_a = next(x for x in across if _labels_say([x], orient))
            first_d = next(x for x in down if _labels_say([x], orient))
            raise InputError(f"{arg}: both the header row ('{label_text(first_a)}') and the first column "
                             f"('{label_text(first_d)}') name regions; put the regions in rows and the "
                             f"sectors or indicators in columns")
    return Layout(rows, notes, units, transposed, end)


def _header_rows(rows: list[list]) -> int:
    """How many leading rows form the header: the first, plus following rows with a blank label cell
    whose other cells are all text (a second header line under merged cells)."""
    n = 1
    while n < len(rows) - 1:
        row = rows[n]
        if not is_blank(row[0]):
            break
        rest = [c for c in row[1:] if not is_blank(c)]
        above = rows[n - 1][1:]
        # Under a header merged across columns the merged cells arrive blank; the line below names them
        # (years, units). Otherwise a label-less line of text only is also a header line.
        fills_merged = any(is_blank(a) and not is_blank(c) for a, c in zip(above, row[1:], strict=True))
        all_text = bool(rest) and all(parse_cell(c)[1] is not None for c in rest)
        if not rest or not (fills_merged or all_text):
            break
        n += 1
    return n


def _column_labels(rows: list[list], n_header: int, notes: list[str], arg: str) -> list[str]:
    width = len(rows[0])
    levels = []
    for h in range(n_header):
        labels, last = [], None
        for j in range(1, width):
            text = label_text(rows[h][j])
            if text is None and last is not None and h < n_header - 1:
                text = last  # continuation cell of a header merged across columns
            labels.append(text)
            last = text if text is not None else last
        levels.append(labels)
    out = []
    for j in range(width - 1):
        parts = [lv[j] for lv in levels if lv[j] is not None]
        # Repeated upper parts (a merged header over several columns) are kept once per column.
        label = " / ".join(dict.fromkeys(parts)) if parts else None
        if label is None:
            label = f"({_col_name(j + 1)})"
            notes.append(f"{arg}: {_col_name(j + 1)} has no header; it is called '{label}'")
        out.append(label)
    if n_header > 1:
        notes.append(f"{arg}: header read from {n_header} rows (merged cells)")
    return out


def read_table(rows, *, arg: str = "values", totals: bool = True, dash_is_zero: bool = False,
               orient: str = "regions") -> Table:
    """Read a region x sector (or region x indicator) table: header row(s), then one row per label.

    The first row holds column labels (more header rows are recognised under merged cells), the first
    column holds row labels; the statistics committee's layout (a code column, names in several
    languages, a units line, regions across) is recognised first (`table_layout`; `orient` says what
    runs along the rows: "regions", "periods" or "any"). With ``totals`` a national-total row and an
    overall-total column are taken out of the values and returned as ``col_totals`` / ``row_totals``.
    ``dash_is_zero``: see `parse_cell`.
    """
    rows = as_rows(rows, arg=arg)
    if rows and all(len(r) == 1 and isinstance(r[0], str) and parse_cell(r[0])[1] for r in rows):
        # text where a table belongs: usually another function's message (one cell, or one column of
        # cells when it is longer than a cell returned to Excel may be, each part but the last ending
        # with " …"); show it
        text = " ".join(" ".join(r[0].split()).removesuffix(" …") for r in rows)
        what = "one cell" if len(rows) == 1 else "one column"
        raise InputError(f"{arg}: expected a table, got {what} of text: \"{text}\"")
    if len(rows) < 2 or len(rows[0]) < 2:
        raise InputError(
            f"{arg}: expected a table with a header row and a first column of labels "
            f"(at least 2 x 2 cells), got {len(rows)} row(s) x {len(rows[0]) if rows else 0} column(s)"
        )
    layout = table_layout(rows, arg=arg, orient=orient)
    rows = layout.rows
    notes: list[str] = list(layout.notes)
    if len(rows) < 2 or len(rows[0]) < 2:
        raise InputError(f"{arg}: the table has no data rows or columns besides its labels")
    n_header = _header_rows(rows)
    columns = _column_labels(rows, n_header, notes, arg)
    body = rows[n_header:]

    texts = [label_text(row[0]) for row in body]
    # A row with a label and a first value is a data row as it is (the usual row); when every row is
    # one, the checks below (no label, no data, a subheading) have nothing to find.
    usual = all(label is not None and not is_blank(row[1]) for row, label in zip(body, texts, strict=True))
    if usual:
        labels, data_rows = texts, [row[1:] for row in body]
        positions = list(range(n_header + 1, n_header + 1 + len(body)))
    else:
        labels, data_rows, positions = [], [], []
    for k, row in enumerate(() if usual else body):
        excel_row = n_header + k + 1
        label = texts[k]
        data = row[1:]
        if label is None:
            if all(is_blank(c) for c in data):
                continue
            label = f"(row {excel_row})"
            notes.append(f"{arg}: row {excel_row} has no label; it is called '{label}'")
        if _norm_label(label) in SUBHEADING_LABELS and all(is_blank(c) for c in data):
            notes.append(f"{arg}: row {excel_row} '{label}' introduces a breakdown and holds no data; skipped")
            continue
        labels.append(label)
        data_rows.append(data)
        positions.append(excel_row)
    _check_unique(labels, positions, arg, "row")
    _check_unique(columns, list(range(2, len(columns) + 2)), arg, "column")

    n, m = len(labels), len(columns)
    flat = list(itertools.chain.from_iterable(data_rows))
    parsed, reasons = parse_grid(flat, dash_is_zero=dash_is_zero)
    vals = parsed.reshape(n, m)
    why = np.full(n * m, None, dtype=object)
    dashes = []
    for k in sorted(reasons):  # only the cells without a number: their reasons name row and column
        i, j = divmod(k, m)
        where = f"row {positions[i]} '{labels[i]}', column {j + 2} '{columns[j]}'"
        why[k] = f"{where}: {reasons[k]}"
        cell = flat[k]
        if isinstance(cell, str) and cell.strip() in DASHES:
            dashes.append(where)
    values = pd.DataFrame(vals, index=pd.Index(labels, dtype=object), columns=pd.Index(columns, dtype=object),
                          copy=False)
    # dtype=object: the reasons as they are (no per-column inference, which would also turn a column of
    # texts into a string dtype whose empty cells are NaN, not None)
    missing = pd.DataFrame(why.reshape(n, m), index=values.index, columns=values.columns, dtype=object,
                           copy=False)

    if dash_is_zero:
        notes.append(f"{arg}: dashes read as 0 (no such production)")
    table = Table(values=values, missing=missing, notes=notes, arg=arg, dashes=dashes, units=layout.units)
    if totals:
        _split_totals(table)
    if table.values.shape[0] == 0 or table.values.shape[1] == 0:
        raise InputError(f"{arg}: the table has no data rows or columns besides its labels and totals")
    return table


def _check_unique(labels, positions, arg, what):
    seen: dict[str, tuple[str, int]] = {}
    for label, pos in zip(labels, positions, strict=True):
        key = label.casefold()
        if key in seen:
            first, first_pos = seen[key]
            raise InputError(
                f"{arg}: {what} label '{first}' appears twice ({what} {first_pos} '{first}' and {what} {pos} "
                f"'{label}'); labels must be unique"
            )
        seen[key] = (label, pos)


def _split_totals(t: Table) -> None:
    total_rows = find_total_labels(t.values.index)
    # Under a header merged across columns, a total column's label is "<upper part> / Всего": its own
    # (last) part decides, as for a single-row header.
    total_cols = [c for c in t.values.columns if is_total_label(c) or is_total_label(str(c).rsplit(" / ", 1)[-1])]
    for kind, found in (("row", total_rows), ("column", total_cols)):
        if len(found) > 1:
            raise InputError(f"{t.arg}: more than one total {kind}: " + ", ".join(f"'{x}'" for x in found))
    if total_rows and total_cols:
        t.grand_total = float(t.values.loc[total_rows[0], total_cols[0]])
        if math.isnan(t.grand_total):
            t.grand_total = None
    if total_rows:
        t.col_totals = t.values.loc[total_rows[0]].drop(total_cols, errors="ignore")
        t.notes.append(f"{t.arg}: row '{total_rows[0]}' read as the national total")
    if total_cols:
        t.row_totals = t.values[total_cols[0]].drop(total_rows, errors="ignore")
        t.notes.append(f"{t.arg}: column '{total_cols[0]}' read as the total of each row")
    if total_rows or total_cols:  # drop() costs about a millisecond even when there is nothing to drop
        t.values = t.values.drop(index=total_rows, columns=total_cols)
        t.missing = t.missing.drop(index=total_rows, columns=total_cols)


@dataclass
class Column:
    """Label -> number pairs (population by region, GRP by region), with an optional total row."""

    values: pd.Series
    missing: pd.Series
    total: float | None = None
    notes: list[str] = field(default_factory=list)
    arg: str = "values"


def _header_text(cell) -> bool:
    """A cell of a header line: text that is not a number, a missing-value mark or an error value."""
    return isinstance(cell, str) and not is_blank(cell) and parse_cell(cell)[1] is not None \
        and cell.strip().lower() not in MISSING_MARKERS and cell.strip().upper() not in ERROR_VALUES


def read_pairs(rows, *, arg: str) -> Column:
    """Read two columns (label, number), or two rows (labels above numbers); a header line is optional.

    The statistics committee's layout is taken as it is: a code column, the names in several columns
    (read as one label) and a units line under the header. A label recognised as a national total
    ("Кыргыз Республикасы", "Всего") gives ``total``.
    """
    rows = as_rows(rows, arg=arg)
    if rows and len(rows) == 2 and len(rows[0]) > 2:
        rows = [list(r) for r in zip(*rows, strict=True)]  # laid out across: labels in the first row
    notes: list[str] = []
    if rows and len(rows[0]) > 2:
        layout = table_layout(rows, arg=arg, orient="any")
        if len(layout.rows[0]) == 2:
            rows, notes = layout.rows, list(layout.notes)
    if not rows or len(rows[0]) != 2:
        width = len(rows[0]) if rows else 0
        heads = [label_text(c) for c in rows[0][1:]] if rows else []
        hint = ""
        if width > 2 and sum(year_of(c) is not None for c in rows[0][1:]) >= 2:
            hint = " (one column per year: select the year's column beside the names)"
        raise InputError(f"{arg}: expected two columns (label, number), got {width} column(s)"
                         + (f": {', '.join(h or '' for h in heads[:4])}" if hint else "") + hint)
    first_value = rows[0][1]
    start = 1
    if _header_text(first_value) or (year_of(first_value) is not None and not is_blank(rows[0][0])
                                     and not _region_like(label_text(rows[0][0]))):
        notes.append(f"{arg}: first row '{label_text(rows[0][0])}' / '{label_text(first_value)}' read as a header")
        rows = rows[1:]
        start = 2
        # more header lines under it (a unit "тыс. чел." under a merged label cell): blank label, text
        while rows and is_blank(rows[0][0]) and _header_text(rows[0][1]):
            notes.append(f"{arg}: row {start} '{label_text(rows[0][1])}' read as part of the header")
            rows, start = rows[1:], start + 1
    parsed = parse_cells([r[1] for r in rows])
    labels, vals, why, total = [], [], [], None
    for k, ((label_cell, cell), (v, reason)) in enumerate(zip(rows, parsed, strict=True), start=start):
        label = label_text(label_cell)
        if label is None:
            if is_blank(cell):
                continue
            raise InputError(f"{arg}: row {k} has a value ({label_text(cell)}) but no label")
        if is_total_label(label):
            if reason is None:
                total = v
                notes.append(f"{arg}: '{label}' read as the national total")
            continue
        labels.append(label)
        vals.append(v)
        why.append(None if reason is None else f"{arg} '{label}': {reason}")
    _check_unique(labels, list(range(1, len(labels) + 1)), arg, "row")
    if not labels:
        raise InputError(f"{arg}: no labelled values found")
    index = pd.Index(labels, dtype=object)
    return Column(pd.Series(vals, index=index, dtype=float), pd.Series(why, index=index, dtype=object),
                  total, notes, arg)


def read_row(rows, *, arg: str) -> list:
    """One row or one column of cells (directions, weights), flattened; trailing blanks dropped."""
    rows = as_rows(rows, arg=arg)
    if not rows:
        return []
    if len(rows) > 1 and len(rows[0]) > 1:
        raise InputError(f"{arg}: expected a single row or column, got {len(rows)} rows x {len(rows[0])} columns")
    flat = [r[0] for r in rows] if len(rows) > 1 else list(rows[0])
    while flat and is_blank(flat[-1]):
        flat.pop()
    return flat


def read_text(cell, *, arg: str, default: str | None = None) -> str | None:
    """An optional text argument (a method name): blank or omitted gives ``default``."""
    if isinstance(cell, (list, tuple, np.ndarray)):
        flat = read_row(cell, arg=arg)
        if len(flat) > 1:
            raise InputError(f"{arg}: expected one cell, got {len(flat)}")
        cell = flat[0] if flat else None
    if is_blank(cell):
        return default
    return " ".join(str(cell).split())
