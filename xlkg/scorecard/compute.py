"""Balanced system of economic indicators of a cluster (the dissertation's balanced system of indicators).

сбалансированная система экономических показателей — балансталган экономикалык көрсөткүчтөр тутуму

Seven subsystems (seed): production factors, financial, production, socio-economic, cooperative,
innovation, investment. The indicators are ours (`data/scorecard_indicators.csv`, refined from the
starting catalogue `data/bsc_indicator_catalog.csv`: rows that named two indicators are split, growth
rates that merely repeat another row's growth % are folded into that row, see the `note` column). Each
indicator is computed from its participants' reports for a base and a report period by a formula
over participant inputs (`data/scorecard_inputs.csv`):

    sum(x)          sum of input x over the participants of the period
    ctx(x)          a cluster-level context figure (e.g. the region's sector output)
    count()         participants of the period (those with at least one reported input)
    count_pos(x)    participants with x > 0;  count_neg(x): with x < 0
    pairs()         possible links among participants, N (N - 1) / 2
    base(expr)      expr evaluated in the base period (report period only)
    + - * / ( )     arithmetic; a zero denominator gives "no value" with a reason, never infinity

Per indicator (standard index arithmetic, dynamics as in seed Table 2.1):

    change   D = x_report - x_base
    growth   T = x_report / x_base * 100            (only for x_base > 0 and x_report >= 0)
    score    b = x_report / x_base                  "more is better" (+)
             b = x_base / x_report                  "less is better" (-)
             with a target t: b = x_report / t (+), b = t / x_report (-)
             both 0 (no accidents in either period): b = 1, "no change"
             optional cap c: b = min(b, c); a "less is better" value that fell to 0 scores c

Per subsystem s (reconstruction, as seed formula (2): mean of scores):

    I_s = (1/n_s) * sum of the n_s scores that could be computed
    coverage_s = n_s / (indicators of s)            a missing input lowers coverage, never reads as 0

Overall index (weights settable, default equal):

    I = sum_s w_s * I_s / sum_s w_s                 over the subsystems that have an index

Participants who join or leave between the periods (membership): by default each period counts the
participants that reported in it, so growth mixes the cluster's own growth with its change of size,
and a note names who joined and who left. `membership="continuing"` compares like with like: both
periods count only the participants that reported in both (standard like-for-like comparison, as
retail and index statistics do for a changing panel); the note names who was left out. A participant
whose name differs only slightly between the sheets (case, quotes, Kyrgyz/Russian letters, a typo)
gets a "did you mean" hint, since a renamed participant otherwise counts as one leaving and one joining.

A missing or bad input (blank, "н/д", "abc") spoils only the indicators that use it; their reason
names the participant, the input and the period. Source: seed (subsystems, measure types, formula (2)
legend), standard (growth, change), reconstruction (score rule, coverage), our design (indicator list).
"""

from __future__ import annotations

import ast
import difflib
import math
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from xlkg import data
from xlkg.core.cells import parse_cell
from xlkg.core.result import InputError, Result

SUBSYSTEMS = (
    "scorecard.production_factors",
    "scorecard.financial",
    "scorecard.production",
    "scorecard.socio_economic",
    "scorecard.cooperative",
    "scorecard.innovation",
    "scorecard.investment",
)
MEASURE_TYPES = ("value", "natural", "percent")
PERIODS = ("base", "report")
COLUMNS = ("base", "report", "change", "growth", "score")
SUBSYSTEM_COLUMNS = ("index", "coverage", "scored", "indicators", "weight")
MAX_NAMED = 3  # participants named in one reason before "and N more"

METHOD = (
    "Balanced scorecard of a cluster (the dissertation's seven subsystems): indicator = formula over participants' inputs "
    "(data/scorecard_indicators.csv); growth = report / base * 100; score = report / base "
    "('less is better': base / report), or against the target when one is given; subsystem index = "
    "mean of the scores that could be computed (as seed formula (2), reconstruction), coverage = share "
    "of indicators with a score; overall index = weighted mean of subsystem indices."
)


