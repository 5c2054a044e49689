"""Build the scorecard workbooks of `workbooks/` from code, so they are regenerated and reviewed as code.

    xlkg build --only templates [-o OUTDIR]        (default: workbooks/; or python -m xlkg.scorecard.templates)

Writes (xlsxwriter, deterministic: fixed document properties, no timestamps):

    xlkg_scorecard_input.xlsx    the input workbook: Instructions (ky/ru/en), Settings, Base period,
                                 Report period (input items x participants), data validation
    xlkg_scorecard_example.xlsx  the same, filled with an illustrative cluster (marked in three languages)
    xlkg_scorecard.xlsx          the scorecard template: Summary (subsystem indices, radar chart, colour
                                 scale), Scorecard (sectioned by subsystem), Notes; A4, fit to width;
                                 a defined name for every target block (see `xlkg.scorecard.layout`)
    xlkg_scorecard.xlsm          the same with a "Fill" button bound to the macro `SampleCall` of the VBA
                                 project shipped in the xlwings wheel (quickstart_standalone.xlsm), copied
                                 byte for byte; that macro runs
                                 RunPython "import xlkg_scorecard; xlkg_scorecard.main()"
                                 (the workbook's base name), so `xlkg_scorecard.py` next to the workbook
                                 re-exports `xlkg.excel.macros.main`; the builder writes it too.
"""

from __future__ import annotations

import datetime as _dt
import io
import sys
import zipfile
from pathlib import Path

import xlsxwriter

from xlkg.core.regions import LANGS, glossary
from xlkg.scorecard import layout
from xlkg.scorecard.compute import SUBSYSTEMS, load_indicators, load_inputs
from xlkg.scorecard.layout import (  # noqa: F401 (the bundled file names are this module's too)
    BLOCK_COLUMNS,
    CONTEXT_COL,
    EXAMPLE_NAME,
    FIRST_PARTICIPANT_COL,
    HEADER_CODE,
    ILLUSTRATIVE,
    INDEX_COLUMNS,
    INPUT_NAME,
    MACRO_TEMPLATE_NAME,
    NOTES_ROWS,
    SETTING_KEYS,
    SETTINGS_KEY_COL,
    SETTINGS_VALUE_COL,
    SHEET_INSTRUCTIONS,
    SHEET_NOTES,
    SHEET_PERIOD,
    SHEET_SCORECARD,
    SHEET_SETTINGS,
    SHEET_SUMMARY,
    SUMMARY_COLUMNS,
    TARGET_PREFIX,
    TEMPLATE_NAME,
    WEIGHT_PREFIX,
    short,
)
from xlkg.xlsx.page import a4_page, row_height, wrap_lines
from xlkg.xlsx.refs import area_ref

MACRO_MODULE = "xlkg_scorecard"  # = the .xlsm's base name, imported by the VBA macro SampleCall
MACRO_NAME = "SampleCall"
VBA_SOURCE = "quickstart_standalone.xlsm"
PARTICIPANT_COLUMNS = 12
_FIXED_DATE = _dt.datetime(2024, 1, 1)

# Labels: Kyrgyz / Russian / English. Subsystem names and measure types come from the glossary.
L = {
    "title_input": ("Кластердин катышуучуларынын маалыматтары", "Данные участников кластера", "Cluster participants' data"),
    "code": ("код", "код", "code"),
    "item": ("Көрсөткүч", "Показатель", "Item"),
    "indicator": ("Көрсөткүч", "Показатель", "Indicator"),
    "unit": ("Өлчөө бирдиги", "Единица", "Unit"),
    "cluster_col": ("Кластер (жалпы)", "Кластер (в целом)", "Cluster (as a whole)"),
    "participant": ("Катышуучу", "Участник", "Participant"),
    "base": ("Базалык мезгил", "Базовый период", "Base period"),
    "report": ("Отчеттук мезгил", "Отчетный период", "Report period"),
    "change": ("Өзгөрүү", "Изменение", "Change"),
    "growth": ("Өсүү арымы, %", "Темп роста, %", "Growth, %"),
    "score": ("Баа", "Оценка", "Score"),
    "note": ("Эскертүү", "Примечание", "Note"),
    "direction": ("Багыт", "Направление", "Direction"),
    "index": ("Индекс", "Индекс", "Index"),
    "coverage": ("Маалымат менен камтылышы", "Охват данными", "Data coverage"),
    "scored": ("Бааланган көрсөткүчтөр", "Оценено показателей", "Indicators scored"),
    "indicators": ("Көрсөткүчтөр", "Показателей", "Indicators"),
    "weight": ("Салмагы", "Вес", "Weight"),
    "indices": ("Кичи тутумдардын индекстери", "Индексы подсистем", "Subsystem indices"),
    "overall": ("Жалпы индекс", "Общий индекс", "Overall index"),
    "cluster": ("Кластер", "Кластер", "Cluster"),
    "subsystem": ("Кичи тутум", "Подсистема", "Subsystem"),
    "notes": ("Эскертүүлөр", "Примечания", "Notes"),
    "input_path": ("Киргизүү китеби (файл)", "Файл исходных данных", "Input workbook (file)"),
    "method": ("Ыкма", "Метод", "Method"),
    "score_cap": ("Баанын жогорку чеги (бош: чексиз)", "Верхний предел оценки (пусто: без предела)",
                  "Score cap (blank: none)"),
    "illustrative_flag": ("Мисал катары гана (ооба/жок)", "Только для иллюстрации (да/нет)", "Illustrative only (yes/no)"),
    "membership": ("Катышуучулар: all (ар бир мезгилдики) же continuing (эки мезгилде тең)",
                   "Участники: all (каждого периода) или continuing (только в обоих периодах)",
                   "Participants: all (each period's own) or continuing (only those in both periods)"),
}
DIRECTION = {1: "↑ +", -1: "↓ −"}
# The label (key of L) of each Settings key, in the sheet's order.
SETTING_LABELS = {"cluster": "cluster", "base_period": "base", "report_period": "report",
                  "illustrative": "illustrative_flag", "score_cap": "score_cap", "membership": "membership"}
