import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit, sections
from people import permissions, selectors, services
from people.forms import DirectorySearchForm, OrganisationForm, ProfileForm

DIRECTORY_PAGE_SIZE = 24


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.people_directory(
        query=filters.get("q", ""),
        organisation=filters.get("organisation", ""),
        level=filters.get("level", ""),
    )
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/directory.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


@require_GET
def people_suggest(request: HttpRequest) -> JsonResponse:
    """People to pick by name (co-authors, owners). ``q`` is the whole field ("Hannah
    McKenzie (#12), Ta"): the suggestions are for what follows the last comma, without the
    one typing or the people already chosen. Each suggestion's ``value`` is what goes in the
    field, "Name (#id)", which the form reads back as that person."""
    *before, typing = request.GET.get("q", "")[:1000].split(",")
    chosen = {request.user.pk} | {int(m) for m in re.findall(r"\(#(\d{1,18})\)", ",".join(before))}
    people = selectors.people_suggestions(query=typing[:100], limit=8 + len(chosen))
    suggestions = [
        {
            "value": f"{p.display_name} (#{p.user_id})",
            "label": p.display_name,
            "detail": ", ".join(filter(None, [p.role_title, getattr(p.organisation, "name", "")])),
        }
        for p in people
        if p.user_id not in chosen
    ]
    return JsonResponse({"suggestions": suggestions[:8]})


@require_GET
def mention_suggestions(request: HttpRequest) -> JsonResponse:
    """People to offer as someone types ``@Han`` in a text box: ``?q=Han``. JSON, for the
    small script that shows the list (static/js/mentions.js); names are data there, never
    HTML. ``handle`` is what goes in the text: ``@HannahMcKenzie``."""
    people = selectors.people_to_mention(prefix=request.GET.get("q", "")[:60])
    return JsonResponse(
        {
            "people": [
                {
                    "name": p.display_name,
                    "handle": p.mention_handle,
                    "organisation": p.organisation.label if p.organisation else "",
                    "role": p.role_title,
                }
                for p in people
            ]
        }
    )


@require_GET
def mention(request: HttpRequest) -> HttpResponse:
    """Where a ``@mention`` in rendered text links: ``?handle=HannahMcKenzie``. The person it
    names (found as notifications find them) → their profile; several or nobody → a page that
    says so."""
    handle = request.GET.get("handle", "")[:80]
    users = selectors.mentioned_users(f"@{handle}") if handle else []
    if len(users) == 1:
        return redirect("profile_detail", pk=users[0].pk)
    return render(
        request,
        "people/mention.html",
        {"handle": handle, "people": [u.profile for u in users]},
        status=200 if users else 404,
    )


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_for(pk)
    return render(
        request,
        "people/profile_detail.html",
        {
            "profile": profile,
            "can_edit": permissions.can_edit_profile(request.user, profile),
            # What they posted, said, supported and decided (registered by ideas).
            "sections": sections.render("profile", request, profile=profile),
        },
    )


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if profile is None:
        return HttpResponseForbidden("This account has no profile to edit.")
    initial = {f: getattr(profile, f) for f in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ratelimit.RateLimited as exc:
            form.add_error(None, str(exc))
            page = render(request, "people/profile_edit.html", {"form": form, "profile": profile})
            return ratelimit.too_many(page, exc)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect(profile)
    return render(request, "people/profile_edit.html", {"form": form, "profile": profile})


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/organisation_list.html",
        {"organisations": selectors.organisations_with_counts()},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_by_slug(slug)
    members = selectors.organisation_members(organisation)
    by_level: dict[str, int] = {}
    for member in members:
        by_level[member.get_level_display()] = by_level.get(member.get_level_display(), 0) + 1
    return render(
        request,
        "people/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "by_level": by_level,
            "sections": sections.render("organisation", request, organisation=organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_add(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ratelimit.RateLimited as exc:
            form.add_error(None, str(exc))
            page = render(request, "people/organisation_form.html", {"form": form})
            return ratelimit.too_many(page, exc)
        else:
            messages.success(request, f"{organisation.name} was added.")
            return redirect(organisation)
    return render(request, "people/organisation_form.html", {"form": form})
