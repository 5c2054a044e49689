"""Shift-share analysis: how much of a region's change comes from national growth, from its mix of
industries, and from the region itself (beyond the seed; REAT's `shift()` offers the same).

Region j, industry i, base year 0, report year 1; e_ij the value (employment or output), e_j = sum_i
e_ij, e_i the nation's value of industry i, e = sum_i e_i. g = e1 / e0 (the nation's growth factor),
g_i = e_i1 / e_i0 (industry i's national growth factor), g_ij = e_ij1 / e_ij0.

Classic decomposition (Dunn 1960; in the form of Farhauer and Kröll 2013, as in REAT), method
``"dunn"`` (default), one row per region::

    national share   NS_j = e_j0 * (g - 1)                      growth at the national rate
    industry mix     IM_j = sum_i e_ij0 * (g_i - g)             proportional (structural) shift
    regional shift   RS_j = sum_i (e_ij1 - e_ij0 * g_i)         differential (competitive) shift
    total change     D_j  = e_j1 - e_j0 = NS_j + IM_j + RS_j

Esteban-Marquillas (1972), method ``"esteban"``: with the homothetic value ê_ij = e_j0 * e_i0 / e0
(what the region would have with the nation's structure) the regional shift splits into::

    regional shift     RS*_j = sum_i ê_ij * (g_ij - g_i)           competitive effect on ê
    allocation effect  AE_j  = sum_i (e_ij0 - ê_ij) * (g_ij - g_i)  specialisation in industries where
                                                                    the region is competitive
    RS*_j + AE_j = RS_j

Gerfin (1964), method ``"gerfin"``: the same as factors (1 = neutral)::

    industry factor  (sum_i e_ij0 * g_i / e_j0) / g
    location factor  e_j1 / sum_i e_ij0 * g_i
    regional factor  (e_j1 / e_j0) / g = industry factor * location factor

Per region and industry (``by="industry"``): NS_ij = e_ij0 * (g - 1), IM_ij = e_ij0 * (g_i - g),
RS_ij = e_ij1 - e_ij0 * g_i and D_ij = e_ij1 - e_ij0; their sums over industries are the region's.

The nation: the national-total rows of the two tables when both have one ("Кыргыз Республикасы",
"Total"), or the given national series, else the sums of the regions. The regions in the table need not
make up the whole nation.

Where xlkg differs from REAT (and why):
* REAT writes the regional shift as sum_i e_ij0 * (g_ij - g_i), which is NaN as soon as one base-year
  cell is 0 (0 * 0/0). xlkg uses the equal form sum_i (e_ij1 - e_ij0 * g_i), finite for such a region.
  The Esteban-Marquillas split needs g_ij itself, so it stays NaN there (with the cell named), as in REAT.
* xlkg forms the industry mix as sum_i e_ij0 * (g_i - g) rather than as the difference of two large
  sums; the two agree to rounding (about 1e-12 relative).
* REAT's "Net total shift" is IM + RS (the change net of national growth), not the total change; xlkg
  reports the total change D and leaves IM + RS to the reader.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlkg.core.cells import Table
from xlkg.core.clusters import sector_key
from xlkg.core.measures import align_frames, align_sectors, as_matrix, as_series
from xlkg.core.result import ZERO_DENOMINATOR, InputError, Result

METHODS = ("dunn", "esteban", "gerfin")
DEFAULT_METHOD = "dunn"
BY = ("region", "industry")

_ALIASES = {
    "dunn": "dunn", "classic": "dunn", "classical": "dunn", "standard": "dunn",
    "esteban": "esteban", "esteban-marquillas": "esteban", "esteban marquillas": "esteban", "em": "esteban",
    "marquillas": "esteban",
    "gerfin": "gerfin", "multiplicative": "gerfin", "factors": "gerfin",
    # Russian and Kyrgyz
    "классический": "dunn", "классикалык": "dunn", "данн": "dunn",
    "эстебан": "esteban", "эстебан-маркильяс": "esteban", "герфин": "gerfin",
}

COLUMNS = {
    "dunn": ("national share", "industry mix", "regional shift", "total change"),
    "esteban": ("national share", "industry mix", "regional shift", "allocation effect", "total change"),
    "gerfin": ("industry factor", "location factor", "regional factor"),
}

_TEXT = {
    "dunn": ("Shift-share, classic decomposition (Dunn 1960; Farhauer/Kröll 2013 form, as REAT shift()): "
             "NS = e_j0*(g-1); IM = sum_i e_ij0*(g_i-g); RS = sum_i (e_ij1 - e_ij0*g_i); total change "
             "D = e_j1 - e_j0 = NS + IM + RS; g = e1/e0, g_i = e_i1/e_i0 national growth factors"),
    "esteban": ("Shift-share, Esteban-Marquillas (1972): NS = e_j0*(g-1); IM = sum_i e_ij0*(g_i-g); regional "
                "(competitive) shift on homothetic values RS* = sum_i ê_ij*(g_ij-g_i), ê_ij = e_j0*e_i0/e0; "
                "allocation effect AE = sum_i (e_ij0-ê_ij)*(g_ij-g_i); D = NS + IM + RS* + AE"),
    "gerfin": ("Shift-share, Gerfin (1964) factors (1 = neutral): industry factor = (sum_i e_ij0*g_i/e_j0)/g; "
               "location factor = e_j1/sum_i e_ij0*g_i; regional factor = (e_j1/e_j0)/g = industry factor * "
               "location factor"),
}


def parse_method(method, *, arg: str = "method") -> str:
    """The decomposition named by `method` (default 'dunn'); InputError names the choices."""
    if method is None or (isinstance(method, str) and not method.strip()):
        return DEFAULT_METHOD
    if not isinstance(method, str):
        raise InputError(f"{arg}: expected a method name, got {method!r}; choose 'dunn', 'esteban' or 'gerfin'")
    key = " ".join(method.strip().casefold().replace("_", " ").split())
    key = _ALIASES.get(key, _ALIASES.get(key.replace(" ", "-"), key))
    if key not in METHODS:
        raise InputError(f"{arg}: '{method}' is not a shift-share method; choose 'dunn' (classic, default), "
                         f"'esteban' (Esteban-Marquillas) or 'gerfin' (factors)")
    return key


def _sectors_named_as_in(b: pd.DataFrame, r: pd.DataFrame) -> pd.DataFrame:
    """`r` with its industry columns renamed to `b`'s where the two name the same glossary sector in
    different languages ("жеңил өнөр жай" / "легкая промышленность" / "light industry"); other labels
    must match as they are (the mismatch is reported by align_frames)."""
    if set(r.columns) == set(b.columns):
        return r
    by_key = {}
    for c in b.columns:
        by_key.setdefault(sector_key(c), c)
    mapping = {c: by_key.get(sector_key(c), c) for c in r.columns}
    if len(set(mapping.values())) < len(mapping):  # two report columns would name one sector: leave them
        return r
    return r.rename(columns=mapping)


def _national(table, given, frame: pd.DataFrame, arg: str):
    """e_i of one year: the given series, else the table's national row, else None (= column sums)."""
    if given is not None:
        s = as_series(given, arg=arg)
        return align_sectors(frame.columns, s, arg=arg, target_arg="the table").to_numpy(dtype=float), "given"
    if isinstance(table, Table) and table.col_totals is not None:
        s = table.col_totals
        return s.reindex(frame.columns).to_numpy(dtype=float), "row"
    return None, None


