"""Readability rules of the summarizer: country terms, the lead, openers that lean back, open quotes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from briefings.models import ArticleDraft, Block
from briefings.sentences import split_sentences
from briefings.summaries import SelectionRules, summarize_paragraphs, summarize_story
from briefings.summaries.extractive import select_passages
from briefings.summaries.passages import (
    article_passages,
    ends_in_quote,
    is_connective_opener,
    is_dependent_opener,
)
from briefings.summaries.ranking import sentence_centrality
from briefings.summaries.terms import content_words

# The lead names the countries by adjective; the body by name.
DEMONYM_LEAD = [
    "Chinese President Xi Jinping held talks with Russian President Vladimir Putin and U.S. officials on Thursday.",
    "Trade between China and Russia reached a record as energy sales grew.",
    "China and Russia agreed to expand energy trade and rail freight.",
    "The United States and China will hold further talks in March.",
    "Analysts expect trade between China and Russia to keep growing.",
    "Officials described the weather in the capital as cold.",
]


def test_every_naming_of_a_country_is_one_term() -> None:
    assert content_words("Chinese officials") == ["@chn", "officials"]
    assert content_words("China's officials") == ["@chn", "officials"]
    assert content_words("Sino-Russian ties") == ["@chn", "@rus", "ties"]
    assert content_words("U.S.-China talks") == ["@usa", "@chn", "talks"]
    assert content_words("US-China talks") == ["@usa", "@chn", "talks"]
    assert content_words("the United States and South Korea's navy") == ["@usa", "@kor", "navy"]
    assert content_words("American and British envoys") == ["@usa", "@gbr", "envoys"]


def test_country_terms_need_the_written_capitalisation() -> None:
    assert "@usa" not in content_words("Let us talk about china plates")  # pronoun "us", the material
    assert "@chn" not in content_words("Let us talk about china plates")
    assert content_words("pro-Western five-year plans") == ["pro-western", "five-year", "plans"]


def test_without_folding_the_words_stay_apart() -> None:
    assert content_words("Chinese and Sino-Russian", fold_countries=False) == ["chinese", "sino-russian"]


def test_a_lead_naming_countries_by_adjective_is_central() -> None:
    folded = sentence_centrality(DEMONYM_LEAD)
    plain = sentence_centrality(DEMONYM_LEAD, fold_countries=False)
    assert int(np.argmax(folded)) == 0
    assert sorted(range(len(plain)), key=lambda i: -plain[i]).index(0) >= 3  # the rule is what lifts it
    assert summarize_paragraphs("Xi meets Putin", DEMONYM_LEAD, sentences=1) == [DEMONYM_LEAD[0]]


# The third sentence says what the lead says and shares one word more with the second.
NEAR_TIE = [
    "Kenya and Ethiopia signed a water agreement on the Omo river and dam in Nairobi.",
    "The Omo river agreement covers water sharing and dam releases.",
    "In Nairobi, Kenya and Ethiopia signed the Omo river and dam water agreement on releases.",
    "Farmers downstream rely on seasonal floods.",
]
# Here the third sentence shares two more words and is clearly more central.
CLEAR_GAP = [*NEAR_TIE[:2], NEAR_TIE[2].replace("on releases", "with releases and farmers"), NEAR_TIE[3]]


def test_the_lead_boost_breaks_a_near_tie_only() -> None:
    near, clear = sentence_centrality(NEAR_TIE), sentence_centrality(CLEAR_GAP)
    assert 0.9 < near[0] / near[2] < 1.0 and clear[0] / clear[2] < 0.9
    boosted = SelectionRules(length_prior=0.0, lead_boost=0.1)
    assert summarize_paragraphs("T", NEAR_TIE, sentences=1, rules=boosted) == [NEAR_TIE[0]]
    assert summarize_paragraphs("T", CLEAR_GAP, sentences=1, rules=boosted) == [CLEAR_GAP[2]]
    unboosted = SelectionRules(length_prior=0.0, lead_boost=0.0)
    assert summarize_paragraphs("T", NEAR_TIE, sentences=1, rules=unboosted) == [NEAR_TIE[2]]


def test_connective_and_pronoun_openers_are_recognised() -> None:
    for sentence in (
        "In conclusion, the visit mattered.",
        "Additionally, trade grew.",
        "However, no deal was signed.",
        "Meanwhile, talks went on.",
        "Also on the agenda was Taiwan.",
        "Overall, the talks went well.",
    ):
        assert is_connective_opener(sentence) and is_dependent_opener(sentence), sentence
    for sentence in ("She said the talks went well.", "The move angered Beijing.", '"We will not give in," he said.'):
        assert is_dependent_opener(sentence) and not is_connective_opener(sentence), sentence
    for sentence in ("Overall growth slowed.", "Theresa Lazaro spoke.", "Thereafter nothing.", "Chinese trade grew."):
        assert not is_connective_opener(sentence), sentence
    assert not is_dependent_opener("Theresa Lazaro spoke.")


CONNECTIVE = [
    "Japan and South Korea agreed on Monday to resume talks on chip exports.",
    "Chip exports from Japan fell last year.",
    "Officials said the talks would start in Tokyo in April.",
    "In conclusion, the talks show how much chip exports matter to both.",
]


def test_a_connective_opener_gives_way_to_a_passage_of_similar_score() -> None:
    passages = article_passages(CONNECTIVE)
    assert [p.connective for p in passages] == [False, False, False, True]
    similar = np.array([0.30, 0.20, 0.10, 0.24])
    texts = lambda chosen: [p.text for p in chosen]  # noqa: E731
    assert texts(select_passages(passages, similar, sentences=2, chars=None)) == CONNECTIVE[:2]
    loose = SelectionRules(dependent_penalty=None)
    assert texts(select_passages(passages, similar, sentences=2, chars=None, rules=loose)) == [CONNECTIVE[0], CONNECTIVE[3]]
    # Only near-ties: a far more central connective passage is still taken, with the passage it
    # follows, and never first.
    far = np.array([0.30, 0.20, 0.10, 0.90])
    assert texts(select_passages(passages, far, sentences=2, chars=None)) == CONNECTIVE[2:]
    assert CONNECTIVE[3] not in texts(select_passages(passages, far, sentences=1, chars=None))


PRONOUN = [
    "Iran's foreign minister Abbas Araghchi met the head of the IAEA in Vienna on Tuesday.",
    "Oil prices were steady in Asian trading.",
    "Araghchi told reporters that inspectors could return to the Fordow site within a month.",
    "He said the inspections at Fordow and Natanz would follow a new timetable agreed in Vienna.",
]


def test_a_pronoun_opener_comes_with_the_sentence_it_leans_on() -> None:
    passages = article_passages(PRONOUN)
    scores = np.array([0.20, 0.05, 0.15, 0.40])
    chosen = [p.text for p in select_passages(passages, scores, sentences=2, chars=None)]
    assert chosen == PRONOUN[2:]  # "He said" arrives with the sentence naming "he"
    unpaired = SelectionRules(pair_dependents=False)
    chosen = [p.text for p in select_passages(passages, scores, sentences=2, chars=None, rules=unpaired)]
    assert chosen == [PRONOUN[0], PRONOUN[3]]  # taken alone after an unrelated sentence


# Plain text that lost a long quotation's paragraph breaks: each quoted paragraph opens with a
# fresh quote mark and leaves it open, the last one closes it.
CONTINUED_QUOTE = [
    "Germany's finance minister presented the budget for defence and rail spending in Berlin on Tuesday.",
    'The minister said: "Defence spending and rail spending will rise in the budget. '
    '"The budget for defence and rail is the largest since 1990."',
    "Opposition parties said the defence budget was too small.",
    'A rail union leader said: "Rail spending in the budget for defence and rail is welcome but late.',
]


def test_a_quotation_continued_in_a_new_paragraph_is_joined_and_closed() -> None:
    passages = article_passages(CONTINUED_QUOTE)
    joined = passages[1]
    assert joined.size == 2 and not joined.ends_in_quote
    assert passages[-1].ends_in_quote  # never closed in the article
    unjoined = article_passages(CONTINUED_QUOTE, join_continued_quotes=False)
    assert unjoined[1].ends_in_quote and unjoined[1].size == 1


def test_no_summary_ends_inside_a_quotation() -> None:
    never_closed = split_sentences(CONTINUED_QUOTE[-1])[0]
    for budget in range(1, 7):
        summary = summarize_paragraphs("Budget", CONTINUED_QUOTE, sentences=budget)
        assert not ends_in_quote(summary), (budget, summary)
        assert never_closed not in summary
    # Without the rule the central open quote is taken and left open.
    loose = summarize_paragraphs("Budget", CONTINUED_QUOTE, sentences=2, rules=SelectionRules(close_quotes=False))
    assert ends_in_quote(loose)


def test_the_length_prior_applies_to_sentence_budgets_only() -> None:
    short_central = [
        "Kenya and Ethiopia signed an Omo river water deal.",
        "The Omo deal covers water.",
        "Kenya and Ethiopia officials said farmers along the lower Omo river valley would get water from the dam "
        "in the dry season under the deal signed in Nairobi.",
    ]
    by_chars = summarize_paragraphs("T", short_central, sentences=None, chars=60)
    assert by_chars == summarize_paragraphs("T", short_central, sentences=None, chars=60, rules=SelectionRules(length_prior=0.0))


def _draft(title: str, *paragraphs: str) -> ArticleDraft:
    return ArticleDraft(title=title, blocks=tuple(Block("paragraph", p) for p in paragraphs), source="t", origin=title)


def test_a_story_summary_tells_the_event_once() -> None:
    first = _draft(
        "Nigeria and Morocco sign pipeline framework",
        "ABUJA, February 4 — Nigeria and Morocco signed a framework on Wednesday for a gas pipeline along the "
        "West African coast to Europe.",
        "The framework creates a joint project company for the gas pipeline.",
        "Nigerian officials aim for a final investment decision on the pipeline by the end of 2026.",
    )
    second = _draft(
        "Morocco and Nigeria agree gas pipeline plan",
        "RABAT, February 4 — Morocco and Nigeria on Wednesday agreed an investment framework for a gas pipeline "
        "that would run 5,600 kilometres along the West African coast.",
        "The framework was signed in Rabat by the state oil companies of Nigeria and Morocco.",
        "The gas pipeline could carry 30 billion cubic metres a year to 13 countries.",
    )
    summary = summarize_story([first, second], sentences=3)
    leads = {first.paragraphs[0], second.paragraphs[0]}
    assert len(set(summary) & leads) == 1
    assert summary[0] in leads


def test_seed_article_leads_with_its_lead_and_closes_its_quotes(seed_article_path: Path) -> None:
    from briefings.ingest import parse_text_article

    draft = parse_text_article(seed_article_path.read_text(encoding="utf-8"), origin="seed", source="seed")
    lead = split_sentences(draft.paragraphs[0])[0]
    assert lead.startswith("On February 5, 2026, Chinese President Xi Jinping")
    summary = summarize_paragraphs(draft.title, draft.paragraphs, sentences=3)
    assert summary[0] == lead
    for sentence in summary:
        assert not ends_in_quote([sentence]), sentence
    assert not any(is_connective_opener(sentence) for sentence in summary), summary
