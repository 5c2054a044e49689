"""xlkg's worksheet functions, for every host: classic Excel (xlwings add-in), Office.js (xlwings
Server / Lite) and headless recalculation (`xlkg recalc`).

Each function receives the raw cells of its ranges (a list of rows; numpy arrays under `formulas`),
reads them with `xlkg.core.cells`, computes with the core (`xlkg.core.measures`, `xlkg.core.dynamics`,
`xlkg.core.rating`, `xlkg.core.peers`) and returns one labelled block (a header row and a label column) as a
list of rows. A value that cannot be computed shows "#N/A"; bad input gives a one-cell block with a
message naming the argument and what is wrong, and so does a block in which no value at all can be
computed (the message names the missing cell behind it and what to do: dash "zero", or give totals).

Functions on region x sector tables take `dash` before `lang`: "missing" (default) reads "-", "–" as
no data, "zero" as the statistics committees' "no such production" (0). LOCALIZATION_MEAN, whose tables
are a repeating argument, takes it as a trailing text "dash=zero". Calling these as plain Python functions with lists of
rows is exactly what Excel does.

The names and argument order are a public contract: workbooks hold them. Add optional arguments at
the end only.
"""

from __future__ import annotations

import re
from numbers import Number

import numpy as np
import pandas as pd

from xlkg.core import cells, clusters, dynamics, measures, peers, rating, shiftshare, words
from xlkg.core.checks import check_lang
from xlkg.core.regions import LANGS, term
from xlkg.core.result import InputError, Result, frame_kind
from xlkg.excel.registry import NA, excel_cell, worksheet_function

DEFAULT_LANG = "ru"

# Labels that xlkg itself writes into result blocks (the glossary holds the measures' names).
_LABELS = {
    "region": {"ky": "Аймак", "ru": "Регион", "en": "Region"},
    "sector": {"ky": "Тармак", "ru": "Отрасль", "en": "Sector"},
    "rank": {"ky": "Орун", "ru": "Место", "en": "Rank"},
    "score": {"ky": "Упай", "ru": "Балл", "en": "Score"},
    "potential": {"ky": "Ki", "ru": "Ki", "en": "Ki"},
    "advantage": {"ky": "Артыкчылык (Ki > {t})", "ru": "Преимущество (Ki > {t})", "en": "Advantage (Ki > {t})"},
    "candidates": {"ky": "Кластер үчүн аймактар", "ru": "Регионы-кандидаты", "en": "Candidate regions"},
    "no_candidates": {"ky": "Ki > {t} болгон аймак жок", "ru": "нет регионов с Ki > {t}", "en": "no region has Ki > {t}"},
    "indicator": {"ky": "Көрсөткүч", "ru": "Показатель", "en": "Indicator"},
    "cluster": {"ky": "Кластер", "ru": "Кластер", "en": "Cluster"},
    "group": {"ky": "Топ", "ru": "Группа", "en": "Group"},
    "status": {"ky": "Баа", "ru": "Оценка", "en": "Status"},
    "no_clusters": {"ky": "Ki > {t} болгон аймак жок", "ru": "нет регионов с Ki > {t}", "en": "no region has Ki > {t}"},
    clusters.SUPPORTED: {"ky": "сандар тастыктайт", "ru": "подтверждено расчётом", "en": "supported by the numbers"},
    clusters.PROPOSAL_ONLY: {"ky": "сандар тастыктабайт", "ru": "расчётом не подтверждено",
                             "en": "not supported by the numbers"},
    clusters.NUMBERS_ONLY: {"ky": "сандар колдойт, сунушта жок", "ru": "поддержано расчётом, в предложении нет",
                            "en": "supported, left out of the proposal"},
    "value": {"ky": "Маани", "ru": "Значение", "en": "Value"},
    "base_growth": {"ky": "Базалык өсүү арымы {t}/{b}, %", "ru": "Базисный темп роста {t}/{b}, %",
                    "en": "Base growth {t}/{b}, %"},
    "chain_growth": {"ky": "Чынжырлуу өсүү арымы {t}/{p}, %", "ru": "Цепной темп роста {t}/{p}, %",
                     "en": "Chain growth {t}/{p}, %"},
    "base_increase": {"ky": "Өсүү {t}−{b}", "ru": "Прирост {t}−{b}", "en": "Increase {t}−{b}"},
    "chain_increase": {"ky": "Өсүү {t}−{p}", "ru": "Прирост {t}−{p}", "en": "Increase {t}−{p}"},
    "share": {"ky": "Үлүшү {t}, %", "ru": "Доля {t}, %", "en": "Share {t}, %"},
    "printed": {"ky": "{t}/{b}", "ru": "{t}/{b}", "en": "{t}/{b}"},
    "growth": {"ky": "Динамика", "ru": "Динамика", "en": "Dynamics"},
    "hoover": {"ky": "Гувер коэффициенти", "ru": "Коэффициент Гувера", "en": "Hoover specialization"},
    "krugman": {"ky": "Кругман индекси", "ru": "Индекс Кругмана", "en": "Krugman specialization"},
    "gini": {"ky": "Джини (LQ)", "ru": "Джини (LQ)", "en": "Gini of LQ"},
    "herfindahl": {"ky": "Херфиндаль индекси", "ru": "Индекс Херфиндаля", "en": "Herfindahl index"},
    "herfindahl_normalized": {"ky": "Херфиндаль индекси (нормаланган)", "ru": "Индекс Херфиндаля (норм.)",
                              "en": "Herfindahl index (normalized)"},
    "locq_additive": {"ky": "Аддитивдик LQ", "ru": "Аддитивный LQ", "en": "Additive LQ"},
    "litzenberger": {"ky": "Литценбергер-Штернберг индекси", "ru": "Индекс Литценбергера-Штернберга",
                     "en": "Litzenberger-Sternberg cluster index"},
    "eco_stars": {"ky": "ECO жылдыздары", "ru": "Звёзды ECO", "en": "ECO stars"},
    "strong_cluster": {"ky": "Күчтүү кластер (US)", "ru": "Сильный кластер (US)", "en": "Strong cluster (US)"},
    "localization_mean": {"ky": "Орточо локалдаштыруу коэффициенти", "ru": "Средний коэффициент локализации",
                          "en": "Average localization coefficient"},
}


# ---------------------------------------------------------------------------------------------
# language and result blocks


def _lang(lang) -> str:
    text = cells.read_text(lang, arg="lang", default=DEFAULT_LANG)
    return check_lang(text)


def _label(key: str, lang: str, **fmt) -> str:
    if key in _LABELS:
        return _LABELS[key][lang].format(**fmt)
    return term(key, lang)


_out = excel_cell  # one result cell: numbers as float, booleans kept, missing as #N/A (never NaN or None)


def _block(values: pd.DataFrame, corner: str) -> list[list]:
    """A labelled block: [corner, column labels...], then [row label, values...] per row."""
    rows = [[corner] + [str(c) for c in values.columns]]
    if frame_kind(values) == "f":  # numbers only (the usual result)
        rows.extend(_number_rows(values.index, values.to_numpy(dtype=float)))
        return rows
    data = values.to_numpy(dtype=object)
    for label, row in zip(values.index, data, strict=True):
        rows.append([str(label)] + [_out(v) for v in row])
    return rows


def _number_rows(labels, arr: np.ndarray) -> list[list]:
    """[label, numbers...] per row of a float array: the whole array converted at once, then #N/A
    where NaN or infinite (what `_out` gives cell by cell)."""
    data = arr.tolist()
    for i, j in zip(*np.nonzero(~np.isfinite(arr)), strict=True):
        data[i][j] = NA
    return [[str(label)] + row for label, row in zip(labels.tolist(), data, strict=True)]


def _text(cell, *, arg: str, default: str | None = None) -> str | None:
    return cells.read_text(cell, arg=arg, default=default)


def _one_cell(cell, *, arg: str, expected: str):
    """A single-value argument given as a range: its one cell (None when the range is empty)."""
    if isinstance(cell, (list, tuple, np.ndarray)):
        flat = cells.read_row(cell, arg=arg)
        if len(flat) > 1:
            raise InputError(f"{arg}: expected {expected}, got {len(flat)} cells")
        cell = flat[0] if flat else None
    return cell


def _number(cell, *, arg: str, default: float) -> float:
    cell = _one_cell(cell, arg=arg, expected="one number")
    if cells.is_blank(cell):
        return default
    return cells.parse_number(cell, where=arg)


def _table(rows, arg: str, *, totals: bool = True, dash: bool = False, orient: str = "regions") -> cells.Table:
    return cells.read_table(rows, arg=arg, totals=totals, dash_is_zero=dash, orient=orient)