# The cell format of each column of the layout's blocks (None: the indicator's own number format).
COLUMN_FORMATS = {"index": "index", "coverage": "coverage", "scored": "count", "indicators": "count",
                  "weight": "weight", "base": None, "report": None, "change": None, "growth": "growth",
                  "score": "score", "note": "note"}

# Short subsystem names (ky, ru, en) for the radar chart's category labels: the glossary's scorecard.*
# names without the word "subsystem", in the nominative.
SUBSYSTEM_SHORT = {
    "scorecard.production_factors": ("Өндүрүш факторлору", "Факторы производства", "Production factors"),
    "scorecard.financial": ("Финансылык", "Финансовая", "Financial"),
    "scorecard.production": ("Өндүрүштүк", "Производственная", "Production"),
    "scorecard.socio_economic": ("Социалдык-экономикалык", "Социально-экономическая", "Socio-economic"),
    "scorecard.cooperative": ("Кооперативдик", "Кооперационная", "Cooperative"),
    "scorecard.innovation": ("Инновациялык", "Инновационная", "Innovation"),
    "scorecard.investment": ("Инвестициялар", "Инвестиционная", "Investment"),
}


def tri(key: str, sep: str = " / ") -> str:
    return sep.join(L[key])


def _lines(text, width: float, size: float = 11, bold: bool = False) -> int:
    """Lines a wrapped cell of `width` (Excel character units) needs for `text` at font `size`.

    Spreadsheet programs keep a file's row heights when they open it, so every row that holds wrapped
    text gets its height from this estimate. Deliberately generous: Cyrillic letters and bold type are
    wider than the digit '0' that defines the column unit."""
    return wrap_lines(str(text or ""), max(1, int(width * 11.0 / size * (1.0 if bold else 1.05))))


def _height(lines: int, size: float = 11) -> float:
    """Row height in points for `lines` lines of text at font `size`."""
    return round(row_height(lines, size, leading=1.34, pad=4), 1)


def _fit(ws, row: int, cells, minimum: float = 15.0) -> None:
    """Set the row's height to hold every (text, width, size, bold) of `cells`."""
    h = max([minimum] + [_height(_lines(t, w, s, b), s) for t, w, s, b in cells])
    ws.set_row(row, h)


def _glossary() -> dict[str, tuple[str, str, str]]:
    """The bundled glossary as key -> (ky, ru, en)."""
    return {key: tuple(names[lang] for lang in LANGS) for key, names in glossary().items()}


def _title(gl, sep: str) -> str:
    """The scorecard's title in ky / ru / en, each starting with a capital letter."""
    return sep.join(t[:1].upper() + t[1:] for t in gl["scorecard.title"])


def _new_book(path: Path, title: str) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": title, "author": "xlkg", "company": "", "created": _FIXED_DATE})
    wb.set_calc_mode("auto")
    return wb


def _formats(wb):
    f = {
        "title": wb.add_format({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"}),
        "title_line": wb.add_format({"bold": True, "font_size": 13}),
        "warn_line": wb.add_format({"bold": True, "font_color": "#C00000"}),
        "head": wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}),
        "section": wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True}),
        "code": wb.add_format({"font_color": "#808080", "font_size": 8, "border": 1}),
        "missing": wb.add_format({"bg_color": "#EDEDED"}),
        "code_col": wb.add_format({"font_color": "#808080", "font_size": 8}),  # column default: no border
        "text": wb.add_format({"text_wrap": True, "valign": "vcenter", "border": 1}),
        "plain": wb.add_format({"text_wrap": True, "valign": "top"}),
        "note_line": wb.add_format({"font_size": 10, "text_wrap": True, "valign": "top"}),
        "line": wb.add_format({"font_size": 9, "font_color": "#595959"}),
        "small": wb.add_format({"font_size": 9, "text_wrap": True, "valign": "vcenter", "border": 1}),
        "input": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "num_format": "#,##0.0##"}),
        "input_name": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "bold": True, "text_wrap": True}),
        "grey": wb.add_format({"bg_color": "#D9D9D9", "border": 1}),
        "warn": wb.add_format({"bold": True, "font_color": "#C00000", "text_wrap": True, "valign": "vcenter"}),
        "label": wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"}),
        "value_cell": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        "out_text": wb.add_format({"border": 1, "text_wrap": True}),
        "index": wb.add_format({"num_format": "0.000", "border": 1, "bold": True}),
        "coverage": wb.add_format({"num_format": "0%", "border": 1}),
        "count": wb.add_format({"num_format": "0", "border": 1}),
        "weight": wb.add_format({"num_format": "0.00", "border": 1, "bg_color": "#F2F2F2"}),
        "value": wb.add_format({"num_format": "#,##0.0", "border": 1}),
        "natural": wb.add_format({"num_format": "#,##0", "border": 1}),
        "natural_ratio": wb.add_format({"num_format": "#,##0.0", "border": 1}),
        "percent": wb.add_format({"num_format": "0.0", "border": 1}),
        "times": wb.add_format({"num_format": "0.00", "border": 1}),
        "growth": wb.add_format({"num_format": "0.0", "border": 1}),
        "score": wb.add_format({"num_format": "0.000", "border": 1}),
        "note": wb.add_format({"font_size": 8, "text_wrap": True, "border": 1, "valign": "vcenter"}),
    }
    for fmt in f.values():  # numbers and short texts sit in the middle of their (often two-line) rows
        if fmt.text_v_align == 0:
            fmt.set_align("vcenter")
    return f


