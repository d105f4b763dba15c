"""Regions of the world for briefing sections and filters, from the table in data/regions.toml."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from importlib import resources

from briefings.analysis import messages
from briefings.errors import NotFound


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    title: str
    section: str
    members: frozenset[str]
    aliases: tuple[str, ...] = ()


def _load() -> tuple[dict[str, Region], tuple[str, ...], str]:
    raw = tomllib.loads((resources.files("briefings.analysis") / "data" / "regions.toml").read_text(encoding="utf-8"))
    regions = {
        region_id: Region(
            id=region_id,
            title=item["title"],
            section=item["section"],
            members=frozenset(item["members"]),
            aliases=tuple(item.get("aliases", ())),
        )
        for region_id, item in raw["regions"].items()
    }
    return regions, tuple(raw["sections"]["order"]), raw["sections"]["global"]


REGIONS, SECTIONS, GLOBAL_SECTION = _load()
_REGION_OF = {code: region.id for region in REGIONS.values() for code in region.members}

# Names that cover several fine regions; `resolve_region` returns the first of each group.
_GROUPS: dict[str, tuple[str, ...]] = {
    "africa": ("sub-saharan-africa", "north-africa"),
    "asia": ("east-asia", "southeast-asia", "south-asia", "central-asia"),
    "asia-pacific": ("east-asia", "southeast-asia", "oceania"),
    "asia pacific": ("east-asia", "southeast-asia", "oceania"),
    "indo-pacific": ("east-asia", "southeast-asia", "oceania", "south-asia"),
    "americas": ("north-america", "latin-america"),
    "the americas": ("north-america", "latin-america"),
    "mena": ("middle-east", "north-africa"),
    "middle east and north africa": ("middle-east", "north-africa"),
}


def _names() -> dict[str, tuple[str, ...]]:
    names: dict[str, tuple[str, ...]] = dict(_GROUPS)
    for section in SECTIONS:
        members = tuple(r.id for r in REGIONS.values() if r.section == section)
        if members:
            names.setdefault(section.casefold(), members)
            names.setdefault(section.casefold().replace("&", "and"), members)
    for region in REGIONS.values():
        for name in (region.id, region.id.replace("-", " "), region.title, *region.aliases):
            names[name.casefold()] = (region.id,)
    return names


_NAMES = _names()


def region_of(code: str) -> str:
    """The fine region id of an alpha-3 code ("CHN" -> "east-asia"); raises NotFound."""
    try:
        return _REGION_OF[code.upper()]
    except KeyError:
        raise NotFound(messages.UNKNOWN_COUNTRY_CODE.format(text=code)) from None


def section_of(code: str | None) -> str:
    """The briefing section for a country; no country (or an unknown one) is Global & multilateral."""
    if not code:
        return GLOBAL_SECTION
    region = _REGION_OF.get(code.upper())
    return REGIONS[region].section if region else GLOBAL_SECTION


def resolve_regions(text: str) -> tuple[str, ...]:
    """Every fine region a name covers: "Africa" -> sub-Saharan and North Africa; raises NotFound."""
    key = " ".join(text.split()).casefold()
    if key in _NAMES:
        return _NAMES[key]
    close = difflib.get_close_matches(key, list(_NAMES), n=3, cutoff=0.7)
    message = messages.UNKNOWN_REGION.format(text=text)
    if close:
        message += messages.DID_YOU_MEAN.format(choices=" or ".join(repr(c) for c in close))
    else:
        message += messages.KNOWN_REGIONS.format(choices=", ".join(sorted(REGIONS)))
    raise NotFound(message)


def resolve_region(text: str) -> str:
    """The fine region id for a name ("East Asia", "europe", "Middle East"); raises NotFound.

    A name that covers several regions ("Africa", "Asia") gives the first of them; use
    `resolve_regions` for all."""
    return resolve_regions(text)[0]


def countries_in(region_id: str) -> frozenset[str]:
    """The member codes of a fine region id; raises NotFound."""
    try:
        return REGIONS[region_id].members
    except KeyError:
        raise NotFound(messages.UNKNOWN_REGION.format(text=region_id)) from None
