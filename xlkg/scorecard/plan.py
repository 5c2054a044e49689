"""What to write where: the scorecard as a FillPlan, and the input workbook's layout read into data.

No I/O and no Excel library here. Every host applies the same plan with a thin loop:

* classic Excel (`xlkg.excel.macros`): ``book.names[name].refers_to_range.value = block``;
* Office.js (`xlkg.excel.scripts`): the same on the script's book (values only, the template holds
  the formats);
* headless (`xlkg.scorecard.writer`): ``xlsx.name_writes`` + ``xlsx.patch_workbook``.

Targets are addressed by the template's defined names (listed below), never by hard-coded cells, so a
template can be re-arranged in Excel as long as the names keep their shapes. A cell that cannot be
computed receives the text ``#N/A`` (an error value in every host), never NaN or a silent blank; the
reason stands in the note column beside it and on the Notes sheet.

Defined names of the scorecard template (workbook scope):

    xlkg_cluster, xlkg_base_label, xlkg_report_label     one cell each: cluster name, period labels
    xlkg_illustrative                                    one cell: the three-language "illustrative" mark or blank
    xlkg_overall                                         1 x 2: overall index, its coverage
    xlkg_summary                                         7 x 5: per subsystem index, coverage, scored, indicators, weight
    xlkg_<sub>_codes                                     n x 1: the indicator codes of the subsystem (checked, not written)
    xlkg_<sub>                                           n x 6: base, report, change, growth %, score, note
    xlkg_<sub>_index                                     1 x 2: subsystem index, coverage (section header)
    xlkg_notes                                           NOTES_ROWS x 1: what could not be computed and why
    xlkg_method                                          one cell: the method text (provenance)

<sub> is the subsystem's short key (production_factors, financial, ...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from xlkg.core.cells import label_text, parse_cell
from xlkg.core.result import InputError
from xlkg.scorecard.compute import (
    PERIODS, SUBSYSTEMS, ClusterData, InputItem, Scorecard, compute_scorecard, load_inputs, normalise_weights,
)

NA = "#N/A"
NOTES_ROWS = 120
ILLUSTRATIVE = (
    "Мисал катары гана: шарттуу маалыматтар / Только для иллюстрации: условные данные / "
    "Illustrative only: made-up data"
)

# Input workbook layout
SHEET_INSTRUCTIONS = "Instructions"
SHEET_SETTINGS = "Settings"
SHEET_PERIOD = {"base": "Base period", "report": "Report period"}
INPUT_SHEETS = (SHEET_SETTINGS, SHEET_PERIOD["base"], SHEET_PERIOD["report"])  # the sheets read for a fill
HEADER_CODE = "code"
FIRST_PARTICIPANT_COL = 5  # 0-based: A code, B name, C name (en), D unit, E cluster/context, F.. participants
CONTEXT_COL = 4
SETTING_KEYS = ("cluster", "base_period", "report_period", "illustrative")

# Scorecard template layout
SHEET_SUMMARY = "Summary"
SHEET_SCORECARD = "Scorecard"
SHEET_NOTES = "Notes"
BLOCK_COLUMNS = ("base", "report", "change", "growth", "score", "note")


def short(subsystem: str) -> str:
    """"scorecard.financial" -> "financial"."""
    return subsystem.split(".", 1)[1]


def block_name(subsystem: str, part: str = "") -> str:
    return f"xlkg_{short(subsystem)}" + (f"_{part}" if part else "")


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
                diff = next((i for i, (a, b) in enumerate(zip(flat, want)) if a != b), min(len(flat), len(want)))
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
    """The FillPlan of a computed scorecard for the template's defined names (see module docstring)."""
    vals, why = sc.indicators.values, sc.indicators.reasons
    writes: dict[str, object] = {
        "xlkg_cluster": sc.cluster or None,
        "xlkg_base_label": sc.period_labels.get("base") or None,
        "xlkg_report_label": sc.period_labels.get("report") or None,
        "xlkg_illustrative": ILLUSTRATIVE if illustrative else None,
        "xlkg_overall": [[_num(sc.overall), _num(sc.overall_coverage)]],
    }
    subs = sc.subsystems.values
    writes["xlkg_summary"] = [
        [_num(subs.loc[k, "index"]), _num(subs.loc[k, "coverage"]), _num(subs.loc[k, "scored"]),
         _num(subs.loc[k, "indicators"]), _num(subs.loc[k, "weight"])]
        for k in SUBSYSTEMS
    ]
    expect: dict[str, list] = {}
    notes: list[str] = []
    for key in SUBSYSTEMS:
        inds = sc.by_subsystem(key)
        rows = []
        for ind in inds:
            v = vals.loc[ind.code]
            note = _note(why.loc[ind.code].to_dict())
            rows.append([_num(v["base"]), _num(v["report"]), _num(v["change"]), _num(v["growth"]),
                         _num(v["score"]), note])
            if note:
                notes.append(f"{ind.code} — {ind.name('ru')} / {ind.en}: {note}")
        writes[block_name(key)] = rows
        writes[block_name(key, "index")] = [[_num(subs.loc[key, "index"]), _num(subs.loc[key, "coverage"])]]
        expect[block_name(key, "codes")] = [i.code for i in inds]
        r = sc.subsystems.reasons.get(key)
        if isinstance(r, str) and r:
            notes.append(f"{key}: {r}")
    notes = list(sc.notes) + notes
    shown = notes[:NOTES_ROWS]
    if len(notes) > NOTES_ROWS:
        shown[-1] = f"... and {len(notes) - NOTES_ROWS + 1} more: see the note column of the Scorecard sheet"
    writes["xlkg_notes"] = [[t] for t in shown] + [[None]] * (NOTES_ROWS - len(shown))
    writes["xlkg_method"] = sc.method
    return FillPlan(writes, expect, notes)


