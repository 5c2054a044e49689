"""The worksheet functions called the way Excel calls them: rows of cells as xlwings delivers a range
declared with ndim=2 (None for blanks, floats, text with decimal commas and space thousands).

Expected numbers come from the peer vectors (REAT 3.0.3 / EconGeo 2.1 outputs, tests/data/vectors),
from the seed's Table 2.1 (xlkg/data), or from worked examples computed by hand in the comments.
"""

import csv
import math
from pathlib import Path

import pytest

from xlkg.excel import registry, udfs

REPO = Path(__file__).resolve().parents[1]
VEC = REPO / "tests" / "data" / "vectors"
DATA = REPO / "xlkg" / "data"


def _csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.reader(f))


def _excel_text(x: float) -> str:
    """A number as a ministry sheet types it: decimal comma, space thousands ("1 234,5")."""
    s = f"{x:,.10g}" if abs(x) < 1e15 else repr(x)
    if "e" in s:
        return repr(x)
    return s.replace(",", " ").replace(".", ",")


def _rows(path, *, as_text=False, corner="Регион"):
    rows = _csv(path)
    out = [[corner] + rows[0][1:]]
    for r in rows[1:]:
        vals = [float(v) for v in r[1:]]
        out.append([r[0]] + [_excel_text(v) if as_text else v for v in vals])
    return out


def _expected(path):
    rows = _csv(path)
    return rows[0][1:], {r[0]: [float(v) if v != "NA" else math.nan for v in r[1:]] for r in rows[1:]}


def _as_dict(block):
    return block[0], {row[0]: row[1:] for row in block[1:]}


def _assert_no_nan_or_none(block):
    for row in block:
        for v in row:
            assert v is not None
            assert not (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))


def _close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-15)


# --- localization and the peer vectors ------------------------------------------------------------

@pytest.mark.parametrize("case", ["toy_xlkg_4x3_output", "toy_econgeo_5x5", "REAT_G.regions.industries_emp2015"])
def test_localization_matches_reat_locq2_from_text_cells(case):
    rows = _rows(VEC / case / "input_matrix.csv", as_text=True)
    block = udfs.LOCALIZATION(rows)
    _assert_no_nan_or_none(block)
    header, got = _as_dict(block)
    cols, want = _expected(VEC / case / "REAT_locq2.csv")
    assert header[1:] == cols
    assert header[0] == "коэффициент локализации"  # default labels in Russian (glossary)
    assert list(got) == list(want)
    for region in want:
        for g, w in zip(got[region], want[region], strict=True):
            assert _close(g, w), (region, g, w)


def test_localization_reads_a_national_total_row_and_blank_cells():
    # Worked example: 2 regions x 2 sectors, the table lists only these sectors, while the national
    # row "Кыргыз Республикасы" gives x_i = (100, 100) and x = 400 (the total column).
    # Kl(A, s1) = (10 / 40) / (100 / 400) = 1.0; Kl(B, s2) = (30 / 60) / (100 / 400) = 2.0.
    # A's s2 cell is blank: that cell is #N/A, the others are computed.
    rows = [
        ["Аймак", "s1", "s2", "Бардыгы"],
        ["A", "10,0", None, 40],
        ["B", 20, "30", 60],
        ["Кыргыз Республикасы", 100, 100, 400],
    ]
    header, got = _as_dict(udfs.LOCALIZATION(rows, None, None, None, "en"))
    assert header == ["localization coefficient", "s1", "s2"]
    assert got["A"][0] == pytest.approx(1.0)
    assert got["A"][1] == "#N/A"
    assert got["B"] == [pytest.approx((20 / 60) / (100 / 400)), pytest.approx(2.0)]


