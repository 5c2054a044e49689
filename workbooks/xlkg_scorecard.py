"""Entry point of the "Fill" button in xlkg_scorecard.xlsm.

The workbook's VBA macro SampleCall (shipped with xlwings) runs
    RunPython "import xlkg_scorecard; xlkg_scorecard.main()"
i.e. it imports the module named like the workbook. Keep this file next to the workbook (xlwings puts
the workbook's folder on the Python path) and keep the workbook's name, or set PYTHONPATH in the
xlwings.conf sheet.
"""

from xlkg.excel.macros import main  # noqa: F401
