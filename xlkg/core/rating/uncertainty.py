"""How uncertain each region's rank is: a Monte Carlo over the weights and over the choice of
normalisation and aggregation (beyond the seed; the uncertainty analysis of the JRC COIN Tool and
COINr's `get_sensitivity(SA_type = "UA")`).

Each of `runs` replications (default 1000) draws, independently:

* a normalisation/aggregation pair, uniformly from the valid pairs of `methods` x `aggregations`
  (default: all five normalisations with the arithmetic and the geometric mean, where they fit: 7
  pairs);
* a weight per indicator, w_k * (1 + u_k), u_k uniform on [-spread, +spread] (default spread 0.25,
  i.e. each weight varies by up to 25 % around its nominal value; the nominal weights are the given
  ones, else equal), then normalised to sum 1. The arithmetic mean becomes the weighted mean, the
  geometric mean the weighted geometric mean.

The regions are rated in every replication exactly as `rate` does (RANK.EQ, 1 = best) and, per
region, the distribution of its ranks is summarised: the median and the 5 % and 95 % quantiles
(linear interpolation between order statistics, as Excel's PERCENTILE.INC), so a rank can read 2.5.
The nominal rank (the given method and weights) comes first.

Reproducible: the draws come from numpy's PCG64 generator seeded with `seed` (default 1); the same
seed, data and options give the same figures. The work is vectorised over replications: the scores
of the regions under every normalisation are computed once, and each replication costs one
weighted sum per region.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..cells import Table
from ..result import InputError, Result
from .aggregate import resolve
from .compose import flags, prepare
from .impute import DEFAULT_IMPUTATION
from .normalise import normalise_core
from .options import (
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    LOWER_IS_BETTER,
    NORMALISATIONS,
    RANK_DECIMALS,
    VALID,
    as_label,
    check_min_coverage,
    parse_aggregation,
    parse_directions,
    parse_method,
    parse_weights,
)
from .rate import rate_frame
from .treat import DEFAULT_TREATMENT

DEFAULT_RUNS = 1000
MAX_RUNS = 100_000
DEFAULT_SEED = 1
DEFAULT_SPREAD = 0.25
QUANTILES = (0.05, 0.95)


@dataclass
class UncertaintyResult(Result):
    """Result of `uncertainty`: `values` = per region summary; `ranks` = replications x regions (the
    rank in every replication); `draws` = per replication the pair drawn ('ratio/mean' ...)."""

    ranks: pd.DataFrame | None = None
    draws: pd.Series | None = None


def _whole(v, arg, lo, hi):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v) \
            or not float(v).is_integer() or not (lo <= v <= hi):
        raise InputError(f"{arg}: expected a whole number from {lo} to {hi}, got {v!r}")
    return int(v)


def _wsum(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """X (m x n) times W' (n x r) by einsum: a plain loop in C, steadier than a threaded BLAS call on a
    busy machine at these sizes."""
    return np.einsum("ik,rk->ir", X, W)


def _quantiles(R: np.ndarray, qs) -> list[np.ndarray]:
    """Per column of R, the quantiles qs over its non-missing values, linear between order statistics
    (Excel's PERCENTILE.INC, numpy's default); NaN for a column with no value. Vectorised over columns."""
    k = (~np.isnan(R)).sum(axis=0)
    V = np.sort(R, axis=0)  # NaN sorts last
    out = []
    for q in qs:
        h = (np.maximum(k, 1) - 1) * q
        lo = np.floor(h).astype(int)
        hi = np.minimum(lo + 1, np.maximum(k - 1, 0))
        a = np.take_along_axis(V, lo[None, :], axis=0)[0]
        b = np.take_along_axis(V, hi[None, :], axis=0)[0]
        out.append(np.where(k > 0, a + (h - lo) * (b - a), np.nan))
    return out


def _rank_rows(S: np.ndarray, lower_better: bool) -> np.ndarray:
    """RANK.EQ of each row of S (replications x regions): 1 + the number of strictly better scores;
    NaN stays NaN. Scores are rounded to RANK_DECIMALS first, as `rank_eq` does. One sort per row:
    in the sorted row a value's rank is the position of the first value equal to it."""
    S = np.round(S, RANK_DECIMALS)
    if lower_better:
        S = -S
    missing = np.isnan(S)
    key = np.where(missing, -np.inf, S)
    order = np.argsort(-key, axis=1, kind="stable")
    v = np.take_along_axis(key, order, axis=1)
    new = np.ones(v.shape, dtype=bool)
    new[:, 1:] = v[:, 1:] != v[:, :-1]
    first = np.maximum.accumulate(np.where(new, np.arange(v.shape[1])[None, :], 0), axis=1)
    out = np.empty(S.shape)
    np.put_along_axis(out, order, first + 1.0, axis=1)
    return np.where(missing, np.nan, out)