@dataclass(frozen=True)
class InputItem:
    """One input a participant reports per period (a row of the input workbook)."""

    code: str
    scope: str  # "participant" or "cluster"
    ky: str
    ru: str
    en: str
    unit: str

    def name(self, lang: str = "en") -> str:
        return (getattr(self, lang) or self.ru) if lang in ("ky", "ru", "en") else self.en


@dataclass(frozen=True)
class Indicator:
    """One scorecard indicator; `formula` is in the small language of the module docstring."""

    code: str
    subsystem: str
    measure_type: str
    ky: str
    ru: str
    en: str
    unit: str
    direction: int  # +1 more is better, -1 less is better
    formula: str
    target: float | None = None
    note: str = ""

    def name(self, lang: str = "en") -> str:
        """The indicator's name; Kyrgyz falls back to Russian where no faithful Kyrgyz name exists."""
        if lang == "ky":
            return self.ky or self.ru
        return getattr(self, lang) if lang in ("ru", "en") else self.en


def load_inputs() -> dict[str, InputItem]:
    """The input items of `data/scorecard_inputs.csv`, by code, in file order."""
    df = data.frame("scorecard_inputs.csv")
    return {r.code: InputItem(r.code, r.scope, r.ky, r.ru, r.en, r.unit) for r in df.itertuples(index=False)}


def load_indicators() -> list[Indicator]:
    """The indicators of `data/scorecard_indicators.csv`, in file order (grouped by subsystem)."""
    df = data.frame("scorecard_indicators.csv")
    out = []
    for r in df.itertuples(index=False):
        target = float(r.target) if r.target.strip() else None
        out.append(Indicator(r.code, r.subsystem, r.measure_type, r.ky, r.ru, r.en, r.unit,
                             1 if r.direction.strip() == "+" else -1, r.formula, target, r.note))
    return out


def input_codes(formula: str) -> list[str]:
    """Input codes a formula reads, in order of appearance."""
    out = []
    for node in ast.walk(ast.parse(formula, mode="eval")):
        if isinstance(node, ast.Call):
            for a in node.args:
                if isinstance(a, ast.Name) and a.id not in out:
                    out.append(a.id)
    return out


def check_catalogue(indicators: list[Indicator], inputs: Mapping[str, InputItem]) -> None:
    """InputError when an indicator names an unknown subsystem, measure type, function or input."""
    seen = set()
    for ind in indicators:
        where = f"indicator {ind.code}"
        if ind.code in seen:
            raise InputError(f"{where}: duplicate code")
        seen.add(ind.code)
        if ind.subsystem not in SUBSYSTEMS:
            raise InputError(f"{where}: unknown subsystem {ind.subsystem!r}; expected one of {', '.join(SUBSYSTEMS)}")
        if ind.measure_type not in MEASURE_TYPES:
            raise InputError(f"{where}: measure type {ind.measure_type!r}; expected value, natural or percent")
        for code in input_codes(ind.formula):
            if code not in inputs:
                raise InputError(f"{where}: formula {ind.formula!r} reads unknown input {code!r}")
        _Eval.validate(ind.formula, where)


# --------------------------------------------------------------------------------------------------
# Cluster data


