"""``python -m bench`` runs every benchmark; ``python -m bench NAME [options]`` runs one;
``python -m bench --smoke`` runs every benchmark at a tiny scale, to check that each still runs.

Every benchmark runs in its own interpreter when several are run, because each configures and
sets up Django with its own environment (its own database, for instance) before importing it.
"""

import importlib
import importlib.util
import subprocess
import sys
import time

# name: (module, one line saying what it measures)
# A benchmark is a module with ``main(argv: list[str]) -> int`` that accepts ``--smoke`` (tiny
# scale, its own throw-away database, nothing judged or written, exit status 1 on any error);
# add it here to include it.
BENCHMARKS: dict[str, tuple[str, str]] = {
    "ideas": (
        "bench.ideas",
        "idea list, idea page, search and similar ideas on 100k ideas (PostgreSQL)",
    ),
    "fanout": (
        "bench.fanout",
        "one post delivered to N websocket clients, Channels vs a bare websockets floor",
    ),
    "followers": (
        "bench.followers",
        "posting a comment on an idea with 10 vs 3,000 followers; the worker notifies them all",
    ),
    "projects": (
        "bench.projects",
        "board (500 cards), task move and its live frame, portfolio of 10k projects (PostgreSQL)",
    ),
    "knowledge": (
        "bench.knowledge",
        "article page with 500 revisions, its history, a diff of two 20 KB revisions",
    ),
    "commons": (
        "bench.commons",
        "indicator page over 1M observations, a 10k-cell table confidentialised, the import",
    ),
    "search": (
        "bench.search",
        "one search across ideas, problems and projects at 100k ideas (PostgreSQL)",
    ),
}


def available() -> dict[str, tuple[str, str]]:
    """The registered benchmarks whose module exists."""
    return {
        name: entry
        for name, entry in BENCHMARKS.items()
        if importlib.util.find_spec(entry[0]) is not None
    }


def usage() -> str:
    lines = ["usage: python -m bench [--smoke | NAME [options]]", "", "benchmarks:"]
    lines += [f"  {name:<10} {about}" for name, (_module, about) in available().items()]
    lines += [
        "",
        "With no NAME every benchmark runs, each with its defaults; with --smoke every",
        "benchmark runs at a tiny scale in a throw-away database (checks it runs; no figures).",
        "python -m bench NAME --help shows a benchmark's options.",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help", "--list"}:
        print(usage())
        return 0
    smoke = argv == ["--smoke"]
    if argv and not smoke:
        name, rest = argv[0], argv[1:]
        if name not in available():
            print(f"unknown benchmark {name!r}\n\n{usage()}", file=sys.stderr)
            return 2
        module = importlib.import_module(BENCHMARKS[name][0])
        return int(module.main(rest) or 0)
    failed = []
    started = time.monotonic()
    for name in available():
        print(f"=== bench {name}{' --smoke' if smoke else ''} ===", flush=True)
        code = subprocess.call([sys.executable, "-m", "bench", name, *argv])
        if code:
            failed.append(name)
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
    elif smoke:
        print(f"every benchmark ran (smoke, {time.monotonic() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
