"""The sample ministry workbook: data sheets laid out as a ministry economist keeps them, and result
sheets that use xlkg's worksheet functions.

    python -m xlkg.excel.sample [-o workbooks/xlkg_sample_ministry.xlsx] [--no-values]

Data sheets: the seed's Tables 2.1, 2.2 and 3.1 (xlkg/data), and illustrative regional data
(output, employment, enterprises by region x sector; population, GRP and area by region), marked on
every such sheet in Kyrgyz, Russian and English as illustrative. The national total of industry is the
real one of Table 2.1 (2019). Result sheets hold the worksheet functions as array formulas written as
Excel 365 dynamic arrays (a `cm` cell-metadata flag with `xl/metadata.xml`): Excel 365 shows them as
spills, older Excel as CSE array formulas over the same range. After building, `xlkg recalc` puts the
computed values into the file as cached values, so it shows results in any viewer.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..regions import region_name, term
from . import udfs

SAMPLE_NAME = "xlkg_sample_ministry.xlsx"

ILLUSTRATIVE = (
    "Көрсөтмө маалыматтар: аймактык сандар шарттуу (мисал үчүн), расмий статистика эмес. "
    "Өнөр жайдын улуттук жыйынтыгы гана (283 971,7 млн сом, 2019) чыныгы. / "
    "Иллюстративные данные: региональные цифры условные (для примера), не официальная статистика; "
    "реален только национальный итог промышленности (283 971,7 млн сомов, 2019). / "
    "Illustrative data: the regional figures are made up for the example, not official statistics; "
    "only the national total of industry (283 971.7 mln som, 2019) is real."
)
SECTORS = ("mining", "food_processing", "building_materials", "coke_refined_petroleum", "light_industry",
           "electricity")
NATIONAL = "Кыргыз Республикасы"
TOTAL = "Бардыгы"
INDUSTRY_TOTAL_2019 = 283971.7  # seed Table 2.1, industry total 2019 (real)


def sample_workbook_path() -> Path:
    """The sample workbook shipped in the project's workbooks/ folder."""
    from .generate import repo_root

    return repo_root() / "workbooks" / SAMPLE_NAME


def _csv(name: str) -> list[dict]:
    with resources.files("xlkg").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ky_sector(key: str) -> str:
    return term(f"sector.{key}", "ky")


@dataclass
class _Block:
    """Cells written so far on one sheet (for sizing the array formulas by calling the functions)."""

    rows: dict = field(default_factory=dict)


class _Builder:
    def __init__(self, path: Path):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        self.f = {
            "title": self.wb.add_format({"bold": True, "font_size": 13}),
            "note": self.wb.add_format({"italic": True, "font_color": "#9C5700", "bg_color": "#FFEB9C",
                                        "text_wrap": True, "valign": "top", "font_size": 9}),
            "head": self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                        "valign": "vcenter"}),
            "label": self.wb.add_format({"border": 1}),
            "num": self.wb.add_format({"border": 1, "num_format": "#,##0.0"}),
            "int": self.wb.add_format({"border": 1, "num_format": "#,##0"}),
            "coef": self.wb.add_format({"num_format": "0.000"}),
            "pct": self.wb.add_format({"num_format": "0.0"}),
            "cite": self.wb.add_format({"italic": True, "font_color": "#595959", "font_size": 9}),
        }
        self.formulas: list[tuple[str, str, str]] = []  # (sheet, ref, formula) for the tests

    def sheet(self, name: str, title: str, *, illustrative=False, widths=None):
        ws = self.wb.add_worksheet(name)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.write(0, 0, title, self.f["title"])
        if illustrative:
            ws.merge_range(1, 0, 1, 8, ILLUSTRATIVE, self.f["note"])
            ws.set_row(1, 48)
        for col, w in (widths or {}).items():
            ws.set_column(col, col, w)
        return ws

    def table(self, ws, top: int, rows: list[list], fmt="num") -> str:
        """Write a header row + labelled rows at (top, 0); returns the A1 range."""
        from xlsxwriter.utility import xl_range

        for j, v in enumerate(rows[0]):
            ws.write(top, j, v, self.f["head"])
        for i, row in enumerate(rows[1:], start=1):
            for j, v in enumerate(row):
                if j == 0:
                    ws.write_string(top + i, j, str(v), self.f["label"])
                elif isinstance(v, str):
                    ws.write_string(top + i, j, v, self.f["label"])
                elif v is None:
                    ws.write_blank(top + i, j, None, self.f["label"])
                else:
                    ws.write_number(top + i, j, v, self.f[fmt])
        return xl_range(top, 0, top + len(rows) - 1, len(rows[0]) - 1)

    def array(self, ws, top: int, left: int, formula: str, block: list[list], fmt="coef") -> str:
        """A dynamic-array formula at (top, left) over the size of `block` (what the function returns)."""
        from xlsxwriter.utility import xl_range

        h, w = len(block), max(len(r) for r in block)
        ref = xl_range(top, left, top + h - 1, left + w - 1)
        ws.write_dynamic_array_formula(ref, formula, self.f[fmt])
        self.formulas.append((ws.name, ref, formula))
        return ref

    def cite(self, ws, row: int, col: int, formula: str):
        ws.write_formula(row, col, formula, self.f["cite"])
        self.formulas.append((ws.name, f"{_col(col)}{row + 1}", formula))


