"""Shift-share against REAT 3.0.3's outputs (tests/data/vectors/shiftshare_toy_6x4, made by shift() with the
Dunn, Esteban and Gerfin methods and by shifti(); the folder's README names the call behind each file) and
against examples worked by hand in the comments.

Tolerance: relative 1e-12 or absolute 1e-9, as the vectors' README asks (REAT forms the industry mix as the
difference of two large sums; xlkg sums the differences).
"""

import numpy as np
import pandas as pd
import pytest

from conftest import VECTORS
from xlkg.core import cells
from xlkg.core.result import InputError
from xlkg.core.shiftshare import shift_share

CASE = VECTORS / "shiftshare_toy_6x4"


def read(name):
    return pd.read_csv(CASE / name, index_col=0)


@pytest.fixture(scope="module")
def tables():
    return read("input_base.csv").astype(float), read("input_report.csv").astype(float)


def close(got, ref):
    got = np.asarray(got, dtype=float)
    ref = np.asarray(ref, dtype=float)
    assert not np.isnan(ref).any()
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-9)


def test_dunn_agrees_with_reat(tables):
    r = shift_share(*tables, method="dunn").values
    reat = read("REAT_shift_Dunn.csv")
    assert list(r.index) == list(reat.index)
    assert list(r.columns) == ["national share", "industry mix", "regional shift", "total change"]
    close(r["national share"], reat["National share"])
    close(r["industry mix"], reat["Industrial mix"])
    close(r["total change"], reat["Growth (t1-t)"])
    # REAT's "Net total shift" is industry mix + regional shift (the change net of national growth)
    close(r["industry mix"] + r["regional shift"], reat["Net total shift"])
    finite = reat["Regional share"].notna()
    assert list(reat.index[~finite]) == ["R6"]  # R6 has a zero base-year cell (I4)
    close(r.loc[finite, "regional shift"], reat.loc[finite, "Regional share"])
    # REAT gives NA for R6 (0 * 0/0 in its sum); xlkg's form sum_i (e_ij1 - e_ij0*g_i) is finite and equals
    # REAT's own Net total shift - Industrial mix = -7.62962962962963 - (-0.356233907704496) (README hand check)
    assert r.loc["R6", "regional shift"] == pytest.approx(-7.27339572192513, rel=1e-12)


def test_dunn_region_r1_by_hand(tables):
    # README hand check, region R1: e_j0 = 300, e_j1 = 325, g = 1698/1620
    # NS = 300*1698/1620 - 300 = 14.4444444444444; IM = 313.847593582888 - 314.444444444444 = -0.596850861556744
    # RS = 325 - 313.847593582888 = 11.1524064171123; total = 25
    r = shift_share(*tables).values.loc["R1"]
    assert r["national share"] == pytest.approx(300 * 1698 / 1620 - 300, rel=1e-12)
    assert r["industry mix"] == pytest.approx(-0.596850861556744, rel=1e-11)
    assert r["regional shift"] == pytest.approx(11.1524064171123, rel=1e-12)
    assert r["total change"] == 25


def test_esteban_agrees_with_reat(tables):
    res = shift_share(*tables, method="esteban")
    r = res.values
    reat = read("REAT_shift_Esteban.csv")
    assert list(r.columns) == ["national share", "industry mix", "regional shift", "allocation effect",
                               "total change"]
    close(r["national share"], reat["National share"])
    close(r["industry mix"], reat["Industrial mix"])
    close(r["total change"], reat["Growth (t1-t)"])
    ok = reat["Regional share"].notna()
    close(r.loc[ok, "regional shift"], reat.loc[ok, "Regional share"])
    close(r.loc[ok, "allocation effect"], reat.loc[ok, "Allocation effect"])
    # R6: the growth rate of a zero cell is undefined, so the split is too (REAT: NA); xlkg says which cell
    assert np.isnan(r.loc["R6", "regional shift"]) and np.isnan(r.loc["R6", "allocation effect"])
    why = res.reason_at("R6", "allocation effect")
    assert "R6" in why and "I4" in why and "0" in why
    # the split adds up to the classic regional shift (Esteban-Marquillas' identity)
    dunn = shift_share(*tables).values
    close((r["regional shift"] + r["allocation effect"])[ok], dunn.loc[ok, "regional shift"])


def test_gerfin_agrees_with_reat(tables):
    r = shift_share(*tables, method="gerfin").values
    reat = read("REAT_shift_Gerfin.csv")
    close(r["industry factor"], reat["Industrial mix"])
    close(r["location factor"], reat["Regional share"])
    close(r["regional factor"], reat["Net total shift"])


def test_per_industry_agrees_with_reat_shifti(tables):
    r = shift_share(*tables, by="industry").values
    reat = read("REAT_shifti_Dunn.csv").set_index("industry", append=True)
    assert list(r.index) == list(reat.index)
    # REAT's shifti applies shift() to one industry, so its "National share" grows at the industry's
    # national rate: e_ij0*(g_i - 1) = xlkg's national share + industry mix of that cell
    close(r["national share"] + r["industry mix"], reat["National share"])
    close(r["total change"], reat["Growth (t1-t)"])
    ok = reat["Regional share"].notna()
    assert list(reat.index[~ok]) == [("R6", "I4")]
    close(r.loc[ok, "regional shift"], reat.loc[ok, "Regional share"])
    assert r.loc[("R6", "I4"), "regional shift"] == 0.0  # 0 - 0 * g_i: no base, no report value
    # per-cell terms add up to the region's
    close(r.groupby(level="region").sum(), shift_share(*tables).values)


