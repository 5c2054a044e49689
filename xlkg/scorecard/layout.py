"""The scorecard's layout contract: sheet names, column order and defined names, defined once.

Both the template builder (`xlkg.scorecard.templates`) and the fill (`xlkg.scorecard.reader` reads the
input workbook, `xlkg.scorecard.plan` says what to write where) take every sheet name, column and
defined name from here; a test reads the built template and compares its defined names (sheet and
shape) with `template_names`.

Input workbook (what the user types into):

    Instructions                  running text, not read
    Settings                      key in column A, value in column C (SETTING_KEYS, weight.<sub>, target.<code>)
    Base period, Report period    header row starting with "code"; A code, B name, C name (en), D unit,
                                  E cluster-wide value (CONTEXT_COL), F.. one column per participant

Scorecard template: defined names of workbook scope (rows x columns; <sub> is the subsystem's short key,
production_factors, financial, ...; n its number of indicators in the catalogue):

    xlkg_cluster, xlkg_base_label, xlkg_report_label  Summary   1 x 1  cluster name, period labels
    xlkg_illustrative                                 Summary   1 x 1  the three-language "illustrative" mark or blank
    xlkg_summary                                      Summary   7 x 5  per subsystem: SUMMARY_COLUMNS
    xlkg_overall                                      Summary   1 x 2  overall: INDEX_COLUMNS
    xlkg_input_path                                   Summary   1 x 1  the input workbook's path (read by the macro)
    xlkg_<sub>_index                                  Scorecard 1 x 2  the subsystem's INDEX_COLUMNS (section header)
    xlkg_<sub>_codes                                  Scorecard n x 1  indicator codes (checked before a fill)
    xlkg_<sub>                                        Scorecard n x 6  per indicator: BLOCK_COLUMNS
    xlkg_method                                       Notes     1 x 1  the method text (provenance)
    xlkg_notes                                        Notes   120 x 1  what could not be computed and why

A template may be re-arranged in Excel as long as every name keeps its sheet and shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from xlkg.data import illustrative_notice
from xlkg.scorecard.compute import SUBSYSTEMS

# The bundled workbooks (workbooks/, or built by xlkg.scorecard.templates), by file name
INPUT_NAME = "xlkg_scorecard_input.xlsx"
EXAMPLE_NAME = "xlkg_scorecard_example.xlsx"
TEMPLATE_NAME = "xlkg_scorecard.xlsx"
MACRO_TEMPLATE_NAME = "xlkg_scorecard.xlsm"

# --------------------------------------------------------------------------------------------------
# Input workbook

SHEET_INSTRUCTIONS = "Instructions"
SHEET_SETTINGS = "Settings"
SHEET_PERIOD = {"base": "Base period", "report": "Report period"}
INPUT_SHEETS = (SHEET_SETTINGS, SHEET_PERIOD["base"], SHEET_PERIOD["report"])  # the sheets read for a fill

HEADER_CODE = "code"  # column A of a period sheet's header row
CONTEXT_COL = 4  # 0-based: A code, B name, C name (en), D unit, E cluster-wide value, F.. participants
FIRST_PARTICIPANT_COL = 5

SETTINGS_KEY_COL, SETTINGS_VALUE_COL = 0, 2  # Settings: key in column A, value in column C
SETTING_KEYS = ("cluster", "base_period", "report_period", "illustrative", "score_cap", "membership")
WEIGHT_PREFIX, TARGET_PREFIX = "weight.", "target."  # weight.<subsystem short key>, target.<indicator code>

# --------------------------------------------------------------------------------------------------
# Scorecard template

SHEET_SUMMARY = "Summary"
SHEET_SCORECARD = "Scorecard"
SHEET_NOTES = "Notes"

SUMMARY_COLUMNS = ("index", "coverage", "scored", "indicators", "weight")  # xlkg_summary, one row per subsystem
INDEX_COLUMNS = ("index", "coverage")  # xlkg_overall and xlkg_<sub>_index
BLOCK_COLUMNS = ("base", "report", "change", "growth", "score", "note")  # xlkg_<sub>, one row per indicator
NOTES_ROWS = 120

ILLUSTRATIVE = illustrative_notice()  # the example cluster's mark (xlkg.data's one notice, three languages)


@dataclass(frozen=True)
class Name:
    """A defined name of the template: the sheet it lies on, its rows, and its columns (by key when the
    columns have a fixed order, else their number)."""

    name: str
    sheet: str
    rows: int
    columns: tuple[str, ...] | int = 1

    @property
    def width(self) -> int:
        return self.columns if isinstance(self.columns, int) else len(self.columns)

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.width


CLUSTER = Name("xlkg_cluster", SHEET_SUMMARY, 1)
BASE_LABEL = Name("xlkg_base_label", SHEET_SUMMARY, 1)
REPORT_LABEL = Name("xlkg_report_label", SHEET_SUMMARY, 1)
ILLUSTRATIVE_MARK = Name("xlkg_illustrative", SHEET_SUMMARY, 1)
SUMMARY = Name("xlkg_summary", SHEET_SUMMARY, len(SUBSYSTEMS), SUMMARY_COLUMNS)
OVERALL = Name("xlkg_overall", SHEET_SUMMARY, 1, INDEX_COLUMNS)
INPUT_PATH = Name("xlkg_input_path", SHEET_SUMMARY, 1)
METHOD = Name("xlkg_method", SHEET_NOTES, 1)
NOTES = Name("xlkg_notes", SHEET_NOTES, NOTES_ROWS)


def short(subsystem: str) -> str:
    """"scorecard.financial" -> "financial"."""
    return subsystem.split(".", 1)[1]


def block(subsystem: str, n: int) -> Name:
    """xlkg_<sub>: base, report, change, growth, score, note of the subsystem's `n` indicators."""
    return Name(f"xlkg_{short(subsystem)}", SHEET_SCORECARD, n, BLOCK_COLUMNS)


def codes(subsystem: str, n: int) -> Name:
    """xlkg_<sub>_codes: the indicator codes beside the block, checked before a fill."""
    return Name(f"xlkg_{short(subsystem)}_codes", SHEET_SCORECARD, n)


def index(subsystem: str) -> Name:
    """xlkg_<sub>_index: the subsystem's index and coverage in its section header."""
    return Name(f"xlkg_{short(subsystem)}_index", SHEET_SCORECARD, 1, INDEX_COLUMNS)


def template_names(counts: Mapping[str, int]) -> dict[str, Name]:
    """Every defined name of the scorecard template, given the number of indicators per subsystem."""
    names = [CLUSTER, BASE_LABEL, REPORT_LABEL, ILLUSTRATIVE_MARK, SUMMARY, OVERALL, INPUT_PATH]
    for key in SUBSYSTEMS:
        names += [index(key), codes(key, counts[key]), block(key, counts[key])]
    names += [METHOD, NOTES]
    return {n.name: n for n in names}
