"""Content hashes are stored for deduplication, so the hash of a given body must never change."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest

from briefings.models import content_hash, normalise_text

# Hashes as stored by earlier releases (regex-based white-space folding); they must not move.
STORED = [
    ("  Talks  resumed\n\nin Astana.\t", "274e437fcabdca3916052dac905620a6dfe66b275d179c7188c09d535e3d4e9f"),
    (
        "“Quoted” – text\u00a0with\u2003odd\u3000spaces\x1c\x1d\x1e\x1f\x85end",
        "369eef17ec544a26206a1b7c312f1047f83ca5d6c864cd079094aad1592624e5",
    ),
    ("ﬁnance Straße ＡＢＣ", "fd9f552b7e706ad7df4c1136eb542f405f25b105fc9c7745f5ef40e655d45368"),
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (" \n\t ", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
]


@pytest.mark.parametrize(("body", "expected"), STORED)
def test_hashes_of_known_bodies_are_unchanged(body: str, expected: str) -> None:
    assert content_hash(body) == expected


def test_white_space_folding_matches_the_regex_definition_for_every_character() -> None:
    spaces = re.compile(r"\s+")
    quotes = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    # Every code point between words and at the ends, so any character the two definitions
    # of white space disagree on shows up as a difference.
    for start in range(0, sys.maxunicode + 1, 4096):
        chunk = "".join(chr(c) for c in range(start, min(start + 4096, sys.maxunicode + 1)) if not 0xD800 <= c <= 0xDFFF)
        text = " a" + "b".join(chunk) + "\t"
        reference = spaces.sub(" ", unicodedata.normalize("NFKC", text).translate(quotes)).strip().casefold()
        assert normalise_text(text) == reference