@dataclass
class ClusterData:
    """A cluster's reports: per period, participants x input codes (float, NaN missing) + reasons.

    values[period]   DataFrame index = participant names, columns = participant input codes
    missing[period]  same shape: None where a number was read, else why not ("blank", "'abc' is not a number")
    context[period]  Series of cluster-level inputs (NaN missing); context_missing[period] reasons
    active[period]   participants with at least one non-blank cell in that period
    """

    participants: list[str]
    values: dict[str, pd.DataFrame]
    missing: dict[str, pd.DataFrame]
    context: dict[str, pd.Series]
    context_missing: dict[str, pd.Series]
    active: dict[str, list[str]]
    cluster: str = ""
    period_labels: dict[str, str] = field(default_factory=lambda: {"base": "base", "report": "report"})
    weights: dict[str, float] | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_cells(cls, cells: Mapping[str, Mapping[str, Mapping[str, object]]], *,
                   context: Mapping[str, Mapping[str, object]] | None = None, participants: Iterable[str] | None = None,
                   cluster: str = "", period_labels: Mapping[str, str] | None = None,
                   weights: Mapping[str, float] | None = None, inputs: Mapping[str, InputItem] | None = None,
                   notes: Iterable[str] = ()) -> "ClusterData":
        """Build from raw cells: cells[period][participant][input code] = what the cell held.

        Every cell goes through `cells.parse_cell` (decimal commas, "н/д", "-", error values), so a
        bad cell becomes a missing value with its reason and the rest is read.
        """
        inputs = inputs or load_inputs()
        part_codes = [c for c, it in inputs.items() if it.scope == "participant"]
        ctx_codes = [c for c, it in inputs.items() if it.scope == "cluster"]
        for period in cells:
            if period not in PERIODS:
                raise InputError(f"period {period!r}: expected 'base' or 'report'")
        names: list[str] = list(participants) if participants is not None else []
        for period in PERIODS:
            for p in cells.get(period, {}):
                if p not in names:
                    names.append(p)
        values, missing, active, cvals, cmiss = {}, {}, {}, {}, {}
        for period in PERIODS:
            v = np.full((len(names), len(part_codes)), np.nan)
            m = np.full((len(names), len(part_codes)), "blank", dtype=object)
            act = []
            per = cells.get(period, {})
            for i, p in enumerate(names):
                row = per.get(p, {})
                any_cell = False
                for j, code in enumerate(part_codes):
                    val, why = parse_cell(row.get(code))
                    v[i, j] = val
                    m[i, j] = why
                    any_cell |= why != "blank"
                if any_cell:
                    act.append(p)
            values[period] = pd.DataFrame(v, index=pd.Index(names, dtype=object), columns=part_codes)
            missing[period] = pd.DataFrame(m, index=pd.Index(names, dtype=object), columns=part_codes)
            active[period] = act
            cv, cm = [], []
            for code in ctx_codes:
                val, why = parse_cell((context or {}).get(period, {}).get(code))
                cv.append(val)
                cm.append(why)
            cvals[period] = pd.Series(cv, index=ctx_codes, dtype=float)
            cmiss[period] = pd.Series(cm, index=ctx_codes, dtype=object)
        labels = {"base": "base", "report": "report"}
        labels.update(period_labels or {})
        return cls(names, values, missing, cvals, cmiss, active, cluster, labels,
                   dict(weights) if weights else None, list(notes))


# --------------------------------------------------------------------------------------------------
# Participants who join, leave or are renamed between the periods

MEMBERSHIP = ("all", "continuing")
_MEMBERSHIP_WORDS = {
    "all": "all", "все": "all", "всех": "all", "бардыгы": "all", "баары": "all",
    "continuing": "continuing", "like for like": "continuing", "like-for-like": "continuing",
    "сопоставимый": "continuing", "сопоставимый состав": "continuing", "неизменный состав": "continuing",
    "туруктуу": "continuing", "туруктуу курам": "continuing",
}
# Letters that Kyrgyz and Russian spellings of one name exchange, and marks that do not change a name.
_FOLD = str.maketrans({"ү": "у", "ө": "о", "ң": "н", "ё": "е", "«": " ", "»": " ", '"': " ", "'": " ", "“": " ",
                       "”": " ", "-": " ", ".": " ", ",": " "})
RENAME_CUTOFF = 0.85  # difflib ratio of the folded names above which a leaver and a joiner look like one


def parse_membership(value, *, arg: str = "membership") -> str:
    """'all' (default) or 'continuing'; Russian and Kyrgyz words accepted (все / бардыгы, сопоставимый / туруктуу)."""
    if value is None or str(value).strip() == "":
        return "all"
    key = " ".join(str(value).casefold().split())
    if key in _MEMBERSHIP_WORDS:
        return _MEMBERSHIP_WORDS[key]
    raise InputError(f"{arg}: {value!r}; expected 'all' (each period's own participants, the default) or "
                     "'continuing' (only participants that reported in both periods: like with like)")


