"""Who may do what with problems, ideas and comments. Pure functions, no queries beyond FKs."""

from typing import Any

from ideas.models import Idea, Problem


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_steward(user: Any) -> bool:
    profile = getattr(user, "profile", None) if _active(user) else None
    return bool(profile is not None and profile.is_steward)


def can_post(user: Any) -> bool:
    return _active(user)


def is_problem_owner(user: Any, problem: Problem | None, owner_ids: set[int] | None = None) -> bool:
    if problem is None or not _active(user):
        return False
    if problem.author_id == user.pk:
        return True
    ids = owner_ids if owner_ids is not None else {u.pk for u in problem.owners.all()}
    return user.pk in ids


def can_edit_problem(user: Any, problem: Problem) -> bool:
    return is_problem_owner(user, problem)


def is_author(user: Any, idea: Idea) -> bool:
    """The idea's author or one of its co-authors."""
    if not _active(user):
        return False
    return idea.author_id == user.pk or any(u.pk == user.pk for u in idea.coauthors.all())


def can_edit_idea(user: Any, idea: Idea) -> bool:
    if not _active(user) or idea.stage == Idea.Stage.MERGED:
        return False
    return is_author(user, idea)


# Conflicts of interest: nobody decides on, merges or supports an idea they wrote.
OWN_IDEA_DECISION = (
    "You wrote this idea, so you cannot decide on it: stewards and the owners of the problem it "
    "answers who did not write it decide."
)
OWN_IDEA_MERGE = "You wrote one of these ideas, so another steward merges them."
OWN_IDEA_SUPPORT = "You wrote this idea, so you cannot support it: support counts other people."


def may_decide_but_for_authorship(user: Any, idea: Idea) -> bool:
    """A steward or problem owner who would decide on this idea if they had not written it."""
    if not _active(user) or idea.stage == Idea.Stage.MERGED:
        return False
    return is_steward(user) or is_problem_owner(user, idea.problem)


def can_decide(user: Any, idea: Idea) -> bool:
    """Owners of the problem the idea answers, and stewards, who did not write it."""
    return may_decide_but_for_authorship(user, idea) and not is_author(user, idea)


def can_merge(user: Any, source: Idea, target: Idea | None = None) -> bool:
    """Stewards merge a duplicate (``source``) into ``target``; neither may be their own."""
    if not is_steward(user) or source.stage == Idea.Stage.MERGED or is_author(user, source):
        return False
    return target is None or not is_author(user, target)


def can_support(user: Any, idea: Idea) -> bool:
    """Anyone signed in supports an idea they did not write (not a merged one)."""
    return _active(user) and idea.stage != Idea.Stage.MERGED and not is_author(user, idea)


def can_moderate(user: Any) -> bool:
    return is_steward(user)


def can_create_tags(user: Any) -> bool:
    """Tags come from a shared vocabulary; stewards may add to it."""
    return is_steward(user)