# --------------------------------------------------------------------------------------------------
# Reading the input workbook (its cells, as lists of rows from A1, whatever the host)


def _text(cell) -> str | None:
    return label_text(cell)


def _period_sheet(rows: Sequence[Sequence], sheet: str, inputs: Mapping[str, InputItem], notes: list[str]):
    header = None
    for i, row in enumerate(rows):
        if row and _text(row[0]) and _text(row[0]).lower() in (HEADER_CODE, "код"):
            header = i
            break
    if header is None:
        raise InputError(f"sheet {sheet!r}: no header row starting with '{HEADER_CODE}' in column A; "
                         "use the input template (workbooks/xlkg_scorecard_input.xlsx)")
    head = list(rows[header])
    participants: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for j in range(FIRST_PARTICIPANT_COL, len(head)):
        name = _text(head[j])
        if name is None:
            continue
        if name in seen:
            raise InputError(f"sheet {sheet!r}: participant {name!r} appears twice in the header row "
                             f"(columns {_col(seen[name])} and {_col(j)})")
        seen[name] = j
        participants.append((j, name))
    cells: dict[str, dict[str, object]] = {p: {} for _, p in participants}
    context: dict[str, object] = {}
    found = set()
    for i in range(header + 1, len(rows)):
        row = rows[i]
        code = _text(row[0]) if row else None
        if code is None:
            continue
        if code not in inputs:
            if any(_text(c) for c in row[FIRST_PARTICIPANT_COL:]):
                notes.append(f"sheet {sheet!r} row {i + 1}: unknown input code {code!r} ignored")
            continue
        if code in found:
            raise InputError(f"sheet {sheet!r} row {i + 1}: input {code!r} appears twice")
        found.add(code)
        if inputs[code].scope == "cluster":
            context[code] = row[CONTEXT_COL] if len(row) > CONTEXT_COL else None
        else:
            for j, p in participants:
                cells[p][code] = row[j] if j < len(row) else None
    lost = [c for c in inputs if c not in found]
    if lost:
        notes.append(f"sheet {sheet!r}: rows missing for " + ", ".join(lost) + " (read as no data)")
    return [p for _, p in participants], cells, context


def _col(j: int) -> str:
    s, n = "", j + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def read_settings(rows: Sequence[Sequence] | None) -> dict:
    """Settings sheet: key in column A, value in column C. Keys: cluster, base_period, report_period,
    illustrative (yes/no), score_cap, weight.<subsystem>, target.<indicator code>."""
    out: dict = {"weights": {}, "targets": {}, "score_cap": None}
    for i, row in enumerate(rows or []):
        key = _text(row[0]) if row else None
        if not key:
            continue
        val = row[2] if len(row) > 2 else None
        where = f"sheet {SHEET_SETTINGS!r} row {i + 1} ({key})"
        if key.startswith(("weight.", "target.")):
            kind, name = key.split(".", 1)
            v, why = parse_cell(val)
            if why == "blank":
                continue
            if why:
                raise InputError(f"{where}: {kind} {why}")
            out[kind + "s"][name] = v
        elif key == "score_cap":
            v, why = parse_cell(val)
            if why == "blank":
                continue
            if why or v <= 0:
                raise InputError(f"{where}: score cap must be a positive number, got {why or v}")
            out["score_cap"] = v
        elif key in SETTING_KEYS:
            out[key] = _text(val)
    return out


