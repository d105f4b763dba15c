"""The Slack adapter through slack-bolt over real HTTP: signed slash commands in, recorded Web API calls out."""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack import SlackAdapter
from briefings.analysis.model import Analysis, CountryMention
from briefings.briefing.compiler import compile_briefing
from briefings.config import SlackSettings
from briefings.errors import ConfigError, DeliveryError
from briefings.models import ArticleDraft, Block
from tests.bot.adapters.scenarios import (
    CHANNEL,
    SCENARIOS,
    Observed,
    Step,
    run_scenario,
    scenario_ids,
    subscription_snapshot,
)
from tests.bot.adapters.slack_server import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackServer,
    encode_form,
    signed_headers,
    slash_command_body,
)
from tests.bot.newsroom import NOW, Newsroom, build_newsroom

ADMIN, MEMBER, OWNER, CONFIG_ADMIN = "UADMIN", "UMEMBER", "UOWNER", "UCONFIG"
_keys = itertools.count(1)


@pytest.fixture
async def slack() -> AsyncIterator[SlackServer]:
    server = SlackServer(admins={ADMIN}, owners={OWNER})
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def newsroom(sqlite_url: str) -> Newsroom:
    return build_newsroom(sqlite_url)


@pytest.fixture
async def adapter(slack: SlackServer, newsroom: Newsroom) -> AsyncIterator[SlackAdapter]:
    bot = SlackAdapter(
        settings=SlackSettings(mode="http", host="127.0.0.1", port=0, api_base_url=slack.api_url, admins=(CONFIG_ADMIN,)),
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        dispatcher=newsroom.dispatcher,
    )
    await bot.start()
    yield bot
    await bot.stop()
    newsroom.close()


async def send_command(
    bot: SlackAdapter,
    slack: SlackServer,
    text: str,
    *,
    user_id: str = ADMIN,
    channel_id: str = CHANNEL,
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> tuple[aiohttp.ClientResponse, str, str]:
    """POST a signed slash command to the bolt app; returns the response, its body and the
    response_url key its replies will be recorded under."""
    key = f"k{next(_keys)}"
    form = encode_form(slash_command_body(text, user_id=user_id, channel_id=channel_id, response_url=slack.response_url(key)))
    payload = form if body is None else body
    url = f"http://127.0.0.1:{bot.port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=payload.encode(), headers=headers or signed_headers(form)) as response,
    ):
        return response, await response.text(), key


def seen_text(payloads: list[dict[str, Any]]) -> str:
    """What a user reads in Slack's responses: texts and block texts, escapes and bold removed."""
    parts: list[str] = []
    for payload in payloads:
        blocks = payload.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if not blocks:
            parts.append(payload.get("text", ""))
        for block in blocks:
            if block.get("type") in ("section", "header"):
                parts.append(block["text"]["text"])
                parts.extend(f["text"] for f in block.get("fields", []))
            elif block.get("type") == "context":
                parts.extend(e.get("text", "") for e in block["elements"])
    text = html.unescape("\n".join(parts)).replace("\u200b", "")
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 \1", text)
    return re.sub(r"(?<!\w)\*(.+?)\*(?!\w)", r"\1", text)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=scenario_ids())
async def test_shared_scenarios_on_slack(scenario, adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom) -> None:
    async def drive(step: Step, room: Newsroom) -> Observed:
        response, body, key = await send_command(adapter, slack, step.text, user_id=ADMIN if step.admin else MEMBER)
        assert response.status == 200 and body == "", "the command must be acknowledged with an empty 200"
        calls = await slack.settle(f"respond/{key}")
        payloads = [c.body for c in calls]
        kinds = {p.get("response_type") for p in payloads}
        assert len(kinds) == 1
        return Observed(seen_text(payloads), private=kinds == {"ephemeral"})

    await run_scenario(scenario, newsroom, drive, platform="slack", channel_id=CHANNEL)


async def test_the_ack_comes_first_and_the_answer_through_response_url(adapter: SlackAdapter, slack: SlackServer) -> None:
    response, body, key = await send_command(adapter, slack, "search partnership")
    assert (response.status, body) == (200, "")
    [call] = await slack.settle(f"respond/{key}")
    assert call.body["response_type"] == "ephemeral"
    assert "Xi and Putin pledge deeper partnership" in seen_text([call.body])
    assert slack.calls_to("auth.test"), "bolt authorizes with auth.test on the loopback Web API"
    assert not slack.calls_to("users.info"), "lookups never ask who is an admin"


