"""xlkg's Office.js scripts for this xlwings Server project: re-exported, nothing defined here."""

from xlkg.excel.scripts import fill_scorecard  # noqa: F401
