"""Pages of base and local versions: making a local version, where it differs from its base,
and the three-way comparison when the base changed, with taking the change in or declining
it. Thin: a form parses, ``knowledge.localising`` writes, ``knowledge.selectors`` reads."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.views import attempt, refused
from knowledge import diff, forms, localising, merging, permissions, selectors
from knowledge.models import Article, LocalVersion


def _visible(pk: int) -> Article:
    article = selectors.article_for_page(pk=pk)
    if article.is_hidden or article.current is None:
        raise Http404
    return article


def article_localise(request: HttpRequest, pk: int) -> HttpResponse:
    base = _visible(pk)
    form = forms.LocaliseForm(request.POST or None)
    existing: Article | None = None
    if request.method == "POST" and form.is_valid():

        def remember(form: Any, exc: ValidationError) -> ValidationError:
            nonlocal existing
            existing = exc.local if isinstance(exc, localising.AlreadyLocalised) else None
            return exc

        ok, version = attempt(
            request,
            form,
            lambda: localising.localise(
                actor=request.user, base=base, label=form.cleaned_data["label"]
            ),
            adapt=remember,
        )
        if ok:
            messages.success(
                request,
                f"Your local version for {version.label} is made from revision "
                f"{version.follows.number} of the base. Change it to fit your region: when the "
                "base changes you will be shown what changed.",
            )
            return redirect(version.local)
    refusal = ""
    if request.method != "POST" and permissions.can_write(request.user):
        try:  # said before the form is filled in, not after
            localising.check_localisable(actor=request.user, base=base)
        except localising.AlreadyLocalised as exc:
            existing, refusal = exc.local, exc.messages[0]
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
    status = 400 if request.method == "POST" else 200
    return refused(
        request,
        render(
            request,
            "knowledge/localise.html",
            {
                "article": base,
                "form": form,
                "existing": existing,
                "refusal": refusal,
                "can_write": permissions.can_write(request.user),
            },
            status=status,
        ),
    )


def local_differs(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the local version differs from the base revision it follows (word diff,
    base → local)."""
    local = _visible(pk)
    version = selectors.local_version(local=local)
    assert local.current is not None  # _visible
    if version.base.is_hidden:  # its text is hidden with it, here too
        return render(
            request, "knowledge/local_differs.html", {"article": local, "version": version}
        )
    fields = selectors.compare(old=version.follows, new=local.current)
    base_html, local_html = diff.side_by_side(fields["body"])
    return render(
        request,
        "knowledge/local_differs.html",
        {
            "article": local,
            "version": version,
            "title_diff": diff.inline(fields["title"]),
            "summary_diff": diff.inline(fields["summary"]),
            "inline": diff.inline(fields["body"]),
            "base_html": base_html,
            "local_html": local_html,
            "counts": diff.counts(fields["body"]),
            "same": all(op.op == diff.EQUAL for ops in fields.values() for op in ops),
        },
    )


def _comparison(version: LocalVersion, local: Article, fill: str) -> dict[str, Any]:
    """The three texts, what changed upstream, the merged proposal and the forms' first
    values. Nothing of it is stored: it is made from the three revisions each time."""
    ancestor, newest, mine = version.follows, version.base.current, local.current
    assert newest is not None and mine is not None
    upstream = selectors.compare(old=ancestor, new=newest)
    merged = merging.merge(ancestor=ancestor.body, local=mine.body, upstream=newest.body)
    title, title_clash = merging.merge_value(
        ancestor=ancestor.title, local=mine.title, upstream=newest.title
    )
    summary, summary_clash = merging.merge_value(
        ancestor=ancestor.summary, local=mine.summary, upstream=newest.summary
    )
    old_html, new_html = diff.side_by_side(upstream["body"])
    return {
        "ancestor": ancestor,
        "newest": newest,
        "mine": mine,
        "upstream_title": diff.inline(upstream["title"]),
        "upstream_summary": diff.inline(upstream["summary"]),
        "upstream_inline": diff.inline(upstream["body"]),
        "upstream_old": old_html,
        "upstream_new": new_html,
        "upstream_counts": diff.counts(upstream["body"]),
        "merged": merged,
        "title_clash": title_clash,
        "summary_clash": summary_clash,
        "fill": fill,
        "initial": {
            "upstream": newest.number,
            "local": mine.number,
            "title": title,
            "summary": summary,
            "body": merged.text(fill),
        },
    }