async def test_search_highlights_matches_in_bold_and_escapes_article_text(
    adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom
) -> None:
    draft = ArticleDraft(
        title="Envoy posts <!channel> & <@U999> in protest note",
        blocks=(Block("paragraph", "The envoy wrote <!here> in a protest note about fishing rights & quotas."),),
        source="Harbour Times",
        origin="test",
        url="https://news.example/protest-note",
        published_at=datetime(2026, 2, 4, 9, 0, tzinfo=UTC),
    )
    newsroom.store.add(draft, analysis=Analysis(countries=(CountryMention("JPN", "Japan", 1, ("Japan",)),)))
    _, _, key = await send_command(adapter, slack, "search protest note")
    [call] = await slack.settle(f"respond/{key}")
    raw = call.body["text"] + str(call.body["blocks"])
    assert "<!channel>" not in raw and "<@U999>" not in raw and "<!here>" not in raw
    assert "&lt;!channel&gt;" in raw and "&amp;" in raw
    assert "*protest*" in raw or "*note*" in raw, "search matches are shown in bold"


async def test_forged_tampered_stale_or_unsigned_requests_get_401_before_any_handler(
    adapter: SlackAdapter, slack: SlackServer
) -> None:
    form = encode_form(slash_command_body("subscribe 08:00 UTC", user_id=ADMIN, channel_id=CHANNEL,
                                          response_url=slack.response_url("forged")))
    cases = {
        "wrong secret": (signed_headers(form, secret="not-the-secret"), form),
        "tampered body": (signed_headers(form), form.replace("08%3A00", "09%3A00")),
        "stale timestamp": (signed_headers(form, timestamp=int(time.time()) - 301), form),
        "no signature": ({"Content-Type": "application/x-www-form-urlencoded"}, form),
    }
    for name, (headers, body) in cases.items():
        response, _, _ = await send_command(adapter, slack, "ignored", headers=headers, body=body)
        assert response.status == 401, name
    assert not slack.calls_to("respond/forged")
    assert not slack.calls_to("users.info")
    assert slack.calls_to("auth.test") == [], "rejected before bolt's authorization ran"


async def test_workspace_owners_and_configured_admins_are_admins(
    adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom
) -> None:
    for user, channel in ((OWNER, "COWNER01"), (CONFIG_ADMIN, "CCONFIG1")):
        _, _, key = await send_command(adapter, slack, "subscribe 07:00 UTC", user_id=user, channel_id=channel)
        await slack.settle(f"respond/{key}")
        subscription = newsroom.subscriptions.get("slack", channel)
        assert subscription is not None and subscription.created_by.endswith(f"({user})")
    asked = [c.body.get("user") for c in slack.calls_to("users.info")]
    assert OWNER in asked and CONFIG_ADMIN not in asked, "config admins need no users.info call"


async def test_a_member_is_refused_privately_and_nothing_changes(
    adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom
) -> None:
    before = subscription_snapshot(newsroom)
    for text in ("subscribe 08:00 UTC", "pause", "unsubscribe", "preview", "history", "settings"):
        _, _, key = await send_command(adapter, slack, text, user_id=MEMBER)
        [call] = await slack.settle(f"respond/{key}", quiet=0.1)
        assert call.body["response_type"] == "ephemeral"
        assert "only admins" in seen_text([call.body]).lower()
    assert subscription_snapshot(newsroom) == before
    assert not slack.calls_to("chat.postMessage")


async def test_shared_briefing_goes_to_the_channel_with_a_caption(adapter: SlackAdapter, slack: SlackServer) -> None:
    _, _, key = await send_command(adapter, slack, "brief share")
    calls = await slack.settle(f"respond/{key}")
    assert {c.body["response_type"] for c in calls} == {"in_channel"}
    first_blocks = calls[0].body["blocks"]
    assert first_blocks[0]["type"] == "context" and "Briefing for 5 Feb 2026" in first_blocks[0]["elements"][0]["text"]
    assert "Xi and Putin pledge deeper partnership" in seen_text([c.body for c in calls])


