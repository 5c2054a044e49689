"""The main job: `xlkg demo` writes the results workbook an economist opens first."""

import openpyxl
import pytest

from xlkg.cli import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "-o", str(out)]) == 0
    return out


def test_results_workbook_sheets_and_illustrative_notice(demo_dir):
    wb = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")
    assert wb.sheetnames[:4] == ["About", "Table 2.1", "Table 2.2", "Table 3.1"]
    for name in ("Data (illustrative)", "Potential", "Peer indices"):
        texts = [c.value for row in wb[name].iter_rows(max_row=4) for c in row if isinstance(c.value, str)]
        # The notice in all three languages (xlkg/data/README.md: illustrative data must say so).
        assert any("Көрсөтмө маалыматтар" in t for t in texts)
        assert any("Иллюстративные данные" in t for t in texts)
        assert any("Illustrative data" in t for t in texts)


def _find_row(ws, label):
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                return row
    raise AssertionError(label)


def test_table_2_1_dynamics_reproduce_the_seed(demo_dir):
    # Seed Table 2.1: industry 2019 vs 2015 = 156.9 %, vs 2018 = 110.3 %,
    # +102 945.0 and +26 623.2 mln som; manufacturing share in 2019 = 79.1 %.
    ws = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")["Table 2.1"]
    rows = [r for r in ws.iter_rows() if r[1].value == "Industry, total"]
    dyn = [c.value for c in rows[1][2:7]]
    assert round(dyn[0], 1) == 156.9 and round(dyn[1], 1) == 110.3
    assert round(dyn[2], 1) == 102945.0 and round(dyn[3], 1) == 26623.2
    manufacturing = [r for r in ws.iter_rows() if r[1].value == "Manufacturing, total"][1]
    assert round(manufacturing[6].value, 1) == 79.1
    mining_printed = [r for r in ws.iter_rows() if r[1].value == "Mining and quarrying, total"][2]
    assert [c.value for c in mining_printed[2:5]] == ["2,5 эсе", "в 2,5 раза", "2.5 times"]


def test_potential_has_a_colour_scale(demo_dir):
    ws = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")["Potential"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any(r.type == "colorScale" for r in rules)
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)  # 9 = A4


def test_demo_also_recalculates_the_sample_and_fills_the_scorecard(demo_dir):
    # The sample's Table 2.1 growth (seed: industry 2019 vs 2015 = 156.9 %) is among the cached values.
    # Seed Table 2.1 by hand: 283 971.7 / 181 026.7 = 1.5687 -> 156.9 %; 283 971.7 - 181 026.7 = 102 945.0.
    # The growth block is the one tests/test_recalc_sample.py reads: label, base growth, chain growth, increases.
    wb = openpyxl.load_workbook(demo_dir / "sample_ministry_workbook.xlsx", data_only=True)
    rows = {r[0]: r for r in wb["Динамика"].iter_rows(min_row=4, max_row=9, values_only=True)}
    total = rows["Өнөр жай, бардыгы"]
    assert round(total[1], 1) == 156.9 and round(total[3], 1) == 102945.0
    # the scorecard is filled from the bundled illustrative example, and says so
    from xlkg import xlsx

    card = demo_dir / "cluster_scorecard.xlsx"
    sheet, ref = xlsx.resolve_name(card, "xlkg_illustrative")
    mark = openpyxl.load_workbook(card, data_only=True)[sheet][ref].value
    assert "Illustrative data" in mark and "Иллюстративные данные" in mark and "Көрсөтмө маалыматтар" in mark
    sheet, ref = xlsx.resolve_name(card, "xlkg_overall")
    overall = openpyxl.load_workbook(card, data_only=True)[sheet][ref.split(":")[0]].value
    assert isinstance(overall, float) and overall > 0  # an index was computed and written


