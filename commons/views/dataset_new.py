"""Adding a dataset (a steward of an organisation): what it is, where it came from and its
first CSV file; then what each column of the file's header is; then the dataset and its first
version are created together, as a draft.

The file is not kept between the two steps: step 1 reads only its header row, and step 2 asks
for the same file again (the page shows the header it read, and the importer refuses a file
whose header differs). Keeping it on the server instead would leave a file of raw, unrounded
counts on disk for every form a steward abandons, for something to clean up, and would tie the
two requests to one machine's temporary directory. What was typed is carried in the form
itself, so nothing is held in the session either.

Creating the dataset and importing its first version run in one transaction: a row the
importer refuses leaves no dataset, code, cohort or version behind, and the page names the row
and column beside the form with everything typed still in it.
"""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commons import permissions, services
from commons.forms import upload as upload_form
from commons.forms.dataset import NATIONAL_AREA, ColumnsForm, DatasetForm, read_header
from commons.importing import ImportRefused
from people.models import Organisation

STEWARDS_ONLY = (
    "Only a steward of an organisation can add a dataset: ask your organisation to make you "
    "one of its stewards."
)
COLUMNS, CREATE = "columns", "create"
COLUMN_IDS = "col_%s"  # apart from the details form's ids, on the same page


def _organisation(request: HttpRequest) -> Organisation:
    """The organisation the signed-in person is a steward of; a 403 page for anyone else."""
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    organisation = getattr(profile, "organisation", None)
    if not permissions.is_steward_of(request.user, organisation):
        raise PermissionDenied(STEWARDS_ONLY)
    assert organisation is not None  # is_steward_of is False without one
    return organisation


def _header(request: HttpRequest) -> list[str] | None:
    """The header read in step 1, as step 2's page carried it (checked against the file)."""
    try:
        header = json.loads(request.POST.get("header", ""))
    except ValueError:
        return None
    if isinstance(header, list) and header and all(isinstance(h, str) for h in header):
        return header
    return None


def dataset_new(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    posted = request.method == "POST"
    step = request.POST.get("step") if posted else None
    header = _header(request) if step == CREATE else None
    details = DatasetForm(request.POST if posted else None, request.FILES if posted else None)
    columns: ColumnsForm | None = None
    refused: ImportRefused | None = None
    if header is not None:
        columns = ColumnsForm(header, request.POST, auto_id=COLUMN_IDS)
        if details.is_valid() and columns.is_valid():
            upload = details.cleaned_data["file"]
            if _same_header(details, upload, header):
                done = _create(request, organisation, details, columns)
                if isinstance(done, ImportRefused):
                    refused = done
                elif done is not None:
                    return done
    elif posted and details.is_valid():
        try:
            header = read_header(details.cleaned_data["file"])
        except ValidationError as error:
            details.add_error("file", error)
        else:
            columns = ColumnsForm(header, auto_id=COLUMN_IDS)
    context: dict[str, Any] = {
        "organisation": organisation,
        "form": details,
        "columns": columns,
        "header": header,
        "header_json": json.dumps(header) if header else "",
        "refused": refused,
        "national_area": NATIONAL_AREA,
        "max_upload": upload_form.MAX_UPLOAD_TEXT,
    }
    failed = posted and (refused is not None or bool(details.errors) or _failed(columns))
    return render(request, "commons/dataset_new.html", context, status=400 if failed else 200)


def _failed(columns: ColumnsForm | None) -> bool:
    return columns is not None and columns.is_bound and bool(columns.errors)


def _same_header(details: DatasetForm, upload: Any, header: list[str]) -> bool:
    """Step 2's file must be the one whose columns were chosen."""
    try:
        again = read_header(upload)
    except ValidationError as error:
        details.add_error("file", error)
        return False
    if again != header:
        details.add_error(
            "file",
            "This file's header is not the one the columns below were chosen for "
            f"({', '.join(again)}). Choose the same file again, or start over for a new one.",
        )
        return False
    return True


def _create(
    request: HttpRequest, organisation: Organisation, details: DatasetForm, columns: ColumnsForm
) -> HttpResponse | ImportRefused | None:
    """The dataset and its first version, together or not at all. A redirect to the new
    draft; the importer's refusal; or None when a field was refused (added to the form)."""
    upload = details.cleaned_data["file"]
    fields = details.dataset_fields()
    try:
        with transaction.atomic():
            dataset = services.dataset_create(
                actor=request.user,
                steward=organisation,
                slug=details.cleaned_data["slug"],
                mapping=columns.cleaned_data["mapping"],
                **fields,
            )
            version = services.import_version(
                actor=request.user, dataset=dataset, source=upload, file_name=upload.name or ""
            )
    except ImportRefused as refused:
        return refused
    except ValidationError as error:
        _add_errors(details, error)
        return None
    messages.success(
        request,
        f"“{dataset.title}” is added, with version 1 imported: {version.row_count:,} rows, "
        f"{version.cell_count:,} values. It is a draft — nobody else sees it until you "
        "publish it.",
    )
    return redirect(
        reverse("commons_version", kwargs={"slug": dataset.slug, "number": version.number})
    )


def _add_errors(form: DatasetForm, error: ValidationError) -> None:
    """A service's or model's refusal beside the field it is about (the slug taken or
    reserved), or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        if field == "slug" and any("already exists" in p for p in problems):
            problems = ["A dataset already has this address: choose another."]
        form.add_error(field if field in form.fields else None, problems)