def _folded(name: str) -> str:
    return " ".join(str(name).casefold().translate(_FOLD).split())


def membership_changes(data: ClusterData) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(joined, left, renamed): participants that reported only in the report period, only in the base
    period, and pairs (report name, base name) that look like one participant renamed."""
    base, report = data.active["base"], data.active["report"]
    joined = [p for p in report if p not in base]
    left = [p for p in base if p not in report]
    folded_left = {_folded(p): p for p in left}
    renamed = []
    for p in joined:
        match = difflib.get_close_matches(_folded(p), list(folded_left), n=1, cutoff=RENAME_CUTOFF)
        if match:
            renamed.append((p, folded_left[match[0]]))
    return joined, left, renamed


def _membership_notes(data: ClusterData, membership: str) -> tuple[ClusterData, list[str]]:
    joined, left, renamed = membership_changes(data)
    notes = [f"did you mean '{old}'? '{new}' ({data.period_labels['report']}) and '{old}' "
             f"({data.period_labels['base']}) look like one participant renamed: use one name in both sheets, "
             "or it counts as one leaving and one joining" for new, old in renamed]
    if not joined and not left:
        return data, notes
    changed = "; ".join(x for x in (("joined: " + ", ".join(joined)) if joined else "",
                                    ("left: " + ", ".join(left)) if left else "") if x)
    if membership == "all":
        notes.append(f"participants changed between the periods ({changed}): each period counts its own "
                     "participants, so growth includes the change of membership; membership = continuing "
                     "compares like with like")
        return data, notes
    both = [p for p in data.active["report"] if p in data.active["base"]]
    notes.append(f"like with like: both periods count only the {len(both)} participant(s) that reported in both "
                 f"({changed}; not counted)")
    restricted = replace(data, active={period: [p for p in data.active[period] if p in both] for period in PERIODS})
    return restricted, notes


# --------------------------------------------------------------------------------------------------
# Formula evaluation


class _Eval:
    """Evaluate one indicator formula in one period: (value or NaN, list of reasons)."""

    FUNCS = {"sum": 1, "ctx": 1, "count": 0, "count_pos": 1, "count_neg": 1, "pairs": 0, "base": 1}

    def __init__(self, data: ClusterData, period: str, inputs: Mapping[str, InputItem], base: "_Eval | None" = None):
        self.data, self.period, self.inputs = data, period, inputs
        self.base = base
        # plain numpy views of the active participants (pandas indexing per call is 10x slower)
        act = data.active[period]
        frame = data.values[period]
        rows = [frame.index.get_loc(p) for p in act]
        self._names = list(act)
        self._vals = frame.to_numpy(dtype=float)[rows, :] if rows else np.empty((0, frame.shape[1]))
        self._why = data.missing[period].to_numpy(dtype=object)[rows, :] if rows else np.empty((0, frame.shape[1]), dtype=object)
        self._col = {c: j for j, c in enumerate(frame.columns)}

    @classmethod
    def validate(cls, formula: str, where: str) -> None:
        try:
            tree = ast.parse(formula, mode="eval")
        except SyntaxError as exc:
            raise InputError(f"{where}: formula {formula!r} does not parse ({exc.msg})") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                if not isinstance(node.func, ast.Name) or node.func.id not in cls.FUNCS:
                    raise InputError(f"{where}: formula {formula!r}: unknown function; allowed: {', '.join(cls.FUNCS)}")
                if len(node.args) != cls.FUNCS[node.func.id] or node.keywords:
                    raise InputError(f"{where}: formula {formula!r}: {node.func.id}() takes {cls.FUNCS[node.func.id]} argument(s)")
            elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load,
                                       ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)):
                raise InputError(f"{where}: formula {formula!r}: {type(node).__name__} is not allowed")

    def run(self, formula: str) -> tuple[float, list[str]]:
        reasons: list[str] = []
        value = self._node(ast.parse(formula, mode="eval").body, reasons)
        if not math.isnan(value) and not math.isfinite(value):
            return math.nan, reasons + ["not a finite number"]
        return value, _dedupe(reasons)

    # -- nodes
    def _node(self, node, reasons) -> float:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            v = self._node(node.operand, reasons)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a = self._node(node.left, reasons)
            b = self._node(node.right, reasons)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if b == 0 and not math.isnan(a):
                reasons.append(f"division by zero ({ast.unparse(node.right)} = 0)")
                return math.nan
            return a / b if not math.isnan(b) else math.nan
        if isinstance(node, ast.Call):
            name = node.func.id
            arg = node.args[0] if node.args else None
            if name == "base":
                if self.period == "base":
                    reasons.append("report period only (needs the period before the base)")
                    return math.nan
                return (self.base or _Eval(self.data, "base", self.inputs))._node(arg, reasons)
            if name == "count":
                return float(self._count(reasons))
            if name == "pairs":
                n = self._count(reasons)
                return n * (n - 1) / 2.0
            code = arg.id
            if name == "ctx":
                return self._ctx(code, reasons)
            vals = self._participant_values(code, reasons)
            if vals is None:
                return math.nan
            if name == "sum":
                return float(vals.sum())
            if name == "count_pos":
                return float((vals > 0).sum())
            if name == "count_neg":
                return float((vals < 0).sum())
        raise InputError(f"formula node {ast.dump(node)} is not supported")  # guarded by validate()

    def _count(self, reasons) -> int:
        n = len(self.data.active[self.period])
        if n == 0:
            reasons.append(f"no participant reported for the {self._plabel()} period")
        return n

    def _plabel(self) -> str:
        lab = self.data.period_labels.get(self.period, self.period)
        return self.period if lab == self.period else f"{self.period} ({lab})"

    def _item(self, code) -> str:
        it = self.inputs.get(code)
        return f"'{it.en}' ({code})" if it else code

    def _ctx(self, code, reasons) -> float:
        v = float(self.data.context[self.period].get(code, math.nan))
        if math.isnan(v):
            why = self.data.context_missing[self.period].get(code) or "blank"
            reasons.append(f"cluster, {self._item(code)}, {self._plabel()} period: {_why(why)}")
        return v

    def _participant_values(self, code, reasons):
        act = self.data.active[self.period]
        if not act:
            reasons.append(f"no participant reported for the {self._plabel()} period")
            return None
        j = self._col[code]
        vals = self._vals[:, j]
        bad = np.flatnonzero(np.isnan(vals))
        if len(bad):
            parts = [f"{self._names[i]} ({_why(self._why[i, j])})" for i in bad]
            shown = ", ".join(parts[:MAX_NAMED]) + (f" and {len(parts) - MAX_NAMED} more" if len(parts) > MAX_NAMED else "")
            reasons.append(f"{self._item(code)}, {self._plabel()} period: {shown}")
            return None
        return vals


def _why(why) -> str:
    return "no data (blank)" if why in (None, "blank") else str(why)


def _dedupe(items):
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


# --------------------------------------------------------------------------------------------------
# The scorecard


@dataclass
class Scorecard:
    """The computed scorecard.

    indicators  Result: values DataFrame (index indicator code, columns base, report, change, growth,
                score; NaN where not computable), reasons same shape
    subsystems  Result: values DataFrame (index subsystem key, columns index, coverage, scored,
                indicators, weight), reasons for a missing index
    overall     overall index (NaN when no subsystem has one); overall_coverage share of all
                indicators with a score
    catalogue   the Indicator objects in row order
    """

    indicators: Result
    subsystems: Result
    overall: float
    overall_coverage: float
    catalogue: list[Indicator]
    cluster: str = ""
    period_labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    method: str = METHOD

    def by_subsystem(self, key: str) -> list[Indicator]:
        return [i for i in self.catalogue if i.subsystem == key]


def normalise_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Weights by subsystem key; short keys ("financial") accepted; missing ones are 1; < 0 refused."""
    out = {k: 1.0 for k in SUBSYSTEMS}
    for k, w in (weights or {}).items():
        key = k if k in SUBSYSTEMS else f"scorecard.{k}"
        if key not in SUBSYSTEMS:
            raise InputError(f"weights: unknown subsystem {k!r}; expected one of "
                             f"{', '.join(s.split('.', 1)[1] for s in SUBSYSTEMS)}")
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise InputError(f"weights: {k!r} = {w!r} is not a number") from None
        if not math.isfinite(w) or w < 0:
            raise InputError(f"weights: {k!r} = {w!r}; a weight must be a number >= 0")
        out[key] = w
    return out