def test_localization_explicit_totals_win_and_match_by_region_name():
    # x_r given for the two regions in another language and order; x_i as (sector, total) pairs.
    # Kl(Чүй, s1) = (10/50) / (100/500) = 1.0 with x = 500 from the "Всего" row of region_totals.
    rows = [["Регион", "s1", "s2"], ["Чүй облусу", 10, 20], ["Талас облусу", 30, 5]]
    region_totals = [["Регион", "Итого"], ["Таласская область", 100], ["Чуйская область", 50], ["Всего", 500]]
    sector_totals = [["s1", 100], ["s2", "400"]]
    header, got = _as_dict(udfs.LOCALIZATION(rows, region_totals, sector_totals))
    assert got["Чүй облусу"] == [pytest.approx(1.0), pytest.approx((20 / 50) / (400 / 500))]
    assert got["Талас облусу"] == [pytest.approx((30 / 100) / (100 / 500)), pytest.approx((5 / 100) / (400 / 500))]


def test_localization_mean_over_bases_arithmetic_and_geometric():
    # Worked example: base 1 has Kl = REAT locq2 of the toy case; base 2 is the same table doubled,
    # so its Kl is identical and every mean equals the single-base value.
    rows = _rows(VEC / "toy_xlkg_4x3_output" / "input_matrix.csv")
    doubled = [rows[0]] + [[r[0]] + [2 * v for v in r[1:]] for r in rows[1:]]
    cols, want = _expected(VEC / "toy_xlkg_4x3_output" / "REAT_locq2.csv")
    for args in [(rows, doubled), (rows, doubled, "geometric")]:
        header, got = _as_dict(udfs.LOCALIZATION_MEAN(*args))
        for region in want:
            assert all(_close(g, w) for g, w in zip(got[region], want[region], strict=True))
    # Different tables. Base 1: Kl(A, S1) = 1.8 (REAT locq2). Base 2 changes only A's row to 60, 30, 110:
    # x_A = 200, x_S1 = 60 + 40 + 10 + 30 = 140, x = 200 + 140 + 110 + 150 = 600, so
    # Kl(A, S1) = (60/200) / (140/600) = 0.3 * 30/7 = 9/7 -> arithmetic (1.8 + 9/7) / 2, geometric sqrt(1.8 * 9/7).
    other = [rows[0], ["A", 60, 30, 110], ["B", 40, 80, 20], ["C", 10, 10, 90], ["D", 30, 60, 60]]
    _, a = _as_dict(udfs.LOCALIZATION(other))
    _, m = _as_dict(udfs.LOCALIZATION_MEAN(rows, other))
    _, g = _as_dict(udfs.LOCALIZATION_MEAN(rows, other, "geometric"))
    assert a["A"][0] == pytest.approx(9 / 7)
    assert m["A"][0] == pytest.approx((1.8 + 9 / 7) / 2)
    assert g["A"][0] == pytest.approx(math.sqrt(1.8 * 9 / 7))


def test_per_capita_matches_reat_litzenberger_percap_with_population_by_name():
    rows = _rows(VEC / "toy_xlkg_4x3_output" / "input_matrix.csv", as_text=True)
    attrs = _csv(VEC / "toy_xlkg_4x3_output" / "input_region_attrs.csv")
    population = [["Регион", "Население"]] + [[r[0], _excel_text(float(r[1]))] for r in reversed(attrs[1:])]
    header, got = _as_dict(udfs.PER_CAPITA(rows, population))
    cols, want = _expected(VEC / "toy_xlkg_4x3_output" / "REAT_litzenberger_component_percap.csv")
    for region in want:
        assert all(_close(g, w) for g, w in zip(got[region], want[region], strict=True)), region


def test_specialization_worked_example():
    # Ks = (x_ri / x_i) / (Y_r / Y): regions A, B; x = [[10, 30], [30, 10]]; GRP A = 100, B = 300.
    # Ks(A, s1) = (10/40) / (100/400) = 1.0; Ks(A, s2) = (30/40) / 0.25 = 3.0;
    # Ks(B, s1) = (30/40) / (300/400) = 1.0; Ks(B, s2) = (10/40) / 0.75 = 1/3.
    rows = [["Регион", "s1", "s2"], ["A", 10, 30], ["B", 30, 10]]
    grp = [["B", "300"], ["A", "100,0"]]
    _, got = _as_dict(udfs.SPECIALIZATION(rows, grp))
    assert got["A"] == [pytest.approx(1.0), pytest.approx(3.0)]
    assert got["B"] == [pytest.approx(1.0), pytest.approx(1 / 3)]


