"""Finding and loading briefing templates: a deployment's folder first, then the bundled ones.

Template files are named `<name>.<format>.j2`: the bundled `briefing.markdown.j2`,
`briefing.discord.j2`, ... and their shared pieces (`macros.<format>.j2`, `common.j2`). A
deployment overrides any of them by putting a file of the same name in `[briefing] templates_dir`,
and adds named templates (`compact.slack.j2`) that a channel selects with `template = "compact"`.
Every template, bundled or not, runs in Jinja2's SandboxedEnvironment; templates whose name
contains `.html` autoescape.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    FunctionLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
)
from jinja2.sandbox import SandboxedEnvironment

from briefings.errors import ConfigError, NotFound

TEMPLATE_PACKAGE = "briefbot_templates"
DEFAULT_TEMPLATE = "briefing"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _bundled_source(name: str) -> tuple[str, str, object] | None:
    resource = files(TEMPLATE_PACKAGE).joinpath(name)
    if ".." in name.split("/") or not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), f"{TEMPLATE_PACKAGE}/{name}", lambda: True


def _autoescape(name: str | None) -> bool:
    return name is not None and ".html" in name


@lru_cache(maxsize=16)
def template_environment(templates_dir: Path | None = None) -> SandboxedEnvironment:
    """The sandboxed environment over an optional override folder and the bundled templates."""
    loaders: list[FileSystemLoader | FunctionLoader] = []
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise ConfigError(f"briefing.templates_dir: {templates_dir} is not a folder")
        loaders.append(FileSystemLoader(str(templates_dir)))
    loaders.append(FunctionLoader(_bundled_source))  # type: ignore[arg-type]
    return SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def available_templates(templates_dir: Path | None = None) -> dict[str, set[str]]:
    """Template name -> formats it exists for, bundled and overridden."""
    names: dict[str, set[str]] = {}
    entries = [p.name for p in files(TEMPLATE_PACKAGE).iterdir()]
    if templates_dir is not None and templates_dir.is_dir():
        entries += [p.name for p in templates_dir.iterdir()]
    for entry in entries:
        parts = entry.split(".")
        if len(parts) == 3 and parts[2] == "j2" and parts[0] not in {"macros", "common"}:
            names.setdefault(parts[0], set()).add(parts[1])
    return names


def load_template(*, name: str | None, fmt: str, templates_dir: Path | None = None) -> Template:
    """The template `<name>.<fmt>.j2`; NotFound names the template and lists those that exist."""
    name = name or DEFAULT_TEMPLATE
    if not _NAME.match(name):
        raise NotFound(f"template {name!r}: a template name is letters, digits, '-' and '_'")
    try:
        return template_environment(templates_dir).get_template(f"{name}.{fmt}.j2")
    except TemplateNotFound as exc:
        known = sorted(n for n, formats in available_templates(templates_dir).items() if fmt in formats)
        raise NotFound(
            f"template {name!r} has no {fmt} version ({name}.{fmt}.j2); available for {fmt}: {', '.join(known)}"
        ) from exc
