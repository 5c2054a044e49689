"""Two sheets of the demo results workbook for what the peers offer beyond the seed: shift-share (REAT)
on real German employment, and the rating as a composite indicator (the JRC COIN Tool, COINr) on the
illustrative regional data."""

from __future__ import annotations

import pandas as pd

from xlkg import data
from xlkg.core import rating
from xlkg.core.regions import LANGS, term
from xlkg.core.shiftshare import shift_share

# The German data set (REAT's G.regions.emp, official German statistics): employment by Land and section.
# "Insgesamt" is the total (a region row for Germany, an industry column per Land); section C
# (manufacturing) is part of B-E and is left out so that no employee is counted twice.
GERMAN_TOTAL = "Insgesamt"
GERMAN_PART = "Verarbeitendes Gewerbe (C)"
BASE_YEAR, REPORT_YEAR = 2008, 2014


def german_employment() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Employment by Land x section in BASE_YEAR and REPORT_YEAR, and Germany's per section."""
    with data.path("real/REAT_G.regions.emp.csv").open("r", encoding="utf-8") as f:
        long = pd.read_csv(f)
    frames = []
    for year in (BASE_YEAR, REPORT_YEAR):
        wide = long[long["year"] == year].pivot(index="region", columns="industry", values="emp").astype(float)
        wide = wide.drop(columns=[GERMAN_TOTAL, GERMAN_PART])
        wide.index.name, wide.columns.name = None, None
        frames.append(wide)
    base, report = frames
    nation0, nation1 = base.loc[GERMAN_TOTAL], report.loc[GERMAN_TOTAL]
    return base.drop(index=GERMAN_TOTAL), report.drop(index=GERMAN_TOTAL), nation0, nation1


def _same(text) -> dict:
    return {lang: str(text) for lang in LANGS}


def shift_share_sheet(w) -> None:
    base, report, n0, n1 = german_employment()
    ws = w.sheet("Shift-share", {"ky": "Шифт-шер талдоо", "ru": "Шифт-шер анализ", "en": "Shift-share"})
    w.title(ws, {"ky": f"Шифт-шер талдоо: Германиянын жерлериндеги иш менен камсыз болуу, {BASE_YEAR}-{REPORT_YEAR}",
                 "ru": f"Шифт-шер анализ: занятость в землях Германии, {BASE_YEAR}-{REPORT_YEAR}",
                 "en": f"Shift-share analysis: employment in the German Länder, {BASE_YEAR}-{REPORT_YEAR}"})
    w.paragraph(ws, {
        "ky": "Чыныгы маалыматтар (Германиянын расмий статистикасы, REAT пакетиндеги G.regions.emp): ыкманын мисалы. "
              "Кыргызстандын аймактары боюнча эки жылдын тармактык маалыматтары китепте жок. Ар бир аймактын "
              "өзгөрүшү = улуттук өсүштүн таасири + тармактык түзүмдүн таасири + аймактык жылыш.",
        "ru": "Реальные данные (официальная статистика Германии, набор G.regions.emp пакета REAT): пример метода; "
              "отраслевых данных по регионам Кыргызстана за два года в книге нет. Изменение занятости региона = "
              "национальный сдвиг + структурный сдвиг + региональный сдвиг.",
        "en": "Real data (official German statistics, REAT's data set G.regions.emp): an example of the method; "
              "regional Kyrgyz data by industry for two years are not bundled. A region's change = national share "
              "+ industry mix + regional shift. Ten sections (A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U); "
              "Germany's own row is the nation.",
    })
    keys = ("national share", "industry mix", "regional shift", "total change")
    dunn = shift_share(base, report, "dunn", national_base=n0, national_report=n1)
    w.title(ws, {lang: term("shiftshare.regional_shift", lang) + " (Dunn)" for lang in LANGS}, small=True)
    w.block(ws, dunn.values, [_same(r) for r in dunn.values.index],
            [{lang: term("shiftshare." + k.replace(" ", "_"), lang) for lang in LANGS} for k in keys],
            fmt="#,##0;[Red]-#,##0", reasons=dunn.reasons, label_langs=("en",))
    w.method_line(ws, "Dunn", dunn.method)
    em = shift_share(base, report, "esteban", national_base=n0, national_report=n1)
    part = em.values[["regional shift", "allocation effect"]]
    w.title(ws, {"ky": "Эстебан-Маркильяс: аймактык жылыш жана жайгаштыруу таасири",
                 "ru": "Эстебан-Маркильяс: региональный сдвиг и эффект размещения",
                 "en": "Esteban-Marquillas: regional shift and allocation effect"}, small=True)
    w.block(ws, part, [_same(r) for r in part.index],
            [{lang: term("shiftshare." + k.replace(" ", "_"), lang) for lang in LANGS} for k in part.columns],
            fmt="#,##0;[Red]-#,##0", reasons=em.reasons, label_langs=("en",))
    w.method_line(ws, "Esteban-Marquillas", em.method)


