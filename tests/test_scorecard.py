"""The cluster scorecard computed for a hand-made cluster: 3 participants A, B, C; base and report year.

Inputs: every participant input is A=1, B=2, C=3 in the base year (sum 6) and A=2, B=3, C=4 in the
report year (sum 9), except those listed in OVERRIDES (tests/support/cluster.py). So every plain "sum" indicator is 6 -> 9:
change 3, growth 150 %, score 9/6 = 1.5 (more is better) or 6/9 = 0.6667 (less is better).
Two inputs are spoiled on purpose: C's report taxes "н/д" (missing) and B's base trademarks "abc" (bad).
Every expected value below is worked out by hand in its comment.
"""

import math

import pytest

from support.cluster import CONTEXT, P, cluster_cells  # the hand-made cluster
from xlkg.core.result import InputError
from xlkg.scorecard.compute import (
    SUBSYSTEMS,
    ClusterData,
    Indicator,
    compute_scorecard,
    load_indicators,
    membership_changes,
    score,
)

NAN = math.nan
# code: (base, report, score) — worked out by hand from the inputs above
EXPECTED = {
    # production factors
    "pf_fixed_assets": (6, 9, 1.5),
    "pf_working_capital": (6, 9, 1.5),
    "pf_payroll": (3.6, 5.04, 1.4),                      # 5.04 / 3.6
    "pf_local_raw": (6, 9, 1.5),
    "pf_headcount": (60, 70, 70 / 60),                   # 1.1667
    "pf_participants": (3, 3, 1.0),
    "pf_capacity": (300, 400, 400 / 300),
    "pf_raw_reserves": (6, 9, 1.5),
    "pf_wear": (40, 37.5, 40 / 37.5),                    # 40/100*100, 45/120*100; less is better: 1.0667
    "pf_renewal": (10, 15, 1.5),                         # 10/100*100, 18/120*100
    "pf_capacity_use": (60, 80, 80 / 60),                # 180/300*100, 320/400*100
    "pf_educated_share": (30, 40, 40 / 30),              # 18/60*100, 28/70*100
    # financial
    "fin_revenue": (200, 250, 1.25),
    "fin_result": (10, 10, 1.0),                         # 8-2+4, 10+1-1
    "fin_net_profit": (6, 12, 2.0),
    "fin_taxes": (6, NAN, NAN),                          # C's report taxes "н/д": no sum, no score
    "fin_export": (6, 9, 1.5),
    "fin_profitable": (2, 2, 1.0),                       # A, C in base; A, B in report
    "fin_loss_making": (1, 1, 1.0),                      # B in base, C in report
    "fin_receivables_days": (73, 58.4, 73 / 58.4),       # 40/200*365, 40/250*365; less is better: 1.25
    "fin_ros": (10, 10, 1.0),                            # 20/200*100, 25/250*100
    "fin_roa": (3, 5, 5 / 3),                            # 6/200*100, 12/240*100
    "fin_roe": (6, 10, 10 / 6),                          # 6/100*100, 12/120*100
    "fin_loss_share": (100 / 3, 100 / 3, 1.0),           # 1 of 3, 1 of 3
    "fin_equity_ratio": (50, 50, 1.0),                   # 100/200, 120/240
    "fin_current_ratio": (1, 1.5, 1.5),                  # working capital 6/6, 9/6
    # production
    "pr_output": (200, 250, 1.25),
    "pr_gva": (80, 100, 1.25),                           # 200-120, 250-150
    "pr_productivity": (200 * 1000 / 60, 250 * 1000 / 70, 15000 / 14000),  # 3333.3, 3571.4 th. KGS
    "pr_cost_per_som": (0.9, 0.9, 1.0),                  # 180/200, 225/250
    "pr_output_physical": (180, 320, 320 / 180),
    "pr_product_types": (6, 9, 1.5),
    "pr_volume_index": (NAN, 110, 1.1),                  # 220/200*100; report only; target 100
    "pr_share_region": (20, 20, 1.0),                    # 200/1000*100, 250/1250*100
    "pr_share_country": (5, 5, 1.0),                     # 200/4000*100, 250/5000*100
    "pr_va_share": (40, 40, 1.0),                        # 80/200*100, 100/250*100
    "pr_certified_share": (20, 30, 1.5),                 # 40/200*100, 75/250*100
    # socio-economic
    "se_wage": (5000, 6000, 1.2),                        # 3.6e6/12/60, 5.04e6/12/70 KGS a month
    "se_social": (6, 9, 1.5),
    "se_training_costs": (6, 9, 1.5),
    "se_jobs": (6, 9, 1.5),
    "se_trained": (6, 9, 1.5),
    "se_accidents": (1, 0, NAN),                         # less is better, fell to 0: no finite ratio
    "se_wage_relative": (50, 60, 1.2),                   # 5000/10000*100, 6000/10000*100
    "se_local_share": (60, 70, 70 / 60),                 # 36/60*100, 49/70*100
    "se_turnover": (15, 10, 1.5),                        # 9/60*100, 7/70*100; less is better: 15/10
    "se_emissions": (6, 9, 6 / 9),                       # less is better: 0.6667
    "se_energy_intensity": (1, 1, 1.0),                  # 200/200, 250/250
    # cooperative
    "co_supplies": (20, 30, 1.5),
    "co_joint_value": (6, 9, 1.5),
    "co_savings": (6, 9, 1.5),
    "co_agreements": (6, 9, 1.5),
    "co_joint_projects": (6, 9, 1.5),
    "co_sme_suppliers": (6, 9, 1.5),
    "co_supplies_share": (20, 25, 1.25),                 # 20/100*100, 30/120*100
    "co_local_content": (60, 60, 1.0),                   # 60/100*100, 72/120*100
    "co_density": (100 / 3, 200 / 3, 2.0),               # (2/2)/3*100, (4/2)/3*100; 3 possible links
    "co_sme_share": (200 / 3, 200 / 3, 1.0),
    # innovation
    "in_rnd_costs": (6, 9, 1.5),
    "in_innovation_costs": (1, 3, 3.0),
    "in_innovative_output": (10, 25, 2.5),
    "in_patents": (6, 9, 1.5),
    "in_utility_models": (6, 9, 1.5),
    "in_trademarks": (NAN, 9, NAN),                      # B's base trademarks "abc"
    "in_new_tech": (6, 9, 1.5),
    "in_joint_rnd": (6, 9, 1.5),
    "in_rnd_staff": (6, 9, 1.5),
    "in_innovative_share": (5, 10, 2.0),                 # 10/200*100, 25/250*100
    "in_active_share": (100 / 3, 200 / 3, 2.0),          # 1 of 3, 2 of 3 with innovation costs > 0
    "in_intensity": (0.5, 1.2, 2.4),                     # 1/200*100, 3/250*100
    # investment
    "iv_total": (20, 25, 1.25),
    "iv_fdi": (4, 5, 1.25),
    "iv_budget": (6, 9, 1.5),
    "iv_bank": (6, 9, 1.5),
    "iv_own": (6, 9, 1.5),
    "iv_state_support": (6, 9, 1.5),
    "iv_per_employee": (20 * 1000 / 60, 25 * 1000 / 70, 1500 / 1400),  # 333.3, 357.1 th. KGS
    "iv_projects": (6, 9, 1.5),
    "iv_new_capacity": (6, 9, 1.5),
    "iv_payback": (5, 3, 5 / 3),                         # 10/2, 12/4 years; less is better
    "iv_fdi_share": (20, 20, 1.0),                       # 4/20*100, 5/25*100
    "iv_rate": (10, 10, 1.0),                            # 20/200*100, 25/250*100
    "iv_roi": (30, 48, 1.6),                             # 6/20*100, 12/25*100
}