def read_cluster(sheets: Mapping[str, Sequence[Sequence]], *, inputs: Mapping[str, InputItem] | None = None):
    """The input workbook's sheets (name -> rows of cells from A1) -> (ClusterData, settings dict).

    settings holds weights, targets and the illustrative flag. A participant may appear in one period
    only (joined or left the cluster); a participant column that is entirely blank in a period is not
    part of the cluster in that period.
    """
    inputs = inputs or load_inputs()
    missing = [s for s in (SHEET_PERIOD["base"], SHEET_PERIOD["report"]) if s not in sheets]
    if missing:
        raise InputError("input workbook: sheet(s) " + ", ".join(repr(s) for s in missing) +
                         " not found; the workbook has " + ", ".join(repr(s) for s in sheets))
    notes: list[str] = []
    settings = read_settings(sheets.get(SHEET_SETTINGS))
    cells, context, order = {}, {}, []
    for period in PERIODS:
        names, c, ctx = _period_sheet(sheets[SHEET_PERIOD[period]], SHEET_PERIOD[period], inputs, notes)
        cells[period], context[period] = c, ctx
        order += [n for n in names if n not in order]
    if not order:
        raise InputError(f"input workbook: no participant names in the header rows of {SHEET_PERIOD['base']!r} "
                         f"and {SHEET_PERIOD['report']!r} (columns F onwards)")
    normalise_weights(settings["weights"])  # refuses unknown subsystems early, naming them
    labels = {"base": settings.get("base_period") or "base", "report": settings.get("report_period") or "report"}
    data = ClusterData.from_cells(cells, context=context, participants=order, cluster=settings.get("cluster") or "",
                                  period_labels=labels, weights=settings["weights"] or None, inputs=inputs, notes=notes)
    for period in PERIODS:
        gone = [p for p in order if p not in data.active[period]]
        if gone:
            data.notes.append(f"{SHEET_PERIOD[period]}: no data at all for " + ", ".join(gone) +
                              " (not counted as a participant of that period)")
    flag = (settings.get("illustrative") or "").strip().lower()
    settings["illustrative"] = flag in ("yes", "true", "1", "да", "ооба", "illustrative")
    return data, settings


def compute_from_sheets(sheets: Mapping[str, Sequence[Sequence]], *, weights=None, targets=None,
                        cap=None) -> tuple[Scorecard, dict]:
    """The scorecard of an input workbook's sheets (see `read_cluster`) and its settings. The Settings
    sheet's weights, targets and score cap apply; `targets` given here are added to (and win over) the
    sheet's, and `weights` or `cap` given here replace the sheet's."""
    data, settings = read_cluster(sheets)
    sc = compute_scorecard(data, weights=weights, targets={**settings["targets"], **(targets or {})},
                           cap=cap if cap is not None else settings["score_cap"])
    return sc, settings


# --------------------------------------------------------------------------------------------------
# Entry points for the command line (the I/O lives in xlkg.scorecard.writer; imported on call)


def fill_cli(args) -> int:
    """`xlkg fill` with parsed arguments (input, template, output, overwrite): one workbook or a folder.

    Prints what was written; a batch prints a summary of what failed and why and returns 1 when
    anything failed. Bad input raises InputError (the CLI prints it and exits with status 2).
    """
    from pathlib import Path

    from xlkg.scorecard.writer import fill, fill_batch

    src = Path(args.input)
    if src.is_dir():
        res = fill_batch(src, args.template, args.output, overwrite=bool(getattr(args, "overwrite", False)),
                         progress=not getattr(args, "no_progress", False))
        print(res.summary())
        return 1 if res.failed else 0
    rep = fill(src, args.template, args.output, overwrite=bool(getattr(args, "overwrite", False)))
    sc = rep.scorecard
    print(f"wrote {rep.output}: overall index {sc.overall:.3f}, data coverage {sc.overall_coverage:.0%}")
    for n in rep.notes[:10]:
        print(f"  note: {n}")
    if len(rep.notes) > 10:
        print(f"  ... {len(rep.notes) - 10} more on the Notes sheet")
    return 0


def demo_fill(output):
    """Fill the bundled scorecard template from the bundled illustrative example; returns the path."""
    from xlkg.scorecard.writer import fill_example

    return fill_example(output).output
