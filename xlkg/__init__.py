"""xlkg: regional cluster analysis for economists who work in Excel.

    xlkg.core        the computation (cells and regions reading, measures, peers, dynamics, rating);
                     plain numpy/pandas, no Excel library
    xlkg.scorecard   the balanced scorecard of a cluster, end to end
    xlkg.xlsx        workbook files without domain knowledge (the lossless cell patcher, reading, checks)
    xlkg.excel       the thin faces towards each Excel host (worksheet functions, macros, Office.js)
    xlkg.recalc      headless recalculation; xlkg.render prints through LibreOffice; xlkg.demo the main job
    xlkg.cli         the `xlkg` command
"""

# The one version source (pyproject.toml reads it). It also keys the cache of workbooks built as code:
# bump it whenever a template or sample-workbook builder changes (docs/developing.md, "Versions").
__version__ = "0.2.1"