def make_data(**kw):
    return ClusterData.from_cells(cluster_cells(), context=CONTEXT, participants=P, **kw)


@pytest.fixture(scope="module")
def sc():
    return compute_scorecard(make_data())


def close(a, b):
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    return a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_every_catalogue_indicator_has_a_hand_worked_value():
    assert set(EXPECTED) == {i.code for i in load_indicators()}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_indicator_by_hand(sc, code):
    base, report, scr = EXPECTED[code]
    got = sc.indicators.values.loc[code]
    assert close(got["base"], float(base)), (code, "base", got["base"])
    assert close(got["report"], float(report)), (code, "report", got["report"])
    assert close(got["score"], float(scr)), (code, "score", got["score"])
    if not (math.isnan(base) or math.isnan(report)):
        assert close(got["change"], report - base)
        if base > 0:
            assert close(got["growth"], report / base * 100)


def test_change_and_growth_of_revenue(sc):
    # 200 -> 250: change +50, growth 125 %
    assert sc.indicators.values.loc["fin_revenue", "change"] == pytest.approx(50)
    assert sc.indicators.values.loc["fin_revenue", "growth"] == pytest.approx(125)
    # wear ratio (less is better) 40 -> 37.5: change -2.5, growth 37.5/40 = 93.75 %, score 40/37.5 = 16/15 > 1
    row = sc.indicators.values.loc["pf_wear"]
    assert (row["change"], row["growth"], row["score"]) == pytest.approx((-2.5, 93.75, 16 / 15))


