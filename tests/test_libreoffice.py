"""A real spreadsheet application opens, recalculates and prints what xlkg ships and writes.

LibreOffice runs headless in a private profile (xlkg.render). Where it or poppler is not installed,
every test here is skipped with the reason shown (`pytest -ra`); CI installs both (.ci/run).

Part 1 checks the harness on workbooks patched here (xlkg.xlsx fixtures), with values worked
out by hand. Part 2 checks the product: every workbook in workbooks/ and the three workbooks
`xlkg demo` writes (results, the recalculated sample ministry workbook, the filled scorecard).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import WORKBOOKS
from support import office
from support.workbooks import build_rich, quickstart_xlsm
from xlkg import xlsx as xp

REASON = office.unavailable_reason()
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(REASON is not None, reason=f"LibreOffice checks skipped: {REASON}")]

SHEET = "Данные"
KYRGYZ_LETTERS = set("ңөүҢӨҮ")


@pytest.fixture(scope="module", autouse=True)
def _letter_is_the_machine_default():
    """LibreOffice takes its default paper from the machine (libpaper: $PAPERSIZE, /etc/papersize), so on
    an A4 machine a workbook that names no paper size prints A4 too. With US Letter as the default here,
    pages come out A4 only where the workbook itself says A4, whatever the machine's setting."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAPERSIZE", "letter")
        yield


@pytest.fixture(scope="module")
def patched(tmp_path_factory) -> Path:
    """The rich fixture with new inputs and deliberately stale cached results.

    Inputs written: B2 = 10, C2 = 2.5, B3 = 3, C3 = 4. By hand: D2 = B2 + C2 = 12.5, D3 = 7,
    E2:E3 = {B2:B3 * 2} = 20 and 6. The cached values written are wrong on purpose (-1), so that
    LibreOffice's "recalculate always" and "never" modes can be told apart.
    """
    d = tmp_path_factory.mktemp("lo")
    src = build_rich(d / "rich.xlsx")
    out = d / "patched.xlsx"
    xp.patch_workbook(src, out, {SHEET: {
        "B2": 10, "C2": 2.5, "B3": 3, "C3": 4,
        "D2": xp.Cached(-1), "D3": xp.Cached(-1),
        "A2": "Чүй облусу: ң ө ү", "A40": "Жыйынтык / Итог / Total", "G4": "#N/A",
    }})
    return out


# ---------------------------------------------------------------------------------------------- harness


def test_recalculation_is_forced_in_the_private_profile(patched):
    computed = office.recalculated_values(patched, recalc=True)[SHEET]
    assert computed["D2"] == pytest.approx(12.5)
    assert computed["D3"] == pytest.approx(7)
    assert computed["E2"] == pytest.approx(20) and computed["E3"] == pytest.approx(6)
    shown = office.recalculated_values(patched, recalc=False)[SHEET]
    assert shown["D2"] == -1 and shown["D3"] == -1  # cached values displayed as written


def test_the_shared_libreoffice_converts_as_a_fresh_one(office_reuse, patched, tmp_path):
    """The tests share one running LibreOffice per profile (tests/support/office_session.py). It must
    give what a LibreOffice started for the file gives, in both recalculation modes: the same values,
    and the hand-worked D2 of `patched` (12.5 recalculated, the cached -1 shown as written)."""
    import openpyxl

    from support.office_session import uno_python

    if not office_reuse.shared:
        pytest.skip("XLKG_TESTS_OFFICE_PER_CALL=1: each conversion starts LibreOffice")
    if uno_python(office.find_soffice()) is None:
        pytest.skip("no Python with LibreOffice's uno module (Debian: python3-uno): each conversion starts LibreOffice")
    fmt = "xlsx:Calc MS Excel 2007 XML"
    for recalc in (True, False):
        launched = office_reuse.original(patched, fmt, tmp_path / f"launched-{recalc}", recalc=recalc)
        before = office_reuse.counts["session"]
        shared = office.convert(patched, fmt, tmp_path / f"shared-{recalc}", recalc=recalc)
        assert office_reuse.counts["session"] == before + 1  # converted by the running LibreOffice
        values = []
        for path in (launched, shared):
            ws = openpyxl.load_workbook(path, data_only=True)[SHEET]
            values.append({c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None})
        assert values[0] == values[1]
        assert values[1]["D2"] == (12.5 if recalc else -1)


def test_patched_values_are_read_by_libreoffice(patched):
    v = office.recalculated_values(patched)[SHEET]
    assert v["A2"] == "Чүй облусу: ң ө ү"  # inline strings
    assert v["G4"] == "#N/A"                # error cells
    assert v["B2"] == 10 and v["C2"] == 2.5


