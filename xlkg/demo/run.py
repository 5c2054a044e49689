"""`xlkg demo`: the main job on the bundled data.

Writes into one folder:
  xlkg_results.xlsx                   the measures, labelled in Kyrgyz, Russian and English: the seed's
                                      Tables 2.1, 2.2 and 3.1 with their dynamics and candidates, and
                                      the cluster-formation potential of the illustrative regional data
                                      (localization averaged over three bases, per-capita production,
                                      specialization, the integral coefficient with a colour scale),
                                      and the peer indices
  sample_ministry_workbook.xlsx       the sample ministry workbook, its xlkg formulas recalculated
  cluster_scorecard.xlsx              the cluster scorecard template filled from the example cluster
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from xlkg.core import clusters, dynamics, measures, peers
from xlkg.core.regions import LANGS, region_key, term
from xlkg.data import INDUSTRY_TOTAL_2019, SECTORS, illustrative_notice
from xlkg.data import rows as data_rows
from xlkg.demo import peer_methods

ILLUSTRATIVE = {lang: illustrative_notice(lang, real_total=True) for lang in LANGS}


def illustrative_inputs() -> dict:
    """The illustrative regional data as labelled frames (English glossary labels)."""
    long = pd.DataFrame(data_rows("illustrative_regional_industry.csv"))
    regions = pd.DataFrame(data_rows("illustrative_regions.csv")).set_index("region_key")
    keys = list(regions.index)
    bases = {}
    for base, col in (("output", "output_mln_som"), ("employment", "employment_persons"),
                      ("enterprises", "enterprises_units")):
        wide = long.pivot(index="region_key", columns="sector_key", values=col).astype(float)
        wide = wide.reindex(index=keys, columns=list(SECTORS))
        # A sector a region does not have ("-" in the seed) is a true zero of production here.
        bases[base] = wide.fillna(0.0)
    attrs = regions.astype(float)
    return {"bases": bases, "population": attrs["population_thousand"], "grp": attrs["grp_mln_som"],
            "industry_output": attrs["industry_output_mln_som"], "area": attrs["area_sqkm"]}


def potential_from_illustrative():
    """Kl (mean over output, employment, enterprises), Kdp, Ks (GRP), Ki (geometric mean)."""
    d = illustrative_inputs()
    out = d["bases"]["output"]
    # Output's regional totals are all industry (the table lists six priority sectors); the national
    # total is the real one of Table 2.1 (2019), to which the illustrative regional totals add up.
    totals = {"output": {"region_totals": d["industry_output"], "grand_total": INDUSTRY_TOTAL_2019}}
    kl = measures.localization_mean(d["bases"], method="arithmetic", totals=totals)
    kdp = measures.per_capita(out, d["population"])
    ks = measures.specialization(out, d["grp"], method="grp")
    ki = measures.cluster_potential(kl, kdp, ks, method="geometric")
    return d, {"kl": kl, "kdp": kdp, "ks": ks, "ki": ki}


def run_demo(outdir: Path) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = [write_results_workbook(outdir / "xlkg_results.xlsx")]
    written += _sample_and_scorecard(outdir)
    return written


def _sample_and_scorecard(outdir: Path) -> list[Path]:
    """Recalculate the sample ministry workbook and fill the scorecard (both shipped in workbooks/)."""
    written = []
    from xlkg.demo.sample import sample_workbook_path
    from xlkg.recalc import recalc
    from xlkg.scorecard.writer import fill_example

    target = outdir / "sample_ministry_workbook.xlsx"
    recalc(sample_workbook_path(), target, overwrite=True)
    written.append(target)
    written.append(fill_example(outdir / "cluster_scorecard.xlsx").output)
    return written


# ---------------------------------------------------------------------------------------------------
# the results workbook (a new file: openpyxl writes it from scratch, nothing to preserve)
# ---------------------------------------------------------------------------------------------------

def write_results_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    from xlkg.demo.report import BlockWriter

    wb = Workbook()
    wb.remove(wb.active)
    d, pot = potential_from_illustrative()
    w = BlockWriter(wb)

    ws = w.sheet("About", {"ky": "Маалымат", "ru": "О файле", "en": "About"})
    w.title(ws, {"ky": "xlkg: өнөр жай кластерлерин аймактык талдоо",
                 "ru": "xlkg: региональный анализ промышленных кластеров",
                 "en": "xlkg: regional analysis of industrial clusters"})
    w.paragraph(ws, {
        "ky": "Бул китепте диссертациянын 2.1, 2.2 жана 3.1-таблицалары жана көрсөтмө аймактык маалыматтар "
              "боюнча эсептелген коэффициенттер бар.",
        "ru": "В книге: таблицы 2.1, 2.2 и 3.1 диссертации с расчётами динамики и кандидатов, и коэффициенты, "
              "рассчитанные по иллюстративным региональным данным.",
        "en": "This workbook holds the dissertation's Tables 2.1, 2.2 and 3.1 with their dynamics and "
              "candidate regions, and the coefficients computed from illustrative regional data.",
    })
    w.paragraph(ws, ILLUSTRATIVE, warn=True)
    for key, short in (("localization", "kl"), ("per_capita", "kdp"), ("specialization", "ks"),
                       ("cluster_potential", "ki")):
        w.method_line(ws, term(f"measure.{key}", "en"), pot[short].method)

    _table_2_1(w)
    _table_2_2(w)
    _table_3_1(w)
    _clusters_sheet(w)
    _map_sheet(w)
    _illustrative_sheet(w, d)
    _potential_sheet(w, pot)
    _peers_sheet(w, d)
    peer_methods.shift_share_sheet(w)
    peer_methods.composite_sheet(w, d, ILLUSTRATIVE)
    w.finish()
    from xlkg.output import writing

    with writing(path, overwrite=True) as fh:  # the demo's own folder: a rerun replaces its results
        wb.save(fh)
    return path


def _sector_terms(keys):
    return [{lang: term(f"sector.{k}", lang) for lang in LANGS} for k in keys]


def _region_terms(keys):
    return [{lang: term(k, lang) for lang in LANGS} for k in keys]


YEARS = ["2015", "2016", "2017", "2018", "2019"]


def _seed_years(name: str):
    """A seed table by activity code and year (Tables 2.1, 2.2), with its CSV rows for the labels."""
    rows = data_rows(name)
    frame = pd.DataFrame([[float(r[y]) for y in YEARS] for r in rows], columns=YEARS,
                         index=[r["activity_code"] for r in rows])
    return rows, frame


def _table_2_1(w):
    rows, frame = _seed_years("seed_table_2_1_gross_output.csv")
    years = YEARS
    labels = [{"ky": r["activity_ky"], "ru": r["activity_ky"], "en": r["activity_en"]} for r in rows]
    ws = w.sheet("Table 2.1", {"ky": "2.1-таблица", "ru": "Таблица 2.1", "en": "Table 2.1"})
    w.title(ws, {"ky": "Өнөр жай продукциясынын көлөмү, млн сом (КР УСК)",
                 "ru": "Объём промышленной продукции по секциям, млн сомов (НСК КР)",
                 "en": "Gross industrial output by section, mln som (National Statistical Committee)"})
    w.block(ws, frame, labels, [{lang: y for lang in LANGS} for y in years], fmt="#,##0.0", label_langs=("ky", "en"))
    first, last, prev = years[0], years[-1], years[-2]
    base = dynamics.base_growth(frame, base=first).values[last]
    chain = dynamics.chain_growth(frame).values[last]
    inc_base = dynamics.base_increase(frame, base=first).values[last]
    inc_chain = dynamics.chain_increase(frame).values[last]
    share = dynamics.shares(frame, total_row="BCDE").values[last]
    dyn = pd.DataFrame({"base": base, "chain": chain, "inc_base": inc_base, "inc_chain": inc_chain,
                        "share": share}, index=frame.index)
    heads = [
        {"ky": f"{last} / {first}, %", "ru": f"{last} к {first}, %", "en": f"{last} vs {first}, %"},
        {"ky": f"{last} / {prev}, %", "ru": f"{last} к {prev}, %", "en": f"{last} vs {prev}, %"},
        {"ky": f"{first}-жылга карата өсүш, млн сом", "ru": f"Прирост к {first}, млн сомов",
         "en": f"Increase vs {first}, mln som"},
        {"ky": f"{prev}-жылга карата өсүш, млн сом", "ru": f"Прирост к {prev}, млн сомов",
         "en": f"Increase vs {prev}, mln som"},
        {"ky": f"{last}-жылдагы үлүшү, %", "ru": f"Доля в {last}, %", "en": f"Share in {last}, %"},
    ]
    w.title(ws, {"ky": "Динамика жана түзүмү", "ru": "Динамика и структура", "en": "Dynamics and structure"},
            small=True)
    w.block(ws, dyn, labels, heads, fmt="#,##0.0;[Red]-#,##0.0", label_langs=("ky", "en"))
    printed = pd.DataFrame({lang: [dynamics.format_growth(v, lang=lang) for v in base] for lang in LANGS},
                           index=frame.index)
    w.title(ws, {"ky": f"{last} / {first}: диссертациядагыдай жазылышы", "ru": f"{last} к {first}: как в диссертации",
                 "en": f"{last} vs {first}: as the dissertation prints it"}, small=True)
    w.block(ws, printed, labels, [{lang: col for lang in LANGS} for col in LANGS], fmt="@",
            label_langs=("ky", "en"))
    w.method_line(ws, "growth", "T_b = x_t / x_0 * 100; T_c = x_t / x_(t-1) * 100; S_i = x_i / x * 100 "
                                "(standard; seed Table 2.1)")


def _table_2_2(w):
    rows, frame = _seed_years("seed_table_2_2_financial_result.csv")
    years = YEARS
    labels = [{"ky": r["activity_en"], "ru": r["activity_en"], "en": r["activity_en"]} for r in rows]
    ws = w.sheet("Table 2.2", {"ky": "2.2-таблица", "ru": "Таблица 2.2", "en": "Table 2.2"})
    w.title(ws, {"ky": "Сальдолонгон финансылык натыйжа, млн сом",
                 "ru": "Сальдированный финансовый результат (прибыль минус убыток), млн сомов",
                 "en": "Balanced financial result (profit minus loss), mln som"})
    w.block(ws, frame, labels, [{lang: y for lang in LANGS} for y in years], fmt="#,##0.0;[Red]-#,##0.0",
            label_langs=("en",))
    sections = frame.drop(index="BCDE").sum()
    check = pd.DataFrame([sections.to_numpy(), (sections - frame.loc["BCDE"]).round(1).to_numpy()],
                         columns=years, index=["sum", "diff"])
    w.title(ws, {"ky": "Текшерүү: секциялардын суммасы", "ru": "Проверка: сумма секций",
                 "en": "Check: sum of the sections"}, small=True)
    w.block(ws, check, [{"ky": "B+C+D+E", "ru": "B+C+D+E", "en": "B+C+D+E"},
                        {"ky": "айырма", "ru": "расхождение с итогом", "en": "difference from the total"}],
            [{lang: y for lang in LANGS} for y in years], fmt="#,##0.0;[Red]-#,##0.0", label_langs=("en",))


def table_3_1() -> pd.DataFrame:
    """The seed's Table 3.1 (Ki, regions x the six priority sectors), indexed by region key; NaN = "-"."""
    rows = data_rows("seed_table_3_1_cluster_potential.csv")
    keys = [region_key(r["region_en"]) for r in rows]
    return pd.DataFrame([[float(r[s]) if r[s] else math.nan for s in SECTORS] for r in rows],
                        index=keys, columns=list(SECTORS))