def _number_format(ind) -> str:
    if ind.unit == "times":
        return "times"
    if ind.measure_type == "natural":
        f = ind.formula.strip()
        plain = (f.startswith("sum(") or f.startswith("count")) and "/" not in f and "*" not in f
        return "natural" if plain else "natural_ratio"
    return ind.measure_type


def _define(wb, name: layout.Name, row: int, col: int) -> None:
    """Define `name` with its top-left cell at (row, col) of its sheet, as many rows and columns as
    the layout contract gives it."""
    if name.shape == (1, 1):
        wb.define_name(name.name, _abs(name.sheet, row, col))
    else:
        wb.define_name(name.name, _abs(name.sheet, row, col, row + name.rows - 1, col + name.width - 1))


def _abs(sheet: str, r1: int, c1: int, r2: int | None = None, c2: int | None = None) -> str:
    """="'Sheet'!$B$3:$D$9" for 0-based rows and columns (as xlsxwriter counts them)."""
    q = f"'{sheet}'" if " " in sheet or not sheet.isascii() else sheet
    if r2 is None:
        return f"={q}!{area_ref(r1 + 1, c1 + 1, absolute=True)}"
    return f"={q}!{area_ref(r1 + 1, c1 + 1, r2 + 1, c2 + 1, absolute=True)}"


# --------------------------------------------------------------------------------------------------
# Input workbook

INSTRUCTIONS = {
    "ky": [
        "Бул китепке кластердин катышуучуларынын эки мезгил боюнча маалыматтарын киргизиңиз: базалык мезгил жана отчеттук мезгил.",
        "1. «Settings» барагында кластердин аталышын жана мезгилдердин аталыштарын жазыңыз (мисалы, 2022 жана 2023).",
        "2. «Base period» жана «Report period» барактарында 4-саптагы сары уячаларга катышуучулардын аталыштарын жазыңыз (F тилкесинен баштап), ар бир катышуучуга бир тилке.",
        "3. Ар бир көрсөткүчтүн маанисин тиешелүү катышуучунун тилкесине жазыңыз. «Кластер (жалпы)» тилкесине кластер боюнча жалпы маанилер гана жазылат.",
        "4. Маалымат жок болсо, уячаны бош калтырыңыз же «-» деп жазыңыз: ал нөл катары окулбайт, тиешелүү көрсөткүч эсептелбейт жана маалымат менен камтылышы азаят.",
        "5. Сандарды үтүр менен да жазууга болот (7913,8). A тилкесиндеги коддорду өзгөртпөңүз.",
        "6. Андан кийин бааланган көрсөткүчтөр тутумун толтуруңуз: Excelде xlkg_scorecard.xlsm ичиндеги баскычты басыңыз, же буйрук сабында: xlkg fill ушул_файл.xlsx --template xlkg_scorecard.xlsx -o натыйжа.xlsx",
    ],
    "ru": [
        "В эту книгу вводятся данные участников кластера за два периода: базовый и отчетный.",
        "1. На листе «Settings» укажите название кластера и обозначения периодов (например, 2022 и 2023); при необходимости измените веса подсистем.",
        "2. На листах «Base period» и «Report period» впишите названия участников в желтые ячейки строки 4 (начиная со столбца F), по одному столбцу на участника. Названия на обоих листах должны совпадать.",
        "3. Значения показателей вносятся в столбец соответствующего участника. В столбец «Кластер (в целом)» вносятся только показатели кластера в целом (выпуск отрасли, среднерегиональная зарплата).",
        "4. Если данных нет, оставьте ячейку пустой или поставьте «-»: это не читается как ноль; показатель не рассчитывается, а охват данными снижается. В примечании указывается участник и показатель.",
        "5. Допускаются числа с десятичной запятой и пробелами (1 234,5). Коды в столбце A не изменяйте.",
        "6. Затем заполните сбалансированную систему показателей: кнопкой в книге xlkg_scorecard.xlsm в Excel или командой: xlkg fill этот_файл.xlsx --template xlkg_scorecard.xlsx -o результат.xlsx",
    ],
    "en": [
        "This workbook holds the cluster participants' data for two periods: a base period and a report period.",
        "1. On 'Settings' enter the cluster's name and the period labels (e.g. 2022 and 2023); change the subsystem weights if needed.",
        "2. On 'Base period' and 'Report period' type the participants' names into the yellow cells of row 4 (from column F on), one column per participant. Use the same names on both sheets.",
        "3. Enter each input in the participant's column. The column 'Cluster (as a whole)' takes only cluster-wide figures (the sector's output, the regional average wage).",
        "4. Where there is no data leave the cell blank or type '-': it is never read as zero; the indicators that need it are not computed and the data coverage goes down. The note names the participant and the input.",
        "5. Decimal commas and space separators are accepted (1 234,5). Do not change the codes in column A.",
        "6. Then fill the balanced scorecard: click the button in xlkg_scorecard.xlsm in Excel, or run: xlkg fill this_file.xlsx --template xlkg_scorecard.xlsx -o result.xlsx",
    ],
}

