"""The steward's side of a dataset: importing a new version from a CSV file, a version's page
(publishing a draft, or seeing why the checker refused one), and comparing two published
versions (for everyone).

A draft or refused version has no published values; its page is for the dataset's stewards
only, and a 404 for everyone else (it does not exist for them). Nothing here reads a stored
value: the version page shows counts and the checker's findings, the comparison reads
``selectors.compare``, which works in published terms.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from commons import permissions, published, publishing, selectors, services
from commons.confidentiality import Status
from commons.forms import upload as upload_form
from commons.forms.steward import ImportForm
from commons.importing import ImportRefused, Mapping
from commons.models import Dataset, Version
from commons.views.dataset_new import dataset_new
from core.params import positive_int

STEWARDS_ONLY = "Only a steward of the organisation that keeps this dataset can do this."


def _dataset(slug: str) -> Dataset:
    return get_object_or_404(Dataset.objects.select_related("steward"), slug=slug)


def _as_steward(request: HttpRequest, slug: str) -> Dataset:
    """The dataset, for one of its stewards; a 403 page for anyone else."""
    dataset = _dataset(slug)
    if not permissions.is_steward(request.user, dataset):
        raise PermissionDenied(STEWARDS_ONLY)
    return dataset


def version_url(version: Version) -> str:
    return reverse(
        "commons_version", kwargs={"slug": version.dataset.slug, "number": version.number}
    )


def _messages_of(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def version_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV file and import it, with the dataset's mapping, as its next version (a
    draft). The import runs in the request: the vaccination file's 9,867 rows take well under
    a second, so the page's script shows the upload's own progress (the slow part for a large
    file on a slow line) and then that the server is importing. A refused file changes
    nothing, and the page names the row and column at fault beside the form."""
    dataset = _as_steward(request, slug)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    refused: ImportRefused | None = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.import_version(
                actor=request.user, dataset=dataset, source=upload, file_name=upload.name or ""
            )
        except ImportRefused as exc:
            refused = exc
        except ValidationError as exc:  # the mapping no longer fits the dataset's structure
            form.add_error(None, _messages_of(exc))
        else:
            messages.success(
                request,
                f"Version {version.number} imported: {version.row_count:,} rows, "
                f"{version.cell_count:,} values. It is a draft — nobody else sees it until "
                "you publish it.",
            )
            if request.headers.get("X-Upload-Progress"):
                # The page's script follows this itself: a redirect would be followed inside
                # the request and the success message spent there, unseen.
                created = HttpResponse(status=201)
                created["Location"] = version_url(version)
                return created
            return redirect(version_url(version))
    context = {
        "dataset": dataset,
        "form": form,
        "refused": refused,
        "columns": _columns(dataset),
        "max_upload": upload_form.MAX_UPLOAD_TEXT,
        "max_upload_bytes": upload_form.MAX_UPLOAD_BYTES,
    }
    return render(request, "commons/steward_import.html", context, status=400 if posted else 200)


def _columns(dataset: Dataset) -> list[str]:
    """The columns a file for this dataset has, from its mapping (what the steward prepares)."""
    try:
        return Mapping.from_dict(dataset.mapping).columns()
    except (KeyError, TypeError, ValueError, ValidationError):
        return []


def _version(request: HttpRequest, slug: str, number: int) -> tuple[Dataset, Version, bool]:
    """A version and whether the viewer is one of its stewards. An unpublished version is a
    404 for everyone else: it has nothing to show them, and its existence is the steward's."""
    dataset = _dataset(slug)
    version = get_object_or_404(
        Version.objects.select_related("imported_by__profile"), dataset=dataset, number=number
    )
    steward = permissions.is_steward(request.user, dataset)
    if version.status != Version.Status.PUBLISHED and not steward:
        raise Http404("No such version.")
    return dataset, version, steward


def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    dataset, version, steward = _version(request, slug, number)
    return _version_page(request, dataset, version, steward)


