"""Benchmark of `xlkg recalc`: workbooks holding 1,000 and 10,000 cells of xlkg formulas.

    python tests/benchmarks/bench_recalc.py [--sizes 1000 10000]

Each workbook has a data sheet of region x sector tables (9 regions x 10 sectors, different numbers
per table) and a result sheet of LOCALIZATION array formulas, one per table, each filling 10 x 11
cells; 1,000 formula cells = 10 formulas (1,100 cells), and so on. For the same workbook it prints:

  load+save   reading it (formulas' reader) and writing the same number of cached values into a copy
              (xlkg.xlsx) without evaluating anything: the floor any recalculation pays;
  recalc      the whole `xlkg recalc` (load, direct evaluation, engine build and evaluation, write);
              formulas that are one xlkg call on data ranges are evaluated directly ("direct"),
              the rest by the `formulas` engine; "engine only" sends everything to the engine;
  per 1,000 formula cells beyond load+save, the figure the target (< 1 s) is about;
and, for comparison, the same number of single-cell xlkg formulas, each on its own small table (one call
per cell, the layout to avoid), and of plain Excel formulas (=A1*2) evaluated by the same path, which shows the cost of the
`formulas` engine itself per formula cell.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

REGIONS = 9
SECTORS = 10
BLOCK = (REGIONS + 1) * (SECTORS + 1)


def build(path: Path, n_cells: int, kind: str = "xlkg") -> int:
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.formula import ArrayFormula

    rnd = random.Random(1)
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Данные"
    res = wb.create_sheet("Итоги")
    if kind == "plain":
        for i in range(1, n_cells + 1):
            data.cell(i, 1, rnd.uniform(1, 100))
        for i in range(1, n_cells + 1):
            res.cell(i, 1, f"=Данные!A{i}*2")
        wb.save(path)
        return n_cells
    if kind == "single":
        # n single-cell xlkg formulas, each reading its own small table (3 regions x 3 sectors), so that
        # no two calls are alike (identical calls are evaluated once)
        for i in range(n_cells):
            top = 5 * i + 1
            data.cell(top, 1, "Регион")
            for j in range(3):
                data.cell(top, j + 2, f"s{j + 1}")
            for r in range(3):
                data.cell(top + r + 1, 1, f"r{r + 1}")
                for j in range(3):
                    data.cell(top + r + 1, j + 2, round(rnd.uniform(1, 1000), 1))
            res.cell(i + 1, 1, f'=PEER_INDEX(Данные!A{top}:D{top + 3},"hoover")')
        wb.save(path)
        return n_cells
    n_formulas = max(1, round(n_cells / BLOCK))
    for k in range(n_formulas):
        top = k * (REGIONS + 2) + 1
        data.cell(top, 1, "Регион")
        for j in range(SECTORS):
            data.cell(top, j + 2, f"s{j + 1}")
        for i in range(REGIONS):
            data.cell(top + i + 1, 1, f"r{i + 1}")
            for j in range(SECTORS):
                data.cell(top + i + 1, j + 2, round(rnd.uniform(1, 1000), 1))
        ref = f"A{top}:{get_column_letter(SECTORS + 1)}{top + REGIONS}"
        out = f"A{top}:{get_column_letter(SECTORS + 1)}{top + REGIONS}"
        res[f"A{top}"] = ArrayFormula(out, f"=LOCALIZATION(Данные!{ref})")
    wb.save(path)
    return n_formulas * BLOCK


def load_and_save(src: Path, dst: Path, n_cells: int) -> float:
    """The floor: read the workbook the way recalc does, write as many cached values as recalc does."""
    import formulas
    import openpyxl  # noqa: F401
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    from xlkg.xlsx import Cached, patch_workbook

    t = time.perf_counter()
    model = formulas.ExcelModel()
    book, _ = model.add_book(str(src.resolve()))
    writes = {}
    for ws in book.worksheets:
        arrays = dict(ws.array_formulae)
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    ref = arrays.get(c.coordinate, c.coordinate)
                    c1, r1, c2, r2 = range_boundaries(ref)
                    for r in range(r1, r2 + 1):
                        for col in range(c1, c2 + 1):
                            writes.setdefault(ws.title, {})[f"{get_column_letter(col)}{r}"] = Cached(1.0)
    patch_workbook(src, dst, writes)
    return time.perf_counter() - t


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    p.add_argument("--all", action="store_true", help="also the slow engine-only single-cell run at 10,000")
    a = p.parse_args(argv)
    from xlkg.recalc import recalc, register_formulas

    register_formulas()
    # warm the imports so the first size is not charged for them
    with tempfile.TemporaryDirectory() as d:
        w = Path(d) / "warm.xlsx"
        build(w, 100)
        recalc(w, Path(d) / "warm_out.xlsx")

    print(f"{'workbook':<34}{'cells':>8}{'load+save s':>13}{'recalc s':>10}{'beyond s':>10}{'s/1000 beyond':>15}")
    runs = [("xlkg", True, "LOCALIZATION arrays"), ("xlkg", False, "  same, engine only"),
            ("single", True, "single-cell PEER_INDEX"), ("single", False, "  same, engine only"),
            ("plain", True, "plain =A1*2 (engine cost)")]
    for n in a.sizes:
        for kind, direct, label in runs:
            if kind == "single" and not direct and n > 1000 and not a.all:
                continue  # about 8 s per 1,000 cells: run with --all to include it
            with tempfile.TemporaryDirectory() as d:
                src = Path(d) / f"bench_{kind}_{n}.xlsx"
                cells = build(src, n, kind)
                floor = min(load_and_save(src, Path(d) / "floor.xlsx", cells) for _ in range(2))
                t = time.perf_counter()
                rep = recalc(src, Path(d) / "out.xlsx", direct=direct)
                total = time.perf_counter() - t
                assert rep.formula_cells == cells and not rep.errors, rep.errors
                beyond = total - floor
                print(f"{label:<34}{cells:>8}{floor:>13.2f}{total:>10.2f}{beyond:>10.2f}{beyond / cells * 1000:>15.3f}")
                s = rep.seconds
                print(f"{'':<4}phases: load {s['load']:.2f}  direct {s['direct']:.2f}  engine build {s['build']:.2f}"
                      f"  engine calculate {s['calculate']:.2f}  write {s['write']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
