"""`xlkg`: the same work without Excel.

    xlkg demo    [-o DIR]                              the main job on the bundled data
    xlkg recalc  IN.xlsx -o OUT.xlsx                   evaluate every formula, xlkg's included
    xlkg fill    INPUT.xlsx --template T.xlsx -o OUT   fill the cluster scorecard (or a folder: batch)
    xlkg render  WORKBOOK.xlsx -o DIR [--pages 1,3-4]    PDF and PNG pages through LibreOffice
    xlkg rating  TABLE.csv [--directions ...]          integral regional rating (and its sensitivity)
    xlkg manifest [--check]                            regenerate (or check) udf_manifest.txt, VBA, metadata

Every command prints what it wrote; bad input ends with a message naming the file, sheet or cell,
exit status 2, and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .result import InputError


def _demo(args) -> int:
    from .demo import run_demo

    for path in run_demo(Path(args.output)):
        print(f"wrote {path}")
    return 0


def _recalc(args) -> int:
    from .recalc import recalc_cli

    return recalc_cli(args)


def _fill(args) -> int:
    from .fill import fill_cli

    return fill_cli(args)


def _render(args) -> int:
    from .office import main_render

    return main_render(args.rest)


def _manifest(args) -> int:
    from .excel.generate import manifest_cli

    return manifest_cli(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xlkg", description="Regional cluster analysis for Excel workbooks.")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="compute the measures on bundled data and write the result workbooks")
    d.add_argument("-o", "--output", default="xlkg-demo", help="folder for the results (default: xlkg-demo)")
    d.set_defaults(run=_demo)

    r = sub.add_parser("recalc", help="evaluate every formula of a workbook and write a copy with the values")
    r.add_argument("input", help="the workbook (.xlsx or .xlsm)")
    r.add_argument("-o", "--output", required=True, help="where to write the recalculated copy")
    r.add_argument("--overwrite", action="store_true", help="allow OUTPUT to be the input file itself")
    r.set_defaults(run=_recalc)

    f = sub.add_parser("fill", help="fill the cluster scorecard template from an input workbook or a folder")
    f.add_argument("input", help="an input workbook, or a folder of them (one scorecard each)")
    f.add_argument("--template", help="the scorecard template (default: the bundled one)")
    f.add_argument("-o", "--output", required=True, help="the filled workbook, or a folder for a batch")
    f.add_argument("--overwrite", action="store_true", help="allow replacing existing files")
    f.set_defaults(run=_fill)

    from . import rating

    g = sub.add_parser("rating", help="integral regional rating from a CSV table of indicators")
    rating.configure_parser(g)
    g.set_defaults(run=rating.rating_cli)

    v = sub.add_parser("render", add_help=False,
                       help="print a workbook to PDF and PNG pages through LibreOffice (what an economist sees)")
    v.add_argument("rest", nargs=argparse.REMAINDER)
    v.set_defaults(run=_render)

    m = sub.add_parser("manifest", help="regenerate udf_manifest.txt, the VBA module and Office.js metadata")
    m.add_argument("--check", action="store_true", help="only check that the generated files are current")
    m.add_argument("--root", default=".", help="the repository folder (default: current folder)")
    m.set_defaults(run=_manifest)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["render"]:  # its own parser, with its own --help
        from .office import main_render

        try:
            return main_render(argv[1:])
        except InputError as e:
            print(f"xlkg render: {e}", file=sys.stderr)
            return 2
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (InputError, FileNotFoundError, PermissionError) as e:
        print(f"xlkg {args.command}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