def _table_3_1(w):
    frame = table_3_1()
    keys = list(frame.index)
    reasons = frame.isna().replace({True: "–", False: None})
    ws = w.sheet("Table 3.1", {"ky": "3.1-таблица", "ru": "Таблица 3.1", "en": "Table 3.1"})
    w.title(ws, {"ky": term("measure.cluster_potential", "ky") + ", 2015-2019 (диссертация)",
                 "ru": term("measure.cluster_potential", "ru") + ", 2015-2019 (диссертация)",
                 "en": term("measure.cluster_potential", "en") + ", 2015-2019 (dissertation)"})
    w.block(ws, frame, _region_terms(keys), _sector_terms(SECTORS), fmt="0.000", reasons=reasons,
            colour_scale=True)
    _candidates(w, ws, frame)


_STATUS_TEXT = {
    clusters.SUPPORTED: {"ky": "сандар тастыктайт", "ru": "подтверждено расчётом", "en": "supported"},
    clusters.PROPOSAL_ONLY: {"ky": "сандар тастыктабайт", "ru": "расчётом не подтверждено", "en": "not supported"},
    clusters.NUMBERS_ONLY: {"ky": "сүрөттө жок", "ru": "нет на рисунке", "en": "left out of the figure"},
}


def _clusters_sheet(w):
    """From Table 3.1 to Figure 1: the clusters the numbers propose, set against the seed's figure."""
    frame = table_3_1()
    proposal = clusters.propose_clusters(frame)
    check = clusters.compare_clusters(frame)
    ws = w.sheet("Clusters", {"ky": "Кластерлер", "ru": "Кластеры", "en": "Clusters"})
    w.title(ws, {"ky": "Потенциалдан кластерлерге: 3.1-таблица жана 1-сүрөт",
                 "ru": "От потенциала к кластерам: таблица 3.1 и рисунок 1",
                 "en": "From potential to clusters: Table 3.1 and Figure 1"})
    w.paragraph(ws, {
        "ky": "Аймак кластердин түрүн колдойт, эгерде анын тармактарынын биринде Ki > 1 болсо; чектеш аймактар "
              "(Бишкек Чүй облусунун ичинде, Ош шаары Ош облусунун ичинде) бир топко кирет. Курал сунуштайт, "
              "экономист чечет.",
        "ru": "Регион поддерживает тип кластера, если в одной из его отраслей Ki > 1; соседние регионы (Бишкек "
              "внутри Чуйской области, г. Ош внутри Ошской) образуют одну группу. Инструмент предлагает, "
              "решает экономист.",
        "en": "A region supports a cluster type where its Ki exceeds 1 in one of the type's sectors; regions that "
              "border each other (Bishkek inside Chui, Osh city inside Osh oblast) form one group. The tool "
              "proposes, the economist decides.",
    })
    groups = {(c, r): g for c, g, r in proposal.values[["cluster", "group", "region"]].itertuples(index=False)}
    heads = [{"ky": "Топ", "ru": "Группа", "en": "Group"},
             {"ky": "Тармак", "ru": "Отрасль", "en": "Sector"},
             {"ky": "Ki", "ru": "Ki", "en": "Ki"},
             {"ky": "1-сүрөт", "ru": "Рисунок 1", "en": "Figure 1"}]
    for ckey, part in check.values.groupby("cluster", sort=False):
        w.title(ws, {lang: term(ckey, lang) for lang in LANGS}, small=True)
        keys = list(part["region"].map(lambda r: r if str(r).startswith("region.") else region_key(r)))
        table = pd.DataFrame({
            "group": [groups.get((ckey, r), math.nan) for r in part["region"]],
            "sector": [term(f"sector.{s}", "ky") if isinstance(s, str) else math.nan for s in part["sector"]],
            "ki": part["potential"].to_numpy(dtype=float),
            "figure": [" / ".join(_STATUS_TEXT[st][lang] for lang in LANGS) for st in part["status"]],
        }, index=keys)
        reasons = pd.DataFrame({"group": ["Ki ≤ 1" if math.isnan(g) else None for g in table["group"]]},
                               index=keys).reindex(columns=table.columns)
        w.block(ws, table, _region_terms(keys), heads, fmt="General", reasons=reasons)
    w.title(ws, {"ky": "Сандар жана 1-сүрөт: айырмачылыктар", "ru": "Расчёт и рисунок 1: расхождения",
                 "en": "The numbers and Figure 1: where they differ"}, small=True)
    w.paragraph(ws, _differences(check.values))
    w.method_line(ws, "clusters", proposal.method)
    w.method_line(ws, "check", check.method)


