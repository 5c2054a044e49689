"""xlkg: regional cluster analysis for economists who work in Excel.

The computation (measures, dynamics, rating, scorecard) is plain numpy/pandas and imports no Excel
library; `xlkg.cells` is the one place that knows what Excel sends; `xlkg.excel` holds the thin faces
towards each host.
"""

__version__ = "0.1.0"
