"""Several years: a rating per year, over the period, and the rank change."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd

from ..cells import as_rows, is_total_label, parse_cells, read_table, year_of
from ..regions import match_key
from ..result import InputError, Result
from .aggregate import rank_eq, resolve
from .normalise import check_reference
from .options import (
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    LOWER_IS_BETTER,
    as_label,
    check_indicators,
    check_min_coverage,
    parse_directions,
    parse_weights,
)
from .rate import method_text, rate_frame

# --------------------------------------------------------------------------------------------------
# Several years


def _years_from_input(data, *, region: str, year: str, arg: str = "data") -> dict:
    """{year: DataFrame regions x indicators}, all with the same columns and the union of regions."""
    if isinstance(data, dict):
        if not data:
            raise InputError(f"{arg}: no years given")
        frames = {}
        for y, f in data.items():
            fx, _ = _check_year_frame(f, y, arg)
            frames[y] = fx
    elif isinstance(data, pd.DataFrame):
        df = data
        if isinstance(df.index, pd.MultiIndex):
            df = df.reset_index()
        cols = {str(c).strip().casefold(): c for c in df.columns}
        rc, yc = cols.get(region.casefold()), cols.get(year.casefold())
        if yc is None or rc is None:
            raise InputError(f"{arg}: a long table needs a '{region}' column and a '{year}' column (one row per "
                             f"region and year, one column per indicator); found columns "
                             + ", ".join(f"'{as_label(c)}'" for c in df.columns))
        rest = [c for c in df.columns if c not in (rc, yc)]
        lower = {str(c).strip().casefold() for c in rest}
        if lower == {"indicator", "value"}:
            ic = cols["indicator"]
            vc = cols["value"]
            dup = df.duplicated([rc, yc, ic])
            if dup.any():
                r = df[dup].iloc[0]
                raise InputError(f"{arg}: region '{r[rc]}', year {r[yc]}, indicator '{r[ic]}' appears more than once")
            df = df.pivot(index=[rc, yc], columns=ic, values=vc).reset_index()
            df.columns.name = None
            rest = [c for c in df.columns if c not in (rc, yc)]
        if not rest:
            raise InputError(f"{arg}: the long table has no indicator columns besides '{region}' and '{year}'")
        dup = df.duplicated([rc, yc])
        if dup.any():
            r = df[dup].iloc[0]
            raise InputError(f"{arg}: region '{r[rc]}' appears more than once in year {r[yc]}")
        frames = {}
        for y in pd.unique(df[yc]):
            part = df[df[yc] == y].set_index(rc)[rest]
            part.index.name = None
            fx, _ = _check_year_frame(part, y, arg, min_rows=1)
            frames[y] = fx
    else:
        raise InputError(f"{arg}: expected a mapping year -> table (regions x indicators) or a long table with "
                         f"'{region}' and '{year}' columns, got {type(data).__name__}")
    years = list(frames)
    if not years:
        raise InputError(f"{arg}: the table has no rows of data (one row per region and year)")
    try:
        years = sorted(years)
    except TypeError:
        pass
    first = years[0]
    cols = list(frames[first].columns)
    regions: list = []
    label_of: dict = {}  # match key -> the label first seen (region names may differ between years)
    for y in years:
        f = frames[y]
        f.index = [label_of.setdefault(match_key(r), r) for r in f.index]
        fc = list(f.columns)
        if set(fc) != set(cols):
            extra = [c for c in fc if c not in cols]
            lack = [c for c in cols if c not in fc]
            what = (f"lacks indicator '{as_label(lack[0])}'" if lack else f"has indicator '{as_label(extra[0])}'")
            raise InputError(f"{arg}: year {y} {what} but year {first} does not agree; every year needs the "
                             f"same indicators")
        for r in f.index:
            if r not in regions:
                regions.append(r)
    out = {y: frames[y].reindex(index=regions, columns=cols) for y in years}
    if len(regions) < 2:
        raise InputError(f"{arg}: a rating compares regions, so it needs at least 2 regions; got "
                         + ", ".join(f"'{as_label(r)}'" for r in regions))
    return out


def _check_year_frame(f, y, arg, min_rows=2):
    if not isinstance(f, pd.DataFrame) and not isinstance(getattr(f, "values", None), pd.DataFrame):
        raise InputError(f"{arg}: year {y}: expected a table of regions by indicators, got {type(f).__name__}")
    return check_indicators(f, arg=f"{arg} (year {y})", min_rows=min_rows)


def rate_years(data, directions=None, weights=None, method: str = DEFAULT_METHOD, aggregation: str | None = None,
               min_coverage: float = DEFAULT_MIN_COVERAGE, *, reference=None, region: str = "region",
               year: str = "year") -> Result:
    """Rating per year and over the period, with ranks per year so that movement shows.

    data: a mapping year -> table (regions x indicators, same indicators every year), or a long table
    with a `region` column, a `year` column and one column per indicator (or columns 'indicator' and
    'value'). Regions are matched across years by name in any of ky/ru/en and common spellings
    (`xlkg.core.regions.match_key`); other labels must match exactly (case and spaces aside). A region is
    shown under the label it has in the first year that lists it.

    Each year is rated on its own (scores relative to that year's best: the seed's five-year rating).
    Over the period two figures are given:
      * mean of yearly scores: the mean over the years in which the region has a score (it needs a
        score in at least ceil(min_coverage * years) years), ranked;
      * score of period means: each indicator averaged over the years that have it, then rated.

    Result.values, rows = regions (first-seen order), columns in this order:
      'score <year>' for each year, 'rank <year>' for each year, 'mean score', 'rank of mean score',
      'period score', 'period rank', 'rank change' (rank in the first year minus rank in the last
      year: positive = moved up).
    """
    method, agg = resolve(method, aggregation, weights is not None)
    check_reference(reference, method)
    min_coverage = check_min_coverage(min_coverage)
    frames = _years_from_input(data, region=region, year=year)
    years = list(frames)
    first = frames[years[0]]
    dirs = parse_directions(directions, first.columns)
    w = parse_weights(weights, first.columns)
    index = first.index
    lower = method in LOWER_IS_BETTER

    scores, ranks, sreasons, notes = {}, {}, {}, []
    ref_text = None
    for y in years:
        v, r, nts, ref_text = rate_frame(frames[y], None, dirs, w, method, agg, min_coverage, reference)
        scores[y], ranks[y], sreasons[y] = v["score"], v["rank"], r["score"]
        notes += [f"{y}: {t}" for t in nts]

    S = pd.DataFrame(scores)
    have = S.notna().sum(axis=1).to_numpy()
    need_years = max(1, math.ceil(min_coverage * len(years) - 1e-9))
    mean_score = S.mean(axis=1, skipna=True).to_numpy()
    few = have < need_years
    mean_score = np.where(few, np.nan, mean_score)
    mean_reason = np.where(few, f"a score in fewer than {need_years} of {len(years)} years", None).astype(object)
    mean_rank = rank_eq(pd.Series(mean_score, index=index), ascending=lower)

    stacked = np.stack([frames[y].to_numpy(dtype=float) for y in years])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(stacked, axis=0)
    pm = pd.DataFrame(means, index=index, columns=first.columns)
    pv, pr, pnotes, _ = rate_frame(pm, None, dirs, w, method, agg, min_coverage, reference)
    notes += [f"period means: {t}" for t in pnotes]

    values = {}
    reasons = {}
    for y in years:
        values[f"score {y}"] = scores[y]
        reasons[f"score {y}"] = sreasons[y]
    for y in years:
        values[f"rank {y}"] = ranks[y]
        reasons[f"rank {y}"] = sreasons[y]
    values["mean score"] = mean_score
    reasons["mean score"] = mean_reason
    values["rank of mean score"] = mean_rank.to_numpy()
    reasons["rank of mean score"] = mean_reason
    values["period score"] = pv["score"]
    reasons["period score"] = pr["score"]
    values["period rank"] = pv["rank"]
    reasons["period rank"] = pr["score"]
    change = ranks[years[0]] - ranks[years[-1]]
    values["rank change"] = change
    ch_reason = np.where(change.isna(), f"no rank in {years[0]} or in {years[-1]}", None).astype(object)
    reasons["rank change"] = ch_reason
    V = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in values.items()}, index=index)
    R = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in reasons.items()}, index=index, dtype=object)
    R = R.where(V.isna(), None)
    text = (method_text(method, agg, min_coverage, first.columns, dirs, w, ref_text)
            + f"; years {', '.join(str(y) for y in years)}, each rated on its own; mean score = mean of yearly "
              f"scores over the years with a score (at least {need_years}); period score = rating of each "
              f"indicator's mean over the years; rank change = first-year rank minus last-year rank")
    return Result(values=V, reasons=R, method=text, notes=notes)


_REGION_HEADERS = frozenset({"region", "regions", "регион", "регионы", "область", "аймак", "аймактар", "облус"})
_YEAR_HEADERS = frozenset({"year", "years", "год", "годы", "жыл", "жылдар"})
_HEADER_SEPARATORS = re.compile(r"[/|;,()\n\r\\]+")


def _header_kind(cell) -> str | None:
    """"region" or "year" when a header cell names the region or year column, in one language or several
    ("Аймак / Регион", "Жыл / Год", "Region (Регион)", "Жыл" and "Год" on two lines of one cell); else None."""
    if cell is None:
        return None
    parts = [" ".join(p.split()).strip(" .:").casefold() for p in _HEADER_SEPARATORS.split(str(cell))]
    parts = [p for p in parts if p]
    for kind, words in (("region", _REGION_HEADERS), ("year", _YEAR_HEADERS)):
        if parts and all(p in words for p in parts):
            return kind
    return None


def long_table_from_rows(rows, *, arg: str = "data") -> pd.DataFrame:
    """A long table (one row per region and year) from cells, for `rate_years`.

    The header row names a region column (region / регион / область / аймак / облус), a year column
    (year / год / жыл) and one column per indicator; a header may give the name in several languages
    ("Аймак / Регион", "Жыл / Год", "Region (Регион)", or one name per line of the cell) (or 'indicator'
    and 'value' columns). A year is read as the statistics committee writes it too ("2021 г.",
    "2021-ж."). Without a year column, a table with the years across is read as it is published: the
    regions down the first column(s) (a code column and names in several languages are recognised),
    each indicator over its years under a merged header ("ВРП" above "2020 г.", "2021 г.") or one
    indicator whose columns are years. Numbers go through `xlkg.core.cells.parse_cells` (decimal
    commas, "н/д", "-" ...). Returns a DataFrame with columns 'region', 'year' and the indicators.
    """

    rows = as_rows(rows, arg=arg)
    if len(rows) < 2:
        raise InputError(f"{arg}: expected a header row and at least one row of data")
    header = ["" if c is None else " ".join(str(c).split()) for c in rows[0]]
    kinds = []
    for h, cell in zip(header, rows[0], strict=True):
        kinds.append(_header_kind(cell) or ("indicator" if h.casefold() == "indicator" else "value"))
    if kinds.count("year") == 0:
        wide = _wide_years(rows, arg)
        if wide is not None:
            return wide
    if kinds.count("region") != 1 or kinds.count("year") != 1:
        raise InputError(f"{arg}: the header row needs one region column (region / регион / аймак) and one year "
                         f"column (year / год / жыл), or years across (\"2021 г.\"); found "
                         + ", ".join(f"'{h}'" for h in header))
    names = ["region" if k == "region" else "year" if k == "year" else h for h, k in zip(header, kinds, strict=True)]
    for j, (h, k) in enumerate(zip(header, kinds, strict=True)):
        if k == "value" and not h:
            raise InputError(f"{arg}: column {j + 1} has no header; name the indicator")
    body = [(i, row) for i, row in enumerate(rows[1:], start=2)
            if not all(c is None or (isinstance(c, str) and not c.strip()) for c in row)]
    # the numbers of the whole table at once, so that "1.234" is settled by the table's other numbers
    values = iter(parse_cells([c for _, row in body for c, k in zip(row, kinds, strict=True) if k == "value"]))
    data = []
    for i, row in body:
        rec = {}
        for name, k, c in zip(names, kinds, row, strict=True):
            if k in ("region", "indicator"):
                if c is None or not str(c).strip():
                    raise InputError(f"{arg}: row {i} has no {k} name")
                rec[name] = " ".join(str(c).split())
            elif k == "year":
                y = year_of(c)  # 2021, "2021", "2021 г.", "2021-ж."
                if y is None:
                    raise InputError(f"{arg}: row {i}, year column: {c!r} is not a year")
                rec[name] = y
            else:
                v, why = next(values)
                rec[name] = v if why is None else np.nan
        data.append(rec)
    return pd.DataFrame(data, columns=names)


def _wide_years(rows, arg: str) -> pd.DataFrame | None:
    """A table with the years across (see `long_table_from_rows`) as a long table, or None when its
    column labels are not all years."""
    try:
        t = read_table(rows, arg=arg, totals=False, orient="any")
    except InputError:
        return None
    pairs = []
    for c in t.values.columns:
        head, _, last = str(c).rpartition(" / ")
        y = year_of(last)
        if y is None:
            return None
        pairs.append((head or "value", y))
    if len(set(pairs)) != len(pairs):
        return None
    recs = {}
    arr = t.values.to_numpy(dtype=float)
    for r, region in enumerate(t.values.index):
        if is_total_label(region):
            continue
        for k, (ind, y) in enumerate(pairs):
            recs.setdefault((region, y), {"region": region, "year": y})[ind] = arr[r, k]
    if not recs:  # nothing but a national row
        return None
    inds = list(dict.fromkeys(ind for ind, _ in pairs))
    return pd.DataFrame(list(recs.values()), columns=["region", "year"] + inds)


