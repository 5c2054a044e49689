"""Benchmark: `xlkg fill` of one workbook as a user runs it (a whole process, start-up included),
against its anchor, Python + openpyxl loading and saving the same template (issue 12: goal <= 1.2x).

    python tests/benchmarks/bench_fill_process.py [--n 11]

The two commands are run alternately (A, B, A, B, ...) so that both see the same machine load; the
medians and the ratio of the medians are printed, then the modules `xlkg fill` imports, heaviest
first, from `python -X importtime` (what stands between the fill and its anchor).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WB = ROOT / "workbooks"
TEMPLATE = WB / "xlkg_scorecard.xlsx"
EXAMPLE = WB / "xlkg_scorecard_example.xlsx"
GOAL = 1.2

ANCHOR = "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])"


def _timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def importtime(tmp: Path) -> list[tuple[float, str]]:
    """(cumulative ms, module) of the top-level imports of one `xlkg fill` process."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "xlkg.cli", "fill", str(EXAMPLE), "--template",
                          str(TEMPLATE), "-o", str(tmp / "imports.xlsx")], capture_output=True, text=True, check=True)
    rows = []
    for line in res.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) <= 1:
            rows.append((int(m.group(1)) / 1000, m.group(3)))
    return sorted(rows, reverse=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=11)
    args = ap.parse_args(argv)
    anchor, fill = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for i in range(args.n):
            anchor.append(_timed([sys.executable, "-c", ANCHOR, str(TEMPLATE), str(tmp / f"a{i}.xlsx")]))
            fill.append(_timed([sys.executable, "-m", "xlkg.cli", "fill", str(EXAMPLE), "--template", str(TEMPLATE),
                                "-o", str(tmp / f"f{i}.xlsx")]))
        imports = importtime(tmp)
    a, f = statistics.median(anchor), statistics.median(fill)
    print(f"anchor  Python + openpyxl load/save of the template: median {a:.3f} s over {args.n} runs")
    print(f"xlkg fill of one workbook (whole process):         median {f:.3f} s over {args.n} runs")
    print(f"ratio {f / a:.2f}x (goal <= {GOAL}x) -> {'MET' if f / a <= GOAL else 'NOT MET'}")
    print("heaviest imports of `xlkg fill` (cumulative ms, python -X importtime):")
    for ms, mod in imports[:8]:
        print(f"  {ms:8.1f}  {mod}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
