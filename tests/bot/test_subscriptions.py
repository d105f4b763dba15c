"""SubscriptionStore on SQLite and PostgreSQL: changes persist, are logged, notify, and merge with the file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as TimeOfDay

import pytest
import sqlalchemy as sa

from bot.subscriptions import (
    FILE_ACTOR,
    Actor,
    Subscription,
    SubscriptionChange,
    SubscriptionSettings,
    SubscriptionStore,
    settings_from_declaration,
)
from briefings.config import ChannelSettings
from briefings.errors import NotFound, StoreError
from briefings.store import open_database

ALICE = Actor("U1", "alice")
BOB = Actor("U2", "bob")


@pytest.fixture
def store(database_url: str) -> Iterator[SubscriptionStore]:
    database = open_database(database_url)
    try:
        yield SubscriptionStore(database.engine)
    finally:
        database.close()


def _upper(text: str) -> str:
    return {"china": "CHN", "russia": "RUS", "europe": "europe"}.get(text.lower(), text.upper())


def test_subscribe_persists_and_reopens(store: SubscriptionStore, database_url: str) -> None:
    settings = SubscriptionSettings(
        time_of_day=TimeOfDay(8, 0),
        timezone="Europe/Berlin",
        weekdays=(0, 1, 2, 3, 4),
        countries=("CHN", "RUS"),
        keywords=("arms sales",),
        empty_day="skip",
    )
    created, change = store.subscribe(
        platform="slack", channel_id="C1", settings=settings, actor=ALICE, workspace_id="T1", channel_name="news"
    )
    assert change.action == "subscribe"
    assert created.settings == settings
    reopened = open_database(database_url)
    try:
        again = SubscriptionStore(reopened.engine).get("slack", "C1")
    finally:
        reopened.close()
    assert again is not None
    assert again.settings == settings
    assert (again.workspace_id, again.channel_name, again.paused, again.source) == ("T1", "news", False, "chat")
    assert again.created_by == "alice (U1)"
    assert again.created_at.tzinfo is not None


def test_every_change_is_logged_newest_first(store: SubscriptionStore) -> None:
    store.subscribe(platform="slack", channel_id="C1", settings=SubscriptionSettings(), actor=ALICE)
    store.subscribe(
        platform="slack", channel_id="C1", settings=SubscriptionSettings(time_of_day=TimeOfDay(9, 30)), actor=BOB
    )
    store.set_paused("slack", "C1", paused=True, actor=ALICE)
    store.unsubscribe("slack", "C1", actor=BOB)
    history = store.history("slack", "C1")
    assert [c.action for c in history] == ["unsubscribe", "pause", "update", "subscribe"]
    assert history[2].changes == {"time": ["08:00", "09:30"]}
    assert history[2].actor == BOB
    assert history[1].changes == {"paused": [False, True]}
    assert store.get("slack", "C1") is None
    assert store.history("slack", "C1", limit=1)[0].action == "unsubscribe"


def test_listeners_hear_each_change_after_commit(store: SubscriptionStore) -> None:
    heard: list[tuple[str, Subscription | None, bool]] = []

    def listener(change: SubscriptionChange, subscription: Subscription | None) -> None:
        # The change is committed when the listener runs: a fresh read sees it.
        heard.append((change.action, subscription, store.get("discord", "42") is not None))

    store.add_listener(listener)
    store.subscribe(platform="discord", channel_id="42", settings=SubscriptionSettings(), actor=ALICE)
    store.set_paused("discord", "42", paused=True, actor=ALICE)
    store.unsubscribe("discord", "42", actor=ALICE)
    assert [h[0] for h in heard] == ["subscribe", "pause", "unsubscribe"]
    assert heard[1][1] is not None and heard[1][1].paused
    assert heard[2][1] is None
    assert [h[2] for h in heard] == [True, True, False]


def test_a_failing_listener_does_not_undo_the_change(store: SubscriptionStore) -> None:
    def broken(change: SubscriptionChange, subscription: Subscription | None) -> None:
        raise RuntimeError("scheduler is confused")

    store.add_listener(broken)
    store.subscribe(platform="slack", channel_id="C9", settings=SubscriptionSettings(), actor=ALICE)
    assert store.get("slack", "C9") is not None


def test_missing_subscription_is_not_found(store: SubscriptionStore) -> None:
    with pytest.raises(NotFound):
        store.set_paused("slack", "nope", paused=True, actor=ALICE)
    with pytest.raises(NotFound):
        store.unsubscribe("slack", "nope", actor=ALICE)
    with pytest.raises(NotFound):
        store.get_by_id(12345)


def test_status_for_the_scheduler_is_not_a_settings_change(store: SubscriptionStore) -> None:
    created, _ = store.subscribe(platform="slack", channel_id="C1", settings=SubscriptionSettings(), actor=ALICE)
    store.record_status(created.id, status="disabled", last_error="channel_not_found")
    stored = store.get_by_id(created.id)
    assert (stored.status, stored.last_error) == ("disabled", "channel_not_found")
    assert stored.last_error_at is not None
    assert [c.action for c in store.history("slack", "C1")] == ["subscribe"]


def test_an_admins_resume_or_change_restarts_a_disabled_subscription(store: SubscriptionStore) -> None:
    created, _ = store.subscribe(platform="slack", channel_id="C1", settings=SubscriptionSettings(), actor=ALICE)
    store.record_status(created.id, status="disabled", last_error="channel_not_found")
    resumed = store.set_paused("slack", "C1", paused=False, actor=BOB)
    assert resumed.status == "ok"
    assert store.history("slack", "C1")[0].changes["status"] == ["disabled", "ok"]

    store.record_status(created.id, status="disabled", last_error="not_in_channel")
    store.set_paused("slack", "C1", paused=True, actor=BOB)
    assert store.get_by_id(created.id).status == "disabled"  # pausing is not a fix
    changed, _ = store.subscribe(
        platform="slack", channel_id="C1", settings=SubscriptionSettings(timezone="Asia/Tokyo"), actor=ALICE
    )
    assert changed.status == "ok"


def test_list_filters_platform_and_paused(store: SubscriptionStore) -> None:
    store.subscribe(platform="slack", channel_id="C1", settings=SubscriptionSettings(), actor=ALICE)
    store.subscribe(platform="discord", channel_id="1", settings=SubscriptionSettings(), actor=ALICE)
    store.set_paused("discord", "1", paused=True, actor=ALICE)
    assert [s.channel_id for s in store.list_subscriptions()] == ["C1", "1"]
    assert [s.channel_id for s in store.list_subscriptions(platform="discord")] == ["1"]
    assert [s.channel_id for s in store.list_subscriptions(include_paused=False)] == ["C1"]


def _declare(**values: object) -> ChannelSettings:
    return ChannelSettings.model_validate({"platform": "slack", "channel": "C7", **values})


def _convert(entry: ChannelSettings) -> SubscriptionSettings:
    return settings_from_declaration(entry, resolve_country=_upper, resolve_region=_upper)


def test_file_channels_merge_with_chat_changes(store: SubscriptionStore) -> None:
    entry = _declare(time="07:00", timezone="Asia/Tokyo", weekdays="weekdays", countries=["china"])
    first = store.apply_declared([entry], settings_of=_convert)
    assert [c.action for c in first] == ["subscribe"]
    declared = store.get("slack", "C7")
    assert declared is not None and declared.source == "file"
    assert declared.settings.countries == ("CHN",)
    assert declared.settings.weekdays == (0, 1, 2, 3, 4)

    # An admin changes it in chat and pauses it; a restart with the same file keeps both.
    store.subscribe(
        platform="slack", channel_id="C7", settings=SubscriptionSettings(time_of_day=TimeOfDay(9, 0)), actor=ALICE, source="file"
    )
    store.set_paused("slack", "C7", paused=True, actor=ALICE)
    assert store.apply_declared([entry], settings_of=_convert) == []
    kept = store.get("slack", "C7")
    assert kept is not None and kept.settings.time_of_day == TimeOfDay(9, 0) and kept.paused

    # Editing the entry in the file applies it again (the pause stands: it is not a file setting).
    edited = _declare(time="06:30", timezone="Asia/Tokyo", weekdays="weekdays", countries=["china", "russia"])
    changes = store.apply_declared([edited], settings_of=_convert)
    assert [c.actor for c in changes] == [FILE_ACTOR]
    reapplied = store.get("slack", "C7")
    assert reapplied is not None
    assert reapplied.settings.time_of_day == TimeOfDay(6, 30)
    assert reapplied.settings.countries == ("CHN", "RUS")
    assert reapplied.paused

    # Removing it from the file removes the subscription.
    removed = store.apply_declared([], settings_of=_convert)
    assert [c.action for c in removed] == ["unsubscribe"]
    assert store.get("slack", "C7") is None


def test_chat_unsubscribe_of_a_file_channel_stands_until_the_file_changes(store: SubscriptionStore) -> None:
    entry = _declare(time="07:00")
    store.apply_declared([entry], settings_of=_convert)
    store.unsubscribe("slack", "C7", actor=ALICE)
    assert store.apply_declared([entry], settings_of=_convert) == []
    assert store.get("slack", "C7") is None
    store.apply_declared([_declare(time="07:15")], settings_of=_convert)
    back = store.get("slack", "C7")
    assert back is not None and back.settings.time_of_day == TimeOfDay(7, 15)


def test_a_file_entry_replaces_a_chat_subscription_of_the_same_channel(store: SubscriptionStore) -> None:
    store.subscribe(platform="slack", channel_id="C7", settings=SubscriptionSettings(timezone="UTC"), actor=ALICE)
    store.apply_declared([_declare(timezone="Europe/Paris")], settings_of=_convert)
    current = store.get("slack", "C7")
    assert current is not None and current.source == "file" and current.settings.timezone == "Europe/Paris"
    assert store.history("slack", "C7")[0].changes["source"] == ["chat", "file"]


def test_a_database_that_is_down_raises_store_error(tmp_path) -> None:
    engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    with pytest.raises(StoreError):
        SubscriptionStore(engine).get("slack", "C1")
    engine.dispose()


def test_clock_sets_change_times(database_url: str) -> None:
    moment = datetime(2026, 2, 5, 8, 0, tzinfo=UTC)
    database = open_database(database_url)
    try:
        store = SubscriptionStore(database.engine, clock=lambda: moment)
        store.subscribe(platform="slack", channel_id="C1", settings=SubscriptionSettings(), actor=ALICE)
        assert store.history("slack", "C1")[0].at == moment
    finally:
        database.close()
