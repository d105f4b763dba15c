"""The few exception types briefbot raises, so callers can catch by meaning rather than by library."""

from __future__ import annotations


class BriefbotError(Exception):
    """Root of every error briefbot raises on purpose; its message is meant for the user."""


class ConfigError(BriefbotError):
    """The configuration file, an environment variable or a gazetteer file is wrong."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class IngestError(BriefbotError):
    """One input could not be read as an article; names the input and the problem."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class StoreError(BriefbotError):
    """The database could not be reached or refused an operation."""


class QueryError(BriefbotError):
    """A search query, date, filter or other user argument cannot be understood."""


class NotFound(BriefbotError):
    """A named thing (article, subscription, country, template) does not exist."""


class PermissionDenied(BriefbotError):
    """The user may not do this (only admins may change channel configuration)."""


class DeliveryError(BriefbotError):
    """A briefing could not be posted to a channel."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
