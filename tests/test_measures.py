"""Measures of methods sections 1-4: localization, per-capita, specialization, cluster potential,
advantage and candidates. Numbers come from the seed's Table 3.1 or are worked by hand in comments
(peer-vector agreement is in test_peers.py)."""

import numpy as np
import pandas as pd
import pytest

from conftest import PACKAGE_DATA
from xlkg.core import measures
from xlkg.core.result import InputError, Result


def frame(rows, index=("R1", "R2"), columns=("S1", "S2")):
    return pd.DataFrame(np.asarray(rows, dtype=float), index=list(index), columns=list(columns))


# ----------------------------------------------------------------------------------------- localization

def test_localization_table_totals_hand_example():
    # x = [[1, 1], [1, 3]]: region totals 2, 4; sector totals 2, 4; total 6.
    # R1/S1 = (1/2)/(2/6) = 1.5; R1/S2 = (1/2)/(4/6) = .75; R2/S1 = (1/4)/(2/6) = .75; R2/S2 = (3/4)/(4/6) = 1.125
    r = measures.localization(frame([[1, 1], [1, 3]]))
    np.testing.assert_allclose(r.values.to_numpy(), [[1.5, 0.75], [0.75, 1.125]], rtol=1e-15)
    assert "(x_ri / x_r) / (x_i / x)" in r.method


def test_localization_explicit_totals_win():
    # The table lists two priority sectors; the region totals are all industry (100 each), the
    # national sector totals are 50 and 80, the national total 250:
    # R1/S1 = (10/100)/(50/250) = .1/.2 = 0.5; R2/S2 = (40/100)/(80/250) = .4/.32 = 1.25
    x = frame([[10, 20], [30, 40]])
    r = measures.localization(x, region_totals=pd.Series({"R1": 100.0, "R2": 100.0}),
                              sector_totals=pd.Series({"S1": 50.0, "S2": 80.0}), grand_total=250)
    assert r.values.loc["R1", "S1"] == pytest.approx(0.5, rel=1e-15)
    assert r.values.loc["R2", "S2"] == pytest.approx(1.25, rel=1e-15)
    # Without a grand total, x = the sum of the given region totals, 200: R1/S1 = .1/(50/200) = 0.4
    r = measures.localization(x, region_totals=pd.Series({"R1": 100.0, "R2": 100.0}),
                              sector_totals=pd.Series({"S1": 50.0, "S2": 80.0}))
    assert r.values.loc["R1", "S1"] == pytest.approx(0.4, rel=1e-15)
    assert "grand total x: sum of the given region totals" in r.notes


def test_localization_region_totals_matched_across_languages():
    # Region totals labelled in Russian, the table in Kyrgyz: same regions.
    x = pd.DataFrame({"S1": [10.0, 30.0], "S2": [20.0, 40.0]}, index=["Чүй облусу", "Бишкек ш."])
    rt = pd.Series({"г. Бишкек": 100.0, "Чуйская область": 100.0})
    r = measures.localization(x, region_totals=rt, sector_totals=pd.Series({"S1": 50.0, "S2": 80.0}),
                              grand_total=250)
    assert r.values.loc["Чүй облусу", "S1"] == pytest.approx(0.5, rel=1e-15)
    assert r.values.loc["Бишкек ш.", "S2"] == pytest.approx(1.25, rel=1e-15)


def test_localization_zero_denominators_give_nan_with_reasons():
    # R2 has nothing at all (region total 0) and S2 nothing anywhere (sector total 0):
    # R1/S1 = (5/5)/(5/5) = 1; every other cell divides by 0 -> NaN, never inf or 0.
    r = measures.localization(frame([[5, 0], [0, 0]]))
    v = r.values
    assert v.loc["R1", "S1"] == 1.0
    assert np.isnan(v.loc["R2", "S1"]) and np.isnan(v.loc["R1", "S2"]) and np.isnan(v.loc["R2", "S2"])
    assert not np.isinf(v.to_numpy()).any()
    assert "region total is 0" in r.reason_at("R2", "S1")
    assert "sector total is 0" in r.reason_at("R1", "S2")
    assert r.reason_at("R1", "S1") is None


