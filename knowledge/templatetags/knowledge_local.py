"""The article page's base-and-local panel, included with one line so the article page stays
one template: for a local version, whose it is, its base, where it differs and whether the
base changed since; for a base, its local versions and the "Make a local version" action.
One query for any article (two for a local version: its decisions about base changes)."""

from typing import Any

from django import template

from knowledge import permissions, selectors
from knowledge.models import Article

register = template.Library()


@register.inclusion_tag("knowledge/_local.html", takes_context=True)
def local_panel(context: dict[str, Any], article: Article) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    state = selectors.local_state(article=article)
    can_write = permissions.can_write(user) and not article.is_hidden
    organisation_id = user.profile.organisation_id if can_write and user is not None else None
    own = next((v for v in state.local_versions if v.organisation_id == organisation_id), None)
    return {
        "article": article,
        "state": state,
        "can_write": can_write,
        "own_local": own,
        # A local version is made from the base itself, never from another local version,
        # and not by the organisation whose article it is.
        "may_localise": can_write
        and state.version is None
        and own is None
        and article.organisation_id != organisation_id,
    }
