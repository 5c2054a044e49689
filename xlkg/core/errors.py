"""The one exception for bad input, in a module that imports nothing: the command line, the file
handling and every layer can name it without loading the computation (pandas, numpy)."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: the message names the argument, label or cell and what is wrong with it."""
