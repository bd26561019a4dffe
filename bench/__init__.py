"""Benchmarks that print figures (``make bench`` / ``python -m bench``); not part of the tests.

Each benchmark is a module here with a ``main(argv) -> int``; ``bench/__main__.py`` lists them.
"""

from pathlib import Path

README = Path(__file__).with_name("README.md")


def write_results(start: str, end: str, block: str, section: str) -> None:
    """Put a benchmark's results ``block`` between its ``start`` and ``end`` markers in
    bench/README.md; if the markers are not there yet, append ``section`` (its hand-written
    text, holding the two markers) with the block between them."""
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _old, tail = rest.split(end, 1)
        text = f"{head}{start}\n{block}\n{end}{tail}"
    else:
        text = text.rstrip("\n") + "\n\n" + section.replace(end, f"{block}\n{end}")
    README.write_text(text)