def _differences(check: pd.DataFrame) -> dict:
    """One sentence per language listing what Figure 1 adds without support and what it leaves out."""
    def name(key, lang):
        return term(key if str(key).startswith("region.") else region_key(key), lang)

    out = {}
    words = {"ky": ("кошулган, бирок сандар тастыктабайт", "сандар колдойт, бирок сүрөттө жок", "бардыгы дал келет"),
             "ru": ("добавлено без подтверждения расчётом", "поддержано расчётом, но не показано на рисунке",
                    "всё совпадает"),
             "en": ("added without support from the numbers", "supported by the numbers but left out",
                    "all agree")}
    for lang in LANGS:
        parts = []
        for ckey, part in check.groupby("cluster", sort=False):
            added = [f"{name(r, lang)} ({k:.3f})" for r, s, k in part[["region", "status", "potential"]].itertuples(
                index=False) if s == clusters.PROPOSAL_ONLY]
            left = [f"{name(r, lang)} ({k:.3f})" for r, s, k in part[["region", "status", "potential"]].itertuples(
                index=False) if s == clusters.NUMBERS_ONLY]
            bits = ([f"{words[lang][0]}: {', '.join(added)}"] if added else []) + \
                   ([f"{words[lang][1]}: {', '.join(left)}"] if left else [])
            parts.append(f"{term(ckey, lang)}: " + ("; ".join(bits) if bits else words[lang][2]))
        out[lang] = ". ".join(p[:1].upper() + p[1:] for p in parts) + "."
    return out


