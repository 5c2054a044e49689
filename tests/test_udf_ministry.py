"""The worksheet functions called as Excel calls them, with what ministry workbooks really hold.

Rows are lists of cells as xlwings delivers them (ndim=2): None for a blank, float for a number, str for
text. Numbers are typed as text with a decimal comma and (no-break) spaces next to real numbers; "-" and
"–" mean "no such production", "н/д" and "…" no data; region names come in Kyrgyz in one table and
Russian in another.

Worked example used below (output, regions x sectors; a dash is "no such production" = 0):

                 Тоо-кен  Иштетүү  Энергетика   x_r
    Баткен облусу    600        -         400    1000
    Чүй облусу      1000     3000        1000    5000
    Ош облусу        400     2000           –    2400
    x_i             2000     5000        1400    x = 8400

Localization Kl = (x_ri / x_r) / (x_i / x), with x / x_i = 4.2 (mining), 1.68 (manufacturing), 6 (energy):
    Баткен: 0.6 * 4.2 = 2.52     0 * 1.68 = 0          0.4 * 6 = 2.4
    Чүй:    0.2 * 4.2 = 0.84     0.6 * 1.68 = 1.008    0.2 * 6 = 1.2
    Ош:     (1/6) * 4.2 = 0.7    (5/6) * 1.68 = 1.4    0 * 6 = 0
"""

from __future__ import annotations

import pytest

from xlkg.core import rating
from xlkg.excel import registry, udfs

NB = "\u00a0"  # no-break space, as Excel's number formats put in text copies

OUTPUT = [
    ["Аймак", "Тоо-кен", "Иштетүү", "Энергетика"],
    ["Баткен облусу", "600,0", "-", 400.0],
    ["Чүй облусу", f"1{NB}000", 3000.0, "1 000,0"],
    ["Ош облусу", 400.0, "2 000", "–"],
]
LQ = {
    "Баткен облусу": [2.52, 0.0, 2.4],
    "Чүй облусу": [0.84, 1.008, 1.2],
    "Ош облусу": [0.7, 1.4, 0.0],
}
# the same table with its national-total row and regional-total column, as the statistics committee prints it
OUTPUT_WITH_TOTALS = [
    ["Аймак", "Тоо-кен", "Иштетүү", "Энергетика", "Бардыгы"],
    ["Баткен облусу", "600,0", "-", 400.0, "1 000"],
    ["Чүй облусу", f"1{NB}000", 3000.0, "1 000,0", 5000.0],
    ["Ош облусу", 400.0, "2 000", "–", "2 400,0"],
    ["Кыргыз Республикасы", 2000.0, "5 000", "1 400", "8 400"],
]
# population in Russian, with the national row (thousand people)
POPULATION_RU = [
    ["Регион", "Население"],
    ["Баткенская область", "500,0"],
    ["Чуйская область", f"1{NB}000"],
    ["Ошская область", 1500.0],
    ["Кыргызская Республика", "7 000"],
]


def _dict(block):
    header, *rows = block
    return header, {r[0]: r[1:] for r in rows}


def _message(block) -> str:
    """A message block: one column (a message over 255 characters continues on the rows below)."""
    assert all(len(row) == 1 for row in block), f"expected a one-column message, got {block}"
    assert all(len(row[0]) <= 255 for row in block)
    return registry.message_text(block)


def _assert_block(block, expected, rel=1e-9):
    header, got = _dict(block)
    assert set(got) == set(expected)
    for region, values in expected.items():
        for g, e in zip(got[region], values, strict=True):
            assert g == "#N/A" if e is None else g == pytest.approx(e, rel=rel, abs=1e-12), (region, got[region])


# ---------------------------------------------------------------------------------------------
# a dash: missing by default, "no such production" (0) on request


def test_a_dash_without_totals_gives_one_message_saying_what_to_do():
    msg = _message(udfs.LOCALIZATION(OUTPUT))
    # names the function, the argument, the cell and both remedies
    assert msg.startswith("LOCALIZATION: values:")
    assert "row 2 'Баткен облусу', column 3 'Иштетүү'" in msg and "'-'" in msg
    assert 'dash "zero"' in msg and "region_totals" in msg and "Кыргыз Республикасы" in msg


