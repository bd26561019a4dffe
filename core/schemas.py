"""What every JSON API input schema shares: ``Input`` and the ``Id`` type.

``Input`` refuses fields it does not declare (a misspelt ``titel`` is a 422 naming it, not a
silently ignored edit) and text holding a NUL character (PostgreSQL refuses those; SQLite would
store them). Both errors name the field, like every other validation error of the API.
"""

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
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