def test_wrap_lines_breaks_at_words_like_a_spreadsheet():
    from xlkg.xlsx.page import wrap_lines

    # By hand, 19 characters a line: "электр энергиясы," (17) | "газ, буу жана" (13) |
    # "кондицияланган аба" (18) | "менен камсыз кылуу" (18) -> 4 lines.
    assert wrap_lines("электр энергиясы, газ, буу жана кондицияланган аба менен камсыз кылуу", 19) == 4
    assert wrap_lines("Ош ш.", 10) == 1
    assert wrap_lines("a\nb", 10) == 2  # a line break in the text starts a line
    assert wrap_lines("x" * 25, 10) == 3  # a word longer than a line breaks inside it


def test_page_breaks_go_before_a_block_the_page_bottom_would_cut():
    from xlkg.xlsx.page import plan_page_breaks

    # Rows of 15 pt, pages of 75 pt (5 rows). Blocks start at rows 0, 3, 6: 3 + 3 rows would need 90 pt,
    # so the second block starts page 2 (45 pt used); the third (4 rows, 60 pt) starts page 3.
    assert plan_page_breaks([15.0] * 10, [3, 6], 75.0) == [3, 6]
    assert plan_page_breaks([15.0] * 4, [2], 100.0) == []  # everything fits on one page
    # a block taller than a page starts on a fresh page and flows on; the next one follows it
    assert plan_page_breaks([15.0] * 12 + [15.0] * 2, [2, 12], 75.0) == [2]


def test_results_pages_are_tidy(demo_dir):
    """Every sheet A4 landscape fitted to the width; running text (notes, method lines) wraps inside the
    printed width instead of running off to the right (which shrinks the whole page); header rows are
    as tall as their text and no taller."""
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        # A4 named in the file: otherwise the printer's default paper of each machine is used
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1))
        merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and len(c.value) > width:
                    assert c.alignment.wrap_text and ((c.row, c.column) in merged or ws.max_column == 1), \
                        (ws.title, c.coordinate)
    # Table 3.1's Kyrgyz header row: the longest sector name takes 4 lines at 9 pt in its column; a line
    # is 1.0-1.4 times the font size, so the row is 36-50.4 pt (it was 58 pt, room for a fifth line).
    ws = wb["Table 3.1"]
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Аталышы")
    assert 36 <= ws.row_dimensions[head].height <= 50.4


def test_clusters_sheet_states_where_figure_1_and_the_numbers_differ(demo_dir):
    # Seed Table 3.1: Issyk-Kul's food processing Ki = 0.221 (Figure 1 still puts it in the agro-industrial
    # cluster); Chui's building materials Ki = 1.775 > 1 (Figure 1 names only Osh oblast and Batken).
    ws = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")["Clusters"]
    issyk = [[c.value for c in r] for r in ws.iter_rows() if r[2].value == "Issyk-Kul oblast"]
    assert len(issyk) == 1 and issyk[0][5] == 0.221 and "not supported" in issyk[0][6]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    en = [t for t in texts if t.startswith("Inter-regional agro-industrial cluster: ")]
    assert len(en) == 1
    assert "added without support from the numbers: Issyk-Kul oblast (0.221)" in en[0]
    assert "Inter-regional building materials cluster: supported by the numbers but left out: Chui oblast (1.775)" \
        in en[0]


def test_map_sheet_draws_every_region_as_a_tile(demo_dir):
    ws = openpyxl.load_workbook(demo_dir / "xlkg_results.xlsx")["Map"]
    names = [c.value for row in ws.iter_rows() for c in row]
    # Two maps (building materials Ki, cluster types), each with the nine regions' Kyrgyz names.
    for name in ("Баткен облусу", "Ош облусу", "Ош ш.", "Жалал-Абад облусу", "Нарын облусу", "Талас облусу",
                 "Чүй облусу", "Бишкек ш.", "Ысык-Көл облусу"):
        assert names.count(name) == 2, name
    # Osh oblast's building materials Ki in Table 3.1 is 4.257, shown under its name on the first map.
    osh = next(c for row in ws.iter_rows() for c in row if c.value == "Ош облусу")
    assert ws.cell(osh.row + 1, osh.column).value == "4.257"