NEGATIVE_ALLOWED = {"sales_profit", "financial_result", "net_profit", "project_income"}


def _write_input(path: Path, example: dict | None) -> None:
    inputs = load_inputs()
    gl = _glossary()
    wb = _new_book(path, "xlkg: cluster scorecard input")
    f = _formats(wb)

    ws = wb.add_worksheet(SHEET_INSTRUCTIONS)
    width = 88  # about 480 pt: inside the printed width of portrait A4 with 0.5" margins, no scaling
    ws.set_column(0, 0, width)
    row = 0
    _fit(ws, row, [(tri("title_input"), width, 13, True)])
    ws.write(row, 0, tri("title_input"), f["title"])
    row += 2
    if example:
        _fit(ws, row, [(ILLUSTRATIVE, width, 11, True)])
        ws.write(row, 0, ILLUSTRATIVE, f["warn"])
        row += 2
    for lang, head in (("ky", "Кыргызча"), ("ru", "По-русски"), ("en", "English")):
        ws.write(row, 0, head, f["label"])
        row += 1
        for line in INSTRUCTIONS[lang]:
            _fit(ws, row, [(line, width, 11, False)])  # wrapped lines need their height set for every viewer
            ws.write(row, 0, line, f["plain"])
            row += 1
        row += 1
    a4_page(ws, landscape=False)
    ws.print_area(0, 0, row, 0)

    ws = wb.add_worksheet(SHEET_SETTINGS)
    widths = (22, 52, 36)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, f["code_col"] if c == 0 else None)
    kc, vc = SETTINGS_KEY_COL, SETTINGS_VALUE_COL
    ws.write_row(0, 0, ["key", tri("item"), "value"], f["head"])
    settings = example["settings"] if example else {}
    row_of = {}
    r = 1
    for key in SETTING_KEYS:
        label = tri(SETTING_LABELS[key])
        ws.write(r, kc, key, f["code"])
        ws.write(r, 1, label, f["text"])
        ws.write(r, vc, settings.get(key, ""), f["value_cell"])
        _fit(ws, r, [(label, widths[1], 11, False), (settings.get(key, ""), widths[2], 11, False)])
        row_of[key] = r
        r += 1
    r1 = row_of["illustrative"]
    ws.data_validation(r1, vc, r1, vc, {"validate": "list", "source": ["yes", "no"], "error_type": "warning"})
    r1 = row_of["membership"]
    ws.data_validation(r1, vc, r1, vc, {"validate": "list", "source": ["all", "continuing"], "error_type": "warning"})
    r1 = row_of["score_cap"]
    ws.data_validation(r1, vc, r1, vc, {"validate": "decimal", "criteria": ">", "value": 0, "error_type": "stop",
                                        "error_title": "xlkg", "error_message": "> 0"})
    r += 1
    for key in SUBSYSTEMS:
        ws.write(r, kc, f"{WEIGHT_PREFIX}{short(key)}", f["code"])
        label = f"{tri('weight')}: " + " / ".join(gl[key])
        ws.write(r, 1, label, f["text"])
        _fit(ws, r, [(label, widths[1], 11, False)])
        ws.write_number(r, vc, 1.0, f["weight"])
        r += 1
    ws.data_validation(r - len(SUBSYSTEMS), vc, r - 1, vc,
                       {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop",
                        "error_title": "xlkg", "error_message": "Салмак >= 0 / Вес >= 0 / Weight >= 0"})
    r += 1
    ws.write(r, kc, f"{TARGET_PREFIX}<code>", f["code"])
    label = ("Максат: «target.» + көрсөткүчтүн коду / Цель: «target.» + код показателя (например target.fin_ros) / "
             "Target: 'target.' + indicator code (e.g. target.fin_ros); the score becomes report / target")
    ws.write(r, 1, label, f["text"])
    _fit(ws, r, [(label, widths[1], 11, False)])
    a4_page(ws, landscape=False)

    for period in ("base", "report"):
        ws = wb.add_worksheet(SHEET_PERIOD[period])
        ws.set_column(0, 0, 22, f["code_col"])
        ws.set_column(1, 1, 48)
        ws.set_column(2, 2, 40)
        ws.set_column(3, 3, 14)
        ws.set_column(CONTEXT_COL, CONTEXT_COL, 14)
        ws.set_column(FIRST_PARTICIPANT_COL, FIRST_PARTICIPANT_COL + PARTICIPANT_COLUMNS - 1, 14)
        ws.write(0, 0, tri("title_input") + " — " + tri(period), f["title_line"])
        if example:
            ws.write(1, 0, ILLUSTRATIVE, f["warn_line"])
        hdr = 3
        heads = [HEADER_CODE, " / ".join(L["item"][:2]), L["item"][2], tri("unit", "\n"), tri("cluster_col", "\n")]
        ws.write_row(hdr, 0, heads, f["head"])
        names = (example or {}).get("participants", [])
        _fit(ws, hdr, [(t, w, 11, True) for t, w in zip(heads + names, (22, 48, 40, 14, 14) + (14,) * len(names), strict=True)])
        for j in range(PARTICIPANT_COLUMNS):
            ws.write(hdr, FIRST_PARTICIPANT_COL + j, names[j] if j < len(names) else "", f["input_name"])
        data = (example or {}).get(period, {})
        first = hdr + 1
        for i, (code, it) in enumerate(inputs.items()):
            r = first + i
            ws.write(r, 0, code, f["code"])
            ws.write(r, 1, it.ky or it.ru, f["small"])
            ws.write(r, 2, it.en, f["small"])
            ws.write(r, 3, it.unit, f["small"])
            _fit(ws, r, [(it.ky or it.ru, 48, 9, False), (it.en, 40, 9, False), (it.unit, 14, 9, False)])
            if it.scope == "cluster":
                v = data.get("(cluster)", {}).get(code)
                if v is None:
                    ws.write_blank(r, CONTEXT_COL, None, f["input"])
                else:
                    ws.write_number(r, CONTEXT_COL, v, f["input"])
                for j in range(PARTICIPANT_COLUMNS):
                    ws.write_blank(r, FIRST_PARTICIPANT_COL + j, None, f["grey"])
            else:
                ws.write_blank(r, CONTEXT_COL, None, f["grey"])
                for j in range(PARTICIPANT_COLUMNS):
                    v = data.get(names[j], {}).get(code) if j < len(names) else None
                    if v is None:
                        ws.write_blank(r, FIRST_PARTICIPANT_COL + j, None, f["input"])
                    elif isinstance(v, str):
                        ws.write_string(r, FIRST_PARTICIPANT_COL + j, v, f["input"])
                    else:
                        ws.write_number(r, FIRST_PARTICIPANT_COL + j, v, f["input"])
        last = first + len(inputs) - 1
        c1, c2 = FIRST_PARTICIPANT_COL, FIRST_PARTICIPANT_COL + PARTICIPANT_COLUMNS - 1
        msg = {"error_type": "warning", "error_title": "xlkg",
               "error_message": "Сан күтүлөт / Ожидается число / A number is expected "
                                "(бош же «-»: маалымат жок / пусто или «-»: нет данных / blank or '-': no data)"}
        for i, (code, it) in enumerate(inputs.items()):
            r = first + i
            if it.scope == "cluster":
                ws.data_validation(r, CONTEXT_COL, r, CONTEXT_COL, {"validate": "decimal", "criteria": ">=", "value": 0, **msg})
            elif it.unit == "flag":
                ws.data_validation(r, c1, r, c2, {"validate": "list", "source": ["0", "1"], **msg})
            elif code in NEGATIVE_ALLOWED:
                ws.data_validation(r, c1, r, c2, {"validate": "decimal", "criteria": "between",
                                                  "minimum": -1e15, "maximum": 1e15, **msg})
            else:
                ws.data_validation(r, c1, r, c2, {"validate": "decimal", "criteria": ">=", "value": 0, **msg})
        ws.freeze_panes(hdr + 1, FIRST_PARTICIPANT_COL)
        ws.autofilter(hdr, 0, last, 3)
        a4_page(ws)
        ws.repeat_rows(hdr)
    wb.close()


