"""Who may do what with problems, ideas and comments. Pure functions, no queries beyond FKs."""

from typing import Any

from ideas.models import Comment, Idea, Problem


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


def can_edit_idea(user: Any, idea: Idea) -> bool:
    if not _active(user) or idea.stage == Idea.Stage.MERGED:
        return False
    return idea.author_id == user.pk or any(u.pk == user.pk for u in idea.coauthors.all())


def can_decide(user: Any, idea: Idea) -> bool:
    """Owners of the problem the idea answers, and stewards."""
    if not _active(user) or idea.stage == Idea.Stage.MERGED:
        return False
    return is_steward(user) or is_problem_owner(user, idea.problem)


def can_merge(user: Any, source: Idea) -> bool:
    return is_steward(user) and source.stage != Idea.Stage.MERGED


def can_moderate(user: Any) -> bool:
    return is_steward(user)


def can_edit_comment(user: Any, comment: Comment) -> bool:
    return _active(user) and comment.author_id == user.pk and comment.deleted is None


def can_create_tags(user: Any) -> bool:
    """Tags come from a shared vocabulary; stewards may add to it."""
    return is_steward(user)