# Hand example, 2 regions x 2 industries (regions named in two languages and in another order in the
# report year). Base: Chui A=10 B=20, Talas A=30 B=40 -> nation A=40 B=60 (100).
# Report: Chui A=12 B=30, Talas A=30 B=48 -> nation A=42 B=78 (120). g = 1.2, g_A = 1.05, g_B = 1.3.
# Chui (e_j0 = 30): NS = 30*0.2 = 6; IM = 10*(1.05-1.2) + 20*(1.3-1.2) = 0.5; RS = (12-10.5) + (30-26) = 5.5;
#   total = 42 - 30 = 12.
# Talas (e_j0 = 70): NS = 14; IM = 30*(-0.15) + 40*0.1 = -0.5; RS = (30-31.5) + (48-52) = -5.5; total 8.
BASE = [["Region", "A", "B"], ["Chui", 10, 20], ["Talas", 30, 40]]
REPORT = [["Регион", "A", "B"], ["Таласская область", 30, 48], ["Чуйская область", 12, 30]]


def test_hand_example_with_labels_in_two_languages():
    r = shift_share(cells.read_table(BASE, arg="base"), cells.read_table(REPORT, arg="report")).values
    assert list(r.index) == ["Chui", "Talas"]
    np.testing.assert_allclose(r.to_numpy(), [[6, 0.5, 5.5, 12], [14, -0.5, -5.5, 8]], rtol=1e-12, atol=1e-12)


def test_sectors_named_in_another_language_match():
    # the same hand example with the industries named in Kyrgyz in the base year and in Russian in the report
    base = [["Region", "тоо-кен казып алуу", "жеңил өнөр жай"], ["Chui", 10, 20], ["Talas", 30, 40]]
    report = [["Регион", "легкая промышленность", "горнодобывающая промышленность"],
              ["Таласская область", 48, 30], ["Чуйская область", 30, 12]]
    r = shift_share(cells.read_table(base, arg="base"), cells.read_table(report, arg="report")).values
    np.testing.assert_allclose(r.to_numpy(), [[6, 0.5, 5.5, 12], [14, -0.5, -5.5, 8]], rtol=1e-12, atol=1e-12)


def test_national_rows_are_the_nation():
    # Same regions, the nation given as a national row in both tables (the regions are not all of it):
    # nation base A=100 B=100 (200), report A=110 B=130 (240): g = 1.2, g_A = 1.1, g_B = 1.3.
    # Chui: NS = 6; IM = 10*(-0.1) + 20*0.1 = 1; RS = (12-11) + (30-26) = 5; total 12.
    # Talas: NS = 14; IM = 30*(-0.1) + 40*0.1 = 1; RS = (30-33) + (48-52) = -7; total 8.
    base = BASE + [["Кыргыз Республикасы", 100, 100]]
    report = REPORT + [["Кыргыз Республикасы", 110, 130]]
    res = shift_share(cells.read_table(base, arg="base"), cells.read_table(report, arg="report"))
    np.testing.assert_allclose(res.values.to_numpy(), [[6, 1, 5, 12], [14, 1, -7, 8]], rtol=1e-12, atol=1e-12)
    assert "national rows" in res.method
    with pytest.raises(InputError, match="both years"):
        shift_share(cells.read_table(base, arg="base"), cells.read_table(REPORT, arg="report"))


def test_missing_cell_is_named_and_spoils_only_its_region():
    res = shift_share(pd.DataFrame([[10.0, 20], [30, 40]], index=["Chui", "Talas"], columns=["A", "B"]),
                      pd.DataFrame([[12.0, np.nan], [30, 48]], index=["Chui", "Talas"], columns=["A", "B"]))
    assert res.values.loc["Chui"].isna().all()
    assert "Chui" in res.reason_at("Chui", "regional shift") and "'B'" in res.reason_at("Chui", "regional shift")
    # Talas keeps values; the nation (column sums) misses B, so only the terms using g and g_B are missing
    assert res.values.loc["Talas", "total change"] == 8
    assert np.isnan(res.values.loc["Talas", "national share"])
    assert "nation's total is missing" in res.reason_at("Talas", "national share")


@pytest.mark.parametrize("bad, match", [
    ({"method": "lmdi"}, "not a shift-share method"),
    ({"by": "sector"}, "region' or 'industry"),
    ({"method": "gerfin", "by": "industry"}, "per-industry view"),
])
def test_bad_options(tables, bad, match):
    with pytest.raises(InputError, match=match):
        shift_share(*tables, **bad)


def test_labels_that_differ_are_named(tables):
    b, r = tables
    with pytest.raises(InputError, match="I4"):
        shift_share(b, r.rename(columns={"I4": "I5"}))
    with pytest.raises(InputError, match="R6"):
        shift_share(b, r.drop(index="R6"))
    with pytest.raises(InputError, match="negative"):
        shift_share(b, r.assign(I1=-r["I1"]))
