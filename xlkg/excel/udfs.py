"""xlkg's worksheet functions, for every host: classic Excel (xlwings add-in), Office.js (xlwings
Server / Lite) and headless recalculation (`xlkg recalc`).

Each function receives the raw cells of its ranges (a list of rows; numpy arrays under `formulas`),
reads them with `xlkg.cells`, computes with the core (`xlkg.measures`, `xlkg.dynamics`,
`xlkg.rating`, `xlkg.peers`) and returns one labelled block (a header row and a label column) as a
list of rows. A value that cannot be computed shows "#N/A"; bad input gives a one-cell block with a
message naming the argument and what is wrong. Calling these as plain Python functions with lists of
rows is exactly what Excel does.

The names and argument order are a public contract: workbooks hold them. Add optional arguments at
the end only.
"""

from __future__ import annotations

import math
from numbers import Number

import numpy as np
import pandas as pd

from .. import cells, measures
from ..result import InputError, Result
from .registry import worksheet_function

LANGS = ("ky", "ru", "en")
DEFAULT_LANG = "ru"
NA = "#N/A"

# Labels that xlkg itself writes into result blocks (the glossary holds the measures' names).
_LABELS = {
    "region": {"ky": "Аймак", "ru": "Регион", "en": "Region"},
    "sector": {"ky": "Тармак", "ru": "Отрасль", "en": "Sector"},
    "rank": {"ky": "Орун", "ru": "Место", "en": "Rank"},
    "score": {"ky": "Упай", "ru": "Балл", "en": "Score"},
    "potential": {"ky": "Ki", "ru": "Ki", "en": "Ki"},
    "advantage": {"ky": "Артыкчылык (Ki > {t})", "ru": "Преимущество (Ki > {t})", "en": "Advantage (Ki > {t})"},
    "candidates": {"ky": "Кластер үчүн аймактар", "ru": "Регионы-кандидаты", "en": "Candidate regions"},
    "localization_mean": {"ky": "Орточо локалдаштыруу коэффициенти", "ru": "Средний коэффициент локализации",
                          "en": "Average localization coefficient"},
}


# ---------------------------------------------------------------------------------------------
# helpers: language, result blocks


def _lang(lang) -> str:
    text = cells.read_text(lang, arg="lang", default=DEFAULT_LANG)
    code = text.strip().lower()
    if code not in LANGS:
        raise InputError(f"lang: expected \"ky\", \"ru\" or \"en\", got \"{text}\"")
    return code


def _label(key: str, lang: str, **fmt) -> str:
    if key in _LABELS:
        return _LABELS[key][lang].format(**fmt)
    from ..regions import term

    return term(key, lang)


def _out(value):
    """One result cell: numbers as float, booleans kept, missing as #N/A (never NaN or None)."""
    if value is None or value is pd.NA:
        return NA
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, Number):
        v = float(value)
        return NA if math.isnan(v) or math.isinf(v) else v
    return str(value)


def _block(values: pd.DataFrame, corner: str) -> list[list]:
    """A labelled block: [corner, column labels...], then [row label, values...] per row."""
    rows = [[corner] + [str(c) for c in values.columns]]
    data = values.to_numpy(dtype=object)
    for label, row in zip(values.index, data):
        rows.append([str(label)] + [_out(v) for v in row])
    return rows


def _text(cell, *, arg: str, default: str | None = None) -> str | None:
    return cells.read_text(cell, arg=arg, default=default)


def _number(cell, *, arg: str, default: float) -> float:
    if isinstance(cell, (list, tuple, np.ndarray)):
        flat = cells.read_row(cell, arg=arg)
        if len(flat) > 1:
            raise InputError(f"{arg}: expected one number, got {len(flat)} cells")
        cell = flat[0] if flat else None
    if cell is None or (isinstance(cell, str) and not cell.strip()) or str(cell) == "empty":
        return default
    return cells.parse_number(cell, where=arg)


def _table(rows, arg: str, *, totals: bool = True) -> cells.Table:
    return cells.read_table(rows, arg=arg, totals=totals)


