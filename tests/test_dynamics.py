"""Dynamics and structure: every figure of methods section 6, from the seed's Tables 2.1 and 2.2."""

import numpy as np
import pandas as pd
import pytest

from conftest import PACKAGE_DATA
from xlkg.core import dynamics
from xlkg.core.result import InputError

YEARS = ["2015", "2016", "2017", "2018", "2019"]


@pytest.fixture
def t21():
    t = pd.read_csv(PACKAGE_DATA / "seed_table_2_1_gross_output.csv", index_col="activity_code")
    return t[YEARS]


@pytest.fixture
def t22():
    t = pd.read_csv(PACKAGE_DATA / "seed_table_2_2_financial_result.csv", index_col="activity_code")
    return t[YEARS]


def test_industry_total_base_and_chain_growth(t21):
    # 283 971.7 / 181 026.7 * 100 = 156.87 -> 156.9%; 283 971.7 / 257 348.5 * 100 = 110.35 -> 110.3%
    assert round(dynamics.base_growth(t21).values.loc["BCDE", "2019"], 1) == 156.9
    assert round(dynamics.chain_growth(t21).values.loc["BCDE", "2019"], 1) == 110.3


def test_industry_total_increases(t21):
    # 283 971.7 - 181 026.7 = +102 945.0; 283 971.7 - 257 348.5 = +26 623.2 (mln som)
    assert dynamics.base_increase(t21).values.loc["BCDE", "2019"] == pytest.approx(102945.0, abs=1e-6)
    assert dynamics.chain_increase(t21).values.loc["BCDE", "2019"] == pytest.approx(26623.2, abs=1e-6)
    assert dynamics.format_number(102945.0, "en", sign=True) == "+102 945.0"
    assert dynamics.format_number(26623.2, "ru", sign=True) == "+26 623,2"


def test_sector_growth_2019_vs_2015_as_printed(t21):
    # Mining 19 563.6 / 7 913.8 = 2.47 -> "2.5 times"; manufacturing 224 527.0 / 140 604.2 = 159.7%;
    # electricity 36 881.9 / 30 856.4 = 119.5%; water 2 999.2 / 1 652.3 = 181.5%
    g = dynamics.base_growth(t21).values["2019"]
    assert dynamics.format_growth(g, "en").to_dict() == {
        "B": "2.5 times", "C": "159.7%", "D": "119.5%", "E": "181.5%", "BCDE": "156.9%"}
    assert dynamics.format_growth(g["B"], "ky") == "2,5 эсе"
    assert dynamics.format_growth(g["B"], "ru") == "в 2,5 раза"
    assert dynamics.format_growth(g["C"], "ru") == "159,7%"
    # the printed column of the seed table says the same
    seed = pd.read_csv(PACKAGE_DATA / "seed_table_2_1_gross_output.csv", index_col="activity_code")
    assert seed.loc["B", "ratio_2019_to_2015_printed"] == "2.5x"
    for code in ["C", "D", "E", "BCDE"]:
        assert dynamics.format_growth(g[code], "en") == seed.loc[code, "ratio_2019_to_2015_printed"]


def test_manufacturing_share_2019(t21):
    # 224 527.0 / 283 971.7 * 100 = 79.07 -> 79.1%
    s = dynamics.shares(t21, total_row="BCDE")
    assert round(s.values.loc["C", "2019"], 1) == 79.1
    assert s.values.loc["BCDE", "2019"] == 100.0
    # with the total given explicitly, the same
    s2 = dynamics.shares(t21.drop(index="BCDE"), total=t21.loc["BCDE"])
    assert round(s2.values.loc["C", "2019"], 1) == 79.1
    # the four sections sum to the total, so the default (sum of rows) gives the same share
    s3 = dynamics.shares(t21.drop(index="BCDE"))
    assert round(s3.values.loc["C", "2019"], 1) == 79.1


def test_table_2_1_sections_add_up_to_total_within_rounding(t21):
    # 2018: 16 047.0 + 199 898.1 + 38 539.7 + 2 863.8 = 257 348.6 against a printed 257 348.5: the
    # published figures are rounded to 0.1, every other year adds up exactly.
    gap = dynamics.check_total(t21, "BCDE").values
    np.testing.assert_allclose(gap.drop("2018").to_numpy(), 0, atol=1e-6)
    assert gap["2018"] == pytest.approx(-0.1, abs=1e-6)


def test_table_2_2_sections_sum_to_total(t22):
    # e.g. 2015: -8 200.3 + 572.9 - 14 680.0 - 213.2 = -22 520.6, the printed total (loss)
    gap = dynamics.check_total(t22, "BCDE")
    np.testing.assert_allclose(gap.values.to_numpy(), 0, atol=1e-6)
    assert list(gap.values.index) == YEARS


def test_check_total_reports_a_gap():
    t = pd.DataFrame({"2018": [10.0, 4.0, 5.0]}, index=["Total", "a", "b"])
    assert dynamics.check_total(t, "Total").values["2018"] == pytest.approx(1.0)


def test_times_wording():
    # 500% -> 5 times: Russian "в 5 раз" (5 takes "раз"), 300% -> "в 3 раза", 2 200% -> "в 22 раза"
    assert dynamics.format_growth(500, "ru", decimals=0) == "в 5 раз"
    assert dynamics.format_growth(300, "ru", decimals=0) == "в 3 раза"
    assert dynamics.format_growth(2200, "ru", decimals=0) == "в 22 раза"
    assert dynamics.format_growth(1200, "ru", decimals=0) == "в 12 раз"
    assert dynamics.format_growth(200, "en") == "2.0 times"
    assert dynamics.format_growth(199.96, "en") == "200.0%"  # below 200: still a percentage
    assert dynamics.format_growth(np.nan, "en") is None
    with pytest.raises(InputError, match=r'^lang: expected "ky", "ru" or "en", got "de"$'):
        dynamics.format_growth(150, "de")


def test_growth_zero_base_and_missing_values():
    t = pd.DataFrame({"2018": [0.0, 5.0, np.nan], "2019": [3.0, np.nan, 4.0]}, index=["a", "b", "c"])
    g = dynamics.base_growth(t)
    assert np.isnan(g.values.loc["a", "2019"]) and "base period 2018 is 0" in g.reason_at("a", "2019")
    assert np.isnan(g.values.loc["b", "2019"]) and g.reason_at("b", "2019") == "no data"
    assert np.isnan(g.values.loc["c", "2019"]) and "base period" in g.reason_at("c", "2019")
    c = dynamics.chain_growth(t)
    assert c.reason_at("a", "2018") == "no previous period"
    assert "previous period is 0" in c.reason_at("a", "2019")
    assert not np.isinf(c.values.to_numpy()).any()


def test_growth_base_period_and_series_input(t21):
    # Manufacturing vs 2018: 224 527.0 / 199 898.1 * 100 = 112.32
    g = dynamics.base_growth(t21.loc["C"], base="2018")
    assert g.values["2019"] == pytest.approx(224527.0 / 199898.1 * 100, rel=1e-12)
    with pytest.raises(InputError, match="2010"):
        dynamics.base_growth(t21, base="2010")


def test_growth_refuses_negative_but_increase_accepts(t22):
    with pytest.raises(InputError, match=r"negative value at \(BCDE, 2015\)"):
        dynamics.base_growth(t22)
    # Table 2.2, industry: 22 326.4 - (-22 520.6) = 44 847.0
    assert dynamics.base_increase(t22).values.loc["BCDE", "2019"] == pytest.approx(44847.0, abs=1e-6)