def test_localization_zero_grand_total():
    r = measures.localization(frame([[0, 0], [0, 0]]))
    assert r.values.isna().all().all()
    assert all(r.reason_at(i, c) for i in ("R1", "R2") for c in ("S1", "S2"))


def test_localization_missing_cell_with_table_totals_is_missing_everywhere_it_is_used():
    # A missing cell makes its region total, its sector total and the grand total unknowable: a sum
    # that read it as 0 would be wrong, so nothing is computed, and each cell says why.
    x = frame([[np.nan, 1], [1, 3]])
    r = measures.localization(x)
    assert r.values.isna().all().all()
    assert r.reason_at("R1", "S1") == "no data"
    assert "missing value in the row" in r.reason_at("R1", "S2")
    assert "missing value in the column" in r.reason_at("R2", "S1")
    assert "grand total" in r.reason_at("R2", "S2")


def test_localization_missing_cell_with_explicit_totals_only_that_cell():
    # Totals given: (R2/S2) = (3/4)/(4/6) = 1.125 is computable; only the missing cell is NaN.
    x = frame([[np.nan, 1], [1, 3]])
    r = measures.localization(x, region_totals=pd.Series({"R1": 2.0, "R2": 4.0}),
                              sector_totals=pd.Series({"S1": 2.0, "S2": 4.0}), grand_total=6)
    assert np.isnan(r.values.loc["R1", "S1"]) and r.reason_at("R1", "S1") == "no data"
    assert r.values.loc["R2", "S2"] == pytest.approx(1.125, rel=1e-15)
    assert r.values.loc["R1", "S2"] == pytest.approx(0.75, rel=1e-15)


def test_localization_negative_value_names_the_cell():
    with pytest.raises(InputError, match=r"negative value at \(R2, S1\)"):
        measures.localization(frame([[1, 1], [-1, 3]]))


def test_localization_negative_total_names_the_label():
    with pytest.raises(InputError, match="region_totals.*'R2'"):
        measures.localization(frame([[1, 1], [1, 3]]), region_totals=pd.Series({"R1": 2.0, "R2": -4.0}))


def test_localization_totals_with_missing_labels_named():
    with pytest.raises(InputError, match="R2"):
        measures.localization(frame([[1, 1], [1, 3]]), region_totals=pd.Series({"R1": 2.0, "R9": 4.0}))
    with pytest.raises(InputError, match="S2"):
        measures.localization(frame([[1, 1], [1, 3]]), sector_totals=pd.Series({"S1": 2.0}))


def test_localization_text_and_repeated_labels_refused():
    x = pd.DataFrame({"S1": ["1", "abc"], "S2": [1.0, 2.0]}, index=["R1", "R2"])
    with pytest.raises(InputError, match=r"\(R2, S1\)"):
        measures.localization(x)
    x = frame([[1, 1], [1, 3]], index=("R1", "R1"))
    with pytest.raises(InputError, match="repeat.*'R1'"):
        measures.localization(x)


# ------------------------------------------------------------------------ localization over several bases

A = [[1, 1], [1, 3]]   # LQ: [[1.5, .75], [.75, 1.125]] (worked above)
B = [[3, 1], [1, 1]]   # totals rows 4, 2; cols 4, 2; total 6:
#                        LQ R1/S1 = (3/4)/(4/6) = 1.125, R1/S2 = (1/4)/(2/6) = .75,
#                           R2/S1 = (1/2)/(4/6) = .75,   R2/S2 = (1/2)/(2/6) = 1.5


def test_localization_mean_arithmetic_hand_example():
    # R1/S1 = (1.5 + 1.125)/2 = 1.3125; R1/S2 = .75; R2/S2 = (1.125 + 1.5)/2 = 1.3125
    r = measures.localization_mean({"output": frame(A), "employment": frame(B)})
    np.testing.assert_allclose(r.values.to_numpy(), [[1.3125, 0.75], [0.75, 1.3125]], rtol=1e-15)
    assert "arithmetic" in r.method and "output, employment" in r.method


