"""Issue 13, part 2: tables as the statistics committee publishes them, taken as they are.

The committee's layout: a code column, the names in Kyrgyz, Russian and English, then the numbers;
the national row first; a units line under the header; years across as "2021 г." or "2021-ж.".
Option words are accepted in Russian and Kyrgyz as well as English.

Worked example (the output table of test_udf_ministry.py; a dash is "no such production" = 0):

                 Тоо-кен  Иштетүү  Энергетика   x_r
    Баткен          600        -         400    1000
    Чүй            1000     3000        1000    5000
    Ош              400     2000           –    2400
    x_i            2000     5000        1400    x = 8400

Localization Kl = (x_ri / x_r) / (x_i / x), with x / x_i = 4.2, 1.68, 6:
    Баткен 2.52, 0, 2.4     Чүй 0.84, 1.008, 1.2     Ош 0.7, 1.4, 0
Per-capita Kdp = (x_ri / x_i) / (P_r / P) with P_r = 500, 1000, 1500 and P = 7000 (national row):
    Баткен mining (600/2000) / (500/7000) = 4.2;  Чүй mining (1000/2000) / (1000/7000) = 3.5;
    Ош manufacturing (2000/5000) / (1500/7000) = 1.8666...
"""

import pytest

from xlkg.excel import udfs

BATKEN = "Баткен облусу / Баткенская область / Batken oblast"
CHUI = "Чүй облусу / Чуйская область / Chui oblast"
OSH = "Ош облусу / Ошская область / Osh oblast"

OUTPUT = [
    ["Код", "Аймак", "Регион", "Region", "Тоо-кен", "Иштетүү", "Энергетика", "Бардыгы"],
    [None, None, None, None, "млн сом", "млн сом", "млн сом", "млн сом"],
    ["41700000000000", "Кыргыз Республикасы", "Кыргызская Республика", "Kyrgyz Republic", 2000.0, "5 000",
     "1 400", "8 400"],
    ["41705000000000", "Баткен облусу", "Баткенская область", "Batken oblast", "600,0", "-", 400.0, "1 000"],
    ["41708000000000", "Чүй облусу", "Чуйская область", "Chui oblast", "1 000", 3000.0, "1 000,0", 5000.0],
    ["41706000000000", "Ош облусу", "Ошская область", "Osh oblast", 400.0, "2 000", "–", "2 400,0"],
]
LQ = {BATKEN: [2.52, 0.0, 2.4], CHUI: [0.84, 1.008, 1.2], OSH: [0.7, 1.4, 0.0]}

POPULATION = [
    ["Код", "Аймак", "Регион", "Region", "2021-ж."],
    [None, None, None, None, "миң адам"],
    ["41700000000000", "Кыргыз Республикасы", "Кыргызская Республика", "Kyrgyz Republic", "7 000"],
    ["41705000000000", "Баткен облусу", "Баткенская область", "Batken oblast", "500,0"],
    ["41708000000000", "Чүй облусу", "Чуйская область", "Chui oblast", "1 000"],
    ["41706000000000", "Ош облусу", "Ошская область", "Osh oblast", 1500.0],
]


def _rows(block):
    return {r[0]: r[1:] for r in block[1:]}


def test_localization_takes_the_committee_table_as_it_is():
    block = udfs.LOCALIZATION(OUTPUT, None, None, "zero")
    assert block[0][1:] == ["Тоо-кен", "Иштетүү", "Энергетика"]  # the units line is not glued on
    got = _rows(block)
    assert set(got) == set(LQ)
    for region, values in LQ.items():
        assert got[region] == pytest.approx(values, rel=1e-12, abs=1e-15)


def test_per_capita_matches_committee_population_by_any_of_its_names():
    got = _rows(udfs.PER_CAPITA(OUTPUT, POPULATION, "zero"))
    assert got[BATKEN][0] == pytest.approx(4.2, rel=1e-12)
    assert got[CHUI][0] == pytest.approx(3.5, rel=1e-12)
    assert got[OSH][1] == pytest.approx(2000 / 5000 / (1500 / 7000), rel=1e-12)


def test_population_in_russian_only_matches_the_three_language_labels():
    pop = [["Регион", "Население"], ["Баткенская область", 500], ["Чуйская область", 1000],
           ["Ошская область", 1500], ["Кыргызская Республика", 7000]]
    assert _rows(udfs.PER_CAPITA(OUTPUT, pop, "zero"))[CHUI][0] == pytest.approx(3.5, rel=1e-12)


