"""Which stage a decision may move an idea to. Pure functions; the service enforces them and
the decision form offers exactly these.

The usual path is New → Under discussion → Shortlisted → In a project → Implemented; a
decision may also skip ahead, step back, stop an idea (Not progressed) or take it up again.
Two moves are never decisions: staying where it is, and going back to New (New means "waiting
for a first decision"; an idea that had one is never waiting again). Merging has its own action.
"""

from ideas.models import Idea

Stage = Idea.Stage

USUAL_PATH = (Stage.NEW, Stage.DISCUSSION, Stage.SHORTLISTED, Stage.PROJECT, Stage.IMPLEMENTED)


def decision_stages(current: str) -> list[str]:
    """The stages a decision may move an idea in ``current`` to, in the usual order."""
    if current == Stage.MERGED:
        return []
    return [s for s in Stage.values if s not in (current, Stage.NEW, Stage.MERGED)]


def next_stage(current: str) -> str | None:
    """The next stage on the usual path, or None at its end (or off it)."""
    path = [str(s) for s in USUAL_PATH]
    if current in path[:-1]:
        return path[path.index(current) + 1]
    return None


def can_move(current: str, to: str) -> bool:
    return to in decision_stages(current)
