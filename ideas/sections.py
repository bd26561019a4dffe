"""What ideas shows on other apps' pages (``core/sections.py``), registered in
``IdeasConfig.ready()``: the platform's numbers and newest public items on the signed-out
welcome page, and what a person or an organisation contributed on their pages. ``people`` and
``realtime`` never import ``ideas``: they render whatever is registered for their slots."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core import sections
from ideas import contributions

HEADINGS = {
    "ideas": "Ideas",
    "problems": "Problems",
    "comments": "Comments",
    "decisions": "Decisions made",
}


def register() -> None:
    sections.register("welcome", "ideas", welcome)
    sections.register("profile", "ideas", profile_contributions)
    sections.register("organisation", "ideas", organisation_contributions)


def welcome(request: HttpRequest) -> str:
    return render_to_string(
        "ideas/_welcome_showcase.html",
        {"s": contributions.welcome_showcase()},
        request=request,
    )


def _groups(found: contributions.Contributions, more: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "heading": _(HEADINGS[kind]),
            "items": found.latest[kind],
            "count": found.counts[kind],
            "more": more[kind],
        }
        for kind in contributions.KINDS
    ]


def profile_contributions(request: HttpRequest, *, profile: Any) -> str:
    found = contributions.person_contributions(profile=profile)
    more = {
        kind: reverse("person_contributions", kwargs={"pk": profile.user_id, "kind": kind})
        for kind in contributions.KINDS
    }
    return render_to_string(
        "ideas/_contributions.html",
        {
            "c": found,
            "groups": _groups(found, more),
            "empty": _("%(name)s has not posted, commented or supported anything yet.")
            % {"name": profile.display_name},
        },
        request=request,
    )


def organisation_contributions(request: HttpRequest, *, organisation: Any) -> str:
    found = contributions.organisation_contributions(organisation=organisation)
    more = {
        kind: reverse(
            "organisation_contributions", kwargs={"slug": organisation.slug, "kind": kind}
        )
        for kind in contributions.KINDS
    }
    return render_to_string(
        "ideas/_contributions.html",
        {
            "c": found,
            "groups": _groups(found, more),
            "intro": _("What people from %(name)s have posted, said, supported and decided.")
            % {"name": organisation.name},
            "empty": _("No one from %(name)s has posted anything yet.")
            % {"name": organisation.name},
        },
        request=request,
    )
