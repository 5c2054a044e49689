"""Fill the scorecard template without Excel: one workbook, a folder of them, or the bundled example.

    xlkg fill INPUT.xlsx [--template TEMPLATE.xlsx] -o OUT.xlsx [--overwrite]
    xlkg fill INPUT_FOLDER [--template TEMPLATE.xlsx] -o OUT_FOLDER [--overwrite]

The input workbook is read with openpyxl (reading only). The template is never loaded and saved by
openpyxl, which would drop charts, buttons and other parts it does not model: the FillPlan is written
with `xlkg.xlsx`, which changes only the cells of the target blocks and copies every other part
of the zip package byte for byte. After writing, an inventory of the output (sheets, defined names,
validations, conditional formats, charts, drawings, the VBA project's hash, every other part's hash) is
compared with the template's; on any difference the output is deleted and the fill refused with the
reason. The output is a new file unless `overwrite=True`; filling twice gives identical bytes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from xlkg import xlsx
from xlkg.core.result import InputError
from xlkg.output import check_destination
from xlkg.scorecard.compute import Scorecard
from xlkg.scorecard.layout import EXAMPLE_NAME, MACRO_TEMPLATE_NAME, TEMPLATE_NAME
from xlkg.scorecard.plan import FillPlan, build_plan
from xlkg.scorecard.reader import compute_from_workbook
from xlkg.xlsx.read import load_workbook
from xlkg.xlsx.refs import range_bounds


def repo_workbooks() -> Path:
    """workbooks/ of the repository this package runs from (xlkg/scorecard/writer.py -> the repository)."""
    return Path(__file__).resolve().parents[2] / "workbooks"


def _built_dir() -> Path:
    """Where the templates are built when the package is installed without workbooks/ (per version)."""
    from xlkg import __version__

    return Path(tempfile.gettempdir()) / f"xlkg-templates-{__version__}"


def _bundled(name: str) -> Path:
    """A workbook the template builder writes: the one in workbooks/, else one built into a temporary
    folder (once per version)."""
    p = repo_workbooks() / name
    if p.exists():
        return p
    out = _built_dir()
    if not (out / name).exists():
        import os

        from xlkg.scorecard.templates import build_templates  # only when building (it imports xlsxwriter)

        out.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=str(out)))
        try:  # built aside, then each file put in place whole: a concurrent run never reads half a workbook
            for built in build_templates(work):
                os.replace(built, out / Path(built).name)
        finally:
            for f in work.iterdir():
                f.unlink()
            work.rmdir()
    return out / name


def default_template(macro: bool = False) -> Path:
    """The bundled scorecard template (workbooks/); built into a temporary folder when not there."""
    return _bundled(MACRO_TEMPLATE_NAME if macro else TEMPLATE_NAME)


def example_input() -> Path:
    return _bundled(EXAMPLE_NAME)


def _read_template_blocks(template: Path, names) -> dict[str, list[list]]:
    """Current values of defined-name ranges in the template (reading only)."""
    refs = xlsx.resolve_names(template, names)
    with load_workbook(template, read_only=True, data_only=True, what="template") as wb:
        out = {}
        for n, (sheet, ref) in refs.items():
            r1, c1, r2, c2 = range_bounds(ref)
            out[n] = [list(r) for r in wb[sheet].iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2,
                                                            values_only=True)]
        return out


@dataclass
class FillReport:
    output: Path
    scorecard: Scorecard
    plan: FillPlan
    cells_written: int = 0
    notes: list[str] = field(default_factory=list)


class TemplateReading:
    """What a fill reads of its template before writing (the current values of the names it checks,
    where its names point, the inventory the copy is compared with), read once and kept for a batch.
    A template that changes during the batch is caught: its copies no longer match the inventory."""

    def __init__(self, template):
        self.path = Path(template)
        self.blocks: dict[str, list[list]] = {}
        self.refs: dict[str, tuple[str, str]] = {}
        self.before: dict | None = None

    def current(self, names) -> dict[str, list[list]]:
        missing = [n for n in names if n not in self.blocks]
        if missing:
            self.blocks.update(_read_template_blocks(self.path, missing))
        return self.blocks

    def writes(self, values: dict) -> dict:
        missing = [n for n in values if n not in self.refs]
        if missing:
            self.refs.update(xlsx.resolve_names(self.path, missing))
        return xlsx.name_writes(self.path, values, refs=self.refs)

    def inventory(self) -> dict:
        if self.before is None:
            self.before = xlsx.inventory(self.path)
        return self.before


def apply_plan(plan: FillPlan, template, output, *, overwrite: bool = False, protect=(),
               reading: TemplateReading | None = None) -> xlsx.PatchReport:
    """Write a FillPlan into a copy of `template` (headless); refuse, leaving nothing behind, when the
    template's indicator codes differ or anything of the template would not survive (checked on the
    finished copy before it is put in place). `output` is never the template nor one of `protect`
    (the input workbook), even with `overwrite`. `reading`: what was read of this template before
    (a batch reads it once)."""
    template, output = Path(template), Path(output)
    reading = reading if reading is not None and reading.path == template else TemplateReading(template)
    protect = [template, *protect]
    check_destination(output, overwrite=overwrite, protect=protect)
    current = reading.current(plan.expect)
    plan.check_expected(lambda n: current[n])
    try:
        writes = reading.writes(plan.writes)
        before = reading.inventory()
    except xlsx.XlsxPatchError as exc:
        raise InputError(f"template {template.name} cannot be filled without losing something, nothing written: "
                         f"{exc}") from None

    def keeps_everything(copy: Path, report: xlsx.PatchReport) -> None:
        try:
            xlsx.assert_preserved(before, xlsx.inventory(copy), report.changed_parts, report.removed_parts)
        except AssertionError as exc:
            raise InputError(f"template {template.name}: the fill would not keep everything ({exc}); refused") from None
        if report.removed_parts:
            raise InputError(f"template {template.name}: the fill would remove {', '.join(report.removed_parts)}; "
                             "refused")

    try:
        return xlsx.patch_workbook(template, output, writes, overwrite=overwrite, protect=protect,
                                   check=keeps_everything, hint="--overwrite")
    except xlsx.XlsxPatchError as exc:
        raise InputError(f"template {template.name} cannot be filled without losing something, nothing written: "
                         f"{exc}") from None


def fill(input_path, template=None, output=None, *, overwrite: bool = False, weights=None, targets=None,
         reading: TemplateReading | None = None) -> FillReport:
    """Compute the scorecard of one input workbook and write it into a copy of the template.

    output defaults to "<input stem>_scorecard<template suffix>" beside the input. Raises InputError
    (nothing written) for a bad template or unreadable input; missing or bad single inputs do not stop
    the fill: they show as #N/A with a note naming participant and input, and lower the coverage.
    """
    template = Path(template) if template else default_template()
    input_path = Path(input_path)
    if output is None:
        output = input_path.with_name(f"{input_path.stem}_scorecard{template.suffix}")
    output = check_destination(output, overwrite=overwrite, protect=[input_path, template])  # before the work
    sc, settings = compute_from_workbook(input_path, weights=weights, targets=targets)
    plan = build_plan(sc, illustrative=settings["illustrative"])
    rep = apply_plan(plan, template, output, overwrite=overwrite, protect=[input_path], reading=reading)
    return FillReport(output, sc, plan, rep.cells_written, list(plan.notes))


@dataclass
class BatchResult:
    done: list[FillReport] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"filled {len(self.done)} scorecard(s), {len(self.failed)} failed, {self.seconds:.1f} s"]
        for r in self.done:
            cov = r.scorecard.overall_coverage
            lines.append(f"  ok     {r.output.name}: overall index {r.scorecard.overall:.3f}, coverage {cov:.0%}")
        for p, why in self.failed:
            lines.append(f"  FAILED {p.name}: {why}")
        return "\n".join(lines)


def fill_batch(folder, template=None, outdir=None, *, overwrite: bool = False, progress: bool = True,
               pattern: str = "*.xlsx") -> BatchResult:
    """One scorecard per input workbook in `folder` (files matching `pattern`, excluding outputs and
    Excel's lock files), written to `outdir` (default: folder/scorecards) as <stem>_scorecard.xlsx.
    A failure is recorded with its reason and the batch goes on."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder")
    template = Path(template) if template else default_template()
    outdir = Path(outdir) if outdir else folder / "scorecards"
    files = sorted(p for p in folder.glob(pattern)
                   if not p.name.startswith("~$") and not p.stem.endswith("_scorecard") and p.resolve() != template.resolve())
    res = BatchResult()
    reading = TemplateReading(template)  # the template is read once for the whole batch
    t0 = time.perf_counter()
    bar = None
    if progress:
        try:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="workbook", desc="xlkg fill", file=sys.stderr)
        except ImportError:  # pragma: no cover  (tqdm is a dependency)
            bar = None
    for p in files:
        try:
            res.done.append(fill(p, template, outdir / f"{p.stem}_scorecard{template.suffix}", overwrite=overwrite,
                                 reading=reading))
        except (InputError, OSError) as exc:
            res.failed.append((p, str(exc)))
        except Exception as exc:  # one broken file must not stop the batch; say what happened
            res.failed.append((p, f"{type(exc).__name__}: {exc}"))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    res.seconds = time.perf_counter() - t0
    return res


def fill_example(output, *, template=None, overwrite: bool = True) -> FillReport:
    """Fill the scorecard from the bundled illustrative example (for `xlkg demo`)."""
    return fill(example_input(), template, output, overwrite=overwrite)


if __name__ == "__main__":  # pragma: no cover  (`python -m xlkg.scorecard.writer ...` = `xlkg fill ...`)
    from xlkg.cli import main

    raise SystemExit(main(["fill", *sys.argv[1:]]))

