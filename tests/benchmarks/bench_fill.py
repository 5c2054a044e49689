"""Benchmark: fill the scorecard template headlessly, once and 100 times in a batch.

    python tests/benchmarks/bench_fill.py [--n 100]

Prints seconds per fill, split into reading the input, computing, planning and writing, against the
target of 0.5 s per fill, and the batch's seconds per fill. Baseline in the same process: copying the
template file (the least any fill must do).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from xlkg.scorecard.compute import compute_scorecard  # noqa: E402
from xlkg.scorecard.plan import build_plan  # noqa: E402
from xlkg.scorecard.reader import read_cluster, read_input_sheets  # noqa: E402
from xlkg.scorecard.writer import apply_plan, fill, fill_batch  # noqa: E402

TARGET = 0.5


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args(argv)
    wb = ROOT / "workbooks"
    example, template = wb / "xlkg_scorecard_example.xlsx", wb / "xlkg_scorecard.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        fill(example, template, tmp / "warm.xlsx")  # imports, caches

        t = time.perf_counter()
        shutil.copyfile(template, tmp / "copy.xlsx")
        t_copy = time.perf_counter() - t

        t0 = time.perf_counter()
        sheets = read_input_sheets(example)
        t1 = time.perf_counter()
        data, settings = read_cluster(sheets)
        sc = compute_scorecard(data, targets=settings["targets"], cap=settings["score_cap"])
        t2 = time.perf_counter()
        plan = build_plan(sc, illustrative=settings["illustrative"])
        t3 = time.perf_counter()
        apply_plan(plan, template, tmp / "one.xlsx")
        t4 = time.perf_counter()
        single = t4 - t0
        print(f"one fill: {single:.3f} s  (read input {t1 - t0:.3f}, compute {t2 - t1:.3f}, plan {t3 - t2:.3f}, "
              f"write + checks {t4 - t3:.3f}); target {TARGET} s -> {'OK' if single < TARGET else 'SLOW'}")
        print(f"baseline: copying the template {t_copy * 1000:.2f} ms; one fill = {single / max(t_copy, 1e-9):.0f} x a copy")

        folder = tmp / "batch"
        folder.mkdir()
        for i in range(args.n):
            shutil.copyfile(example, folder / f"cluster_{i:03d}.xlsx")
        res = fill_batch(folder, template, tmp / "out", progress=True)
        per = res.seconds / max(len(res.done), 1)
        print(f"batch: {len(res.done)} fills, {len(res.failed)} failed, {res.seconds:.2f} s, {per:.3f} s per fill; "
              f"target {TARGET} s -> {'OK' if per < TARGET else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
