"""Application errors, each rendered as the seed-004 body {"error": {code, message, details, timestamp}}."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The seed-004 error body, as every refusal carries it (a response, or an event of an open stream)."""
    timestamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {"error": {"code": code, "message": message, "details": details or {}, "timestamp": timestamp}}


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class PreconditionFailed(AppError):
    status_code = 412
    code = "precondition_failed"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"


class ValidationFailed(AppError):
    """Input that parsed but breaks a rule; details name each bad field."""

    status_code = 422
    code = "validation_error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None) -> None:
        super().__init__(message, details={"fields": fields or {}}, code=code)


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retryAfter": retry_after})
        self.retry_after = retry_after


class InsufficientStorage(AppError):
    """The disk cannot take what the request would store (WebDAV's 507, which tus clients understand)."""

    status_code = 507
    code = "insufficient_storage"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """The database dropped the connection (a restart, a failover) and a retry on a new one failed too."""

    code = "database_unavailable"

    def __init__(self) -> None:
        super().__init__("The database connection was lost; please retry")


class DatabaseTimeout(ServiceUnavailable):
    """The database took longer than its deadline (GOLIVE_DB_*_TIMEOUT_SECONDS): frozen, overloaded, or a
    query the server cancelled."""

    code = "database_timeout"

    def __init__(self) -> None:
        super().__init__("The database did not answer in time; please retry")
