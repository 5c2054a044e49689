"""Benchmark of `xlkg recalc` as a user runs it: the whole process, from the command line to the file.

    python tests/benchmarks/bench_recalc.py [--repeat 5] [--mixed 1000] [--native 2000 5000]
                                            [--engines formulas libreoffice]

Two workbooks, each measured against its anchor; every run is a fresh process (start-up, imports,
reading, evaluating, writing), the run and its anchor alternate, each pair is repeated, and the
medians and their ratio are printed.

* mixed, 1,000 formula cells: half LOCALIZATION blocks (array formulas of 10 x 11 cells on 9 regions x
  10 sectors), half native formulas (SUM over a row of data, INDEX into a 50 x 10 table).
  Anchor: plain `formulas` with the same xlkg functions registered naively (every worksheet function
  put into formulas' function table), `ExcelModel().loads(...).finish()`, `calculate()`, `write()`.
  Goal: xlkg recalc >= 3x faster. Measured with each `--engine`.
* native, 2,000 and 5,000 formula cells (the same SUM/INDEX formulas, no xlkg function).
  Anchor: LibreOffice headless converting the workbook to .xlsx with recalculation forced
  (OOXMLRecalcMode = always, a private profile: xlkg.render.convert). Goal: xlkg recalc <= 2x.
  With `--engine libreoffice` xlkg hands the native formulas to the same LibreOffice; with the default
  `formulas` engine they are compiled and evaluated in Python (slow: see the printed ratio).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

REGIONS, SECTORS = 9, 10
BLOCK = (REGIONS + 1) * (SECTORS + 1)  # cells of one LOCALIZATION block
LOOKUP_ROWS = 50


def build(path: Path, xlkg_cells: int, native_cells: int) -> int:
    """A data sheet (region x sector tables, then rows of numbers) and a result sheet of formulas."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.formula import ArrayFormula

    rnd = random.Random(1)
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    res = wb.create_sheet("Results")
    n_blocks = round(xlkg_cells / BLOCK)
    last = get_column_letter(SECTORS + 1)
    for k in range(n_blocks):
        top = k * (REGIONS + 2) + 1
        data.cell(top, 1, "Region")
        for j in range(SECTORS):
            data.cell(top, j + 2, f"s{j + 1}")
        for i in range(REGIONS):
            data.cell(top + i + 1, 1, f"r{i + 1}")
            for j in range(SECTORS):
                data.cell(top + i + 1, j + 2, round(rnd.uniform(1, 1000), 1))
        res[f"A{top}"] = ArrayFormula(f"A{top}:{last}{top + REGIONS}",
                                      f"=LOCALIZATION(Data!A{top}:{last}{top + REGIONS})")
    # rows of numbers for the native formulas, below the tables; a lookup table at their top
    base = n_blocks * (REGIONS + 2) + 2
    rows = max(native_cells // 2, LOOKUP_ROWS)
    for i in range(rows):
        for j in range(SECTORS):
            data.cell(base + i, j + 2, round(rnd.uniform(1, 1000), 1))
    table = f"Data!$B${base}:${last}${base + LOOKUP_ROWS - 1}"
    for i in range(native_cells // 2):
        res.cell(base + i, 14, f"=SUM(Data!B{base + i}:{last}{base + i})")
        res.cell(base + i, 15, f"=INDEX({table},{i % LOOKUP_ROWS + 1},{i % SECTORS + 1})")
    wb.save(path)
    return n_blocks * BLOCK + 2 * (native_cells // 2)


ANCHOR_FORMULAS = r"""
import sys
import formulas
from formulas.functions import wrap_func
import numpy as np
from xlkg.excel import registry

def naive(fn):
    def call(*args):
        args = [a.tolist() if isinstance(a, np.ndarray) and a.shape != (1, 1) else
                (a[0, 0] if isinstance(a, np.ndarray) else a) for a in args]
        return np.array(fn(*args), dtype=object)
    return call

table = formulas.get_functions()
for spec in registry.functions():
    table[spec.name] = wrap_func(naive(spec.func))
model = formulas.ExcelModel().loads(sys.argv[1]).finish()
solution = model.calculate()
model.write(dirpath=sys.argv[2])
"""

ANCHOR_LIBREOFFICE = r"""
import sys
from xlkg import render
render.convert(sys.argv[1], "xlsx:Calc MS Excel 2007 XML", sys.argv[2], recalc=True)
"""


def run(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    return time.perf_counter() - t


def xlkg_cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "xlkg.cli", "recalc", str(src), "-o", str(out), "--overwrite", *extra]


def pair(label: str, ours: list[str], anchor: list[str], repeat: int, goal: str) -> None:
    a, b = [], []
    for _ in range(repeat):  # interleaved: the machine's load falls on both alike
        a.append(run(ours))
        b.append(run(anchor))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{label:<46}{ma:>9.2f}{mb:>10.2f}{mb / ma:>9.2f}x   {goal}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--mixed", type=int, nargs="*", default=[1000])
    p.add_argument("--native", type=int, nargs="*", default=[2000, 5000])
    p.add_argument("--engines", nargs="+", default=["formulas", "libreoffice"],
                   help="xlkg recalc --engine values to measure (formulas on 5,000 native cells takes minutes)")
    a = p.parse_args(argv)
    print(f"{'workbook (formula cells)':<46}{'xlkg s':>9}{'anchor s':>10}{'speed-up':>10}   goal "
          f"(medians of {a.repeat} interleaved runs, whole processes)")
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        from xlkg import render

        engines = [e for e in a.engines if e != "libreoffice" or render.find_soffice() is not None]
        for n in a.mixed:
            src = d / f"mixed_{n}.xlsx"
            cells = build(src, n // 2, n // 2)
            for engine in engines:
                pair(f"mixed {cells}, --engine {engine}: vs plain formulas",
                     xlkg_cmd(src, d / "o.xlsx", "--engine", engine),
                     [sys.executable, "-c", ANCHOR_FORMULAS, str(src), str(d / "plain")], a.repeat,
                     "anchor / xlkg >= 3")
        if render.find_soffice() is None:
            print("LibreOffice is not installed: the native rows are skipped")
            return 0
        for n in a.native:
            src = d / f"native_{n}.xlsx"
            cells = build(src, 0, n)
            lo = [sys.executable, "-c", ANCHOR_LIBREOFFICE, str(src), str(d / "lo")]
            for engine in engines:
                pair(f"native {cells}, --engine {engine}: vs LibreOffice",
                     xlkg_cmd(src, d / "o.xlsx", "--engine", engine), lo, a.repeat, "anchor / xlkg >= 0.5")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