def _upstream_page(
    request: HttpRequest,
    local: Article,
    version: LocalVersion,
    *,
    take_form: forms.TakeUpstreamForm | None = None,
    decline_form: forms.DeclineUpstreamForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = selectors.LocalState(
        version=version, local_versions=[], decisions=selectors.decisions(version=version)
    )
    context: dict[str, Any] = {
        "article": local,
        "version": version,
        "state": state,
        "can_write": permissions.can_write(request.user),
    }
    posted = take_form or decline_form
    if posted is not None and not state.behind:  # e.g. taken in by someone else meanwhile
        context["refusals"] = posted.non_field_errors()
    if state.behind:
        fill = request.GET.get("fill", "marked")
        comparison = _comparison(version, local, fill if fill in merging.FILLS else "marked")
        initial = comparison["initial"]
        context |= comparison
        context["take_form"] = take_form or forms.TakeUpstreamForm(initial=initial)
        context["decline_form"] = decline_form or forms.DeclineUpstreamForm(
            initial={"upstream": initial["upstream"]}
        )
    return refused(request, render(request, "knowledge/upstream.html", context, status=status))


def upstream_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """ "The base changed": the three-way comparison and the two answers to it."""
    local = _visible(pk)
    return _upstream_page(request, local, selectors.local_version(local=local))


def _run(request: HttpRequest, form: Any, call: Any) -> tuple[bool, int]:
    """Run a take-in or decline; a stale refusal is a 409, any other a 400."""
    stale = False

    def note(form: Any, exc: ValidationError) -> ValidationError:
        nonlocal stale
        stale = isinstance(exc, localising.Stale)
        return exc

    ok, _ = attempt(request, form, call, adapt=note)
    return ok, 409 if stale else 400


def _renumbered(form: Any, version: LocalVersion, local: Article) -> Any:
    """The person's text kept, now made against what is current: saving it again is a
    deliberate choice, made with the new comparison on the page above it."""
    data = form.data.copy()
    if version.base.current is not None:
        data[form.add_prefix("upstream")] = str(version.base.current.number)
    if "local" in form.fields and local.current is not None:
        data[form.add_prefix("local")] = str(local.current.number)
    renewed = type(form)(data)
    renewed.is_valid()
    for error in form.non_field_errors():
        renewed.add_error(None, error)
    for name, errors in form.errors.items():
        if name != "__all__" and name in renewed.fields:
            for error in errors:
                renewed.add_error(name, error)
    return renewed


@require_POST
def upstream_take(request: HttpRequest, pk: int) -> HttpResponse:
    local = _visible(pk)
    version = selectors.local_version(local=local)
    form = forms.TakeUpstreamForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        ok, status = _run(
            request,
            form,
            lambda: localising.upstream_take(
                actor=request.user,
                version=version,
                upstream_number=data["upstream"],
                local_number=data["local"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                edit_summary=data["edit_summary"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(
                request, f"Revision {data['upstream']} of the base is taken in to your version."
            )
            return redirect(local)
        if status == 409:  # read again: the comparison is made with what is current now
            local = _visible(pk)
            version = selectors.local_version(local=local)
            form = _renumbered(form, version, local)
    return _upstream_page(request, local, version, take_form=form, status=status)


@require_POST
def upstream_decline(request: HttpRequest, pk: int) -> HttpResponse:
    local = _visible(pk)
    version = selectors.local_version(local=local)
    form = forms.DeclineUpstreamForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        ok, status = _run(
            request,
            form,
            lambda: localising.upstream_decline(
                actor=request.user,
                version=version,
                upstream_number=data["upstream"],
                reason=data["reason"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(
                request,
                f"Revision {data['upstream']} of the base is declined: your reason is shown on "
                "this page.",
            )
            return redirect(local)
        if status == 409:
            local = _visible(pk)
            version = selectors.local_version(local=local)
            form = _renumbered(form, version, local)
    return _upstream_page(request, local, version, decline_form=form, status=status)
