"""Peer indices against the reference outputs of REAT 3.0.3 and EconGeo 2.1 (tests/data/vectors).

Tolerance: relative 1e-12, as the vectors' README asks for unrounded package outputs. The vectors are
data; every other number below is worked by hand in the comments.
"""

import numpy as np
import pandas as pd
import pytest

from conftest import VECTORS
from xlkg.core import measures, peers
from xlkg.core.result import InputError

CASES = ["toy_econgeo_5x5", "toy_xlkg_4x3_output", "REAT_G.regions.industries_emp2015"]
CASES_WITH_ATTRS = ["toy_xlkg_4x3_output", "REAT_G.regions.industries_emp2015"]
RTOL = 1e-12


def read(case, name):
    return pd.read_csv(VECTORS / case / name, index_col=0)


def matrix(case):
    return read(case, "input_matrix.csv")


def assert_close(got, ref, rtol=RTOL):
    """Same labels, same numbers at relative tolerance; a reference NA must be handled by the caller."""
    if isinstance(ref, pd.DataFrame):
        assert list(got.index) == list(ref.index) and list(got.columns) == list(ref.columns)
    else:
        assert list(got.index) == list(ref.index)
    g = np.asarray(got, dtype=float)
    r = np.asarray(ref, dtype=float)
    assert not np.isnan(r).any()
    np.testing.assert_allclose(g, r, rtol=rtol, atol=0)


@pytest.mark.parametrize("case", CASES)
def test_location_quotient_matches_reat_and_econgeo(case):
    lq = measures.localization(matrix(case))
    assert_close(lq.values, read(case, "REAT_locq2.csv"))
    assert_close(lq.values, read(case, "EconGeo_location_quotient.csv"))
    assert lq.reasons is None


@pytest.mark.parametrize("case", CASES)
def test_binary_location_quotient_matches_econgeo(case):
    # EconGeo's binary LQ is 1 where LQ >= 1; advantage() is strict (> threshold) as the seed reads
    # Table 3.1, so the binary form is advantage at a threshold just below 1 or LQ >= 1 directly.
    lq = measures.localization(matrix(case)).values
    ref = read(case, "EconGeo_location_quotient_binary.csv")
    assert ((lq >= 1).astype(int).to_numpy() == ref.to_numpy()).all()


@pytest.mark.parametrize("case", CASES)
def test_hoover_matches_reat_hoover_spec_and_econgeo_spec_coeff(case):
    h = peers.hoover_specialization(matrix(case))
    assert_close(h.values, read(case, "REAT_hoover_spec.csv")["value"])
    assert_close(h.values, read(case, "REAT_spec.csv")["H j"])
    assert_close(h.values, read(case, "EconGeo_per_region.csv")["spec_coeff"])


@pytest.mark.parametrize("case", CASES)
def test_krugman_vs_country_matches_econgeo(case):
    k = peers.krugman_specialization(matrix(case), reference="country")
    assert_close(k.values, read(case, "EconGeo_per_region.csv")["krugman_index"])


@pytest.mark.parametrize("case", CASES)
def test_krugman_vs_rest_matches_reat_krugman_spec(case):
    k = peers.krugman_specialization(matrix(case), reference="rest")
    assert_close(k.values, read(case, "REAT_krugman.spec_vs_rest.csv")["value"])


@pytest.mark.parametrize("case", CASES)
def test_krugman_vs_mean_of_other_regions_matches_reat_spec_k_j(case):
    k = peers.krugman_specialization(matrix(case), reference="others_mean")
    assert_close(k.values, read(case, "REAT_spec.csv")["K j"])


