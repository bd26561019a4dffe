"""The board: columns of cards; moving a card (dragging, the keyboard, or the "Move to" form on
its page); a card's page, its checklist, editing and deleting it; and the leads' column tools.

A move from the board's script (``HX-Request: true`` or ``Accept: application/json``) is
answered in JSON: where the card is now (``task_id``, ``column_id``, ``rank``, ``version``),
also when it is refused — a move from an older version of the card is a 409 that says where the
card really is, so the script can put it back there. A plain form post (no JavaScript) goes back
to the board with a message, or shows the card's page again with the reason beside the form.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import ratelimit
from core.params import positive_int
from core.views import attempt, is_htmx, refused
from projects import forms, permissions, selectors, services
from projects.models import Column, Project, Task
from projects.views.common import inside, layout

NOT_UNDERSTOOD = "That move could not be read ({}). Reload the board and try again."
NOT_ON_BOARD = "That column is not on this project's board."
NEIGHBOURS_MOVED = "The board changed meanwhile: the cards around that place moved."
STALE_EDIT = (
    "Someone changed this card while you were editing it. What you typed is still here, and "
    "the card as it is now is shown above the form: save again to replace it with yours."
)
STALE_DELETE = (
    "Someone changed this card a moment ago: it is shown as it is now. "
    "Delete it again if you still want to."
)


def _wants_json(request: HttpRequest) -> bool:
    return is_htmx(request) or "application/json" in request.headers.get("Accept", "")


def _board_url(project_id: int, anchor: str = "") -> str:
    return reverse("project_board", kwargs={"pk": project_id}) + (f"#{anchor}" if anchor else "")


def _task(project: Project, task_id: int) -> Task:
    """The card, on this project's board (404 otherwise), for a write."""
    task = selectors.task_of(project=project, task_id=task_id)
    if task is None:
        raise Http404("No such card.")
    task.project = project  # the services ask for it: no second query
    return task


def _column(project: Project, column_id: int) -> Column:
    column = selectors.column_of(project=project, column_id=column_id)
    if column is None:
        raise Http404("No such column.")
    column.project = project
    return column


def _status(viewer: selectors.Viewer, *, lead: bool = False) -> int:
    """The status of a form shown again after a refusal: 403 for someone who may not do it."""
    allowed = viewer.is_lead if lead else viewer.can_write
    return 400 if allowed else 403


def _refusal(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages), 400
    if isinstance(exc, PermissionDenied):
        return str(exc) or "You cannot do that.", 403
    return str(exc), 429


# --- the board -------------------------------------------------------------------------------


def _board(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    *,
    status: int = 200,
    column_form: forms.ColumnForm | None = None,
) -> HttpResponse:
    parts = []
    for n, part in enumerate(selectors.board(project=project), start=1):
        column = part.column
        parts.append(
            {
                "column": column,
                "tasks": part.tasks,
                "total": part.total,
                "more": part.more,
                "left": part.total - len(part.tasks),
                "last": part.tasks[-1] if part.tasks else None,
                "position": n,
                "add_form": forms.TaskForm(auto_id=f"add{column.pk}_%s")
                if viewer.can_write
                else None,
                "edit_form": forms.ColumnForm(
                    auto_id=f"column{column.pk}_%s",
                    initial={"name": column.name, "done": column.done},
                )
                if viewer.is_lead
                else None,
            }
        )
    context = layout(
        project,
        viewer,
        "board",
        columns=parts,
        card_count=sum(p["total"] for p in parts),
        today=timezone.localdate(),
        can_move=viewer.can_write,
        column_form=column_form or forms.ColumnForm(auto_id="newcolumn_%s"),
        max_columns=services.MAX_COLUMNS,
    )
    return refused(request, render(request, "projects/board.html", context, status=status))