def test_dash_zero_reads_a_dash_as_no_such_production():
    _assert_block(udfs.LOCALIZATION(OUTPUT, None, None, "zero"), LQ)
    # the Kyrgyz word, the Russian word and a 0 in a cell mean the same
    for word in ("нөл", "ноль", 0.0, [["zero"]]):
        _assert_block(udfs.LOCALIZATION(OUTPUT, None, None, word), LQ)


def test_dash_missing_is_the_default_and_other_words_are_refused():
    assert udfs.LOCALIZATION(OUTPUT, None, None, "missing") == udfs.LOCALIZATION(OUTPUT)
    msg = _message(udfs.LOCALIZATION(OUTPUT, None, None, "yes"))
    assert "dash" in msg and '"zero"' in msg and '"yes"' in msg
    # a language typed where dash now stands (the argument after sector_totals) is named as such
    msg = _message(udfs.LOCALIZATION(OUTPUT, None, None, "en"))
    assert "dash" in msg and "language" in msg


def test_with_printed_totals_a_dash_spoils_only_its_own_cell():
    # the totals come from the "Бардыгы" column and the "Кыргыз Республикасы" row: every other
    # coefficient is the worked example's; the two dash cells show #N/A (default), or 0 with dash "zero"
    expected = {k: list(v) for k, v in LQ.items()}
    expected["Баткен облусу"][1] = None
    expected["Ош облусу"][2] = None
    _assert_block(udfs.LOCALIZATION(OUTPUT_WITH_TOTALS), expected)
    _assert_block(udfs.LOCALIZATION(OUTPUT_WITH_TOTALS, None, None, "zero", "ky"), LQ)


def test_localization_mean_takes_dash_zero_as_a_trailing_option():
    # the same table on two bases: the mean of equal coefficients is the coefficient (both means)
    _assert_block(udfs.LOCALIZATION_MEAN(OUTPUT, OUTPUT, "dash=zero"), LQ)
    _assert_block(udfs.LOCALIZATION_MEAN(OUTPUT, OUTPUT, "geometric", [["dash=zero"]]), LQ)
    _assert_block(udfs.LOCALIZATION_MEAN(OUTPUT, OUTPUT, "dash = zero", "geometric"), LQ)
    msg = _message(udfs.LOCALIZATION_MEAN(OUTPUT, OUTPUT))
    assert "base 1" in msg and '"dash=zero"' in msg
    msg = _message(udfs.LOCALIZATION_MEAN(OUTPUT, "dash=maybe"))
    assert "dash" in msg and '"maybe"' in msg
    msg = _message(udfs.LOCALIZATION_MEAN(OUTPUT, "dush=zero"))
    assert "unknown option" in msg and '"dush=zero"' in msg


def test_per_capita_matches_russian_population_to_kyrgyz_rows_and_takes_dash():
    # Kdp = (x_ri / x_i) / (P_r / P), P = 7000 from the national row:
    #   Баткен, mining: (600/2000) / (500/7000) = 0.3 * 14 = 4.2
    #   Чүй, manufacturing: (3000/5000) / (1000/7000) = 0.6 * 7 = 4.2
    #   Ош, manufacturing: (2000/5000) / (1500/7000) = 0.4 * 14/3 = 1.8666...
    #   Ош, energy: 0 (a dash, read as 0)
    header, got = _dict(udfs.PER_CAPITA(OUTPUT, POPULATION_RU, "zero"))
    assert header[1:] == ["Тоо-кен", "Иштетүү", "Энергетика"]
    assert got["Баткен облусу"][0] == pytest.approx(4.2)
    assert got["Чүй облусу"][1] == pytest.approx(4.2)
    assert got["Ош облусу"][1] == pytest.approx(0.4 * 14 / 3)
    assert got["Ош облусу"][2] == 0.0
    # by default the dashes are missing: the national sums x_i of manufacturing and energy cannot be
    # formed (the table has no national row), so those two columns are #N/A; mining is complete
    _, got = _dict(udfs.PER_CAPITA(OUTPUT, POPULATION_RU))
    assert got["Баткен облусу"] == [pytest.approx(4.2), "#N/A", "#N/A"]
    assert got["Ош облусу"][1:] == ["#N/A", "#N/A"]


