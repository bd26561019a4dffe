"""A person's or an organisation's contributions of one kind, all of them, keyset-paged (the
profile and organisation pages show the newest few: ``ideas/sections.py``)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ideas import contributions
from ideas.sections import HEADINGS
from people import selectors as people_selectors


def _kind(kind: str) -> str:
    if kind not in contributions.KINDS:
        raise Http404
    return kind


def person_contributions(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    profile = people_selectors.profile_for(pk)
    page = contributions.contributions_page(
        kind=_kind(kind), profile=profile, cursor=request.GET.get("cursor")
    )
    heading = _("%(what)s by %(name)s") % {"what": _(HEADINGS[kind]), "name": profile.display_name}
    if kind == "decisions":
        heading = _("Decisions made by %(name)s") % {"name": profile.display_name}
    return _listing(request, kind, page, heading, profile.get_absolute_url(), profile.display_name)


def organisation_contributions(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = people_selectors.organisation_by_slug(slug)
    page = contributions.contributions_page(
        kind=_kind(kind), organisation=organisation, cursor=request.GET.get("cursor")
    )
    heading = _("%(what)s from people at %(name)s") % {
        "what": _(HEADINGS[kind]),
        "name": organisation.name,
    }
    if kind == "decisions":
        heading = _("Decisions made by people at %(name)s") % {"name": organisation.name}
    return _listing(
        request, kind, page, heading, organisation.get_absolute_url(), organisation.name
    )


def _listing(
    request: HttpRequest, kind: str, page: Any, heading: str, back_url: str, back_name: str
) -> HttpResponse:
    """One kind of contribution, keyset-paged, with the way back to whose they are."""
    context = {"kind": kind, "page": page, "heading": heading}
    return render(
        request,
        "ideas/contributions.html",
        {**context, "back_url": back_url, "back_name": back_name},
    )
