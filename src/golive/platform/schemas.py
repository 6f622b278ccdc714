"""The wire base: camelCase JSON names (the seeds' names), snake_case in Python."""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class InputModel(CamelModel):
    """Request bodies: unknown fields are an error, so a typo never passes silently."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


ItemT = TypeVar("ItemT")


class Page(CamelModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int


class ItemList(CamelModel, Generic[ItemT]):
    items: list[ItemT]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, object]
    timestamp: str


class ErrorResponse(BaseModel):
    """The seed-004 error format, returned with every 4xx and 5xx."""

    error: ErrorBody


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """Serializes once, skipping FastAPI's second validation of a model we just built ourselves."""
    return Response(model.model_dump_json(by_alias=True), status_code=status_code, media_type="application/json")
