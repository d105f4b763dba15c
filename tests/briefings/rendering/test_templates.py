"""Templates: bundled defaults, deployment overrides, named templates, the sandbox, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings.briefing.model import Briefing
from briefings.errors import ConfigError, NotFound, QueryError
from briefings.rendering import available_templates, render_briefing
from tests.briefings.rendering.factory import make_briefing, make_story


def test_override_folder_replaces_a_bundled_template_and_keeps_the_others(tmp_path: Path) -> None:
    (tmp_path / "briefing.markdown.j2").write_text(
        "{% import 'common.j2' as common %}HOUSE STYLE {{ b.edition }}\n"
        "{% for s in b.sections %}{% for story in s.stories %}* {{ story.headline }}\n{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    briefing = make_briefing([make_story(1)])
    markdown = render_briefing(briefing, fmt="markdown", templates_dir=tmp_path).text
    assert markdown.startswith("HOUSE STYLE Friday 6 February 2026")
    assert "* Leaders hold talks number 1" in markdown
    assert render_briefing(briefing, fmt="text", templates_dir=tmp_path).text.startswith("DAILY DIPLOMATIC")


def test_a_channel_picks_a_named_template(tmp_path: Path) -> None:
    (tmp_path / "compact.slack.j2").write_text(
        "{% extends 'briefing.slack.j2' %}", encoding="utf-8"
    )
    (tmp_path / "compact.discord.j2").write_text(
        "{% import 'briefing.discord.j2' as base %}"
        "{% macro masthead(b) %}Compact {{ b.edition }}{% endmacro %}"
        "{% macro continuation(b, i, n) %}{{ base.continuation(b, i, n) }}{% endmacro %}"
        "{% macro heading(kind) %}{{ base.heading(kind) }}{% endmacro %}"
        "{% macro empty(b) %}{{ base.empty(b) }}{% endmacro %}"
        "{% macro top_line_item(t) %}{{ t.text }}{% endmacro %}"
        "{% macro story(s) %}**{{ s.headline }}** — {{ s.outlets }}{% if s.cut_note %} {{ s.cut_note }}{% endif %}{% endmacro %}"
        "{% macro figure_name(f) %}{{ f.text }}{% endmacro %}"
        "{% macro figure_value(f) %}{{ f.description }}{% endmacro %}"
        "{% macro meeting(m) %}{{ m.countries }}{% endmacro %}"
        "{% macro watch_item(w) %}{{ w.day }}{% endmacro %}"
        "{% macro outlet(link) %}{{ link }}{% endmacro %}"
        "{% macro omitted(b) %}{{ b.omitted_note }}{% endmacro %}",
        encoding="utf-8",
    )
    briefing = make_briefing([make_story(1)])
    messages = render_briefing(briefing, fmt="discord", template="compact", templates_dir=tmp_path).messages
    assert messages[0]["content"] == "Compact Friday 6 February 2026"
    assert "Officials met" not in messages[0]["embeds"][1]["description"]
    assert "compact" in available_templates(tmp_path)
    with pytest.raises(NotFound, match=r"template 'compact' has no markdown version.*briefing"):
        render_briefing(briefing, fmt="markdown", template="compact", templates_dir=tmp_path)


def test_admin_templates_run_in_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "escape.text.j2").write_text(
        "{{ b.title.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"escape\.text\.j2"):
        render_briefing(make_briefing([make_story(1)]), fmt="text", template="escape", templates_dir=tmp_path)


def test_broken_template_is_reported_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "broken.markdown.j2").write_text("{% for x in %}", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.markdown\.j2 line 1"):
        render_briefing(make_briefing([]), fmt="markdown", template="broken", templates_dir=tmp_path)


def test_bad_names_and_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="letters, digits"):
        render_briefing(make_briefing([]), fmt="markdown", template="../etc/passwd")
    with pytest.raises(QueryError, match="format 'pdf' is unknown"):
        render_briefing(make_briefing([]), fmt="pdf")
    with pytest.raises(ConfigError, match="is not a folder"):
        render_briefing(make_briefing([]), fmt="markdown", templates_dir=tmp_path / "missing")


def test_html_template_autoescapes_even_in_overrides(tmp_path: Path) -> None:
    (tmp_path / "briefing.html.j2").write_text(
        "{% for s in b.sections %}{% for story in s.stories %}<h3>{{ story.headline }}</h3>{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    html = render_briefing(
        make_briefing([make_story(1, headline="<b>bold</b> & co")]), fmt="html", templates_dir=tmp_path
    ).text
    assert "<h3>&lt;b&gt;bold&lt;/b&gt; &amp; co</h3>" in html


def test_json_rendering_round_trips_the_briefing() -> None:
    briefing = make_briefing([make_story(1), make_story(2, section="Europe", outlets=("Harbour Line",))], omitted_stories=3)
    data = json.loads(render_briefing(briefing, fmt="json").text)
    assert data["story_count"] == 2
    assert Briefing.from_dict(data) == briefing