def test_missing_and_bad_inputs_name_participant_and_input(sc):
    why = sc.indicators.reasons
    taxes = why.loc["fin_taxes", "report"]
    assert "C" in taxes and "taxes" in taxes and "н/д" in taxes and "report" in taxes
    assert why.loc["fin_taxes", "base"] is None
    tm = why.loc["in_trademarks", "base"]
    assert "B" in tm and "trademarks" in tm and "'abc' is not a number" in tm
    # the spoiled inputs spoil nothing else: the same participants' other inputs are used
    assert sc.indicators.values.loc["in_patents", "base"] == 6


def test_less_is_better_falling_to_zero_needs_a_cap(sc):
    assert "set a score cap" in sc.indicators.reasons.loc["se_accidents", "score"]
    capped = compute_scorecard(make_data(), cap=2.0)
    # accidents 1 -> 0 scores the cap 2; in_intensity 2.4, in_innovative_output 2.5, in_innovation_costs 3 capped to 2
    v = capped.indicators.values["score"]
    assert (v["se_accidents"], v["in_intensity"], v["in_innovative_output"], v["in_innovation_costs"]) == (2, 2, 2, 2)
    # socio-economic with the cap: (191/15 + 2) / 11 = (221/15) / 11 = 1.339394 (191/15 = 12.7333: see
    # test_subsystem_indices)
    assert capped.subsystems.values.loc["scorecard.socio_economic", "index"] == pytest.approx(221 / 15 / 11)


def test_subsystem_indices_and_coverage(sc):
    s = sc.subsystems.values
    # production factors: 1.5*5 (fixed assets, working capital, local raw, reserves, renewal) + 1.4 + 7/6 + 1
    #   + 40/37.5 + 4/3*3 = 13.9 + 35/30 + 32/30 = 242/15 = 16.1333; / 12 = 1.344444; all 12 scored
    assert s.loc["scorecard.production_factors", "index"] == pytest.approx(242 / 15 / 12)
    assert s.loc["scorecard.production_factors", "coverage"] == 1.0
    # financial: 1.25+1+2+1.5+1+1+1.25+1+5/3+5/3+1+1+1.5 = 15.5 + 10/3 = 101/6 = 16.8333 over 13 scored of 14
    # (taxes missing)
    assert s.loc["scorecard.financial", "index"] == pytest.approx(101 / 6 / 13)
    assert s.loc["scorecard.financial", "coverage"] == pytest.approx(13 / 14)
    assert (s.loc["scorecard.financial", "scored"], s.loc["scorecard.financial", "indicators"]) == (13, 14)
    # socio-economic: 1.2 + 1.5*4 + 1.5 (turnover) + 1.2 + 70/60 + 6/9 + 1 = 10.9 + 7/6 + 2/3 = 191/15 = 12.7333
    # over 10 of 11 (accidents)
    assert s.loc["scorecard.socio_economic", "index"] == pytest.approx(191 / 15 / 10)
    assert s.loc["scorecard.socio_economic", "coverage"] == pytest.approx(10 / 11)


