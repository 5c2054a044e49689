"""The faces of xlkg towards Excel: worksheet functions (one registry for every host), the classic
one-click macro, the Office.js script, and the generated files that describe them. Thin: they parse
cells through `xlkg.core.cells`, compute through the core modules and format the result."""