def _map_sheet(w, sector: str = "building_materials"):
    """Schematic maps: Ki of one sector (Table 3.1), and the cluster types each region supports."""
    from openpyxl.styles import PatternFill

    from xlkg.demo import tilemap

    frame = table_3_1()
    ws = w.sheet("Map", {"ky": "Карта", "ru": "Карта", "en": "Map"})
    source = {"ky": "3.1-таблица", "ru": "таблица 3.1", "en": "Table 3.1"}
    w.title(ws, {lang: f"{term(f'sector.{sector}', lang)}: Ki ({source[lang]})" for lang in LANGS})
    top = float(frame[sector].quantile(0.9))
    tiles = {key: (f"{ki:.3f}" if not math.isnan(ki) else "–", tilemap.ki_colour(ki, top), "000000")
             for key, ki in frame[sector].items()}
    row = w.row[ws.title]
    w.row[ws.title] = tilemap.draw(ws, row, 1, tiles) + 1
    for c in range(1, 5):
        w.widths[ws.title][c] = tilemap.TILE_WIDTH
    proposal = clusters.propose_clusters(frame).values
    types = list(dict.fromkeys(proposal["cluster"]))
    colour = {c: tilemap.CLUSTER_COLOURS[i % len(tilemap.CLUSTER_COLOURS)] for i, c in enumerate(types)}
    w.title(ws, {"ky": "Сандар колдогон кластер түрлөрү (Ki > 1)", "ru": "Типы кластеров, поддержанные расчётом (Ki > 1)",
                 "en": "Cluster types the numbers support (Ki > 1)"}, small=True)
    tiles = {}
    for key, part in proposal.groupby("region", sort=False):
        best = part.sort_values("potential", ascending=False)
        names = [_CLUSTER_SHORT[c]["ky"] for c in best["cluster"]]
        tiles[key] = (", ".join(names), colour[best["cluster"].iloc[0]], "000000")
    row = w.row[ws.title]
    w.row[ws.title] = tilemap.draw(ws, row, 1, tiles) + 1
    legend = pd.DataFrame({"c": [_CLUSTER_SHORT[c]["ky"] for c in types]}, index=types)
    ref = w.block(ws, legend, [{lang: term(c, lang) for lang in LANGS} for c in types],
                  [{"ky": "Картада", "ru": "На карте", "en": "On the map"}], fmt="@", label_langs=("ky", "en"))
    first_row = int(ref.split(":")[0][1:])
    for i, c in enumerate(types):
        ws.cell(first_row + i, 3).fill = PatternFill("solid", fgColor=colour[c])
    w.paragraph(ws, {"ky": "Плиткалардын тартиби аймактардын жайгашуусун болжол менен көрсөтөт; түсү: эң жогорку Ki.",
                     "ru": "Плитки расположены примерно как регионы на карте; цвет: тип с наибольшим Ki.",
                     "en": "Tiles are placed roughly as the regions lie; a tile's colour is its type with the highest Ki."})