def test_krugman_definitions_differ_as_documented():
    # 4x3 toy, region A = (120, 30, 50) of 200: shares .6, .15, .25.
    # country: (200, 180, 220)/600 -> |.6-.3333|+|.15-.3|+|.25-.3667| = .2667+.15+.1167 = 0.5333
    # rest (B+C+D pooled) = (80, 150, 170)/400 = .2, .375, .425 -> .4 + .225 + .175 = 0.8
    # mean of B, C, D shares: S1 (.2857+.0909+.2)/3 = .19221, S2 (.5714+.0909+.4)/3 = .35411,
    #   S3 (.1429+.8182+.4)/3 = .45368 -> .40779 + .20411 + .20368 = 0.81558
    # Exactly: country 4/15 + 3/20 + 7/60 = 32/60 = 8/15; others_mean with B = (2/7, 4/7, 1/7),
    # C = (1/11, 1/11, 9/11), D = (1/5, 2/5, 2/5) written out as fractions below.
    m = matrix("toy_xlkg_4x3_output")
    mean_other = [(2 / 7 + 1 / 11 + 1 / 5) / 3, (4 / 7 + 1 / 11 + 2 / 5) / 3, (1 / 7 + 9 / 11 + 2 / 5) / 3]
    others = abs(0.6 - mean_other[0]) + abs(0.15 - mean_other[1]) + abs(0.25 - mean_other[2])
    assert others == pytest.approx(0.81558, abs=1e-5)  # the rounded hand figure above
    assert peers.krugman_specialization(m, "country").values["A"] == pytest.approx(8 / 15, rel=1e-12)
    assert peers.krugman_specialization(m, "rest").values["A"] == pytest.approx(0.8, rel=1e-12)
    assert peers.krugman_specialization(m, "others_mean").values["A"] == pytest.approx(others, rel=1e-12)
    with pytest.raises(InputError, match="country, rest, others_mean"):
        peers.krugman_specialization(m, "nation")


@pytest.mark.parametrize("case", CASES)
def test_gini_of_location_quotients_matches_reat(case):
    g = peers.gini_lq(matrix(case))
    assert_close(g.values, read(case, "REAT_gini.spec.csv")["value"])
    assert_close(g.values, read(case, "REAT_spec.csv")["G j"])


