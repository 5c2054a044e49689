"""From potential to clusters: the seed's Table 3.1 turned into its Figure 1, and checked against it.

Every Ki below is printed in the seed's Table 3.1 (xlkg/data/seed_table_3_1_cluster_potential.csv, read
by the test itself); the clusters of Figure 1 are the seed's (seed_figure_1_clusters.csv). The regions'
neighbourhood is the map of the Kyrgyz Republic: Batken borders only Osh oblast; Osh oblast borders
Batken, Jalal-Abad and Naryn; Chui borders Talas, Jalal-Abad, Naryn and Issyk-Kul; Bishkek lies inside
Chui, Osh city inside Osh oblast.
"""

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from xlkg.core import clusters
from xlkg.core.result import InputError
from xlkg.excel import udfs

DATA = Path(__file__).resolve().parents[1] / "xlkg" / "data"


def table_3_1() -> pd.DataFrame:
    with open(DATA / "seed_table_3_1_cluster_potential.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sectors = [c for c in rows[0] if c not in ("region_en", "region_ky")]
    return pd.DataFrame([[float(r[s]) if r[s] else math.nan for s in sectors] for r in rows],
                        index=[r["region_en"] for r in rows], columns=sectors)


def rows_of(frame, cluster):
    return [tuple(r) for r in frame[frame["cluster"] == cluster].drop(columns="cluster").itertuples(index=False)]


def test_proposal_from_table_3_1_groups_supporting_regions_by_neighbourhood():
    r = clusters.propose_clusters(table_3_1())
    v = r.values
    # food processing above 1 in Table 3.1: Chui 2.075, Bishkek 1.564, Talas 1.444 (Issyk-Kul 0.221 is not);
    # Bishkek lies inside Chui and Talas borders Chui: one group.
    assert rows_of(v, "cluster.agro_industrial") == [
        (1, "Chui oblast", "food_processing", 2.075),
        (1, "Bishkek city", "food_processing", 1.564),
        (1, "Talas oblast", "food_processing", 1.444),
    ]
    # building materials: Osh oblast 4.257 and Batken 2.895 border each other; Chui 1.775 borders neither.
    assert rows_of(v, "cluster.building_materials") == [
        (1, "Osh oblast", "building_materials", 4.257),
        (1, "Batken oblast", "building_materials", 2.895),
        (2, "Chui oblast", "building_materials", 1.775),
    ]
    # light industry: Bishkek 2.083 and Chui 1.069 (inside / around), Osh oblast 1.055 apart (METHODS' check).
    assert rows_of(v, "cluster.textile_garment") == [
        (1, "Bishkek city", "light_industry", 2.083),
        (1, "Chui oblast", "light_industry", 1.069),
        (2, "Osh oblast", "light_industry", 1.055),
    ]
    # fuel and energy = coke/refined petroleum + electricity: Chui's best is coke (3.889); the others'
    # electricity: Jalal-Abad 2.133, Talas 1.636, Naryn 1.585, Bishkek 1.287 all connect through Chui;
    # Osh city (2.297) lies inside Osh oblast, which has no Ki above 1 in these sectors: a group of its own,
    # ordered after group 1 whose best Ki is 3.889.
    assert rows_of(v, "cluster.fuel_energy") == [
        (1, "Chui oblast", "coke_refined_petroleum", 3.889),
        (1, "Jalal-Abad oblast", "electricity", 2.133),
        (1, "Talas oblast", "electricity", 1.636),
        (1, "Naryn oblast", "electricity", 1.585),
        (1, "Bishkek city", "electricity", 1.287),
        (2, "Osh city", "electricity", 2.297),
    ]
    assert r.notes == []


def test_figure_1_checked_against_the_numbers():
    v = clusters.compare_clusters(table_3_1()).values
    status = {(c, reg): s for c, reg, s in v[["cluster", "region", "status"]].itertuples(index=False)}
    # The seed puts Issyk-Kul in the agro-industrial cluster; its food-processing Ki is 0.221.
    assert status[("cluster.agro_industrial", "Issyk-Kul oblast")] == clusters.PROPOSAL_ONLY
    row = v[(v.cluster == "cluster.agro_industrial") & (v.region == "Issyk-Kul oblast")].iloc[0]
    assert row.potential == 0.221
    # Chui has building materials Ki 1.775 > 1, but Figure 1 names only Osh oblast and Batken.
    assert status[("cluster.building_materials", "Chui oblast")] == clusters.NUMBERS_ONLY
    assert status[("cluster.building_materials", "Osh oblast")] == clusters.SUPPORTED
    assert status[("cluster.building_materials", "Batken oblast")] == clusters.SUPPORTED
    # The textile-garment cluster (Chui, Bishkek, Osh oblast) is exactly the light-industry regions above 1.
    assert {reg for (c, reg), s in status.items() if c == "cluster.textile_garment"} == {
        "Chui oblast", "Bishkek city", "Osh oblast"}
    assert all(s == clusters.SUPPORTED for (c, _), s in status.items() if c == "cluster.textile_garment")
    # Every region the figure names is either supported or flagged; none is dropped.
    with open(DATA / "seed_figure_1_clusters.csv", encoding="utf-8") as f:
        named = sum(len(r["regions"].split(";")) for r in csv.DictReader(f))
    assert (v.status != clusters.NUMBERS_ONLY).sum() == named == 10


def test_threshold_moves_regions_in_and_out():
    # At 2.0 only Ki above 2 count: agro keeps Chui (2.075) alone; textile keeps Bishkek (2.083) alone.
    v = clusters.propose_clusters(table_3_1(), threshold=2.0).values
    assert list(v[v.cluster == "cluster.agro_industrial"].region) == ["Chui oblast"]
    assert list(v[v.cluster == "cluster.textile_garment"].region) == ["Bishkek city"]
    # At 5 only Jalal-Abad's mining (5.449) exceeds it, and mining is in no cluster type: nothing, and notes say so.
    r = clusters.propose_clusters(table_3_1(), threshold=5)
    assert r.values.empty and len(r.notes) == 4


def test_neighbour_groups_by_hand():
    # Batken - Osh oblast border; Issyk-Kul borders neither; Osh city lies inside Osh oblast.
    assert clusters.neighbour_groups(["Баткен облусу", "Иссык-Кульская область", "г. Ош", "Osh oblast"]) == [
        ["Баткен облусу", "г. Ош", "Osh oblast"], ["Иссык-Кульская область"]]
    # Talas and Naryn do not border each other, but both border Chui.
    assert clusters.neighbour_groups(["Talas", "Naryn"]) == [["Talas"], ["Naryn"]]
    assert clusters.neighbour_groups(["Talas", "Naryn", "Чүй облусу"]) == [["Talas", "Naryn", "Чүй облусу"]]
    # A label that is not a Kyrgyz region stays on its own.
    assert clusters.neighbour_groups(["Almaty", "Chui"]) == [["Almaty"], ["Chui"]]


def test_neighbour_catalogue_is_symmetric_and_connects_every_region():
    nb = clusters.neighbours()
    assert len(nb) == 9
    assert all(a in nb[b] for a in nb for b in nb[a])
    assert clusters.neighbour_groups(list(nb)) == [list(nb)]


def test_user_mapping_in_any_language_with_a_header():
    energy = "электр энергиясы, газ, буу жана кондицияланган аба менен камсыз кылуу; mining and quarrying"
    mapping = [["Кластер", "Отрасли"], ["Энергетика", energy]]
    v = clusters.propose_clusters(table_3_1(), mapping=mapping).values
    # Jalal-Abad: mining 5.449 beats its electricity 2.133; Batken's mining 2.553 (no electricity above 1).
    got = {reg: (sec, ki) for reg, sec, ki in v[["region", "sector", "potential"]].itertuples(index=False)}
    assert got["Jalal-Abad oblast"] == ("mining", 5.449)
    assert got["Batken oblast"] == ("mining", 2.553)
    assert set(v.cluster) == {"Энергетика"}


def test_bad_mapping_and_proposal_rows_are_named():
    with pytest.raises(InputError, match=r"mapping, row 2: expected a cluster type and its sector"):
        clusters.cluster_sectors([["A", "food_processing"], ["B", "x", "y"]])
    with pytest.raises(InputError, match=r"proposal, row 1"):
        clusters.compare_clusters(table_3_1(), proposal=[["only one cell"]])


def test_worksheet_functions_from_cells():
    with open(DATA / "seed_table_3_1_cluster_potential.csv", encoding="utf-8") as f:
        raw = list(csv.reader(f))
    # As a ministry sheet holds it: Kyrgyz names, dashes for "no such production", decimal commas as text.
    grid = [["Аймак"] + raw[0][2:]] + [[r[1]] + [x.replace(".", ",") if x else "-" for x in r[2:]] for r in raw[1:]]
    out = udfs.CLUSTERS(grid, None, 1, "ky")
    assert out[0] == ["Кластер", "Топ", "Аймак", "Тармак", "Ki"]
    assert out[1] == ["региондор аралык агроөнөр жай кластери", 1.0, "Чүй облусу", "food_processing", 2.075]
    check = udfs.CLUSTER_CHECK(grid, None, None, None, "en")
    issyk = [r for r in check if r[1] == "Ысык-Көл облусу"]
    assert issyk == [["inter-regional agro-industrial cluster", "Ысык-Көл облусу", "not supported by the numbers",
                      "food_processing", 0.221]]
    # A user's own proposal: one cluster, regions in Russian, separated by ";".
    mine = udfs.CLUSTER_CHECK(grid, [["Кластер", "Регионы"], ["Текстиль", "Чуйская область; г. Бишкек"]],
                              [["Текстиль", "light industry"]], 1, "ru")
    assert [r[1:3] for r in mine[1:]] == [["Чүй облусу", "подтверждено расчётом"],
                                          ["Бишкек ш.", "подтверждено расчётом"],
                                          ["Ош облусу", "поддержано расчётом, в предложении нет"]]


def test_regions_given_as_glossary_keys_match_the_figure():
    # The demo indexes Table 3.1 by region key ("region.bishkek"); Figure 1 names the same keys.
    t = table_3_1()
    from xlkg.core.regions import region_key
    t.index = [region_key(x) for x in t.index]
    v = clusters.compare_clusters(t).values
    textile = v[v.cluster == "cluster.textile_garment"]
    assert list(textile.region) == ["region.chui", "region.bishkek", "region.osh_oblast"]
    assert set(textile.status) == {clusters.SUPPORTED}


def test_a_proposed_region_missing_from_the_table_is_not_supported_and_shows_na():
    grid = [["Region", "light_industry"], ["Chui oblast", 1.069], ["Bishkek city", 2.083]]
    out = udfs.CLUSTER_CHECK(grid, [["Textile", "Chui; Osh oblast"]], [["Textile", "light_industry"]], 1, "en")
    # Osh oblast is proposed but the table has no row for it: not supported, no sector, no Ki (#N/A, not a blank).
    assert ["Textile", "Osh oblast", "not supported by the numbers", "#N/A", "#N/A"] in out
    assert ["Textile", "Bishkek city", "supported, left out of the proposal", "light_industry", 2.083] in out
