"""Ministry-style worksheets, end to end: cells as Excel sends them -> xlkg.core.cells -> the measures and
the rating. Every expected number is worked by hand in the comments from the cells shown; where a
value cannot be computed, the test checks the message names the cell or label.

Output table (mln som) as a ministry types it: a header merged over the sectors, a second header
row, a total column "Всего", the national row "Кыргыз Республикасы", Kyrgyz region names, numbers as
text with decimal commas and space thousands, a dash, "#N/A", "н/д" and a blank:

                     | Өнөр жай / Промышленность        |
    Аймак / Регион   | Тоо-кен  | Иштетүү  | Энергетика | Всего
    Чүй облусу       | 1 234,5  | 7913,8   | 500        | 10 000
    Бишкек ш.        | -        | 2 000,0  | 1000       | 5000
    Ош облусу        | #N/A     | 1 500    | (blank)    | 3 000
    Кыргыз Респ.     | 2 000    | 12 000   | 3 000      | 20 000

Localization Kl = (x_ri / x_r) / (x_i / x) with x_r = "Всего", x_i = national row, x = 20 000:
    Чүй  M (1234.5/10000)/(2000/20000) = .12345/.1 = 1.2345
         F (7913.8/10000)/(12000/20000) = .79138/.6
         E (500/10000)/(3000/20000) = .05/.15 = 1/3
    Бишкек F (2000/5000)/.6 = 2/3;   E (1000/5000)/.15 = 4/3;   M missing ("-")
    Ош   F (1500/3000)/.6 = 5/6;     M missing (#N/A);          E missing (blank)
"""

import math

import numpy as np
import pandas as pd
import pytest

from xlkg.core import measures, rating
from xlkg.core.cells import read_pairs, read_table
from xlkg.core.result import InputError

HEADER = [
    ["Аймак / Регион", "Өнөр жай / Промышленность", None, None, "Всего"],
    [None, "Тоо-кен", "Иштетүү", "Энергетика", None],
]
M, F, E = (f"Өнөр жай / Промышленность / {s}" for s in ("Тоо-кен", "Иштетүү", "Энергетика"))

OUTPUT = HEADER + [
    ["Чүй облусу", "1 234,5", "7913,8", "500", "10 000"],
    ["Бишкек ш.", "-", "2 000,0", 1000.0, 5000.0],
    ["Ош облусу", "#N/A", "1 500", None, "3 000"],
    ["Кыргыз Республикасы", "2 000", "12 000", "3 000", "20 000"],
]

# Employment (persons), region names in English, in another order, the national row first, an en
# dash for Osh energy. x_r = "Всего", x_i = national row (200, 2000, 200), x = 5000:
#   Chui    M (60/600)/(200/5000) = .1/.04 = 2.5;    F (400/600)/.4 = 5/3;     E (40/600)/.04 = 5/3
#   Bishkek M (10/800)/.04 = .3125;                  F (500/800)/.4 = 1.5625;  E (90/800)/.04 = 2.8125
#   Osh     M (30/400)/.04 = 1.875;                  F (300/400)/.4 = 1.875;   E missing ("–")
EMPLOYMENT = HEADER + [
    ["Kyrgyz Republic", 200, 2000, 200, 5000],
    ["Osh oblast", 30, 300, "–", 400],
    ["Bishkek city", 10, 500, 90, 800],
    ["Chui oblast", 60, 400, 40, 600],
]

# Population with Russian names and a national row (P = 6 500 000), as two columns with a header.
POPULATION = [["Регион", "Численность населения"], ["Чуйская область", "1 000 000"],
              ["г. Бишкек", "1 100 000"], ["Ошская область", "1 300 000"],
              ["Кыргызская Республика", "6 500 000"]]
# GRP with English names laid out across two rows, a national row (Y = 500 000).
GRP = [["Chui oblast", "Bishkek city", "Osh oblast", "Kyrgyz Republic"],
       ["100 000", "250 000", "50 000", "500 000"]]


@pytest.fixture
def output():
    return read_table(OUTPUT)


def test_reader_takes_the_totals_out_of_the_table(output):
    assert list(output.values.index) == ["Чүй облусу", "Бишкек ш.", "Ош облусу"]
    assert list(output.values.columns) == [M, F, E]
    assert output.row_totals.tolist() == [10000.0, 5000.0, 3000.0]
    assert output.col_totals.tolist() == [2000.0, 12000.0, 3000.0]
    assert output.grand_total == 20000.0


# ------------------------------------------------------------------------------------ localization

