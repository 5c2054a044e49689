"""`xlkg recalc` on the sample ministry workbook: the seed's figures appear as cached values, formulas
and formatting stay, no result cell shows an error."""

from pathlib import Path

import openpyxl
import pytest

from xlkg import xlsx
from xlkg.demo import sample
from xlkg.recalc import recalc

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "workbooks" / sample.SAMPLE_NAME
ERRORS = {"#N/A", "#VALUE!", "#NAME?", "#DIV/0!", "#REF!", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    d = tmp_path_factory.mktemp("sample")
    fresh = sample.build_sample(d / "fresh.xlsx", values=False)
    out = d / "out.xlsx"
    report = recalc(fresh, out)
    return fresh, out, report


def _cells_of(ref):
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    c1, r1, c2, r2 = range_boundaries(ref)
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def test_fresh_build_has_no_cached_values(recalculated):
    fresh, _, _ = recalculated
    f = sample.sample_formulas(fresh)
    sheet, ref, _ = f[0]
    raw = xlsx.read_raw(fresh, sheet, [ref.split(":")[0]])
    assert raw[ref.split(":")[0]].value in (None, "", "0")


def test_seed_table_2_1_figures_in_cached_values(recalculated):
    # Seed Table 2.1: 156.9 %, 110.3 %, +102 945.0, +26 623.2, mining 2.5 times
    # ("2,5 эсе"), manufacturing 159.7 %, electricity 119.5 %, water 181.5 %, manufacturing share 79.1 %.
    _, out, _ = recalculated
    ws = openpyxl.load_workbook(out, data_only=True)["Динамика"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, max_row=9, values_only=True)}
    total = rows["Өнөр жай, бардыгы"]
    assert round(total[1], 1) == 156.9 and round(total[2], 1) == 110.3
    assert round(total[3], 1) == 102945.0 and round(total[4], 1) == 26623.2
    # exactly, from the seed's numbers: 2015 181 026.7, 2018 257 348.5, 2019 283 971.7
    assert list(total[1:5]) == pytest.approx([283971.7 / 181026.7 * 100, 283971.7 / 257348.5 * 100,
                                             283971.7 - 181026.7, 283971.7 - 257348.5], rel=1e-12)
    assert total[6] == "156,9%"
    assert rows["Пайдалуу кендерди казып алуу, бардыгы"][6] == "2,5 эсе"
    manuf = rows["Иштеп чыгаруучу өнөр жай, бардыгы"]
    assert round(manuf[1], 1) == 159.7 and round(manuf[5], 1) == 79.1
    assert round(rows["Электр энергиясы, газ, буу жана кондицияланган аба менен камсыздоо, бардыгы"][1], 1) == 119.5
    assert rows["Суу менен камсыздоо, тазалоо, таштандыларды иштетүү жана экинчи чийки заттарды өндүрүү, бардыгы"][6] == "181,5%"