def example_data() -> dict:
    """The bundled illustrative cluster: four made-up participants of a building-materials cluster,
    two years. Not statistics: every sheet of the example workbook says so in three languages."""
    parts = ["Цемент А / Cement A", "Карьер Б / Quarry B", "Бетон В / Concrete C", "Логистика Г / Logistics D"]
    # per participant: a size factor; inputs scale with it; report = base * growth per item
    size = [10.0, 3.0, 4.0, 1.0]
    base_unit = {
        "fixed_assets_avg": 120, "fixed_assets_gross_end": 150, "depreciation_end": 70, "fixed_assets_new": 9,
        "working_capital": 40, "payroll": 18, "local_raw_materials": 25, "headcount": 80, "staff_higher_ed": 22,
        "capacity": 50_000, "output_physical": 36_000, "raw_reserves": 900_000, "revenue": 110, "sales_profit": 11,
        "financial_result": 8, "net_profit": 6.5, "taxes": 9, "export_revenue": 14, "receivables_avg": 15,
        "total_assets": 190, "equity": 105, "current_liabilities": 30, "output": 115, "output_base_prices": 115,
        "intermediate_consumption": 72, "costs": 99, "product_types": 3, "certified_output": 30,
        "social_contributions": 3.2, "training_costs": 0.3, "jobs_created": 2, "trained": 6, "accidents": 1,
        "local_staff": 64, "staff_left": 9, "emissions": 40, "energy_use": 2_300, "purchases": 60,
        "coop_supplies": 9, "local_purchases": 33, "joint_projects_value": 2, "coop_savings": 0.4,
        "coop_agreements": 1, "joint_projects": 0.5, "partner_links": 1, "sme_suppliers": 3, "sme": 0,
        "rnd_costs": 0.2, "innovation_costs": 1.1, "innovative_output": 4, "patents": 0, "utility_models": 0,
        "trademarks": 0.2, "new_technologies": 0.3, "joint_rnd": 0.1, "rnd_staff": 0.5, "investment": 14,
        "investment_fdi": 4, "investment_budget": 1, "investment_bank": 3, "investment_own": 6, "state_support": 0.6,
        "investment_projects": 0.3, "new_capacity": 1_000, "project_investment": 10, "project_income": 2.1,
    }
    growth = {"revenue": 1.12, "output": 1.14, "output_base_prices": 1.06, "payroll": 1.15, "headcount": 1.03,
              "investment": 1.25, "investment_fdi": 1.5, "export_revenue": 1.2, "accidents": 0.5, "emissions": 0.93,
              "depreciation_end": 1.02, "staff_left": 0.9, "coop_supplies": 1.4, "net_profit": 1.2,
              "financial_result": 1.25, "innovation_costs": 1.3, "energy_use": 1.05, "costs": 1.11}
    integer = {"headcount", "staff_higher_ed", "product_types", "jobs_created", "trained", "accidents", "local_staff",
               "staff_left", "coop_agreements", "joint_projects", "partner_links", "sme_suppliers", "sme", "patents",
               "utility_models", "trademarks", "new_technologies", "joint_rnd", "rnd_staff", "investment_projects"}
    out = {"participants": parts, "base": {}, "report": {}}
    for period in ("base", "report"):
        for i, p in enumerate(parts):
            row = {}
            for code, v in base_unit.items():
                g = growth.get(code, 1.08) if period == "report" else 1.0
                x = v * size[i] / 10.0 * g
                if code == "sme":
                    x = 0 if i == 0 else 1
                elif code == "partner_links":
                    x = 3 if i == 0 else (2 if period == "report" else 1)
                elif code in integer:
                    x = round(x + 0.25 * (period == "report"))
                else:
                    x = round(x, 1)
                row[code] = x
            if p.startswith("Логистика"):
                for code in ("capacity", "output_physical", "raw_reserves", "new_capacity"):
                    row[code] = 0
                row["financial_result"] = -0.4 if period == "base" else 0.3
                row["net_profit"] = -0.5 if period == "base" else 0.2
            out[period][p] = row
        # a deliberately missing input, so the example shows coverage below 100% and a named reason
    out["report"][parts[2]]["training_costs"] = "н/д"
    out["base"]["(cluster)"] = {"sector_output_region": 2_400, "sector_output_country": 9_800, "regional_wage": 24_500}
    out["report"]["(cluster)"] = {"sector_output_region": 2_650, "sector_output_country": 10_900, "regional_wage": 27_300}
    out["settings"] = {"cluster": "Курулуш материалдары (мисал) / Строительные материалы (пример) / Building materials (example)",
                       "base_period": "2022", "report_period": "2023", "illustrative": "yes"}
    return out


