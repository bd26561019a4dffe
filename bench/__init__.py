"""Benchmarks that print figures (``make bench`` / ``python -m bench``); not part of the tests.

Each benchmark is a module here with a ``main(argv) -> int``; ``bench/__main__.py`` lists them.
"""