def test_localization_mean_geometric_hand_example():
    # R1/S1 = sqrt(1.5 * 1.125) = sqrt(1.6875) = 1.299038...; R1/S2 = sqrt(.75*.75) = .75
    r = measures.localization_mean([frame(A), frame(B)], method="geometric")
    np.testing.assert_allclose(r.values.to_numpy(), [[1.6875 ** 0.5, 0.75], [0.75, 1.6875 ** 0.5]], rtol=1e-15)
    assert "geometric" in r.method


def test_localization_mean_aligns_labels_and_reports_mismatch():
    b = frame(B).loc[["R2", "R1"], ["S2", "S1"]]  # same data, other order
    r = measures.localization_mean({"a": frame(A), "b": b})
    assert r.values.loc["R1", "S1"] == pytest.approx(1.3125, rel=1e-15)
    with pytest.raises(InputError, match="'R2'.*missing in base 'b'"):
        measures.localization_mean({"a": frame(A), "b": frame(B, index=("R1", "R3"))})
    with pytest.raises(InputError, match="'S3'"):
        measures.localization_mean({"a": frame(A), "b": frame(B, columns=("S1", "S3"))})


def test_localization_mean_per_base_totals_and_reasons():
    # Base b has a zero region R2 -> that row is missing in the mean, and the reason names base b.
    r = measures.localization_mean({"a": frame(A), "b": frame([[3, 1], [0, 0]])})
    assert np.isnan(r.values.loc["R2", "S1"])
    assert r.reason_at("R2", "S1").startswith("base b:") and "region total is 0" in r.reason_at("R2", "S1")
    # Explicit totals for base a: R1/S1 = (1/4)/(2/8) = 1 with region totals 4, 4 and x = 8.
    r = measures.localization_mean({"a": frame(A)}, totals={"a": {"region_totals": pd.Series({"R1": 4.0, "R2": 4.0})}})
    assert r.values.loc["R1", "S1"] == pytest.approx(1.0, rel=1e-15)


def test_localization_mean_unknown_method_lists_valid():
    with pytest.raises(InputError, match="arithmetic, geometric"):
        measures.localization_mean([frame(A)], method="harmonic")


# ------------------------------------------------------------------------------------- per capita

def test_per_capita_hand_example_and_population_in_other_language():
    # x = [[10, 20], [30, 20]]: x_i = 40, 40; population Chui 100, Bishkek 300, P = 400.
    # Chui/S1 = (10/40)/(100/400) = 1; Bishkek/S1 = (30/40)/(300/400) = 1; Chui/S2 = (20/40)/(1/4) = 2
    x = pd.DataFrame({"S1": [10.0, 30.0], "S2": [20.0, 20.0]}, index=["Chui oblast", "Bishkek city"])
    pop = pd.Series({"Бишкек ш.": 300.0, "Чүй облусу": 100.0})
    r = measures.per_capita(x, pop)
    np.testing.assert_allclose(r.values.to_numpy(), [[1.0, 2.0], [1.0, 2 / 3]], rtol=1e-15)
    # Explicit totals: x_i = 80, 80 (national), P = 1000: Chui/S1 = (10/80)/(100/1000) = 1.25
    r = measures.per_capita(x, pop, sector_totals=pd.Series({"S1": 80.0, "S2": 80.0}), total_population=1000)
    assert r.values.loc["Chui oblast", "S1"] == pytest.approx(1.25, rel=1e-15)


def test_per_capita_zero_population_and_missing_region():
    x = frame([[10, 20], [30, 20]])
    r = measures.per_capita(x, pd.Series({"R1": 0.0, "R2": 300.0}))
    assert r.values.loc["R1"].isna().all() and "population is 0" in r.reason_at("R1", "S1")
    with pytest.raises(InputError, match="'R2'"):
        measures.per_capita(x, pd.Series({"R1": 100.0}))
    with pytest.raises(InputError, match="population.*'R1'"):
        measures.per_capita(x, pd.Series({"R1": -5.0, "R2": 300.0}))


# ------------------------------------------------------------------------------------ specialization