def test_cluster_potential_from_nested_blocks_matched_by_labels():
    # Worked example: Kl = 2, Kdp = 4, Ks = 1 for (Чүй, s1): geometric (2*4*1)^(1/3) = 2,
    # mean (2+4+1)/3 = 7/3, product 8. The second and third tables list regions in another order
    # and language.
    kl = [["Kl", "s1"], ["Чүй облусу", 2], ["Нарын облусу", 1]]
    kdp = [["Kdp", "s1"], ["Нарынская область", 1], ["Чуйская область", 4]]
    ks = [["Ks", "s1"], ["Naryn oblast", "1,0"], ["Chui oblast", 1]]
    assert _as_dict(udfs.CLUSTER_POTENTIAL(kl, kdp, ks))[1]["Чүй облусу"] == [pytest.approx(2.0)]
    assert _as_dict(udfs.CLUSTER_POTENTIAL(kl, kdp, ks, "mean"))[1]["Чүй облусу"] == [pytest.approx(7 / 3)]
    assert _as_dict(udfs.CLUSTER_POTENTIAL(kl, kdp, ks, "product"))[1]["Чүй облусу"] == [pytest.approx(8.0)]
    # nested: the blocks the other functions return feed CLUSTER_POTENTIAL directly
    rows = _rows(VEC / "toy_xlkg_4x3_output" / "input_matrix.csv")
    pop = [["A", 1], ["B", 1], ["C", 1], ["D", 1]]
    block = udfs.CLUSTER_POTENTIAL(udfs.LOCALIZATION(rows), udfs.PER_CAPITA(rows, pop), udfs.SPECIALIZATION(rows, pop))
    _assert_no_nan_or_none(block)
    assert len(block) == 5 and len(block[0]) == 4
    # A/S1 by hand: Kl = 1.8 (REAT locq2); with every population and GRP 1 (P = Y = 4),
    # Kdp = Ks = (x_ri / x_i) / (1/4) = (120/200) * 4 = 2.4; Ki = (1.8 * 2.4 * 2.4)^(1/3)
    assert _as_dict(block)[1]["A"][0] == pytest.approx((1.8 * 2.4 * 2.4) ** (1 / 3))


def test_advantage_and_candidates_on_seed_table_3_1():
    # Seed Table 3.1 (Ki): building materials: Osh oblast 4.257 and Batken 2.895 lead; light industry:
    # Bishkek 2.083, Chui 1.069, Osh oblast 1.055 exceed 1; Issyk-Kul has no sector above 1.
    t = _csv(DATA / "seed_table_3_1_cluster_potential.csv")
    rows = [["Регион"] + t[0][2:]] + [[r[1]] + [v.replace(".", ",") if v else None for v in r[2:]] for r in t[1:]]
    header, adv = _as_dict(udfs.ADVANTAGE(rows))
    # Issyk-Kul: 0.027, 0.221, 0.072, (blank), 0.043, 0.231 -> no flag; the blank cell is #N/A
    assert adv["Ысык-Көл облусу"] == [False, False, False, "#N/A", False, False]
    # Chui: 0.044, 2.075, 1.775, 3.889, 1.069, 0.804
    assert adv["Чүй облусу"] == [False, True, True, True, True, False]
    assert adv["Баткен облусу"][header.index("coke_refined_petroleum") - 1] == "#N/A"  # blank in the seed
    for region, flags in adv.items():
        if region != "Ысык-Көл облусу":
            assert True in flags, region
    cand = udfs.CANDIDATES(rows, None, "en")
    assert cand[0] == ["Sector", "Rank", "Region", "Ki"]
    bm = [r for r in cand[1:] if r[0] == "building_materials"]
    assert [r[2] for r in bm[:2]] == ["Ош облусу", "Баткен облусу"]
    assert bm[0][3] == pytest.approx(4.257)
    li = [r[2] for r in cand[1:] if r[0] == "light_industry"]
    assert li == ["Бишкек ш.", "Чүй облусу", "Ош облусу"]