def _given(x) -> bool:
    """An optional range argument was given (not omitted, not a blank cell)."""
    if x is None:
        return False
    if isinstance(x, (list, tuple, np.ndarray)):
        return bool(cells.as_rows(x, arg="_")) and any(not cells._is_blank(c) for r in cells.as_rows(x, arg="_")
                                                       for c in r)
    return not cells._is_blank(x)


def _pairs(rows, arg: str) -> cells.Column:
    return cells.read_pairs(rows, arg=arg)


# ---------------------------------------------------------------------------------------------
# measures (METHODS.md sections 1-4)


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


@worksheet_function(
    ranges=("values", "region_totals", "sector_totals"),
    args={
        "values": "Region x sector table: header row of sectors, first column of regions; may hold a national-total row and a regional-total column.",
        "region_totals": "Optional. Two columns (region, total of all industry); default: a total column in values, else row sums.",
        "sector_totals": "Optional. Two columns or rows (sector, national total); default: a national-total row in values, else column sums.",
        "lang": "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\".",
    },
    examples=("=LOCALIZATION(Output!A1:G11)",),
)
def LOCALIZATION(values, region_totals=None, sector_totals=None, lang=None):
    """Localization coefficient Kl = (x_ri / x_r) / (x_i / x) for every region and sector, as one labelled block. Totals: given ranges win, else a total row/column in the table, else sums."""
    lg = _lang(lang)
    t = _table(values, "values")
    r = measures.localization(t.values, **_localization_totals(t, region_totals, sector_totals))
    return _block(r.values, _label("measure.localization", lg))


@worksheet_function(
    ranges=("bases",),
    args={
        "bases": "Region x sector tables on different bases (output, employment, enterprises...), same labels; a last text argument \"geometric\" or \"arithmetic\" picks the mean.",
    },
    examples=("=LOCALIZATION_MEAN(Output!A1:G11, Employment!A1:G11, Enterprises!A1:G11)",),
)
def LOCALIZATION_MEAN(*bases):
    """Average localization coefficient over several bases (arithmetic mean by default; "geometric" as the last argument). Each table may hold its own total row/column."""
    items = list(bases)
    method = "arithmetic"
    if items and not isinstance(items[-1], (list, tuple, np.ndarray)) and isinstance(items[-1], str):
        method = items.pop().strip().lower()
    elif items and isinstance(items[-1], (list, tuple, np.ndarray)):
        flat = cells.as_rows(items[-1], arg="method")
        if len(flat) == 1 and len(flat[0]) == 1 and isinstance(flat[0][0], str):
            method = items.pop()
            method = str(flat[0][0]).strip().lower()
    if not items:
        raise InputError("bases: give at least one region x sector table")
    tables, totals = [], []
    for k, rows in enumerate(items, start=1):
        t = _table(rows, f"base {k}")
        tables.append(t.values)
        totals.append({"region_totals": t.row_totals, "sector_totals": t.col_totals,
                       "grand_total": t.grand_total})
    r = measures.localization_mean(tables, method=method, totals=totals)
    return _block(r.values, _label("localization_mean", DEFAULT_LANG))


@worksheet_function(
    ranges=("values", "population"),
    args={
        "values": "Region x sector table of output (value terms): header row of sectors, first column of regions; a national-total row is used as x_i.",
        "population": "Two columns (region, population), matched to values by region name in any language; a national-total row gives P.",
        "lang": "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\".",
    },
    examples=("=PER_CAPITA(Output!A1:G11, Regions!A1:B10)",),
)
def PER_CAPITA(values, population, lang=None):
    """Per-capita production coefficient Kdp = (x_ri / x_i) / (P_r / P) for every region and sector; population is matched by region name, not by position."""
    lg = _lang(lang)
    t = _table(values, "values")
    pop = _pairs(population, "population")
    r = measures.per_capita(t.values, pop.values, sector_totals=t.col_totals, total_population=pop.total)
    return _block(r.values, _label("measure.per_capita", lg))