def test_localization_of_the_table_uses_its_total_row_and_column(output):
    r = measures.localization(output)
    v = r.values
    assert v.loc["Чүй облусу", M] == pytest.approx(1.2345, rel=1e-12)
    assert v.loc["Чүй облусу", F] == pytest.approx(0.79138 / 0.6, rel=1e-12)
    assert v.loc["Чүй облусу", E] == pytest.approx(1 / 3, rel=1e-12)
    assert v.loc["Бишкек ш.", F] == pytest.approx(2 / 3, rel=1e-12)
    assert v.loc["Бишкек ш.", E] == pytest.approx(4 / 3, rel=1e-12)
    assert v.loc["Ош облусу", F] == pytest.approx(5 / 6, rel=1e-12)
    # the same numbers as passing the totals by hand
    same = measures.localization(output.values, region_totals=output.row_totals,
                                 sector_totals=output.col_totals, grand_total=output.grand_total)
    pd.testing.assert_frame_equal(v, same.values)
    assert "region totals x_r: given" in r.notes
    assert "values: row 'Кыргыз Республикасы' read as the national total" in r.notes  # the reader's note


def test_localization_missing_cells_say_which_cell_and_why(output):
    r = measures.localization(output)
    for region, sector, why in (("Бишкек ш.", M, "no data ('-')"), ("Ош облусу", M, "error value #N/A"),
                                ("Ош облусу", E, "blank")):
        assert math.isnan(r.values.loc[region, sector])
        reason = r.reason_at(region, sector)
        assert f"'{region}'" in reason and f"'{sector}'" in reason and reason.endswith(why)
    # a cell typed as text that is not a number is missing with its text, not an error
    t = read_table(OUTPUT[:3] + [["Бишкек ш.", "abc", "2 000,0", 1000.0, 5000.0]] + OUTPUT[4:])
    assert measures.localization(t).reason_at("Бишкек ш.", M).endswith("'abc' is not a number")


def test_explicit_totals_read_from_cells_win_over_the_table(output):
    # Region totals typed beside the table (all industry, Russian names, national row 40 000):
    # Чүй 20 000, Бишкек 10 000, Ош 6 000; x = 40 000 (their national row), x_i still from the table:
    #   Чүй M (1234.5/20000)/(2000/40000) = .061725/.05 = 1.2345;  Бишкек F (2000/10000)/(12000/40000) = 2/3
    totals = read_pairs([["Регион", "Всего"], ["Чуйская область", "20 000"], ["г. Бишкек", "10 000"],
                         ["Ошская область", "6 000"], ["Кыргызская Республика", "40 000"]], arg="region_totals")
    r = measures.localization(output, region_totals=totals)
    assert r.values.loc["Чүй облусу", M] == pytest.approx(1.2345, rel=1e-12)
    assert r.values.loc["Бишкек ш.", F] == pytest.approx(2 / 3, rel=1e-12)
    assert "grand total x: given" in r.notes
    # Region totals without a national row replace the table's, so x is their sum, 36 000, not the
    # table's corner (which belongs with the replaced column): Чүй M (1234.5/20000)/(2000/36000) = 1.11105
    r = measures.localization(output, region_totals=totals.values)
    assert r.values.loc["Чүй облусу", M] == pytest.approx(1.11105, rel=1e-12)
    assert "grand total x: sum of the given region totals" in r.notes


def test_localization_dash_as_zero_on_request():
    # dash_is_zero: Бишкек mining = 0 -> Kl = 0 (a real zero: no such production)
    r = measures.localization(read_table(OUTPUT, dash_is_zero=True))
    assert r.values.loc["Бишкек ш.", M] == 0.0
    assert r.values.loc["Чүй облусу", M] == pytest.approx(1.2345, rel=1e-12)


def test_localization_without_totals_sums_strictly():
    # No total row or column: totals are sums, and a dash makes its row, its column and the grand
    # total unknowable (strict). As zero: x = [[1000, 0], [3000, 2000]], rows 1000, 5000; columns
    # 4000, 2000; x = 6000:  Чүй A (1000/1000)/(4000/6000) = 1.5;  Talas A (3000/5000)/(4/6) = .9;
    # Talas B (2000/5000)/(2000/6000) = 1.2;  Чүй B 0
    rows = [[None, "A", "B"], ["Чүй облусу", "1 000", "-"], ["Talas oblast", "3 000", "2 000"]]
    r = measures.localization(read_table(rows))
    assert r.values.isna().all().all()
    assert "missing value in the row" in r.reason_at("Чүй облусу", "A")
    assert "no data ('-')" in r.reason_at("Чүй облусу", "B")
    z = measures.localization(read_table(rows, dash_is_zero=True)).values
    np.testing.assert_allclose(z.to_numpy(), [[1.5, 0.0], [0.9, 1.2]], rtol=1e-12)


