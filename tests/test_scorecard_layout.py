"""The scorecard's layout contract (xlkg.scorecard.layout) against the workbooks the builder writes.

The built template is read with openpyxl (not with xlkg's own name resolver) and every defined name is
compared with the contract: the same set of names, each on the contract's sheet with the contract's
rows and columns. The number of indicators per subsystem comes from the bundled catalogue
(xlkg/data/scorecard_indicators.csv); the column headers expected above the blocks are written out
here by hand, so that a column moved in the builder but not in the contract (or the reverse) fails.
"""

from collections import Counter

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from xlkg.scorecard import layout
from xlkg.scorecard.compute import SUBSYSTEMS, load_indicators
from xlkg.scorecard.templates import EXAMPLE_NAME, INPUT_NAME, MACRO_TEMPLATE_NAME, TEMPLATE_NAME, build_templates

# The English line of the header above each column of the blocks (hand-written, from the template's look).
HEADER_EN = {"base": "Base period", "report": "Report period", "change": "Change", "growth": "Growth, %",
             "score": "Score", "note": "Note", "index": "Index", "coverage": "Data coverage",
             "scored": "Indicators scored", "indicators": "Indicators", "weight": "Weight"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    build_templates(out)
    return out


def defined_names(path):
    """{name: (sheet, rows, columns, min_row, min_col)} of a workbook's workbook-scope names (openpyxl)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for name, dn in wb.defined_names.items():
        (sheet, ref), = list(dn.destinations)
        c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
        out[name] = (sheet, r2 - r1 + 1, c2 - c1 + 1, r1, c1)
    return out, wb


def counts():
    return Counter(ind.subsystem for ind in load_indicators())


@pytest.mark.parametrize("name", [TEMPLATE_NAME, MACRO_TEMPLATE_NAME])
def test_the_built_template_has_exactly_the_contracts_names_sheets_and_shapes(built, name):
    got, _ = defined_names(built / name)
    want = layout.template_names(counts())
    assert sorted(got) == sorted(want)
    for n, spec in want.items():
        sheet, rows, cols = got[n][:3]
        assert (sheet, rows, cols) == (spec.sheet, spec.rows, spec.width), n
    # the catalogue's 7 subsystems, each with at least one indicator, and the notes' 120 rows
    assert len(SUBSYSTEMS) == 7 and all(counts()[k] > 0 for k in SUBSYSTEMS)
    assert got["xlkg_notes"][1:3] == (120, 1) and got["xlkg_summary"][1:3] == (7, 5)


def test_block_columns_sit_under_the_headers_the_contract_names(built):
    names, wb = defined_names(built / TEMPLATE_NAME)
    ws = wb[layout.SHEET_SCORECARD]
    header_row = 3  # the Scorecard sheet's header row (row 3 of the template)
    for key in SUBSYSTEMS:
        _, _, _, r1, c1 = names[layout.block(key, counts()[key]).name]
        heads = [ws.cell(header_row, c1 + j).value.split("\n")[-1] for j in range(len(layout.BLOCK_COLUMNS))]
        assert heads == [HEADER_EN[c] for c in layout.BLOCK_COLUMNS]
        codes = names[layout.codes(key, counts()[key]).name]
        assert codes[3] == r1  # the codes stand beside the block's rows
        assert [ws.cell(r1 + i, codes[4]).value for i in range(codes[1])] == \
            [i.code for i in load_indicators() if i.subsystem == key]
    ws = wb[layout.SHEET_SUMMARY]
    _, rows, cols, r1, c1 = names[layout.SUMMARY.name]
    heads = [ws.cell(r1 - 1, c1 + j).value.split("\n")[-1] for j in range(cols)]
    assert heads == [HEADER_EN[c] for c in layout.SUMMARY_COLUMNS]


def test_the_input_workbook_has_the_contracts_sheets_and_columns(built):
    wb = openpyxl.load_workbook(built / INPUT_NAME)
    assert wb.sheetnames == [layout.SHEET_INSTRUCTIONS, *layout.INPUT_SHEETS]
    for period in ("base", "report"):
        ws = wb[layout.SHEET_PERIOD[period]]
        head = [c.value for c in ws[4]]  # the header row: row 4
        assert head[0] == layout.HEADER_CODE
        assert head[layout.CONTEXT_COL].split("\n")[-1] == "Cluster (as a whole)"
        # the example's first participant (xlkg.scorecard.templates.example_data) stands in the first
        # participant column
        ex = openpyxl.load_workbook(built / EXAMPLE_NAME)[layout.SHEET_PERIOD[period]]
        assert ex.cell(4, layout.FIRST_PARTICIPANT_COL + 1).value == "Цемент А / Cement A"
        assert ex.cell(4, layout.FIRST_PARTICIPANT_COL).value.split("\n")[-1] == "Cluster (as a whole)"
    ws = wb[layout.SHEET_SETTINGS]
    keys = [ws.cell(r, layout.SETTINGS_KEY_COL + 1).value for r in range(2, 2 + len(layout.SETTING_KEYS))]
    assert keys == list(layout.SETTING_KEYS)
    assert ws.cell(1, layout.SETTINGS_VALUE_COL + 1).value == "value"


def test_the_fill_plan_writes_every_name_of_the_contract_in_its_shape(built):
    """The plan of the bundled example: each value has its name's rows and columns (a scalar is 1 x 1),
    and the names it checks before writing are the code columns."""
    from xlkg.scorecard.plan import build_plan
    from xlkg.scorecard.reader import compute_from_workbook

    sc, settings = compute_from_workbook(built / EXAMPLE_NAME)
    plan = build_plan(sc, illustrative=settings["illustrative"])
    want = layout.template_names(counts())
    read_only = {layout.INPUT_PATH.name} | {layout.codes(k, counts()[k]).name for k in SUBSYSTEMS}
    assert sorted(plan.writes) == sorted(set(want) - read_only)
    assert sorted(plan.expect) == sorted(layout.codes(k, counts()[k]).name for k in SUBSYSTEMS)
    for name, value in plan.writes.items():
        shape = (len(value), len(value[0])) if isinstance(value, list) else (1, 1)
        assert shape == want[name].shape, name
        if isinstance(value, list):
            assert all(len(row) == shape[1] for row in value), name
