"""The main job: `xlkg demo` writes the results workbook an economist opens first."""

import openpyxl
import pytest

from xlkg.cli import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "-o", str(out)]) == 0
    return out


def test_results_workbook_sheets_and_illustrative_notice(demo_dir):
    wb = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")
    assert wb.sheetnames[:4] == ["About", "Table 2.1", "Table 2.2", "Table 3.1"]
    for name in ("Data (illustrative)", "Potential", "Peer indices"):
        texts = [c.value for row in wb[name].iter_rows(max_row=4) for c in row if isinstance(c.value, str)]
        # The notice in all three languages (xlkg/data/README.md: illustrative data must say so).
        assert any("Көрсөтмө маалыматтар" in t for t in texts)
        assert any("Иллюстративные данные" in t for t in texts)
        assert any("Illustrative data" in t for t in texts)


def _find_row(ws, label):
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                return row
    raise AssertionError(label)


def test_table_2_1_dynamics_reproduce_the_seed(demo_dir):
    # Seed Table 2.1: industry 2019 vs 2015 = 156.9 %, vs 2018 = 110.3 %,
    # +102 945.0 and +26 623.2 mln som; manufacturing share in 2019 = 79.1 %.
    ws = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")["Table 2.1"]
    rows = [r for r in ws.iter_rows() if r[1].value == "Industry, total"]
    dyn = [c.value for c in rows[1][2:7]]
    assert round(dyn[0], 1) == 156.9 and round(dyn[1], 1) == 110.3
    assert round(dyn[2], 1) == 102945.0 and round(dyn[3], 1) == 26623.2
    manufacturing = [r for r in ws.iter_rows() if r[1].value == "Manufacturing, total"][1]
    assert round(manufacturing[6].value, 1) == 79.1
    mining_printed = [r for r in ws.iter_rows() if r[1].value == "Mining and quarrying, total"][2]
    assert [c.value for c in mining_printed[2:5]] == ["2,5 эсе", "в 2,5 раза", "2.5 times"]


def test_potential_has_a_colour_scale(demo_dir):
    ws = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")["Potential"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any(r.type == "colorScale" for r in rules)
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)  # 9 = A4


def test_demo_also_recalculates_the_sample_and_fills_the_scorecard(demo_dir):
    # The sample's Table 2.1 growth (seed: industry 2019 vs 2015 = 156.9 %) is among the cached values.
    wb = openpyxl.load_workbook(demo_dir / "sample_ministry_workbook.xlsx", data_only=True)
    values = [c.value for row in wb["Динамика"].iter_rows() for c in row if isinstance(c.value, float)]
    assert any(round(v, 1) == 156.9 for v in values)
    assert (demo_dir / "cluster_scorecard.xlsx").stat().st_size > 0
