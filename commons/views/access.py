"""Governance pages: a dataset's rules of use and governing group (public to everyone signed
in), restricted access requests and their decisions, the restricted values themselves, and the
public data-use register with its feeds.

Thin views: ``commons.access`` decides who may do what and records it in the audit chain,
``commons.restricted`` is the only reader of stored values here, ``commons.register`` the
register's reads. A refusal says why (403 for who may not, 400 for what was wrong with the
input) and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from commons import access as rules
from commons import permissions, register, restricted
from commons.forms.access import (
    AccessRequestForm,
    DecisionForm,
    GoverningForm,
    RulesAnswerForm,
    RulesProposalForm,
)
from commons.models import AccessRequest, Dataset, Indicator, RulesProposal, Version
from core.params import positive_int
from people.models import Organisation


def _dataset(slug: str) -> Dataset:
    return get_object_or_404(Dataset.objects.select_related("steward"), slug=slug)


def _to_form(form: Any, exc: ValidationError) -> None:
    """A service's refusal shown on the form: beside its field when it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- rules of use and the governing group ------------------------------------------------


def rules_page(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    return _rules(request, dataset)


def _rules(
    request: HttpRequest,
    dataset: Dataset,
    form: RulesProposalForm | None = None,
    answer_form: RulesAnswerForm | None = None,
    governing_form: GoverningForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = rules.rules_history(dataset)
    speaks_for = rules.speaks_for(request.user, dataset)
    every_proposal = rules.proposals(dataset)
    proposal = next((p for p in every_proposal if p.status == RulesProposal.Status.OPEN), None)
    waiting = rules.awaited(proposal) if proposal else []
    may_answer = proposal is not None and speaks_for in waiting
    if speaks_for and proposal is None and form is None:
        current = history[0]
        form = RulesProposalForm(
            initial={
                f: getattr(current, f) for f in ("who_may_ask", "purposes", "never", "max_days")
            }
        )
    steward = permissions.is_steward(request.user, dataset)
    context = {
        "dataset": dataset,
        "current": history[0],
        "history": history,
        "members": rules.governing_members(dataset),
        "governing": rules.governing_organisations(dataset),
        "speaks_for": speaks_for,
        "proposal": proposal,
        "waiting": waiting,
        "closed": [p for p in every_proposal if p.status == RulesProposal.Status.DECLINED],
        "form": form if speaks_for and proposal is None else None,
        "answer_form": (answer_form or RulesAnswerForm()) if may_answer else None,
        "governing_form": (governing_form or GoverningForm()) if steward else None,
    }
    return render(request, "commons/rules.html", context, status=status)


def rules_propose(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    if request.method != "POST":
        return redirect("commons_rules", slug=slug)
    if rules.speaks_for(request.user, dataset) is None:
        raise PermissionDenied(rules.NOT_ON_THE_GROUP)
    form = RulesProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = rules.rules_propose(actor=request.user, dataset=dataset, **form.cleaned_data)
        except ValidationError as exc:
            _to_form(form, exc)
        else:
            if proposal.status == RulesProposal.Status.ADOPTED:
                messages.success(
                    request, f"Rules of use version {proposal.adopted.number} are in force."
                )
            else:
                messages.success(
                    request,
                    "The proposal is before the governing group: each organisation "
                    "on it answers, and the rules change when all have agreed.",
                )
            return redirect("commons_rules", slug=slug)
    return _rules(request, dataset, form=form, status=400)


def rules_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dataset = _dataset(slug)
    proposal = get_object_or_404(RulesProposal, pk=pk, dataset=dataset)
    if request.method != "POST":
        return redirect("commons_rules", slug=slug)
    if rules.speaks_for(request.user, dataset) is None:
        raise PermissionDenied(rules.NOT_ON_THE_GROUP)
    form = RulesAnswerForm(request.POST)
    if form.is_valid():
        try:
            proposal = rules.rules_answer(
                actor=request.user,
                proposal=proposal,
                agree=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _to_form(form, exc)
        else:
            outcome = {
                RulesProposal.Status.ADOPTED: "Every organisation agreed: the new rules are in "
                "force.",
                RulesProposal.Status.DECLINED: "The proposal is declined, with your reason.",
            }.get(proposal.status, "Your organisation's answer is recorded.")
            messages.success(request, outcome)
            return redirect("commons_rules", slug=slug)
    return _rules(request, dataset, answer_form=form, status=400)


def governing_add(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    if request.method != "POST":
        return redirect("commons_rules", slug=slug)
    if not permissions.is_steward(request.user, dataset):
        raise PermissionDenied(rules.STEWARDS_ONLY)
    form = GoverningForm(request.POST)
    if form.is_valid():
        try:
            member = rules.governing_member_add(
                actor=request.user, dataset=dataset, **form.cleaned_data
            )
        except ValidationError as exc:
            _to_form(form, exc)
        else:
            messages.success(request, f"{member.organisation} is on the governing group.")
            return redirect("commons_rules", slug=slug)
    return _rules(request, dataset, governing_form=form, status=400)


# --- asking for restricted access -------------------------------------------------------


def access_new(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    projects = rules.active_led_projects(request.user)
    if not projects:
        raise PermissionDenied(
            "Restricted access is asked for by a lead of an active project: you lead none."
        )
    current = rules.current_rules(dataset)
    versions = list(dataset.versions.filter(status=Version.Status.PUBLISHED))
    if not versions:
        raise Http404("No version of this dataset is published yet.")
    options = {
        "projects": projects,
        "versions": versions,
        "areas": rules.area_codes(dataset),
        "cohorts": dataset.series.exclude(key="*"),
        "max_days": current.max_days,
    }
    if request.method == "POST":
        form = AccessRequestForm(request.POST, **options)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                made = rules.request_create(
                    actor=request.user,
                    dataset=dataset,
                    project=data.pop("project"),
                    versions=list(data.pop("versions")),
                    areas=list(data.pop("areas")),
                    cohorts=list(data.pop("cohorts")),
                    days=data.pop("days"),
                    **data,
                )
            except ValidationError as exc:
                _to_form(form, exc)
            else:
                messages.success(request, "Your request is with the dataset's approvers.")
                return redirect("commons_access", pk=made.pk)
        status = 400
    else:
        wanted = positive_int(request.GET.get("project"))
        form = AccessRequestForm(
            initial={"project": wanted, "versions": [versions[0].pk]}, **options
        )
        status = 200
    context = {"dataset": dataset, "form": form, "rules": current}
    return render(request, "commons/access_new.html", context, status=status)


def _access(pk: int) -> AccessRequest:
    return get_object_or_404(
        AccessRequest.objects.select_related(
            "dataset__steward", "project", "organisation", "rules", "requester__profile"
        ).prefetch_related("versions", "areas", "cohorts"),
        pk=pk,
    )


def _may_see(user: Any, item: AccessRequest) -> bool:
    """An approved access is public (it is in the register); a pending or declined one is its
    requester's and its approvers'."""
    return (
        item.status == AccessRequest.Status.APPROVED
        or item.requester_id == user.pk
        or bool(rules.roles_of(user, item.dataset))
    )


def access_detail(
    request: HttpRequest, pk: int, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    item = _access(pk)
    if not _may_see(request.user, item):
        raise Http404("No such request.")
    decisions = list(item.decisions.select_related("by__profile", "organisation"))
    role = rules.open_role_for(request.user, item)
    context = {
        "item": item,
        "decisions": decisions,
        "required": [
            (r, next((d for d in decisions if d.role == r), None))
            for r in rules.required_roles(item.dataset)
        ],
        "purpose": [(rules.PURPOSE_LABELS[f], getattr(item, f)) for f in rules.PURPOSE_FIELDS],
        "role": role,
        "form": form or (DecisionForm() if role else None),
        "current": rules.is_current(item),
        "mine": item.requester_id == request.user.pk,
        "lapses_on": rules.lapses_on(item),
        "lapsed": rules.is_lapsed(item),
        "kaitiaki_missing": item.dataset.maori_data
        and not rules.kaitiaki_organisation_ids(item.dataset),
    }
    return render(request, "commons/access_detail.html", context, status=status)


def access_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("commons_access", pk=pk)
    item = _access(pk)
    if not _may_see(request.user, item):
        raise Http404("No such request.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return access_detail(request, pk, form=form, status=400)
    try:
        decided = rules.decide(
            actor=request.user,
            access=item,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _to_form(form, exc)
        return access_detail(request, pk, form=form, status=400)
    if decided.status == AccessRequest.Status.APPROVED:
        messages.success(request, "Approved: the access starts today and is in the register.")
    elif decided.status == AccessRequest.Status.DECLINED:
        messages.success(request, "Declined, with your reason.")
    else:
        messages.success(request, "Your approval is recorded; another approval is needed.")
    return redirect("commons_access", pk=pk)


def access_list(request: HttpRequest) -> HttpResponse:
    """Your requests, and those waiting for your decision."""
    user: Any = request.user
    profile = getattr(user, "profile", None)
    mine = list(AccessRequest.objects.filter(requester=user).select_related("dataset", "project"))
    waiting: list[AccessRequest] = []
    if profile is not None and profile.is_steward and profile.organisation_id:
        org = profile.organisation_id
        waiting = [
            item
            for item in AccessRequest.objects.filter(status=AccessRequest.Status.PENDING)
            .filter(
                Q(dataset__steward_id=org)
                | Q(dataset__maori_data=True, dataset__governing__organisation_id=org)
            )
            .exclude(requester=user)
            .select_related("dataset", "project", "requester__profile")
            .distinct()
            if rules.open_role_for(user, item)
        ]
    return render(request, "commons/access_list.html", {"mine": mine, "waiting": waiting})


# --- restricted values -------------------------------------------------------------------


def access_values(request: HttpRequest, pk: int) -> HttpResponse:
    item = _access(pk)
    if item.requester_id != request.user.pk:
        raise Http404("No such access.")
    rules.require_current(request.user, item)
    versions = list(item.versions.order_by("-number"))
    indicators = list(item.dataset.indicators.all())
    version = next(
        (v for v in versions if v.number == positive_int(request.GET.get("version"))),
        versions[0],
    )
    indicator: Indicator = next(
        (i for i in indicators if i.pk == positive_int(request.GET.get("indicator"))),
        indicators[0],
    )
    after = positive_int(request.GET.get("after")) or 0
    page = restricted.read(
        user=request.user, access=item, version=version, indicator=indicator, after=after
    )
    next_url = None
    if page.next_after is not None:
        query = {"version": version.number, "indicator": indicator.pk, "after": page.next_after}
        next_url = reverse("commons_access_values", kwargs={"pk": pk}) + "?" + urlencode(query)
    context = {
        "item": item,
        "versions": versions,
        "indicators": indicators,
        "version": version,
        "indicator": indicator,
        "page": page,
        "next_url": next_url,
    }
    return render(request, "commons/access_values.html", context)


# --- the public register --------------------------------------------------------------------


def _filter(request: HttpRequest) -> register.Filter:
    try:
        return register.parse(request.GET)
    except (Dataset.DoesNotExist, Organisation.DoesNotExist):
        raise Http404("No such dataset or organisation.") from None


def register_page(request: HttpRequest) -> HttpResponse:
    chosen = _filter(request)
    context = {
        "filter": chosen,
        "entries": register.entries(chosen),
        "datasets": Dataset.objects.order_by("title").only("slug", "title"),
        "organisations": Organisation.objects.filter(data_access_requests__status="approved")
        .distinct()
        .order_by("name"),
        "feed_url": reverse("commons_register_feed") + _query(chosen),
    }
    return render(request, "commons/register.html", context)


def _query(chosen: register.Filter) -> str:
    params = chosen.query()
    return "?" + urlencode(params) if params else ""


class RegisterFeed(Feed):
    """An RSS feed of the register with the same filters as its page, so a
    community can follow who uses data about it."""

    description = "Approved restricted access to the commons' outcome data."

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> register.Filter:
        return _filter(request)

    def title(self, obj: register.Filter) -> str:
        return f"{obj.title} · Social Commons data-use register"

    def link(self, obj: register.Filter) -> str:
        return reverse("commons_register") + _query(obj)

    def items(self, obj: register.Filter) -> list[AccessRequest]:
        return register.entries(obj, limit=50)

    def item_title(self, item: AccessRequest) -> str:
        return f"{item.requester.profile.display_name} ({item.organisation}) — {item.dataset}"

    def item_description(self, item: AccessRequest) -> str:
        approvers = ", ".join(
            f"{d.by.profile.display_name} ({d.get_role_display()})" for d in item.decisions.all()
        )
        return (
            f"For the project “{item.project.title}”: {item.why} "
            f"Approved by {approvers}, under rules version {item.rules.number}, "
            f"from {item.starts_on:%d %B %Y} to {item.ends_on:%d %B %Y}."
        )

    def item_link(self, item: AccessRequest) -> str:
        return reverse("commons_access", kwargs={"pk": item.pk})

    def item_pubdate(self, item: AccessRequest) -> Any:
        return item.decided_at


urlpatterns = [
    path("data/register/", register_page, name="commons_register"),
    path("data/register/feed/", RegisterFeed(), name="commons_register_feed"),
    path("data/access/", access_list, name="commons_access_list"),
    path("data/access/<id:pk>/", access_detail, name="commons_access"),
    path("data/access/<id:pk>/decide/", access_decide, name="commons_access_decide"),
    path("data/access/<id:pk>/values/", access_values, name="commons_access_values"),
    path("data/<slug:slug>/rules/", rules_page, name="commons_rules"),
    path("data/<slug:slug>/rules/propose/", rules_propose, name="commons_rules_propose"),
    path(
        "data/<slug:slug>/rules/proposals/<int:pk>/answer/",
        rules_answer,
        name="commons_rules_answer",
    ),
    path("data/<slug:slug>/rules/governing/", governing_add, name="commons_governing_add"),
    path("data/<slug:slug>/access/request/", access_new, name="commons_access_new"),
]
