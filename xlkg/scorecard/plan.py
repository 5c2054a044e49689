"""What to write where: the scorecard as a FillPlan of values by the template's defined names.

No I/O and no Excel library here. Every host applies the same plan with a thin loop:

* classic Excel (`xlkg.excel.macros`): ``book.names[name].refers_to_range.value = block``;
* Office.js (`xlkg.excel.scripts`): the same on the script's book (values only, the template holds
  the formats);
* headless (`xlkg.scorecard.writer`): ``xlsx.name_writes`` + ``xlsx.patch_workbook``.

Targets are addressed by the template's defined names (`xlkg.scorecard.layout`: names, sheets, shapes
and column order), never by hard-coded cells, so a template can be re-arranged in Excel as long as the
names keep their shapes. A cell that cannot be computed receives the text ``#N/A`` (an error value in
every host), never NaN or a silent blank; the reason stands in the note column beside it and on the
Notes sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

from xlkg.core.result import InputError
from xlkg.scorecard import layout
from xlkg.scorecard.compute import SUBSYSTEMS, Scorecard
from xlkg.scorecard.layout import BLOCK_COLUMNS, ILLUSTRATIVE, INDEX_COLUMNS, NOTES_ROWS, SUMMARY_COLUMNS

NA = "#N/A"


# --------------------------------------------------------------------------------------------------
# The plan


@dataclass
class FillPlan:
    """Values by defined name (scalar or list of rows), names whose current values the template must
    already hold (the indicator codes, so a plan never fills a template of another catalogue), and
    notes for the user. Every value is a float, a str or None; never NaN."""

    writes: dict[str, object]
    expect: dict[str, list] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return list(self.writes)

    def check_expected(self, read) -> None:
        """`read(name)` returns the template's current values of a name as a list of rows. InputError
        when they differ from `expect`: the template belongs to another version of the catalogue."""
        for name, want in self.expect.items():
            got = read(name)
            flat = [(r[0] if isinstance(r, (list, tuple)) else r) for r in (got or [])]
            flat = [None if v is None else str(v).strip() for v in flat]
            if flat != list(want):
                # the first place they differ, which may be the end of the shorter (lengths may differ)
                diff = next((i for i, (a, b) in enumerate(zip(flat, want, strict=False)) if a != b),
                            min(len(flat), len(want)))
                shown = flat[diff] if diff < len(flat) else "(nothing)"
                wanted = want[diff] if diff < len(want) else "(nothing)"
                raise InputError(
                    f"template: defined name {name} row {diff + 1} holds indicator {shown!r}, the scorecard has "
                    f"{wanted!r}; the template was built for another indicator catalogue: rebuild it "
                    "(xlkg.scorecard.templates.build_templates) or use the bundled one"
                )


def _num(x) -> object:
    """A number for a cell, rounded to 12 significant digits (no binary noise such as 17.30000000000001),
    or "#N/A" where not computable."""
    if x is None:
        return NA
    x = float(x)
    return float(f"{x:.12g}") if math.isfinite(x) else NA


def _note(reasons: Mapping[str, object]) -> str | None:
    parts = []
    for col, label in (("base", "base"), ("report", "report"), ("score", "score")):
        r = reasons.get(col)
        if isinstance(r, str) and r:
            if col == "score" and (r.startswith("no report value") or r.startswith("no base value")):
                continue  # already said under base/report
            parts.append(f"{label}: {r}")
    if not parts:
        g = reasons.get("growth")
        if isinstance(g, str) and g and not g.startswith("no "):
            parts.append(f"growth: {g}")
    return "; ".join(parts) if parts else None


def build_plan(sc: Scorecard, *, illustrative: bool = False) -> FillPlan:
    """The FillPlan of a computed scorecard for the template's defined names (`xlkg.scorecard.layout`)."""
    vals, why = sc.indicators.values, sc.indicators.reasons
    subs = sc.subsystems.values
    writes: dict[str, object] = {
        layout.CLUSTER.name: sc.cluster or None,
        layout.BASE_LABEL.name: sc.period_labels.get("base") or None,
        layout.REPORT_LABEL.name: sc.period_labels.get("report") or None,
        layout.ILLUSTRATIVE_MARK.name: ILLUSTRATIVE if illustrative else None,
        layout.OVERALL.name: [[_num(x) for x in (sc.overall, sc.overall_coverage)]],
        layout.SUMMARY.name: [[_num(subs.loc[k, c]) for c in SUMMARY_COLUMNS] for k in SUBSYSTEMS],
    }
    expect: dict[str, list] = {}
    notes: list[str] = []
    for key in SUBSYSTEMS:
        inds = sc.by_subsystem(key)
        rows = []
        for ind in inds:
            v = vals.loc[ind.code]
            note = _note(why.loc[ind.code].to_dict())
            rows.append([note if c == "note" else _num(v[c]) for c in BLOCK_COLUMNS])
            if note:
                notes.append(f"{ind.code} — {ind.name('ru')} / {ind.en}: {note}")
        writes[layout.block(key, len(inds)).name] = rows
        writes[layout.index(key).name] = [[_num(subs.loc[key, c]) for c in INDEX_COLUMNS]]
        expect[layout.codes(key, len(inds)).name] = [i.code for i in inds]
        r = sc.subsystems.reasons.get(key)
        if isinstance(r, str) and r:
            notes.append(f"{key}: {r}")
    notes = list(sc.notes) + notes
    shown = notes[:NOTES_ROWS]
    if len(notes) > NOTES_ROWS:
        shown[-1] = f"... and {len(notes) - NOTES_ROWS + 1} more: see the note column of the Scorecard sheet"
    writes[layout.NOTES.name] = [[t] for t in shown] + [[None]] * (NOTES_ROWS - len(shown))
    writes[layout.METHOD.name] = sc.method
    return FillPlan(writes, expect, notes)