def score(base: float, report: float, direction: int, target: float | None = None,
          cap: float | None = None) -> tuple[float, str | None]:
    """Score of one indicator, with the reason when it cannot be computed.

    b = report / base (+) or base / report (-); with a target t: report / t (+) or t / report (-).
    Defined only for a positive denominator and a non-negative numerator (a ratio of values of
    different sign is no measure of progress); when both are 0 (no accidents in either period, no
    patents in either period) the score is 1, "no change". With a cap c every score is min(b, c),
    and a "less is better" indicator that fell to 0 from a positive value (no accidents any more)
    scores c; without a cap that score is undefined and says so.
    """
    ref = target if target is not None else base
    what = "target" if target is not None else "base value"
    if math.isnan(report):
        return math.nan, "no report value"
    if math.isnan(ref):
        return math.nan, f"no {what}"
    num, den = (report, ref) if direction > 0 else (ref, report)
    if num == 0 and den == 0:
        return 1.0, None
    if cap is not None and direction < 0 and den == 0 and num > 0:
        return float(cap), None
    if den <= 0 or num < 0:
        if direction > 0:
            return math.nan, f"score needs a positive {what} and a report value >= 0"
        if den == 0 and num > 0:
            return math.nan, ("report value 0, the best possible for a 'less is better' indicator: the ratio "
                              "has no finite value; set a score cap (Settings: score_cap) to score it")
        return math.nan, f"score needs a positive report value and a {what} >= 0 (less is better)"
    b = num / den
    return (min(b, float(cap)) if cap is not None else b), None