# --- rating ------------------------------------------------------------------------------------------

def test_region_rating_worked_example():
    # I1 (+): 10, 20, 40 -> b = x/max = 0.25, 0.5, 1; I2 (-): 5, 10, 5 -> b = min/x = 1, 0.5, 1.
    # R = mean: A 0.625, B 0.5, C 1.0 -> ranks A 2, B 3, C 1 (input order kept).
    rows = [["Регион", "I1", "I2"], ["A", "10", 5], ["B", 20, "10,0"], ["C", 40, 5]]
    block = udfs.REGION_RATING(rows, [["+", "-"]], None, None, None, None, None, "en")
    assert block[0] == ["Region", "Score", "Rank"]
    assert block[1:] == [["A", pytest.approx(0.625), 2.0], ["B", pytest.approx(0.5), 3.0],
                         ["C", pytest.approx(1.0), 1.0]]
    # directions as a column with the Unicode minus, and equal weights given explicitly: same result
    block2 = udfs.REGION_RATING(rows, [["+"], ["−"]], [["0,5", "0,5"]])
    assert [r[1:] for r in block2[1:]] == [r[1:] for r in block[1:]]


# --- dynamics: seed Table 2.1 ---------------------------------------------------------------------

def _table_2_1(lang_col=2):
    t = _csv(DATA / "seed_table_2_1_gross_output.csv")
    return [["Экономикалык ишмердүүлүктүн түрү"] + t[0][3:8]] + [
        [r[lang_col]] + [_excel_text(float(v)) for v in r[3:8]] for r in t[1:]]


def test_growth_reproduces_seed_table_2_1():
    # Seed Table 2.1: industry 2019/2015 = 156.9%, 2019/2018 = 110.3%, +102 945.0 and
    # +26 623.2 mln som; mining 2.5 times; manufacturing 159.7%, electricity 119.5%, water 181.5%;
    # manufacturing share 2019 = 79.1%.
    rows = _table_2_1()
    block = udfs.DYNAMICS(rows, "summary", None, "Өнөр жай, бардыгы", None, "en")
    header, got = _as_dict(block)
    _assert_no_nan_or_none(block)
    total = got["Өнөр жай, бардыгы"]
    assert round(total[0], 1) == 156.9
    assert round(total[1], 1) == 110.3
    assert round(total[2], 1) == 102945.0
    assert round(total[3], 1) == 26623.2
    # the same from the seed's own numbers, exactly: 2015 181 026.7, 2018 257 348.5, 2019 283 971.7;
    # manufacturing 2019 224 527.0
    assert total[:4] == pytest.approx([283971.7 / 181026.7 * 100, 283971.7 / 257348.5 * 100,
                                       283971.7 - 181026.7, 283971.7 - 257348.5], rel=1e-12)
    assert got["Иштеп чыгаруучу өнөр жай, бардыгы"][4] == pytest.approx(224527.0 / 283971.7 * 100, rel=1e-12)
    assert total[5] == "156.9%"
    assert got["Пайдалуу кендерди казып алуу, бардыгы"][5] == "2.5 times"
    assert round(got["Иштеп чыгаруучу өнөр жай, бардыгы"][0], 1) == 159.7
    assert round(got["Иштеп чыгаруучу өнөр жай, бардыгы"][4], 1) == 79.1
    assert round(got["Электр энергиясы, газ, буу жана кондицияланган аба менен камсыздоо, бардыгы"][0], 1) == 119.5
    assert got["Суу менен камсыздоо, тазалоо, таштандыларды иштетүү жана экинчи чийки заттарды өндүрүү, бардыгы"][5] == "181.5%"
    # the seed prints "2.5x" for mining: in Kyrgyz "2,5 эсе"
    printed = _as_dict(udfs.DYNAMICS(rows, "printed", None, None, None, "ky"))[1]
    assert printed["Пайдалуу кендерди казып алуу, бардыгы"][-1] == "2,5 эсе"
    assert printed["Өнөр жай, бардыгы"][-1] == "156,9%"


