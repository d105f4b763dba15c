"""The shared sentence splitter: abbreviations, initials, decimals, quotes and run-on references."""

from __future__ import annotations

import pytest

from briefings.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He met the U.S. President. The talks ended.", ["He met the U.S. President.", "The talks ended."]),
        ("Growth was 3.5 percent. Mr. Smith agreed.", ["Growth was 3.5 percent.", "Mr. Smith agreed."]),
        ("Talks in the U.S. The next round is in Paris.", ["Talks in the U.S.", "The next round is in Paris."]),
        ("Dr. Wang Yiwei spoke. Gen. Lee did not.", ["Dr. Wang Yiwei spoke.", "Gen. Lee did not."]),
        ("The U.N. Security Council met. It voted.", ["The U.N. Security Council met.", "It voted."]),
        ("What now? Nobody knows! Talks go on.", ["What now?", "Nobody knows!", "Talks go on."]),
        ('He said: "We agree." Then he left.', ['He said: "We agree."', "Then he left."]),
        ("She spoke (briefly). Others waited.", ["She spoke (briefly).", "Others waited."]),
        ("Trade rose by $228.1 billion in 2025. Exports led.", ["Trade rose by $228.1 billion in 2025.", "Exports led."]),
        ("J. R. Smith arrived at 10 a.m. on Monday.", ["J. R. Smith arrived at 10 a.m. on Monday."]),
        ("The vote is due on Jan. 5 in Kyiv.", ["The vote is due on Jan. 5 in Kyiv."]),
        ("He paused… Then he went on.", ["He paused…", "Then he went on."]),
        ("one sentence without a full stop", ["one sentence without a full stop"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraphs_and_blank_lines_split_too() -> None:
    assert split_sentences("First paragraph.\n\nSecond paragraph") == ["First paragraph.", "Second paragraph"]


def test_empty_text() -> None:
    assert split_sentences("   \n ") == []
