"""Settings: read once from TOML and the environment, validated once, then passed around frozen."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import time as TimeOfDay
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError

from briefings.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///briefbot.db"
ENV_DATABASE_URL = "BRIEFBOT_DATABASE_URL"
ENV_DISCORD_TOKEN = "BRIEFBOT_DISCORD_TOKEN"
ENV_SLACK_BOT_TOKEN = "BRIEFBOT_SLACK_BOT_TOKEN"
ENV_SLACK_SIGNING_SECRET = "BRIEFBOT_SLACK_SIGNING_SECRET"
ENV_SLACK_APP_TOKEN = "BRIEFBOT_SLACK_APP_TOKEN"
ENV_SUMMARY_API_KEY = "BRIEFBOT_SUMMARY_API_KEY"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')") from exc
    return value


TimeZoneName = Annotated[str, AfterValidator(_check_zone)]


class DatabaseSettings(_Section):
    url: str = DEFAULT_DATABASE_URL


class AnalysisSettings(_Section):
    # Extra gazetteer files (TOML) merged over the bundled ones; see config.example.toml.
    gazetteer_files: tuple[Path, ...] = ()


class AbstractiveSettings(_Section):
    enabled: bool = False
    url: str = ""  # an OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1
    model: str = ""
    timeout_seconds: float = Field(default=20.0, gt=0)
    # The API key, if the endpoint needs one, comes from BRIEFBOT_SUMMARY_API_KEY.


class SummarySettings(_Section):
    sentences: int = Field(default=3, ge=1, le=20)
    abstractive: AbstractiveSettings = AbstractiveSettings()


class BriefingSettings(_Section):
    timezone: TimeZoneName = "UTC"
    edition_time: TimeOfDay = TimeOfDay(6, 0)
    window_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    group_by: Literal["region", "theme"] = "region"
    empty_day: Literal["post", "skip"] = "post"
    max_stories: int = Field(default=20, ge=1, le=200)
    templates_dir: Path | None = None


class SlackSettings(_Section):
    mode: Literal["socket", "http"] = "http"
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=0, le=65535)
    api_base_url: str = "https://slack.com/api/"
    admins: tuple[str, ...] = ()


class DiscordSettings(_Section):
    api_base_url: str | None = None  # REST base, e.g. a Discord REST proxy's http://host:port/api/v10
    gateway_url: str | None = None
    guild_ids: tuple[int, ...] = ()
    admins: tuple[int, ...] = ()


class ConsoleSettings(_Section):
    output_dir: Path = Path("briefbot-output")


class SchedulerSettings(_Section):
    enabled: bool = True
    grace_minutes: int = Field(default=180, ge=0)
    lease_seconds: float = Field(default=300, ge=1)
    leader_check_seconds: float = Field(default=5.0, gt=0)
    catch_up_seconds: float = Field(default=60.0, gt=0)
    shutdown_seconds: float = Field(default=20.0, gt=0)
    max_attempts: int = Field(default=6, ge=1)
    retry_base_seconds: float = Field(default=2.0, gt=0)  # first backoff; doubles each attempt, with jitter
    retry_max_seconds: float = Field(default=120.0, gt=0)
    # Several instances on one database: a crashed leader is replaced within leader_check_seconds
    # (PostgreSQL frees its advisory lock with its connection); elsewhere within lease_seconds.


class HealthSettings(_Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)


class CommandSettings(_Section):
    # Worker processes that run lookups in `briefbot run`; 0 runs them on threads in the bot process.
    processes: int = Field(default=2, ge=0, le=64)


class ChannelSettings(_Section):
    """A subscription declared in the file rather than through chat."""

    platform: Literal["slack", "discord", "console"]
    channel: str
    time: TimeOfDay = TimeOfDay(8, 0)
    timezone: TimeZoneName = "UTC"
    weekdays: str = "daily"  # "daily", "weekdays", or "mon,wed,fri"
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    format: str | None = None
    template: str | None = None
    window_hours: float | None = None
    empty_day: Literal["post", "skip"] | None = None


class Secrets(_Section):
    discord_token: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    summary_api_key: SecretStr | None = None  # for [summaries.abstractive]


class Settings(_Section):
    database: DatabaseSettings = DatabaseSettings()
    analysis: AnalysisSettings = AnalysisSettings()
    summaries: SummarySettings = SummarySettings()
    briefing: BriefingSettings = BriefingSettings()
    slack: SlackSettings | None = None
    discord: DiscordSettings | None = None
    console: ConsoleSettings = ConsoleSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    health: HealthSettings = HealthSettings()
    commands: CommandSettings = CommandSettings()
    channels: tuple[ChannelSettings, ...] = ()
    secrets: Secrets = Secrets()
    source_path: Path | None = None


def _secrets_from(env: Mapping[str, str]) -> dict[str, Any]:
    names = {
        "discord_token": ENV_DISCORD_TOKEN,
        "slack_bot_token": ENV_SLACK_BOT_TOKEN,
        "slack_signing_secret": ENV_SLACK_SIGNING_SECRET,
        "slack_app_token": ENV_SLACK_APP_TOKEN,
        "summary_api_key": ENV_SUMMARY_API_KEY,
    }
    return {key: env[var] for key, var in names.items() if env.get(var)}


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{location}: {message}"


def load_settings(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    database_url: str | None = None,
) -> Settings:
    """Read, validate and freeze the settings; raises ConfigError listing every problem.

    Precedence for the database: the `database_url` argument (`--db`), then
    BRIEFBOT_DATABASE_URL, then `[database] url`, then a local SQLite file.
    """
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    where = "(defaults)"
    if path is not None:
        where = str(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: no such config file") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be read ({exc})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        if "secrets" in raw:
            raise ConfigError(
                f"{path}: secrets: secrets are never read from the file; set "
                f"{ENV_DISCORD_TOKEN}, {ENV_SLACK_BOT_TOKEN}, {ENV_SLACK_SIGNING_SECRET} or "
                f"{ENV_SLACK_APP_TOKEN} in the environment"
            )
    raw["secrets"] = _secrets_from(env)
    raw["source_path"] = path
    database = dict(raw.get("database") or {})
    if database_url:
        database["url"] = database_url
    elif env.get(ENV_DATABASE_URL):
        database["url"] = env[ENV_DATABASE_URL]
    raw["database"] = database
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{where}: {_describe(err)}" for err in exc.errors()]
        raise ConfigError("\n".join(problems), problems=problems) from exc
