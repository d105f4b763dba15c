"""config.example.toml loads cleanly and documents every key the settings accept."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel

from briefings.config import ChannelSettings, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.toml"
UNDOCUMENTED = {"secrets", "source_path"}  # from the environment and the loader, never the file


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        if not prefix and name in UNDOCUMENTED:
            continue
        annotation = field.annotation
        candidates = getattr(annotation, "__args__", (annotation,))
        nested = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if nested is not None and nested is not ChannelSettings:
            keys |= _keys(nested, f"{prefix}{name}.")
        elif name == "channels":
            keys |= {f"channels.{key}" for key in ChannelSettings.model_fields}
        else:
            keys.add(f"{prefix}{name}")
    return keys


def test_example_config_is_valid() -> None:
    settings = load_settings(EXAMPLE, env={})
    assert settings.channels and settings.channels[0].timezone == "Europe/Berlin"


def test_example_config_mentions_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    missing = []
    for key in sorted(_keys(Settings)):
        name = key.rpartition(".")[2]
        # A key counts when it is set, or shown commented out, in its section.
        if not (f"\n{name} =" in text or f"\n# {name} =" in text):
            missing.append(key)
    assert not missing, f"config.example.toml does not document: {missing}"
    assert set(raw) <= set(Settings.model_fields)
