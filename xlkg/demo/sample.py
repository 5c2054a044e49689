"""The sample ministry workbook: data sheets laid out as a ministry economist keeps them, and result
sheets that use xlkg's worksheet functions.

    xlkg build --only sample [-o workbooks] [--no-values]     (or python -m xlkg.demo.sample)

Data sheets: the seed's Tables 2.1, 2.2 and 3.1 (xlkg/data), and illustrative regional data
(output, employment, enterprises by region x sector; population, GRP and area by region), marked on
every such sheet in Kyrgyz, Russian and English as illustrative. The national total of industry is the
real one of Table 2.1 (2019). Result sheets hold the worksheet functions as array formulas written as
Excel 365 dynamic arrays (a `cm` cell-metadata flag with `xl/metadata.xml`): Excel 365 shows them as
spills, older Excel as CSE array formulas over the same range. After building, `xlkg recalc` puts the
computed values into the file as cached values, so it shows results in any viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xlkg.core.regions import region_name, term
from xlkg.data import INDUSTRY_TOTAL_2019, SECTORS, illustrative_notice
from xlkg.data import rows as data_rows
from xlkg.excel import udfs
from xlkg.xlsx.page import A4_LANDSCAPE_PT, a4_page, column_points, line_chars, plan_page_breaks, row_height, wrap_lines
from xlkg.xlsx.refs import area_ref

SAMPLE_NAME = "xlkg_sample_ministry.xlsx"

ILLUSTRATIVE = illustrative_notice(real_total=True)  # the three languages, one line each on the sheet
CANDIDATE_COLS = {1: "rank", 2: "label", 3: "coef"}  # sector | rank | region | Ki
CLUSTER_CHECK_COLS = {1: "label", 2: "label", 3: "label", 4: "coef"}  # cluster | region | status | sector | Ki
NATIONAL = "Кыргыз Республикасы"
TOTAL = "Бардыгы"



# The sample's rating sheet: three indicators derivable from the illustrative data (resource potential,
# effectiveness, efficiency as in the suggested set), with the direction of each.
SAMPLE_RATING_INDICATORS = (
    ("industry_per_capita", "Өнөр жай продукциясы жан башына, миң сом / Промышленная продукция на душу, тыс. сомов", "+"),
    ("grp_per_capita", "ДРП жан башына, миң сом / ВРП на душу, тыс. сомов", "+"),
    ("persons_per_enterprise", "Бир ишканага калк, адам / Население на одно предприятие, чел.", "-"),
)
PANEL_YEARS = (2015, 2016, 2017, 2018, 2019)
PANEL_SEED = 2019
PANEL_TREND = (1.08, 1.07, 0.97)  # yearly factor per indicator (in the order above)
PANEL_SPREAD = (0.12, 0.05, 0.08)  # half-width of the uniform yearly deviation per indicator
PANEL_NOTE = (
    "Көрсөтмө: 2015-2018-жылдардын сандары 2019-жылдан туунду (жылдык тренд жана кайталануучу кокус четтөө, "
    "seed 2019), расмий эмес. / Иллюстративно: 2015-2018 выведены из 2019 (годовой тренд и воспроизводимое "
    "случайное отклонение, seed 2019), не официальные. / Illustrative: 2015-2018 derived from 2019 (yearly "
    "trend and a reproducible random deviation, seed 2019), not official."
)


def rating_2019(region: dict, enterprises) -> list[float]:
    """The three rating indicators of one region from the illustrative data (2019):
    industrial output / population (thousand som per person), GRP / population (thousand som per
    person), population / number of enterprises in the priority sectors (persons)."""
    pop = float(region["population_thousand"])
    return [float(region["industry_output_mln_som"]) / pop, float(region["grp_mln_som"]) / pop,
            pop * 1000 / sum(enterprises)]


def rating_panel(table: list[list]) -> list[list]:
    """A long table (region, year, indicators) for 2015-2019 from the 2019 table `table` (header row,
    then region, three indicators), ILLUSTRATIVE and deterministic:

        x(y) = x(2019) * g^(y - 2019) * (1 + u),   y = 2015..2018;   x(2019) as given (unrounded)

    with g = PANEL_TREND per indicator and u drawn uniformly from [-a, a], a = PANEL_SPREAD, by
    `random.Random(PANEL_SEED)` in the order region (table order), year, indicator; rounded to 0.1
    (persons per enterprise to 1)."""
    import random

    rng = random.Random(PANEL_SEED)
    out = [["Аймак", "Жыл"] + list(table[0][1:])]
    for region, *x in table[1:]:
        for y in PANEL_YEARS:
            if y == PANEL_YEARS[-1]:
                out.append([region, y] + list(x))
                continue
            vals = []
            for j, (v, g, a) in enumerate(zip(x, PANEL_TREND, PANEL_SPREAD, strict=True)):
                u = rng.uniform(-a, a)
                vals.append(round(v * g ** (y - PANEL_YEARS[-1]) * (1 + u), 0 if j == 2 else 1))
            out.append([region, y] + vals)
    return out


def shipped_sample_path() -> Path:
    """Where the sample workbook lies in the project's source tree (workbooks/), whether or not it is there."""
    return Path(__file__).resolve().parents[2] / "workbooks" / SAMPLE_NAME