def uncertainty(indicators, directions=None, weights=None, method: str = DEFAULT_METHOD,
                aggregation: str | None = None, min_coverage: float = DEFAULT_MIN_COVERAGE, *,
                runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED, spread: float = DEFAULT_SPREAD,
                methods=None, aggregations=None, imputation: str = DEFAULT_IMPUTATION,
                treatment: str = DEFAULT_TREATMENT, reference=None) -> UncertaintyResult:
    """Median rank and 5-95 % rank interval of every region over `runs` random replications (module
    docstring). `method`/`aggregation`/`weights` give the nominal rating (rank shown first).

    values: DataFrame (regions in input order), columns 'rank' (nominal), 'median rank', 'rank 5%',
    'rank 95%', 'best rank', 'worst rank' (over all replications), 'imputed' and 'treated' (the
    indicators filled or treated for the region, comma-separated; empty when none).
    """
    nom_m, nom_a = resolve(method, aggregation, weights is not None)
    cov = check_min_coverage(min_coverage)
    runs = _whole(runs, "runs", 1, MAX_RUNS)
    seed = _whole(seed, "seed", 0, 2 ** 63 - 1)
    if isinstance(spread, bool) or not isinstance(spread, (int, float, np.integer, np.floating)) \
            or not np.isfinite(spread) or not (0 <= spread < 1):
        raise InputError(f"spread: expected a share from 0 to below 1 (0.25 = weights vary by up to 25 %), "
                         f"got {spread!r}")
    if methods is None:
        methods = list(NORMALISATIONS)
    elif isinstance(methods, str):
        methods = [methods]
    methods = list(dict.fromkeys(parse_method(x, arg="methods") for x in methods))
    if aggregations is None:
        aggregations = ["mean", "geometric"]
    elif isinstance(aggregations, str):
        aggregations = [aggregations]
    aggregations = list(dict.fromkeys(parse_aggregation(a, arg="aggregations") or "mean" for a in aggregations))
    aggregations = ["mean" if a == "weighted" else a for a in aggregations]
    aggregations = list(dict.fromkeys(aggregations))

    p = prepare(indicators, imputation=imputation, treatment=treatment)
    logged = bool(p.treat.report["treatment"].astype(str).str.startswith("log").any())
    x = p.x
    m, n = x.shape
    dirs = parse_directions(directions, x.columns)
    w0 = parse_weights(weights, x.columns)
    w0 = np.full(n, 1.0 / n) if w0 is None else w0

    notes = list(indicators.notes) if isinstance(indicators, Table) else []
    notes += p.notes
    combos, skipped = [], []
    B = {}
    for mm in methods:
        if logged and mm in ("ratio", "distance"):
            skipped.append(f"{mm} (an indicator was log-transformed: no natural zero)")
            continue
        try:
            B[mm] = normalise_core(x, dirs, mm, reference if mm == "distance" else None)[0]
        except InputError as exc:  # e.g. negative values under the ratio rule
            skipped.append(f"{mm} ({exc})")
            continue
        for a in aggregations:
            if a in VALID[mm]:
                combos.append((mm, a))
    if not combos:
        raise InputError("methods: no normalisation fits these indicators: " + "; ".join(skipped))
    if skipped:
        notes.append("left out of the draws: " + "; ".join(skipped))

    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(combos), size=runs)
    U = rng.uniform(-spread, spread, size=(runs, n)) if spread > 0 else np.zeros((runs, n))
    W = w0[None, :] * (1.0 + U)
    W = W / W.sum(axis=1, keepdims=True)

    need = max(1, int(np.ceil(cov * n - 1e-9)))
    R = np.full((runs, m), np.nan)
    for c, (mm, a) in enumerate(combos):
        rows = np.flatnonzero(pick == c)
        if rows.size == 0:
            continue
        Bm = B[mm]
        avail = ~np.isnan(Bm)
        A = avail.astype(float)
        B0 = np.where(avail, Bm, 0.0)
        Wc = W[rows] * n  # (r x n); scale does not matter, kept as aggregate_core has it
        wsum = _wsum(A, Wc)  # (m x r)
        with np.errstate(all="ignore"):
            if mm == "rank":
                S = n * _wsum(B0, Wc) / wsum
            elif mm == "distance":
                S = np.sqrt(n * _wsum(((1.0 - B0) ** 2) * A, Wc) / wsum)
            elif a == "geometric":
                zero = (avail & (B0 == 0)).any(axis=1)
                logs = np.where(avail & (B0 > 0), np.log(np.where(B0 > 0, B0, 1.0)), 0.0)
                S = np.where(zero[:, None], 0.0, np.exp(_wsum(logs, Wc) / wsum))
            else:
                S = _wsum(B0, Wc) / wsum
        low = avail.sum(axis=1) < need
        S = np.where(low[:, None] | ~np.isfinite(S) | (wsum <= 0), np.nan, S)
        R[rows] = _rank_rows(S.T, mm in LOWER_IS_BETTER)

    nominal, nominal_why = None, None
    if logged and nom_m in ("ratio", "distance"):
        nominal_why = "the nominal method needs a natural zero, which the log transform removed"
    else:
        try:
            nominal = rate_frame(x, p.missing, dirs, parse_weights(weights, x.columns), nom_m, nom_a, cov,
                                 reference)[0]
        except InputError as exc:  # e.g. negative values under the ratio rule: the draws still stand
            nominal_why = f"no rank under the nominal method {nom_m}/{nom_a}: {exc}"
    have = ~np.isnan(R)
    med, lo, hi = _quantiles(R, (0.5,) + QUANTILES)
    with np.errstate(all="ignore"):
        best = np.where(have.any(axis=0), np.nanmin(np.where(have, R, np.inf), axis=0), np.nan)
        worst = np.where(have.any(axis=0), np.nanmax(np.where(have, R, -np.inf), axis=0), np.nan)
    values = pd.DataFrame({"rank": np.nan if nominal is None else nominal["rank"].to_numpy(),
                           "median rank": med, "rank 5%": lo, "rank 95%": hi, "best rank": best,
                           "worst rank": worst}, index=x.index)
    values["imputed"] = flags(p.imputed)
    values["treated"] = flags(p.treated)
    reasons = pd.DataFrame(None, index=x.index, columns=values.columns, dtype=object)
    none = ~have.any(axis=0)
    reasons.loc[none, ["median rank", "rank 5%", "rank 95%", "best rank", "worst rank"]] = \
        "no rank in any replication (too few indicators with data)"
    if nominal is None:
        reasons["rank"] = nominal_why
    else:
        reasons.loc[nominal["rank"].isna().to_numpy(), "rank"] = "no rank under the nominal method"
    partial = have.any(axis=0) & ~have.all(axis=0)
    for r in x.index[partial]:
        notes.append(f"region '{as_label(r)}' has no rank in some replications; its figures use the others")
    labels = [f"{mm}/{a}" for mm, a in combos]
    text = (f"Uncertainty of ranks (Monte Carlo, as the COIN Tool / COINr uncertainty analysis): {runs} "
            f"replications, seed {seed}; each draws a pair from " + ", ".join(labels)
            + f" (uniformly) and weights w_k*(1+u_k), u_k uniform on [-{spread:g}, {spread:g}], normalised to "
              f"sum 1; nominal weights " + ", ".join(f"{as_label(c)} {v:.4g}" for c, v in zip(x.columns, w0, strict=True))
            + f"; ranks as RANK.EQ, 1 = best; median and 5 %/95 % quantiles as PERCENTILE.INC; nominal "
              f"{nom_m}/{nom_a}; min_coverage {cov:g}; " + p.text)
    return UncertaintyResult(values=values, reasons=reasons, method=text, notes=notes,
                             ranks=pd.DataFrame(R, columns=x.index),
                             draws=pd.Series([labels[k] for k in pick], name="pair"))