def test_overall_index_with_weights():
    # two subsystems, two indicators each:
    #   production factors: headcount 60 -> 70 (7/6), fixed assets 6 -> 9 (1.5): index (7/6 + 1.5)/2 = 4/3
    #   financial: taxes (missing in report), revenue 200 -> 250 (1.25): index 1.25, coverage 1/2
    # weights 3 and 1: overall (3 * 4/3 + 1 * 1.25) / 4 = 5.25 / 4 = 1.3125; coverage 3 of 4 indicators
    inds = [
        Indicator("a", "scorecard.production_factors", "natural", "", "а", "a", "persons", 1, "sum(headcount)"),
        Indicator("b", "scorecard.production_factors", "value", "", "б", "b", "mln KGS", 1, "sum(fixed_assets_avg)"),
        Indicator("c", "scorecard.financial", "value", "", "в", "c", "mln KGS", 1, "sum(taxes)"),
        Indicator("d", "scorecard.financial", "value", "", "г", "d", "mln KGS", 1, "sum(revenue)"),
    ]
    sc = compute_scorecard(make_data(), indicators=inds, weights={"production_factors": 3, "financial": 1})
    assert sc.overall == pytest.approx(1.3125)
    assert sc.overall_coverage == pytest.approx(0.75)
    assert sc.subsystems.values.loc["scorecard.financial", "coverage"] == 0.5
    assert any("renormalised" in n for n in sc.notes)  # the five subsystems without indicators
    # equal weights: (4/3 + 1.25) / 2 = 1.291667
    sc2 = compute_scorecard(make_data(), indicators=inds)
    assert sc2.overall == pytest.approx((4 / 3 + 1.25) / 2)
    # a minimum coverage of 60 % drops financial (50 %): overall = production factors alone = 4/3
    sc3 = compute_scorecard(make_data(), indicators=inds, min_coverage=0.6)
    assert math.isnan(sc3.subsystems.values.loc["scorecard.financial", "index"])
    assert "below the minimum" in sc3.subsystems.reasons["scorecard.financial"]
    assert sc3.overall == pytest.approx(4 / 3)


def test_target_replaces_the_base():
    # revenue 250 against a target of 200: 1.25; receivables days 58.4 against a target of 73 (less is better): 1.25
    sc = compute_scorecard(make_data(), targets={"fin_revenue": 200, "fin_receivables_days": 73, "fin_ros": 12.5})
    v = sc.indicators.values["score"]
    assert v["fin_revenue"] == pytest.approx(1.25)
    assert v["fin_receivables_days"] == pytest.approx(1.25)
    assert v["fin_ros"] == pytest.approx(10 / 12.5)  # return on sales 10 % against 12.5 %: 0.8


def test_score_rules():
    assert score(4, 5, +1) == (1.25, None)
    assert score(4, 5, -1) == (0.8, None)
    assert score(0, 0, -1) == (1.0, None)   # no accidents in either year: no change
    assert score(0, 0, +1) == (1.0, None)
    v, why = score(-5, 10, +1)              # loss to profit: no ratio
    assert math.isnan(v) and "positive base" in why
    v, why = score(0, 3, +1)
    assert math.isnan(v) and why


def test_participant_absent_in_a_period_is_not_counted():
    cells = cluster_cells()
    cells["base"]["C"] = {}  # C joined the cluster in the report year
    data = ClusterData.from_cells(cells, context=CONTEXT, participants=P)
    sc = compute_scorecard(data)
    v = sc.indicators.values
    assert v.loc["pf_participants", "base"] == 2 and v.loc["pf_participants", "report"] == 3
    assert v.loc["pf_fixed_assets", "base"] == 3   # A 1 + B 2
    assert v.loc["co_density", "base"] == pytest.approx(100.0)  # links (1+1)/2 = 1 of 1 possible


def test_decimal_comma_and_spaces_are_numbers():
    cells = cluster_cells()
    cells["base"]["A"]["revenue"] = "100,0"
    cells["base"]["B"]["revenue"] = "5 0"  # spaces are thousands separators: 50
    sc = compute_scorecard(ClusterData.from_cells(cells, context=CONTEXT, participants=P))
    assert sc.indicators.values.loc["fin_revenue", "base"] == 200


def test_bad_arguments_are_refused_with_names():
    with pytest.raises(InputError, match="unknown subsystem 'finance'"):
        compute_scorecard(make_data(), weights={"finance": 2})
    with pytest.raises(InputError, match="weight must be a number >= 0"):
        compute_scorecard(make_data(), weights={"financial": -1})
    with pytest.raises(InputError, match="unknown indicator code 'nope'"):
        compute_scorecard(make_data(), targets={"nope": 1})
    bad = [Indicator("x", "scorecard.financial", "value", "", "x", "x", "", 1, "sum(nothing)")]
    with pytest.raises(InputError, match="unknown input 'nothing'"):
        compute_scorecard(make_data(), indicators=bad)
    bad = [Indicator("x", "scorecard.financial", "value", "", "x", "x", "", 1, "__import__('os')")]
    with pytest.raises(InputError, match="unknown function"):
        compute_scorecard(make_data(), indicators=bad)