def built_sample_dir() -> Path:
    """Where the sample is built when the package is installed without workbooks/ (one folder per version)."""
    import tempfile

    from xlkg import __version__

    return Path(tempfile.gettempdir()) / f"xlkg-sample-{__version__}"


def sample_workbook_path() -> Path:
    """The sample ministry workbook: the one shipped in workbooks/ when the package runs from its
    source tree; otherwise (an installed package) one built with its cached values into
    `built_sample_dir()` on first use, so `xlkg demo` works from any install."""
    shipped = shipped_sample_path()
    if shipped.exists():
        return shipped
    import os
    import tempfile

    out = built_sample_dir()
    target = out / SAMPLE_NAME
    if not target.exists():
        out.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=str(out)))
        try:
            built = build_sample(work / SAMPLE_NAME, values=True)
            os.replace(built, target)  # whole file at once: a concurrent reader never sees half of it
        finally:
            for p in work.iterdir():
                p.unlink()
            work.rmdir()
    return target


def _ky_sector(key: str) -> str:
    return term(f"sector.{key}", "ky")


@dataclass
class _Layout:
    """What one sheet needs for printing: column widths (explicit, or from the unwrapped cells written),
    and the wrapped cells whose row heights are set from their text when the workbook is closed (a
    spreadsheet program does not grow the rows of a file it opens)."""

    ws: object
    widths: dict = field(default_factory=dict)  # col -> explicit width
    need: dict = field(default_factory=dict)  # col -> characters the unwrapped cells need
    wrapped: list = field(default_factory=list)  # (row, first col, last col, text, font size, chars/unit)
    heights: dict = field(default_factory=dict)  # row -> minimum height, points
    starts: list = field(default_factory=list)  # rows where a block begins

    def width(self, col: int) -> float:
        if col in self.widths:
            return self.widths[col]
        return min(max(self.need.get(col, 0) + 2, 9), 40)


