"""Errors that carry a message meant for the person who caused them.

Views turn them into a form error or a message; the API into a 4xx with the text;
commands into one plain line on stderr.
"""

from __future__ import annotations


class EdugovError(Exception):
    """Base for every error whose message is shown to the user as it is."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(EdugovError):
    status = 400


class PermissionDenied(EdugovError):
    status = 403


class NotFound(EdugovError):
    status = 404


class Conflict(EdugovError):
    """Someone else changed the record first; nothing was written."""

    status = 409


class RateLimited(EdugovError):
    status = 429


class StorageFailed(EdugovError):
    """A file could not be written (disk full, permissions, bucket unreachable); nothing was kept."""

    status = 503