_DASH_ZERO = ("zero", "0", "ноль", "нөл", "нол")
_DASH_MISSING = ("missing", "no data", "нет данных", "н/д", "маалымат жок", "жок")
_LANG_DOC = "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\"."
_DASH_DOC = ("Optional. What a dash (\"-\", \"–\") in the tables means: \"missing\" (default: no data, and a "
             "sum over it is missing too) or \"zero\" (no such production, the statistics committees' convention).")


def _dash(cell) -> bool:
    """The `dash` argument: "zero" (a dash is 0, no such production) -> True; "missing" or blank -> False."""
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, Number) and not isinstance(cell, bool) and float(cell) == 0.0:
        return True
    text = _text(cell, arg="dash")
    if text is None:
        return False
    t = words.translate(text, "dash").strip().casefold()
    if t in _DASH_ZERO:
        return True
    if t in _DASH_MISSING:
        return False
    hint = " (the language is the argument after dash)" if t in LANGS else ""
    raise InputError(f"dash: expected \"missing\" (a dash is no data) or \"zero\" (a dash is 0), got \"{text}\"{hint}")


def _measure_block(r: Result, corner: str, tables=(), *, pairs=(), dash: bool = False,
                   totals_hint: str | None = None, dash_hint: str = "add dash \"zero\""):
    """The values of a measure for `_block`; when no value at all can be computed, a one-cell message
    instead: why, which input cell causes it, and what to do (dash "zero", give totals)."""
    values = r.values if isinstance(r.values, pd.DataFrame) else r.values.to_frame(corner)
    arr = values.to_numpy(dtype=float)
    if arr.size and np.isnan(arr).all():
        raise InputError(_nothing_computed(r, tables, pairs, dash=dash, totals_hint=totals_hint, dash_hint=dash_hint))
    return values


def _given(x) -> bool:
    """An optional range argument was given (not omitted, not a blank cell)."""
    if x is None:
        return False
    if isinstance(x, (list, tuple, np.ndarray)):
        return any(not cells.is_blank(c) for r in cells.as_rows(x, arg="_") for c in r)
    return not cells.is_blank(x)


def _pairs(rows, arg: str) -> cells.Column:
    return cells.read_pairs(rows, arg=arg)


# reasons of the core that mean "a sum over the table met a missing cell"
_SUM_REASONS = ("missing value in the table", "missing value in the row", "missing value in the column",
                "location quotient missing", "national totals not computable")


def _nothing_computed(r: Result, tables, pairs, *, dash: bool, totals_hint: str | None, dash_hint: str) -> str:
    reasons = [] if r.reasons is None else [x for x in np.ravel(r.reasons.to_numpy(dtype=object))
                                            if isinstance(x, str)]
    # a reason that spoils every cell (a total that cannot be formed) explains the block best
    whole = [x for x in reasons if "not computable" in x]
    pool = whole or reasons
    why = max(pool, key=pool.count) if pool else "no input value"
    table_missing = [x for t in tables for x in np.ravel(t.missing.to_numpy(dtype=object)) if isinstance(x, str)]
    dashes = [d for t in tables for d in t.dashes]
    if any(k in why for k in _SUM_REASONS) and table_missing:
        arg = tables[0].arg
        first = next((m for m in table_missing if dashes and m.startswith(dashes[0] + ":")), table_missing[0])
        more = len(table_missing) - 1
        text = (f"{arg}: no value can be computed: the table's sums meet a missing cell ({first}"
                + (f"; {more} more" if more else "") + ").")
        hints = []
        if dashes and not dash:
            hints.append(f"if \"-\" means no such production, {dash_hint}")
        if totals_hint:
            hints.append(f"give {totals_hint}")
        if hints:
            joined = "; or ".join(hints)
            text += " " + joined[0].upper() + joined[1:] + "."
        return text
    for c in pairs:  # a per-region input (population, GRP, area) with a gap spoils its national sum
        gaps = [x for x in c.missing if isinstance(x, str)]
        if gaps and c.total is None:
            return (f"{c.arg}: no value can be computed: its sum over the regions meets a missing value ({gaps[0]}). "
                    f"Give the value, or a national-total row (\"Кыргыз Республикасы\") in {c.arg}.")
    arg = tables[0].arg if tables else "values"
    first = (table_missing or [None])[0]
    text = f"{arg}: no value can be computed: {why}" + (f" ({first})." if first and first not in why else ".")
    if dashes and not dash:
        text += f" If \"-\" means no such production, {dash_hint}."
    return text


# ---------------------------------------------------------------------------------------------
# measures (docs/methods.md, localization to cluster potential)


def _localization_totals(t: cells.Table, region_totals, sector_totals):
    rt = st = gt = None
    if _given(region_totals):
        col = _pairs(region_totals, "region_totals")
        rt, gt = col.values, col.total
    else:
        rt = t.row_totals
    if _given(sector_totals):
        col = _pairs(sector_totals, "sector_totals")
        st = col.values
        gt = col.total if col.total is not None else gt
    else:
        st = t.col_totals
    if gt is None:
        gt = t.grand_total
    return dict(region_totals=rt, sector_totals=st, grand_total=gt)


_LOC_TOTALS_HINT = ("the totals: a \"Кыргыз Республикасы\" row and a \"Бардыгы\" column in the table, or "
                    "region_totals and sector_totals")
_X_TOTALS_HINT = "the national totals: a \"Кыргыз Республикасы\" row in the table"

