"""A seeded generator of realistic diplomatic news articles, for benchmarks at 100,000 articles.

Every article is built from what it is about (two countries, their leaders and ministers, an
event type, a topic, an organisation, figures and dates), so the text reads like wire copy and
the generator can also hand over the Analysis that matches it. The same seed gives the same
articles, byte for byte. People and outlets are invented; countries and organisations are real.

    python -m bench.synthetic --count 1000 --format text --out /tmp/corpus
    python -m bench.synthetic --count 100000 --format jsonl --out /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefings.analysis.model import (
    Analysis,
    CountryMention,
    Event,
    EventType,
    OrganisationMention,
    PersonMention,
    Polarity,
)
from briefings.models import ArticleDraft, Block


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    adjective: str
    capital: str
    leader: str
    leader_title: str
    minister: str


COUNTRIES = (
    Country("CHN", "China", "Chinese", "Beijing", "Liang Wenhao", "President", "Zhou Peiyu"),
    Country("USA", "the United States", "American", "Washington", "Robert Calloway", "President", "Diane Mercer"),
    Country("RUS", "Russia", "Russian", "Moscow", "Viktor Arkhipov", "President", "Pavel Sedykh"),
    Country("IND", "India", "Indian", "New Delhi", "Arvind Malhotra", "Prime Minister", "Kavita Rao"),
    Country("JPN", "Japan", "Japanese", "Tokyo", "Haruto Ishikawa", "Prime Minister", "Emi Takeda"),
    Country("DEU", "Germany", "German", "Berlin", "Katrin Vogel", "Chancellor", "Jonas Brandt"),
    Country("FRA", "France", "French", "Paris", "Etienne Moreau", "President", "Claire Duval"),
    Country("GBR", "the United Kingdom", "British", "London", "Oliver Hartley", "Prime Minister", "Fiona Ashdown"),
    Country("BRA", "Brazil", "Brazilian", "Brasilia", "Marcos Tavares", "President", "Lucia Ferraz"),
    Country("ZAF", "South Africa", "South African", "Pretoria", "Thabo Nkosi", "President", "Naledi Mokoena"),
    Country("NGA", "Nigeria", "Nigerian", "Abuja", "Chidi Okafor", "President", "Amina Bello"),
    Country("EGY", "Egypt", "Egyptian", "Cairo", "Youssef Mansour", "President", "Rania Fahmy"),
    Country("TUR", "Turkey", "Turkish", "Ankara", "Kemal Aydin", "President", "Selin Kaya"),
    Country("IRN", "Iran", "Iranian", "Tehran", "Hossein Rahimi", "President", "Mehdi Karimi"),
    Country("SAU", "Saudi Arabia", "Saudi", "Riyadh", "Faisal Al-Harbi", "Crown Prince", "Khalid Al-Otaibi"),
    Country("ISR", "Israel", "Israeli", "Jerusalem", "Avi Mizrahi", "Prime Minister", "Noa Levin"),
    Country("UKR", "Ukraine", "Ukrainian", "Kyiv", "Andriy Kovalenko", "President", "Olena Shevchuk"),
    Country("POL", "Poland", "Polish", "Warsaw", "Tomasz Nowak", "Prime Minister", "Agnieszka Wrona"),
    Country("IDN", "Indonesia", "Indonesian", "Jakarta", "Budi Santoso", "President", "Sri Wulandari"),
    Country("VNM", "Vietnam", "Vietnamese", "Hanoi", "Nguyen Van Minh", "Prime Minister", "Tran Thi Lan"),
    Country("PHL", "the Philippines", "Philippine", "Manila", "Rafael Domingo", "President", "Teresa Aquino"),
    Country("KOR", "South Korea", "South Korean", "Seoul", "Park Ji-hoon", "President", "Kim Soo-ah"),
    Country("PRK", "North Korea", "North Korean", "Pyongyang", "Ri Chol-jin", "Chairman", "Choe Myong-suk"),
    Country("PAK", "Pakistan", "Pakistani", "Islamabad", "Imran Qureshi", "Prime Minister", "Sana Mirza"),
    Country("AUS", "Australia", "Australian", "Canberra", "James Whitford", "Prime Minister", "Megan Doyle"),
    Country("CAN", "Canada", "Canadian", "Ottawa", "Luc Tremblay", "Prime Minister", "Hannah Kowalski"),
    Country("MEX", "Mexico", "Mexican", "Mexico City", "Alejandro Ruiz", "President", "Gabriela Ortega"),
    Country("ARG", "Argentina", "Argentine", "Buenos Aires", "Federico Paz", "President", "Valeria Sosa"),
    Country("KEN", "Kenya", "Kenyan", "Nairobi", "Daniel Kiprono", "President", "Wanjiru Mwangi"),
    Country("ETH", "Ethiopia", "Ethiopian", "Addis Ababa", "Abiy Tesfaye", "Prime Minister", "Hirut Alemu"),
    Country("KAZ", "Kazakhstan", "Kazakh", "Astana", "Nursultan Abenov", "President", "Aigerim Sadykova"),
    Country("QAT", "Qatar", "Qatari", "Doha", "Hamad Al-Thani", "Emir", "Mariam Al-Kuwari"),
    Country("ARE", "the United Arab Emirates", "Emirati", "Abu Dhabi", "Saeed Al-Nahyan", "President", "Layla Al-Mazrouei"),
    Country("ITA", "Italy", "Italian", "Rome", "Giulia Romano", "Prime Minister", "Marco Bellini"),
    Country("ESP", "Spain", "Spanish", "Madrid", "Javier Moreno", "Prime Minister", "Elena Navarro"),
    Country("NOR", "Norway", "Norwegian", "Oslo", "Erik Solberg", "Prime Minister", "Ingrid Haugen"),
    Country("SRB", "Serbia", "Serbian", "Belgrade", "Dragan Petrovic", "President", "Milica Jovanovic"),
    Country("VEN", "Venezuela", "Venezuelan", "Caracas", "Nicolas Herrera", "President", "Yolanda Pinto"),
    Country("MMR", "Myanmar", "Myanmar", "Naypyidaw", "Min Thura", "General", "Khin May"),
    Country("SGP", "Singapore", "Singaporean", "Singapore", "Lim Wei Jie", "Prime Minister", "Tan Hui Min"),
)

ORGANISATIONS = (
    ("UN", "the United Nations"), ("NATO", "NATO"), ("EU", "the European Union"),
    ("ASEAN", "ASEAN"), ("AU", "the African Union"), ("G20", "the G20"),
    ("SCO", "the Shanghai Cooperation Organisation"), ("BRICS", "BRICS"), ("OPEC", "OPEC"),
    ("WTO", "the World Trade Organization"), ("IAEA", "the International Atomic Energy Agency"),
    ("IMF", "the International Monetary Fund"),
)

TOPICS = (
    "trade", "energy security", "climate finance", "maritime boundaries", "the nuclear programme",
    "grain exports", "debt restructuring", "critical minerals", "a ceasefire", "refugee returns",
    "semiconductor supply chains", "fisheries", "water sharing", "visa rules", "arms control",
    "cyber security", "a gas pipeline", "port investment", "a high-speed railway", "vaccine production",
    "rare earth exports", "border demarcation", "counter-terrorism", "food security", "space cooperation",
    "digital currency settlement", "tariff relief", "student exchanges", "airline routes",
    "a hydropower dam", "shipping lanes", "election observers", "humanitarian corridors",
    "peacekeeping", "oil output", "fertiliser supplies", "lithium mining", "undersea cables",
    "drone exports", "frozen central bank assets",
)

SOURCES = (
    ("Global Wire", "globalwire.example"), ("Capital Courier", "capitalcourier.example"),
    ("Eastern Ledger", "easternledger.example"), ("Meridian Post", "meridianpost.example"),
    ("Harbour Times", "harbourtimes.example"), ("Continental Review", "continentalreview.example"),
    ("The Daily Envoy", "dailyenvoy.example"), ("Atlas News Service", "atlasnews.example"),
    ("Northern Observer", "northernobserver.example"), ("Southern Gazette", "southerngazette.example"),
    ("Pacific Dispatch", "pacificdispatch.example"), ("Gulf Monitor", "gulfmonitor.example"),
    ("Sahel Bulletin", "sahelbulletin.example"), ("Andes Chronicle", "andeschronicle.example"),
    ("Baltic Record", "balticrecord.example"), ("Steppe Herald", "steppeherald.example"),
)

EXPERTS = (
    ("Miriam Castell", "a senior fellow at the Institute for Strategic Dialogue"),
    ("Samuel Okonjo", "a professor of international relations at the University of Lagos"),
    ("Hu Yanling", "a researcher at the Centre for Asia-Pacific Studies"),
    ("Anders Lindqvist", "director of the Nordic Security Forum"),
    ("Priya Venkataraman", "an economist at the Delhi School of Policy"),
    ("Lucas Ferreira", "an analyst at the Latin American Trade Observatory"),
    ("Nadia Haddad", "a former ambassador now at the Levant Policy Institute"),
    ("Georg Albrecht", "head of the Europe programme at the Berlin Council on Foreign Affairs"),
)

# title templates per event: (EventType, Polarity, templates)
EVENTS = (
    (EventType.TALKS, Polarity.COOPERATIVE, (
        "{leader_a} and {leader_b} hold talks on {topic}",
        "{A_adj} and {B_adj} leaders discuss {topic} in phone call",
        "{A} and {B} open new round of negotiations on {topic}",
    )),
    (EventType.VISIT, Polarity.COOPERATIVE, (
        "{leader_a} arrives in {city_b} for state visit",
        "{A_adj} foreign minister visits {city_b} as ties deepen",
        "{leader_b} to host {leader_a} for talks on {topic}",
    )),
    (EventType.AGREEMENT, Polarity.COOPERATIVE, (
        "{A} and {B} sign agreement on {topic}",
        "{A_adj}-{B_adj} deal on {topic} sealed in {city_a}",
        "{A} and {B} pledge closer cooperation on {topic}",
    )),
    (EventType.ECONOMIC, Polarity.COOPERATIVE, (
        "{A} and {B} trade reaches record {money}",
        "{A} extends {money} loan to {B} for {topic}",
        "{A_adj} investment in {B} climbs as {topic} projects expand",
    )),
    (EventType.STATEMENT, Polarity.NEUTRAL, (
        "{A} calls for restraint over {topic}",
        "{leader_a} urges dialogue with {B} on {topic}",
        "{A_adj} foreign ministry issues statement on {topic}",
    )),
    (EventType.CRITICISM, Polarity.CONFLICTUAL, (
        "{A} summons {B_adj} ambassador over {topic}",
        "{A} accuses {B} of undermining talks on {topic}",
        "{leader_a} criticises {B_adj} stance on {topic}",
    )),
    (EventType.THREAT, Polarity.CONFLICTUAL, (
        "{A} warns {B} of consequences over {topic}",
        "{A_adj} minister threatens countermeasures against {B}",
    )),
    (EventType.SANCTION, Polarity.CONFLICTUAL, (
        "{A} imposes sanctions on {B_adj} firms over {topic}",
        "{A} expels {B_adj} diplomats amid row over {topic}",
        "New {A_adj} sanctions target {B_adj} {topic}",
    )),
    (EventType.MILITARY, Polarity.CONFLICTUAL, (
        "{A_adj} navy holds drills near {B_adj} waters",
        "{A} and {B} forces clash near disputed border",
        "{A} reports strikes on {B_adj} positions",
    )),
)

LEADS = (
    "{leader_title_a} {leader_a} of {A} and {leader_title_b} {leader_b} of {B} {verb_past} on {weekday}, "
    "officials in {city_a} said, as the two governments sought to {goal}.",
    "{A} and {B} {verb_past} on {topic} on {weekday}, according to statements released in {city_a} and {city_b}.",
    "{A_adj} officials said on {weekday} that {A} and {B} had {verb_participle} on {topic}, "
    "a step analysts said could {consequence}.",
)

BODY = (
    "The talks focused on {topic}, which both sides described as a priority for the coming year.",
    "{minister_a}, the {A_adj} foreign minister, told reporters in {city_a} that the two countries "
    "\"share a responsibility to {goal}\".",
    "Bilateral trade between {A} and {B} reached {money} last year, up {percent} from the year before, "
    "according to customs figures.",
    "{minister_b}, speaking for {B}, said the government in {city_b} was \"ready to {goal}\" but would "
    "not accept conditions on {topic2}.",
    "The meeting came days after {org} called on its members to {goal}.",
    "{expert}, {expert_role}, said the outcome showed that {A} wanted to {consequence}.",
    "\"This is not a breakthrough, but it is movement,\" {expert} said. \"The question is whether "
    "{city_b} can deliver on {topic2}.\"",
    "Officials from both sides are expected to meet again in {month} to review progress on {topic}.",
    "{A} has invested about {money} in {B_adj} infrastructure since {year}, much of it in {topic2}.",
    "The {A_adj} statement did not mention {topic2}, which has strained relations in recent months.",
    "Diplomats in {city_b} said privately that the agreement left several questions open, including "
    "the timetable for {topic2}.",
    "Markets in {city_a} rose {percent} after the announcement, led by shares of exporters.",
    "Critics in {B} said the government had conceded too much on {topic}, while supporters pointed "
    "to the {money} in new commitments.",
    "{leader_a} has made {topic} a centrepiece of foreign policy since taking office in {year}.",
    "The two leaders last met on the sidelines of the {org_short} summit in {month}.",
    "A joint statement said both countries would \"{goal}\" and set up a working group on {topic2}.",
    "Around {people} people attended protests in {city_b} over the government's handling of {topic2}.",
    "{org} said in a report that {topic} would require about {money} in new investment by {year2}.",
    "{B_adj} media described the visit as \"constructive\", while {A_adj} outlets stressed the "
    "agreements on {topic}.",
    "Neither side gave details of how the {money} package would be financed.",
    "Analysts said the timing was significant, coming ahead of the {org_short} meeting in {month}.",
    "The {A_adj} side also raised {topic2}, according to a readout published on {weekday} evening.",
    "Shipments of {goods} from {A} to {B} rose {percent} in the first {months} months of the year.",
    "Officials said {people} {A_adj} citizens had been evacuated from border areas since {month}.",
    "{expert} warned that {topic2} could \"quickly overshadow whatever was agreed on {topic}\".",
    "The foreign ministry in {city_b} said it \"took note\" of the {A_adj} proposals and would respond "
    "through diplomatic channels.",
    "Both governments have faced domestic pressure over {topic}, with opposition parties demanding "
    "a tougher line.",
    "Observers noted that {leader_b} did not attend the signing ceremony in person.",
    "The agreement runs until {year2} and can be extended by mutual consent, the statement said.",
    "Earlier this year {A} announced tariffs of {percent} on some {B_adj} {goods}, a measure later "
    "suspended during talks.",
    "Satellite images published by independent researchers showed construction continuing at a "
    "site linked to {topic2}.",
    "The {B_adj} parliament is due to debate the package in {month}, and ratification is not assured.",
    "Officials declined to say whether {topic2} had been discussed behind closed doors.",
    "Energy prices in {city_b} have fallen {percent} since the start of the year, easing inflation.",
    "The envoy, who asked not to be named because the talks were confidential, said the mood was "
    "\"businesslike but cautious\".",
    "Human rights groups urged both governments to publish the full text of the agreement.",
    "A spokesperson for {org} welcomed the announcement and offered technical assistance.",
    "Opposition lawmakers in {city_a} demanded a briefing on the cost of the {money} programme.",
    "Freight rates on the route have doubled since {month}, according to shipping brokers.",
    "Military attaches from several embassies were invited to observe the exercises.",
    "The two sides also agreed to reopen consulates closed during the dispute over {topic2}.",
    "Farmers' unions in {B} staged rallies against imports of {A_adj} {goods}.",
    "A previous framework signed in {year} collapsed within months amid accusations of bad faith.",
    "Bond yields in {city_b} edged higher as investors weighed the risk of renewed sanctions.",
    "Local authorities in {city_b} tightened security around the {A_adj} embassy ahead of the visit.",
)

HEADINGS = (
    "Trade at record levels", "Security concerns", "Background", "What comes next", "Reactions",
    "Economic stakes", "Regional implications", "A long rivalry", "Domestic pressure",
    "The view from {city_b}", "Unresolved questions", "Energy and minerals",
)

GOALS = (
    "maintain stability in the region", "expand practical cooperation", "resolve differences through dialogue",
    "keep supply chains open", "reduce tensions along the border", "uphold international law",
    "deepen strategic trust", "work toward a lasting ceasefire", "protect shipping routes",
    "strengthen multilateral institutions",
)
CONSEQUENCES = (
    "reshape regional alliances", "ease pressure on global energy markets", "test the limits of the partnership",
    "draw a sharp response from neighbouring states", "revive stalled negotiations", "deepen economic dependence",
)
VERBS_PAST = ("held talks", "spoke by telephone", "met in person", "signed a series of agreements", "exchanged messages")
VERBS_PARTICIPLE = ("reached an understanding", "agreed to resume talks", "failed to narrow differences", "signed a memorandum")
GOODS = ("soybeans", "crude oil", "steel", "electric vehicles", "liquefied natural gas", "wheat", "copper", "solar panels", "machinery", "pharmaceuticals")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
SUBTITLES = (
    "Talks cover {topic} and {topic2}",
    "Leaders seek to {goal}",
    "Move follows months of tension over {topic2}",
    "{money} at stake as {A} and {B} weigh next steps",
)

DEFAULT_END = datetime(2026, 2, 28, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    draft: ArticleDraft
    analysis: Analysis


def generate(
    count: int, *, seed: int = 7, days: int = 60, end: datetime = DEFAULT_END
) -> Iterator[SyntheticArticle]:
    """`count` articles, published over the `days` days before `end`, the same for the same seed."""
    rng = random.Random(seed)
    start = end - timedelta(days=days)
    step = (end - start).total_seconds() / max(count, 1)
    for index in range(count):
        # Roughly in publication order, as a feed delivers them, with some arriving late.
        jitter = rng.uniform(-6 * 3600, 1800)
        published = min(end, max(start, start + timedelta(seconds=index * step + jitter)))
        yield _article(rng, index, published)


def generate_drafts(count: int, *, seed: int = 7, days: int = 60, end: datetime = DEFAULT_END) -> Iterator[ArticleDraft]:
    for article in generate(count, seed=seed, days=days, end=end):
        yield article.draft


def _money(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"${rng.randint(2, 900)}.{rng.randint(0, 9)} billion"
    return f"${rng.randint(10, 950)} million"


def _article(rng: random.Random, index: int, published: datetime) -> SyntheticArticle:
    a, b = rng.sample(COUNTRIES, 2)
    event_type, polarity, titles = rng.choice(EVENTS)
    org_code, org_name = rng.choice(ORGANISATIONS)
    expert, expert_role = rng.choice(EXPERTS)
    topic, topic2 = rng.sample(TOPICS, 2)
    source, domain = rng.choice(SOURCES)
    year = rng.randint(2008, 2024)
    slots = {
        "A": a.name, "B": b.name, "A_adj": a.adjective, "B_adj": b.adjective,
        "city_a": a.capital, "city_b": b.capital, "leader_a": a.leader, "leader_b": b.leader,
        "leader_title_a": a.leader_title, "leader_title_b": b.leader_title,
        "minister_a": a.minister, "minister_b": b.minister, "topic": topic, "topic2": topic2,
        "org": org_name, "org_short": org_code, "expert": expert, "expert_role": expert_role,
        "year": year, "year2": rng.randint(2027, 2040), "weekday": WEEKDAYS[published.weekday()],
        "month": rng.choice(MONTHS), "goal": rng.choice(GOALS), "consequence": rng.choice(CONSEQUENCES),
        "verb_past": rng.choice(VERBS_PAST), "verb_participle": rng.choice(VERBS_PARTICIPLE),
        "goods": rng.choice(GOODS), "months": rng.randint(2, 11),
    }

    def fill(template: str) -> str:
        # Figures differ per sentence, as they would in a real report.
        text = template.format(
            **slots,
            money=_money(rng),
            percent=f"{rng.randint(1, 40)}.{rng.randint(0, 9)} percent",
            people=f"{rng.randint(2, 90) * 1000:,}",
        )
        return text[0].upper() + text[1:]

    title = fill(rng.choice(titles))
    subtitle = fill(rng.choice(SUBTITLES)) if rng.random() < 0.6 else None
    blocks: list[Block] = [Block("paragraph", fill(rng.choice(LEADS)))]
    body_sentences = rng.sample(BODY, k=len(BODY))
    headings = [fill(h) for h in rng.sample(HEADINGS, k=rng.randint(1, 3))]
    paragraphs_wanted = rng.randint(9, 13)
    position = 0
    for paragraph_number in range(1, paragraphs_wanted):
        if headings and paragraph_number % 3 == 0:
            blocks.append(Block("heading", headings.pop()))
        size = rng.randint(3, 4)
        sentences = [fill(body_sentences[(position + i) % len(body_sentences)]) for i in range(size)]
        position += size
        blocks.append(Block("paragraph", " ".join(sentences)))

    slug = "-".join(title.lower().replace("$", "").replace(",", "").replace(".", "").split()[:8])
    draft = ArticleDraft(
        title=title,
        blocks=tuple(blocks),
        source=source,
        origin=f"synthetic#{index}",
        url=f"https://{domain}/{published:%Y/%m/%d}/{slug}-{index}",
        subtitle=subtitle,
        published_at=published,
        date_origin="synthetic",
    )
    analysis = Analysis(
        countries=(
            CountryMention(a.code, a.name.removeprefix("the "), 6, (a.name, a.adjective, a.capital)),
            CountryMention(b.code, b.name.removeprefix("the "), 5, (b.name, b.adjective, b.capital)),
        ),
        people=(
            PersonMention(a.leader, 2, role=a.leader_title, country=a.code),
            PersonMention(b.leader, 1, role=b.leader_title, country=b.code),
            PersonMention(expert, 1, role=expert_role),
        ),
        organisations=(OrganisationMention(org_code, org_name.removeprefix("the "), 1),),
        events=(
            Event(event_type, polarity, (a.code, b.code), blocks[0].text, cue=event_type.value, people=(a.leader,)),
        ),
        summary=(blocks[0].text,),
    )
    return SyntheticArticle(draft, analysis)


def write_text_files(directory: Path, count: int, *, seed: int = 7, days: int = 60) -> int:
    """One plain-text article a file, in the layout `briefbot ingest` reads (title, subtitle, ...)."""
    directory.mkdir(parents=True, exist_ok=True)
    for index, draft in enumerate(generate_drafts(count, seed=seed, days=days)):
        lines = [draft.title] + ([draft.subtitle] if draft.subtitle else [])
        lines += [block.text for block in draft.blocks]
        (directory / f"{index:06d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return count


def write_jsonl(path: Path, count: int, *, seed: int = 7, days: int = 60) -> int:
    """One JSON object a line: title, subtitle, source, url, published (ISO 8601), headings-aware blocks and body."""
    with path.open("w", encoding="utf-8") as out:
        for draft in generate_drafts(count, seed=seed, days=days):
            record = {
                "title": draft.title,
                "subtitle": draft.subtitle,
                "source": draft.source,
                "url": draft.url,
                "published": draft.published_at.isoformat() if draft.published_at else None,
                "blocks": [block.to_dict() for block in draft.blocks],
                "body": draft.body,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=60, help="spread publication over this many days")
    parser.add_argument("--format", choices=("text", "jsonl"), default="jsonl")
    parser.add_argument("--out", type=Path, required=True, help="a folder (text) or a file (jsonl)")
    args = parser.parse_args(argv)
    if args.format == "text":
        write_text_files(args.out, args.count, seed=args.seed, days=args.days)
    else:
        write_jsonl(args.out, args.count, seed=args.seed, days=args.days)
    print(f"wrote {args.count} synthetic articles to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
