"""Plain-text articles: the seed article's structure and date, and the layout rules in general."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.ingest import DateChoice, parse_text_article, read_inputs
from briefings.models import ArticleDraft, Block

SEED_TITLE = "Xi Jinping's Diplomatic Engagements with Putin and Trump Highlight China's Role in Global Stability"
SEED_SUBTITLE = "Xi Jinping's Diplomatic Outreach: A Day with Putin and Trump"
SEED_HEADINGS = (
    "Strengthening Ties with Russia",
    "Navigating U.S.-China Relations",
    "China's Commitment to Global Stability",
)


def parse(text: str, **kwargs: object) -> ArticleDraft:
    return parse_text_article(text, origin="test.txt", source="Test Wire", **kwargs)  # type: ignore[arg-type]


def test_seed_article_structure_and_date(seed_article_path: Path) -> None:
    draft = parse(seed_article_path.read_text(encoding="utf-8"))
    assert draft.title == SEED_TITLE
    assert draft.subtitle == SEED_SUBTITLE
    assert draft.headings == SEED_HEADINGS
    # 16 lines: title, subtitle, three headings and eleven paragraphs.
    assert len(draft.paragraphs) == 11
    assert draft.paragraphs[0].startswith("On February 5, 2026, Chinese President Xi Jinping")
    assert draft.paragraphs[-1].startswith("In conclusion, Xi Jinping")
    assert draft.published_at == datetime(2026, 2, 5, tzinfo=UTC)
    assert draft.date_origin == "text: 'On February 5, 2026'"
    # Headings sit where the text has them, between the paragraphs they introduce.
    kinds = [block.kind for block in draft.blocks]
    assert kinds.index("heading") == 1
    assert draft.blocks[1] == Block("heading", "Strengthening Ties with Russia")
    assert not any(
        heading in paragraph for paragraph in draft.paragraphs for heading in SEED_HEADINGS
    )


def test_seed_article_through_read_inputs(seed_article_path: Path) -> None:
    results = list(read_inputs([str(seed_article_path)], source="Seed Desk"))
    assert len(results) == 1
    draft = results[0]
    assert isinstance(draft, ArticleDraft)
    assert draft.origin == str(seed_article_path)
    assert draft.source == "Seed Desk"
    assert draft.title == SEED_TITLE
    assert draft.headings == SEED_HEADINGS
    assert draft.date_origin == "text: 'On February 5, 2026'"


@pytest.fixture
def seed_lines(seed_article_path: Path) -> list[str]:
    return seed_article_path.read_text(encoding="utf-8").split("\n")


@pytest.fixture
def seed_draft(seed_lines: list[str]) -> ArticleDraft:
    return parse("\n".join(seed_lines))


def test_windows_line_endings_and_byte_order_mark(
    seed_lines: list[str], seed_draft: ArticleDraft
) -> None:
    draft = parse("\ufeff" + "\r\n".join(seed_lines) + "\r\n")
    assert (draft.title, draft.subtitle, draft.blocks) == (
        seed_draft.title,
        seed_draft.subtitle,
        seed_draft.blocks,
    )


def test_blank_line_separated_paragraphs(seed_lines: list[str], seed_draft: ArticleDraft) -> None:
    draft = parse("\n\n".join(seed_lines))
    assert (draft.title, draft.subtitle, draft.blocks) == (
        seed_draft.title,
        seed_draft.subtitle,
        seed_draft.blocks,
    )


@pytest.mark.parametrize("width", [66, 72, 78])
def test_hard_wrapped_paragraphs_are_joined_back(
    seed_lines: list[str], seed_draft: ArticleDraft, width: int
) -> None:
    wrapped = "\n\n".join(textwrap.fill(line, width) for line in seed_lines)
    assert max(len(line) for line in wrapped.split("\n")) <= width
    draft = parse(wrapped)
    assert draft.title == seed_draft.title  # the title was wrapped too
    assert draft.subtitle == seed_draft.subtitle
    assert draft.blocks == seed_draft.blocks


def test_hard_wrapped_without_blank_lines(seed_lines: list[str], seed_draft: ArticleDraft) -> None:
    draft = parse("\n".join(textwrap.fill(line, 72) for line in seed_lines))
    assert draft.headings == seed_draft.headings
    assert draft.blocks == seed_draft.blocks


def test_indented_first_lines_start_paragraphs() -> None:
    text = (
        "Ministers meet in Oslo\n\n"
        "  Foreign ministers of the Nordic countries met in Oslo on Monday to discuss\n"
        "Arctic security and shipping routes, officials said after the meeting ended.\n"
        "  A joint statement is expected later in the week, according to the Norwegian\n"
        "foreign ministry, which hosted the talks at its offices in the capital city.\n"
        "  Observers said the meeting showed closer coordination among the five states\n"
        "than at any time since the end of the Cold War more than thirty years ago.\n"
    )
    draft = parse(text)
    assert len(draft.paragraphs) == 3
    assert draft.paragraphs[1].startswith(
        "A joint statement is expected later in the week, according to the Norwegian foreign"
    )


def test_quotes_and_short_paragraphs_are_not_headings() -> None:
    text = "\n".join(
        [
            "Talks resume in Geneva",
            "",
            "GENEVA, 5 February 2026 — Delegations returned to the table on Thursday after a month-long pause.",
            "",
            "“We are here to listen”",
            "",
            "The mediator said progress would be slow and that no deadline had been set for an agreement.",
            "",
            "Nobody expects a breakthrough.",
            "",
            "The next round is due in March, officials said, without giving a date or a venue for it.",
            "",
            "Ceasefire terms",
            "Negotiators said the ceasefire terms would be published after both parliaments approve them.",
            "",
            "Reporting by Jane Doe",
        ]
    )
    draft = parse(text)
    assert draft.headings == ("Ceasefire terms",)
    assert "“We are here to listen”" in draft.paragraphs
    assert "Nobody expects a breakthrough." in draft.paragraphs
    assert (
        draft.paragraphs[-1] == "Reporting by Jane Doe"
    )  # a short last line has no section to head
    assert draft.subtitle is None
    assert draft.published_at == datetime(2026, 2, 5, tzinfo=UTC)
    assert draft.date_origin == "text: 'GENEVA, 5 February 2026'"


def test_short_lines_in_a_row_are_not_headings() -> None:
    text = (
        "Envoys named\n\nThe following envoys were named on Monday:\nJane Doe\nJohn Roe\nAli Khan\n"
    )
    draft = parse(text)
    assert draft.headings == ()
    assert draft.paragraphs[1:] == ("Jane Doe", "John Roe", "Ali Khan")


def test_byline_and_date_line_under_the_title() -> None:
    text = (
        "Summit ends with joint statement\n"
        "By Maria Lopez\n"
        "Published: 7 February 2026\n"
        "Leaders of the two countries signed a joint statement at the close of the summit, pledging closer ties.\n"
        "The statement covers trade, energy and education, according to a copy seen by reporters.\n"
    )
    draft = parse(text)
    assert draft.subtitle is None
    assert draft.paragraphs[0].startswith("Leaders of the two countries")
    assert "By Maria Lopez" not in draft.paragraphs
    assert draft.published_at == datetime(2026, 2, 7, tzinfo=UTC)
    assert draft.date_origin == "text: 'Published: 7 February 2026'"


def test_second_line_with_final_punctuation_is_a_paragraph() -> None:
    draft = parse(
        "Ceasefire holds\nThe ceasefire held overnight.\nBoth sides reported no clashes on Sunday.\n"
    )
    assert draft.subtitle is None
    assert draft.paragraphs == (
        "The ceasefire held overnight.",
        "Both sides reported no clashes on Sunday.",
    )


def test_given_date_wins_over_the_text(seed_lines: list[str]) -> None:
    given = datetime(2026, 2, 6, 8, 30, tzinfo=UTC)
    draft = parse("\n".join(seed_lines), published=given)
    assert draft.published_at == given
    assert draft.date_origin == "given: --published"


def test_dates_after_since_or_by_are_not_the_event_day() -> None:
    fallback = DateChoice(
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "file modified time (no date in the file)"
    )
    text = (
        "Sanctions extended\n"
        "The sanctions, in force since January 1, 2025, must be reviewed by March 3, 2027, officials said.\n"
    )
    draft = parse(text, fallback_date=fallback)
    assert draft.published_at == fallback.when
    assert draft.date_origin == "file modified time (no date in the file)"
    assert parse(text).published_at is None


def test_title_only_is_refused() -> None:
    from briefings.errors import IngestError

    with pytest.raises(IngestError, match=r"test\.txt: no article text after the title"):
        parse("Just a title\n\n")
    with pytest.raises(IngestError, match=r"test\.txt: empty file"):
        parse("\ufeff \n\t\n")