def test_compare_reports_stale_cached_values_and_passes_true_ones(patched, tmp_path):
    rep = office.compare_with_libreoffice(patched)
    assert any(m.startswith(f"{SHEET}!D2 (=B2+C2): cached -1, LibreOffice computes 12.5") for m in rep["mismatches"])
    good = tmp_path / "good.xlsx"
    xp.patch_workbook(patched, good, {SHEET: {"D2": xp.Cached(12.5), "D3": xp.Cached(7),
                                              "E2": xp.Cached(20), "E3": xp.Cached(6)}})
    rep = office.compare_with_libreoffice(good)
    assert rep["mismatches"] == [] and rep["native_checked"] == 4


def test_custom_functions_are_excluded_with_what_depends_on_them(tmp_path):
    import xlsxwriter

    src = tmp_path / "udf.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, [1, 2])
    ws.write_formula("A2", "=LOCALIZATION(A1:B1)", None, 0.5)   # custom: LibreOffice cannot compute it
    ws.write_formula("A3", "=A2*2", None, 1)                     # depends on it
    ws.write_formula("A4", "=SUM(A1:B1)", None, 3)               # native: 1 + 2 = 3
    ws.write_array_formula("A5:B5", "{=LOCALIZATION(A1:B1)}", None, 0.5)
    wb.close()
    cells, tainted = office.native_formula_cells(src, ["LOCALIZATION"])
    assert tainted["S"] == {"A2", "A3", "A5", "B5"}
    rep = office.compare_with_libreoffice(src, custom_functions=["LOCALIZATION"])
    # A5:B5 are array cells with a custom function: LibreOffice recomputes arrays on load (#NAME?)
    assert rep["mismatches"] == [] and rep["native_checked"] == 1 and rep["custom_array_unchecked"] == 2
    shown = office.recalculated_values(office.values_only_copy(src, tmp_path / "pic.xlsx"), recalc=False)["S"]
    assert shown["A5"] == 0.5 and shown["A2"] == 0.5


def test_pdf_text_pages_and_png(patched, tmp_path):
    pdf = office.to_pdf(patched, tmp_path)
    text = office.pdf_text(pdf)
    assert "Чүй облусу: ң ө ү" in text
    assert "Жыйынтык / Итог / Total" in text
    assert not [m for m in office.ERROR_MARKERS if m in text]
    sizes = office.pdf_page_sizes(pdf)
    # the fixture names no paper size: LibreOffice uses the machine default, US Letter (612 x 792 pt) here
    assert sizes and not any(office.is_a4(s) for s in sizes), f"pages {sorted(set(sizes))}: the A4 checks below " \
        "would not show that a workbook asks for A4"
    pngs = office.render_png(pdf, tmp_path / "png" / "page", dpi=40, last=1)
    assert len(pngs) == 1 and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_macro_workbooks_open_and_print(tmp_path):
    out = tmp_path / "quickstart.xlsm"
    xp.patch_workbook(quickstart_xlsm(), out, {"Sheet1": {"A1": "Салам", "B2": 3.5}})
    v = office.recalculated_values(out)
    assert v["Sheet1"]["A1"] == "Салам" and v["Sheet1"]["B2"] == 3.5
    assert office.to_pdf(out, tmp_path).stat().st_size > 0