class _Builder:
    def __init__(self, path: Path):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        border = {"border": 1, "border_color": "#A6A6A6"}
        self.f = {
            "title": self.wb.add_format({"bold": True, "font_size": 13}),
            "subtitle": self.wb.add_format({"bold": True, "font_size": 11, "font_color": "#1F3864"}),
            "note": self.wb.add_format({"italic": True, "font_color": "#9C5700", "bg_color": "#FFEB9C",
                                        "text_wrap": True, "valign": "top", "font_size": 9}),
            "head": self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                                        "valign": "top", "font_size": 9, **border}),
            "label": self.wb.add_format({"text_wrap": True, "valign": "top", **border}),
            "text": self.wb.add_format({"text_wrap": True, "valign": "top"}),
            "num": self.wb.add_format({"num_format": "#,##0.0", "valign": "top", **border}),
            "numr": self.wb.add_format({"num_format": "#,##0.0", "align": "right", "valign": "top", **border}),
            "int": self.wb.add_format({"num_format": "#,##0", "valign": "top", **border}),
            "coef": self.wb.add_format({"num_format": "0.000", "valign": "top", **border}),
            "coefk": self.wb.add_format({"num_format": "#,##0.000", "valign": "top", **border}),
            "rank": self.wb.add_format({"num_format": "0", "align": "center", "valign": "top", **border}),
            "plain": self.wb.add_format({"num_format": "General", "valign": "top", **border}),
            "cite": self.wb.add_format({"italic": True, "font_color": "#595959", "font_size": 9,
                                        "text_wrap": True, "valign": "top"}),
            "source": self.wb.add_format({"italic": True, "font_color": "#595959", "font_size": 9}),
            "mid": self.wb.add_format({"align": "center", "valign": "top", "border": 1, "border_color": "#A6A6A6"}),
        }
        # font size and characters per width unit (Calibri/Carlito: bold wider, small italics narrower)
        self.sizes = {"head": (9, 0.98), "note": (9, 1.12), "label": (11, 1.05), "text": (11, 1.05),
                      "cite": (9, 1.12)}
        self.formulas: list[tuple[str, str, str]] = []  # (sheet, ref, formula) for the tests
        self.layout: dict[str, _Layout] = {}

    # ---- layout bookkeeping ----------------------------------------------------------------------
    def _lay(self, ws) -> _Layout:
        return self.layout[ws.name]

    def need(self, ws, col: int, chars: float) -> None:
        lay = self._lay(ws)
        lay.need[col] = max(lay.need.get(col, 0), chars)

    def wrapped(self, ws, row: int, col: int, text, fmt: str, last_col: int | None = None) -> None:
        size, per = self.sizes[fmt]
        self._lay(ws).wrapped.append((row, col, col if last_col is None else last_col, str(text), size, per))

    def put(self, ws, row: int, col: int, value, fmt: str) -> None:
        """Write one cell and note what it needs: wrapped text a row height, anything else a width."""
        if value is None:
            ws.write_blank(row, col, None, self.f[fmt])
        elif isinstance(value, str):
            ws.write_string(row, col, value, self.f[fmt])
        else:
            ws.write_number(row, col, value, self.f[fmt])
        self._measure(ws, row, col, value, fmt)

    def _measure(self, ws, row, col, value, fmt) -> None:
        if value is None:
            return
        if fmt in ("head", "label", "text", "note") and isinstance(value, str):
            self.wrapped(ws, row, col, value, fmt)
            if fmt == "head":  # a header never breaks inside a word
                self.need(ws, col, max(len(w) for w in value.split() or [""]) * 0.85)
        elif isinstance(value, str):
            self.need(ws, col, len(value))
        else:
            self.need(ws, col, len(f"{value:,.3f}") if isinstance(value, float) else len(str(value)))

    def heading(self, ws, row: int, text: str) -> None:
        """The heading of a block; a page break may go before it (see finish)."""
        ws.write_string(row, 0, text, self.f["subtitle"])
        self._lay(ws).starts.append(row)

    def note(self, ws, row: int, text: str, last_col: int) -> None:
        ws.merge_range(row, 0, row, last_col, text, self.f["note"])
        self.wrapped(ws, row, 0, text, "note", last_col)

    def finish(self) -> None:
        """Column widths and row heights of every sheet, from what was written."""
        for lay in self.layout.values():
            cols = set(lay.widths) | set(lay.need)
            for col in sorted(cols):
                lay.ws.set_column(col, col, lay.width(col))
            heights = dict(lay.heights)
            for row, c0, c1, text, size, per in lay.wrapped:
                width = sum(lay.width(c) for c in range(c0, c1 + 1))
                lines = wrap_lines(text, line_chars(width, size, per))
                if lines > 1 or size > 11:
                    heights[row] = max(heights.get(row, 0), row_height(lines, size, leading=1.18, pad=4))
            for row, h in heights.items():
                if h > 16:
                    lay.ws.set_row(row, round(h, 1))
            if lay.starts:  # a block cut by the bottom of a page starts on the next one
                last = max(cols | {0})
                width = sum(column_points(lay.width(c) if c in cols else 8.43) for c in range(last + 1))
                scale = min(1.0, A4_LANDSCAPE_PT[0] / width)
                rows = max([*heights, *lay.starts, lay.ws.dim_rowmax or 0]) + 1
                tall = [heights.get(r, 15.0) if heights.get(r, 0) > 16 else 15.0 for r in range(rows)]
                lay.ws.set_h_pagebreaks(plan_page_breaks(tall, lay.starts, A4_LANDSCAPE_PT[1] / scale))

    # ---- sheets and blocks -----------------------------------------------------------------------
    def sheet(self, name: str, title: str, *, illustrative=False, widths=None, note_to: int = 7):
        ws = self.wb.add_worksheet(name)
        self.layout[ws.name] = _Layout(ws, widths=dict(widths or {}))
        a4_page(ws)
        ws.write(0, 0, title, self.f["title"])
        if illustrative:
            self.note(ws, 1, ILLUSTRATIVE, note_to)
        return ws

    def table(self, ws, top: int, rows: list[list], fmt="num", left: int = 0) -> str:
        """Write a header row + labelled rows at (top, left); returns the A1 range."""
        for j, v in enumerate(rows[0]):
            self.put(ws, top, left + j, v, "head")
        for i, row in enumerate(rows[1:], start=1):
            for j, v in enumerate(row):
                if j == 0:
                    self.put(ws, top + i, left + j, str(v), "label")
                elif isinstance(v, str) or v is None:
                    self.put(ws, top + i, left + j, v, "mid")
                else:
                    self.put(ws, top + i, left + j, v, fmt)
        return _rect(top, left, top + len(rows) - 1, left + len(rows[0]) - 1)

    def array(self, ws, top: int, left: int, formula: str, block: list[list], fmt="coef",
              cols: dict | None = None) -> str:
        """A dynamic-array formula at (top, left) over the size of `block` (what the function returns).

        The cells under the spill are formatted ahead: the first row as a header (wrapped), the first
        column as labels, column j of the block with `cols[j]` or else `fmt`."""
        h, w = len(block), max(len(r) for r in block)
        ref = _rect(top, left, top + h - 1, left + w - 1)
        ws.write_dynamic_array_formula(ref, formula, self.f["head"])
        for i in range(h):
            for j in range(w):
                kind = "head" if i == 0 else "label" if j == 0 else (cols or {}).get(j, fmt)
                v = block[i][j] if j < len(block[i]) else None
                if (i, j) != (0, 0):
                    ws.write_number(top + i, left + j, 0, self.f[kind])
                if isinstance(v, str) and v.startswith("#"):
                    continue
                self._measure(ws, top + i, left + j, v, kind)
        self.formulas.append((ws.name, ref, formula))
        return ref

    def cite(self, ws, row: int, measure: str, last_col: int):
        """=METHOD_TEXT(measure) in a row merged across `last_col` + 1 columns, wrapped."""
        formula = f'=METHOD_TEXT("{measure}",,"ky")'
        text = udfs.METHOD_TEXT(measure, None, "ky")[0][0]
        ws.merge_range(row, 0, row, last_col, "", self.f["cite"])
        ws.write_formula(row, 0, formula, self.f["cite"])  # the value comes from recalc
        self.wrapped(ws, row, 0, text, "cite", last_col)
        self.formulas.append((ws.name, f"A{row + 1}", formula))


def _rect(r1: int, c1: int, r2: int, c2: int) -> str:
    """"B3:D9" of a rectangle given by 0-based rows and columns (as xlsxwriter counts them)."""
    return area_ref(r1 + 1, c1 + 1, r2 + 1, c2 + 1)


def _ref(sheet: str, rng: str) -> str:
    return f"'{sheet}'!{rng}"