def shift_share(base, report, method: str = DEFAULT_METHOD, *, by: str = "region", national_base=None,
                national_report=None) -> Result:
    """Shift-share decomposition of each region's change from `base` to `report` (module docstring).

    base, report   regions (rows) x industries (columns), values >= 0, the same labels (regions are
                   matched across ky/ru/en spellings; industries exactly); a table read from cells
                   may carry a national-total row, used as the nation when both tables have one.
    method         'dunn' (default), 'esteban' or 'gerfin'.
    by             'region' (default) or 'industry' (one row per region and industry; dunn only).
    national_base, national_report   the nation's value per industry in each year, when the regions
                   do not make up the nation (both or neither).

    Result.values: DataFrame, one row per region (or a (region, industry) MultiIndex), columns
    COLUMNS[method]; NaN where a value is undefined, with the reason.
    """
    method = parse_method(method)
    by_key = str(by).strip().casefold() if by is not None else "region"
    if by_key not in BY:
        raise InputError(f"by: expected 'region' or 'industry', got {by!r}")
    if by_key == "industry" and method != "dunn":
        raise InputError(f"by: the per-industry view is the classic decomposition; use method='dunn' "
                         f"(method is '{method}')")
    notes: list[str] = []
    for t in (base, report):
        if isinstance(t, Table):
            notes += list(t.notes)
            if t.row_totals is not None:
                notes.append(f"{t.arg}: the total column is not used; the decomposition covers the industries "
                             f"listed")
    b, _ = as_matrix(base, arg="base")
    r, _ = as_matrix(report, arg="report")
    r = align_frames(b, _sectors_named_as_in(b, r), arg="report", target_arg="base")
    e0 = b.to_numpy(dtype=float)
    e1 = r.to_numpy(dtype=float)
    m = e0.shape[0]

    n0, src0 = _national(base, national_base, b, "national_base")
    n1, src1 = _national(report, national_report, b, "national_report")
    if (n0 is None) != (n1 is None):
        which = "base" if n0 is not None else "report"
        raise InputError(f"the nation is given for the {which} year only; give it for both years (a national "
                         f"row in both tables, or national_base and national_report), or for neither (the "
                         f"nation is then the sum of the regions)")
    if n0 is None:
        n0, n1 = e0.sum(axis=0), e1.sum(axis=0)
        nation = "the sum of the regions in the table"
    else:
        nation = "the national rows of the tables" if src0 == "row" and src1 == "row" else "the given national values"
    E0, E1 = n0.sum(), n1.sum()

    cols = COLUMNS[method] if by_key == "region" else COLUMNS["dunn"]
    with np.errstate(divide="ignore", invalid="ignore"):
        g = E1 / E0 if E0 > 0 else np.nan
        gi = np.where(n0 > 0, n1 / np.where(n0 > 0, n0, 1.0), np.nan)
    # Why a value cannot be computed. A missing cell spoils its region (its row, or its cell per
    # industry); an undefined national factor spoils the terms that use it, in every region.
    g_why = None
    if np.isnan(E0) or np.isnan(E1):
        g_why = ("the nation's total is missing (the nation is the sum of the regions, and a cell is missing): "
                 "give the value, or a national row in both tables")
    elif not np.isfinite(g):
        g_why = "the nation has no base-year total: its growth factor g is undefined"
    gi_why = None
    bad = ~np.isfinite(gi)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        gi_why = (f"industry '{b.columns[j]}': the nation's "
                  + ("value is missing" if np.isnan(n0[j]) or np.isnan(n1[j])
                     else "base-year value is 0, so its growth factor g_i is undefined"))
    uses_g = {"national share": True, "industry mix": True, "regional shift": True, "allocation effect": True,
              "total change": False, "industry factor": True, "location factor": True, "regional factor": True}
    uses_gi = {"national share": False, "industry mix": True, "regional shift": True, "allocation effect": True,
               "total change": False, "industry factor": True, "location factor": True, "regional factor": False}
    cell_missing = np.isnan(e0) | np.isnan(e1)

    if by_key == "industry":
        V = np.stack([(e0 * (g - 1.0)).ravel(), (e0 * (gi - g)[None, :]).ravel(),
                      (e1 - e0 * gi[None, :]).ravel(), (e1 - e0).ravel()], axis=1)
        idx = pd.MultiIndex.from_product([b.index, b.columns], names=["region", "industry"])
        R = np.full(V.shape, None, dtype=object)
        miss = cell_missing.ravel()
        gi_bad = np.broadcast_to(bad[None, :], e0.shape).ravel()
        for k, c in enumerate(cols):
            if uses_gi[c] and gi_why is not None:
                R[:, k] = np.where(gi_bad, gi_why, R[:, k])
            if uses_g[c] and g_why is not None:
                R[:, k] = g_why
            R[:, k] = np.where(miss, "no data", R[:, k])
        return _result(V, R, idx, cols, notes, _TEXT["dunn"] + f" (per region and industry); nation: {nation}")

    ej0 = e0.sum(axis=1)
    ej1 = e1.sum(axis=1)
    expected = (e0 * gi[None, :]).sum(axis=1)  # sum_i e_ij0 * g_i: the region at the industries' national rates
    D = ej1 - ej0
    R = np.full((m, len(cols)), None, dtype=object)
    if method in ("dunn", "esteban"):
        NS = ej0 * (g - 1.0)
        IM = (e0 * (gi - g)[None, :]).sum(axis=1)
        if method == "dunn":
            V = np.stack([NS, IM, ej1 - expected, D], axis=1)
        else:
            hom = ej0[:, None] * n0[None, :] / E0  # homothetic values
            zero = e0 == 0
            with np.errstate(divide="ignore", invalid="ignore"):
                diff = e1 / np.where(zero, 1.0, e0) - gi[None, :]
            RSs = np.where(zero, np.nan, hom * diff).sum(axis=1)
            AE = np.where(zero, np.nan, (e0 - hom) * diff).sum(axis=1)
            V = np.stack([NS, IM, RSs, AE, D], axis=1)
            for i in np.flatnonzero(zero.any(axis=1)):
                j = int(np.flatnonzero(zero[i])[0])
                R[i, 2:4] = (f"base-year value 0 for '{b.index[i]}', industry '{b.columns[j]}': the region's "
                             f"growth rate there is undefined, so the split of the regional shift is too (the "
                             f"classic method's regional shift is finite)")
    else:  # gerfin
        with np.errstate(divide="ignore", invalid="ignore"):
            V = np.stack([(expected / ej0) / g, ej1 / expected, (ej1 / ej0) / g], axis=1)
        R[ej0 <= 0, :] = "the region has no base-year value: its factors are undefined"
    for k, c in enumerate(cols):
        if uses_gi[c] and gi_why is not None:
            R[:, k] = gi_why
        if uses_g[c] and g_why is not None:
            R[:, k] = g_why
    for i in np.flatnonzero(cell_missing.any(axis=1)):
        j = int(np.flatnonzero(cell_missing[i])[0])
        year = "base" if np.isnan(e0[i, j]) else "report"
        R[i, :] = f"no {year}-year value for '{b.index[i]}', industry '{b.columns[j]}'"
    return _result(V, R, b.index, cols, notes, _TEXT[method] + f"; nation: {nation}")


def _result(V, R, index, cols, notes, text) -> Result:
    """NaN wherever there is a reason, and a reason wherever there is NaN (never inf)."""
    V = np.where(np.equal(R, None), V, np.nan)
    R = np.where(np.equal(R, None) & ~np.isfinite(V), ZERO_DENOMINATOR, R)
    V = np.where(np.isfinite(V), V, np.nan)
    return Result(values=pd.DataFrame(V, index=index, columns=list(cols)),
                  reasons=pd.DataFrame(R, index=index, columns=list(cols), dtype=object), method=text, notes=notes)