def test_total_column_under_a_merged_header_is_recognised():
    # The total column's label is "Industry, mln som / Total" (merged header above): it is each
    # region's total, not a sector. Chui mining (1234.5/10000)/(2000/20000) = 1.2345 as above.
    rows = [["Region", "Industry, mln som", None, None],
            [None, "mining", "manufacturing", "Total"],
            ["Chui oblast", "1 234,5", "7913,8", "10 000"],
            ["Bishkek city", "-", "2 000,0", "5 000"],
            ["Kyrgyz Republic", "2 000", "12 000", "20 000"]]
    t = read_table(rows)
    assert list(t.values.columns) == ["Industry, mln som / mining", "Industry, mln som / manufacturing"]
    assert t.row_totals.tolist() == [10000.0, 5000.0]
    r = measures.localization(t)
    assert r.values.loc["Chui oblast", "Industry, mln som / mining"] == pytest.approx(1.2345, rel=1e-12)


def test_evaluator_arrays_read_the_same():
    # The headless evaluator passes a numpy array with its own blank and error tokens.
    import schedula as sh
    from formulas.tokens.operand import XlError

    rows = [list(r) for r in OUTPUT]
    rows[4][1] = XlError("#N/A")
    rows[4][3] = sh.EMPTY
    rows[1][0] = rows[1][4] = rows[0][2] = rows[0][3] = sh.EMPTY
    r = measures.localization(read_table(np.array(rows, dtype=object)))
    assert r.values.loc["Ош облусу", F] == pytest.approx(5 / 6, rel=1e-12)
    assert r.reason_at("Ош облусу", M).endswith("error value #N/A")


def test_negative_text_number_is_refused_naming_the_cell(output):
    rows = OUTPUT[:4] + [["Ош облусу", "#N/A", "−12,3", None, "3 000"]] + OUTPUT[5:]
    with pytest.raises(InputError, match=rf"negative value at \(Ош облусу, {F}\)"):
        measures.localization(read_table(rows))


def test_a_total_row_left_in_a_frame_is_refused_naming_it(output):
    # Given as a plain DataFrame, the national row would be summed with the regions (the country
    # counted twice): refused, with the label named.
    frame = pd.concat([output.values, output.col_totals.to_frame().T])
    with pytest.raises(InputError, match=r"row 'Кыргыз Республикасы' is a national or overall total"):
        measures.localization(frame)
    with pytest.raises(InputError, match=r"column 'Всего' is a national or overall total"):
        measures.localization(output.values.assign(Всего=output.row_totals))


# -------------------------------------------------------------------- localization over two bases

def test_localization_mean_matches_regions_across_languages():
    # arithmetic means of the two worked tables:
    #   Чүй M (1.2345 + 2.5)/2 = 1.86725;  Чүй E (1/3 + 5/3)/2 = 1
    #   Бишкек F (2/3 + 25/16)/2 = 107/96;  Бишкек E (4/3 + 45/16)/2 = 199/96
    #   Ош F (5/6 + 15/8)/2 = 65/48;  Ош E missing in both: the reason of the first base is given
    r = measures.localization_mean({"output": read_table(OUTPUT), "employment": read_table(EMPLOYMENT)})
    v = r.values
    assert list(v.index) == ["Чүй облусу", "Бишкек ш.", "Ош облусу"]
    assert v.loc["Чүй облусу", M] == pytest.approx(1.86725, rel=1e-12)
    assert v.loc["Чүй облусу", E] == pytest.approx(1.0, rel=1e-12)
    assert v.loc["Бишкек ш.", F] == pytest.approx(107 / 96, rel=1e-12)
    assert v.loc["Бишкек ш.", E] == pytest.approx(199 / 96, rel=1e-12)
    assert v.loc["Ош облусу", F] == pytest.approx(65 / 48, rel=1e-12)
    assert r.reason_at("Ош облусу", E).startswith("base output: row 5 'Ош облусу'")
    assert r.reason_at("Бишкек ш.", M).endswith("no data ('-')")
    # geometric: Чүй E sqrt(1/3 * 5/3) = sqrt(5)/3
    g = measures.localization_mean([read_table(OUTPUT), read_table(EMPLOYMENT)], method="geometric")
    assert g.values.loc["Чүй облусу", E] == pytest.approx(5 ** 0.5 / 3, rel=1e-12)


