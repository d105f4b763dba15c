"""`analyze_article`: everything analysis finds in one article, in one pass over its sentences."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from briefings.analysis.dates import find_dates, first_full_date
from briefings.analysis.events import find_events
from briefings.analysis.figures import find_figures
from briefings.analysis.gazetteer import Gazetteer, default_gazetteer
from briefings.analysis.model import Analysis, CountryMention, OrganisationMention
from briefings.analysis.people import find_people
from briefings.analysis.places import CountryHit, choose_senses, find_countries
from briefings.analysis.reading import Sentence, read_sentences
from briefings.models import Article, ArticleDraft

ANALYSIS_VERSION = 4


def reference_date(article: ArticleDraft | Article, sentences: list[Sentence]) -> tuple[date, str]:
    """The day relative dates and office-holders are read against, and where it came from."""
    if article.published_at is not None:
        return article.published_at.astimezone(UTC).date() if article.published_at.tzinfo else article.published_at.date(), "published"
    found = first_full_date([s.text for s in sentences if s.is_body])
    if found is not None:
        return found, "first date in the text"
    return datetime.now(UTC).date(), "today (the article has no date)"


def _country_mentions(gazetteer: Gazetteer, hits: list[CountryHit], people_countries: Counter[str], people_forms: dict[str, list[str]]) -> tuple[CountryMention, ...]:
    counts: Counter[str] = Counter()
    forms: dict[str, list[str]] = {}
    first: dict[str, tuple[int, int]] = {}
    for hit in hits:
        counts[hit.code] += 1
        seen = forms.setdefault(hit.code, [])
        if hit.form not in seen:
            seen.append(hit.form)
        first.setdefault(hit.code, (hit.sentence, hit.token))
    # A country is also named through its office-holders ("Putin said" is about Russia).
    for code, number in people_countries.items():
        if code not in counts:
            counts[code] = number
            forms[code] = people_forms[code]
            first[code] = (10**6, 0)
    ordered = sorted(counts, key=lambda c: (-counts[c], first[c]))
    return tuple(CountryMention(code=c, name=gazetteer.country_name(c), count=counts[c], forms=tuple(forms[c])) for c in ordered)


def _organisations(gazetteer: Gazetteer, sentences: list[Sentence]) -> tuple[OrganisationMention, ...]:
    counts: Counter[str] = Counter()
    for sentence in sentences:
        previous: tuple[str, int] | None = None  # (code, end) of the last organisation matched
        for match in sentence.matches:
            if "org" not in match.kinds:
                continue
            for entry in match.entries:
                if entry.kind != "org":
                    continue
                if sentence.all_caps and entry.case.value == "exact" and match.text.casefold() in {"who", "us", "it", "au"}:
                    continue
                # "the Shanghai Cooperation Organization (SCO)" names it once.
                if previous and previous[0] == entry.value and sentence.text[previous[1] : match.start].strip() == "(":
                    break
                counts[entry.value] += 1
                previous = (entry.value, match.end)
                break
    return tuple(
        OrganisationMention(code=code, name=gazetteer.organisations[code].name, count=number)
        for code, number in counts.most_common()
    )


def _summary(article: ArticleDraft | Article, sentences: int) -> tuple[str, ...]:
    if sentences <= 0:
        return ()
    from briefings.summaries import summarize_article

    return tuple(summarize_article(article, sentences=sentences))


def analyze_article(
    article: ArticleDraft | Article,
    *,
    gazetteer: Gazetteer | None = None,
    summary_sentences: int = 3,
) -> Analysis:
    """Countries, people, organisations, figures, dates, events and a summary of one article.

    Relative dates and who holds which office are read against the article's publication date;
    an article without one is read against the first full date in its text (else today), and
    `extra["reference_date"]` says which day was used. `summary_sentences=0` skips the summary.
    """
    gazetteer = gazetteer or default_gazetteer()
    sentences = read_sentences(article, gazetteer)
    day, day_origin = reference_date(article, sentences)
    full_text = "\n".join(s.text for s in sentences)
    senses = choose_senses(gazetteer, full_text)
    country_hits = find_countries(sentences, gazetteer, senses)
    people = find_people(sentences, gazetteer, day, country_hits)
    people_countries: Counter[str] = Counter()
    people_forms: dict[str, list[str]] = {}
    for hit in people.hits:
        if hit.country:
            people_countries[hit.country] += 1
            forms = people_forms.setdefault(hit.country, [])
            if hit.name not in forms:
                forms.append(hit.name)
    headline = {s.index for s in sentences if s.part in ("title", "subtitle")}
    title_countries = frozenset(
        [h.code for h in country_hits if h.sentence in headline] + [h.country for h in people.hits if h.sentence in headline and h.country]
    )
    body_and_title = [s for s in sentences if s.part in ("title", "paragraph")]
    body = [s for s in sentences if s.is_body]
    return Analysis(
        countries=_country_mentions(gazetteer, country_hits, people_countries, people_forms),
        people=tuple(people.mentions),
        organisations=_organisations(gazetteer, sentences),
        figures=tuple(find_figures([s.text for s in body], tokens=[s.tokens for s in body])),
        dates=tuple(find_dates([s.text for s in body_and_title], day, tokens=[s.tokens for s in body_and_title])),
        events=tuple(find_events(sentences, gazetteer, country_hits, people.hits, title_countries=title_countries)),
        summary=_summary(article, summary_sentences),
        version=ANALYSIS_VERSION,
        extra={"reference_date": day.isoformat(), "reference_date_origin": day_origin},
    )