def _col(c: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(c)


def _ref(sheet: str, rng: str) -> str:
    return f"'{sheet}'!{rng}"


def build_sample(path: str | Path | None = None, *, values: bool = True) -> Path:
    """Write the sample ministry workbook to `path` (default: workbooks/xlkg_sample_ministry.xlsx).

    With `values` (default) the workbook is then recalculated in place with `xlkg recalc`, so it
    carries the computed results as cached values."""
    path = Path(path) if path is not None else sample_workbook_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    b = _Builder(path)
    f = b.f

    # ---- contents ------------------------------------------------------------------------------
    ws = b.sheet("Мазмуну", "xlkg: өнөр жай кластерлерин аймактык талдоо / региональный анализ промышленных кластеров",
                 widths={0: 22, 1: 100})
    contents = [
        ("2.1-табл", "Өнөр жай продукциясынын көлөмү, млн сом (сид, 2.1-таблица) / Объём промышленной продукции, млн сомов"),
        ("2.2-табл", "Өнөр жайдын каржылык натыйжасы, млн сом (сид, 2.2-таблица) / Финансовый результат промышленности"),
        ("3.1-табл", "Кластерлөө потенциалынын коэффициенттери (сид, 3.1-таблица) / Коэффициенты потенциала кластерообразования"),
        ("Өндүрүш", "Көрсөтмө: аймактар x тармактар, өндүрүш, млн сом / Иллюстративно: выпуск по регионам и отраслям"),
        ("Иштегендер", "Көрсөтмө: иш менен камтылгандар, адам / Иллюстративно: занятые, человек"),
        ("Ишканалар", "Көрсөтмө: ишканалардын саны / Иллюстративно: число предприятий"),
        ("Аймактар", "Көрсөтмө: калк, ДРП, аянт / Иллюстративно: население, ВРП, площадь"),
        ("Локализация", "=LOCALIZATION(...) ар бир база боюнча / по каждой базе"),
        ("Потенциал", "=LOCALIZATION_MEAN, PER_CAPITA, SPECIALIZATION, CLUSTER_POTENTIAL, ADVANTAGE, CANDIDATES"),
        ("Рейтинг", "=REGION_RATING(...) интегралдык рейтинг / интегральный рейтинг"),
        ("Динамика", "=GROWTH(...) 2.1-таблица боюнча / по таблице 2.1 (156,9%, 110,3%, 2,5 эсе ...)"),
        ("Салыштыруу", "=PEER_INDEX, LITZENBERGER, ECO_STARS, STRONG_CLUSTER (REAT / EconGeo)"),
    ]
    ws.write_row(2, 0, ["Барак / Лист", "Мазмуну / Содержание"], f["head"])
    for i, (name, text) in enumerate(contents, start=3):
        ws.write_url(i, 0, f"internal:'{name}'!A1", string=name)
        ws.write_string(i, 1, text)
    ws.write_string(len(contents) + 4, 0, ILLUSTRATIVE)

    # ---- seed Table 2.1 --------------------------------------------------------------------------
    t21 = _csv("seed_table_2_1_gross_output.csv")
    years = ["2015", "2016", "2017", "2018", "2019"]
    ws = b.sheet("2.1-табл", "2.1-таблица. Өнөр жай продукциясынын көлөмү, млн сом / Объём промышленной продукции, млн сомов",
                 widths={0: 60, 1: 11, 2: 11, 3: 11, 4: 11, 5: 11})
    rows21 = [["Экономикалык ишмердүүлүктүн түрү / Вид деятельности"] + years] + [
        [r["activity_ky"]] + [float(r[y]) for y in years] for r in t21]
    r21 = b.table(ws, 2, rows21)
    ws.write_string(len(rows21) + 3, 0, "Булак / Источник: сид (диссертация), 2.1-таблица.", f["cite"])

    # ---- seed Table 2.2 --------------------------------------------------------------------------
    t22 = _csv("seed_table_2_2_financial_result.csv")
    ky_by_code = {r["activity_code"]: r["activity_ky"] for r in t21}
    ws = b.sheet("2.2-табл", "2.2-таблица. Өнөр жайдын каржылык натыйжасы (пайда минус чыгым), млн сом / Финансовый результат",
                 widths={0: 60, 1: 11, 2: 11, 3: 11, 4: 11, 5: 11})
    rows22 = [["Экономикалык ишмердүүлүктүн түрү / Вид деятельности"] + years] + [
        [ky_by_code.get(r["activity_code"], r["activity_en"])] + [float(r[y]) for y in years] for r in t22]
    r22 = b.table(ws, 2, rows22)

    # ---- seed Table 3.1 --------------------------------------------------------------------------
    t31 = _csv("seed_table_3_1_cluster_potential.csv")
    ws = b.sheet("3.1-табл", "3.1-таблица. Кластерлөө потенциалынын интегралдык коэффициенти (Ki) / Интегральный коэффициент",
                 widths={0: 20, **{c: 16 for c in range(1, 7)}})
    rows31 = [["Аймак / Регион"] + [_ky_sector(s) for s in SECTORS]] + [
        [r["region_ky"]] + [float(r[s]) if r[s] else "–" for s in SECTORS] for r in t31]
    r31 = b.table(ws, 2, rows31, fmt="num")
    ws.write_string(len(rows31) + 3, 0, "Булак / Источник: сид, 3.1-таблица; «–» = тармак жок / отрасли нет.", f["cite"])

    # ---- illustrative regional data --------------------------------------------------------------
    long = _csv("illustrative_regional_industry.csv")
    regions = _csv("illustrative_regions.csv")
    keys = [r["region_key"] for r in regions]
    cell = {(r["region_key"], r["sector_key"]): r for r in long}

    def base_rows(col: str, *, totals: bool):
        head = ["Аймак / Регион"] + [_ky_sector(s) for s in SECTORS]
        if totals:
            head.append(f"{TOTAL} (бүт өнөр жай) / Всего (вся промышленность)")
        out = [head]
        for k, reg in zip(keys, regions):
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
        ws = b.sheet(name, title, illustrative=True, widths={0: 20, **{c: 16 for c in range(1, 8)}})
        rows = base_rows(col, totals=totals)
        ws.set_row(3, 45)
        sheets[name] = (rows, b.table(ws, 3, rows, fmt=fmt))
    out_rows, out_ref = sheets["Өндүрүш"]
    emp_rows, emp_ref = sheets["Иштегендер"]
    ent_rows, ent_ref = sheets["Ишканалар"]

    # Regions sheet: Russian names and another order, to show matching by name (not by position).
    ws = b.sheet("Аймактар", "Аймактар: калк, ДРП, аянт / Регионы: население, ВРП, площадь",
                 illustrative=True, widths={0: 26, 1: 14, 3: 26, 4: 14, 6: 26, 7: 14})
    order = sorted(range(len(keys)), key=lambda i: region_name(keys[i], "ru"))

    def pairs(col: str, head: str, total: bool, cast=float):
        rows = [["Регион", head]] + [[region_name(keys[i], "ru"), cast(regions[i][col])] for i in order]
        if total:
            rows.append(["Кыргызская Республика", sum(r[1] for r in rows[1:])])
        return rows

    pop_rows = pairs("population_thousand", "Калк, миң адам / Население, тыс. чел.", True)
    grp_rows = pairs("grp_mln_som", "ДРП, млн сом / ВРП, млн сомов", True)
    area_rows = pairs("area_sqkm", "Аянты, км² / Площадь, км²", True)
    ws.set_row(3, 45)
    pop_ref = b.table(ws, 3, pop_rows)
    from xlsxwriter.utility import xl_range

    def table_at(ws, top, left, rows):
        for j, v in enumerate(rows[0]):
            ws.write(top, left + j, v, f["head"])
        for i, row in enumerate(rows[1:], start=1):
            ws.write_string(top + i, left, row[0], f["label"])
            ws.write_number(top + i, left + 1, row[1], f["num"])
        return xl_range(top, left, top + len(rows) - 1, left + 1)

    grp_ref = table_at(ws, 3, 3, grp_rows)
    area_ref = table_at(ws, 3, 6, area_rows)

    O = _ref("Өндүрүш", out_ref)
    E = _ref("Иштегендер", emp_ref)
    N = _ref("Ишканалар", ent_ref)
    P = _ref("Аймактар", pop_ref)
    G = _ref("Аймактар", grp_ref)
    A = _ref("Аймактар", area_ref)

    # ---- results: localization per base -----------------------------------------------------------
    ws = b.sheet("Локализация", "Локалдаштыруу коэффициенти / Коэффициент локализации: Kl = (x_ri/x_r)/(x_i/x)",
                 widths={0: 34, **{c: 14 for c in range(1, 8)}})
    top = 2
    for label, rng, rows in (("Өндүрүш боюнча / по выпуску", O, out_rows),
                             ("Иштегендер боюнча / по занятым", E, emp_rows),
                             ("Ишканалар боюнча / по предприятиям", N, ent_rows)):
        ws.write_string(top, 0, label, f["title"])
        block = udfs.LOCALIZATION(rows, None, None, "ky")
        b.array(ws, top + 1, 0, f"=LOCALIZATION({rng},,,\"ky\")", block)
        top += len(block) + 3
    b.cite(ws, top, 0, '=METHOD_TEXT("localization",,"ky")')

    # ---- results: potential ---------------------------------------------------------------------
    ws = b.sheet("Потенциал", "Кластерлөө потенциалы / Потенциал кластерообразования: Ki = (Kl·Kdp·Ks)^(1/3)",
                 widths={0: 34, **{c: 14 for c in range(1, 8)}})
    top = 2
    ws.write_string(top, 0, "Kl: орточо үч база боюнча / среднее по трём базам (выпуск, занятые, предприятия)", f["title"])
    kl = udfs.LOCALIZATION_MEAN(out_rows, emp_rows, ent_rows)
    kl_ref = b.array(ws, top + 1, 0, f"=LOCALIZATION_MEAN({O},{E},{N})", kl)
    top += len(kl) + 3
    ws.write_string(top, 0, "Kdp: калктын жан башына / душевое производство", f["title"])
    kdp = udfs.PER_CAPITA(out_rows, pop_rows, "ky")
    kdp_ref = b.array(ws, top + 1, 0, f"=PER_CAPITA({O},{P},\"ky\")", kdp)
    top += len(kdp) + 3
    ws.write_string(top, 0, "Ks: адистештирүү (Y = ДРП) / специализация (Y = ВРП)", f["title"])
    ks = udfs.SPECIALIZATION(out_rows, grp_rows, None, None, "ky")
    ks_ref = b.array(ws, top + 1, 0, f"=SPECIALIZATION({O},{G},,,\"ky\")", ks)
    top += len(ks) + 3
    ws.write_string(top, 0, "Ki: интегралдык коэффициент / интегральный коэффициент", f["title"])
    ki = udfs.CLUSTER_POTENTIAL(kl, kdp, ks, None, "ky")
    ki_ref = b.array(ws, top + 1, 0, f"=CLUSTER_POTENTIAL({kl_ref},{kdp_ref},{ks_ref},\"geometric\",\"ky\")", ki)
    from xlsxwriter.utility import xl_range as _xr

    ki_vals = _xr(top + 2, 1, top + len(ki), len(ki[0]) - 1)
    ws.conditional_format(ki_vals, {"type": "3_color_scale", "min_color": "#F8696B", "mid_type": "num",
                                    "mid_value": 1, "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    top += len(ki) + 3
    ws.write_string(top, 0, "Ki бир формула менен / одной формулой", f["title"])
    ki1 = udfs.CLUSTER_POTENTIAL(udfs.LOCALIZATION_MEAN(out_rows, emp_rows, ent_rows),
                                 udfs.PER_CAPITA(out_rows, pop_rows), udfs.SPECIALIZATION(out_rows, grp_rows))
    b.array(ws, top + 1, 0, f"=CLUSTER_POTENTIAL(LOCALIZATION_MEAN({O},{E},{N}),PER_CAPITA({O},{P}),"
                            f"SPECIALIZATION({O},{G}))", ki1)
    top += len(ki1) + 3
    ws.write_string(top, 0, "Артыкчылык (Ki > 1) / Преимущество", f["title"])
    adv = udfs.ADVANTAGE(ki, None, "ky")
    b.array(ws, top + 1, 0, f"=ADVANTAGE({ki_ref},,\"ky\")", adv, fmt="coef")
    top += len(adv) + 3
    ws.write_string(top, 0, "Тармак боюнча аймактар / Регионы-кандидаты по отраслям", f["title"])
    cand = udfs.CANDIDATES(ki, None, "ky")
    b.array(ws, top + 1, 0, f"=CANDIDATES({ki_ref},,\"ky\")", cand)
    top += len(cand) + 3
    for k, m in enumerate(("localization_mean", "per_capita", "specialization", "cluster_potential")):
        b.cite(ws, top + k, 0, f'=METHOD_TEXT("{m}",,"ky")')
    top += 6
    ws.write_string(top, 0, "Сид 3.1-таблица боюнча талапкерлер / Кандидаты по таблице 3.1 сида", f["title"])
    cand31 = udfs.CANDIDATES(rows31, None, "ky")
    b.array(ws, top + 1, 0, f"=CANDIDATES({_ref('3.1-табл', r31)},,\"ky\")", cand31)

    # ---- results: rating ------------------------------------------------------------------------
    ws = b.sheet("Рейтинг", "Интегралдык рейтинг / Интегральный рейтинг: R = (1/n)·Σ b_rk",
                 illustrative=True, widths={0: 22, 1: 18, 2: 18, 3: 18, 5: 22, 6: 12, 7: 10})
    head = ["Аймак / Регион", "ДРП жан башына / ВРП на душу", "Өнөр жай жан башына / Промышленность на душу",
            "Тоо-кен үлүшү, % / Доля горнодобычи, %"]
    ws.set_row(3, 45)
    for j, v in enumerate(head):
        ws.write(3, j, v, f["head"])
    pop_row = {region_name(keys[i], "ru"): 5 + k for k, i in enumerate(order)}  # Excel row in Аймактар
    ind_rows = [head]
    for i, k in enumerate(keys):
        r = 4 + i
        ws.write_string(r, 0, region_name(k, "ky"), f["label"])
        pr = pop_row[region_name(k, "ru")]
        orow = 5 + i  # Excel row of the region in Өндүрүш
        ws.write_formula(r, 1, f"='Аймактар'!E{pr}/'Аймактар'!B{pr}", f["num"])
        ws.write_formula(r, 2, f"='Өндүрүш'!H{orow}/'Аймактар'!B{pr}", f["num"])
        ws.write_formula(r, 3, f"='Өндүрүш'!B{orow}/'Өндүрүш'!H{orow}*100", f["num"])
        reg = regions[i]
        grp_pc = float(reg["grp_mln_som"]) / float(reg["population_thousand"])
        ind_pc = float(reg["industry_output_mln_som"]) / float(reg["population_thousand"])
        mining = out_rows[1 + i][1] / out_rows[1 + i][-1] * 100
        ind_rows.append([region_name(k, "ky"), grp_pc, ind_pc, mining])
    last = 4 + len(keys)
    ws.write_string(last, 0, "Багыт / Направление", f["head"])
    ws.write_row(last, 1, ["+", "+", "-"], f["head"])
    rating = udfs.REGION_RATING(ind_rows, [["+", "+", "-"]], None, None, None, None, None, "ky")
    b.array(ws, 3, 5, f"=REGION_RATING(A4:D{last},B{last + 1}:D{last + 1},,,,,,\"ky\")", rating)
    ws.conditional_format(f"G5:G{4 + len(keys)}", {"type": "data_bar", "bar_color": "#63BE7B"})
    b.cite(ws, last + 3, 0, '=METHOD_TEXT("region_rating",,"ky")')

    # ---- results: dynamics (seed Table 2.1) --------------------------------------------------------
    ws = b.sheet("Динамика", "Динамика жана түзүм (2.1-таблица) / Динамика и структура (таблица 2.1)",
                 widths={0: 60, **{c: 15 for c in range(1, 8)}})
    T21 = _ref("2.1-табл", r21)
    top = 2
    for label, view, fmt in (("2019-ж. 2015-ж. жана 2018-ж. салыштырмалуу / 2019 к 2015 и 2018", "summary", "pct"),
                             ("Өсүү арымы (басылган) / Темп роста (как в таблице)", "printed", "pct"),
                             ("Түзүмү, % / Структура, %", "share", "pct")):
        ws.write_string(top, 0, label, f["title"])
        block = udfs.GROWTH(rows21, view, None, "Өнөр жай, бардыгы", "ky")
        b.array(ws, top + 1, 0, f"=GROWTH({T21},\"{view}\",,\"Өнөр жай, бардыгы\",\"ky\")", block, fmt=fmt)
        top += len(block) + 3
    ws.write_string(top, 0, "2.2-таблица: 2015-жылга карата өсүү, млн сом / таблица 2.2: прирост к 2015, млн сомов",
                    f["title"])
    block = udfs.GROWTH(rows22, "increase", None, None, "ky")
    b.array(ws, top + 1, 0, f"=GROWTH({_ref('2.2-табл', r22)},\"increase\",,,\"ky\")", block, fmt="pct")
    top += len(block) + 3
    b.cite(ws, top, 0, '=METHOD_TEXT("base_growth",,"ky")')

    # ---- results: peers -------------------------------------------------------------------------
    ws = b.sheet("Салыштыруу", "Эл аралык көрсөткүчтөр / Международные показатели (REAT, EconGeo, ECO, US CMP)",
                 illustrative=True, widths={0: 30, **{c: 14 for c in range(1, 8)}})
    top = 3
    for j, which in enumerate(("hoover", "krugman", "gini")):
        block = udfs.PEER_INDEX(emp_rows, which, "ky")
        b.array(ws, top, 2 * j if j == 0 else 2 * j + 1, f"=PEER_INDEX({E},\"{which}\",\"ky\")", block)
    top += len(emp_rows) + 3
    for label, formula, block in (
        ("Литценбергер-Штернберг / Литценбергер-Штернберг", f"=LITZENBERGER({E},{A},{P},{N},\"ky\")",
         udfs.LITZENBERGER(emp_rows, area_rows, pop_rows, ent_rows, "ky")),
        ("ECO жылдыздары / Звёзды ECO", f"=ECO_STARS({E},\"ky\")", udfs.ECO_STARS(emp_rows, "ky")),
        ("Күчтүү кластерлер (US) / Сильные кластеры", f"=STRONG_CLUSTER({E},{N},\"ky\")",
         udfs.STRONG_CLUSTER(emp_rows, ent_rows, "ky")),
    ):
        ws.write_string(top, 0, label, f["title"])
        b.array(ws, top + 1, 0, formula, block)
        top += len(block) + 3
    b.cite(ws, top, 0, '=METHOD_TEXT("litzenberger",,"ky")')

    b.wb.close()
    if values:
        import os
        import tempfile

        from ..recalc import recalc

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
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
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
    from .registry import functions

    return [s.name for s in functions()]


def main_sample(argv: list[str] | None = None) -> int:
    """`python -m xlkg.excel.sample [-o PATH] [--no-values]`: build the sample ministry workbook."""
    import argparse

    p = argparse.ArgumentParser(prog="xlkg sample", description="Build the sample ministry workbook.")
    p.add_argument("-o", "--output", default=None, help=f"where to write it (default: workbooks/{SAMPLE_NAME})")
    p.add_argument("--no-values", action="store_true", help="leave the formulas without cached values")
    a = p.parse_args(argv)
    print(f"wrote {build_sample(a.output, values=not a.no_values)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_sample())
