"""Reading the input workbook: its sheets as rows of cells, then the cluster's data and settings.

`read_input_sheets` opens the file (through `xlkg.xlsx.read`, reading only); everything else works on
the sheets as lists of rows from A1, whatever host read them (openpyxl headless, xlwings in Excel,
Office.js), so every host reads the same layout (`xlkg.scorecard.layout`) the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from xlkg.core.cells import label_text, parse_cell
from xlkg.core.result import InputError
from xlkg.scorecard.compute import (
    PERIODS,
    ClusterData,
    InputItem,
    Scorecard,
    compute_scorecard,
    load_inputs,
    normalise_weights,
    parse_membership,
)
from xlkg.scorecard.layout import (
    CONTEXT_COL,
    FIRST_PARTICIPANT_COL,
    HEADER_CODE,
    INPUT_SHEETS,
    SETTING_KEYS,
    SETTINGS_KEY_COL,
    SETTINGS_VALUE_COL,
    SHEET_PERIOD,
    SHEET_SETTINGS,
    TARGET_PREFIX,
    WEIGHT_PREFIX,
)
from xlkg.xlsx.refs import col_letter


def read_input_sheets(path) -> dict[str, list[list]]:
    """The input sheets as rows of cached values from A1 (read-only, data_only); the workbook's other
    sheets by name only (for messages)."""
    from xlkg.xlsx.read import load_workbook

    path = Path(path)
    if not path.exists():
        raise InputError(f"input workbook {path} not found")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"input workbook {path.name}: expected an .xlsx or .xlsm file")
    try:
        with load_workbook(path, read_only=True, data_only=True, what="input workbook") as wb:
            return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] if ws.title in INPUT_SHEETS else []
                    for ws in wb.worksheets}
    except InputError:  # refused by the package checks, with its own message
        raise
    except Exception as exc:  # a damaged or foreign file (read-only mode finds damage while reading sheets)
        raise InputError(f"input workbook {path.name} cannot be read: {exc}") from None


def has_input(sheet_names) -> bool:
    """Whether a workbook with these sheets holds the two period sheets of an input workbook."""
    return SHEET_PERIOD["base"] in sheet_names and SHEET_PERIOD["report"] in sheet_names


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
                             f"(columns {col_letter(seen[name] + 1)} and {col_letter(j + 1)})")
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


def read_settings(rows: Sequence[Sequence] | None) -> dict:
    """Settings sheet: key in column A, value in column C. Keys: cluster, base_period, report_period,
    illustrative (yes/no), score_cap, membership (all / continuing), weight.<subsystem>, target.<indicator code>."""
    out: dict = {"weights": {}, "targets": {}, "score_cap": None}
    for i, row in enumerate(rows or []):
        key = _text(row[SETTINGS_KEY_COL]) if len(row) > SETTINGS_KEY_COL else None
        if not key:
            continue
        val = row[SETTINGS_VALUE_COL] if len(row) > SETTINGS_VALUE_COL else None
        where = f"sheet {SHEET_SETTINGS!r} row {i + 1} ({key})"
        if key.startswith((WEIGHT_PREFIX, TARGET_PREFIX)):
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
        elif key == "membership":
            out["membership"] = parse_membership(_text(val), arg=where)
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
                         f"and {SHEET_PERIOD['report']!r} (columns {col_letter(FIRST_PARTICIPANT_COL + 1)} onwards)")
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
                           cap=cap if cap is not None else settings["score_cap"],
                           membership=settings.get("membership") or "all")
    return sc, settings


def compute_from_workbook(input_path, *, weights=None, targets=None, cap=None) -> tuple[Scorecard, dict]:
    """`compute_from_sheets` of the input workbook at `input_path`."""
    return compute_from_sheets(read_input_sheets(input_path), weights=weights, targets=targets, cap=cap)
