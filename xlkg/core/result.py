"""What every computation returns, and how it says what went wrong.

Two kinds of trouble, handled differently:

* Input that makes the whole call meaningless (a negative employment figure, labels that do not match
  between two tables, an unknown method name) raises `InputError`, whose message names the label or
  cell and says what would be right.
* A single value that cannot be computed (a zero denominator, a missing input) stays missing (NaN) in
  `Result.values`, and `Result.reasons` holds, at the same position, a short text saying why. Nothing
  is ever replaced by 0 or by infinity.

`Result.method` is the provenance text: formula, source (seed / standard / reconstruction / peer) and
the variant used, so that a printed table can be cited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xlkg.core.errors import InputError  # noqa: F401 (the one definition; imported from here too)

# Short reasons, shared so that the same situation reads the same everywhere (and can be translated).
MISSING_INPUT = "no data"
ZERO_DENOMINATOR = "division by zero"


@dataclass
class Result:
    """A labelled result: values (NaN where not computable), a reason per NaN, and the method text."""

    values: pd.DataFrame | pd.Series
    reasons: pd.DataFrame | pd.Series | None = None
    method: str = ""
    notes: list[str] = field(default_factory=list)

    def reason_at(self, row, col=None) -> str | None:
        if self.reasons is None:
            return None
        r = self.reasons.loc[row] if col is None else self.reasons.loc[row, col]
        return r if isinstance(r, str) and r else None


def frame_kind(frame: pd.DataFrame) -> str:
    """The numpy kind of `frame`'s values taken as one array: "f" for float columns (or floats beside
    integers, which read as the same numbers), "i"/"u" for integers only, "O" for anything mixed with
    text or booleans, "" for no column. Cheap for the usual one-dtype frame, where `frame.dtypes`
    would build a Series on every call."""
    return frame.to_numpy().dtype.kind if frame.shape[1] else ""


def reasons_from_masks(like: pd.DataFrame | pd.Series, *masks: tuple[np.ndarray, str]):
    """Build a reasons frame shaped like `like`: for each (mask, text), in order, the first text wins.

    Vectorised: one `np.where` per mask, so it stays cheap on 1000 x 500 matrices.
    """
    out = np.full(like.shape, None, dtype=object)
    for mask, text in reversed(masks):
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            out = np.where(mask, text, out)
    if isinstance(like, pd.Series):
        return pd.Series(out, index=like.index, dtype=object)
    return pd.DataFrame(out, index=like.index, columns=like.columns, dtype=object)


def safe_divide(num, den):
    """num / den with NaN (not inf) where den is 0 or either side is missing; no warnings."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(den == 0, np.nan, out)
