"""A three-way merge of a local version's text with a change to its base.

The ancestor is the base revision the local version follows, "local" the local text now, and
"upstream" the base's newest revision. Lines are merged with ``merge3`` (Breezy's three-way
merge, the one bzr used; see docs/decisions.md): where only one side changed a run of lines,
that side's lines are kept; where both changed the same run differently, the part is a
conflict that keeps both texts. Markdown paragraphs are lines separated by blank lines, so
the blank lines are the points where the three texts line up and a change to one paragraph
does not clash with a change to the next.

Nothing here is lost: a conflict's text, written out for editing, carries both sides between
marker lines (:data:`LOCAL_MARK` … :data:`SPLIT_MARK` … :data:`END_MARK`), and a save that
still contains them is refused (:func:`marked_conflicts`), so neither text disappears unless a
person took it out.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from merge3 import Merge3

AGREED, LOCAL, UPSTREAM, CONFLICT = "agreed", "local", "upstream", "conflict"
FILLS = ("marked", "local", "upstream", "both")  # how a conflict is written out for editing

LOCAL_MARK = "<<<<<<< local text"
SPLIT_MARK = "======= the base's new text"
END_MARK = ">>>>>>> end of the conflict"
MARKERS = re.compile(
    rf"^(?:{re.escape(LOCAL_MARK)}|{re.escape(SPLIT_MARK)}|{re.escape(END_MARK)})[ \t]*$",
    re.M,
)


class _Lines(SequenceMatcher[str]):
    """difflib's matcher without the "popular element" heuristic: in a text of more than 200
    lines the blank lines between paragraphs are "popular", and junking them would take away
    the very points where the three texts line up."""

    def __init__(
        self,
        isjunk: Callable[[str], bool] | None = None,
        a: Sequence[str] = "",
        b: Sequence[str] = "",
        autojunk: bool = False,
    ) -> None:
        super().__init__(isjunk, a, b, autojunk=False)


@dataclass(frozen=True)
class Part:
    """A run of the merged text. ``kind`` says where it came from: ``agreed`` (as in all three,
    or changed alike on both sides), ``local`` (a local change, kept), ``upstream`` (a base
    change, applied) or ``conflict`` (both changed it: ``local`` and ``upstream`` hold the two
    texts, ``ancestor`` what it was)."""

    kind: str
    lines: tuple[str, ...] = ()
    ancestor: tuple[str, ...] = ()
    local: tuple[str, ...] = ()
    upstream: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def ancestor_text(self) -> str:
        return "\n".join(self.ancestor)

    @property
    def local_text(self) -> str:
        return "\n".join(self.local)

    @property
    def upstream_text(self) -> str:
        return "\n".join(self.upstream)


@dataclass(frozen=True)
class Merged:
    parts: tuple[Part, ...]

    @property
    def conflicts(self) -> list[Part]:
        return [p for p in self.parts if p.kind == CONFLICT]

    @property
    def applied(self) -> int:
        """How many runs of base changes were applied without a conflict."""
        return sum(1 for p in self.parts if p.kind == UPSTREAM)

    def text(self, fill: str = "marked") -> str:
        """The merged text, each conflict written as ``fill`` says: ``marked`` (both texts
        between marker lines, to be edited), ``local``, ``upstream``, or ``both`` (the local
        text, then the base's, without markers)."""
        if fill not in FILLS:
            raise ValueError(f"fill must be one of {FILLS}")
        lines: list[str] = []
        for part in self.parts:
            if part.kind != CONFLICT:
                lines += part.lines
            elif fill == "local":
                lines += part.local
            elif fill == "upstream":
                lines += part.upstream
            elif fill == "both":
                lines += [*part.local, *([""] if part.local and part.upstream else []),
                          *part.upstream]  # fmt: skip
            else:
                lines += [LOCAL_MARK, *part.local, SPLIT_MARK, *part.upstream, END_MARK]
        return "\n".join(lines)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").split("\n") if text else []


def _adjacent(ancestor: list[str], local: list[str], upstream: list[str]) -> list[Part] | None:
    """Two changes that only touch: one side kept the ancestor's lines whole and added lines
    before or after them, the other changed those lines (a base that adds a section after
    the paragraph a region rewrote). Both are kept, in their order; ``None`` otherwise."""
    n = len(ancestor)
    if not n:  # both inserted at one place: which goes first is a person's choice
        return None
    for side, other, kind, other_kind in ((upstream, local, UPSTREAM, LOCAL),
                                          (local, upstream, LOCAL, UPSTREAM)):  # fmt: skip
        if len(side) > n and side[:n] == ancestor:
            return [Part(other_kind, tuple(other)), Part(kind, tuple(side[n:]))]
        if len(side) > n and side[len(side) - n :] == ancestor:
            return [Part(kind, tuple(side[: len(side) - n])), Part(other_kind, tuple(other))]
    return None


def _conflict(ancestor: list[str], local: list[str], upstream: list[str]) -> list[Part]:
    """A conflict, with the lines both sides share at its start and end agreed around it."""
    adjacent = _adjacent(ancestor, local, upstream)
    if adjacent is not None:
        return [p for p in adjacent if p.lines]
    head = 0
    while head < min(len(local), len(upstream)) and local[head] == upstream[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(local), len(upstream)) - head
        and local[len(local) - 1 - tail] == upstream[len(upstream) - 1 - tail]
    ):
        tail += 1
    parts = [Part(AGREED, tuple(local[:head]))] if head else []
    parts.append(
        Part(
            CONFLICT,
            ancestor=tuple(ancestor),
            local=tuple(local[head : len(local) - tail]),
            upstream=tuple(upstream[head : len(upstream) - tail]),
        )
    )
    if tail:
        parts.append(Part(AGREED, tuple(local[len(local) - tail :])))
    return parts