def test_growth_base_year_and_unknown_view():
    rows = _table_2_1()
    header, got = _as_dict(udfs.DYNAMICS(rows, "base", 2018))
    assert round(got["Өнөр жай, бардыгы"][-1], 1) == 110.3  # 2019 vs base 2018 = the chain growth
    msg = udfs.DYNAMICS(rows, "yearly")
    assert len(msg) == 1 and "view" in msg[0][0]


# --- peer indices --------------------------------------------------------------------------------

@pytest.mark.parametrize("which, vector, column", [
    ("hoover", "REAT_hoover_spec.csv", "value"),
    ("gini", "REAT_gini.spec.csv", "value"),
    ("krugman", "EconGeo_per_region.csv", "krugman_index"),
    ("herfindahl", "EconGeo_per_region.csv", "herfindahl"),
])
@pytest.mark.parametrize("case", ["toy_xlkg_4x3_output", "REAT_G.regions.industries_emp2015"])
def test_peer_index_per_region_matches_vectors(which, vector, column, case):
    rows = _rows(VEC / case / "input_matrix.csv", as_text=True)
    header, got = _as_dict(udfs.PEER_INDEX(rows, which))
    t = _csv(VEC / case / vector)
    k = t[0].index(column)
    for r in t[1:]:
        assert _close(got[r[0]][0], float(r[k])), (which, r[0])


def test_peer_index_locq_additive_and_litzenberger_match_reat():
    case = VEC / "toy_xlkg_4x3_output"
    rows = _rows(case / "input_matrix.csv")
    _, got = _as_dict(udfs.PEER_INDEX(rows, "locq_additive"))
    cols, want = _expected(case / "REAT_locq_additive.csv")
    for region in want:
        assert all(_close(g, w) for g, w in zip(got[region], want[region], strict=True))
    attrs = _csv(case / "input_region_attrs.csv")
    area = [[r[0], r[2]] for r in attrs[1:]]
    pop = [[r[0], r[1]] for r in attrs[1:]]
    firms = _rows(case / "input_firms.csv")
    _, got = _as_dict(udfs.LITZENBERGER(rows, area, pop, firms))
    cols, want = _expected(case / "REAT_litzenberger2.csv")
    for region in want:
        assert all(_close(g, w) for g, w in zip(got[region], want[region], strict=True)), region


def test_eco_stars_and_strong_cluster_worked_on_the_toy_case():
    # toy_xlkg_4x3_output: x = A 120 30 50 | B 40 80 20 | C 10 10 90 | D 30 60 60; x_r = 200, 140, 110, 150;
    # x_i = 200, 180, 220; x = 600; LQ (REAT_locq2.csv) A 1.8 .5 .682 | B .857 1.905 .390 | C .273 .303 2.231 |
    # D .6 1.333 1.091.
    # ECO stars (cut-offs: 90th percentile of the 12 cells, PERCENTILE.INC: sorted[9] + 0.9 (sorted[10] - sorted[9])):
    #   size x_ri/x_i, sorted ... 9/22, 4/9, 0.6 -> cut 9/22 + 0.9 (4/9 - 9/22) = 0.4409: A/S1 (0.6), B/S2 (4/9)
    #   focus x_ri/x_r, sorted ... 4/7, 0.6, 9/11 -> cut 4/7 + 0.9 (0.6 - 4/7) = 0.5971: A/S1 (0.6), C/S3 (9/11)
    #   specialisation LQ >= 2: C/S3 (2.231)
    #   -> A/S1 2 stars, B/S2 1, C/S3 2, every other cell 0
    case = VEC / "toy_xlkg_4x3_output"
    rows = _rows(case / "input_matrix.csv")
    stars = udfs.ECO_STARS(rows)
    _assert_no_nan_or_none(stars)
    assert [r[1:] for r in stars[1:]] == [[2, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]]
    assert [r[0] for r in stars[1:]] == ["A", "B", "C", "D"]
    # Strong clusters, per sector over the 4 regions (PERCENTILE.INC: 75th = s[2] + .25 (s[3] - s[2]),
    # 25th = s[0] + .75 (s[1] - s[0])); firms F from input_firms.csv = A 40 10 20 | B 15 30 8 | C 5 6 30 | D 12 25 22:
    #   S1: LQ top quartile .857 + .25 (1.8 - .857) = 1.093 -> A; x 120 > 25 (10 + .75*20); F 40 > 10.25 -> strong
    #   S2: LQ cut 1.333 + .25 (1.905 - 1.333) = 1.476 -> B (D's 1.333 is below); x 80 > 25; F 30 > 9 -> strong
    #   S3: LQ cut 1.091 + .25 (2.231 - 1.091) = 1.376 -> C; x 90 > 42.5; F 30 > 17 -> strong
    strong = udfs.STRONG_CLUSTER(rows, _rows(case / "input_firms.csv"))
    _assert_no_nan_or_none(strong)
    assert [r[1:] for r in strong[1:]] == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]


