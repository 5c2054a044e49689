"""xlkg's worksheet functions for this xlwings Server project: re-exported, nothing defined here."""

from xlkg.excel.officejs import *  # noqa: F401,F403
