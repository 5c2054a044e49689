"""xlkg's worksheet functions decorated for Office.js (xlwings Server, xlwings Lite).

An xlwings Server project re-exports them from its `custom_functions` module:

    from xlkg.excel.officejs import *  # noqa: F401,F403

Each name is a copy of the function in `xlkg.excel.udfs`, decorated with `xlwings.server.func/arg`
from the registry (so it does not matter whether `xlwings` was imported with XLWINGS_ON_SERVER set).
Importing this module needs the xlwings licence key in the environment (XLWINGS_LICENSE_KEY; the
value "noncommercial" for use under the PolyForm Noncommercial licence, which names government
institutions as noncommercial organisations).
"""

from __future__ import annotations

import xlwings.server as _server

from xlkg.excel.registry import decorated_module as _decorated_module
from xlkg.excel.registry import functions as _functions

_module = _decorated_module(_server.func, _server.arg)
__all__ = [spec.name for spec in _functions()]
globals().update({name: getattr(_module, name) for name in __all__})