async def test_post_briefing_escapes_nothing_back_and_turns_unfurling_off(
    adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom
) -> None:
    draft = ArticleDraft(
        title="Minister tells <!channel> that talks <@U42> resume",
        blocks=(Block("paragraph", "Talks between Japan & Korea resume <!everyone> on Monday, the minister said."),),
        source="Harbour Times",
        origin="test",
        url="https://news.example/talks-resume",
        published_at=datetime(2026, 2, 4, 20, 0, tzinfo=UTC),
    )
    newsroom.store.add(
        draft,
        analysis=Analysis(
            countries=(CountryMention("JPN", "Japan", 1, ("Japan",)), CountryMention("KOR", "South Korea", 1, ("Korea",))),
            summary=draft.paragraphs,
        ),
    )
    briefing = compile_briefing(newsroom.store, edition_date=date(2026, 2, 5), timezone="UTC", now=NOW)
    ids = await adapter.post_briefing("CDESK001", briefing)
    posts = slack.calls_to("chat.postMessage")
    assert ids and len(ids) == len(posts)
    for post in posts:
        assert post.body["channel"] == "CDESK001"
        assert post.body["unfurl_links"] is False and post.body["unfurl_media"] is False
        raw = post.body["text"] + str(post.body.get("blocks"))
        assert "<!channel>" not in raw and "<!everyone>" not in raw and "<@U42>" not in raw
    assert "&lt;!channel&gt;" in "".join(p.body["text"] + str(p.body.get("blocks")) for p in posts)


@pytest.mark.parametrize(
    ("failure", "retryable", "retry_after"),
    [
        ((200, {"ok": False, "error": "channel_not_found"}, {}), False, None),
        ((200, {"ok": False, "error": "not_in_channel"}, {}), False, None),
        ((429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"}), True, 7.0),
        ((503, {"ok": False, "error": "service_unavailable"}, {}), True, None),
    ],
)
async def test_delivery_errors_say_whether_to_retry(
    adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom, failure, retryable: bool, retry_after: float | None
) -> None:
    slack.failures["CFAIL001"] = failure
    briefing = compile_briefing(newsroom.store, edition_date=date(2026, 2, 5), timezone="UTC", now=NOW)
    with pytest.raises(DeliveryError) as caught:
        await adapter.post_briefing("CFAIL001", briefing)
    assert caught.value.retryable is retryable
    assert caught.value.retry_after == retry_after
    assert "CFAIL001" in str(caught.value)


async def test_an_unreachable_slack_is_a_retryable_delivery_error(newsroom: Newsroom) -> None:
    bot = SlackAdapter(
        settings=SlackSettings(mode="http", port=0, api_base_url="http://127.0.0.1:9/api/"),
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        dispatcher=newsroom.dispatcher,
    )
    briefing = compile_briefing(newsroom.store, edition_date=date(2026, 2, 5), timezone="UTC", now=NOW)
    with pytest.raises(DeliveryError) as caught:
        await bot.post_briefing("C1", briefing)
    assert caught.value.retryable
    newsroom.close()


def test_missing_secrets_for_the_mode_are_config_errors(newsroom: Newsroom) -> None:
    with pytest.raises(ConfigError, match="SIGNING_SECRET"):
        SlackAdapter(settings=SlackSettings(mode="http"), bot_token=BOT_TOKEN, dispatcher=newsroom.dispatcher)
    with pytest.raises(ConfigError, match="APP_TOKEN"):
        SlackAdapter(settings=SlackSettings(mode="socket"), bot_token=BOT_TOKEN, dispatcher=newsroom.dispatcher)
    newsroom.close()


async def test_socket_mode_answers_a_slash_command_over_a_loopback_websocket(slack: SlackServer, newsroom: Newsroom) -> None:
    bot = SlackAdapter(
        settings=SlackSettings(mode="socket", api_base_url=slack.api_url),
        bot_token=BOT_TOKEN,
        app_token=APP_TOKEN,
        dispatcher=newsroom.dispatcher,
    )
    await bot.start()
    try:
        assert bot.socket_handler is not None and bot.socket_handler.app_token == APP_TOKEN
        [opened] = slack.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
        payload = slash_command_body("search partnership", user_id=MEMBER, channel_id=CHANNEL,
                                     response_url=slack.response_url("socket"))
        await slack.socket_envelopes.put(
            {"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True, "payload": payload}
        )
        ack = await asyncio.wait_for(slack.socket_acks.get(), timeout=10)
        assert ack["envelope_id"] == "env-1"
        [call] = await slack.settle("respond/socket")
        assert "Xi and Putin pledge deeper partnership" in seen_text([call.body])
    finally:
        await bot.stop()
        newsroom.close()
