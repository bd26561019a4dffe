"""The team: who is in it and from where, invitations, requests to join, roles, leaving."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from core import ratelimit
from core.views import attempt, refused
from projects import forms, selectors, services
from projects.models import Membership
from projects.views.common import face, layout


def _page(request: HttpRequest, pk: int, status: int = 200, **forms_: object) -> HttpResponse:
    project, viewer = face(request, pk)
    team = selectors.team(project=project)
    # A restricted project's members are its inside; its lead and organisations are public.
    shown = team if viewer.can_view else []
    context = layout(
        project,
        viewer,
        "team",
        team=shown,
        groups=[
            (label, [m for m in shown if m.role == role and m.is_current()])
            for role, label in Membership.Role.choices
        ],
        former=[m for m in shown if not m.is_current()],
        represented=selectors.represented(team),
        pending=selectors.pending_invitations(project=project) if viewer.is_lead else [],
        invite_form=forms_.get("invite_form") or forms.InviteForm(),
        join_form=forms_.get("join_form") or forms.JoinForm(auto_id="join_%s"),
        roles=Membership.Role.choices,
    )
    return refused(request, render(request, "projects/team.html", context, status=status))


def project_team(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@require_POST
def project_invite(request: HttpRequest, pk: int) -> HttpResponse:
    project, _ = face(request, pk)
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, invitation = attempt(
            request,
            form,
            lambda: services.invite(
                actor=request.user,
                project=project,
                user=data["person"][0],
                role=data["role"],
                expires=data["expires"],
                message=data["message"],
            ),
        )
        if ok:
            messages.success(
                request,
                "Invited: they are told, and join when they accept."
                if invitation.state == "pending"
                else "They are in the team now.",
            )
            return redirect("project_team", pk=pk)
    return _page(request, pk, status=400, invite_form=form)


@require_POST
def project_join(request: HttpRequest, pk: int) -> HttpResponse:
    project, _ = face(request, pk)
    form = forms.JoinForm(request.POST, auto_id="join_%s")
    if form.is_valid():
        ok, invitation = attempt(
            request,
            form,
            lambda: services.request_to_join(
                user=request.user, project=project, message=form.cleaned_data["message"]
            ),
        )
        if ok:
            messages.success(
                request,
                "You are in the team now."
                if invitation.state == "accepted"
                else "Asked: the leads are told, and you are told their answer.",
            )
            return redirect("project_team", pk=pk)
    return _page(request, pk, status=400, join_form=form)


def _membership(project_id: int, member_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("project", "user")
        .filter(project_id=project_id, pk=member_id)
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


def _act(request: HttpRequest, pk: int, call: Callable[[], object], done: str) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, pk, status=400)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _page(request, pk, status=403)
    except ratelimit.RateLimited as exc:
        messages.error(request, str(exc))
        return ratelimit.too_many(_page(request, pk, status=429), exc)
    messages.success(request, done)
    return redirect("project_team", pk=pk)


@require_POST
def member_change(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    face(request, pk)
    membership = _membership(pk, member)
    form = forms.MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role, and a valid date if the membership ends.")
        return _page(request, pk, status=400)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda: services.member_set(
            actor=request.user, membership=membership, role=data["role"], expires=data["expires"]
        ),
        "Saved.",
    )


@require_POST
def member_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    face(request, pk)
    membership = _membership(pk, member)
    leaving = membership.user_id == request.user.pk
    response = _act(
        request,
        pk,
        lambda: services.member_remove(actor=request.user, membership=membership),
        "You left the project." if leaving else "Removed from the team.",
    )
    if leaving and response.status_code == 302:
        return redirect("project_detail", pk=pk)
    return response


@require_POST
def invitation_answer(request: HttpRequest, pk: int, invitation: int) -> HttpResponse:
    project, _ = face(request, pk)
    found = selectors.invitation_of(pk=invitation)
    if found is None or found.project_id != project.pk:
        raise Http404("No such invitation.")
    accept = request.POST.get("answer") == "accept"
    done = "Accepted: welcome to the team." if accept else "Declined."
    if found.kind == "request":
        done = "Approved: they are in the team." if accept else "Declined: they are told."
    return _act(
        request,
        pk,
        lambda: services.invitation_answer(actor=request.user, invitation=found, accept=accept),
        done,
    )


urlpatterns = [
    path("projects/<id:pk>/team/", project_team, name="project_team"),
    path("projects/<id:pk>/team/invite/", project_invite, name="project_invite"),
    path("projects/<id:pk>/team/join/", project_join, name="project_join"),
    path("projects/<id:pk>/team/<id:member>/", member_change, name="project_member_change"),
    path("projects/<id:pk>/team/<id:member>/remove/", member_remove, name="project_member_remove"),
    path(
        "projects/<id:pk>/invitations/<id:invitation>/",
        invitation_answer,
        name="project_invitation_answer",
    ),
]
