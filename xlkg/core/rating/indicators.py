"""The seed's three sides of the rating and the suggested indicator set."""

from __future__ import annotations

import pandas as pd

from xlkg import data

# The seed's three sides of the rating, named as in its parallel Kyrgyz and Russian sentences
# ("ресурстук дараметинин, натыйжалуулугунун жана жемиштүүлүгүн" / "ресурсности, результативности и
# эффективности").
GROUPS = {
    "resource_potential": {"ky": "ресурстук дарамет", "ru": "ресурсность", "en": "resource potential"},
    "effectiveness": {"ky": "натыйжалуулук", "ru": "результативность", "en": "effectiveness"},
    "efficiency": {"ky": "жемиштүүлүк", "ru": "эффективность", "en": "efficiency"},
}


def suggested_indicators() -> pd.DataFrame:
    """The suggested indicator set for the industrial rating (package data rating_indicators.csv).

    Columns: key, group (resource_potential / effectiveness / efficiency, see GROUPS), ky, ru, en,
    unit, direction ('+' more is better, '-' less is better), note (where the National Statistical
    Committee publishes it, or how it is derived, and caveats). Our suggestion, not the seed's list.
    """
    return data.frame("rating_indicators.csv")