def _version_page(
    request: HttpRequest, dataset: Dataset, version: Version, steward: bool, status: int = 200
) -> HttpResponse:
    earlier = (
        published.published_versions(dataset) if version.status == Version.Status.PUBLISHED else []
    )
    previous = next((v for v in earlier if v.number < version.number), None)
    context: dict[str, Any] = {
        "dataset": dataset,
        "version": version,
        "steward": steward,
        "previous": previous,
        "findings": [_finding(f) for f in version.findings or []],
        "missing": dataset.missing_for_publication() if steward else [],
    }
    return render(request, "commons/version_detail.html", context, status=status)


def _finding(finding: dict[str, Any]) -> dict[str, Any]:
    """A checker's finding as the page lists it: its message, and each cell it names as a
    readable line ("area=Waikato · ethnicity=Maori")."""
    cells = finding.get("cells") or []
    return {
        "rule": str(finding.get("rule") or ""),
        "message": str(finding.get("message") or ""),
        "cells": [" · ".join(str(label) for label in cell) for cell in cells if cell],
    }


@require_POST
def version_publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Publish a draft: every value goes through the one door and the checker. A version the
    checker rejects is refused, and its page lists why."""
    dataset, version, steward = _version(request, slug, number)
    if not steward:
        raise PermissionDenied(STEWARDS_ONLY)
    try:
        done = publishing.publish_version(version=version, by=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return _version_page(request, dataset, version, steward, status=400)
    if done.status == Version.Status.PUBLISHED:
        messages.success(request, f"Version {done.number} is published: everyone can see it now.")
    else:
        messages.error(
            request,
            f"Version {done.number} was not published: the check before publication found "
            f"{len(done.findings)} problem{'s' if len(done.findings) != 1 else ''}, listed below.",
        )
    return redirect(version_url(done))


def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed between two published versions, as anyone sees them (published values and
    statuses only). Without a choice, the newest against the one before it."""
    dataset = _dataset(slug)
    versions = published.published_versions(dataset)
    by_number = {v.number: v for v in versions}
    newer = by_number.get(positive_int(request.GET.get("newer")) or 0)
    older = by_number.get(positive_int(request.GET.get("older")) or 0)
    if newer is None and versions:
        newer = versions[0]
    if older is None and newer is not None:
        older = next((v for v in versions if v.number < newer.number), None)
    if older is not None and newer is not None and older.number > newer.number:
        older, newer = newer, older
    comparison = (
        selectors.compare(older, newer)
        if older is not None and newer is not None and older != newer
        else None
    )
    context: dict[str, Any] = {
        "dataset": dataset,
        "versions": versions,
        "older": older,
        "newer": newer,
        "comparison": comparison,
        "limit": selectors.COMPARE_LIMIT,
    }
    if comparison is not None:
        context["changed"] = [
            (c.key, _shown(c.before), _shown(c.after)) for c in comparison.changed
        ]
        context["added"] = [(key, _shown(p)) for key, p in comparison.added]
        context["removed"] = [(key, _shown(p)) for key, p in comparison.removed]
    return render(request, "commons/version_compare.html", context)


def _shown(cell: selectors.Published) -> published.Value:
    """A compared cell as the pages show a published value (hidden ones with their reason)."""
    value, status = cell
    return published.Value(value, status or str(Status.NOT_PUBLISHED))


DATASET = "data/<slug:slug>/"

urlpatterns = [
    # Before every data/<slug>/ address ("new" is a reserved slug, services.RESERVED_SLUGS).
    path("data/new/", dataset_new, name="commons_dataset_new"),
    path(DATASET + "import/", version_import, name="commons_import"),
    path(DATASET + "compare/", compare, name="commons_compare"),
    path(DATASET + "versions/<id:number>/", version_detail, name="commons_version"),
    path(DATASET + "versions/<id:number>/publish/", version_publish, name="commons_publish"),
]