@worksheet_function(
    ranges=("values", "region_totals", "sector_totals"),
    args={
        "values": "Region x sector table: header row of sectors, first column of regions; may hold a national-total row and a regional-total column.",
        "region_totals": "Optional. Two columns (region, total of all industry); default: a total column in values, else row sums.",
        "sector_totals": "Optional. Two columns or rows (sector, national total); default: a national-total row in values, else column sums.",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
    examples=("=LOCALIZATION(Output!A1:G11)", '=LOCALIZATION(Output!A1:G11, , , "zero")'),
)
def LOCALIZATION(values, region_totals=None, sector_totals=None, dash=None, lang=None):
    """Localization coefficient Kl = (x_ri / x_r) / (x_i / x) for every region and sector, as one labelled block. Totals: given ranges win, else a total row/column in the table, else sums."""
    lg = _lang(lang)
    dz = _dash(dash)
    t = _table(values, "values", dash=dz)
    r = measures.localization(t, **_localization_totals(t, region_totals, sector_totals))
    corner = _label("measure.localization", lg)
    return _block(_measure_block(r, corner, [t], dash=dz, totals_hint=_LOC_TOTALS_HINT), corner)


@worksheet_function(
    ranges=("bases",),
    args={
        "bases": "Region x sector tables on different bases (output, employment, enterprises...), same labels; last text arguments: \"geometric\" or \"arithmetic\" (the mean), \"dash=zero\" (a dash is 0), \"lang=ky\" (or \"ky\", \"ru\", \"en\").",
    },
    examples=("=LOCALIZATION_MEAN(Output!A1:G11, Employment!A1:G11, Enterprises!A1:G11)",
              '=LOCALIZATION_MEAN(Output!A1:G11, Employment!A1:G11, "geometric", "dash=zero", "lang=ky")'),
)
def LOCALIZATION_MEAN(*bases):
    """Average localization coefficient over several bases (arithmetic mean by default). Last text arguments: "geometric"; "dash=zero" (a dash is 0, no such production); "lang=ky" (or "ky", "ru", "en"). Each table may hold its own total row/column."""
    items = list(bases)
    method, dz, lg = "arithmetic", False, DEFAULT_LANG
    while items and _option_text(items[-1]) is not None:
        text = _option_text(items.pop())
        key, eq, val = (p.strip() for p in text.partition("="))
        key = key.casefold()
        if eq and key in _DASH_KEYS:
            dz = _dash(val)
        elif eq and key in _LANG_KEYS:
            lg = _lang(val)
        elif eq:
            raise InputError(f"bases: unknown option \"{text}\"; options are \"geometric\", \"arithmetic\", "
                             "\"dash=zero\", \"dash=missing\", \"lang=ky\", \"lang=ru\", \"lang=en\"")
        elif text.strip().casefold() in LANGS:
            lg = text.strip().casefold()
        else:
            method = text.strip().lower()
    if not items:
        raise InputError("bases: give at least one region x sector table")
    tables = [_table(rows, f"base {k}", dash=dz) for k, rows in enumerate(items, start=1)]
    totals = [{"region_totals": t.row_totals, "sector_totals": t.col_totals, "grand_total": t.grand_total}
              for t in tables]
    r = measures.localization_mean(tables, method=method, totals=totals)
    corner = _label("localization_mean", lg)
    return _block(_measure_block(r, corner, tables, dash=dz, totals_hint=_LOC_TOTALS_HINT.split(" in the table")[0] + " in each table",
                                 dash_hint="add \"dash=zero\" as the last argument"), corner)


# the option names of LOCALIZATION_MEAN's trailing "name=value" texts, in English, Russian and Kyrgyz
_DASH_KEYS = ("dash", "прочерк", "тире", "сызыкча")
_LANG_KEYS = ("lang", "language", "язык", "тил")


def _option_text(item) -> str | None:
    """A trailing text option of a varargs function (typed in the formula or one cell), else None."""
    if isinstance(item, (list, tuple, np.ndarray)):
        flat = cells.as_rows(item, arg="option")
        if not (len(flat) == 1 and len(flat[0]) == 1):
            return None
        item = flat[0][0]
    if isinstance(item, str) and not cells.is_blank(item):
        return " ".join(item.split())
    return None


@worksheet_function(
    ranges=("values", "population"),
    args={
        "values": "Region x sector table of output (value terms): header row of sectors, first column of regions; a national-total row is used as x_i.",
        "population": "Two columns (region, population), matched to values by region name in any language; a national-total row gives P.",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
    examples=("=PER_CAPITA(Output!A1:G11, Regions!A1:B10)",),
)
def PER_CAPITA(values, population, dash=None, lang=None):
    """Per-capita production coefficient Kdp = (x_ri / x_i) / (P_r / P) for every region and sector; population is matched by region name, not by position."""
    lg = _lang(lang)
    dz = _dash(dash)
    t = _table(values, "values", dash=dz)
    pop = _pairs(population, "population")
    r = measures.per_capita(t, pop.values, sector_totals=t.col_totals, total_population=pop.total)
    corner = _label("measure.per_capita", lg)
    return _block(_measure_block(r, corner, [t], pairs=[pop], dash=dz, totals_hint=_X_TOTALS_HINT), corner)


@worksheet_function(
    ranges=("values", "grp", "outflow"),
    args={
        "values": "Region x sector table of output: header row of sectors, first column of regions; a national-total row is used as x_i.",
        "grp": "Two columns (region, gross regional product), matched by region name; a national-total row gives Y (GDP).",
        "method": "Optional. \"grp\" (default): Y = GRP; \"industry_total\": Y = industrial output (equals localization); \"marketability\": outflow / output.",
        "outflow": "Optional. For method \"marketability\": region x sector table of what each region ships out, same labels as values.",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
    examples=("=SPECIALIZATION(Output!A1:G11, GRP!A1:B10)",),
)
def SPECIALIZATION(values, grp, method="grp", outflow=None, dash=None, lang=None):
    """Specialization coefficient Ks = (x_ri / x_i) / (Y_r / Y), Y = gross regional product (a reconstruction; other variants by method). GRP is matched by region name."""
    lg = _lang(lang)
    dz = _dash(dash)
    t = _table(values, "values", dash=dz)
    m = _text(method, arg="method", default="grp")
    kwargs = dict(sector_totals=t.col_totals)
    y = None
    m = measures.check_method(m, measures.SPECIALIZATION_METHODS)  # "ВРП", "товарность" name them too
    if m == "industry_total":
        kwargs.update(region_totals=t.row_totals, grand_total=t.grand_total)
    elif m != "marketability" or _given(grp):
        col = _pairs(grp, "grp")
        y = col.values
        kwargs["grp_total"] = col.total
    of = _table(outflow, "outflow", dash=dz) if _given(outflow) else None
    r = measures.specialization(t, y, method=m, outflow=of, **kwargs)
    corner = _label("measure.specialization", lg)
    tables = [t] if of is None else [t, of]
    pairs = [] if y is None else [col]
    return _block(_measure_block(r, corner, tables, pairs=pairs, dash=dz, totals_hint=_X_TOTALS_HINT), corner)


@worksheet_function(
    ranges=("localization_kl", "per_capita_kdp", "specialization_ks"),
    args={
        "localization_kl": "Localization coefficients as LOCALIZATION or LOCALIZATION_MEAN return them (labelled block).",
        "per_capita_kdp": "Per-capita production coefficients as PER_CAPITA returns them; matched by region and sector labels.",
        "specialization_ks": "Specialization coefficients as SPECIALIZATION returns them; matched by region and sector labels.",
        "method": "Optional. \"geometric\" (default): (Kl*Kdp*Ks)^(1/3); \"mean\": arithmetic mean; \"product\": Kl*Kdp*Ks.",
        "lang": _LANG_DOC,
    },
    examples=("=CLUSTER_POTENTIAL(LOCALIZATION(Output!A1:G11), PER_CAPITA(Output!A1:G11, Pop!A1:B10), "
              "SPECIALIZATION(Output!A1:G11, GRP!A1:B10))",),
)
def CLUSTER_POTENTIAL(localization_kl, per_capita_kdp, specialization_ks, method="geometric", lang=None):
    """Integral coefficient of cluster-formation potential Ki = (Kl * Kdp * Ks)^(1/3) (geometric by default; "mean" or "product"). Tables are matched by labels; Ki > 1 reads as an advantage."""
    lg = _lang(lang)
    parts = [_table(x, name, totals=False).values for x, name in
             ((localization_kl, "localization_kl"), (per_capita_kdp, "per_capita_kdp"),
              (specialization_ks, "specialization_ks"))]
    m = _text(method, arg="method", default="geometric")
    r = measures.cluster_potential(*parts, method=m)
    corner = _label("measure.cluster_potential", lg)
    return _block(_measure_block(r, corner), corner)


@worksheet_function(
    ranges=("potential",),
    args={
        "potential": "Cluster-formation potentials as CLUSTER_POTENTIAL returns them (regions x sectors, labelled).",
        "threshold": "Optional. A region has an advantage in a sector when Ki exceeds this number; default 1.",
        "lang": _LANG_DOC,
    },
)
def ADVANTAGE(potential, threshold=1, lang=None):
    """Absolute advantage for forming a cluster: TRUE where Ki exceeds the threshold (default 1, as the seed reads Table 3.1), FALSE where not, #N/A where Ki is missing."""
    lg = _lang(lang)
    thr = _number(threshold, arg="threshold", default=1.0)
    t = _table(potential, "potential", totals=False)
    r = measures.advantage(t.values, threshold=thr)
    return _block(r.values, _label("advantage", lg, t=f"{thr:g}"))


@worksheet_function(
    ranges=("potential",),
    args={
        "potential": "Cluster-formation potentials as CLUSTER_POTENTIAL returns them (regions x sectors, labelled).",
        "threshold": "Optional. Regions whose Ki exceeds this number are candidates; default 1.",
        "lang": _LANG_DOC,
    },
)
def CANDIDATES(potential, threshold=1, lang=None):
    """Per sector, the candidate regions for a cluster (Ki above the threshold, default 1), best first: sector, rank, region, Ki."""
    lg = _lang(lang)
    thr = _number(threshold, arg="threshold", default=1.0)
    t = _table(potential, "potential", totals=False)
    r = measures.candidates(t.values, threshold=thr)
    header = [_label("sector", lg), _label("rank", lg), _label("region", lg), _label("potential", lg)]
    rows = [header]
    for sector, rank, region, ki in r.values.itertuples(index=False):
        rows.append([str(sector), float(rank), str(region), _out(ki)])
    if len(rows) == 1:  # say so rather than leave a row of bare #N/A
        rows.append([_label("no_candidates", lg, t=f"{thr:g}"), NA, NA, NA])
    return rows


_MAPPING_DOC = ("Optional. Cluster types and their sectors: rows of 'cluster type | sector' (several sectors separated "
                "by \";\"), labels in any language; default the seed's four types (Figure 1).")


def _label_rows(rows, arg: str):
    """An optional two-column range of labels (mapping, proposal): None when omitted or empty."""
    if rows is None or not isinstance(rows, (list, tuple, np.ndarray)):
        return None if cells.is_blank(rows) else [[rows]]
    kept = [[None if cells.is_blank(c) else cells.label_text(c) for c in row] for row in cells.as_rows(rows, arg=arg)]
    kept = [row for row in kept if any(c is not None for c in row)]
    return kept or None


def _cluster_name(label: str, lg: str) -> str:
    return term(label, lg) if label.startswith("cluster.") else label


@worksheet_function(
    ranges=("potential", "mapping"),
    args={
        "potential": "Cluster-formation potentials as CLUSTER_POTENTIAL returns them (regions x sectors, labelled).",
        "mapping": _MAPPING_DOC,
        "threshold": "Optional. A region supports a cluster type when its Ki exceeds this number in one of the "
                     "type's sectors; default 1.",
        "lang": _LANG_DOC,
    },
)
def CLUSTERS(potential, mapping=None, threshold=1, lang=None):
    """Inter-regional clusters proposed by the numbers: per cluster type, the regions with Ki above the threshold in its sectors, grouped by shared borders: cluster, group, region, sector, Ki."""
    lg = _lang(lang)
    thr = _number(threshold, arg="threshold", default=1.0)
    t = _table(potential, "potential", totals=False)
    r = clusters.propose_clusters(t.values, mapping=_label_rows(mapping, "mapping"), threshold=thr)
    rows = [[_label(k, lg) for k in ("cluster", "group", "region", "sector", "potential")]]
    for cluster, group, region, sector, ki in r.values.itertuples(index=False):
        rows.append([_cluster_name(str(cluster), lg), float(group), str(region), str(sector), _out(ki)])
    if len(rows) == 1:
        rows.append([_label("no_clusters", lg, t=f"{thr:g}"), NA, NA, NA, NA])
    return rows


@worksheet_function(
    ranges=("potential", "proposal", "mapping"),
    args={
        "potential": "Cluster-formation potentials as CLUSTER_POTENTIAL returns them (regions x sectors, labelled).",
        "proposal": "Optional. The clusters to check: rows of 'cluster type | region' (several regions separated "
                    "by \";\"); default the seed's Figure 1.",
        "mapping": _MAPPING_DOC,
        "threshold": "Optional. Ki above this number supports a region; default 1.",
        "lang": _LANG_DOC,
    },
)
def CLUSTER_CHECK(potential, proposal=None, mapping=None, threshold=1, lang=None):
    """A proposal of clusters (default: the seed's Figure 1) set against the numbers: which regions Ki supports, which the proposal adds without support, which it leaves out."""
    lg = _lang(lang)
    thr = _number(threshold, arg="threshold", default=1.0)
    t = _table(potential, "potential", totals=False)
    r = clusters.compare_clusters(t.values, proposal=_label_rows(proposal, "proposal"),
                                  mapping=_label_rows(mapping, "mapping"), threshold=thr)
    rows = [[_label(k, lg) for k in ("cluster", "region", "status", "sector", "potential")]]
    for cluster, region, status, sector, ki in r.values.itertuples(index=False):
        rows.append([_cluster_name(str(cluster), lg), str(region), _label(status, lg),
                     str(sector) if isinstance(sector, str) else NA,
                     _out(ki)])
    return rows


# ---------------------------------------------------------------------------------------------
# integral regional rating (formula (2) and its alternatives)

_IND_DOC = ("Region x indicator table: header row of indicator names, first column of regions; a national-total "
            "row is left out.")
_DIR_DOC = ("Optional. One row (or column) of + / - (or 1 / -1), one per indicator column, or a text \"+,+,-\": "
            "more is better / less is better; default all +.")
_W_DOC = "Optional. One row (or column) of weights >= 0, one per indicator; default equal weights (formula (2))."
_METHOD_DOC = ("Optional. Normalisation: \"ratio\" (default: x/max, min/x), \"minmax\", \"zscore\", \"rank\" (sum of "
               "places), \"distance\".")
_AGG_DOC = "Optional. \"mean\" (default), \"geometric\" or \"weighted\" (the default when weights are given)."
_COV_DOC = ("Optional. Share of the indicators a region needs for a score, above 0 and at most 1; default 0.5 "
            "(at least half).")
_REF_DOC = "Optional. For method \"distance\": the reference region (any language); default the best value of each indicator."

# Column labels of the rating blocks (the core names them in English).
_RATING_LABELS = {
    "score": _LABELS["score"],
    "rank": _LABELS["rank"],
    "mean score": {"ky": "Орточо упай", "ru": "Средний балл", "en": "Mean score"},
    "rank of mean score": {"ky": "Орточо упай боюнча орун", "ru": "Место по среднему баллу",
                           "en": "Rank of mean score"},
    "period score": {"ky": "Мезгилдин упайы", "ru": "Балл за период", "en": "Period score"},
    "period rank": {"ky": "Мезгил боюнча орун", "ru": "Место за период", "en": "Period rank"},
    "rank change": {"ky": "Ордун өзгөрүшү", "ru": "Изменение места", "en": "Rank change"},
    "best rank": {"ky": "Эң жакшы орун", "ru": "Лучшее место", "en": "Best rank"},
    "worst rank": {"ky": "Эң начар орун", "ru": "Худшее место", "en": "Worst rank"},
    "rank range": {"ky": "Орундардын айырмасы", "ru": "Размах мест", "en": "Rank range"},
    "best with": {"ky": "Эң жакшы орун: ыкма", "ru": "Лучшее место: метод", "en": "Best with"},
    "worst with": {"ky": "Эң начар орун: ыкма", "ru": "Худшее место: метод", "en": "Worst with"},
    "spearman": {"ky": "Спирмен корреляциясы", "ru": "Корреляция Спирмена", "en": "Spearman correlation"},
    "key": {"ky": "Код", "ru": "Код", "en": "Key"},
    "group": {"ky": "Топ", "ru": "Группа", "en": "Group"},
    "unit": {"ky": "Бирдик", "ru": "Единица", "en": "Unit"},
    "direction": {"ky": "Багыт", "ru": "Направление", "en": "Direction"},
    "note": {"ky": "Эскертүү", "ru": "Примечание", "en": "Note"},
}


def _rating_label(column: str, lang: str) -> str:
    """'score 2015' -> 'Балл 2015'; 'mean score' -> 'Средний балл'; unknown labels stay as they are."""
    text = str(column)
    if text in _RATING_LABELS:
        return _RATING_LABELS[text][lang]
    head, _, tail = text.partition(" ")
    if head in ("score", "rank") and tail:
        return f"{_RATING_LABELS[head][lang]} {tail}"
    return text


def _directions(directions):
    """One row/column of cells, or one cell typed as text "+,+,-" (also "+;+;-"); None when not given."""
    if not _given(directions):
        return None
    flat = cells.read_row(directions, arg="directions") if isinstance(directions, (list, tuple, np.ndarray)) \
        else [directions]
    if len(flat) == 1 and isinstance(flat[0], str) and re.search(r"[,;]", flat[0]):
        return [p.strip() for p in re.split(r"[,;]", flat[0])]
    return flat


def _rating_args(directions, weights, method, aggregation, min_coverage):
    """Directions, weights, method, aggregation and min_coverage as xlkg.core.rating takes them."""
    dirs = _directions(directions)
    w = None
    if _given(weights):
        w = [cells.parse_number(c, where=f"weights, position {k}")
             for k, c in enumerate(cells.read_row(weights, arg="weights"), start=1)]
    m = _text(method, arg="method", default=rating.DEFAULT_METHOD)
    agg = _text(aggregation, arg="aggregation")
    cov = _number(min_coverage, arg="min_coverage", default=rating.DEFAULT_MIN_COVERAGE)
    return dirs, w, m, agg, cov


def _view(view, choices: tuple, default: str) -> str:
    v = words.translate(_text(view, arg="view", default=default) or default, "rating view").strip().lower()
    if v not in choices:
        raise InputError("view: expected " + ", ".join(f"\"{c}\"" for c in choices) + f", got \"{v}\"")
    return v


def _flag(cell, *, arg: str) -> bool:
    """TRUE/FALSE (or 1/0, "yes"/"no", "да"/"нет", "ооба"/"жок") for an optional switch; blank = FALSE."""
    cell = _one_cell(cell, arg=arg, expected="TRUE or FALSE")
    if cells.is_blank(cell):
        return False
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, Number) and float(cell) in (0.0, 1.0):
        return float(cell) == 1.0
    text = str(cell).strip().casefold()
    if text in ("true", "истина", "1", "yes", "да", "ооба"):
        return True
    if text in ("false", "ложь", "0", "no", "нет", "жок"):
        return False
    raise InputError(f"{arg}: expected TRUE or FALSE, got {cell!r}")


def _names_list(cell, *, arg: str) -> list[str] | None:
    """Method names from a text ("ratio, minmax") or a row/column of cells; None when not given."""
    if not _given(cell):
        return None
    items = cells.read_row(cell, arg=arg) if isinstance(cell, (list, tuple, np.ndarray)) else [cell]
    out = []
    for c in items:
        if cells.is_blank(c):
            continue
        out += [p for p in re.split(r"[,;\s]+", str(c).strip()) if p]
    return out or None


@worksheet_function(
    ranges=("indicators", "directions", "weights"),
    args={
        "indicators": _IND_DOC,
        "directions": _DIR_DOC,
        "weights": _W_DOC,
        "method": _METHOD_DOC,
        "aggregation": _AGG_DOC,
        "min_coverage": _COV_DOC,
        "reference": _REF_DOC,
        "lang": _LANG_DOC,
    },
    examples=("=REGION_RATING(Indicators!A1:F10, Indicators!B12:F12)",),
)
def REGION_RATING(indicators, directions=None, weights=None, method=None, aggregation=None, min_coverage=None,
                  reference=None, lang=None):
    """Integral rating of regions R = (1/n) * sum of indicator scores (x/max, or min/x for less-is-better): region, score and rank (as RANK.EQ, 1 = best), in input order."""
    lg = _lang(lang)
    t = _table(indicators, "indicators")
    dirs, w, m, agg, cov = _rating_args(directions, weights, method, aggregation, min_coverage)
    ref = _text(reference, arg="reference")
    r = rating.rate(t, directions=dirs, weights=w, method=m, aggregation=agg, min_coverage=cov, reference=ref)
    rows = [[_label("region", lg), _label("score", lg), _label("rank", lg)]]
    rows.extend(_number_rows(r.values.index, r.values[["score", "rank"]].to_numpy(dtype=float)))
    return rows


@worksheet_function(
    ranges=("indicators", "directions"),
    args={
        "indicators": _IND_DOC,
        "directions": _DIR_DOC,
        "method": _METHOD_DOC,
        "reference": _REF_DOC,
        "lang": _LANG_DOC,
    },
    examples=("=REGION_RATING_SCORES(Indicators!A1:F10, Indicators!B12:F12)",),
)
def REGION_RATING_SCORES(indicators, directions=None, method=None, reference=None, lang=None):
    """Score of every region on every indicator before aggregation (ratio: x/max, min/x; or minmax, zscore, rank = place, distance: x/ref), as a region x indicator block."""
    lg = _lang(lang)
    t = _table(indicators, "indicators")
    dirs = _directions(directions)
    m = _text(method, arg="method", default=rating.DEFAULT_METHOD)
    ref = _text(reference, arg="reference")
    r = rating.normalise(t, directions=dirs, method=m, reference=ref)
    return _block(r.values, f"{_label('score', lg)} ({rating.parse_method(m)})")


@worksheet_function(
    ranges=("data", "directions", "weights"),
    args={
        "data": "Long table, one row per region and year: header region / регион / аймак, year / год / жыл, then one column per indicator.",
        "directions": _DIR_DOC,
        "weights": _W_DOC,
        "method": _METHOD_DOC,
        "aggregation": _AGG_DOC,
        "min_coverage": _COV_DOC,
        "view": "Optional. \"all\" (default: scores and ranks per year, mean score, period rating, rank change), \"ranks\" or \"scores\" (per year).",
        "lang": _LANG_DOC,
    },
    examples=('=REGION_RATING_YEARS(Panel!A1:E46, Panel!C48:E48, , , , , "ranks")',),
)
def REGION_RATING_YEARS(data, directions=None, weights=None, method=None, aggregation=None, min_coverage=None,
                        view=None, lang=None):
    """Integral rating for each year and over the period (mean of yearly scores; rating of period means), with ranks per year and the rank change from the first to the last year."""
    lg = _lang(lang)
    v = _view(view, ("all", "ranks", "scores"), "all")
    long = rating.long_table_from_rows(data, arg="data")
    total = long["region"].map(cells.is_total_label).astype(bool)
    long = long[~total.to_numpy()]  # a national-total row is not a region
    dirs, w, m, agg, cov = _rating_args(directions, weights, method, aggregation, min_coverage)
    r = rating.rate_years(long, directions=dirs, weights=w, method=m, aggregation=agg, min_coverage=cov)
    values = r.values
    if v != "all":
        values = values[[c for c in values.columns if str(c).startswith(v[:-1] + " ")
                         and str(c).split(" ", 1)[1][:1].isdigit()]]
    values = values.rename(columns=lambda c: _rating_label(c, lg))
    return _block(values, _label("region", lg))


@worksheet_function(
    ranges=("indicators", "directions", "weights", "methods"),
    args={
        "indicators": _IND_DOC,
        "directions": _DIR_DOC,
        "weights": _W_DOC,
        "drop_one": "Optional. TRUE: also rate without each indicator in turn; default FALSE.",
        "methods": "Optional. Normalisations to compare, as text \"ratio,minmax,rank\" or a row of cells; default all five.",
        "view": "Optional. \"summary\" (default: rank, best and worst rank, range, and the methods giving them), \"ranks\" (per combination) or \"correlation\" (Spearman).",
        "min_coverage": _COV_DOC,
        "lang": _LANG_DOC,
    },
    examples=('=REGION_RATING_SENSITIVITY(Indicators!A1:F10, Indicators!B12:F12)',),
)
def REGION_RATING_SENSITIVITY(indicators, directions=None, weights=None, drop_one=None, methods=None, view=None,
                              min_coverage=None, lang=None):
    """How a region's rank depends on the method: its rank by formula (2) (weighted when weights are given) and its best and worst rank over all normalisation and aggregation combinations, optionally dropping one indicator."""
    lg = _lang(lang)
    v = _view(view, ("summary", "ranks", "correlation"), "summary")
    t = _table(indicators, "indicators")
    dirs, w, _, _, cov = _rating_args(directions, weights, None, None, min_coverage)
    s = rating.sensitivity(t, directions=dirs, weights=w, min_coverage=cov,
                           methods=_names_list(methods, arg="methods"), drop_one=_flag(drop_one, arg="drop_one"))
    if v == "ranks":
        return _block(s.ranks, _label("region", lg))
    if v == "correlation":
        return _block(s.correlation, _RATING_LABELS["spearman"][lg])
    values = s.values.rename(columns=lambda c: _rating_label(c, lg))
    return _block(values, _label("region", lg))


@worksheet_function(
    args={"lang": "Optional. Language of the names and labels: \"ky\", \"ru\" (default) or \"en\"."},
    examples=('=RATING_INDICATORS("ky")',),
)
def RATING_INDICATORS(lang=None):
    """Suggested indicators for the industrial rating (resource potential, effectiveness, efficiency): key, group, name, unit, direction (+ more is better, - less is better), where to find it."""
    lg = _lang(lang)
    t = rating.suggested_indicators()
    head = [_RATING_LABELS[k][lg] for k in ("key", "group")] + [_label("indicator", lg)] + [
        _RATING_LABELS[k][lg] for k in ("unit", "direction", "note")]
    rows = [head]
    for rec in t.to_dict("records"):
        group = rating.GROUPS.get(rec["group"], {}).get(lg, rec["group"])
        rows.append([rec["key"], group, rec[lg], rec["unit"], rec["direction"], rec["note"]])
    return rows


# ---------------------------------------------------------------------------------------------
# the rating as a composite indicator (imputation, outlier treatment, uncertainty, coherence)

_TREAT_DOC = ("Optional. Outlier treatment before normalisation: \"none\" (default), \"winsorise\", \"log\" or "
              "\"auto\" (winsorise up to 5 points, else log), applied where |skew| >= 2 and kurtosis >= 3.5.")
_IMPUTE_DOC = ("Optional. Missing values: \"none\" (default: a region is rated on the indicators it has), "
               "\"mean\" or \"median\" (of the indicator over the regions); filled cells are flagged.")

_COMPOSITE_LABELS = {
    "imputed": {"ky": "Толтурулган көрсөткүчтөр", "ru": "Заполненные показатели", "en": "Imputed indicators"},
    "treated": {"ky": "Иштетилген көрсөткүчтөр", "ru": "Обработанные показатели", "en": "Treated indicators"},
    "median rank": {"ky": "Медианалык орун", "ru": "Медианное место", "en": "Median rank"},
    "rank 5%": {"ky": "Орун, 5 %", "ru": "Место, 5 %", "en": "Rank, 5 %"},
    "rank 95%": {"ky": "Орун, 95 %", "ru": "Место, 95 %", "en": "Rank, 95 %"},
    "index": {"ky": "Индекс", "ru": "Индекс", "en": "Index"},
    "correlation": {"ky": "Корреляция", "ru": "Корреляция", "en": "Correlation"},
    "original": {"ky": "Баштапкы маани", "ru": "Исходное значение", "en": "Original"},
    "treated value": {"ky": "Иштетилген маани", "ru": "После обработки", "en": "Treated"},
    "how": {"ky": "Эмне кылынды", "ru": "Обработка", "en": "How"},
    "skew": {"ky": "Асимметрия", "ru": "Асимметрия", "en": "Skewness"},
    "kurtosis": {"ky": "Эксцесс", "ru": "Эксцесс", "en": "Kurtosis"},
    "needs treatment": {"ky": "Иштетүү керек", "ru": "Нужна обработка", "en": "Needs treatment"},
    "treatment": {"ky": "Иштетүү", "ru": "Обработка", "en": "Treatment"},
    "points winsorised": {"ky": "Винзорлоштурулган чекиттер", "ru": "Винзоризовано точек",
                          "en": "Points winsorised"},
    "cells changed": {"ky": "Өзгөргөн уячалар", "ru": "Изменено ячеек", "en": "Cells changed"},
    "skew after": {"ky": "Асимметрия (кийин)", "ru": "Асимметрия после", "en": "Skewness after"},
    "kurtosis after": {"ky": "Эксцесс (кийин)", "ru": "Эксцесс после", "en": "Kurtosis after"},
}


def _composite_label(column: str, lang: str) -> str:
    if column in _COMPOSITE_LABELS:
        return _COMPOSITE_LABELS[column][lang]
    return _rating_label(column, lang)


def _whole_number(cell, *, arg: str, default: int) -> int:
    v = _number(cell, arg=arg, default=default)
    if not float(v).is_integer():
        raise InputError(f"{arg}: expected a whole number, got {v:g}")
    return int(v)


@worksheet_function(
    ranges=("indicators",),
    args={
        "indicators": _IND_DOC,
        "treatment": "Optional. \"auto\" (default: winsorise, else log, as the COIN Tool), \"winsorise\", \"log\" or \"none\"; an indicator is treated where |skew| >= 2 and kurtosis >= 3.5.",
        "winmax": "Optional. At most this many points winsorised per indicator; default 5.",
        "view": "Optional. \"values\" (default: the treated table), \"report\" (per indicator: skewness, kurtosis, what was done) or \"cells\" (every treated cell, before and after).",
        "lang": _LANG_DOC,
    },
    examples=('=RATING_TREAT(Indicators!A1:F10, "auto", 5, "cells")',),
)
def RATING_TREAT(indicators, treatment=None, winmax=None, view=None, lang=None):
    """Outlier treatment before normalisation, as the COIN Tool: winsorising (the most extreme value takes the next one's) or a log transform where skewness and kurtosis are both high; shows the treated table, a report, or every treated cell."""
    lg = _lang(lang)
    v = _view(view, ("values", "report", "cells"), "values")
    t = _table(indicators, "indicators")
    how = _text(treatment, arg="treatment", default="auto")
    r = rating.treat(t, how, winmax=_whole_number(winmax, arg="winmax", default=5))
    if v == "values":
        return _block(r.values, _label("region", lg))
    if v == "report":
        rep = r.report.rename(columns=lambda c: _composite_label(c, lg))
        return _block(rep, _label("indicator", lg))
    head = [_label("region", lg), _label("indicator", lg), _COMPOSITE_LABELS["original"][lg],
            _COMPOSITE_LABELS["treated value"][lg], _COMPOSITE_LABELS["how"][lg]]
    if r.cells.empty:
        return [head, ["-"] * len(head)]
    return [head] + [[str(c.region), str(c.indicator), _out(c.original), _out(c.treated), c.how]
                     for c in r.cells.itertuples(index=False)]


@worksheet_function(
    ranges=("indicators",),
    args={
        "indicators": _IND_DOC,
        "imputation": "Optional. \"mean\" (default) or \"median\" of the indicator over the regions with a value, or \"none\".",
        "lang": _LANG_DOC,
    },
    examples=('=RATING_IMPUTE(Indicators!A1:F10, "median")',),
)
def RATING_IMPUTE(indicators, imputation=None, lang=None):
    """Missing indicator values filled with the indicator's mean or median over the regions that have it; the last column names the filled indicators of each region, so that no filled value passes unnoticed."""
    lg = _lang(lang)
    t = _table(indicators, "indicators")
    r = rating.impute(t, _text(imputation, arg="imputation", default="mean"))
    values = r.values.astype(object)
    values[_COMPOSITE_LABELS["imputed"][lg]] = [
        ", ".join(str(c) for c, f in zip(r.imputed.columns, row, strict=True) if f) for row in r.imputed.to_numpy()]
    return _block(values, _label("region", lg))


@worksheet_function(
    ranges=("indicators", "directions", "weights"),
    args={
        "indicators": _IND_DOC,
        "directions": _DIR_DOC,
        "weights": _W_DOC,
        "method": _METHOD_DOC,
        "aggregation": _AGG_DOC,
        "treatment": _TREAT_DOC,
        "imputation": _IMPUTE_DOC,
        "min_coverage": _COV_DOC,
        "lang": _LANG_DOC,
    },
    examples=('=REGION_RATING_COMPOSITE(Indicators!A1:F10, Indicators!B12:F12, , "minmax", , "auto", "mean")',),
)
def REGION_RATING_COMPOSITE(indicators, directions=None, weights=None, method=None, aggregation=None, treatment=None,
                            imputation=None, min_coverage=None, lang=None):
    """Integral rating after imputation and outlier treatment (as the COIN Tool): region, score, rank (RANK.EQ, 1 = best) and, per region, the indicators that were filled or treated."""
    lg = _lang(lang)
    t = _table(indicators, "indicators")
    dirs, w, m, agg, cov = _rating_args(directions, weights, method, aggregation, min_coverage)
    r = rating.rate_composite(t, directions=dirs, weights=w, method=m, aggregation=agg, min_coverage=cov,
                              treatment=_text(treatment, arg="treatment"), imputation=_text(imputation, arg="imputation"))
    return _block(r.values.rename(columns=lambda c: _composite_label(c, lg)), _label("region", lg))


@worksheet_function(
    ranges=("indicators", "directions", "weights", "methods"),
    args={
        "indicators": _IND_DOC,
        "directions": _DIR_DOC,
        "weights": "Optional. Nominal weights >= 0, one per indicator; default equal. Each run varies them by up to +/- spread.",
        "runs": "Optional. Number of Monte Carlo runs, 1 to 100000; default 1000.",
        "seed": "Optional. Seed of the random draws (a whole number >= 0); default 1. The same seed gives the same result.",
        "spread": "Optional. How far each weight may move, as a share of it: w*(1+u), u uniform on [-spread, spread]; default 0.25.",
        "methods": "Optional. Normalisations to draw from, as text \"ratio,minmax,zscore\" or a row of cells; default all five, each with the arithmetic and (where it fits) the geometric mean.",
        "treatment": _TREAT_DOC,
        "imputation": _IMPUTE_DOC,
        "lang": _LANG_DOC,
    },
    examples=('=REGION_RATING_UNCERTAINTY(Indicators!A1:F10, Indicators!B12:F12, , 1000, 1)',),
)
def REGION_RATING_UNCERTAINTY(indicators, directions=None, weights=None, runs=None, seed=None, spread=None,
                              methods=None, treatment=None, imputation=None, lang=None):
    """Uncertainty of ranks (Monte Carlo over weights and normalisation/aggregation choices, seeded and reproducible): each region's nominal rank, median rank, 5 % and 95 % rank, best and worst rank, and its filled or treated indicators."""
    lg = _lang(lang)
    t = _table(indicators, "indicators")
    dirs, w, _, _, cov = _rating_args(directions, weights, None, None, None)
    r = rating.uncertainty(t, directions=dirs, weights=w, min_coverage=cov,
                           runs=_whole_number(runs, arg="runs", default=1000),
                           seed=_whole_number(seed, arg="seed", default=1),
                           spread=_number(spread, arg="spread", default=0.25),
                           methods=_names_list(methods, arg="methods"),
                           treatment=_text(treatment, arg="treatment"), imputation=_text(imputation, arg="imputation"))
    return _block(r.values.rename(columns=lambda c: _composite_label(c, lg)), _label("region", lg))


@worksheet_function(
    ranges=("indicators", "directions", "weights"),
    args={
        "indicators": _IND_DOC,
        "directions": _DIR_DOC,
        "weights": _W_DOC,
        "method": _METHOD_DOC,
        "correlation": "Optional. \"pearson\" (default, as CORREL) or \"spearman\" (of the ranks).",
        "treatment": _TREAT_DOC,
        "imputation": _IMPUTE_DOC,
        "lang": _LANG_DOC,
    },
    examples=('=REGION_RATING_COHERENCE(Indicators!A1:F10, Indicators!B12:F12, , "minmax")',),
)
def REGION_RATING_COHERENCE(indicators, directions=None, weights=None, method=None, correlation=None, treatment=None,
                            imputation=None, lang=None):
    """Coherence of the rating: correlation of every indicator's scores with the index (last row and column) and with each other, over the regions that have both values."""
    lg = _lang(lang)
    t = _table(indicators, "indicators")
    dirs, w, m, agg, cov = _rating_args(directions, weights, method, None, None)
    r = rating.coherence(t, directions=dirs, weights=w, method=m, aggregation=agg, min_coverage=cov,
                         correlation=_text(correlation, arg="correlation"),
                         treatment=_text(treatment, arg="treatment"), imputation=_text(imputation, arg="imputation"))
    index = _COMPOSITE_LABELS["index"][lg]
    last = r.values.columns[-1]  # the index ('index', or 'index (method)' when an indicator has that name)
    values = r.values.rename(index={last: index}, columns={last: index}) if last == "index" else r.values
    rows = _block(values, _COMPOSITE_LABELS["correlation"][lg])
    for key, mask in (("imputed", r.imputed), ("treated", r.treated)):  # what the correlations rest on
        cells_ = [f"{reg}: {', '.join(str(c) for c, f in zip(mask.columns, row, strict=True) if f)}"
                  for reg, row in zip(mask.index, mask.to_numpy(), strict=True) if row.any()]
        if cells_:
            rows.append([_COMPOSITE_LABELS[key][lg], "; ".join(cells_)] + [""] * (len(rows[0]) - 2))
    return rows


# ---------------------------------------------------------------------------------------------
# dynamics and structure (seed Tables 2.1 and 2.2)

DYNAMICS_VIEWS = ("summary", "base", "chain", "increase", "chain_increase", "share", "printed")


@worksheet_function(
    ranges=("values",),
    args={
        "values": "Items x periods table (as seed Table 2.1): header row of years, first column of items; a total row (\"Всего\", \"Бардыгы\", \"Total\") is the total for shares.",
        "view": "Optional. \"summary\" (default: last period vs base and vs previous), \"base\", \"chain\", \"increase\", \"chain_increase\", \"share\" or \"printed\" (per period).",
        "base": "Optional. The base period (a year in the header row); default: the first period.",
        "total_row": "Optional. Label of the row that holds the total, for shares (e.g. \"Өнөр жай, бардыгы\"); default: a total row (\"Всего\", or a row equal to the sum of the others), else the sum.",
        "dash": _DASH_DOC,
        "lang": "Optional. Language of labels and printed growth (\"156,9%\", \"2,5 эсе\"): \"ky\", \"ru\" (default) or \"en\".",
    },
    examples=('=DYNAMICS(Table21!A1:F6, "summary", 2015, "Өнөр жай, бардыгы")',),
)
def DYNAMICS(values, view="summary", base=None, total_row=None, dash=None, lang=None):
    """Dynamics and structure as in seed Table 2.1: base and chain growth (%), increases, shares (%) and the printed growth ("156.9%", "2.5 times" from 200%)."""
    lg = _lang(lang)
    v = words.translate(_text(view, arg="view", default="summary") or "summary", "growth view")
    v = v.strip().lower().replace(" ", "_")
    if v not in DYNAMICS_VIEWS:
        raise InputError(f"view: expected one of {', '.join(DYNAMICS_VIEWS)}, got \"{v}\"")
    frame = _table(values, "values", totals=False, dash=_dash(dash), orient="periods").values
    # periods under a merged "Жылдар" / "Годы" cell arrive as "Жылдар / 2015": the period is the last part;
    # a year is a year however the header writes it ("2015 г.", "2015-ж.")
    own = [cells.period_label(str(c).rsplit(" / ", 1)[-1]) for c in frame.columns]
    if len(set(own)) == len(own):
        frame.columns = pd.Index(own, dtype=object)
    # a recognised total row ("Всего", "Бардыгы", "Total") stays an item and is the total for shares
    total_label = next((lab for lab in frame.index if cells.is_total_label(lab)), None)
    tr = _text(total_row, arg="total_row")
    if tr is not None:
        # a label in several languages ("Өнөр жай, бардыгы / Промышленность, всего") is named by any of them
        matches = [lab for lab in frame.index
                   if tr.casefold() in [" ".join(p.split()).casefold() for p in [str(lab)] + str(lab).split(" / ")]]
        if not matches:
            raise InputError(f"total_row: no row is labelled \"{tr}\"; rows are "
                             + ", ".join(f"\"{x}\"" for x in frame.index))
        total_label = matches[0]
    if total_label is None:
        # a total row under another label ("Өнөр жай, бардыгы") is not an item to add to its parts
        total_label = dynamics.find_total_row(frame)
    b = None
    if _given(base):
        b = _period_label(_one_cell(base, arg="base", expected="one period (a year of the header row)"))
    periods = [str(c) for c in frame.columns]
    bpos = periods.index(b) if b in periods else 0
    if b is not None and b not in periods:
        raise InputError(f"base: period \"{b}\" is not in the header row; periods are {', '.join(periods)}")
    corner = _label("growth", lg)
    bcol = frame.columns[bpos]

    def share():
        if total_label is not None:
            return dynamics.shares(frame, total_row=total_label).values
        return dynamics.shares(frame).values if frame.shape[0] > 1 else None

    if v == "base":
        return _block(dynamics.base_growth(frame, base=bcol).values, corner)
    if v == "chain":
        return _block(dynamics.chain_growth(frame).values, corner)
    if v == "increase":
        return _block(dynamics.base_increase(frame, base=bcol).values, corner)
    if v == "chain_increase":
        return _block(dynamics.chain_increase(frame).values, corner)
    if v == "share":
        sh = share()
        if sh is None:
            raise InputError("values: shares need at least two rows (items)")
        return _block(sh, corner)
    bg = dynamics.base_growth(frame, base=bcol).values
    if v == "printed":
        return _block(dynamics.format_growth(bg, lang=lg), corner)
    last, prev, first = periods[-1], periods[-2] if len(periods) > 1 else None, periods[bpos]
    cols = {_label("base_growth", lg, t=last, b=first): bg.iloc[:, -1]}
    if prev is not None:
        cols[_label("chain_growth", lg, t=last, p=prev)] = dynamics.chain_growth(frame).values.iloc[:, -1]
    cols[_label("base_increase", lg, t=last, b=first)] = dynamics.base_increase(frame, base=bcol).values.iloc[:, -1]
    if prev is not None:
        cols[_label("chain_increase", lg, t=last, p=prev)] = dynamics.chain_increase(frame).values.iloc[:, -1]
    sh = share()
    if sh is not None:
        cols[_label("share", lg, t=last)] = sh.iloc[:, -1]
    cols[_label("printed", lg, t=last, b=first)] = dynamics.format_growth(bg.iloc[:, -1], lang=lg)
    return _block(pd.DataFrame(cols, index=frame.index), corner)


def _period_label(cell) -> str | None:
    return cells.period_label(cell)


# ---------------------------------------------------------------------------------------------
# shift-share (REAT's shift(): classic, Esteban-Marquillas, Gerfin)

def _shift_label(column: str, lang: str) -> str:
    """'national share' -> the glossary's name of the term (shiftshare.national_share) in `lang`."""
    return term("shiftshare." + column.replace(" ", "_"), lang)


@worksheet_function(
    ranges=("base", "report"),
    args={
        "base": "Region x industry table of the base year (employment or output): header row of industries, first column of regions; a national-total row is the nation.",
        "report": "The same table for the report year: the same industries and regions (region and sector names in any language, any order).",
        "method": "Optional. \"dunn\" (default: classic), \"esteban\" (Esteban-Marquillas: the regional shift split off an allocation effect) or \"gerfin\" (factors, 1 = neutral).",
        "view": "Optional. \"regions\" (default: one row per region) or \"industries\" (one row per region and industry; classic method).",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
    examples=("=SHIFT_SHARE(Employment2015!A1:G10, Employment2019!A1:G10)",
              '=SHIFT_SHARE(Employment2015!A1:G10, Employment2019!A1:G10, "esteban")'),
)
def SHIFT_SHARE(base, report, method=None, view=None, dash=None, lang=None):
    """Shift-share: each region's change from the base to the report year split into national share e_j0*(g-1), industry mix sum e_ij0*(g_i-g), regional shift sum (e_ij1-e_ij0*g_i) and the total change."""
    lg = _lang(lang)
    v = _view(view, ("regions", "industries"), "regions")
    dz = _dash(dash)
    b = _table(base, "base", dash=dz)
    r = _table(report, "report", dash=dz)
    res = shiftshare.shift_share(b, r, _text(method, arg="method"), by="region" if v == "regions" else "industry")
    values = res.values.rename(columns=lambda c: _shift_label(c, lg))
    if v == "regions":
        return _block(values, _label("region", lg))
    head = [_label("region", lg), _label("sector", lg)] + [str(c) for c in values.columns]
    return [head] + [[str(reg), str(ind)] + [_out(x) for x in row]
                     for (reg, ind), row in zip(values.index, values.to_numpy(dtype=float), strict=True)]


# ---------------------------------------------------------------------------------------------
# peer measures (REAT / EconGeo definitions)

PEER_INDICES = ("hoover", "krugman", "gini", "herfindahl", "herfindahl_normalized", "locq_additive")


@worksheet_function(
    ranges=("values",),
    args={
        "values": "Region x sector table (employment or output): header row of sectors, first column of regions.",
        "which": "\"hoover\", \"krugman\" (vs the country), \"gini\" (of LQ), \"herfindahl\", \"herfindahl_normalized\" (per region) or \"locq_additive\" (per cell).",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
    examples=('=PEER_INDEX(Employment!A1:G10, "hoover")',),
)
def PEER_INDEX(values, which, dash=None, lang=None):
    """Peer indices of regional specialization (REAT/EconGeo definitions): Hoover, Krugman, Gini of location quotients, Herfindahl per region; additive LQ per cell."""
    lg = _lang(lang)
    w = words.translate(_text(which, arg="which") or "", "peer").strip().lower().replace(" ", "_")
    if w not in PEER_INDICES:
        raise InputError(f"which: expected one of {', '.join(PEER_INDICES)}, got \"{w}\"")
    dz = _dash(dash)
    t = _table(values, "values", dash=dz)
    x = t.values
    if w == "locq_additive":
        r = peers.locq_additive(x)
        return _block(_measure_block(r, _label(w, lg), [t], dash=dz), _label(w, lg))
    r = {"hoover": lambda: peers.hoover_specialization(x),
         "krugman": lambda: peers.krugman_specialization(x),
         "gini": lambda: peers.gini_lq(x),
         "herfindahl": lambda: peers.herfindahl(x),
         "herfindahl_normalized": lambda: peers.herfindahl(x, normalized=True)}[w]()
    return _block(_measure_block(r, _label(w, lg), [t], dash=dz), _label("region", lg))


@worksheet_function(
    ranges=("values", "area", "population", "firms"),
    args={
        "values": "Region x sector table of employment: header row of sectors, first column of regions.",
        "area": "Two columns (region, area in km2), matched by region name; a national-total row gives A.",
        "population": "Two columns (region, population), matched by region name; a national-total row gives P.",
        "firms": "Region x sector table of the number of firms, same labels as values.",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
)
def LITZENBERGER(values, area, population, firms, dash=None, lang=None):
    """Litzenberger-Sternberg cluster index CI = [(x_ri/A_r)/(x_i/A)] * [(x_ri/P_r)/(x_i/P)] / [(x_ri/F_ri)/(x_i/F_i)] per region and sector (peer measure)."""
    lg = _lang(lang)
    dz = _dash(dash)
    t = _table(values, "values", dash=dz)
    a = _pairs(area, "area")
    p = _pairs(population, "population")
    f = _table(firms, "firms", dash=dz)
    r = peers.litzenberger(t.values, a.values, p.values, f.values, total_area=a.total, total_population=p.total)
    corner = _label("litzenberger", lg)
    return _block(_measure_block(r, corner, [t, f], pairs=[a, p], dash=dz), corner)


@worksheet_function(
    ranges=("employment",),
    args={
        "employment": "Region x sector table of employment: header row of sectors, first column of regions.",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
)
def ECO_STARS(employment, dash=None, lang=None):
    """European Cluster Observatory stars (0-3) per region and sector: size (top 10% share of the sector), specialisation (LQ >= 2), focus (top 10% share of the region)."""
    lg = _lang(lang)
    dz = _dash(dash)
    t = _table(employment, "employment", dash=dz)
    corner = _label("eco_stars", lg)
    return _block(_measure_block(peers.eco_stars(t.values), corner, [t], dash=dz), corner)


@worksheet_function(
    ranges=("employment", "establishments"),
    args={
        "employment": "Region x sector table of employment: header row of sectors, first column of regions.",
        "establishments": "Region x sector table of the number of establishments, same labels as employment.",
        "dash": _DASH_DOC,
        "lang": _LANG_DOC,
    },
)
def STRONG_CLUSTER(employment, establishments, dash=None, lang=None):
    """US Cluster Mapping strong clusters: 1 where LQ >= 1 and in the sector's top quartile, employment and establishments above its bottom quartile; else 0."""
    lg = _lang(lang)
    dz = _dash(dash)
    t = _table(employment, "employment", dash=dz)
    f = _table(establishments, "establishments", dash=dz)
    corner = _label("strong_cluster", lg)
    return _block(_measure_block(peers.us_strong_clusters(t.values, f.values), corner, [t, f], dash=dz), corner)


# ---------------------------------------------------------------------------------------------
# provenance


def _method_catalogue() -> dict:
    """name -> (glossary key or label, callable(variant) returning a Result) for METHOD_TEXT.

    The text is the `method` the core writes into every Result, obtained by running the core on a
    2 x 2 table, so what METHOD_TEXT prints is exactly what the computation used."""
    x = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["r1", "r2"], columns=["s1", "s2"])
    p = pd.Series([1.0, 1.0], index=["r1", "r2"])
    return {
        "localization": ("measure.localization", lambda v: measures.localization(x)),
        "localization_mean": ("localization_mean",
                              lambda v: measures.localization_mean([x, x], method=v or "arithmetic")),
        "per_capita": ("measure.per_capita", lambda v: measures.per_capita(x, p)),
        "specialization": ("measure.specialization",
                           lambda v: measures.specialization(x, p, method=v or "grp", outflow=x)),
        "cluster_potential": ("measure.cluster_potential",
                              lambda v: measures.cluster_potential(x, x, x, method=v or "geometric")),
        "advantage": ("advantage", lambda v: measures.advantage(x)),
        "candidates": ("candidates", lambda v: measures.candidates(x)),
        "region_rating": ("measure.region_rating",
                          lambda v: rating.rate(x, method=v or rating.DEFAULT_METHOD)),
        "base_growth": ("growth", lambda v: dynamics.base_growth(x)),
        "chain_growth": ("growth", lambda v: dynamics.chain_growth(x)),
        "increase": ("growth", lambda v: dynamics.base_increase(x)),
        "chain_increase": ("growth", lambda v: dynamics.chain_increase(x)),
        "share": ("growth", lambda v: dynamics.shares(x)),
        "hoover": ("hoover", lambda v: peers.hoover_specialization(x)),
        "krugman": ("krugman", lambda v: peers.krugman_specialization(x, reference=v or "country")),
        "gini": ("gini", lambda v: peers.gini_lq(x)),
        "herfindahl": ("herfindahl", lambda v: peers.herfindahl(x, normalized=v == "normalized")),
        "locq_additive": ("locq_additive", lambda v: peers.locq_additive(x)),
        "litzenberger": ("litzenberger", lambda v: peers.litzenberger(x, p, p, x)),
        "eco_stars": ("eco_stars", lambda v: peers.eco_stars(x)),
        "strong_cluster": ("strong_cluster", lambda v: peers.us_strong_clusters(x, x)),
        "shift_share": ("measure.shift_share", lambda v: shiftshare.shift_share(x, x, method=v or "dunn")),
        "outlier_treatment": ("measure.outlier_treatment", lambda v: rating.treat(x, v or "auto")),
    }


@worksheet_function(
    args={
        "measure": "The measure: localization, localization_mean, per_capita, specialization, cluster_potential, region_rating, base_growth, share, hoover, litzenberger, ...",
        "method": "Optional. The method variant (as in the function's method argument); default: the default variant.",
        "lang": "Optional. Language of the measure's name before the formula: \"ky\", \"ru\" (default) or \"en\".",
    },
    examples=('=METHOD_TEXT("cluster_potential")',),
)
def METHOD_TEXT(measure, method=None, lang=None):
    """The text of the method behind a result, for citing: formula, source (seed, standard, reconstruction, peer) and the variant used."""
    lg = _lang(lang)
    key = (_text(measure, arg="measure") or "").strip().lower().replace(" ", "_")
    catalogue = _method_catalogue()
    if key not in catalogue:
        raise InputError(f"measure: unknown measure \"{key}\"; known: {', '.join(catalogue)}")
    label_key, make = catalogue[key]
    v = _text(method, arg="method")
    v = v.strip().lower() if v else None
    r: Result = make(v)
    text = r.method
    if key == "localization_mean":
        text = re.sub(r";\s*bases: base 1, base 2", "", text)
    if key == "region_rating":
        # the parts of the rating's method text that describe the call (its indicators), not the method
        text = re.sub(r";\s*directions:.*$", "", text)
        text = re.sub(r"a region needs at least \d+ of \d+ \(min_coverage", "(min_coverage", text)
    label = _label(label_key, lg, t="1")
    return [[f"{label}: {text}"]]
