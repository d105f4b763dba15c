"""Log output for a production process: JSON lines (or plain text), never carrying a secret.

`configure_logging` installs one stderr handler on the root logger with a `SecretRedactor`
filter, which rewrites every record before any formatter sees it: anything shaped like a Slack
token (`xoxb-`, `xoxp-`, `xapp-`, ...), a Discord bot token, or an `Authorization` header value is
replaced by `[redacted]`, as are the exact secret values the settings hold, in the message, its
arguments, extra fields and the traceback text. JSON lines carry `time` (UTC, ISO 8601), `level`,
`logger`, `message`, any `extra={...}` fields, and `exception` when there is one.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from briefings.config import Settings

REDACTED = "[redacted]"
HANDLER_NAME = "briefbot"
LOG_FORMATS = ("text", "json")

SECRET_PATTERNS = (
    # Slack bot, user, app-level, refresh and configuration tokens.
    (re.compile(r"\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+"), REDACTED),
    # Discord bot tokens: base64 user id, timestamp, HMAC, separated by dots.
    (re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"), REDACTED),
    # An Authorization header's value, whatever the token inside looks like.
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:(?:bot|bearer)\s+)?[^\s\"',}]+"), r"\1" + REDACTED),
)

_SENSITIVE_KEY = re.compile(r"(?i)token|secret|authorization|password|api_key")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime", "taskName"}


class SecretRedactor(logging.Filter):
    """Replaces token-shaped text and the configured secret values in every record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in SECRET_PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string still gets logged, as written
            message = str(record.msg)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        # The traceback now lives in exc_text only, already redacted.
        record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD_ATTRIBUTES:
                record.__dict__[key] = self._redact_value(value)
        return True

    def _redact_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, (int, float, bool)) or value is None:
            return value
        if isinstance(value, dict):
            return {
                k: REDACTED if _SENSITIVE_KEY.search(str(k)) else self._redact_value(v) for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):
            return [self._redact_value(v) for v in value]
        return self.redact(str(value))


class JsonLineFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time level logger message key=value ...`, for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = [
            f"{key}={value}" for key, value in record.__dict__.items() if key not in _STANDARD_ATTRIBUTES
        ]
        if not extras:
            return line
        head, newline, rest = line.partition("\n")
        return f"{head} {' '.join(extras)}{newline}{rest}"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time of each record, as logging's last resort does."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(
    *, level: int, fmt: str = "text", secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Replace the root logger's handlers with one redacting handler in `fmt` ("text" or "json")."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format {fmt!r} is not one of {', '.join(LOG_FORMATS)}")
    handler: logging.Handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.addFilter(SecretRedactor(secrets))
    handler.setFormatter(JsonLineFormatter() if fmt == "json" else TextFormatter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    # Replace only a handler installed here before (a second `main()` in one process); handlers
    # others installed (a test runner's) stay.
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def add_secrets(secrets: Iterable[str]) -> None:
    """Teach the installed redactors the exact secret values once the settings are read."""
    for handler in logging.getLogger().handlers:
        for existing in handler.filters:
            if isinstance(existing, SecretRedactor):
                handler.removeFilter(existing)
                handler.addFilter(SecretRedactor([*existing._secrets, *secrets]))


def secret_values(settings: Settings) -> list[str]:
    """The secrets the settings hold, as plain strings, for `add_secrets`."""
    secrets = settings.secrets
    fields = (secrets.discord_token, secrets.slack_bot_token, secrets.slack_signing_secret,
              secrets.slack_app_token, secrets.summary_api_key)
    return [field.get_secret_value() for field in fields if field is not None]
