"""Integral regional rating (seed formula (2)), its alternatives, and how robust a rank is.

The seed ranks regions by an integral rating of industry's resource potential, effectiveness and
efficiency (ky: ресурстук дарамет, натыйжалуулук, жемиштүүлүк; ru: ресурсность, результативность,
эффективность)::

    R_r = (1/n) * sum_k b_rk                      formula (2): n = number of indicator scores
    b_rk = x_rk / max_r x_rk                      "more is better" (+) indicators
    b_rk = min_r x_rk / x_rk                      "less is better" (-) indicators

Only the legend of formula (2) survives ("rating score of the indicators; n the number of scores");
the score rule b above is a reconstruction (the ratio-to-best rule) and is the default. The
alternatives ministries use are chosen by name, one verb per step:

* `normalise(indicators, directions, method)` turns raw indicators into scores b (region x indicator);
* `aggregate(scores, method, aggregation, weights, min_coverage)` turns scores into one number a region;
* `rank_eq(values, ascending)` ranks like Excel's RANK.EQ;
* `rate(...)` does all three for one table; `rate_years(...)` for several years and the period;
* `sensitivity(...)` re-rates with every method combination and reports each region's rank range.

The rating as a composite indicator (as the JRC COIN Tool and COINr), one verb per file:

* `impute(...)` fills missing values (none by default; the indicator's mean or median), flagged;
* `treat(...)` winsorises or log-transforms outliers before normalisation, every treated cell reported;
* `rate_composite(...)` imputes, treats and rates, flagging filled and treated cells per region;
* `uncertainty(...)` Monte Carlo over weights and methods: each region's median rank and 5-95 % interval;
* `coherence(...)` correlations of the indicators with each other and with the index.

Normalisations (``method=``), each honouring the direction of every indicator:

=========  ==========================================================  =========================
name       score b_rk                                                  better
=========  ==========================================================  =========================
ratio      x/max (+), min/x (-)          [seed formula (2), default]   higher (b in (0, 1])
minmax     (x-min)/(max-min) (+), (max-x)/(max-min) (-)                higher (b in [0, 1])
zscore     (x-mean)/sd (+), (mean-x)/sd (-); sd with n-1 (STDEV.S)     higher
rank       place of the region, 1 = best, ties share the best place    lower (sum of places)
distance   b = x/ref (+), ref/x (-); ref = ideal (best) value or a     lower (distance)
           reference region; aggregated as sqrt(sum_k (1-b_rk)^2)
=========  ==========================================================  =========================

Aggregations (``aggregation=``), always over the indicators a region has (see min_coverage):

* ``mean`` (default): arithmetic mean, formula (2). For ``rank`` the score is the sum of places
  (n times the mean place, so that a region with a missing indicator is comparable); for
  ``distance`` it is sqrt(n/k * sum over its k available indicators of (1-b)^2), which is
  sqrt(sum (1-b)^2) when nothing is missing.
* ``geometric``: (prod b)^(1/k); for ``ratio`` and ``minmax`` only (it needs scores >= 0; a score
  of 0 makes it 0: no compensation).
* ``weighted``: sum w_k b_k / sum w_k over available indicators; weights >= 0, one per indicator,
  normalised to sum 1. For ``rank`` n times the weighted mean place, for ``distance``
  sqrt(n * sum w_k (1-b_k)^2 / sum w_k).

Data availability: a region needs at least ceil(min_coverage * n) of the n indicators (default
min_coverage = 0.5: at least half); below that it gets no score (NaN and the reason). An indicator
whose scores cannot be computed for any region (zero maximum, zero minimum of a "-" indicator under
ratio, all regions equal under minmax/zscore, no data) is NaN with the reason for every region and
counts as unavailable; the note says so.

Ranks are RANK.EQ: 1 = best, tied regions share the best place and the next place is skipped. Scores
are compared after rounding to 12 decimals so that equal scores reached by different arithmetic tie.
For ``ratio``, ``minmax``, ``zscore`` the highest score is rank 1; for ``rank`` (sum of places) and
``distance`` the lowest is.
"""

from .aggregate import aggregate, rank_eq
from .coherence import coherence
from .compose import rate_composite
from .impute import IMPUTATIONS, impute
from .indicators import GROUPS, suggested_indicators
from .normalise import normalise
from .options import (
    AGGREGATIONS,
    DEFAULT_AGGREGATION,
    DEFAULT_METHOD,
    DEFAULT_MIN_COVERAGE,
    NORMALISATIONS,
    parse_aggregation,
    parse_directions,
    parse_method,
    parse_weights,
)
from .rate import rate
from .sensitivity import SensitivityResult, combination_label, sensitivity
from .treat import TREATMENTS, treat
from .uncertainty import uncertainty
from .years import long_table_from_rows, rate_years

__all__ = [
    "IMPUTATIONS", "TREATMENTS", "coherence", "impute", "rate_composite", "treat", "uncertainty",
    "AGGREGATIONS", "DEFAULT_AGGREGATION", "DEFAULT_METHOD", "DEFAULT_MIN_COVERAGE", "GROUPS", "NORMALISATIONS",
    "SensitivityResult", "aggregate", "combination_label", "long_table_from_rows", "normalise", "parse_aggregation",
    "parse_directions", "parse_method", "parse_weights", "rank_eq", "rate", "rate_years", "sensitivity",
    "suggested_indicators",
]