# --------------------------------------------------------------------------------------------------
# the rating as a composite indicator

INDICATORS = {
    "grp_pc": {"ky": "Киши башына ДРП, миң сом", "ru": "ВРП на душу населения, тыс. сомов",
               "en": "GRP per head, thousand som"},
    "industry_pc": {"ky": "Киши башына өнөр жай продукциясы, миң сом",
                    "ru": "Промышленная продукция на душу населения, тыс. сомов",
                    "en": "Industrial output per head, thousand som"},
    "productivity": {"ky": "Бир иштегенге өндүрүм (артыкчылыктуу тармактар), миң сом",
                     "ru": "Выработка на одного занятого (приоритетные отрасли), тыс. сомов",
                     "en": "Output per employee (priority sectors), thousand som"},
    "enterprises": {"ky": "10 000 тургунга ишканалар", "ru": "Предприятий на 10 000 жителей",
                    "en": "Enterprises per 10,000 people"},
}


def composite_indicators(d: dict) -> pd.DataFrame:
    """Four "more is better" indicators per region from the illustrative data (run.illustrative_inputs)."""
    pop = d["population"]  # thousand people
    out, emp, ent = d["bases"]["output"], d["bases"]["employment"], d["bases"]["enterprises"]
    return pd.DataFrame({
        "grp_pc": d["grp"] / pop,  # mln som / thousand people = thousand som a head
        "industry_pc": d["industry_output"] / pop,
        "productivity": out.sum(axis=1) / emp.sum(axis=1) * 1000.0,  # mln som / person -> thousand som
        "enterprises": ent.sum(axis=1) / pop * 10.0,  # per thousand -> per 10 000
    })


def _labels(keys, table: dict) -> list[dict]:
    return [table[k] for k in keys]


