"""Shared test helpers: builders of workbooks and the LibreOffice checker (tests/support/office.py).
No test module imports another; what two of them share lives here."""