def test_population_with_a_unit_line_under_its_header():
    pop = [POPULATION_RU[0], [None, "миң адам / тыс. чел."]] + POPULATION_RU[1:]
    _, got = _dict(udfs.PER_CAPITA(OUTPUT, pop, "zero"))
    assert got["Баткен облусу"][0] == pytest.approx(4.2)


def test_a_region_missing_from_population_is_named():
    pop = [r for r in POPULATION_RU if not r[0].startswith("Ош")]
    msg = _message(udfs.PER_CAPITA(OUTPUT, pop, "zero"))
    assert "population" in msg and "'Ош облусу'" in msg


def test_osh_city_is_not_osh_oblast():
    rows = [r[:] for r in OUTPUT]
    rows[3][0] = "Ош шаары"
    msg = _message(udfs.PER_CAPITA(rows, POPULATION_RU, "zero"))
    assert "'Ош шаары'" in msg and "Ошская область" in msg


def test_a_gap_in_population_without_a_national_row_names_that_cell():
    pop = [r for r in POPULATION_RU if "Республика" not in r[0]]
    pop[1] = ["Баткенская область", "н/д"]
    msg = _message(udfs.PER_CAPITA(OUTPUT, pop, "zero"))
    assert msg.startswith("PER_CAPITA: population:")
    assert "'Баткенская область'" in msg and "н/д" in msg and "Кыргыз Республикасы" in msg


def test_specialization_with_grp_equal_to_the_industry_totals_is_the_localization():
    # Y_r = x_r (1000, 5000, 2400; "#DIV/0!"-free), Y = 8400: Ks = (x_ri/x_i)/(x_r/x) = Kl
    grp = [["Регион", "ВРП"], ["Баткенская область", "1 000"], ["Чуйская область", 5000.0], ["Ошская область", "2400,0"]]
    _assert_block(udfs.SPECIALIZATION(OUTPUT, grp, None, None, "zero"), LQ)
    grp[2] = ["Чуйская область", "#DIV/0!"]
    msg = _message(udfs.SPECIALIZATION(OUTPUT, grp, None, None, "zero"))
    assert msg.startswith("SPECIALIZATION: grp:") and "'Чуйская область'" in msg and "#DIV/0!" in msg