@worksheet_function(
    ranges=("values", "grp", "outflow"),
    args={
        "values": "Region x sector table of output: header row of sectors, first column of regions; a national-total row is used as x_i.",
        "grp": "Two columns (region, gross regional product), matched by region name; a national-total row gives Y (GDP).",
        "method": "Optional. \"grp\" (default): Y = GRP; \"industry_total\": Y = industrial output (equals localization); \"marketability\": outflow / output.",
        "outflow": "Optional. For method \"marketability\": region x sector table of what each region ships out, same labels as values.",
        "lang": "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\".",
    },
    examples=("=SPECIALIZATION(Output!A1:G11, Regions!A1:A10;Regions!C1:C10)",),
)
def SPECIALIZATION(values, grp, method="grp", outflow=None, lang=None):
    """Specialization coefficient Ks = (x_ri / x_i) / (Y_r / Y), Y = gross regional product (a reconstruction; other variants by method). GRP is matched by region name."""
    lg = _lang(lang)
    t = _table(values, "values")
    m = _text(method, arg="method", default="grp")
    kwargs = dict(sector_totals=t.col_totals)
    y = None
    if m.strip().lower() == "industry_total":
        kwargs.update(region_totals=t.row_totals, grand_total=t.grand_total)
    elif m.strip().lower() != "marketability" or _given(grp):
        col = _pairs(grp, "grp")
        y = col.values
        kwargs["grp_total"] = col.total
    of = _table(outflow, "outflow").values if _given(outflow) else None
    r = measures.specialization(t.values, y, method=m, outflow=of, **kwargs)
    return _block(r.values, _label("measure.specialization", lg))


@worksheet_function(
    ranges=("localization_kl", "per_capita_kdp", "specialization_ks"),
    args={
        "localization_kl": "Localization coefficients as LOCALIZATION or LOCALIZATION_MEAN return them (labelled block).",
        "per_capita_kdp": "Per-capita production coefficients as PER_CAPITA returns them; matched by region and sector labels.",
        "specialization_ks": "Specialization coefficients as SPECIALIZATION returns them; matched by region and sector labels.",
        "method": "Optional. \"geometric\" (default): (Kl*Kdp*Ks)^(1/3); \"mean\": arithmetic mean; \"product\": Kl*Kdp*Ks.",
        "lang": "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\".",
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
    return _block(r.values, _label("measure.cluster_potential", lg))


@worksheet_function(
    ranges=("potential",),
    args={
        "potential": "Cluster-formation potentials as CLUSTER_POTENTIAL returns them (regions x sectors, labelled).",
        "threshold": "Optional. A region has an advantage in a sector when Ki exceeds this number; default 1.",
        "lang": "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\".",
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
        "lang": "Optional. Language of the labels xlkg writes: \"ky\", \"ru\" (default) or \"en\".",
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
    if len(rows) == 1:
        rows.append([NA, NA, NA, NA])
    return rows


# ---------------------------------------------------------------------------------------------
# provenance


def _method_catalogue() -> dict:
    """name -> (glossary key or label, {variant: callable returning a Result}) for METHOD_TEXT.

    The text is the `method` the core writes into every Result, obtained by running the core on a
    2 x 2 table, so what METHOD_TEXT prints is exactly what the computation used."""
    x = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["r1", "r2"], columns=["s1", "s2"])
    p = pd.Series([1.0, 1.0], index=["r1", "r2"])
    return {
        "localization": ("measure.localization", {None: lambda v: measures.localization(x)}),
        "localization_mean": ("localization_mean",
                              {None: lambda v: measures.localization_mean([x, x], method=v or "arithmetic")}),
        "per_capita": ("measure.per_capita", {None: lambda v: measures.per_capita(x, p)}),
        "specialization": ("measure.specialization",
                           {None: lambda v: measures.specialization(x, p, method=v or "grp", outflow=x)}),
        "cluster_potential": ("measure.cluster_potential",
                              {None: lambda v: measures.cluster_potential(x, x, x, method=v or "geometric")}),
        "advantage": ("advantage", {None: lambda v: measures.advantage(x)}),
        "candidates": ("candidates", {None: lambda v: measures.candidates(x)}),
    }


@worksheet_function(
    args={
        "measure": "The measure: localization, localization_mean, per_capita, specialization, cluster_potential, advantage, candidates, ...",
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
    label_key, makers = catalogue[key]
    v = _text(method, arg="method")
    v = v.strip().lower() if v else None
    r: Result = makers[None](v)
    label = _label(label_key, lg) if label_key in _LABELS or label_key.startswith("measure.") else label_key
    return [[f"{label}: {r.method}"]]
