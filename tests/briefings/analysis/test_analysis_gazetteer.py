"""Admin gazetteer files: they extend and override the bundled data, and bad ones are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.analysis import analyze_article, load_gazetteer
from briefings.errors import ConfigError

from .conftest import make_draft


def write(tmp_path: Path, text: str, name: str = "extra.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_admin_file_adds_aliases_people_organisations_and_cues(tmp_path):
    path = write(
        tmp_path,
        """
[countries.USA]
names = ["Uncle Sam"]

[[people]]
id = "ada-example"
name = "Ada Example"
offices = [{ role = "Foreign Minister", country = "ISL", start = 2025-01-01 }]

[[organisations]]
code = "NORDIC"
name = "Nordic Council"

[types.talks]
cues = ["powwow"]
""",
    )
    gazetteer = load_gazetteer([path])
    draft = make_draft("Talks", "Uncle Sam and Iceland held a powwow; Ada Example briefed the Nordic Council.")
    result = analyze_article(draft, gazetteer=gazetteer, summary_sentences=0)
    assert {"USA", "ISL"} <= set(result.country_codes)
    ada = next(p for p in result.people if p.name == "Ada Example")
    assert (ada.role, ada.country, ada.person_id) == ("Foreign Minister", "ISL", "ada-example")
    assert [o.code for o in result.organisations] == ["NORDIC"]
    assert result.primary_event.cue == "powwow"
    # The bundled gazetteer is untouched.
    plain = analyze_article(draft, summary_sentences=0)
    assert "USA" not in plain.country_codes


def test_admin_file_overrides_a_person(tmp_path):
    path = write(
        tmp_path,
        """
[[people]]
id = "xi-jinping"
name = "Xi Jinping"
short = ["Xi"]
offices = [{ role = "Chairman", country = "CHN", start = 2013-03-14 }]
""",
    )
    draft = make_draft("Talks", "Xi Jinping spoke.")
    result = analyze_article(draft, gazetteer=load_gazetteer([path]), summary_sentences=0)
    assert result.people[0].role == "Chairman"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[countries.ZZZ]\nnames = ["Atlantis"]\n', ["countries.ZZZ", "unknown country code 'ZZZ'"]),
        (
            '[[people]]\nid = "x"\nname = "X Y"\noffices = [{ role = "President", country = "CHN", start = "2020-13-01" }]\n',
            ["people[0] ('x')", "offices[0].start"],
        ),
        ('[[people]]\nid = "x"\nname = "X Y"\nnmae = "typo"\noffices = []\n', ["people[0] ('x')", "nmae: unknown key"]),
        ("[types.gossip]\ncues = [\"rumour\"]\n", ["types.gossip", "unknown event type"]),
        (
            '[[people]]\nid = "x"\nname = "X Y"\noffices = [{ role = "President", country = "CHN", start = 2020-01-01, end = 2019-01-01 }]\n',
            ["people[0] ('x')", "ends (2019-01-01) before it starts"],
        ),
        ('[[organisations]]\ncode = "A"\nname = "A"\n[[organisations]]\ncode = "A"\nname = "B"\n', ["organisations[1] ('A')", "more than once"]),
        ("this is = not toml [", ["not valid TOML"]),
    ],
)
def test_bad_files_are_refused_naming_file_entry_and_problem(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_gazetteer([path])
    message = str(error.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_gazetteer([tmp_path / "nope.toml"])
    assert "nope.toml" in str(error.value) and "no such gazetteer file" in str(error.value)


def test_edited_file_is_read_again(tmp_path):
    path = write(tmp_path, '[countries.FRA]\nnames = ["Hexagon Land"]\n')
    assert "FRA" in analyze_article(make_draft("T", "Hexagon Land voted."), gazetteer=load_gazetteer([path]), summary_sentences=0).country_codes
    path.write_text('[countries.FRA]\nnames = ["Gaul"]\n', encoding="utf-8")
    import os

    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 10))
    reloaded = load_gazetteer([path])
    assert "FRA" in analyze_article(make_draft("T", "Gaul voted."), gazetteer=reloaded, summary_sentences=0).country_codes


def test_admin_file_adds_background_and_topic_words(tmp_path):
    draft = make_draft(
        "Visits",
        "Peru and Chile held talks on Monday.",
        "Visitors from nations notably Kenya and Ghana were visiting India.",
        "Talks on the fate of Bolivia were held by Peru and Chile.",
    )
    plain = analyze_article(draft, summary_sentences=0)
    assert any(e.type.value == "visit" and not e.background for e in plain.events)
    assert any(e.type.value == "talks" and "BOL" in e.countries for e in plain.events)
    path = write(tmp_path, 'background_words = ["notably"]\ntopic_words = ["fate of"]\n')
    extended = analyze_article(draft, gazetteer=load_gazetteer([path]), summary_sentences=0)
    assert all(e.background for e in extended.events if e.type.value == "visit")
    assert not any("BOL" in e.countries for e in extended.events if e.type.value == "talks")
