"""What every sub-command shares: the settings, read once, and the store, opened on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefings.config import Settings, load_settings
from briefings.store.base import ArticleStore


@dataclass
class CliContext:
    config_path: Path | None
    database_url: str | None
    _settings: Settings | None = field(default=None, init=False)
    _store: ArticleStore | None = field(default=None, init=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path, database_url=self.database_url)
        return self._settings

    @property
    def store(self) -> ArticleStore:
        if self._store is None:
            from briefings.store import open_store

            self._store = open_store(self.settings.database.url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