# --------------------------------------------------------------------------------------------------
# Scorecard template


def vba_project_bytes() -> bytes:
    """vbaProject.bin of the xlwings wheel's quickstart_standalone.xlsm, byte for byte."""
    import xlwings

    src = Path(xlwings.__file__).parent / VBA_SOURCE
    with zipfile.ZipFile(src) as zf:
        return zf.read("xl/vbaProject.bin")


def xlwings_conf_rows() -> list[tuple]:
    """The rows of the wheel's `_xlwings.conf` sheet (settings and instructions)."""
    import xlwings

    from xlkg.xlsx.read import load_workbook

    with load_workbook(Path(xlwings.__file__).parent / VBA_SOURCE, read_only=True) as wb:
        return [tuple(r) for r in wb["_xlwings.conf"].iter_rows(values_only=True)]


def _write_scorecard(path: Path, macro: bool) -> None:
    inds = load_indicators()
    gl = _glossary()
    wb = _new_book(path, "xlkg: balanced scorecard of a cluster")
    f = _formats(wb)
    if macro:
        wb.add_vba_project(io.BytesIO(vba_project_bytes()), is_stream=True)
        wb.set_vba_name("ThisWorkbook")

    # ---- Summary
    ws = wb.add_worksheet(SHEET_SUMMARY)
    if macro:
        ws.set_vba_name("Sheet1")
    widths = (25, 25, 25, 11, 13, 13, 12, 10)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    title = _title(gl, "\n")
    _fit(ws, 0, [(title, sum(widths), 13, True)])
    ws.merge_range(0, 0, 0, 7, title, f["title"])
    meta = [("cluster", layout.CLUSTER), ("base", layout.BASE_LABEL), ("report", layout.REPORT_LABEL)]
    for i, (key, name) in enumerate(meta):
        # the filled value (a cluster name may be trilingual) gets two lines of the merged B:D
        _fit(ws, 2 + i, [(tri(key), widths[0], 11, True)], minimum=_height(2))
        ws.write(2 + i, 0, tri(key), f["label"])
        ws.merge_range(2 + i, 1, 2 + i, 3, "", f["out_text"])
        _define(wb, name, 2 + i, 1)
    ws.merge_range(5, 0, 5, 7, "", f["warn"])
    _define(wb, layout.ILLUSTRATIVE_MARK, 5, 0)
    hdr = 7
    col = 3  # the first column of xlkg_summary and xlkg_overall
    heads = [L["subsystem"][0], L["subsystem"][1], L["subsystem"][2]] + [tri(k, "\n") for k in SUMMARY_COLUMNS]
    _fit(ws, hdr, [(t, w, 11, True) for t, w in zip(heads, widths, strict=True)])
    ws.write_row(hdr, 0, heads, f["head"])
    first = hdr + 1
    chart_col = 9  # hidden: the chart's short ky / ru / en category labels
    ws.set_column(chart_col, chart_col, 24, None, {"hidden": True})
    for i, key in enumerate(SUBSYSTEMS):
        ky, ru, en = gl[key]
        _fit(ws, first + i, [(t, w, 11, False) for t, w in zip((ky, ru, en), widths[:3], strict=True)])
        ws.write_row(first + i, 0, [ky, ru, en], f["text"])
        for j, c in enumerate(SUMMARY_COLUMNS):
            ws.write_blank(first + i, col + j, None, f[COLUMN_FORMATS[c]])
        ws.write(first + i, chart_col, "\n".join(SUBSYSTEM_SHORT[key]), f["plain"])
    last = first + len(SUBSYSTEMS) - 1
    _define(wb, layout.SUMMARY, first, col)
    ov = last + 1
    ws.merge_range(ov, 0, ov, col - 1, tri("overall"), f["section"])
    for j, c in enumerate(INDEX_COLUMNS):
        ws.write_blank(ov, col + j, None, f[COLUMN_FORMATS[c]])
    _define(wb, layout.OVERALL, ov, col)
    ic, cc = col + SUMMARY_COLUMNS.index("index"), col + SUMMARY_COLUMNS.index("coverage")
    scale = {"type": "3_color_scale", "min_type": "num", "min_value": 0.8, "mid_type": "num", "mid_value": 1.0,
             "max_type": "num", "max_value": 1.2, "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"}
    # #N/A: grey in Excel, not the scale's "worst" red (LibreOffice still paints the scale over it)
    missing = {"type": "errors", "format": f["missing"], "stop_if_true": True}
    ws.conditional_format(first, ic, ov, ic, missing)
    ws.conditional_format(first, ic, ov, ic, scale)
    ws.conditional_format(first, cc, ov, cc, {"type": "data_bar", "bar_color": "#9BC2E6", "min_type": "num",
                                            "min_value": 0, "max_type": "num", "max_value": 1})
    ip = ov + 2
    _fit(ws, ip, [(tri("input_path"), widths[0], 11, True)])
    ws.write(ip, 0, tri("input_path"), f["label"])
    ws.merge_range(ip, 1, ip, 4, "", f["value_cell"])
    _define(wb, layout.INPUT_PATH, ip, 1)
    ws.write(ip + 1, 0, "Бош болсо: ачык турган киргизүү китеби / Если пусто: открытая книга исходных данных / "
                        "If blank: the open input workbook", f["line"])
    if macro:
        ws.insert_button(ip + 3, 0, {"macro": MACRO_NAME, "caption": "Толтуруу / Заполнить / Fill",
                                     "width": 300, "height": 36})
        ws.write(ip + 5, 0, f"Баскыч / Кнопка / Button: {MACRO_NAME} → RunPython "
                            f"\"import {MACRO_MODULE}; {MACRO_MODULE}.main()\"", f["line"])
    chart = wb.add_chart({"type": "radar", "subtype": "with_markers"})
    chart.add_series({
        "name": tri("index"),
        "categories": _abs(SHEET_SUMMARY, first, chart_col, last, chart_col)[1:],
        "values": _abs(SHEET_SUMMARY, first, ic, last, ic)[1:],
        "marker": {"type": "circle", "size": 6, "fill": {"color": "#2F5597"}, "border": {"color": "#2F5597"}},
        "line": {"color": "#2F5597", "width": 2},
    })
    chart.set_title({"name": tri("indices"), "name_font": {"size": 11, "bold": True}})
    chart.set_y_axis({"min": 0, "num_format": "0.0", "num_font": {"size": 8, "color": "#595959"},
                      "major_gridlines": {"visible": True, "line": {"color": "#BFBFBF"}}})
    chart.set_x_axis({"num_font": {"size": 8}})
    chart.show_hidden_data()  # the category labels live in a hidden column
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 430})
    ws.insert_chart(ip + (7 if macro else 3), 0, chart)
    a4_page(ws, landscape=False)
    ws.print_area(0, 0, ip + 35, 7)

    # ---- Scorecard (one sheet, a section per subsystem)
    ws = wb.add_worksheet(SHEET_SCORECARD)
    if macro:
        ws.set_vba_name("Sheet3")
    widths = (14, 42, 34, 11, 13, 15, 15, 12, 13, 10, 56)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, f["code_col"] if c == 0 else None)
    title = _title(gl, " / ")
    _fit(ws, 0, [(title, sum(widths), 13, True)])
    ws.merge_range(0, 0, 0, 10, title, f["title"])
    hdr = 2
    heads = [L["code"][2], tri("indicator", "\n").replace(L["indicator"][2], "").strip() + "\n(ky → ru)",
             L["indicator"][2], tri("unit", "\n"), tri("direction", "\n")] + \
            [tri(k, "\n") for k in BLOCK_COLUMNS]
    block_col = 5  # the first column of xlkg_<sub>: A code, B name (ky, ru), C name (en), D unit, E direction
    index_col = block_col + BLOCK_COLUMNS.index("growth")  # xlkg_<sub>_index: in the section row, above growth
    score_col, note_col = block_col + BLOCK_COLUMNS.index("score"), block_col + BLOCK_COLUMNS.index("note")
    _fit(ws, hdr, [(t, w, 11, True) for t, w in zip(heads, widths, strict=True)])
    ws.write_row(hdr, 0, heads, f["head"])
    section_note = "← " + " · ".join(f"{a} / {b}" for a, b in zip(L["index"], L["coverage"], strict=True))
    r = hdr + 1
    for key in SUBSYSTEMS:
        mine = [i for i in inds if i.subsystem == key]
        section = " / ".join(gl[key])
        _fit(ws, r, [(section, sum(widths[1:index_col]), 11, True), (section_note, widths[note_col], 8, False)],
             minimum=_height(1) + 6)
        ws.write(r, 0, short(key), f["code"])
        ws.merge_range(r, 1, r, index_col - 1, section, f["section"])
        for j, c in enumerate(INDEX_COLUMNS):
            ws.write_blank(r, index_col + j, None, f[COLUMN_FORMATS[c]])
        ws.write(r, note_col, section_note, f["note"])
        _define(wb, layout.index(key), r, index_col)
        c = index_col + INDEX_COLUMNS.index("index")
        ws.conditional_format(r, c, r, c, missing)
        ws.conditional_format(r, c, r, c, scale)
        r += 1
        top = r
        for ind in mine:
            # two lines at least: the note the fill writes beside a value that could not be computed
            _fit(ws, r, [(ind.name("ky"), widths[1], 9, False), (ind.en, widths[2], 9, False),
                         (ind.unit, widths[3], 9, False)], minimum=_height(2, 9))
            ws.write(r, 0, ind.code, f["code"])
            ws.write(r, 1, ind.name("ky"), f["small"])
            ws.write(r, 2, ind.en, f["small"])
            ws.write(r, 3, ind.unit, f["small"])
            ws.write(r, 4, DIRECTION[ind.direction], f["small"])
            for j, c in enumerate(BLOCK_COLUMNS):
                ws.write_blank(r, block_col + j, None, f[COLUMN_FORMATS[c] or _number_format(ind)])
            r += 1
        bottom = r - 1
        _define(wb, layout.codes(key, len(mine)), top, 0)
        _define(wb, layout.block(key, len(mine)), top, block_col)
        ws.conditional_format(top, score_col, bottom, score_col, missing)
        ws.conditional_format(top, score_col, bottom, score_col, scale)
    ws.freeze_panes(hdr + 1, 2)
    ws.repeat_rows(hdr)
    a4_page(ws)

    # ---- Notes
    ws = wb.add_worksheet(SHEET_NOTES)
    if macro:
        ws.set_vba_name("Sheet4")
    width = 88  # inside the printed width of portrait A4, no scaling
    ws.set_column(0, 0, width)
    ws.write(0, 0, tri("notes"), f["title"])
    ws.set_row(1, _height(6, 10))  # the method text (about 500 characters)
    ws.write_blank(1, 0, None, f["note_line"])
    _define(wb, layout.METHOD, 1, 0)
    for i in range(NOTES_ROWS):
        ws.set_row(3 + i, _height(3, 10))  # a note names indicator, period, participants and input
        ws.write_blank(3 + i, 0, None, f["note_line"])
    _define(wb, layout.NOTES, 3, 0)
    a4_page(ws, landscape=False)
    if macro:
        # xlwings' own (disabled until renamed) settings sheet, last so that it prints last; A4 like the rest
        conf = wb.add_worksheet("_xlwings.conf")
        conf.set_vba_name("Sheet2")
        widths = (24, 60)
        conf.set_column(0, 0, widths[0])
        conf.set_column(1, 1, widths[1])
        left = wb.add_format({"align": "left"})
        for r, row in enumerate(xlwings_conf_rows()):
            values = [v for v in row if v is not None]
            if len(values) == 1 and len(str(values[0])) > widths[0] and row[0] is not None:
                _fit(conf, r, [(values[0], sum(widths), 11, False)])  # a line of instructions: wrap it in A:B
                conf.merge_range(r, 0, r, 1, values[0], f["plain"])
                continue
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, bool):
                    conf.write_boolean(r, c, v, left)
                else:
                    conf.write(r, c, v)
        a4_page(conf, landscape=False)
    wb.close()