def board_page(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _board(request, project, viewer)


def column_more(request: HttpRequest, pk: int, column: int) -> HttpResponse:
    """The next page of a column's cards, after the card ``?after=`` (keyset): the cards alone
    for the board's script, or a page of them without JavaScript."""
    project, viewer = inside(request, pk)
    col = _column(project, column)
    after = selectors.task_of(project=project, task_id=positive_int(request.GET.get("after")))
    tasks, more = selectors.column_page(column=col, after=after)
    left = positive_int(request.GET.get("left"))
    left = max(left - len(tasks), 0) if left is not None else 0
    context = layout(
        project,
        viewer,
        "board",
        column=col,
        tasks=tasks,
        more=more,
        left=left if more else 0,
        last=tasks[-1] if tasks else after,
        today=timezone.localdate(),
        can_move=viewer.can_write,
    )
    template = "projects/_more_cards.html" if _wants_json(request) else "projects/column_cards.html"
    return render(request, template, context)


# --- one card ----------------------------------------------------------------------------------


def _task_page(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    task_id: int,
    *,
    status: int = 200,
    part: bool = False,
    **forms_: Any,
) -> HttpResponse:
    task = selectors.task_for_viewer(project=project, task_id=task_id)
    today = timezone.localdate()
    context = layout(
        project,
        viewer,
        "board",
        task=task,
        columns=selectors.columns(project=project) if viewer.can_write else [],
        overdue=bool(task.due and task.due < today and not task.column.done),
        checklist_form=forms_.get("checklist_form")
        or forms.ChecklistItemForm(auto_id="checklist_%s"),
        checklist_problem=forms_.get("checklist_problem", ""),
        move_form=forms_.get("move_form"),
        delete_form=forms_.get("delete_form"),
    )
    template = "projects/task_detail.html" + ("#task-body" if part else "")
    return refused(request, render(request, template, context, status=status))


def task_page(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _task_page(request, project, viewer, task)


def task_card(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    """One card as it shows on the board (the board's script fetches it when a card is added or
    changed elsewhere)."""
    project, viewer = inside(request, pk)
    card = selectors.task_for_viewer(project=project, task_id=task)
    context = {
        "project": project,
        "task": card,
        "column": card.column,
        "today": timezone.localdate(),
        "can_move": viewer.can_write,
    }
    return render(request, "projects/_column.html#card", context)


def _people_by_id(people: list[Any]) -> dict[int, Any]:
    return {u.pk: u for u in people}


def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    columns = selectors.columns(project=project)
    people = selectors.assignable(project=project)
    initial = {}
    if (wanted := positive_int(request.GET.get("column"))) in {c.pk for c in columns}:
        initial["column"] = wanted
    posted = request.method == "POST"
    form = forms.TaskForm(
        request.POST if posted else None, people=people, columns=columns, initial=initial
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        column = next(c for c in columns if c.pk == data["column"])
        ok, card = attempt(
            request,
            form,
            lambda: services.task_create(
                actor=request.user,
                project=project,
                title=data["title"],
                column=column,
                description=data["description"],
                assignee=_people_by_id(people).get(data["assignee"]),
                due=data["due"],
                labels=data["labels"],
                checklist=form.checklist_items(),
                submission_key=data["submission_key"],
            ),
        )
        if ok:
            messages.success(request, f"Card added to {column.name}.")
            return redirect(_board_url(pk, f"task-{card.pk}"))
    context = layout(project, viewer, "board", form=form, card=None)
    status = _status(viewer) if posted else 200
    return refused(request, render(request, "projects/task_form.html", context, status=status))


def task_edit(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    card = selectors.task_for_viewer(project=project, task_id=task)
    card.project = project
    people = selectors.assignable(project=project)
    posted = request.method == "POST"
    form = forms.TaskForm(
        request.POST if posted else None,
        people=people,
        editing=True,
        initial={
            "title": card.title,
            "description": card.description,
            "assignee": card.assignee_id,
            "due": card.due,
            "labels": card.labels,
            "version": card.version,
        },
    )
    now: list[Task] = []  # the card as it is now, after a refused (stale) edit

    def stale(form: forms.TaskForm, exc: ValidationError) -> ValidationError:
        if not isinstance(exc, services.StaleTask):
            return exc
        now.append(exc.task)
        data = form.data.copy()
        data["version"] = str(exc.task.version)  # saving again replaces theirs, knowingly
        form.data = data
        return ValidationError(STALE_EDIT)

    status = 200
    if posted:
        status = _status(viewer)
        if form.is_valid() and form.cleaned_data["version"] is None:
            form.add_error(None, "This form is missing the card's version: open the card again.")
        if form.is_valid():
            data = form.cleaned_data
            ok, _ = attempt(
                request,
                form,
                lambda: services.task_edit(
                    actor=request.user,
                    task=card,
                    version=data["version"],
                    title=data["title"],
                    description=data["description"],
                    assignee=_people_by_id(people).get(data["assignee"]),
                    due=data["due"],
                    labels=data["labels"],
                ),
                adapt=stale,
            )
            if ok:
                messages.success(request, "Card saved.")
                return redirect(card.get_absolute_url())
            if now:
                status = 409
    context = layout(
        project, viewer, "board", form=form, card=card, current=now[0] if now else None
    )
    return refused(request, render(request, "projects/task_form.html", context, status=status))


def _where(task: Task) -> dict[str, Any]:
    return {
        "task_id": task.pk,
        "column_id": task.column_id,
        "rank": task.rank,
        "version": task.version,
    }


def _form_problem(form: Any) -> str:
    return NOT_UNDERSTOOD.format(
        "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
    )


@require_POST
def task_move(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    card = _task(project, task)
    form = forms.MoveToForm(request.POST, auto_id="move-%s")
    as_json = _wants_json(request)

    def refuse(message: str, status: int, where: Task = card) -> HttpResponse:
        if as_json:
            answer = JsonResponse({"ok": False, "message": message, **_where(where)}, status=status)
        else:
            if message not in form.non_field_errors():
                form.add_error(None, message)
            answer = _task_page(request, project, viewer, card.pk, status=status, move_form=form)
        exc = getattr(request, "rate_limited", None)
        return ratelimit.too_many(answer, exc) if exc is not None else answer

    if not form.is_valid():
        return refuse(_form_problem(form), 400)
    data = form.cleaned_data
    column = selectors.column_of(project=project, column_id=positive_int(data["column"]))
    if column is None:
        return refuse(NOT_ON_BOARD, 400)
    neighbours = {}
    for side in ("after", "before"):
        if data[side] is not None:
            neighbours[side] = selectors.task_of(project=project, task_id=positive_int(data[side]))
            if neighbours[side] is None:
                return refuse(NEIGHBOURS_MOVED, 400)
    if data["position"] == "top" and not neighbours:
        first, _ = selectors.column_page(column=column, after=None, size=2)
        neighbours["before"] = next((t for t in first if t.pk != card.pk), None)
    try:
        moved = services.task_move(
            actor=request.user,
            task=card,
            version=data["version"],
            column=column,
            after=neighbours.get("after"),
            before=neighbours.get("before"),
        )
    except services.StaleTask as exc:
        return refuse(" ".join(exc.messages), 409, where=exc.task)
    except (ValidationError, PermissionDenied, ratelimit.RateLimited) as exc:
        if isinstance(exc, ratelimit.RateLimited):
            request.rate_limited = exc
        return refuse(*_refusal(exc))
    if as_json:
        return JsonResponse({"ok": True, **_where(moved)})
    messages.success(request, f"Moved “{moved.title}” to {column.name}.")
    return redirect(_board_url(pk, f"task-{moved.pk}"))


@require_POST
def task_delete(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    card = _task(project, task)
    form = forms.VersionForm(request.POST, auto_id="delete-%s")
    status = 400
    if form.is_valid():
        try:
            services.task_delete(
                actor=request.user, task=card, version=form.cleaned_data["version"]
            )
        except services.StaleTask:
            form.add_error(None, STALE_DELETE)
            status = 409
        except (ValidationError, PermissionDenied, ratelimit.RateLimited) as exc:
            message, status = _refusal(exc)
            form.add_error(None, message)
        else:
            messages.success(request, f"Card “{card.title}” deleted.")
            return redirect(_board_url(pk, f"column-{card.column_id}"))
    else:
        form.add_error(None, "This form is missing the card's version: open the card again.")
    return _task_page(request, project, viewer, card.pk, status=status, delete_form=form)


# --- the checklist -----------------------------------------------------------------------------


def _checklist_write(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    task_id: int,
    form: Any,
    call: Callable[[], Any],
    anchor: str,
) -> HttpResponse:
    """Run a checklist service; then the card's page body again for htmx (its forms carry the
    card's new version), or back to the card's page. A refusal shows the page with the reason
    beside the checklist."""
    ok, _ = attempt(request, form, call)
    if not ok:
        return _task_page(
            request,
            project,
            viewer,
            task_id,
            status=_status(viewer),
            checklist_form=form if "text" in form.fields else None,
            checklist_problem=" ".join(form.non_field_errors()),
        )
    if is_htmx(request):
        return _task_page(request, project, viewer, task_id, part=True)
    url = reverse("project_task", kwargs={"pk": project.pk, "task": task_id})
    return redirect(f"{url}#{anchor}")


@require_POST
def checklist_add(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    card = _task(project, task)
    form = forms.ChecklistItemForm(request.POST, auto_id="checklist_%s")
    if not form.is_valid():
        return _task_page(
            request, project, viewer, card.pk, status=_status(viewer), checklist_form=form
        )
    text = form.cleaned_data["text"]
    return _checklist_write(
        request,
        project,
        viewer,
        card.pk,
        form,
        lambda: services.checklist_add(actor=request.user, task=card, text=text),
        "checklist-add",
    )


@require_POST
def checklist_toggle(request: HttpRequest, pk: int, task: int, checklist: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    card = selectors.task_for_viewer(project=project, task_id=task)
    card.project = project
    entry = next((i for i in card.checklist.all() if i.pk == checklist), None)
    if entry is None:
        raise Http404("No such checklist item.")
    form = forms.ChecklistToggleForm(request.POST)
    form.is_valid()  # a checkbox: anything but a yes reads as "not done"
    done = bool(form.cleaned_data.get("done"))
    return _checklist_write(
        request,
        project,
        viewer,
        card.pk,
        form,
        lambda: services.checklist_toggle(actor=request.user, item=entry, done=done),
        f"item-{entry.pk}",
    )


# --- columns (leads) ---------------------------------------------------------------------------


@require_POST
def column_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    form = forms.ColumnForm(request.POST, auto_id="newcolumn_%s")
    if form.is_valid():
        ok, column = attempt(
            request,
            form,
            lambda: services.column_add(
                actor=request.user, project=project, name=form.cleaned_data["name"]
            ),
        )
        if ok:
            messages.success(request, f"Column “{column.name}” added.")
            return redirect(_board_url(pk, f"column-{column.pk}"))
        if not viewer.is_lead:  # the form is not on their board: say it at the top
            messages.error(request, " ".join(form.non_field_errors()))
    return _board(request, project, viewer, status=_status(viewer, lead=True), column_form=form)


def column_edit(request: HttpRequest, pk: int, column: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    col = _column(project, column)
    posted = request.method == "POST"
    if not posted and not viewer.is_lead:
        raise PermissionDenied(permissions.LEADS_ONLY)
    form = forms.ColumnForm(
        request.POST if posted else None, initial={"name": col.name, "done": col.done}
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request,
            form,
            lambda: services.column_edit(
                actor=request.user, column=col, name=data["name"], done=data["done"]
            ),
        )
        if ok:
            messages.success(request, "Column saved.")
            return redirect(_board_url(pk, f"column-{col.pk}"))
    context = layout(project, viewer, "board", form=form, column=col)
    status = _status(viewer, lead=True) if posted else 200
    return refused(request, render(request, "projects/column_form.html", context, status=status))


def _column_action(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    call: Callable[[], Any],
    done: str,
    anchor: str = "",
) -> HttpResponse:
    try:
        call()
    except (ValidationError, PermissionDenied, ratelimit.RateLimited) as exc:
        message, status = _refusal(exc)
        messages.error(request, message)
        answer = _board(request, project, viewer, status=status)
        return ratelimit.too_many(answer, exc) if status == 429 else answer
    messages.success(request, done)
    return redirect(_board_url(project.pk, anchor))


@require_POST
def column_move(request: HttpRequest, pk: int, column: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    col = _column(project, column)
    form = forms.ColumnMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose where the column goes: a position from 1.")
        return _board(request, project, viewer, status=_status(viewer, lead=True))
    position = form.cleaned_data["position"]
    return _column_action(
        request,
        project,
        viewer,
        lambda: services.column_move(actor=request.user, column=col, position=position - 1),
        f"Column “{col.name}” moved to position {position}.",
        f"column-{col.pk}",
    )


@require_POST
def column_delete(request: HttpRequest, pk: int, column: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    col = _column(project, column)
    return _column_action(
        request,
        project,
        viewer,
        lambda: services.column_delete(actor=request.user, column=col),
        f"Column “{col.name}” removed.",
    )


BOARD = "projects/<id:pk>/board/"
CARD = BOARD + "tasks/<id:task>/"
COLUMN = BOARD + "columns/<id:column>/"

urlpatterns = [
    path(BOARD, board_page, name="project_board"),
    path(BOARD + "tasks/new/", task_new, name="project_task_new"),
    path(CARD, task_page, name="project_task"),
    path(CARD + "card/", task_card, name="project_task_card"),
    path(CARD + "edit/", task_edit, name="project_task_edit"),
    path(CARD + "move/", task_move, name="project_task_move"),
    path(CARD + "delete/", task_delete, name="project_task_delete"),
    path(CARD + "checklist/", checklist_add, name="project_checklist_add"),
    path(CARD + "checklist/<id:checklist>/", checklist_toggle, name="project_checklist_toggle"),
    path(BOARD + "columns/new/", column_add, name="project_column_add"),
    path(COLUMN + "edit/", column_edit, name="project_column_edit"),
    path(COLUMN + "move/", column_move, name="project_column_move"),
    path(COLUMN + "delete/", column_delete, name="project_column_delete"),
    path(COLUMN + "cards/", column_more, name="project_column_more"),
]