def test_peer_functions_take_dash():
    # Hoover H_r = 1/2 sum_i |x_ri/x_r - x_i/x|; national shares (2000, 5000, 1400)/8400:
    #   Баткен: 1/2 (|0.6 - 5/21| + |0 - 25/42| + |0.4 - 1/6|) = 1/2 (0.361905 + 0.595238 + 0.233333) = 0.595238
    #   Чүй:    1/2 (|0.2 - 5/21| + |0.6 - 25/42| + |0.2 - 1/6|) = 1/2 (0.038095 + 0.004762 + 0.033333) = 0.038095
    header, got = _dict(udfs.PEER_INDEX(OUTPUT, "hoover", "zero", "en"))
    assert header == ["Region", "Hoover specialization"]
    assert got["Баткен облусу"][0] == pytest.approx(0.5 * (0.6 - 5 / 21 + 25 / 42 + 0.4 - 1 / 6))
    assert got["Чүй облусу"][0] == pytest.approx(0.5 * (5 / 21 - 0.2 + 0.6 - 25 / 42 + 0.2 - 1 / 6))
    for block in (udfs.PEER_INDEX(OUTPUT, "hoover"), udfs.ECO_STARS(OUTPUT), udfs.STRONG_CLUSTER(OUTPUT, OUTPUT)):
        assert 'dash "zero"' in _message(block)
    for block in (udfs.ECO_STARS(OUTPUT, "zero"), udfs.STRONG_CLUSTER(OUTPUT, OUTPUT, "zero")):
        assert len(block) == 4 and all(len(r) == 4 for r in block)
        assert all(isinstance(v, float) for r in block[1:] for v in r[1:])
    # ECO stars with the dashes read as 0 (90th percentile of the 9 cells, PERCENTILE.INC:
    # sorted[7] + 0.2 (sorted[8] - sorted[7])); a cell without output gets no star:
    #   size x_ri/x_i: Баткен .3 0 2/7, Чүй .5 .6 5/7, Ош .2 .4 0 -> cut .6 + .2 (5/7 - .6) = .623: Чүй/energy
    #   focus x_ri/x_r: Баткен .6 0 .4, Чүй .2 .6 .2, Ош 1/6 5/6 0 -> cut .6 + .2 (5/6 - .6) = .647: Ош/manufacturing
    #   specialisation LQ >= 2: Баткен/mining 2.52, Баткен/energy 2.4
    _, got = _dict(udfs.ECO_STARS(OUTPUT, "zero"))
    assert got == {"Баткен облусу": [1, 0, 1], "Чүй облусу": [0, 0, 1], "Ош облусу": [0, 1, 0]}
    # strong clusters, the output table standing in for the establishments too (PERCENTILE.INC over 3 regions:
    # 75th = s[1] + .5 (s[2] - s[1]), 25th = s[0] + .5 (s[1] - s[0])):
    #   mining: LQ cut .84 + .5 (2.52 - .84) = 1.68 -> Баткен; x 600 > 500 (400 + .5*200) -> strong
    #   manufacturing: LQ cut 1.008 + .5 (1.4 - 1.008) = 1.204 -> Ош; x 2000 > 1000 (0 + .5*2000) -> strong
    #   energy: LQ cut 1.2 + .5 (2.4 - 1.2) = 1.8 -> Баткен; x 400 > 200 (0 + .5*400) -> strong
    _, got = _dict(udfs.STRONG_CLUSTER(OUTPUT, OUTPUT, "zero"))
    assert got == {"Баткен облусу": [1, 0, 1], "Чүй облусу": [0, 0, 0], "Ош облусу": [0, 1, 0]}


def test_litzenberger_takes_dash_for_both_tables():
    area = [["Аймак", "км2"], ["Баткен облусу", 17000], ["Чүй облусу", 20000], ["Ош облусу", 29000]]
    firms = [["Аймак", "Тоо-кен", "Иштетүү", "Энергетика"], ["Баткен облусу", 3, "-", 2],
             ["Чүй облусу", 5, 10, 4], ["Ош облусу", 2, 8, "-"]]
    # by default the sectors holding a dash have no national sum: their columns are #N/A, mining is computed
    _, got = _dict(udfs.LITZENBERGER(OUTPUT, area, POPULATION_RU, firms))
    assert [got[r][1:] for r in LQ] == [["#N/A", "#N/A"]] * 3 and isinstance(got["Чүй облусу"][0], float)
    # Чүй, mining (no dash in that column): x = 1000, F = 5, x_i = 2000, F_i = 3 + 5 + 2 = 10, A / A_r = 66000 / 20000,
    # P / P_r = 7000 / 1000: (5000 / 20000) * 3.3 * 7 = 5.775
    assert got["Чүй облусу"][0] == pytest.approx(5.775)
    header, got = _dict(udfs.LITZENBERGER(OUTPUT, area, POPULATION_RU, firms, "zero"))
    # CI = (x_ri F_ri / (x_i F_i)) (A / A_r) (P / P_r); Чүй, manufacturing: x = 3000, F = 10, x_i = 5000,
    # F_i = 0 + 10 + 8 = 18, A = 17000 + 20000 + 29000 = 66000 (sum), A_r = 20000, P = 7000 (national row),
    # P_r = 1000: (30000 / 90000) * 3.3 * 7 = 7.7
    assert got["Чүй облусу"][1] == pytest.approx(7.7)
    # Баткен, manufacturing: no production and no firms: 0 by the documented zero rule of the index
    assert got["Баткен облусу"][1] == 0.0


