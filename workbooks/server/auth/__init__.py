"""Authentication providers of this xlwings Server project (XLWINGS_AUTH_PROVIDERS)."""