MACRO_SHIM = '''"""Entry point of the "Fill" button in xlkg_scorecard.xlsm.

The workbook's VBA macro SampleCall (shipped with xlwings) runs
    RunPython "import xlkg_scorecard; xlkg_scorecard.main()"
i.e. it imports the module named like the workbook. Keep this file next to the workbook (xlwings puts
the workbook's folder on the Python path) and keep the workbook's name, or set PYTHONPATH in the
xlwings.conf sheet.
"""

from xlkg.excel.macros import main  # noqa: F401
'''


def build_templates(outdir) -> list[Path]:
    """Write the four workbooks and the macro entry module into `outdir`; return their paths."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / INPUT_NAME, out / EXAMPLE_NAME, out / TEMPLATE_NAME, out / MACRO_TEMPLATE_NAME, out / f"{MACRO_MODULE}.py"]
    _write_input(paths[0], None)
    _write_input(paths[1], example_data())
    _write_scorecard(paths[2], macro=False)
    _write_scorecard(paths[3], macro=True)
    paths[4].write_text(MACRO_SHIM, encoding="utf-8")
    return paths


if __name__ == "__main__":  # pragma: no cover  (`python -m xlkg.scorecard.templates [OUTDIR]`)
    from xlkg.cli import main

    sys.exit(main(["build", "--only", "templates", "-o", sys.argv[1] if len(sys.argv) > 1 else "workbooks"]))
