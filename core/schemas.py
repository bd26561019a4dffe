"""What every JSON API schema shares: ``Input`` and the ``Id`` type, the error shapes, paging,
and the people and hiding notices every app's output names.

``Input`` refuses fields it does not declare (a misspelt ``titel`` is a 422 naming it, not a
silently ignored edit) and text holding a NUL character (PostgreSQL refuses those; SQLite would
store them). Both errors name the field, like every other validation error of the API.
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from core.params import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(Schema):
    """The base of every input schema (JSON bodies and query parameters)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise PydanticCustomError(
                "nul_character", "Text may not contain a NUL character (\\x00)."
            )
        return value


# Required text: surrounding spaces trimmed, then 1..N characters (N as in the models).
def required(n: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=n)


Cursor = Annotated[str, StringConstraints(max_length=200)]
Size = Annotated[int, Field(ge=1, le=100)]
# Text that looks like it identifies someone (an NHI or phone number, a date of birth, an
# e-mail address) is a 422 naming the field (type "identifying") unless this is true.
ConfirmNotIdentifying = Annotated[
    bool,
    Field(
        description="Post even though the text looks like it identifies someone (an NHI or "
        "phone number, a date of birth, an e-mail address): you have checked that it does not."
    ),
]


class PageIn(Input):
    cursor: Cursor | None = None
    size: Size = 20


# --- errors (the shapes config/api.py produces; declared here for the OpenAPI schema) ---------


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str | None = Field(description="The input field at fault, or null for the whole.")
    message: str
    type: str = Field(description="A machine-readable code, e.g. string_too_long, invalid.")
    loc: list[str | int] = Field(description="Where the field is: body, query or path, then …")


class ValidationErrorOut(Schema):
    detail: list[FieldError]


READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 429: ErrorOut}
# A body that is not JSON at all (or not UTF-8) is a 400: nothing in it can be named.
BODY_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 400: ErrorOut}


# --- people and notices, as every output names them (no queries: the selectors fetched them) --


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str


class PersonOut(Schema):
    id: int
    name: str
    organisation: OrganisationOut | None


class HiddenOut(Schema):
    by: str | None
    reason: str
    at: datetime


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def organisation_out(organisation: Any) -> dict[str, Any] | None:
    if organisation is None:
        return None
    return {"id": organisation.pk, "slug": organisation.slug, "name": organisation.name}


def person_out(user: Any) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
    return {
        "id": user.pk,
        "name": profile.display_name if profile is not None else "Someone",
        "organisation": organisation_out(profile.organisation if profile is not None else None),
    }


def hidden_out(obj: Any) -> dict[str, Any] | None:
    if obj.hidden_at is None:
        return None
    return {"by": obj.hidden_by_name, "reason": obj.hidden_reason, "at": obj.hidden_at}