# ---------------------------------------------------------------------------------------------
# layout habits of ministry tables


def test_merged_two_row_header_and_a_larger_selection():
    merged = [["Аймак", "Өнөр жай", None, None], [None, "Тоо-кен", "Иштетүү", "Энергетика"]] + OUTPUT[1:]
    header, _ = _dict(udfs.LOCALIZATION(merged, None, None, "zero"))
    assert header[1:] == ["Өнөр жай / Тоо-кен", "Өнөр жай / Иштетүү", "Өнөр жай / Энергетика"]
    _assert_block(udfs.LOCALIZATION(merged, None, None, "zero"), LQ)
    # the user selected two spare columns and three spare rows
    bigger = [r + [None, None] for r in OUTPUT] + [[None] * 6 for _ in range(3)]
    _assert_block(udfs.LOCALIZATION(bigger, None, None, "zero"), LQ)


def test_one_cell_and_one_row_selections_are_explained():
    for rows in ([[5.0]], [["Аймак", "Тоо-кен", "Иштетүү"]]):
        msg = _message(udfs.LOCALIZATION(rows))
        assert "values" in msg and "2 x 2" in msg


def test_error_values_spoil_only_their_cells_when_totals_are_printed():
    rows = [r[:] for r in OUTPUT_WITH_TOTALS]
    rows[2][1] = "#N/A"      # Чүй, mining
    rows[3][2] = "#DIV/0!"   # Ош, manufacturing
    expected = {k: list(v) for k, v in LQ.items()}
    expected["Чүй облусу"][0] = None
    expected["Ош облусу"][1] = None
    _assert_block(udfs.LOCALIZATION(rows, None, None, "zero"), expected)


def test_one_region_twice_in_two_languages_is_refused():
    rows = OUTPUT + [["Чуйская область", 1.0, 1.0, 1.0]]
    msg = _message(udfs.LOCALIZATION(rows, None, None, "zero"))
    assert "'Чүй облусу'" in msg and "'Чуйская область'" in msg and "same region" in msg


def test_a_message_passed_on_to_the_next_function_is_shown_there():
    msg = _message(udfs.CLUSTER_POTENTIAL(udfs.LOCALIZATION(OUTPUT), udfs.LOCALIZATION(OUTPUT),
                                          udfs.LOCALIZATION(OUTPUT)))
    assert msg.startswith("CLUSTER_POTENTIAL: localization_kl:") and "LOCALIZATION: values:" in msg


# ---------------------------------------------------------------------------------------------
# DYNAMICS: a total row under its own label, years under a merged cell, dashes


def test_growth_shares_use_a_total_row_that_is_not_a_recognised_label():
    # "Өнөр жай, бардыгы" = a + b in every year: it is the total, not a third item.
    # shares 2016: a = 50/110 = 45.45...%, b = 60/110 = 54.54...%; the total 100%
    rows = [["Көрсөткүч", "Жылдар", None], [None, 2015, 2016],
            ["Өнөр жай, бардыгы", "100,0", 110.0], ["a", 40.0, "50"], ["b", "60", 60.0]]
    header, got = _dict(udfs.DYNAMICS(rows, "share"))
    assert header[1:] == ["2015", "2016"]   # the years, not "Жылдар / 2015"
    assert got["a"] == [pytest.approx(40.0), pytest.approx(50 / 1.1)]
    assert got["Өнөр жай, бардыгы"] == [pytest.approx(100.0), pytest.approx(100.0)]
    # base growth 2016/2015 of a: 50/40 = 125%
    header, got = _dict(udfs.DYNAMICS(rows, "summary", None, None, None, "en"))
    assert header[1] == "Base growth 2016/2015, %" and got["a"][0] == pytest.approx(125.0)


