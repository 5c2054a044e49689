"""The rating as a composite indicator: impute, treat outliers, then rate, with every filled and every
treated cell flagged in the result (the order of the JRC COIN Tool and COINr: impute, treat, normalise,
aggregate)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..cells import Table
from ..result import InputError, Result
from .aggregate import resolve
from .impute import DEFAULT_IMPUTATION, impute, parse_imputation
from .normalise import check_reference
from .options import (
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    as_label,
    check_indicators,
    check_min_coverage,
    parse_directions,
    parse_weights,
)
from .rate import method_text, rate_frame
from .treat import (
    DEFAULT_KURT,
    DEFAULT_SKEW,
    DEFAULT_TREATMENT,
    DEFAULT_WINMAX,
    parse_treatment,
    treat,
)

# the normalisations that need a natural zero (x/max, min/x, x/ref), which a log transform removes
_NEED_ZERO = ("ratio", "distance")


class Prepared:
    """A table after imputation and treatment, and what was done to it."""

    def __init__(self, x, missing, imputed, treated, text, notes, treat_result, impute_result):
        self.x = x  # DataFrame regions x indicators, ready to normalise
        self.missing = missing  # the reader's reasons for cells that are still missing (or None)
        self.imputed = imputed  # bool DataFrame: filled cells
        self.treated = treated  # bool DataFrame: treated cells
        self.text = text
        self.notes = notes
        self.treat = treat_result
        self.impute = impute_result


def prepare(indicators, *, imputation=DEFAULT_IMPUTATION, treatment=DEFAULT_TREATMENT, winmax=DEFAULT_WINMAX,
            skew_thresh=DEFAULT_SKEW, kurt_thresh=DEFAULT_KURT, method=None) -> Prepared:
    """Impute, then treat outliers; refuse a log transform under a normalisation that needs a zero."""
    imputation = parse_imputation(imputation)
    treatment = parse_treatment(treatment)
    x, missing = check_indicators(indicators)
    im = impute(x, imputation)
    tr = treat(im.values, treatment, winmax=winmax, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    logged = tr.report.index[tr.report["treatment"].astype(str).str.startswith("log")]
    if method in _NEED_ZERO and len(logged):
        raise InputError(f"treatment: indicator '{as_label(logged[0])}' was log-transformed, and a logarithm has no "
                         f"natural zero, which the '{method}' rule (x/max, min/x) needs; use method 'minmax' or "
                         f"'zscore', or treatment 'winsorise'")
    treated = pd.DataFrame(~np.isnan(im.values.to_numpy()) & (tr.values.to_numpy() != im.values.to_numpy()),
                           index=x.index, columns=x.columns)
    still = None if missing is None else missing.where(~im.imputed.to_numpy(), None)
    text = im.method + "; " + tr.method
    return Prepared(tr.values, still, im.imputed, treated, text, im.notes + tr.notes, tr, im)


def flags(mask: pd.DataFrame) -> list[str]:
    """Per region, the indicators where `mask` is True, comma-separated ("" for none)."""
    cols = mask.columns.tolist()
    return [", ".join(as_label(cols[j]) for j in np.flatnonzero(row)) for row in mask.to_numpy()]


def rate_composite(indicators, directions=None, weights=None, method: str = DEFAULT_METHOD,
                   aggregation: str | None = None, min_coverage: float = DEFAULT_MIN_COVERAGE, *,
                   imputation: str = DEFAULT_IMPUTATION, treatment: str = DEFAULT_TREATMENT,
                   winmax: int = DEFAULT_WINMAX, skew_thresh: float = DEFAULT_SKEW,
                   kurt_thresh: float = DEFAULT_KURT, reference=None) -> Result:
    """Integral rating after imputation and outlier treatment (see `xlkg.core.rating.rate` for the
    rating itself, `impute` and `treat` for the steps before it).

    Result.values: DataFrame with columns 'score', 'rank' (as `rate`), 'imputed' (the indicators filled
    for that region, comma-separated; empty when none) and 'treated' (the indicators whose value was
    winsorised or log-transformed for that region).
    """
    m, agg = resolve(method, aggregation, weights is not None)
    check_reference(reference, m)
    cov = check_min_coverage(min_coverage)
    p = prepare(indicators, imputation=imputation, treatment=treatment, winmax=winmax, skew_thresh=skew_thresh,
                kurt_thresh=kurt_thresh, method=m)
    dirs = parse_directions(directions, p.x.columns)
    w = parse_weights(weights, p.x.columns)
    values, reasons, notes, ref_text = rate_frame(p.x, p.missing, dirs, w, m, agg, cov, reference)
    values["imputed"] = flags(p.imputed)
    values["treated"] = flags(p.treated)
    reasons["imputed"] = None
    reasons["treated"] = None
    pre = list(indicators.notes) if isinstance(indicators, Table) else []
    return Result(values=values, reasons=reasons, notes=pre + p.notes + notes,
                  method=p.text + "; " + method_text(m, agg, cov, p.x.columns, dirs, w, ref_text))
