"""The hand-made cluster of the scorecard tests: 3 participants A, B, C; base and report year (the
values are worked out by hand in test_scorecard.py's docstring), and how it is typed into a copy of the
bundled input workbook, and the cells a headless fill writes. Shared by test_scorecard, test_fill,
test_fill_macro and test_server_start."""

from pathlib import Path

import openpyxl
import pytest

from xlkg import xlsx
from xlkg.scorecard.compute import load_inputs
from xlkg.scorecard.layout import SHEET_PERIOD
from xlkg.scorecard.writer import fill

ROOT = Path(__file__).resolve().parents[2]
WB = ROOT / "workbooks"
TEMPLATE = WB / "xlkg_scorecard.xlsx"
MACRO_TEMPLATE = WB / "xlkg_scorecard.xlsm"
INPUT_TEMPLATE = WB / "xlkg_scorecard_input.xlsx"
EXAMPLE = WB / "xlkg_scorecard_example.xlsx"

P = ["A", "B", "C"]
OVERRIDES = {  # code: ((base A, B, C), (report A, B, C))
    "headcount": ((10, 20, 30), (10, 20, 40)),                 # 60 -> 70
    "staff_higher_ed": ((3, 6, 9), (5, 7, 16)),                # 18 -> 28
    "depreciation_end": ((20, 10, 10), (30, 10, 5)),           # 40 -> 45
    "fixed_assets_gross_end": ((50, 30, 20), (60, 30, 30)),    # 100 -> 120
    "fixed_assets_new": ((5, 3, 2), (6, 6, 6)),                # 10 -> 18
    "capacity": ((100, 100, 100), (100, 100, 200)),            # 300 -> 400
    "output_physical": ((60, 60, 60), (80, 80, 160)),          # 180 -> 320
    "payroll": ((1.2, 1.2, 1.2), (1.68, 1.68, 1.68)),          # 3.6 -> 5.04 mln KGS
    "revenue": ((100, 50, 50), (120, 60, 70)),                 # 200 -> 250
    "sales_profit": ((10, 5, 5), (15, 5, 5)),                  # 20 -> 25
    "financial_result": ((8, -2, 4), (10, 1, -1)),             # 10 -> 10; B loses in base, C in report
    "net_profit": ((6, -3, 3), (9, 1, 2)),                     # 6 -> 12
    "total_assets": ((100, 50, 50), (120, 60, 60)),            # 200 -> 240
    "equity": ((50, 25, 25), (60, 30, 30)),                    # 100 -> 120
    "current_liabilities": ((2, 2, 2), (2, 2, 2)),             # 6 -> 6
    "receivables_avg": ((20, 10, 10), (20, 10, 10)),           # 40 -> 40
    "output": ((100, 50, 50), (110, 60, 80)),                  # 200 -> 250
    "output_base_prices": ((100, 50, 50), (100, 50, 70)),      # report 220 at base prices
    "intermediate_consumption": ((60, 30, 30), (70, 35, 45)),  # 120 -> 150
    "costs": ((90, 45, 45), (100, 50, 75)),                    # 180 -> 225
    "certified_output": ((20, 10, 10), (50, 10, 15)),          # 40 -> 75
    "local_staff": ((6, 12, 18), (7, 14, 28)),                 # 36 -> 49
    "staff_left": ((3, 3, 3), (2, 2, 3)),                      # 9 -> 7
    "accidents": ((1, 0, 0), (0, 0, 0)),                       # 1 -> 0
    "energy_use": ((100, 50, 50), (110, 60, 80)),              # 200 -> 250
    "purchases": ((50, 25, 25), (60, 30, 30)),                 # 100 -> 120
    "coop_supplies": ((10, 5, 5), (15, 10, 5)),                # 20 -> 30
    "local_purchases": ((30, 15, 15), (36, 18, 18)),           # 60 -> 72
    "partner_links": ((1, 1, 0), (2, 1, 1)),                   # 2 -> 4 (links 1 -> 2)
    "sme": ((0, 1, 1), (0, 1, 1)),                             # 2 SMEs of 3
    "innovation_costs": ((1, 0, 0), (2, 1, 0)),                # 1 -> 3; active 1 -> 2
    "innovative_output": ((10, 0, 0), (20, 5, 0)),             # 10 -> 25
    "investment": ((10, 5, 5), (15, 5, 5)),                    # 20 -> 25
    "investment_fdi": ((4, 0, 0), (5, 0, 0)),                  # 4 -> 5
    "project_investment": ((10, 0, 0), (12, 0, 0)),            # 10 -> 12
    "project_income": ((2, 0, 0), (4, 0, 0)),                  # 2 -> 4
}
CONTEXT = {
    "base": {"sector_output_region": 1000, "sector_output_country": 4000, "regional_wage": 10000},
    "report": {"sector_output_region": 1250, "sector_output_country": 5000, "regional_wage": 10000},
}


def cluster_cells():
    inputs = load_inputs()
    cells = {"base": {p: {} for p in P}, "report": {p: {} for p in P}}
    for code, item in inputs.items():
        if item.scope != "participant":
            continue
        base, report = OVERRIDES.get(code, ((1, 2, 3), (2, 3, 4)))
        for i, p in enumerate(P):
            cells["base"][p][code] = base[i]
            cells["report"][p][code] = report[i]
    cells["report"]["C"]["taxes"] = "н/д"
    cells["base"]["B"]["trademarks"] = "abc"
    return cells


def col(j):
    return xlsx.col_letter(j + 1)


def write_input(path, cells=None, context=CONTEXT, participants=P, settings=None):
    """Type a cluster into a copy of the input template (patched, so its validations stay)."""
    cells = cells or cluster_cells()
    inputs = list(load_inputs().items())
    writes = {}
    for period in ("base", "report"):
        w = writes.setdefault(SHEET_PERIOD[period], {})
        for j, p in enumerate(participants):
            w[f"{col(5 + j)}4"] = p
        for i, (code, item) in enumerate(inputs):
            r = 5 + i
            if item.scope == "cluster":
                v = context.get(period, {}).get(code)
                if v is not None:
                    w[f"E{r}"] = v
            else:
                for j, p in enumerate(participants):
                    v = cells[period].get(p, {}).get(code)
                    if v is not None:
                        w[f"{col(5 + j)}{r}"] = v
    s = {"cluster": "Hand-made cluster", "base_period": "2022", "report_period": "2023"}
    s.update(settings or {})
    keys = {"cluster": 2, "base_period": 3, "report_period": 4, "illustrative": 5, "score_cap": 6}
    writes["Settings"] = {f"C{keys[k]}": v for k, v in s.items()}
    xlsx.patch_workbook(INPUT_TEMPLATE, path, writes)
    return path


def headless_cells(input_path, template, tmp_path):
    out = tmp_path / f"headless{template.suffix}"
    rep = fill(input_path, template, out)
    writes = xlsx.name_writes(template, rep.plan.writes)
    wb = openpyxl.load_workbook(out, data_only=True)
    try:
        return {(s, ref): wb[s][ref].value for s, cells in writes.items() for ref in cells}
    finally:
        wb.close()


def same_cells(a: dict, b: dict):
    assert set(a) == set(b)
    for k in a:
        if isinstance(b[k], float) or isinstance(a[k], float):
            assert a[k] == pytest.approx(b[k], rel=1e-12), k
        else:
            assert a[k] == b[k], (k, a[k], b[k])
