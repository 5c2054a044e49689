"""Peer measures of regional specialization and clustering (methods section 8), beyond the seed.

They let a ministry table be compared with the measures used abroad. The numbers agree with the R
packages REAT 3.0.3 and EconGeo 2.1 on the reference vectors shipped in the tests; the formulas here
are written from their published definitions (stated per function), not from those packages' code.

Orientation: regions in rows, sectors in columns (pandas DataFrame); per-region results are a Series.
Shares: s_ri = x_ri / x_r (sector i in region r's total), s_i = x_i / x (sector i in the country).
Totals are the sums of the table. What cannot be computed is NaN with a reason (see xlkg.core.result);
negative values raise InputError naming the cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlkg.core.checks import check_method
from xlkg.core.measures import (
    MISSING_INPUT,
    ZERO_DENOMINATOR,
    InputError,
    Result,
    align_frames,
    align_regions,
    as_matrix,
    as_scalar,
    as_series,
    frame_reasons,
    localization,
    reciprocal,
    series_reasons,
)

__all__ = [
    "hoover_specialization",
    "krugman_specialization",
    "gini_lq",
    "locq_additive",
    "herfindahl",
    "litzenberger",
    "litzenberger_components",
    "eco_stars",
    "us_strong_clusters",
    "KRUGMAN_REFERENCES",
]

KRUGMAN_REFERENCES = ("country", "rest", "others_mean")


def _shares(values, arg="values"):
    """Region shares s_ri, national shares s_i, and the masks that explain NaN rows."""
    values, arr = as_matrix(values, arg=arg)
    rt = arr.sum(axis=1)
    st = arr.sum(axis=0)
    gt = float(rt.sum())
    s_r = arr * reciprocal(rt)[:, None]
    s_n = st * (1.0 / gt if gt else np.nan)
    return values, arr, rt, st, gt, s_r, s_n


def _row_reasons(values, arr, rt, gt, out):
    nan = np.isnan(out)
    if not nan.any():
        return None
    return series_reasons(
        pd.Series(out, index=values.index),
        (np.isnan(arr).any(axis=1), f"{MISSING_INPUT}: missing value in the region's row"),
        (rt == 0, f"{ZERO_DENOMINATOR}: region total is 0"),
        (nan & bool(np.isnan(gt)), "national totals not computable: missing value in the table"),
        (nan, ZERO_DENOMINATOR),
    )


def hoover_specialization(values) -> Result:
    """Hoover specialization coefficient of each region.

        H_r = 1/2 * sum_i |s_ri - s_i|

    Source: peer (methods section 8); REAT `hoover(x = region, ref = national)` and REAT spec "H j";
    EconGeo's spec_coeff. 0 = the region's structure equals the country's; towards 1 = specialized.
    """
    values, arr, rt, st, gt, s_r, s_n = _shares(values)
    out = 0.5 * np.abs(s_r - s_n[None, :]).sum(axis=1)
    return Result(pd.Series(out, index=values.index, name="hoover"), _row_reasons(values, arr, rt, gt, out),
                  "H_r = 1/2 * sum_i |x_ri/x_r - x_i/x|  [Hoover specialization; peer: REAT hoover, EconGeo spec_coeff]")


def krugman_specialization(values, reference: str = "country") -> Result:
    """Krugman specialization index of each region.

        reference="country" (default; EconGeo krugman_index):
            K_r = sum_i |s_ri - s_i|,   s_i = x_i / x (the whole country, region included)
        reference="rest" (REAT krugman.spec of a region against the rest of the country):
            K_r = sum_i |s_ri - (x_i - x_ri) / (x - x_r)|   (all other regions pooled)
        reference="others_mean" (REAT spec's "K j"):
            K_r = sum_i |s_ri - mean_{l != r} s_li|   (unweighted mean of the other regions' shares)

    "rest" and "others_mean" agree only when all other regions are of equal size; "country" is twice
    the Hoover coefficient. Source: peer (methods section 8).
    """
    ref = check_method(reference, KRUGMAN_REFERENCES, arg="reference")
    values, arr, rt, st, gt, s_r, s_n = _shares(values)
    n = arr.shape[0]
    if ref == "country":
        out = np.abs(s_r - s_n[None, :]).sum(axis=1)
        text = "K_r = sum_i |x_ri/x_r - x_i/x|  [Krugman vs the country; peer: EconGeo krugman_index]"
    elif ref == "rest":
        rest = st[None, :] - arr
        rest_tot = gt - rt
        other = rest * reciprocal(rest_tot)[:, None]
        out = np.abs(s_r - other).sum(axis=1)
        text = ("K_r = sum_i |x_ri/x_r - (x_i - x_ri)/(x - x_r)|  [Krugman vs the rest of the country; "
                "peer: REAT krugman.spec]")
    else:
        colsum = s_r.sum(axis=0)
        mean_other = (colsum[None, :] - s_r) / (n - 1) if n > 1 else np.full_like(s_r, np.nan)
        out = np.abs(s_r - mean_other).sum(axis=1)
        text = ("K_r = sum_i |x_ri/x_r - mean_{l!=r} x_li/x_l|  [Krugman vs the unweighted mean of the other "
                "regions; peer: REAT spec 'K j']")
    reasons = _row_reasons(values, arr, rt, gt, out)
    return Result(pd.Series(out, index=values.index, name="krugman"), reasons, text)


def gini_lq(values) -> Result:
    """Gini coefficient of each region's location quotients (sectoral concentration of the region).

        G_r = sum_i sum_j |q_ri - q_rj| / (2 n^2 mean_i q_ri)
            = sum_k (2k - n - 1) q_r(k) / (n * sum_i q_ri),   q_r(1) <= ... <= q_r(n) sorted

    with q_ri the location quotients (`xlkg.core.measures.localization`) and n the number of sectors.
    Source: peer (methods section 8), REAT gini.spec. 0 = every LQ equal; towards 1 = concentrated.
    Sectors absent from the whole country (national total 0) have no LQ and are left out (noted).
    """
    lq = localization(values)
    q = lq.values.to_numpy()
    values = lq.values
    notes = []
    absent = np.isnan(q).all(axis=0)
    if absent.any() and not absent.all():
        notes.append("left out, no LQ anywhere: " + ", ".join(map(str, values.columns[absent])))
        q = q[:, ~absent]
    n = q.shape[1]
    qs = np.sort(q, axis=1)  # NaN sort to the end; a row with NaN gives NaN below
    w = 2.0 * np.arange(1, n + 1) - n - 1
    tot = q.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (qs @ w) / (n * tot)
    out[tot == 0] = np.nan
    reasons = None
    if np.isnan(out).any():
        reasons = series_reasons(pd.Series(out, index=values.index),
                                 (np.isnan(q).any(axis=1), "location quotient missing for a sector"),
                                 (np.isnan(out), ZERO_DENOMINATOR))
    return Result(pd.Series(out, index=values.index, name="gini_lq"), reasons,
                  "G_r = sum_i sum_j |q_ri - q_rj| / (2 n^2 mean q_r), q = location quotient  "
                  "[Gini of the LQs; peer: REAT gini.spec]", notes)


def locq_additive(values) -> Result:
    """Additive location quotient: x_ri / x_i - x_r / x (region's share of the sector minus its share
    of the country). Source: peer, REAT locq(LQ.method = "a"). 0 = neutral; > 0 over-represented."""
    values, arr = as_matrix(values)
    rt = arr.sum(axis=1)
    st = arr.sum(axis=0)
    gt = float(rt.sum())
    out = arr * reciprocal(st)[None, :] - (rt * (1.0 / gt if gt else np.nan))[:, None]
    reasons = None
    if np.isnan(out).any():
        reasons = frame_reasons(values, cell_masks=[(np.isnan(arr), MISSING_INPUT)],
                                row_masks=[(np.isnan(rt), "region total not computable: missing value in the row")],
                                col_masks=[(np.isnan(st), "sector total not computable: missing value in the column"),
                                           (st == 0, f"{ZERO_DENOMINATOR}: sector total is 0")],
                                all_text=(f"{ZERO_DENOMINATOR}: grand total is 0" if gt == 0 else
                                          "grand total not computable: missing value in the table"
                                          if np.isnan(gt) else None))
    return Result(pd.DataFrame(out, index=values.index, columns=values.columns, copy=False), reasons,
                  "LQa_ri = x_ri/x_i - x_r/x  [additive location quotient; peer: REAT locq, LQ.method='a']")


def herfindahl(values, normalized: bool = False) -> Result:
    """Herfindahl-Hirschman index of each region's sector structure.

        HHI_r = sum_i s_ri^2;   normalized: (HHI_r - 1/n) / (1 - 1/n), n = number of sectors

    Source: peer, REAT herf (coefnorm for the normalized form), EconGeo herfindahl.
    """
    values, arr = as_matrix(values)
    rt = arr.sum(axis=1)
    s = arr * reciprocal(rt)[:, None]
    out = (s * s).sum(axis=1)
    n = arr.shape[1]
    if normalized:
        out = (out - 1.0 / n) / (1.0 - 1.0 / n) if n > 1 else np.full_like(out, np.nan)
    reasons = None
    if np.isnan(out).any():
        reasons = series_reasons(pd.Series(out, index=values.index),
                                 (np.isnan(rt), f"{MISSING_INPUT}: missing value in the region's row"),
                                 (rt == 0, f"{ZERO_DENOMINATOR}: region total is 0"),
                                 (np.isnan(out), "needs at least two sectors"))
    text = "HHI_r = sum_i (x_ri/x_r)^2" + (" normalized (HHI - 1/n)/(1 - 1/n)" if normalized else "")
    return Result(pd.Series(out, index=values.index, name="herfindahl"), reasons,
                  text + "  [Herfindahl; peer: REAT herf, EconGeo herfindahl]")


# --------------------------------------------------------------------------------------------------
# Litzenberger-Sternberg cluster index
# --------------------------------------------------------------------------------------------------

def litzenberger_components(values, area, population, firms, total_area=None, total_population=None) -> dict:
    """The Litzenberger-Sternberg cluster index and its three terms, as a dict of Results.

        density    = (x_ri / A_r) / (x_i / A)          industrial density relative to the country
        per_capita = (x_ri / P_r) / (x_i / P)          industrial stock per head (= Kdp of section 2)
        size       = (x_ri / F_ri) / (x_i / F_i)       average firm size relative to the country
        index      = density * per_capita / size
                   = (x_ri * F_ri / (x_i * F_i)) * (A / A_r) * (P / P_r)

    x: employment (or output), A: area, P: population, F: number of firms (establishments).
    Source: peer (methods section 8), REAT litzenberger / litzenberger2.
    values, firms: DataFrames regions x sectors (same labels); area, population: Series by region.
    total_area / total_population: A and P (default: sums over the table's regions). x_i and F_i are
    the column sums.

    Zero rule (documented difference): where a region has no activity in a sector (x_ri = 0) or no
    firms (F_ri = 0), the index is 0, from the reduced form above: nothing is concentrated there.
    REAT returns NA where x_ri = 0 (its product form is 0 * 0 / 0). The `size` term itself is NaN
    with a reason where F_ri = 0.
    """
    values, arr = as_matrix(values)
    fm, farr = as_matrix(firms, arg="firms")
    fm = align_frames(values, fm, arg="firms", target_arg="values")
    farr = fm.to_numpy(dtype=float)
    a = align_regions(values.index, as_series(area, arg="area"), arg="area", target_arg="values").to_numpy(dtype=float)
    p = align_regions(values.index, as_series(population, arg="population"), arg="population",
                      target_arg="values").to_numpy(dtype=float)
    atot = as_scalar(total_area, arg="total_area") if total_area is not None else float(a.sum())
    ptot = as_scalar(total_population, arg="total_population") if total_population is not None else float(p.sum())
    xi = arr.sum(axis=0)
    fi = farr.sum(axis=0)
    inv_xi = reciprocal(xi)
    # A / A_r and P / P_r; a national area or population of 0 leaves no share: every value is missing
    ra = (atot if atot != 0 else np.nan) * reciprocal(a)
    rp = (ptot if ptot != 0 else np.nan) * reciprocal(p)
    density = arr * ra[:, None] * inv_xi[None, :]
    per_cap = arr * rp[:, None] * inv_xi[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        size = (arr / farr) * (fi * inv_xi)[None, :]
    size[farr == 0] = np.nan
    index = arr * farr * (ra * rp)[:, None] * (inv_xi * reciprocal(fi))[None, :]

    def reasons(out, extra_cells=()):
        if not np.isnan(out).any():
            return None
        return frame_reasons(
            values,
            cell_masks=[(np.isnan(arr), MISSING_INPUT), (np.isnan(farr), f"{MISSING_INPUT}: firms"), *extra_cells],
            row_masks=[(np.isnan(a), f"{MISSING_INPUT}: area"), (a == 0, f"{ZERO_DENOMINATOR}: area is 0"),
                       (np.isnan(p), f"{MISSING_INPUT}: population"),
                       (p == 0, f"{ZERO_DENOMINATOR}: population is 0")],
            col_masks=[(np.isnan(xi), "sector total not computable: missing value in the column"),
                       (xi == 0, f"{ZERO_DENOMINATOR}: sector total is 0"),
                       (np.isnan(fi), "firm total not computable: missing value in the column"),
                       (fi == 0, f"{ZERO_DENOMINATOR}: no firms in the sector")],
            all_text=(f"{ZERO_DENOMINATOR}: total area or population is 0" if atot == 0 or ptot == 0 else
                      f"{MISSING_INPUT}: total area or population" if np.isnan(atot) or np.isnan(ptot) else None),
        )

    def mk(out, text, extra=()):
        return Result(pd.DataFrame(out, index=values.index, columns=values.columns, copy=False), reasons(out, extra),
                      text + "; source: peer (REAT litzenberger)")

    zero_note = ("where x_ri = 0 or F_ri = 0 the index is 0 (reduced form; REAT gives NA where x_ri = 0)")
    res = {
        "density": mk(density, "density = (x_ri/A_r)/(x_i/A)"),
        "per_capita": mk(per_cap, "per_capita = (x_ri/P_r)/(x_i/P)"),
        "size": mk(size, "size = (x_ri/F_ri)/(x_i/F_i)",
                   [(farr == 0, f"{ZERO_DENOMINATOR}: no firms in the region's sector")]),
        "index": mk(index, "CI_ri = density * per_capita / size = (x_ri F_ri / (x_i F_i)) (A/A_r) (P/P_r)"
                    "  [Litzenberger-Sternberg cluster index]"),
    }
    res["index"].notes.append(zero_note)
    return res


def litzenberger(values, area, population, firms, total_area=None, total_population=None) -> Result:
    """Litzenberger-Sternberg cluster index CI_ri = density * per_capita / size.

    See `litzenberger_components` for the terms, the defaults and the zero rule (0 where x_ri = 0).
    Source: peer (methods section 8), REAT litzenberger2.
    """
    return litzenberger_components(values, area, population, firms, total_area, total_population)["index"]


# --------------------------------------------------------------------------------------------------
# cluster-mapping conventions
# --------------------------------------------------------------------------------------------------

def _top_cells(share, q):
    """Cells at or above the q-quantile (linear interpolation, as Excel PERCENTILE.INC) of all computable cells."""
    flat = share[~np.isnan(share)]
    if flat.size == 0:
        return np.zeros(share.shape, bool), np.nan
    cut = float(np.quantile(flat, q))
    with np.errstate(invalid="ignore"):
        return share >= cut, cut


def eco_stars(employment, *, top_share: float = 0.10, lq_threshold: float = 2.0) -> Result:
    """European Cluster Observatory stars (0-3) for each region x sector (cluster category).

    Our definitions (the Observatory's published rules, made exact here; thresholds settable):
      size star:            the region's share of the sector's national employment, x_ri / x_i, is in
                            the top `top_share` (default 10%) of all region x sector cells, i.e. at or
                            above their 90th percentile (linear interpolation, Excel PERCENTILE.INC);
      specialisation star:  LQ_ri = (x_ri/x_r)/(x_i/x) >= `lq_threshold` (default 2);
      focus star:           the sector's share of the region's employment, x_ri / x_r, is in the top
                            `top_share` of all cells (at or above their 90th percentile).
    A cell with no employment (x_ri = 0) gets no star. Cells that cannot be computed are NaN.
    Source: peer (methods section 8), European Cluster Observatory star rating.
    values: Result.values = number of stars (float 0-3, NaN where not computable);
    notes give the percentile cut-offs used.
    """
    values, arr = as_matrix(employment, arg="employment")
    ts = as_scalar(top_share, arg="top_share")
    if not 0 < ts < 1:
        raise InputError(f"top_share: {top_share} is not between 0 and 1 (e.g. 0.10 for the top 10%)")
    lq = localization(values, arg="employment")
    q = lq.values.to_numpy()
    rt = arr.sum(axis=1)
    st = arr.sum(axis=0)
    size_share = arr * reciprocal(st)[None, :]
    focus_share = arr * reciprocal(rt)[:, None]
    size_star, size_cut = _top_cells(size_share, 1 - ts)
    focus_star, focus_cut = _top_cells(focus_share, 1 - ts)
    active = arr > 0
    spec_star = q >= as_scalar(lq_threshold, arg="lq_threshold")
    stars = (size_star & active).astype(float) + (spec_star & active) + (focus_star & active)
    stars[np.isnan(q)] = np.nan
    notes = [f"size cut-off (x_ri/x_i, {100 * (1 - ts):g}th percentile): {size_cut:.6g}",
             f"focus cut-off (x_ri/x_r, {100 * (1 - ts):g}th percentile): {focus_cut:.6g}",
             f"specialisation: LQ >= {lq_threshold:g}"]
    return Result(pd.DataFrame(stars, index=values.index, columns=values.columns, copy=False), lq.reasons,
                  "ECO stars = [x_ri/x_i in top 10% of cells] + [LQ_ri >= 2] + [x_ri/x_r in top 10% of cells]; "
                  "source: peer (European Cluster Observatory), thresholds as documented", notes)


def us_strong_clusters(employment, establishments, *, lq_threshold: float = 1.0, top_quantile: float = 0.75,
                       bottom_quantile: float = 0.25) -> Result:
    """US Cluster Mapping "strong cluster" flag for each region x sector (cluster category).

    Our definition (the project's published rule made exact; thresholds settable), per sector i over
    the regions r:
        LQ_ri >= 1  and  LQ_ri >= the 75th percentile of LQ_.i (top quartile)
        and  x_ri > the 25th percentile of x_.i  and  F_ri > the 25th percentile of F_.i
    with x employment, F establishments, percentiles by linear interpolation (Excel PERCENTILE.INC)
    over the regions with a computable value. Source: peer (methods section 8), U.S. Cluster Mapping.
    values: Result.values = DataFrame of floats 1.0 (strong) / 0.0 (not), NaN where LQ is missing.
    """
    values, arr = as_matrix(employment, arg="employment")
    fm, farr = as_matrix(establishments, arg="establishments")
    fm = align_frames(values, fm, arg="establishments", target_arg="employment")
    farr = fm.to_numpy(dtype=float)
    for name, qv in (("top_quantile", top_quantile), ("bottom_quantile", bottom_quantile)):
        if not 0 <= as_scalar(qv, arg=name) <= 1:
            raise InputError(f"{name}: {qv} is not between 0 and 1")
    lq = localization(values, arg="employment")
    q = lq.values.to_numpy()

    def colq(m, qq):
        if np.isnan(m).any():
            with np.errstate(invalid="ignore"), _warnings_off():
                return np.nanquantile(m, qq, axis=0)
        return np.quantile(m, qq, axis=0)

    lq_top = colq(q, top_quantile)
    x_low = colq(arr, bottom_quantile)
    f_low = colq(farr, bottom_quantile)
    with np.errstate(invalid="ignore"):
        strong = (q >= lq_threshold) & (q >= lq_top[None, :]) & (arr > x_low[None, :]) & (farr > f_low[None, :])
    out = strong.astype(float)
    out[np.isnan(q) | np.isnan(farr)] = np.nan
    reasons = lq.reasons
    if np.isnan(farr).any():
        reasons = frame_reasons(values, cell_masks=[(np.isnan(farr), f"{MISSING_INPUT}: establishments")], base=reasons)
    return Result(pd.DataFrame(out, index=values.index, columns=values.columns, copy=False), reasons,
                  f"strong = LQ >= {lq_threshold:g} and LQ in the top quartile of the sector's regions and employment "
                  "and establishments above the sector's bottom quartile; source: peer (U.S. Cluster Mapping), "
                  "thresholds as documented")


class _warnings_off:
    def __enter__(self):
        import warnings
        self._c = warnings.catch_warnings()
        self._c.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._c.__exit__(*exc)