def test_population_with_several_years_asks_for_one():
    pop = [["Регион", "2020 г.", "2021 г."], ["Чүй", 1, 2], ["Талас", 3, 4]]
    text = udfs.PER_CAPITA(OUTPUT, pop, "zero")[0][0]
    assert "one column per year" in text


def test_a_units_line_in_the_label_column_is_not_a_region():
    rows = [OUTPUT[0], [None, "(млн сом)", None, None, None, None, None, None]] + OUTPUT[2:]
    got = _rows(udfs.LOCALIZATION(rows, None, None, "zero"))
    assert set(got) == set(LQ)


# every function on region tables takes the committee's layout: the rows are the three regions under
# their three-language labels (the values are checked above and in the functions' own tests)
AREA = [r[:4] + [v] for r, v in zip(POPULATION, ["2021-ж.", "км²", "199 951", "17 048", "20 200", "29 200"], strict=True)]
EMPLOYMENT = [r[:7] for r in OUTPUT]  # without the total column: sums over the table


@pytest.mark.parametrize("call", [
    lambda: udfs.SPECIALIZATION(OUTPUT, POPULATION, "grp", None, "zero"),
    lambda: udfs.PEER_INDEX(EMPLOYMENT, "hoover", "zero"),
    lambda: udfs.ECO_STARS(EMPLOYMENT, "zero"),
    lambda: udfs.STRONG_CLUSTER(EMPLOYMENT, EMPLOYMENT, "zero"),
    lambda: udfs.LITZENBERGER(EMPLOYMENT, AREA, POPULATION, EMPLOYMENT, "zero"),
    lambda: udfs.REGION_RATING(EMPLOYMENT, None, None, None, None, 1),
    lambda: udfs.REGION_RATING_SCORES(EMPLOYMENT),
    lambda: udfs.LOCALIZATION_MEAN(OUTPUT, EMPLOYMENT, "dash=zero"),
], ids=["SPECIALIZATION", "PEER_INDEX", "ECO_STARS", "STRONG_CLUSTER", "LITZENBERGER", "REGION_RATING",
        "REGION_RATING_SCORES", "LOCALIZATION_MEAN"])
def test_every_region_function_takes_the_committee_layout(call):
    block = call()
    assert len(block) > 1, block
    assert [r[0] for r in block[1:]] == [BATKEN, CHUI, OSH]


GROWTH_TABLE = [
    ["Код", "Аталышы", "Наименование", "Name", "2019-ж.", "2020-ж.", "2021-ж."],
    [None, None, None, None, "млн сом", "млн сом", "млн сом"],
    ["41700000000000", "Кыргыз Республикасы", "Кыргызская Республика", "Kyrgyz Republic", 100.0, 110.0, 121.0],
    ["41705000000000", "Баткен облусу", "Баткенская область", "Batken oblast", 40.0, 44.0, "48,4"],
    ["41708000000000", "Чүй облусу", "Чуйская область", "Chui oblast", 60.0, 66.0, "72,6"],
]


def test_growth_reads_kyrgyz_year_headers_and_a_russian_base():
    # every row grows by 10 % a year: 2021 / 2019 = 121 %, 2021 / 2020 = 110 %
    block = udfs.DYNAMICS(GROWTH_TABLE, "base", "2019 г.", None, None, "en")
    assert block[0] == ["Dynamics", "2019", "2020", "2021"]
    for row in block[1:]:
        assert row[1:] == pytest.approx([100.0, 110.0, 121.0], rel=1e-12)
    summary = udfs.DYNAMICS(GROWTH_TABLE, "summary", None, None, None, "en")
    assert summary[0][1] == "Base growth 2021/2019, %"
    shares = {r[0]: r[5] for r in summary[1:]}  # 2021: the national row is the total
    assert shares[BATKEN] == pytest.approx(48.4 / 121 * 100, rel=1e-12)


def test_growth_total_row_named_in_one_of_its_languages():
    # shares of 2021 in the national row 121: Batken 48.4 / 121 = 40 %
    block = udfs.DYNAMICS(GROWTH_TABLE, "share", None, "Кыргызская Республика", None, "en")
    assert {r[0]: r[3] for r in block[1:]}[BATKEN] == pytest.approx(40.0, rel=1e-12)