def composite_sheet(w, d: dict, notice: dict) -> None:
    x = composite_indicators(d)
    regions = [{lang: term(k, lang) for lang in LANGS} for k in x.index]
    ws = w.sheet("Composite rating", {"ky": "Курама рейтинг", "ru": "Композитный рейтинг", "en": "Composite rating"})
    w.title(ws, {"ky": "Рейтинг курама индикатор катары: четтөөлөр, белгисиздик, шайкештик",
                 "ru": "Рейтинг как композитный индикатор: выбросы, неопределённость, согласованность",
                 "en": "The rating as a composite indicator: outliers, uncertainty, coherence"})
    w.paragraph(ws, notice, warn=True)
    w.paragraph(ws, {
        "ky": "Бишкектин киши башына ДРПсы калган аймактардан эки эседен ашык жогору: ал калган аймактардын упайларын "
              "кысып салат. Ошондуктан нормалдаштыруудан мурда ал винзорлоштурулат (кийинки эң чоң мааниге "
              "алмаштырылат), жана ар бир иштетилген уяча көрсөтүлөт.",
        "ru": "ВРП на душу населения Бишкека более чем вдвое выше, чем у любого другого региона, и сжимает их баллы. Поэтому до "
              "нормализации он винзоризуется (заменяется следующим по величине значением), и каждая обработанная "
              "ячейка показана.",
        "en": "Bishkek's GRP per head is more than twice that of any other region and squeezes their scores. So before "
              "normalisation it is winsorised (it takes the next highest value), and every treated cell is shown.",
    })
    w.title(ws, {"ky": "Көрсөткүчтөр", "ru": "Показатели", "en": "Indicators"}, small=True)
    w.block(ws, x, regions, _labels(x.columns, INDICATORS), fmt="#,##0.0")

    treated = rating.treat(x, "auto")
    rep = treated.report[["skew", "kurtosis", "treatment", "points winsorised"]]
    w.title(ws, {"ky": "Четтөөлөрдү иштетүү (асимметрия >= 2 жана эксцесс >= 3,5 болсо)",
                 "ru": "Обработка выбросов (если асимметрия >= 2 и эксцесс >= 3,5)",
                 "en": "Outlier treatment (where skewness >= 2 and kurtosis >= 3.5)"}, small=True)
    w.block(ws, rep, _labels(rep.index, INDICATORS),
            [{"ky": "Асимметрия", "ru": "Асимметрия", "en": "Skewness"},
             {"ky": "Эксцесс", "ru": "Эксцесс", "en": "Kurtosis"},
             {"ky": "Иштетүү", "ru": "Обработка", "en": "Treatment"},
             {"ky": "Чекиттер", "ru": "Точек", "en": "Points"}], fmt="0.00")
    if not treated.cells.empty:
        cells = treated.cells.set_index("region")[["indicator", "original", "treated"]]
        cells["indicator"] = [INDICATORS[k]["en"] for k in cells["indicator"]]
        w.block(ws, cells, [{lang: term(k, lang) for lang in LANGS} for k in cells.index],
                [{"ky": "Көрсөткүч", "ru": "Показатель", "en": "Indicator"},
                 {"ky": "Баштапкы", "ru": "Было", "en": "Original"},
                 {"ky": "Иштетилген", "ru": "Стало", "en": "Treated"}], fmt="#,##0.0")
    w.method_line(ws, "treatment", treated.method)

    comp = rating.rate_composite(x, method="minmax", treatment="auto")
    plain = rating.rate(x, method="minmax")
    table = pd.DataFrame({"score": comp.values["score"], "rank": comp.values["rank"],
                          "plain": plain.values["rank"], "treated": comp.values["treated"]})
    # an empty text cell is written as an inline string without text, which Excel repairs: "–" for none
    table["treated"] = [", ".join(INDICATORS[k]["en"] for k in t.split(", ")) if t else "–" for t in table["treated"]]
    w.title(ws, {"ky": "Рейтинг (min-max, орточо арифметикалык)", "ru": "Рейтинг (min-max, среднее арифметическое)",
                 "en": "Rating (min-max, arithmetic mean)"}, small=True)
    w.block(ws, table, regions,
            [{"ky": "Упай", "ru": "Балл", "en": "Score"}, {"ky": "Орун", "ru": "Место", "en": "Rank"},
             {"ky": "Орун (иштетүүсүз)", "ru": "Место без обработки", "en": "Rank without treatment"},
             {"ky": "Иштетилген", "ru": "Обработано", "en": "Treated"}], fmt="0.000")
    w.method_line(ws, "rating", comp.method)

    unc = rating.uncertainty(x, runs=1000, seed=1, treatment="auto")
    w.title(ws, {"ky": "Орундун белгисиздиги (Монте-Карло, 1000 жолу, seed 1)",
                 "ru": "Неопределённость места (Монте-Карло, 1000 прогонов, seed 1)",
                 "en": "Uncertainty of the rank (Monte Carlo, 1000 runs, seed 1)"}, small=True)
    w.block(ws, unc.values[["rank", "median rank", "rank 5%", "rank 95%"]], regions,
            [{"ky": "Орун", "ru": "Место", "en": "Rank"},
             {"ky": "Медианалык орун", "ru": "Медианное место", "en": "Median rank"},
             {"ky": "Орун, 5 %", "ru": "Место, 5 %", "en": "Rank, 5 %"},
             {"ky": "Орун, 95 %", "ru": "Место, 95 %", "en": "Rank, 95 %"}], fmt="0.#", reasons=unc.reasons)
    w.method_line(ws, "uncertainty", unc.method)

    coh = rating.coherence(x, method="minmax", treatment="auto")
    names = [INDICATORS[k] for k in x.columns] + [{"ky": "Индекс", "ru": "Индекс", "en": "Index"}]
    w.title(ws, {"ky": "Шайкештик: корреляциялар (Пирсон)", "ru": "Согласованность: корреляции (Пирсон)",
                 "en": "Coherence: correlations (Pearson)"}, small=True)
    w.block(ws, coh.values, names, names, fmt="0.00;[Red]-0.00", reasons=coh.reasons)
    w.method_line(ws, "coherence", coh.method + "; " + coh.notes[-1])