def test_specialization_grp_hand_example():
    # x = [[10, 20], [30, 20]], x_i = 40, 40; GRP 200 and 600, Y = 800.
    # R1/S1 = (10/40)/(200/800) = 1; R1/S2 = (20/40)/(1/4) = 2; R2/S2 = (20/40)/(600/800) = 2/3
    r = measures.specialization(frame([[10, 20], [30, 20]]), pd.Series({"R1": 200.0, "R2": 600.0}))
    np.testing.assert_allclose(r.values.to_numpy(), [[1.0, 2.0], [1.0, 2 / 3]], rtol=1e-15)
    assert "GRP" in r.method and "reconstruction" in r.method


def test_specialization_industry_total_is_localization_and_says_so():
    x = frame(A)
    r = measures.specialization(x, method="industry_total")
    np.testing.assert_allclose(r.values.to_numpy(), [[1.5, 0.75], [0.75, 1.125]], rtol=1e-15)
    assert "localization" in r.method and any("equals the localization coefficient" in n for n in r.notes)


def test_specialization_marketability_hand_example():
    # outflow / output: 5/10 = .5, 0/20 = 0, output 0 -> NaN with reason
    r = measures.specialization(frame([[10, 20], [0, 5]]), method="marketability",
                                outflow=frame([[5, 0], [0, 5]]))
    assert r.values.loc["R1", "S1"] == 0.5 and r.values.loc["R1", "S2"] == 0.0
    assert np.isnan(r.values.loc["R2", "S1"]) and "output is 0" in r.reason_at("R2", "S1")
    assert r.values.loc["R2", "S2"] == 1.0


def test_specialization_needs_its_inputs_and_valid_method():
    with pytest.raises(InputError, match="grp"):
        measures.specialization(frame(A))
    with pytest.raises(InputError, match="outflow"):
        measures.specialization(frame(A), method="marketability")
    with pytest.raises(InputError, match="grp, industry_total, marketability"):
        measures.specialization(frame(A), pd.Series({"R1": 1.0, "R2": 1.0}), method="gdp")


# ----------------------------------------------------------------------------------- cluster potential

KL = frame([[2, 8], [1, 0.5]])
KDP = frame([[0.5, 1], [1, 0.5]])
KS = frame([[1, 1], [1, 0.5]])


def test_cluster_potential_geometric_hand_example():
    # R1/S1: (2 * .5 * 1)^(1/3) = 1; R1/S2: (8*1*1)^(1/3) = 2; R2/S1: 1; R2/S2: (.125)^(1/3) = .5
    r = measures.cluster_potential(KL, KDP, KS)
    np.testing.assert_allclose(r.values.to_numpy(), [[1.0, 2.0], [1.0, 0.5]], rtol=1e-15)
    assert "geometric" in r.method and "reconstruction" in r.method


def test_cluster_potential_mean_hand_example():
    # R1/S1: (2 + .5 + 1)/3 = 3.5/3 = 1.1667; R1/S2: 10/3; R2/S1: 1; R2/S2: 1.5/3 = .5
    r = measures.cluster_potential(KL, KDP, KS, method="mean")
    np.testing.assert_allclose(r.values.to_numpy(), [[3.5 / 3, 10 / 3], [1.0, 0.5]], rtol=1e-15)


def test_cluster_potential_product_hand_example():
    # R1/S1: 2*.5*1 = 1; R1/S2: 8; R2/S1: 1; R2/S2: .125
    r = measures.cluster_potential(KL, KDP, KS, method="product")
    np.testing.assert_allclose(r.values.to_numpy(), [[1.0, 8.0], [1.0, 0.125]], rtol=1e-15)


def test_cluster_potential_aligns_by_label_and_names_mismatches():
    r = measures.cluster_potential(KL, KDP.loc[["R2", "R1"]], KS[["S2", "S1"]])
    assert r.values.loc["R1", "S2"] == pytest.approx(2.0, rel=1e-15)
    with pytest.raises(InputError, match="'R3'"):
        measures.cluster_potential(KL, frame(KDP.to_numpy(), index=("R1", "R3")), KS)
    with pytest.raises(InputError, match="'S9'"):
        measures.cluster_potential(KL, KDP, frame(KS.to_numpy(), columns=("S1", "S9")))
    with pytest.raises(InputError, match="geometric, mean, product"):
        measures.cluster_potential(KL, KDP, KS, method="median")
    with pytest.raises(InputError, match=r"ks: negative value at \(R2, S2\)"):
        measures.cluster_potential(KL, KDP, frame([[1, 1], [1, -0.5]]))