@pytest.mark.parametrize("year", ["2015 г.", "2015-ж.", "2015 ж.", "2015 год", 2015.0, "2015"])
def test_rating_years_reads_year_cells_as_the_committee_writes_them(year):
    # the worked example of test_rating_years.py: ranks 2016 A 2, B 1, C 3
    y2016 = str(year).replace("2015", "2016") if isinstance(year, str) else 2016.0
    data = [["Регион", "Год", "P", "Q"], ["A", year, 10, 1], ["B", year, 20, 2], ["C", year, 5, 4],
            ["A", y2016, 30, 2], ["B", y2016, 20, 1], ["C", y2016, 10, 4]]
    block = udfs.REGION_RATING_YEARS(data, "+,-", None, None, None, None, "ranks", "en")
    assert block == [["Region", "Rank 2015", "Rank 2016"], ["A", 1.0, 2.0], ["B", 1.0, 1.0], ["C", 3.0, 3.0]]


def test_rating_years_reads_the_years_across():
    # the same data as published: indicators merged above their years, a code column, names in two languages
    data = [["Код", "Аймак", "Регион", "P", None, "Q", None],
            [None, None, None, "2015 г.", "2016 г.", "2015 г.", "2016 г."],
            ["1", "A", "A", 10, 30, 1, 2], ["2", "B", "B", 20, 20, 2, 1], ["3", "C", "C", 5, 10, 4, 4]]
    block = udfs.REGION_RATING_YEARS(data, "+,-", None, None, None, None, "ranks", "en")
    assert block == [["Region", "Rank 2015", "Rank 2016"], ["A", 1.0, 2.0], ["B", 1.0, 1.0], ["C", 3.0, 3.0]]


# --------------------------------------------------------------------------------------------------
# option words in Russian and Kyrgyz

TABLE = [["", "a", "b"], ["Chui", 1.0, 3.0], ["Talas", 3.0, 1.0]]


@pytest.mark.parametrize("word", ["геометрическое", "Среднее геометрическое", "геометриялык орточо"])
def test_localization_mean_takes_russian_and_kyrgyz_mean_words(word):
    assert udfs.LOCALIZATION_MEAN(TABLE, TABLE, word) == udfs.LOCALIZATION_MEAN(TABLE, TABLE, "geometric")


@pytest.mark.parametrize("word", ["нөл", "ноль", "Нөл"])
def test_dash_zero_in_kyrgyz_and_russian(word):
    rows = [["", "a", "b"], ["Chui", "-", 3.0], ["Talas", 3.0, 1.0]]
    assert udfs.LOCALIZATION(rows, None, None, word) == udfs.LOCALIZATION(rows, None, None, "zero")


@pytest.mark.parametrize("fn, args, word, english", [
    (udfs.CLUSTER_POTENTIAL, (TABLE, TABLE, TABLE), "произведение", "product"),
    (udfs.REGION_RATING, (TABLE, None, None), "минмакс", "minmax"),
    (udfs.REGION_RATING, (TABLE, None, None), "сумма мест", "rank"),
    (udfs.DYNAMICS, ([["", "2015", "2016"], ["a", 1, 2], ["b", 2, 3]],), "цепной", "chain"),
    (udfs.DYNAMICS, ([["", "2015", "2016"], ["a", 1, 2], ["b", 2, 3]],), "үлүш", "share"),
    (udfs.PEER_INDEX, (TABLE,), "Гувер", "hoover"),
    (udfs.SPECIALIZATION, (TABLE, [["Chui", 1], ["Talas", 3]]), "ВРП", "grp"),
])
def test_option_words_in_russian_and_kyrgyz(fn, args, word, english):
    assert fn(*args, word) == fn(*args, english)


def test_localization_mean_has_a_lang():
    for option in ("lang=ky", "ky"):
        assert udfs.LOCALIZATION_MEAN(TABLE, TABLE, option)[0][0] == "Орточо локалдаштыруу коэффициенти"
    assert udfs.LOCALIZATION_MEAN(TABLE, TABLE, "geometric", "lang=en")[0][0] == "Average localization coefficient"
    assert 'lang: expected "ky", "ru" or "en", got "fr"' in udfs.LOCALIZATION_MEAN(TABLE, TABLE, "lang=fr")[0][0]


def test_rating_years_with_only_a_national_row_is_a_message():
    # found by the fuzz test (an internal error before): nothing but the national row has no region to rate
    for data in ([["г. Бишкек", "2020 г."], ["Всего", -1.0]], [["Регион", "Год", "P"], ["Всего", 2020, 1.0]]):
        text = udfs.REGION_RATING_YEARS(data)[0][0]
        assert "internal error" not in text and text.startswith("REGION_RATING_YEARS: data: ")