def test_localization_mean_names_a_region_that_is_not_in_both():
    emp = [r for r in EMPLOYMENT if r[0] != "Osh oblast"] + [["Naryn oblast", 30, 300, 1, 400]]
    with pytest.raises(InputError, match=r"'Ош облусу'.*missing in base 'employment'"):
        measures.localization_mean({"output": read_table(OUTPUT), "employment": read_table(emp)})


# ------------------------------------------------------------------- per capita and specialization

def test_per_capita_with_population_named_in_russian_and_its_national_row(output):
    # Kdp = (x_ri / x_i) / (P_r / P), x_i from the national row, P = 6 500 000 from the population's own
    # national row:  Чүй M (1234.5/2000)/(1/6.5) = 4.012125;  Бишкек E (1000/3000)/(1.1/6.5) = 65/33;
    # Ош F (1500/12000)/(1.3/6.5) = .125/.2 = .625
    pop = read_pairs(POPULATION, arg="population")
    r = measures.per_capita(output, pop)
    assert r.values.loc["Чүй облусу", M] == pytest.approx(4.012125, rel=1e-12)
    assert r.values.loc["Бишкек ш.", E] == pytest.approx(65 / 33, rel=1e-12)
    assert r.values.loc["Ош облусу", F] == pytest.approx(0.625, rel=1e-12)
    assert "total population P: given" in r.notes
    assert r.reason_at("Ош облусу", M).endswith("error value #N/A")


def test_per_capita_names_a_region_without_population(output):
    pop = read_pairs(POPULATION[:3] + POPULATION[4:], arg="population")  # no Osh
    with pytest.raises(InputError, match=r"'Ош облусу'"):
        measures.per_capita(output, pop)
    pop = read_pairs([["Чуйская область", "1 000 000"], ["г. Бишкек", "н/д"], ["Ошская область", "−5"],
                      ["Кыргызская Республика", "6 500 000"]], arg="population")
    with pytest.raises(InputError, match=r"population: negative value at 'Ошская область'"):
        measures.per_capita(output, pop)


def test_specialization_with_grp_named_in_english_across_two_rows(output):
    # Ks = (x_ri / x_i) / (Y_r / Y), Y = 500 000 from the GRP's national row:
    #   Чүй F (7913.8/12000)/(100 000/500 000) = (7913.8/12000) * 5;  Бишкек E (1000/3000)/.5 = 2/3;
    #   Ош F (1500/12000)/.1 = 1.25
    r = measures.specialization(output, read_pairs(GRP, arg="grp"))
    assert r.values.loc["Чүй облусу", F] == pytest.approx(7913.8 / 12000 * 5, rel=1e-12)
    assert r.values.loc["Бишкек ш.", E] == pytest.approx(2 / 3, rel=1e-12)
    assert r.values.loc["Ош облусу", F] == pytest.approx(1.25, rel=1e-12)
    assert "Y (GDP): given" in r.notes
    # industry_total: the localization coefficient of the table, with its totals
    it = measures.specialization(output, method=" Industry_Total ")
    assert it.values.loc["Чүй облусу", M] == pytest.approx(1.2345, rel=1e-12)


# --------------------------------------------------------------------------- potential and rating

def test_cluster_potential_and_candidates_from_ministry_tables():
    # Kl = arithmetic mean over output and employment (above), Kdp and Ks from output:
    #   Ош F:     Kl 65/48,  Kdp 5/8,   Ks 5/4 -> product 1625/1536 -> Ki = (1625/1536)^(1/3) = 1.0189
    #   Бишкек E: Kl 199/96, Kdp 65/33, Ks 2/3 -> product 25870/9504 -> Ki = 1.3963
    #   Чүй E:    Kl 1, Kdp (500/3000)*6.5 = 13/12, Ks (500/3000)/.2 = 5/6 -> 65/72 -> Ki = .9665
    # energy candidates (Ki > 1): Бишкек only (Чүй below 1, Ош missing)
    out, emp = read_table(OUTPUT), read_table(EMPLOYMENT)
    res = measures.cluster_analysis({"output": out, "employment": emp}, read_pairs(POPULATION, arg="population"),
                                    read_pairs(GRP, arg="grp"))
    ki = res["potential"]
    assert ki.values.loc["Ош облусу", F] == pytest.approx((1625 / 1536) ** (1 / 3), rel=1e-12)
    assert ki.values.loc["Бишкек ш.", E] == pytest.approx((25870 / 9504) ** (1 / 3), rel=1e-12)
    assert ki.values.loc["Чүй облусу", E] == pytest.approx((65 / 72) ** (1 / 3), rel=1e-12)
    assert ki.reason_at("Ош облусу", E).startswith("kl: base output: row 5 'Ош облусу'")
    cand = res["candidates"].values
    assert cand.loc[cand["sector"] == E, "region"].tolist() == ["Бишкек ш."]
    assert res["advantage"].values.loc["Ош облусу", F] == True  # noqa: E712
    # mean instead of geometric: Ош F (65/48 + 5/8 + 5/4)/3 = 155/144
    mean = measures.cluster_potential(res["localization"], res["per_capita"], res["specialization"], "mean")
    assert mean.values.loc["Ош облусу", F] == pytest.approx(155 / 144, rel=1e-12)