def test_cluster_potential_carries_reasons_of_its_inputs():
    kl = measures.localization(frame([[5, 0], [0, 0]]))  # R2 row and S2 column not computable
    r = measures.cluster_potential(kl, KDP, KS)
    assert r.values.loc["R1", "S1"] == pytest.approx((1 * 0.5 * 1) ** (1 / 3), rel=1e-15)
    assert np.isnan(r.values.loc["R2", "S1"])
    assert r.reason_at("R2", "S1").startswith("kl:") and "region total is 0" in r.reason_at("R2", "S1")


# ------------------------------------------------------------------------------ seed Table 3.1 checks

@pytest.fixture
def table_3_1():
    t = pd.read_csv(PACKAGE_DATA / "seed_table_3_1_cluster_potential.csv", index_col="region_en")
    return t.drop(columns=["region_ky"])


def test_table_3_1_every_region_but_issyk_kul_has_an_advantage(table_3_1):
    adv = measures.advantage(table_3_1)
    has = adv.values.any(axis=1)  # pandas nullable booleans: missing cells are skipped
    assert set(has.index[~has]) == {"Issyk-Kul oblast"}
    # Cells the seed leaves blank (coke for most regions) are missing, with a reason.
    assert pd.isna(adv.values.loc["Batken oblast", "coke_refined_petroleum"])
    assert adv.reason_at("Batken oblast", "coke_refined_petroleum") == "no data"


def test_table_3_1_light_industry_candidates(table_3_1):
    c = measures.candidates(table_3_1).values
    light = c[c["sector"] == "light_industry"]
    assert list(light["region"]) == ["Bishkek city", "Chui oblast", "Osh oblast"]
    assert list(light["potential"]) == [2.083, 1.069, 1.055]
    assert list(light["rank"]) == [1, 2, 3]


def test_table_3_1_building_materials_led_by_osh_oblast_then_batken(table_3_1):
    c = measures.candidates(table_3_1).values
    bm = c[c["sector"] == "building_materials"]
    assert list(bm["region"][:2]) == ["Osh oblast", "Batken oblast"]
    assert list(bm["potential"][:2]) == [4.257, 2.895]
    # Chui 1.775 is the only other region above 1 (Bishkek .946 is not).
    assert list(bm["region"]) == ["Osh oblast", "Batken oblast", "Chui oblast"]


def test_candidates_threshold_and_empty_sectors():
    pot = frame([[1.0, 0.2], [3.0, 0.9]])
    c = measures.candidates(pot)
    # strict "> 1": R1 at exactly 1 is not a candidate; S2 has none and the notes say so
    assert list(c.values["region"]) == ["R2"]
    assert any("S2" in n for n in c.notes)
    c = measures.candidates(pot, threshold=0.5)
    assert list(zip(c.values["sector"], c.values["region"], strict=True)) == [("S1", "R2"), ("S1", "R1"), ("S2", "R2")]


def test_advantage_threshold():
    adv = measures.advantage(frame([[1.0, 0.2], [3.0, np.nan]]), threshold=0.5)
    assert adv.values.loc["R1", "S1"] == True  # noqa: E712  (nullable boolean)
    assert adv.values.loc["R1", "S2"] == False  # noqa: E712
    assert pd.isna(adv.values.loc["R2", "S2"])
    assert isinstance(adv, Result)


# ------------------------------------------------------------------- ministry-style input via xlkg.core.cells

MINISTRY_ROWS = [
    [None, "Горнодобывающая", "Обрабатывающая", "Всего"],
    ["Чүй облусу", "1 234,5", "7913,8", "10 000"],
    ["Бишкек ш.", "-", "2 000,0", 5000.0],
    ["Кыргыз Республикасы", "2 000", "12 000", "20 000"],
]


