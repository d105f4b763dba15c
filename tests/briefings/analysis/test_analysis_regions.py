"""The region table: every country has one region and one briefing section."""

from __future__ import annotations

import pycountry
import pytest

from briefings.analysis.regions import (
    REGIONS,
    SECTIONS,
    region_of,
    resolve_region,
    resolve_regions,
    section_of,
)
from briefings.errors import NotFound


def test_every_country_code_has_exactly_one_region():
    codes = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    members = [code for region in REGIONS.values() for code in region.members]
    assert len(members) == len(set(members))
    assert set(members) == codes
    assert {region.section for region in REGIONS.values()} <= set(SECTIONS)


@pytest.mark.parametrize(
    ("code", "region", "section"),
    [
        ("CHN", "east-asia", "East Asia & Pacific"), ("TWN", "east-asia", "East Asia & Pacific"),
        ("VNM", "southeast-asia", "East Asia & Pacific"), ("AUS", "oceania", "East Asia & Pacific"),
        ("IND", "south-asia", "South & Central Asia"), ("KAZ", "central-asia", "South & Central Asia"),
        ("IRN", "middle-east", "Middle East & North Africa"), ("EGY", "north-africa", "Middle East & North Africa"),
        ("NGA", "sub-saharan-africa", "Sub-Saharan Africa"), ("RUS", "europe", "Europe"),
        ("XKX", "europe", "Europe"), ("USA", "north-america", "Americas"), ("URY", "latin-america", "Americas"),
    ],
)  # fmt: skip
def test_region_and_section(code, region, section):
    assert region_of(code) == region
    assert section_of(code) == section


def test_no_country_is_global():
    assert section_of(None) == "Global & multilateral"
    with pytest.raises(NotFound):
        region_of("ZZZ")


@pytest.mark.parametrize(
    ("text", "region"),
    [("East Asia", "east-asia"), ("europe", "europe"), ("Middle East", "middle-east"), ("Africa", "sub-saharan-africa"), ("latin-america", "latin-america")],
)
def test_resolve_region(text, region):
    assert resolve_region(text) == region


def test_groups_and_suggestions():
    assert set(resolve_regions("Africa")) == {"sub-saharan-africa", "north-africa"}
    assert set(resolve_regions("Americas")) == {"north-america", "latin-america"}
    with pytest.raises(NotFound) as error:
        resolve_region("Eurpoe")
    assert "Eurpoe" in str(error.value) and "europe" in str(error.value)