def compute_scorecard(data: ClusterData, *, weights: Mapping[str, float] | None = None,
                      targets: Mapping[str, float] | None = None, min_coverage: float = 0.0,
                      cap: float | None = None, membership: str = "all",
                      indicators: list[Indicator] | None = None,
                      inputs: Mapping[str, InputItem] | None = None) -> Scorecard:
    """Compute every indicator, the subsystem indices with coverage, and the overall index.

    weights       by subsystem key or short key (default: each 1, or `data.weights` when set)
    targets       by indicator code, replacing the catalogue's target (a target turns the score into
                  report / target, or target / report for "less is better")
    min_coverage  a subsystem index is shown only when at least this share of its indicators has a
                  score (default 0: any score at all)
    cap           upper limit of every score (default None: no limit), e.g. 2 so that one indicator that
                  grew tenfold does not dominate its subsystem; see `score`
    membership    "all" (default: each period counts its own participants) or "continuing" (only those
                  that reported in both periods: like with like); a change of membership is always noted
    """
    inputs = inputs or load_inputs()
    catalogue = indicators if indicators is not None else load_indicators()
    check_catalogue(catalogue, inputs)
    if not 0.0 <= float(min_coverage) <= 1.0:
        raise InputError(f"min_coverage: {min_coverage!r}; expected a share between 0 and 1")
    w = normalise_weights(weights if weights is not None else data.weights)
    if cap is not None and not (isinstance(cap, (int, float)) and math.isfinite(cap) and cap > 0):
        raise InputError(f"cap: {cap!r}; expected a positive number or nothing")
    targets = dict(targets or {})
    for code in targets:
        if code not in {i.code for i in catalogue}:
            raise InputError(f"targets: unknown indicator code {code!r}")

    data, membership_notes = _membership_notes(data, parse_membership(membership))
    codes = [i.code for i in catalogue]
    V = np.full((len(codes), len(COLUMNS)), np.nan)
    W = np.full((len(codes), len(COLUMNS)), None, dtype=object)
    B, R, C, G, S = range(len(COLUMNS))
    ev = {"base": _Eval(data, "base", inputs)}
    ev["report"] = _Eval(data, "report", inputs, base=ev["base"])
    for k, ind in enumerate(catalogue):
        target = targets.get(ind.code, ind.target)
        if target is not None:
            target = float(target)
        b, rb = ev["base"].run(ind.formula)
        r, rr = ev["report"].run(ind.formula)
        V[k, B], V[k, R] = b, r
        if rb:
            W[k, B] = "; ".join(rb)
        if rr:
            W[k, R] = "; ".join(rr)
        if math.isnan(b) or math.isnan(r):
            W[k, C] = W[k, G] = "no base value" if math.isnan(b) else "no report value"
        else:
            V[k, C] = r - b
            if b > 0 and r >= 0:
                V[k, G] = r / b * 100.0
            else:
                W[k, G] = "growth needs a positive base value and a report value >= 0"
        s, rs = score(b, r, ind.direction, target, cap)
        V[k, S] = s
        if rs:
            detail = W[k, R] if rs == "no report value" else (W[k, B] if rs == "no base value" else None)
            W[k, S] = rs + (f": {detail}" if detail else "")
    index = pd.Index(codes, dtype=object)
    vals = pd.DataFrame(V, index=index, columns=list(COLUMNS))
    why = pd.DataFrame(W, index=index, columns=list(COLUMNS), dtype=object)

    subs = pd.DataFrame(np.nan, index=pd.Index(SUBSYSTEMS, dtype=object), columns=list(SUBSYSTEM_COLUMNS))
    sub_why = pd.Series([None] * len(SUBSYSTEMS), index=subs.index, dtype=object)
    for key in SUBSYSTEMS:
        mine = [i.code for i in catalogue if i.subsystem == key]
        sc = vals.loc[mine, "score"] if mine else pd.Series(dtype=float)
        n_ok = int(sc.notna().sum())
        cov = n_ok / len(mine) if mine else math.nan
        subs.loc[key, ["coverage", "scored", "indicators", "weight"]] = [cov, n_ok, len(mine), w[key]]
        if n_ok == 0:
            sub_why[key] = "no indicator could be scored" if mine else "no indicators"
        elif cov < min_coverage:
            sub_why[key] = f"coverage {cov:.0%} below the minimum {min_coverage:.0%}"
        else:
            subs.loc[key, "index"] = float(sc.mean())

    notes = list(data.notes) + membership_notes
    have = subs["index"].notna() & (subs["weight"] > 0)
    total_w = float(subs.loc[have, "weight"].sum())
    if total_w > 0:
        overall = float((subs.loc[have, "index"] * subs.loc[have, "weight"]).sum() / total_w)
        dropped = [k for k in SUBSYSTEMS if not have[k] and subs.loc[k, "weight"] > 0]
        if dropped:
            notes.append("overall index without " + ", ".join(dropped) + " (no subsystem index); weights renormalised")
    else:
        overall = math.nan
        notes.append("overall index: no subsystem index with a positive weight")
    n_all = len(catalogue)
    overall_cov = float(vals["score"].notna().sum() / n_all) if n_all else math.nan

    return Scorecard(
        indicators=Result(vals, why, METHOD),
        subsystems=Result(subs, sub_why, METHOD),
        overall=overall,
        overall_coverage=overall_cov,
        catalogue=list(catalogue),
        cluster=data.cluster,
        period_labels=dict(data.period_labels),
        notes=notes,
    )