_CLUSTER_SHORT = {
    "cluster.agro_industrial": {"ky": "агро", "ru": "агро", "en": "agro"},
    "cluster.building_materials": {"ky": "курулуш", "ru": "стройматериалы", "en": "building"},
    "cluster.fuel_energy": {"ky": "отун-энергетика", "ru": "ТЭК", "en": "fuel and energy"},
    "cluster.textile_garment": {"ky": "текстиль", "ru": "текстиль", "en": "textile"},
}


def _illustrative_sheet(w, d):
    ws = w.sheet("Data (illustrative)", {"ky": "Маалыматтар (көрсөтмө)", "ru": "Данные (иллюстративные)",
                                         "en": "Data (illustrative)"})
    w.paragraph(ws, ILLUSTRATIVE, warn=True)
    keys = list(d["population"].index)
    titles = {
        "output": {"ky": "Өнөр жай продукциясы, млн сом", "ru": "Промышленная продукция, млн сомов",
                   "en": "Industrial output, mln som"},
        "employment": {"ky": "Иштегендердин саны, адам", "ru": "Численность занятых, человек",
                       "en": "Employment, persons"},
        "enterprises": {"ky": "Ишканалардын саны, бирдик", "ru": "Число предприятий, единиц",
                        "en": "Number of enterprises, units"},
    }
    for base, frame in d["bases"].items():
        w.title(ws, titles[base], small=True)
        w.block(ws, frame, _region_terms(keys), _sector_terms(SECTORS),
                fmt="#,##0.0" if base == "output" else "#,##0")
    attrs = pd.DataFrame({"population": d["population"], "grp": d["grp"], "industry": d["industry_output"],
                          "area": d["area"]})
    w.title(ws, {"ky": "Аймактардын көрсөткүчтөрү", "ru": "Показатели регионов", "en": "Regional indicators"},
            small=True)
    w.block(ws, attrs, _region_terms(keys), [
        {"ky": "Калк, миң адам", "ru": "Население, тыс. человек", "en": "Population, thousand"},
        {"ky": "ДРП, млн сом", "ru": "ВРП, млн сомов", "en": "GRP, mln som"},
        {"ky": "Өнөр жай бардыгы, млн сом", "ru": "Промышленность всего, млн сомов", "en": "Industry total, mln som"},
        {"ky": "Аянты, км²", "ru": "Площадь, км²", "en": "Area, km²"},
    ], fmt="#,##0.0")