# --- errors, labels, provenance --------------------------------------------------------------------

def test_bad_input_gives_a_one_cell_message_never_a_traceback():
    rows = [["Регион", "s1"], ["A", -5], ["B", 3]]
    out = udfs.LOCALIZATION(rows)
    assert len(out) == 1 and len(out[0]) == 1
    assert "negative" in out[0][0] and "A" in out[0][0]
    out = udfs.PER_CAPITA([["Регион", "s1"], ["Чүй облусу", 1], ["Нарын облусу", 2]], [["Талас облусу", 5]])
    assert "population" in out[0][0] and "Чүй облусу" in out[0][0]
    out = udfs.CLUSTER_POTENTIAL([["Kl", "s1"], ["A", 1]], [["Kdp", "s1"], ["A", 1]], [["Ks", "s1"], ["A", 1]], "median")
    assert "method" in out[0][0]
    out = udfs.LOCALIZATION([["Регион", "s1"], ["A", 1]], None, None, None, "de")
    assert "lang" in out[0][0]


def test_missing_markers_spoil_only_their_cells():
    rows = [["Регион", "s1", "s2", "s3"], ["A", "н/д", 10, 1], ["B", "–", 20, 1], ["C", 5, "#N/A", 1], ["D", 5, 5, 1]]
    block = udfs.PER_CAPITA(rows, [["A", 1], ["B", 1], ["C", 1], ["D", 1]])
    _assert_no_nan_or_none(block)
    _, got = _as_dict(block)
    assert got["A"][0] == "#N/A" and got["B"][0] == "#N/A" and got["C"][1] == "#N/A"
    # s1 column sum is not computable (two missing cells): the whole s1 column is #N/A, never 0
    assert got["D"][0] == "#N/A"
    # s3 is complete: x_i = 4, P = 4, each region 1/1: Kdp = (1/4) / (1/4) = 1
    assert [got[r][2] for r in "ABCD"] == [1.0, 1.0, 1.0, 1.0]


def test_labels_follow_lang():
    rows = [["Регион", "s1", "s2"], ["A", 1, 2], ["B", 3, 4]]
    assert udfs.LOCALIZATION(rows, None, None, None, "ky")[0][0] == "локалдаштыруу коэффициенти"
    assert udfs.LOCALIZATION(rows, None, None, None, "ru")[0][0] == "коэффициент локализации"
    assert udfs.REGION_RATING(rows, None, None, None, None, None, None, "ky")[0] == ["Аймак", "Упай", "Орун"]


def test_method_text_names_formula_and_source():
    text = udfs.METHOD_TEXT("cluster_potential", None, "en")[0][0]
    assert "(Kl_ri * Kdp_ri * Ks_ri)^(1/3)" in text and "reconstruction" in text
    assert "(Kl_ri + Kdp_ri + Ks_ri) / 3" in udfs.METHOD_TEXT("cluster_potential", "mean")[0][0]
    assert "unknown measure" in udfs.METHOD_TEXT("nonsense")[0][0]


def test_every_function_returns_rows_and_never_raises_on_garbage():
    for spec in registry.functions():
        args = [[["x"]]] * sum(1 for a in spec.args if not a.optional)
        out = spec.func(*args) if args else spec.func([["x"]])
        assert isinstance(out, list) and all(isinstance(r, list) for r in out), spec.name