def test_growth_takes_dash():
    rows = [["", 2015, 2016], ["a", "-", 5.0], ["b", 10.0, "20,0"]]
    # increases 2016 - 2015: a = 5 - 0 = 5 with dash "zero", #N/A by default; b = 10
    _, got = _dict(udfs.DYNAMICS(rows, "increase", None, None, "zero"))
    assert got["a"][1] == 5.0 and got["b"][1] == 10.0
    _, got = _dict(udfs.DYNAMICS(rows, "increase"))
    assert got["a"][1] == "#N/A" and got["b"][1] == 10.0


# ---------------------------------------------------------------------------------------------
# the rating over several years: bilingual headers


@pytest.mark.parametrize("region_header,year_header", [
    ("Аймак / Регион", "Жыл / Год"),
    ("Region / Регион", "Year/Год/Жыл"),
    ("Регион (Аймак)", "Жыл\nГод"),
])
def test_long_table_accepts_bilingual_headers(region_header, year_header):
    # ВРП 2018: Баткен 1, Чүй 2 -> scores 0.5, 1 (x/max), ranks 2, 1; 2019: 2, 1 -> ranks 1, 2;
    # rank change first -> last year: Баткен 2 -> 1 (+1), Чүй 1 -> 2 (-1)
    data = [[region_header, year_header, "ВРП"], ["Баткен облусу", 2018, 1.0], ["Чүй облусу", 2018, "2,0"],
            ["Баткенская область", 2019, "2"], ["Чуйская область", 2019, 1.0]]
    long = rating.long_table_from_rows(data)
    assert list(long.columns) == ["region", "year", "ВРП"]
    header, got = _dict(udfs.REGION_RATING_YEARS(data, None, None, None, None, None, "all", "ru"))
    assert got["Баткен облусу"][header.index("Место 2018") - 1] == 2.0
    assert got["Баткен облусу"][header.index("Место 2019") - 1] == 1.0
    assert got["Баткен облусу"][header.index("Изменение места") - 1] == 1.0
    assert got["Чүй облусу"][header.index("Изменение места") - 1] == -1.0


def test_long_table_header_that_only_mentions_a_region_is_an_indicator():
    data = [["Аймак / Регион", "Жыл / Год", "Population of region"], ["Баткен облусу", 2018, 1.0]]
    assert list(rating.long_table_from_rows(data).columns) == ["region", "year", "Population of region"]


def test_growth_finds_the_total_row_of_seed_table_2_1_without_being_told():
    # seed Table 2.1: "Өнөр жай, бардыгы" (283 971.7 in 2019) is the sum of sections B-E; without
    # total_row the shares are still of it: manufacturing 2019 = 224 527.0 / 283 971.7 = 79.1% (METHODS)
    import csv
    from importlib import resources

    with resources.files("xlkg.data").joinpath("seed_table_2_1_gross_output.csv").open(encoding="utf-8") as f:
        recs = list(csv.DictReader(f))
    years = ["2015", "2016", "2017", "2018", "2019"]
    # as a ministry sheet holds it: numbers as text with a decimal comma and no-break thousands
    rows = [["Көрсөткүч"] + [float(y) for y in years]] + [
        [r["activity_ky"]] + [r[y].replace(".", ",") if k % 2 else float(r[y]) for k, y in enumerate(years)]
        for r in recs]
    header, got = _dict(udfs.DYNAMICS(rows, "share"))
    manufacturing = next(r["activity_ky"] for r in recs if r["activity_code"] == "C")
    assert round(got[manufacturing][-1], 1) == 79.1
    assert got["Өнөр жай, бардыгы"][-1] == pytest.approx(100.0)


def test_growth_does_not_take_a_chance_match_in_one_period_for_a_total():
    # one period, c = a + b by chance: shares are of the sum 4 (25%, 25%, 50%), not of c
    _, got = _dict(udfs.DYNAMICS([["", 2019], ["a", 1.0], ["b", 1.0], ["c", 2.0]], "share"))
    assert [got[k][0] for k in "abc"] == [25.0, 25.0, 50.0]


