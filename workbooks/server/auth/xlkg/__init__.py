"""The "xlkg" authentication provider: access keys from XLKG_ACCESS_KEYS, re-exported, nothing defined here."""

from xlkg.excel.server import validate_token  # noqa: F401
