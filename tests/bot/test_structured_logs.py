"""Structured log lines: JSON fields, and no secret in any part of a record."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.structured_logs import REDACTED, add_secrets, configure_logging

SLACK_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp"
APP_TOKEN = "xapp-1-A0123-456789-abcdef0123456789"
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = configure_logging(level=logging.INFO, fmt="json", stream=out)
    yield out
    logging.getLogger().removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_time_level_logger_message_and_extra_fields(stream: io.StringIO) -> None:
    logging.getLogger("bot.delivery").info("delivered %s", "edition", extra={"subscription": 4, "late": True})
    [entry] = lines(stream)
    assert entry["level"] == "info" and entry["logger"] == "bot.delivery"
    assert entry["message"] == "delivered edition"
    assert entry["subscription"] == 4 and entry["late"] is True
    assert str(entry["time"]).endswith("+00:00")


def test_no_token_reaches_the_log_in_message_arguments_extras_or_tracebacks(stream: io.StringIO) -> None:
    add_secrets([SIGNING_SECRET])
    log = logging.getLogger("bot.adapters")
    log.warning("posting with %s and %s", SLACK_TOKEN, DISCORD_TOKEN,
                extra={"headers": {"Authorization": "Bot abc.def.ghi"}, "app": APP_TOKEN})
    log.info("request headers: {'Authorization': 'Bearer opaque-value-123'}")
    try:
        raise RuntimeError(f"bad signature with secret {SIGNING_SECRET}")
    except RuntimeError:
        log.exception("verification failed")
    text = stream.getvalue()
    for secret in (SLACK_TOKEN, APP_TOKEN, DISCORD_TOKEN, SIGNING_SECRET, "abc.def.ghi", "opaque-value-123"):
        assert secret not in text
    first, second, third = lines(stream)
    assert first["message"] == f"posting with {REDACTED} and {REDACTED}"
    assert first["headers"] == {"Authorization": REDACTED} and first["app"] == REDACTED
    assert REDACTED in str(second["message"])
    assert "RuntimeError: bad signature with secret [redacted]" in str(third["exception"])