RATING = [
    ["Регион", "Натыйжалуулук / Результативность", None, "Жемиштүүлүк / Эффективность"],
    [None, "output per capita", "investment", "loss-making share, %"],
    ["Чүй облусу", "1 000,5", 10, "2"],
    ["Талас облусу", "н/д", "20", "4"],
    ["Нарын облусу", 800, "10,0", "1"],
    ["Ош облусу", "#N/A", None, "8"],
    ["Кыргыз Республикасы", 900, 15, 3],
]
RATING_DIRS = ["+", "+", "-"]


def test_rating_of_a_ministry_table():
    # ratio to best over the regions that have a value (the national row is not a region):
    #   output /1000.5: Чүй 1, Нарын 800/1000.5;  investment /20: Чүй .5, Талас 1, Нарын .5;
    #   loss 1/x: Чүй .5, Талас .25, Нарын 1, Ош .125
    #   Чүй (1 + .5 + .5)/3 = 2/3;  Талас (1 + .25)/2 = .625;  Нарын (800/1000.5 + 1.5)/3 = .7665;
    #   Ош has 1 of 3 (2 needed): no score -> Нарын 1, Чүй 2, Талас 3
    t = read_table(RATING, arg="indicators")
    r = rating.rate(t, RATING_DIRS)
    v = r.values
    assert list(v.index) == ["Чүй облусу", "Талас облусу", "Нарын облусу", "Ош облусу"]
    assert v["score"].tolist()[:3] == pytest.approx([2 / 3, 0.625, (800 / 1000.5 + 1.5) / 3])
    assert v["rank"].tolist()[:3] == [2, 3, 1]
    assert math.isnan(v.loc["Ош облусу", "score"])
    assert "1 of 3 indicators available, 2 needed" in r.reason_at("Ош облусу", "score")
    assert "indicators: row 'Кыргыз Республикасы' read as the national total" in r.notes
    b = rating.normalise(t, RATING_DIRS)
    assert b.reasons.loc["Ош облусу", t.values.columns[0]].startswith("row 6 'Ош облусу'")
    assert b.reasons.loc["Ош облусу", t.values.columns[0]].endswith("error value #N/A")


def test_rating_refuses_a_total_row_and_a_negative_under_ratio():
    t = read_table(RATING, arg="indicators")
    with_total = pd.concat([t.values, t.col_totals.to_frame().T])
    with pytest.raises(InputError, match=r"row 'Кыргыз Республикасы' is a national or overall total"):
        rating.rate(with_total, RATING_DIRS)
    rows = [list(r) for r in RATING]
    rows[4][1] = "−12,3"
    t = read_table(rows, arg="indicators")
    with pytest.raises(InputError, match=r"indicator '.*output per capita' is negative for region 'Нарын облусу'"):
        rating.rate(t, RATING_DIRS)
    # min-max accepts it: output (x + 12.3)/(1000.5 + 12.3): Чүй 1, Нарын 0
    mm = rating.normalise(t, RATING_DIRS, method="minmax").values.iloc[:, 0]
    assert mm["Чүй облусу"] == pytest.approx(1.0) and mm["Нарын облусу"] == pytest.approx(0.0)


def test_a_gap_in_the_national_row_is_named():
    # No total column: x = the sum of the national row, which has "н/д" for A -> no x, so nothing can
    # be computed; column A says its national total is missing, column B that x is.
    rows = [[None, "A", "B"], ["Кыргыз Республикасы", "н/д", 20], ["Ош облусу", 4, 5], ["Чүй облусу", 6, "15"]]
    r = measures.localization(read_table(rows))
    assert r.values.isna().all().all()
    assert r.reason_at("Ош облусу", "A") == "no data: sector total"
    assert r.reason_at("Ош облусу", "B") == "grand total not computable: a given sector total is missing"