def test_ministry_table_with_totals_row_and_column():
    from xlkg.core.cells import read_table

    t = read_table(MINISTRY_ROWS)
    r = measures.localization(t.values, region_totals=t.row_totals, sector_totals=t.col_totals,
                              grand_total=t.grand_total)
    # Chui, mining: (1 234.5 / 10 000) / (2 000 / 20 000) = .12345 / .1 = 1.2345
    # Chui, manufacturing: (7 913.8 / 10 000) / (12 000 / 20 000) = .79138 / .6 = 1.318966...
    # Bishkek, manufacturing: (2 000 / 5 000) / .6 = 0.666...; Bishkek, mining: "-" -> missing
    assert r.values.loc["Чүй облусу", "Горнодобывающая"] == pytest.approx(1.2345, rel=1e-12)
    assert r.values.loc["Чүй облусу", "Обрабатывающая"] == pytest.approx(0.79138 / 0.6, rel=1e-12)
    assert r.values.loc["Бишкек ш.", "Обрабатывающая"] == pytest.approx(2 / 3, rel=1e-12)
    assert np.isnan(r.values.loc["Бишкек ш.", "Горнодобывающая"])
    assert r.reason_at("Бишкек ш.", "Горнодобывающая") == "no data"
    # Population given with English names: Kdp, Chui, manufacturing =
    # (7 913.8 / 12 000) / (900 000 / 6 500 000) = .6594833 / .1384615 = 4.762935...
    kdp = measures.per_capita(t.values, pd.Series({"Bishkek city": 1_000_000.0, "Chui oblast": 900_000.0}),
                              sector_totals=t.col_totals, total_population=6_500_000)
    assert kdp.values.loc["Чүй облусу", "Обрабатывающая"] == pytest.approx(
        (7913.8 / 12000) / (900_000 / 6_500_000), rel=1e-12)


def test_ministry_table_negative_text_number_named():
    from xlkg.core.cells import read_table

    t = read_table(MINISTRY_ROWS[:3] + [["Ош облусу", "#N/A", "−12,3", None]] + MINISTRY_ROWS[3:])
    with pytest.raises(InputError, match=r"\(Ош облусу, Обрабатывающая\)"):
        measures.localization(t.values, region_totals=t.row_totals, sector_totals=t.col_totals)


def test_cluster_analysis_chains_the_four_sections():
    # Output base A = [[1, 1], [1, 3]] (LQ [[1.5, .75], [.75, 1.125]]), employment base B (LQ
    # [[1.125, .75], [.75, 1.5]]): Kl = arithmetic mean [[1.3125, .75], [.75, 1.3125]].
    # Population R1 1, R2 2 (P = 3): Kdp R1/S1 = (1/2)/(1/3) = 1.5, R2/S2 = (3/4)/(2/3) = 1.125.
    # GRP R1 2, R2 4 (Y = 6): Ks R1/S1 = (1/2)/(2/6) = 1.5, R2/S2 = (3/4)/(4/6) = 1.125.
    # Ki R1/S1 = (1.3125 * 1.5 * 1.5)^(1/3) = 2.953125^(1/3) = 1.4350...; R1/S2: Kl .75,
    # Kdp (1/4)/(1/3) = .75, Ks (1/4)/(2/6) = .75 -> .75.
    res = measures.cluster_analysis({"output": frame(A), "employment": frame(B)},
                                    pd.Series({"R1": 1.0, "R2": 2.0}), pd.Series({"R1": 2.0, "R2": 4.0}))
    ki = res["potential"].values
    assert ki.loc["R1", "S1"] == pytest.approx(2.953125 ** (1 / 3), rel=1e-14)
    assert ki.loc["R1", "S2"] == pytest.approx(0.75, rel=1e-14)
    assert list(res["candidates"].values["region"]) == ["R1", "R2"]
    with pytest.raises(InputError, match="'gross'"):
        measures.cluster_analysis({"output": frame(A)}, pd.Series({"R1": 1.0, "R2": 2.0}),
                                  pd.Series({"R1": 2.0, "R2": 4.0}), output_base="gross")