def test_catalogue_is_consistent_and_complete():
    inds = load_indicators()
    assert {i.subsystem for i in inds} == set(SUBSYSTEMS)
    assert {i.measure_type for i in inds} == {"value", "natural", "percent"}
    # split rows of the starting catalogue: ROA / ROE, equity ratio; current ratio, profitable / loss-making
    codes = {i.code for i in inds}
    assert {"fin_roa", "fin_roe", "fin_equity_ratio", "fin_current_ratio", "fin_profitable", "fin_loss_making"} <= codes
    # Kyrgyz names fall back to Russian where none is given
    i = next(i for i in inds if i.code == "fin_roa")
    assert i.name("ky") == (i.ky or i.ru)


def _c_joins():
    cells = cluster_cells()
    cells["base"]["C"] = {}  # C joined the cluster in the report year
    return ClusterData.from_cells(cells, context=CONTEXT, participants=P)


def test_membership_change_is_noted_and_like_with_like_is_selectable():
    # Revenue (OVERRIDES): base A 100, B 50, C 50; report A 120, B 60, C 70. C reported nothing in the base.
    # all (default): base = A + B = 150, report = A + B + C = 250, growth 250 / 150 = 166.67 %.
    sc = compute_scorecard(_c_joins())
    v = sc.indicators.values.loc["fin_revenue"]
    assert v["base"] == 150 and v["report"] == 250 and v["growth"] == pytest.approx(250 / 150 * 100)
    assert any("participants changed between the periods (joined: C)" in n for n in sc.notes)
    # continuing: only A and B in both periods: 150 -> 180, growth 120 %, score 180 / 150 = 1.2.
    like = compute_scorecard(_c_joins(), membership="continuing")
    v = like.indicators.values.loc["fin_revenue"]
    assert v["base"] == 150 and v["report"] == 180
    assert v["growth"] == pytest.approx(120.0) and v["score"] == pytest.approx(1.2)
    assert like.indicators.values.loc["pf_participants", "report"] == 2  # count(): A and B only
    assert any("like with like: both periods count only the 2 participant(s)" in n and "joined: C" in n
               for n in like.notes)
    # Russian and Kyrgyz words for the option; anything else is refused with the choices.
    assert compute_scorecard(_c_joins(), membership="туруктуу курам").indicators.values.loc[
        "fin_revenue", "report"] == 180
    with pytest.raises(InputError, match="membership: 'some'; expected 'all'"):
        compute_scorecard(_c_joins(), membership="some")


def test_no_membership_note_when_the_participants_are_the_same(sc):
    assert not any("participants changed" in n or "did you mean" in n for n in sc.notes)


def test_a_participant_renamed_between_the_sheets_gets_a_did_you_mean_hint():
    cells = cluster_cells()
    # The base sheet spells B «Ак-Жөл» ЖЧК, the report sheet Ак Жол ЖЧК: the same firm once the quotes,
    # the hyphen and the Kyrgyz letter ө (о in Russian spelling) are set aside.
    old, new = "«Ак-Жөл» ЖЧК", "Ак Жол ЖЧК"
    cells["base"][old] = cells["base"].pop("B")
    cells["report"][new] = cells["report"].pop("B")
    data = ClusterData.from_cells(cells, context=CONTEXT, participants=["A", old, new, "C"])
    assert membership_changes(data) == ([new], [old], [(new, old)])
    sc = compute_scorecard(data)
    hint = [n for n in sc.notes if n.startswith("did you mean")]
    expected = (f"did you mean '{old}'? '{new}' (report) and '{old}' (base) look like one participant renamed: "
                "use one name in both sheets, or it counts as one leaving and one joining")
    assert hint == [expected]
    # Two different firms are not taken for one: no hint.
    cells2 = cluster_cells()
    cells2["base"]["Кара-Балта тигүү"] = cells2["base"].pop("B")
    cells2["report"]["Ош агро"] = cells2["report"].pop("B")
    data2 = ClusterData.from_cells(cells2, context=CONTEXT, participants=["A", "Кара-Балта тигүү", "Ош агро", "C"])
    assert membership_changes(data2)[2] == []