def merge(*, ancestor: str, local: str, upstream: str) -> Merged:
    """Apply the changes ``ancestor`` → ``upstream`` to ``local`` where they do not touch what
    the local version changed; where they do, a conflict with both texts."""
    base, mine, theirs = _lines(ancestor), _lines(local), _lines(upstream)
    parts: list[Part] = []
    # difflib's get_matching_blocks returns list[Match], which the protocol spells as
    # list[tuple[int, int, int]]: the same values, a type mypy cannot see as one.
    matcher: Any = _Lines
    groups = Merge3(base, mine, theirs, sequence_matcher=matcher).merge_groups()
    for group in groups:
        if group[0] == "conflict":
            for part in _conflict(list(group[1]), list(group[2]), list(group[3])):
                parts = _append(parts, part)
            continue
        kind = {"unchanged": AGREED, "same": AGREED, "a": LOCAL, "b": UPSTREAM}[group[0]]
        parts = _append(parts, Part(kind, tuple(group[1])))
    return Merged(tuple(p for p in parts if p.kind == CONFLICT or p.lines))


def _append(parts: list[Part], part: Part) -> list[Part]:
    """One run of each kind, not a line at a time."""
    if parts and part.kind != CONFLICT and parts[-1].kind == part.kind:
        return [*parts[:-1], Part(part.kind, parts[-1].lines + part.lines)]
    return [*parts, part]


def merge_value(*, ancestor: str, local: str, upstream: str) -> tuple[str, bool]:
    """A title or summary, merged whole: the side that changed it wins; if both changed it
    differently the local one is kept and the second value says so (the page shows the base's
    beside it)."""
    if local == ancestor:
        return upstream, False
    if upstream in (ancestor, local):
        return local, False
    return local, True


def marked_conflicts(text: str) -> int:
    """How many conflict marker lines ``text`` still has (0: every conflict was resolved)."""
    return len(MARKERS.findall(text))
