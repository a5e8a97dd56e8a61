"""``python -m core``: parses arguments and calls the packages; no rules of its own."""