def test_a_broken_file_is_reported_not_hidden(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(office.OfficeError, match=r"could not convert broken.xlsx"):
        office.to_pdf(bad, tmp_path / "out")


def test_a4_check():
    assert office.is_a4((595.304, 841.89)) and office.is_a4((841.89, 595.28))
    assert not office.is_a4((612, 792))  # US Letter


# ---------------------------------------------------------------------------------------------- product


def _custom_functions() -> list[str]:
    from xlkg.excel import registry

    return [spec.name for spec in registry.functions()]


SHIPPED = sorted(p for p in WORKBOOKS.glob("*.xls[xm]") if not p.name.startswith("~$")) if WORKBOOKS.exists() else []


def _check_workbook(path: Path, outdir: Path, *, expect_kyrgyz: bool = True) -> dict:
    """Open, recalculate, compare, print; returns what was found for the caller's own checks."""
    assert xp.check_package(path) == [], f"{path.name}: Excel would repair it"
    rep = office.compare_with_libreoffice(path, custom_functions=_custom_functions())
    assert rep["mismatches"] == [], f"{path.name}: " + "\n".join(rep["mismatches"][:20])
    picture = office.values_only_copy(path, outdir / ("pic-" + path.name))
    pdf = office.to_pdf(picture, outdir, recalc=False)
    text = office.pdf_text(pdf)
    bad = [m for m in office.ERROR_MARKERS if m in text]
    assert not bad, f"{path.name}: the printed pages show {bad}"
    sizes = office.pdf_page_sizes(pdf)
    assert sizes and all(office.is_a4(s) for s in sizes), f"{path.name}: pages {sorted(set(sizes))} are not A4"
    if expect_kyrgyz:
        assert KYRGYZ_LETTERS & set(text), f"{path.name}: no Kyrgyz letters (ң ө ү) on the printed pages"
        assert re.search(r"[А-Яа-я]", text) and re.search(r"[A-Za-z]{4}", text)
    return {"pdf": pdf, "text": text, "pages": len(sizes), **rep}


def test_every_shipped_workbook_opens_recalculates_and_prints(tmp_path):
    # the sample ministry workbook and the four scorecard workbooks (template .xlsx/.xlsm, input, example)
    assert len(SHIPPED) >= 5, [p.name for p in SHIPPED]
    for path in SHIPPED:
        _check_workbook(path, tmp_path / path.stem)


def _lo_reads_what_the_file_holds(path: Path) -> int:
    """Every cell's value as stored (openpyxl) is what LibreOffice shows when it keeps cached values.

    Array formulas that call xlkg's functions are left out: LibreOffice recomputes arrays on load.
    Returns the number of cells compared."""
    import openpyxl

    _cells, tainted = office.native_formula_cells(path, _custom_functions())
    shown = office.recalculated_values(path, recalc=False)
    wb = openpyxl.load_workbook(path, data_only=True)
    bad, n = [], 0
    for ws in wb.worksheets:
        lo = shown.get(ws.title, {})
        arrays = {ref for ref in tainted.get(ws.title, ()) if _cells[ws.title][ref]["is_array"]}
        for row in ws.iter_rows():
            for c in row:
                if c.coordinate in arrays or c.value is None:
                    continue
                n += 1
                got, want = lo.get(c.coordinate), c.value
                if hasattr(want, "isoformat"):
                    continue  # dates: LibreOffice's reader returns them in its own type
                if isinstance(want, (int, float)) and not isinstance(want, bool):
                    ok = isinstance(got, (int, float)) and abs(got - want) <= 1e-9 * max(1.0, abs(want))
                else:
                    ok = got == want
                if not ok:
                    bad.append(f"{ws.title}!{c.coordinate}: file {want!r}, LibreOffice {got!r}")
    wb.close()
    assert bad == [], f"{path.name}: " + "; ".join(bad[:20])
    return n


def _headings(text: str, *expected: str) -> None:
    flat = re.sub(r"\s+", " ", text).lower()  # a heading may start with a capital letter
    missing = [h for h in expected if h.lower() not in flat]
    assert missing == [], f"headings missing from the printed pages: {missing}"


SAMPLE = WORKBOOKS / "xlkg_sample_ministry.xlsx"


def test_recalculated_sample_workbook(tmp_path):
    """`xlkg recalc` on the sample ministry workbook: LibreOffice computes its native formulas to the
    cached values, shows the cached values of xlkg's single-cell formulas, and prints them."""
    from xlkg.cli import main

    out = tmp_path / "sample_recalculated.xlsx"
    assert main(["recalc", str(SAMPLE), "-o", str(out)]) == 0
    found = _check_workbook(out, tmp_path)
    assert found["native_checked"] > 0, "the sample has native formulas for LibreOffice to recompute"
    assert found["custom_array_unchecked"] > 0
    assert _lo_reads_what_the_file_holds(out) > 0
    _headings(found["text"], "Кластерлөө потенциалы / Потенциал кластерообразования")


def _fill(template: Path, out: Path) -> Path:
    from xlkg.scorecard.writer import fill

    fill(WORKBOOKS / "xlkg_scorecard_example.xlsx", template, out, overwrite=True)
    return out


@pytest.mark.parametrize("template", ["xlkg_scorecard.xlsx", "xlkg_scorecard.xlsm"])
def test_filled_scorecard(template, tmp_path):
    """The scorecard filled headlessly from the bundled example: LibreOffice opens it, reads every
    filled value as the file holds it, and prints trilingual A4 pages without error values."""
    t = WORKBOOKS / template
    out = _fill(t, tmp_path / ("filled" + t.suffix))
    found = _check_workbook(out, tmp_path)
    assert _lo_reads_what_the_file_holds(out) > 100
    _headings(found["text"], "сбалансированная система экономических показателей",
              "balanced system of economic indicators", "көрсөткүчтөр тутуму")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    from xlkg.demo.run import run_demo

    out = tmp_path_factory.mktemp("demo")
    return out, [Path(p).name for p in run_demo(out)]


@pytest.mark.parametrize("name", ["xlkg_results.xlsx", "sample_ministry_workbook.xlsx", "cluster_scorecard.xlsx"])
def test_demo_workbooks_open_recalculate_and_print(demo_dir, name, tmp_path):
    folder, written = demo_dir
    assert name in written, f"xlkg demo does not write {name} (it writes {written})"
    path = folder / name
    found = _check_workbook(path, tmp_path)
    assert _lo_reads_what_the_file_holds(path) > 0
    pngs = office.render_png(found["pdf"], tmp_path / "png" / path.stem, dpi=60, last=1)
    assert pngs


def test_render_command_writes_pdf_and_pictures(patched, tmp_path, capsys):
    from xlkg import cli

    assert cli.main(["render", str(patched), "-o", str(tmp_path), "--pages", "1", "--dpi", "40"]) == 0
    assert (tmp_path / "patched.pdf").is_file() and (tmp_path / "patched-1.png").is_file()
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'patched.pdf'} (")