def test_gini_hand_example():
    # 4x3 toy, region A: LQs .5, .6818, 1.8 (sorted); weights 2k-n-1 = -2, 0, 2:
    # (-1 + 0 + 3.6) / (3 * 2.98182) = 2.6 / 8.94545 = 0.290650...
    g = peers.gini_lq(matrix("toy_xlkg_4x3_output")).values["A"]
    assert g == pytest.approx(2.6 / (3 * (0.5 + 15 / 22 + 1.8)), rel=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_additive_location_quotient_matches_reat(case):
    assert_close(peers.locq_additive(matrix(case)).values, read(case, "REAT_locq_additive.csv"), rtol=1e-11)


@pytest.mark.parametrize("case", CASES)
def test_herfindahl_matches_reat_and_econgeo(case):
    ref = read(case, "REAT_herf.csv")
    assert_close(peers.herfindahl(matrix(case)).values, ref["HHI"])
    assert_close(peers.herfindahl(matrix(case)).values, read(case, "EconGeo_per_region.csv")["herfindahl"])
    # REAT's normalised HHI for region D of the 4x3 toy is 0.0400000000000002: a rounding residue of
    # (0.36 - 1/3)/(2/3); compare it with an absolute tolerance instead.
    np.testing.assert_allclose(peers.herfindahl(matrix(case), normalized=True).values, ref["HHI_norm"],
                               rtol=RTOL, atol=1e-14)


def _litz(case):
    m = matrix(case)
    attrs = read(case, "input_region_attrs.csv")
    firms = read(case, "input_firms.csv")
    return m, firms, peers.litzenberger_components(m, attrs["area_sqkm"], attrs["pop"], firms)


@pytest.mark.parametrize("case", CASES_WITH_ATTRS)
def test_litzenberger_terms_match_reat(case):
    _, _, c = _litz(case)
    assert_close(c["density"].values, read(case, "REAT_litzenberger_component_density.csv"))
    assert_close(c["per_capita"].values, read(case, "REAT_litzenberger_component_percap.csv"))
    assert_close(c["size"].values, read(case, "REAT_litzenberger_component_size.csv"))


@pytest.mark.parametrize("case", CASES_WITH_ATTRS)
def test_per_capita_coefficient_is_reats_per_capita_term(case):
    m = matrix(case)
    attrs = read(case, "input_region_attrs.csv")
    assert_close(measures.per_capita(m, attrs["pop"]).values, read(case, "REAT_litzenberger_component_percap.csv"))


@pytest.mark.parametrize("case", CASES_WITH_ATTRS)
def test_litzenberger_index_matches_reat_with_documented_zero_rule(case):
    m, _, c = _litz(case)
    ref = read(case, "REAT_litzenberger2.csv")
    got = c["index"].values
    na = ref.isna().to_numpy()
    # REAT gives NA only where the region has no employment in the sector (0 * 0 / 0) ...
    assert (m.to_numpy()[na] == 0).all()
    # ... where xlkg's documented rule gives 0 (reduced form x_ri F_ri A P / (x_i F_i A_r P_r)).
    assert (got.to_numpy()[na] == 0).all()
    np.testing.assert_allclose(got.to_numpy()[~na], ref.to_numpy()[~na], rtol=RTOL, atol=0)
    assert c["index"].reasons is None


def test_litzenberger_zero_rule_in_the_german_data():
    # Bremen (HB) has no employment in mining (WZ08-B) but 3 firms: REAT's index is NA there.
    _, _, c = _litz("REAT_G.regions.industries_emp2015")
    assert c["index"].values.loc["HB", "WZ08-B"] == 0
    assert c["size"].values.loc["HB", "WZ08-B"] == 0  # 0 employees / 3 firms: average size 0
    assert any("REAT gives NA" in n for n in c["index"].notes)


def test_litzenberger_hand_example():
    # 4x3 toy, A/S1: x=120, A_r=10000, A=75000, P_r=5e5, P=1.8e6, F=40, x_i=200, F_i=72
    # density (120/10000)/(200/75000) = 4.5; per capita (120/5e5)/(200/1.8e6) = 2.16;
    # size (120/40)/(200/72) = 1.08; index 4.5 * 2.16 / 1.08 = 9
    _, _, c = _litz("toy_xlkg_4x3_output")
    assert c["density"].values.loc["A", "S1"] == pytest.approx(4.5, rel=1e-12)
    assert c["per_capita"].values.loc["A", "S1"] == pytest.approx(2.16, rel=1e-12)
    assert c["size"].values.loc["A", "S1"] == pytest.approx(1.08, rel=1e-12)
    assert c["index"].values.loc["A", "S1"] == pytest.approx(9.0, rel=1e-12)


def test_litzenberger_no_firms_gives_reasoned_nan_for_size():
    m = pd.DataFrame({"S1": [10.0, 5.0], "S2": [5.0, 5.0]}, index=["R1", "R2"])
    firms = pd.DataFrame({"S1": [0.0, 1.0], "S2": [1.0, 1.0]}, index=["R1", "R2"])
    c = peers.litzenberger_components(m, pd.Series({"R1": 1.0, "R2": 1.0}), pd.Series({"R1": 1.0, "R2": 1.0}), firms)
    assert np.isnan(c["size"].values.loc["R1", "S1"])
    assert "no firms" in c["size"].reason_at("R1", "S1")
    assert c["index"].values.loc["R1", "S1"] == 0  # zero rule: no firms, nothing concentrated


def test_litzenberger_mismatched_firm_labels_named():
    m = matrix("toy_xlkg_4x3_output")
    attrs = read("toy_xlkg_4x3_output", "input_region_attrs.csv")
    firms = read("toy_xlkg_4x3_output", "input_firms.csv").rename(columns={"S3": "S9"})
    with pytest.raises(InputError, match="S3.*S9|S9.*S3"):
        peers.litzenberger(m, attrs["area_sqkm"], attrs["pop"], firms)


def test_eco_stars_hand_example():
    # 4x3 toy. Size share x_ri/x_i, 12 cells sorted: .05 .0556 .0909 .15 .1667 .2 .2273 .2727 .3333
    # .4091 .4444 .6; 90th percentile (PERCENTILE.INC) at position 9.9: .4091 + .9*(.4444-.4091) = .4409
    # -> size stars: A/S1 (.6), B/S2 (.4444).
    # Focus share x_ri/x_r sorted: .0909 .0909 .1429 .15 .2 .25 .2857 .4 .4 .5714 .6 .8182; cut at 9.9:
    # .5714 + .9*(.6-.5714) = .5971 -> focus stars: A/S1 (.6), C/S3 (.8182).
    # Specialisation LQ >= 2: C/S3 (2.2314) only.
    stars = peers.eco_stars(matrix("toy_xlkg_4x3_output")).values
    expected = pd.DataFrame({"S1": [2.0, 0, 0, 0], "S2": [0, 1.0, 0, 0], "S3": [0, 0, 2.0, 0]},
                            index=pd.Index(["A", "B", "C", "D"], name="region"))
    pd.testing.assert_frame_equal(stars, expected, check_dtype=False)


def test_us_strong_clusters_hand_example():
    # 4x3 toy, per sector over 4 regions, PERCENTILE.INC (position (n-1)q):
    # S1: LQ .2727 .6 .857 1.8 -> Q75 = .857 + .25*.943 = 1.093: only A (1.8);
    #     employment Q25 (10 30 40 120) = 25 < 120; firms Q25 (5 12 15 40) = 10.25 < 40 -> A strong.
    # S2: LQ Q75 = 1.333 + .25*.571 = 1.476: only B (1.905); emp Q25 (10 30 60 80) = 25 < 80;
    #     firms Q25 (6 10 25 30) = 9 < 30 -> B strong.
    # S3: LQ Q75 = 1.091 + .25*1.140 = 1.376: only C (2.231); emp Q25 (20 50 60 90) = 42.5 < 90;
    #     firms Q25 (8 20 22 30) = 17 < 30 -> C strong.
    out = peers.us_strong_clusters(matrix("toy_xlkg_4x3_output"), read("toy_xlkg_4x3_output", "input_firms.csv"))
    expected = pd.DataFrame({"S1": [1.0, 0, 0, 0], "S2": [0, 1.0, 0, 0], "S3": [0, 0, 1.0, 0]},
                            index=pd.Index(["A", "B", "C", "D"], name="region"))
    pd.testing.assert_frame_equal(out.values, expected, check_dtype=False)


def test_us_strong_requires_establishments_above_bottom_quartile():
    # Same toy, but A has only 5 firms in S1: firms Q25 of (5 15 5 12) = 5 + .75*0 = 5, and 5 > 5 fails.
    firms = read("toy_xlkg_4x3_output", "input_firms.csv").copy()
    firms.loc["A", "S1"] = 5
    out = peers.us_strong_clusters(matrix("toy_xlkg_4x3_output"), firms).values
    assert out.loc["A", "S1"] == 0


def test_peer_measures_refuse_negative_values():
    m = matrix("toy_xlkg_4x3_output").astype(float)
    m.loc["C", "S2"] = -1
    for f in (peers.hoover_specialization, peers.gini_lq, peers.herfindahl, peers.eco_stars):
        with pytest.raises(InputError, match=r"\(C, S2\)"):
            f(m)


def test_peer_measures_zero_region_gives_reasoned_nan():
    m = matrix("toy_xlkg_4x3_output").astype(float)
    m.loc["D"] = 0
    h = peers.hoover_specialization(m)
    assert np.isnan(h.values["D"]) and "region total is 0" in h.reason_at("D")
    assert np.isfinite(h.values[["A", "B", "C"]]).all()
    g = peers.gini_lq(m)
    assert np.isnan(g.values["D"]) and g.reason_at("D")