def test_advantage_carries_reasons_of_a_potential_result():
    # Kl from [[5, 0], [0, 0]]: R1/S1 = 1, the rest divide by 0; Kdp = 1, Ks = 2 everywhere:
    # Ki R1/S1 = (1 * 1 * 2)^(1/3) = 1.26 > 1 -> advantage; the other cells are missing with Kl's reason.
    kl = measures.localization(frame([[5, 0], [0, 0]]))
    one = frame([[1, 1], [1, 1]])
    adv = measures.advantage(measures.cluster_potential(kl, one, one * 2))
    assert adv.values.loc["R1", "S1"] == True  # noqa: E712
    assert adv.reason_at("R1", "S1") is None
    assert pd.isna(adv.values.loc["R2", "S2"])
    assert adv.reason_at("R2", "S2") == "kl: division by zero: region total is 0"


def test_specialization_zero_and_missing_grp_give_reasoned_nan():
    # x = [[10, 20], [30, 20]], x_i = 40, 40; GRP R1 0, R2 600, Y given as 800:
    # R1: Y_r = 0 -> division by zero (never inf); R2/S1 = (30/40)/(600/800) = 1
    x = frame([[10, 20], [30, 20]])
    r = measures.specialization(x, pd.Series({"R1": 0.0, "R2": 600.0}), grp_total=800)
    assert r.values.loc["R1"].isna().all() and "GRP is 0" in r.reason_at("R1", "S2")
    assert r.values.loc["R2", "S1"] == pytest.approx(1.0, rel=1e-15)
    assert not np.isinf(r.values.to_numpy()).any()
    # GRP of R1 missing: its row is missing, and Y summed over the regions is too (a sum that read
    # the gap as 0 would be wrong) unless Y is given: R2/S2 = (20/40)/(600/800) = 2/3
    r = measures.specialization(x, pd.Series({"R1": np.nan, "R2": 600.0}))
    assert r.values.isna().all().all() and r.reason_at("R2", "S1") == "Y not computable: missing GRP"
    assert r.reason_at("R1", "S1") == "no data: GRP"
    r = measures.specialization(x, pd.Series({"R1": np.nan, "R2": 600.0}), grp_total=800)
    assert r.values.loc["R2", "S2"] == pytest.approx(2 / 3, rel=1e-15)


def test_per_capita_missing_population_is_named_in_the_reason():
    # population of R2 missing: R2's row has no value; P summed over regions is missing too, so
    # with P given (400) R1/S1 = (10/40)/(100/400) = 1 is still computed
    x = frame([[10, 20], [30, 20]])
    r = measures.per_capita(x, pd.Series({"R1": 100.0, "R2": np.nan}), total_population=400)
    assert r.values.loc["R1", "S1"] == pytest.approx(1.0, rel=1e-15)
    assert r.values.loc["R2"].isna().all() and r.reason_at("R2", "S1") == "no data: population"
    r = measures.per_capita(x, pd.Series({"R1": 100.0, "R2": np.nan}))
    assert r.values.isna().all().all()
    assert r.reason_at("R1", "S1") == "total population not computable: missing population"


def test_method_names_as_an_economist_types_them():
    # The hand examples above under other spellings: the arithmetic mean over bases A, B is
    # [[1.3125, .75], [.75, 1.3125]]; the mean potential of KL, KDP, KS at R1/S2 is 10/3.
    for name in ("mean", "Average", "arithmetic mean", " ARITHMETIC "):
        r = measures.localization_mean([frame(A), frame(B)], method=name)
        assert r.values.loc["R1", "S1"] == pytest.approx(1.3125, rel=1e-15), name
    g = measures.localization_mean([frame(A), frame(B)], method="Geometric mean")
    assert g.values.loc["R1", "S1"] == pytest.approx(1.6875 ** 0.5, rel=1e-15)
    for name in ("arithmetic", "Mean", "average"):
        assert measures.cluster_potential(KL, KDP, KS, name).values.loc["R1", "S2"] == pytest.approx(10 / 3, rel=1e-15)
    assert measures.cluster_potential(KL, KDP, KS, "geomean").values.loc["R1", "S2"] == pytest.approx(2.0, rel=1e-15)
    # underscores, hyphens and spaces are alike
    r = measures.specialization(frame(A), method="Industry-total")
    assert r.values.loc["R1", "S1"] == pytest.approx(1.5, rel=1e-15)
    with pytest.raises(InputError, match="geometric, mean, product"):
        measures.cluster_potential(KL, KDP, KS, method="harmonic")
