"""The demo results workbook's Shift-share and Composite rating sheets (written by xlkg.demo.peer_methods).

The numbers checked come from the bundled CSV files, read here without xlkg, and hand arithmetic on them.
"""

import csv
from pathlib import Path

import openpyxl
import pytest

from xlkg.demo.run import write_results_workbook

DATA = Path(__file__).resolve().parents[1] / "xlkg" / "data"


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    path = write_results_workbook(tmp_path_factory.mktemp("demo_peers") / "xlkg_results.xlsx")
    return openpyxl.load_workbook(path)


def row_of(ws, label):
    for row in ws.iter_rows(values_only=True):
        if label in row:
            return [c for c in row if c is not None]
    raise AssertionError(label)


def test_shift_share_sheet_adds_up_to_the_change_in_the_data(wb):
    # Baden-Wuerttemberg's total change = its employment 2014 - 2008 over the ten sections (the total and
    # section C, part of B-E, left out), from REAT_G.regions.emp.csv
    with open(DATA / "real" / "REAT_G.regions.emp.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["region"] == "Baden-Wuerttemberg" and r["year"] in ("2008", "2014")
                and r["industry"] not in ("Insgesamt", "Verarbeitendes Gewerbe (C)")]
    change = sum(int(r["emp"]) for r in rows if r["year"] == "2014") - sum(int(r["emp"]) for r in rows
                                                                            if r["year"] == "2008")
    assert len(rows) == 20  # 10 sections x 2 years
    ws = wb["Shift-share"]
    ns, im, rs, total = row_of(ws, "Baden-Wuerttemberg")[1:5]
    assert total == change
    assert ns + im + rs == pytest.approx(total, rel=1e-12)


def test_composite_sheet_shows_bishkek_winsorised_and_says_the_data_are_illustrative(wb):
    # GRP per head = GRP / population (illustrative_regions.csv): Bishkek's is the highest; winsorising one
    # point gives it the next highest value, Naryn's (skewness 2.64 >= 2 and kurtosis 7.49 >= 3.5)
    with open(DATA / "illustrative_regions.csv", encoding="utf-8") as f:
        grp = {r["region_key"]: float(r["grp_mln_som"]) / float(r["population_thousand"]) for r in csv.DictReader(f)}
    ranked = sorted(grp, key=grp.get, reverse=True)
    assert ranked[:2] == ["region.bishkek", "region.naryn"]
    ws = wb["Composite rating"]
    texts = [c for row in ws.iter_rows(max_row=8, values_only=True) for c in row if isinstance(c, str)]
    assert any("Illustrative data" in t for t in texts) and any("Иллюстративные данные" in t for t in texts)
    cell = [r for r in ws.iter_rows(values_only=True) if "Bishkek city" in r and "GRP per head, thousand som" in r]
    assert len(cell) == 2  # the treated-cells block and the rating's "treated" column
    treated = [c for c in cell[0] if isinstance(c, (int, float))]
    assert treated == pytest.approx([grp["region.bishkek"], grp["region.naryn"]], rel=1e-12)