def test_a_bare_osh_is_explained_as_city_or_oblast():
    rows = [r[:] for r in OUTPUT]
    rows[3][0] = "Ош"
    msg = _message(udfs.PER_CAPITA(rows, POPULATION_RU, "zero"))
    assert "'Ош'" in msg and "Osh city or Osh oblast" in msg and "Ош шаары" in msg and "Ош облусу" in msg
    # the other way round: the population table says "Ош"
    pop = [["Ош", 1500.0] if r[0] == "Ошская область" else r for r in POPULATION_RU]
    msg = _message(udfs.PER_CAPITA(OUTPUT, pop, "zero"))
    assert "'Ош облусу'" in msg and "Osh city or Osh oblast" in msg


def test_a_table_with_no_number_at_all_is_explained():
    msg = _message(udfs.LOCALIZATION([["", "Тоо-кен"], ["Чүй облусу", "-"], ["Нарын облусу", "н/д"]]))
    assert "row 2 'Чүй облусу'" in msg and 'dash "zero"' in msg
    msg = _message(udfs.LOCALIZATION([["", "Тоо-кен"], ["Чүй облусу", "…"], ["Нарын облусу", "н/д"]]))
    assert "row 2 'Чүй облусу'" in msg and "dash" not in msg


def test_candidates_say_when_no_region_is_above_the_threshold():
    block = udfs.CANDIDATES([["", "Тоо-кен"], ["Чүй облусу", 0.5], ["Нарын облусу", "0,9"]], None, "ru")
    assert block[1] == ["нет регионов с Ki > 1", "#N/A", "#N/A", "#N/A"]
    # "1,2" typed as text: Чүй 1.5 is the only candidate
    block = udfs.CANDIDATES([["", "Тоо-кен"], ["Чүй облусу", 1.5], ["Нарын облусу", "1,1"]], "1,2", "en")
    assert block[1:] == [["Тоо-кен", 1.0, "Чүй облусу", 1.5]]


def test_bases_with_sectors_named_in_another_language_are_named_by_position():
    ru = [["Регион", "Горное", "Обрабатывающее", "Энергетика"]] + [
        [{"Баткен облусу": "Баткенская область", "Чүй облусу": "Чуйская область", "Ош облусу": "Ошская область"}[r[0]]]
        + r[1:] for r in OUTPUT[1:]]
    msg = _message(udfs.LOCALIZATION_MEAN(OUTPUT, ru, "dash=zero"))
    assert "'Тоо-кен'" in msg and "'Горное'" in msg and "base 1" in msg and "base 2" in msg
    assert "base 'base" not in msg
    # regions in Russian in the second base are matched to the first's Kyrgyz rows: same coefficients
    ru[0] = OUTPUT[0]
    _assert_block(udfs.LOCALIZATION_MEAN(OUTPUT, ru, "dash=zero"), LQ)


def test_growth_base_given_as_a_one_row_range():
    # Seed Table 2.1, industry total: 2019 / 2016 = 283 971.7 / 209 812.0 * 100 = 135.3 % (by hand).
    rows = [["", 2015, 2016, 2017, 2018, 2019],
            ["Өнөр жай, бардыгы", "181 026,7", "209 812,0", "237 225,3", "257 348,5", "283 971,7"]]
    block = udfs.DYNAMICS(rows, "base", [2016], None, None, "en")
    assert round(block[1][-1], 1) == 135.3
    two = udfs.DYNAMICS(rows, "base", [2016, 2017], None, None, "en")
    assert "base: expected one period" in str(two[0][0])


def test_text_where_a_number_belongs_is_not_read_as_blank():
    # "empty" typed into the threshold cell is text, not a blank cell: it must not fall back to 1.
    block = udfs.ADVANTAGE([["", "a"], ["r1", 2.0]], "empty")
    assert "threshold" in str(block[0][0]) and "not a number" in str(block[0][0])