def _potential_sheet(w, pot):
    ws = w.sheet("Potential", {"ky": "Потенциал", "ru": "Потенциал", "en": "Potential"})
    w.paragraph(ws, ILLUSTRATIVE, warn=True)
    for key, r, scale in (("cluster_potential", pot["ki"], True), ("localization", pot["kl"], False),
                          ("per_capita", pot["kdp"], False), ("specialization", pot["ks"], False)):
        w.title(ws, {lang: term(f"measure.{key}", lang) for lang in LANGS}, small=True)
        keys = list(r.values.index)
        w.block(ws, r.values, _region_terms(keys), _sector_terms(r.values.columns), fmt="0.000",
                reasons=r.reasons, colour_scale=scale)
        w.method_line(ws, term(f"measure.{key}", "en"), r.method)
    _candidates(w, ws, pot["ki"])


def _candidates(w, ws, potential) -> None:
    """The candidate regions for a cluster (Ki > 1) per sector, under their title."""
    cand = measures.candidates(potential, threshold=1.0)
    w.title(ws, {"ky": "Кластер түзүүгө талапкер аймактар (Ki > 1)",
                 "ru": "Регионы-кандидаты для кластера (Ki > 1)",
                 "en": "Candidate regions for a cluster (Ki > 1)"}, small=True)
    w.candidates(ws, cand.values)


def _peers_sheet(w, d):
    ws = w.sheet("Peer indices", {"ky": "Салыштырма индекстер", "ru": "Сравнительные индексы",
                                  "en": "Peer indices"})
    w.paragraph(ws, ILLUSTRATIVE, warn=True)
    out = d["bases"]["output"]
    results = {
        "Hoover": peers.hoover_specialization(out),
        "Krugman (country)": peers.krugman_specialization(out, reference="country"),
        "Krugman (rest)": peers.krugman_specialization(out, reference="rest"),
        "Gini LQ": peers.gini_lq(out),
        "HHI": peers.herfindahl(out),
    }
    table = pd.DataFrame({name: r.values for name, r in results.items()})
    keys = list(table.index)
    w.block(ws, table, _region_terms(keys), [{lang: c for lang in LANGS} for c in table.columns], fmt="0.000")
    for name, r in results.items():
        w.method_line(ws, name, r.method)