def test_seed_table_3_1_candidates(recalculated):
    # Seed Table 3.1: building materials led by Osh oblast 4.257 and Batken 2.895; light industry:
    # Bishkek 2.083, Chui 1.069, Osh oblast 1.055.
    _, out, _ = recalculated
    ws = openpyxl.load_workbook(out, data_only=True)["Потенциал"]
    rows = list(ws.iter_rows(values_only=True))
    start = max(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Сид 3.1"))
    cand = [r[:4] for r in rows[start + 2:] if r[0]]
    bm = [r for r in cand if r[0] == "курулуш материалдарын өндүрүү"]
    assert [(r[2], r[3]) for r in bm[:2]] == [("Ош облусу", 4.257), ("Баткен облусу", 2.895)]
    assert [r[2] for r in cand if r[0] == "жеңил өнөр жай"] == ["Бишкек ш.", "Чүй облусу", "Ош облусу"]


def test_figure_1_checked_against_table_3_1(recalculated):
    # Seed Table 3.1: Issyk-Kul's food processing Ki is 0.221, so Figure 1's agro-industrial cluster is not
    # supported there; Chui's building materials Ki 1.775 > 1, a region Figure 1 leaves out.
    _, out, _ = recalculated
    ws = openpyxl.load_workbook(out, data_only=True)["Потенциал"]
    rows = list(ws.iter_rows(values_only=True))
    start = max(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("1-сүрөттөгү кластерлер"))
    check = {(r[0], r[1]): (r[2], r[4]) for r in rows[start + 2:] if r[0]}
    assert check[("региондор аралык агроөнөр жай кластери", "Ысык-Көл облусу")] == ("сандар тастыктабайт", 0.221)
    assert check[("курулуш материалдарын өндүрүү боюнча региондор аралык кластер", "Чүй облусу")] == (
        "сандар колдойт, сунушта жок", 1.775)


def test_no_error_values_in_result_cells_and_every_formula_cell_has_a_value(recalculated):
    _, out, report = recalculated
    assert not report.errors, report.errors
    formulas = sample.sample_formulas(out)
    assert len(formulas) >= 20
    values = openpyxl.load_workbook(out, data_only=True)
    for sheet, ref, _ in formulas:
        for addr in _cells_of(ref):
            v = values[sheet][addr].value
            assert v is not None, (sheet, addr)
            assert not (isinstance(v, str) and v in ERRORS), (sheet, addr, v)


def test_no_block_answers_with_its_own_message(recalculated):
    """Every block computes: no cell holds a function's one-cell message (such as a population range of
    the wrong shape)."""
    _, out, _ = recalculated
    names = sample._names()
    values = openpyxl.load_workbook(out, data_only=True)
    for sheet, ref, _ in sample.sample_formulas(out):
        for addr in _cells_of(ref):
            v = values[sheet][addr].value
            assert not (isinstance(v, str) and any(v.startswith(n + ":") for n in names)), (sheet, addr, v)


def test_spilled_blocks_are_formatted_for_reading(recalculated):
    """The cells under each spill are formatted ahead: a wrapped header row tall enough for the sector
    names, whole numbers for flags and ranks; every sheet prints on A4 landscape fitted to the width."""
    from openpyxl.utils.cell import range_boundaries

    fresh, _, _ = recalculated
    wb = openpyxl.load_workbook(fresh)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape", ws.title
        # fit to one page wide (1 is the file format's default, so it may be left out), any number tall
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title
    refs = {}
    for sheet, ref, formula in sample.sample_formulas(fresh):
        if sheet == "Потенциал":
            refs.setdefault(formula.lstrip("=").split("(")[0], ref)
    ws = wb["Потенциал"]
    c1, r1, c2, r2 = range_boundaries(refs["ADVANTAGE"])
    assert {ws.cell(r, c).number_format for r in range(r1 + 1, r2 + 1) for c in range(c1 + 1, c2 + 1)} == {"0"}
    c1, r1, _, _ = range_boundaries(refs["CANDIDATES"])  # sector | rank | region | Ki
    assert ws.cell(r1 + 1, c1 + 1).number_format == "0"
    assert ws.cell(r1 + 1, c1 + 3).number_format == "0.000"
    for name, ref in refs.items():
        c1, r1, c2, _ = range_boundaries(ref)
        assert all(ws.cell(r1, c).alignment.wrap_text for c in range(c1, c2 + 1)), name
    # "электр энергиясы, газ, буу жана кондицияланган аба менен камсыз кылуу" in bold 9 pt takes four lines
    # in its column (as LibreOffice prints it): at least 4 x 9 pt.
    c1, r1, _, _ = range_boundaries(refs["ADVANTAGE"])
    assert ws.row_dimensions[r1].height >= 36


def test_formulas_styles_and_parts_are_kept(recalculated):
    fresh, out, _ = recalculated
    assert sample.sample_formulas(out) == sample.sample_formulas(fresh)
    before = xlsx.inventory(fresh)
    changed = [f"xl/worksheets/sheet{k}.xml" for k in range(1, 14)]
    # only worksheet parts may change; sheets, names, conditional formats, metadata.xml stay as they were
    xlsx.assert_preserved(before, xlsx.inventory(out), changed_parts=changed)
    for sheet, ref, _ in sample.sample_formulas(fresh)[:5]:
        cells = _cells_of(ref)
        a, b = xlsx.read_raw(fresh, sheet, cells), xlsx.read_raw(out, sheet, cells)
        assert [a[c].s for c in cells] == [b[c].s for c in cells]
        assert a[cells[0]].formula == b[cells[0]].formula
    # the dynamic-array flag (Excel 365 spills; older Excel shows CSE arrays) survives
    sheet, ref, _ = sample.sample_formulas(out)[0]
    assert xlsx.read_raw(out, sheet, [ref.split(":")[0]])[ref.split(":")[0]].formula_attrs.get("t") == "array"


def test_one_formula_potential_equals_the_step_by_step_one(recalculated):
    # CLUSTER_POTENTIAL(LOCALIZATION_MEAN(...), PER_CAPITA(...), SPECIALIZATION(...)) in one formula gives the
    # same numbers as the four separate blocks; ADVANTAGE is TRUE exactly where Ki > 1.
    _, out, _ = recalculated
    rows = list(openpyxl.load_workbook(out, data_only=True)["Потенциал"].iter_rows(values_only=True))
    starts = [i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Ki")]
    step, one = rows[starts[0] + 2: starts[0] + 11], rows[starts[1] + 2: starts[1] + 11]
    for a, b in zip(step, one, strict=True):
        assert a[0] == b[0]
        assert a[1:7] == pytest.approx(b[1:7])
    adv_start = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Артыкчылык"))
    adv = rows[adv_start + 2: adv_start + 11]
    for a, k in zip(adv, step, strict=True):
        assert list(a[1:7]) == [v > 1 for v in k[1:7]]


def test_committed_sample_is_current_and_carries_values():
    fresh_formulas = None
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        fresh = sample.build_sample(Path(d) / "x.xlsx", values=False)
        fresh_formulas = sample.sample_formulas(fresh)
    assert sample.sample_formulas(COMMITTED) == fresh_formulas, "rebuild: python -m xlkg.demo.sample"
    values = openpyxl.load_workbook(COMMITTED, data_only=True)
    for sheet, ref, _ in fresh_formulas:
        first = ref.split(":")[0]
        assert values[sheet][first].value is not None, (sheet, ref)


def test_direct_evaluation_matches_the_formulas_engine(recalculated, tmp_path):
    # The same workbook evaluated with every formula sent to the `formulas` engine gives the same cached
    # values as the direct path (one xlkg call on data ranges evaluated without the engine).
    fresh, out, report = recalculated
    assert report.direct_cells > 0
    engine = tmp_path / "engine.xlsx"
    rep2 = recalc(fresh, engine, direct=False)
    assert rep2.direct_cells == 0 and not rep2.errors
    a = openpyxl.load_workbook(out, data_only=True)
    b = openpyxl.load_workbook(engine, data_only=True)
    for sheet, ref, _ in sample.sample_formulas(fresh):
        for addr in _cells_of(ref):
            va, vb = a[sheet][addr].value, b[sheet][addr].value
            if isinstance(va, float) or isinstance(vb, float):
                assert va == pytest.approx(vb, rel=1e-12), (sheet, addr)
            else:
                assert va == vb, (sheet, addr)


# ---------------------------------------------------------------------------------------------------
# The rating sheet. Expected numbers are computed here from the illustrative data with formula (2)
# (b = x/max for "+", min/x for "-", R = mean, rank 1 = highest R as RANK.EQ), independently of xlkg.


def _formula_2(table):
    """{region: (R, rank)} for rows (region, x1 +, x2 +, x3 -)."""
    cols = list(zip(*[r[1:] for r in table], strict=True))
    best = [max(cols[0]), max(cols[1]), min(cols[2])]
    r = {row[0]: (row[1] / best[0] + row[2] / best[1] + best[2] / row[3]) / 3 for row in table}
    return {k: (v, 1 + sum(1 for w in r.values() if round(w, 12) > round(v, 12))) for k, v in r.items()}


def _indicators_2019():
    # industry output / population, GRP / population, population * 1000 / enterprises (illustrative data)
    import csv

    data = Path(__file__).resolve().parents[1] / "xlkg" / "data"
    with open(data / "illustrative_regions.csv", encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    with open(data / "illustrative_regional_industry.csv", encoding="utf-8") as f:
        firms = list(csv.DictReader(f))
    from xlkg.core.regions import region_name

    out = []
    for reg in regions:
        pop = float(reg["population_thousand"])
        ent = sum(float(x["enterprises_units"]) for x in firms if x["region_key"] == reg["region_key"])
        out.append([region_name(reg["region_key"], "ky"), float(reg["industry_output_mln_som"]) / pop,
                    float(reg["grp_mln_som"]) / pop, pop * 1000 / ent])
    return out


def _rating_rows(out):
    return list(openpyxl.load_workbook(out, data_only=True)["Рейтинг"].iter_rows(values_only=True))


def test_rating_block_reproduces_formula_2(recalculated):
    _, out, _ = recalculated
    rows = _rating_rows(out)
    expect = _formula_2(_indicators_2019())
    head = next(i for i, r in enumerate(rows) if r[6] == "Аймак")
    block = rows[head + 1: head + 1 + len(expect)]
    assert [r[6] for r in block] == list(expect)
    for r in block:
        score, rank = expect[r[6]]
        assert r[7] == pytest.approx(score, rel=1e-12) and r[8] == rank
        assert r[4] == pytest.approx(score, rel=1e-12)  # the plain-Excel check column agrees
    # the illustrative figures make Bishkek first and Chui second in 2019, Issyk-Kul last
    assert {r[6]: r[8] for r in block}["Бишкек ш."] == 1 and {r[6]: r[8] for r in block}["Ысык-Көл облусу"] == 9


def test_rating_sheet_ranks_by_year_and_sensitivity(recalculated):
    _, out, _ = recalculated
    rows = _rating_rows(out)
    # the long table: region, year, three indicators; each year rated by formula (2) here
    phead = next(i for i, r in enumerate(rows) if r[0] == "Аймак" and r[1] == "Жыл")
    panel = [r[:5] for r in rows[phead + 1:] if r[0] and isinstance(r[1], (int, float))]
    years = sorted({int(r[1]) for r in panel})
    assert years == [2015, 2016, 2017, 2018, 2019] and len(panel) == 45
    by_year = {y: _formula_2([[r[0], *r[2:5]] for r in panel if int(r[1]) == y]) for y in years}
    ranks = rows[phead]
    assert list(ranks[6:12]) == ["Аймак"] + [f"Орун {y}" for y in years]
    block = rows[phead + 1: phead + 10]
    for r in block:
        assert list(r[7:12]) == [by_year[y][r[6]][1] for y in years], r[6]
    assert any(len(set(r[7:12])) > 1 for r in block)  # some region moves between years
    # sensitivity: the baseline rank is the rating's, best <= rank <= worst, range = worst - best
    shead = next(i for i, r in enumerate(rows) if r[0] == "Аймак" and r[1] == "Орун")
    base = _formula_2(_indicators_2019())
    for r in rows[shead + 1: shead + 10]:
        assert r[1] == base[r[0]][1]
        assert r[2] <= r[1] <= r[3] and r[4] == r[3] - r[2]
    assert any(r[4] > 0 for r in rows[shead + 1: shead + 10])


def test_sample_is_built_when_the_package_has_no_workbooks_folder(tmp_path, monkeypatch):
    # an installed (non-editable) package has no workbooks/: the sample is built once into a cache folder
    monkeypatch.setattr(sample, "shipped_sample_path", lambda: tmp_path / "none" / sample.SAMPLE_NAME)
    monkeypatch.setattr(sample, "built_sample_dir", lambda: tmp_path / "cache")
    p = sample.sample_workbook_path()
    assert p == tmp_path / "cache" / sample.SAMPLE_NAME and p.exists()
    assert sorted(x.name for x in p.parent.iterdir()) == [sample.SAMPLE_NAME]  # no build leftovers
    values = openpyxl.load_workbook(p, data_only=True)
    for sheet, ref, _ in sample.sample_formulas(p):
        assert values[sheet][ref.split(":")[0]].value is not None, (sheet, ref)
    stamp = p.stat().st_mtime_ns
    assert sample.sample_workbook_path() == p and p.stat().st_mtime_ns == stamp  # built once