def build_sample(path: str | Path | None = None, *, values: bool = True) -> Path:
    """Write the sample ministry workbook to `path` (default: workbooks/xlkg_sample_ministry.xlsx).

    With `values` (default) the workbook is then recalculated in place with `xlkg recalc`, so it
    carries the computed results as cached values."""
    if path is None:
        from xlkg.excel.generate import repo_root

        path = repo_root() / "workbooks" / SAMPLE_NAME
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    b = _Builder(path)
    f = b.f
    # ---- contents ------------------------------------------------------------------------------
    ws = b.sheet("Мазмуну", "xlkg: өнөр жай кластерлерин аймактык талдоо / региональный анализ промышленных кластеров",
                 widths={0: 14, 1: 110})
    contents = [
        ("2.1-табл", "Өнөр жай продукциясынын көлөмү, млн сом (сид, 2.1-таблица) / Объём промышленной продукции, млн сомов"),
        ("2.2-табл", "Өнөр жайдын каржылык натыйжасы, млн сом (сид, 2.2-таблица) / Финансовый результат промышленности"),
        ("3.1-табл", "Кластерлөө потенциалынын коэффициенттери (сид, 3.1-таблица) / Коэффициенты потенциала кластерообразования"),
        ("Өндүрүш", "Көрсөтмө: аймактар x тармактар, өндүрүш, млн сом / Иллюстративно: выпуск по регионам и отраслям"),
        ("Иштегендер", "Көрсөтмө: иш менен камтылгандар, адам / Иллюстративно: занятые, человек"),
        ("Ишканалар", "Көрсөтмө: ишканалардын саны / Иллюстративно: число предприятий"),
        ("Аймактар", "Көрсөтмө: калк, ДРП, аянт / Иллюстративно: население, ВРП, площадь"),
        ("Локализация", "=LOCALIZATION(...) ар бир база боюнча / по каждой базе"),
        ("Потенциал", "=LOCALIZATION_MEAN, PER_CAPITA, SPECIALIZATION, CLUSTER_POTENTIAL, ADVANTAGE, CANDIDATES, "
                      "CLUSTER_CHECK"),
        ("Рейтинг", "=REGION_RATING, REGION_RATING_YEARS, REGION_RATING_SENSITIVITY: интегралдык рейтинг, жылдар "
                    "боюнча орундар, туруктуулук / интегральный рейтинг, места по годам, устойчивость"),
        ("Динамика", "=DYNAMICS(...) 2.1-таблица боюнча / по таблице 2.1 (156,9%, 110,3%, 2,5 эсе ...)"),
        ("Салыштыруу", "=PEER_INDEX, LITZENBERGER, ECO_STARS, STRONG_CLUSTER (REAT / EconGeo)"),
    ]
    b.put(ws, 2, 0, "Барак / Лист", "head")
    b.put(ws, 2, 1, "Мазмуну / Содержание", "head")
    link = b.wb.add_format({"font_color": "blue", "underline": 1, "valign": "top"})
    for i, (name, text) in enumerate(contents, start=3):
        ws.write_url(i, 0, f"internal:'{name}'!A1", link, string=name)
        b.put(ws, i, 1, text, "text")
    for k, part in enumerate(ILLUSTRATIVE.split(" / ")):  # one line per language, wrapped to the page
        b.note(ws, len(contents) + 4 + k, part, 1)

    # ---- seed Table 2.1 --------------------------------------------------------------------------
    t21 = data_rows("seed_table_2_1_gross_output.csv")
    years = ["2015", "2016", "2017", "2018", "2019"]
    ws = b.sheet("2.1-табл", "2.1-таблица. Өнөр жай продукциясынын көлөмү, млн сом / Объём промышленной продукции, млн сомов",
                 widths={0: 62, **{c: 12 for c in range(1, 6)}})
    rows21 = [["Экономикалык ишмердүүлүктүн түрү / Вид деятельности"] + years] + [
        [r["activity_ky"]] + [float(r[y]) for y in years] for r in t21]
    r21 = b.table(ws, 2, rows21)
    ws.write_string(len(rows21) + 3, 0, "Булак / Источник: сид (диссертация), 2.1-таблица.", f["source"])

    # ---- seed Table 2.2 --------------------------------------------------------------------------
    t22 = data_rows("seed_table_2_2_financial_result.csv")
    ky_by_code = {r["activity_code"]: r["activity_ky"] for r in t21}
    ws = b.sheet("2.2-табл", "2.2-таблица. Өнөр жайдын каржылык натыйжасы (пайда минус чыгым), млн сом / Финансовый результат",
                 widths={0: 62, **{c: 12 for c in range(1, 6)}})
    rows22 = [["Экономикалык ишмердүүлүктүн түрү / Вид деятельности"] + years] + [
        [ky_by_code.get(r["activity_code"], r["activity_en"])] + [float(r[y]) for y in years] for r in t22]
    r22 = b.table(ws, 2, rows22)

    # ---- seed Table 3.1 --------------------------------------------------------------------------
    t31 = data_rows("seed_table_3_1_cluster_potential.csv")
    ws = b.sheet("3.1-табл", "3.1-таблица. Кластерлөө потенциалынын интегралдык коэффициенти (Ki) / Интегральный коэффициент",
                 widths={0: 18, **{c: 16 for c in range(1, 7)}})
    rows31 = [["Аймак / Регион"] + [_ky_sector(s) for s in SECTORS]] + [
        [r["region_ky"]] + [float(r[s]) if r[s] else "–" for s in SECTORS] for r in t31]
    r31 = b.table(ws, 2, rows31, fmt="num")
    ws.write_string(len(rows31) + 3, 0, "Булак / Источник: сид, 3.1-таблица; «–» = тармак жок / отрасли нет.", f["source"])

    # ---- illustrative regional data --------------------------------------------------------------
    long = data_rows("illustrative_regional_industry.csv")
    regions = data_rows("illustrative_regions.csv")
    keys = [r["region_key"] for r in regions]
    cell = {(r["region_key"], r["sector_key"]): r for r in long}

    def base_rows(col: str, *, totals: bool):
        head = ["Аймак / Регион"] + [_ky_sector(s) for s in SECTORS]
        if totals:
            head.append(f"{TOTAL} (бүт өнөр жай) / Всего (вся промышленность)")
        out = [head]
        for k, reg in zip(keys, regions, strict=True):
            row = [region_name(k, "ky")] + [float(cell[(k, s)][col]) if (k, s) in cell else 0.0 for s in SECTORS]
            if totals:
                row.append(float(reg["industry_output_mln_som"]))
            out.append(row)
        if totals:
            nat = [NATIONAL] + [sum(r[j] for r in out[1:]) for j in range(1, len(SECTORS) + 1)]
            nat.append(INDUSTRY_TOTAL_2019)
            out.append(nat)
        return out

    sheets = {}
    for name, col, title, totals, fmt in (
        ("Өндүрүш", "output_mln_som", "Өнөр жай продукциясы, млн сом, 2019 / Промышленная продукция, млн сомов", True, "num"),
        ("Иштегендер", "employment_persons", "Иш менен камтылгандар, адам / Занятые, человек", False, "int"),
        ("Ишканалар", "enterprises_units", "Ишканалардын саны / Число предприятий", False, "int"),
    ):
        ncols = len(SECTORS) + (2 if totals else 1)
        ws = b.sheet(name, title, illustrative=True, widths={0: 20, **{c: 15 for c in range(1, ncols)}},
                     note_to=ncols - 1)
        rows = base_rows(col, totals=totals)
        sheets[name] = (rows, b.table(ws, 3, rows, fmt=fmt))
    out_rows, out_ref = sheets["Өндүрүш"]
    emp_rows, emp_ref = sheets["Иштегендер"]
    ent_rows, ent_ref = sheets["Ишканалар"]

    # Regions sheet: Russian names and another order, to show matching by name (not by position).
    ws = b.sheet("Аймактар", "Аймактар: калк, ДРП, аянт / Регионы: население, ВРП, площадь",
                 illustrative=True, widths={0: 24, 1: 16, 2: 3, 3: 24, 4: 16, 5: 3, 6: 24, 7: 16})
    order = sorted(range(len(keys)), key=lambda i: region_name(keys[i], "ru"))

    def pairs(col: str, head: str, total: bool, cast=float):
        rows = [["Регион", head]] + [[region_name(keys[i], "ru"), cast(regions[i][col])] for i in order]
        if total:
            rows.append(["Кыргызская Республика", sum(r[1] for r in rows[1:])])
        return rows

    pop_rows = pairs("population_thousand", "Калк, миң адам / Население, тыс. чел.", True)
    grp_rows = pairs("grp_mln_som", "ДРП, млн сом / ВРП, млн сомов", True)
    area_rows = pairs("area_sqkm", "Аянты, км² / Площадь, км²", True)
    pop_ref = b.table(ws, 3, pop_rows)

    grp_ref = b.table(ws, 3, grp_rows, left=3)
    area_ref = b.table(ws, 3, area_rows, fmt="int", left=6)

    OUT = _ref("Өндүрүш", out_ref)
    E = _ref("Иштегендер", emp_ref)
    N = _ref("Ишканалар", ent_ref)
    P = _ref("Аймактар", pop_ref)
    G = _ref("Аймактар", grp_ref)
    A = _ref("Аймактар", area_ref)

    # ---- results: localization per base -----------------------------------------------------------
    ws = b.sheet("Локализация", "Локалдаштыруу коэффициенти / Коэффициент локализации: Kl = (x_ri/x_r)/(x_i/x)",
                 widths={0: 34, **{c: 17 for c in range(1, 7)}})
    top = 2
    for label, rng, rows in (("Өндүрүш боюнча / по выпуску", OUT, out_rows),
                             ("Иштегендер боюнча / по занятым", E, emp_rows),
                             ("Ишканалар боюнча / по предприятиям", N, ent_rows)):
        b.heading(ws, top, label)
        block = udfs.LOCALIZATION(rows, None, None, None, "ky")
        b.array(ws, top + 1, 0, f"=LOCALIZATION({rng},,,,\"ky\")", block)
        top += len(block) + 3
    b.cite(ws, top, "localization", 6)

    # ---- results: potential ---------------------------------------------------------------------
    ws = b.sheet("Потенциал", "Кластерлөө потенциалы / Потенциал кластерообразования: Ki = (Kl·Kdp·Ks)^(1/3)",
                 widths={0: 34, **{c: 17 for c in range(1, 7)}})
    top = 2
    b.heading(ws, top, "Kl: орточо үч база боюнча / среднее по трём базам (выпуск, занятые, предприятия)")
    kl = udfs.LOCALIZATION_MEAN(out_rows, emp_rows, ent_rows)
    kl_ref = b.array(ws, top + 1, 0, f"=LOCALIZATION_MEAN({OUT},{E},{N})", kl)
    top += len(kl) + 3
    b.heading(ws, top, "Kdp: калктын жан башына / душевое производство")
    kdp = udfs.PER_CAPITA(out_rows, pop_rows, None, "ky")
    kdp_ref = b.array(ws, top + 1, 0, f"=PER_CAPITA({OUT},{P},,\"ky\")", kdp)
    top += len(kdp) + 3
    b.heading(ws, top, "Ks: адистештирүү (Y = ДРП) / специализация (Y = ВРП)")
    ks = udfs.SPECIALIZATION(out_rows, grp_rows, None, None, None, "ky")
    ks_ref = b.array(ws, top + 1, 0, f"=SPECIALIZATION({OUT},{G},,,,\"ky\")", ks)
    top += len(ks) + 3
    b.heading(ws, top, "Ki: интегралдык коэффициент / интегральный коэффициент")
    ki = udfs.CLUSTER_POTENTIAL(kl, kdp, ks, None, "ky")
    ki_ref = b.array(ws, top + 1, 0, f"=CLUSTER_POTENTIAL({kl_ref},{kdp_ref},{ks_ref},\"geometric\",\"ky\")", ki)
    ki_vals = _rect(top + 2, 1, top + len(ki), len(ki[0]) - 1)
    ws.conditional_format(ki_vals, {"type": "3_color_scale", "min_color": "#F8696B", "mid_type": "num",
                                    "mid_value": 1, "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    top += len(ki) + 3
    b.heading(ws, top, "Ki бир формула менен / одной формулой")
    ki1 = udfs.CLUSTER_POTENTIAL(udfs.LOCALIZATION_MEAN(out_rows, emp_rows, ent_rows),
                                 udfs.PER_CAPITA(out_rows, pop_rows), udfs.SPECIALIZATION(out_rows, grp_rows))
    b.array(ws, top + 1, 0, f"=CLUSTER_POTENTIAL(LOCALIZATION_MEAN({OUT},{E},{N}),PER_CAPITA({OUT},{P}),"
                            f"SPECIALIZATION({OUT},{G}))", ki1)
    top += len(ki1) + 3
    b.heading(ws, top, "Артыкчылык (Ki > 1) / Преимущество")
    adv = udfs.ADVANTAGE(ki, None, "ky")
    b.array(ws, top + 1, 0, f"=ADVANTAGE({ki_ref},,\"ky\")", adv, fmt="rank")
    top += len(adv) + 3
    b.heading(ws, top, "Тармак боюнча аймактар / Регионы-кандидаты по отраслям")
    cand = udfs.CANDIDATES(ki, None, "ky")
    b.array(ws, top + 1, 0, f"=CANDIDATES({ki_ref},,\"ky\")", cand, cols=CANDIDATE_COLS)
    top += len(cand) + 3
    b.layout[ws.name].starts.append(top)  # the method texts stay together
    for k, m in enumerate(("localization_mean", "per_capita", "specialization", "cluster_potential")):
        b.cite(ws, top + k, m, 6)
    top += 6
    b.heading(ws, top, "Сид 3.1-таблица боюнча талапкерлер / Кандидаты по таблице 3.1 сида")
    cand31 = udfs.CANDIDATES(rows31, None, "ky")
    b.array(ws, top + 1, 0, f"=CANDIDATES({_ref('3.1-табл', r31)},,\"ky\")", cand31, cols=CANDIDATE_COLS)
    top += len(cand31) + 3
    b.heading(ws, top, "1-сүрөттөгү кластерлер 3.1-таблица менен текшерилди / Кластеры рисунка 1, проверка по таблице 3.1")
    check31 = udfs.CLUSTER_CHECK(rows31, None, None, None, "ky")
    b.array(ws, top + 1, 0, f"=CLUSTER_CHECK({_ref('3.1-табл', r31)},,,,\"ky\")", check31,
            cols=CLUSTER_CHECK_COLS)

    # ---- results: rating ------------------------------------------------------------------------
    ws = b.sheet("Рейтинг", "Интегралдык рейтинг / Интегральный рейтинг: R = (1/n)·Σ b_rk",
                 illustrative=True, widths={0: 20, 1: 16, 2: 16, 3: 16, 4: 15, 5: 18, 6: 20, 7: 10, 8: 10,
                                            9: 10, 10: 10, 11: 10}, note_to=11)
    head = ["Аймак / Регион", SAMPLE_RATING_INDICATORS[0][1], SAMPLE_RATING_INDICATORS[1][1], SAMPLE_RATING_INDICATORS[2][1]]
    b.heading(ws, 2, "2019: көрсөткүчтөр жана рейтинг / показатели и рейтинг")
    for j, v in enumerate(head + ["R: 2-формула Excel формулалары менен / формула (2) формулами Excel"]):
        b.put(ws, 3, j, v, "head")
    pop_row = {region_name(keys[i], "ru"): 5 + k for k, i in enumerate(order)}  # Excel row in Аймактар
    ind_rows = [head]
    n = len(keys)
    for i, k in enumerate(keys):
        r = 4 + i
        ws.write_string(r, 0, region_name(k, "ky"), f["label"])
        pr = pop_row[region_name(k, "ru")]
        row5 = 5 + i  # Excel row of the region in Өндүрүш and Ишканалар
        x = rating_2019(regions[i], ent_rows[1 + i][1:])
        ws.write_formula(r, 1, f"='Өндүрүш'!H{row5}/'Аймактар'!B{pr}", f["num"], x[0])
        ws.write_formula(r, 2, f"='Аймактар'!E{pr}/'Аймактар'!B{pr}", f["num"], x[1])
        ws.write_formula(r, 3, f"='Аймактар'!B{pr}*1000/SUM('Ишканалар'!B{row5}:G{row5})", f["int"], x[2])
        ind_rows.append([region_name(k, "ky")] + x)
    last = 4 + n  # 0-based row of the directions
    b.put(ws, last, 0, "Багыт / Направление", "head")
    dirs = [d for _, _, d in SAMPLE_RATING_INDICATORS]
    ws.write_row(last, 1, dirs, f["head"])
    T = f"A4:D{last}"
    D = f"B{last + 1}:D{last + 1}"
    rating = udfs.REGION_RATING(ind_rows, [dirs], None, None, None, None, None, "ky")
    for i in range(n):
        # formula (2) with Excel's own functions: a check of REGION_RATING that any viewer computes
        r = 4 + i
        ws.write_formula(r, 4, f"=AVERAGE(B{r + 1}/MAX(B$5:B${4 + n}),C{r + 1}/MAX(C$5:C${4 + n}),"
                               f"MIN(D$5:D${4 + n})/D{r + 1})", f["coef"], rating[1 + i][1])
    b.array(ws, 3, 6, f"=REGION_RATING({T},{D},,,,,,\"ky\")", rating, cols={1: "coef", 2: "rank"})
    ws.conditional_format(f"H5:H{4 + n}", {"type": "data_bar", "bar_color": "#63BE7B"})

    chart = b.wb.add_chart({"type": "bar"})
    chart.add_series({"name": "R, 2019", "categories": f"='Рейтинг'!$A$5:$A${4 + n}",
                      "values": f"='Рейтинг'!$E$5:$E${4 + n}", "fill": {"color": "#5B9BD5"},
                      "data_labels": {"value": True, "num_format": "0.00"}})
    chart.set_title({"name": "Интегралдык рейтинг R, 2019 / Интегральный рейтинг R (көрсөтмө / иллюстр.)",
                     "name_font": {"size": 10}})
    chart.set_y_axis({"reverse": True, "crossing": "max"})  # first region on top, values below
    chart.set_x_axis({"min": 0, "max": 1, "num_format": "0.0"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 300})
    ws.insert_chart(last + 3, 0, chart)

    top = last + 19
    b.heading(ws, top, "Рейтингдин туруктуулугу: ыкмалар боюнча орундар / Устойчивость рейтинга: места "
                            "по методам (ratio, minmax, zscore, rank, distance × mean, geometric)")
    sens = udfs.REGION_RATING_SENSITIVITY(ind_rows, [dirs], None, None, None, None, None, "ky")
    b.array(ws, top + 1, 0, f"=REGION_RATING_SENSITIVITY({T},{D},,,,,,\"ky\")", sens, fmt="rank",
            cols={5: "label", 6: "label"})
    top += len(sens) + 3

    # several years: a long table (region, year, indicators), 2019 = the table above
    b.heading(ws, top, "2015-2019: көрсөткүчтөр (узун таблица) жана жылдар боюнча орундар / показатели "
                            "(длинная таблица) и места по годам")
    b.note(ws, top + 1, PANEL_NOTE, 4)
    ptop = top + 2
    panel = rating_panel(ind_rows)
    phead = ["Аймак", "Жыл"] + head[1:]
    for j, v in enumerate(phead):
        b.put(ws, ptop, j, v, "head")
    where = {region: 5 + i for i, region in enumerate(r[0] for r in ind_rows[1:])}
    for i, (region, year, *vals) in enumerate(panel[1:], start=1):
        r = ptop + i
        ws.write_string(r, 0, region, f["label"])
        ws.write_number(r, 1, year, f["rank"])
        for j, v in enumerate(vals):
            fmt = f["int"] if j == 2 else f["num"]
            if year == 2019:  # the 2019 rows are the table above
                ws.write_formula(r, 2 + j, f"={'BCD'[j]}{where[region]}", fmt, v)
            else:
                ws.write_number(r, 2 + j, v, fmt)
    PN = f"A{ptop + 1}:E{ptop + len(panel)}"  # not P: the population range is used again below
    ranks = udfs.REGION_RATING_YEARS(panel, [dirs], None, None, None, None, "ranks", "ky")
    b.array(ws, ptop, 6, f"=REGION_RATING_YEARS({PN},{D},,,,,\"ranks\",\"ky\")", ranks, fmt="rank")
    ws.write_string(ptop - 1, 6, "Жылдар боюнча орун / Место по годам (1 = эң жакшы / лучшее)", f["subtitle"])
    years_n = len(ranks[0]) - 1
    ws.conditional_format(_rect(ptop + 1, 7, ptop + len(ranks) - 1, 6 + years_n), {"type": "3_color_scale", "min_color": "#63BE7B",
                                               "mid_color": "#FFEB84", "max_color": "#F8696B"})
    line = b.wb.add_chart({"type": "line"})
    for i, row in enumerate(ranks[1:], start=1):
        rr = ptop + i + 1  # Excel row of the region in the ranks block
        line.add_series({"name": f"='Рейтинг'!$G${rr}",
                         "categories": [ws.name, ptop, 7, ptop, 6 + years_n],
                         "values": [ws.name, ptop + i, 7, ptop + i, 6 + years_n],
                         "values_data": [v if isinstance(v, float) else None for v in row[1:]],
                         "categories_data": [str(c) for c in ranks[0][1:]],
                         "name_data": [row[0]],
                         "marker": {"type": "circle", "size": 4}})
    line.set_title({"name": "Жылдар боюнча орун / Место по годам", "name_font": {"size": 10}})
    line.set_y_axis({"reverse": True, "min": 1, "max": n, "major_unit": 1, "crossing": "max"})
    line.set_legend({"position": "right"})
    line.set_size({"width": 515, "height": 320})  # within columns G:L, so the page keeps its width
    ws.insert_chart(ptop + len(ranks) + 1, 6, line)
    b.cite(ws, ptop + len(panel) + 2, "region_rating", 4)

    # ---- results: dynamics (seed Table 2.1) --------------------------------------------------------
    ws = b.sheet("Динамика", "Динамика жана түзүм (2.1-таблица) / Динамика и структура (таблица 2.1)",
                 widths={0: 60, **{c: 15 for c in range(1, 8)}})
    T21 = _ref("2.1-табл", r21)
    top = 2
    for label, view, fmt in (("2019-ж. 2015-ж. жана 2018-ж. салыштырмалуу / 2019 к 2015 и 2018", "summary", "numr"),
                             ("Өсүү арымы (басылган) / Темп роста (как в таблице)", "printed", "numr"),
                             ("Түзүмү, % / Структура, %", "share", "numr")):
        b.heading(ws, top, label)
        block = udfs.DYNAMICS(rows21, view, None, "Өнөр жай, бардыгы", None, "ky")
        b.array(ws, top + 1, 0, f"=DYNAMICS({T21},\"{view}\",,\"Өнөр жай, бардыгы\",,\"ky\")", block, fmt=fmt)
        top += len(block) + 3
    b.heading(ws, top, "2.2-таблица: 2015-жылга карата өсүү, млн сом / таблица 2.2: прирост к 2015, млн сомов")
    block = udfs.DYNAMICS(rows22, "increase", None, None, None, "ky")
    b.array(ws, top + 1, 0, f"=DYNAMICS({_ref('2.2-табл', r22)},\"increase\",,,,\"ky\")", block, fmt="num")
    top += len(block) + 3
    b.cite(ws, top, "base_growth", 6)

    # ---- results: peers -------------------------------------------------------------------------
    ws = b.sheet("Салыштыруу", "Эл аралык көрсөткүчтөр / Международные показатели (REAT, EconGeo, ECO, US CMP)",
                 illustrative=True, widths={0: 24, **{c: 17 for c in range(1, 8)}}, note_to=7)
    top = 3
    for j, which in enumerate(("hoover", "krugman", "gini")):
        block = udfs.PEER_INDEX(emp_rows, which, None, "ky")
        b.array(ws, top, 3 * j, f"=PEER_INDEX({E},\"{which}\",,\"ky\")", block)
    top += len(emp_rows) + 3
    for label, formula, block, fmt in (
        ("Литценбергер-Штернберг / Литценбергер-Штернберг", f"=LITZENBERGER({E},{A},{P},{N},,\"ky\")",
         udfs.LITZENBERGER(emp_rows, area_rows, pop_rows, ent_rows, None, "ky"), "coefk"),
        ("ECO жылдыздары / Звёзды ECO", f"=ECO_STARS({E},,\"ky\")", udfs.ECO_STARS(emp_rows, None, "ky"), "rank"),
        ("Күчтүү кластерлер (US) / Сильные кластеры", f"=STRONG_CLUSTER({E},{N},,\"ky\")",
         udfs.STRONG_CLUSTER(emp_rows, ent_rows, None, "ky"), "rank"),
    ):
        b.heading(ws, top, label)
        b.array(ws, top + 1, 0, formula, block, fmt=fmt)
        top += len(block) + 3
    b.cite(ws, top, "litzenberger", 6)

    b.finish()
    b.wb.close()
    if values:
        import os
        import tempfile

        from xlkg.recalc import recalc

        fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=str(path.parent))
        os.close(fd)
        try:
            recalc(path, tmp, overwrite=True)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return path


def sample_formulas(path: str | Path) -> list[tuple[str, str, str]]:
    """(sheet, range, formula) of every xlkg formula in a workbook (array formulas and single cells)."""
    from xlkg.xlsx.read import load_workbook

    out = []
    with load_workbook(path) as wb:
        for ws in wb.worksheets:
            arrays = ws.array_formulae
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type != "f":
                        continue
                    text = c.value if isinstance(c.value, str) else c.value.text
                    if any(name + "(" in text for name in _names()):
                        out.append((ws.title, arrays.get(c.coordinate, c.coordinate), text))
    return out


def _names():
    from xlkg.excel.registry import functions

    return [s.name for s in functions()]


if __name__ == "__main__":  # `python -m xlkg.demo.sample [-o DIR] [--no-values]` = `xlkg build --only sample`
    import sys

    from xlkg.cli import main

    raise SystemExit(main(["build", "--only", "sample", *sys.argv[1:]]))
