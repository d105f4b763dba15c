"""Officials the gazetteer does not list, found by their role title, and the people of events."""

from __future__ import annotations

from pathlib import Path

from briefings.analysis import analyze_article
from briefings.analysis.model import EventType
from briefings.ingest import read_inputs

SAMPLE = Path(__file__).resolve().parents[3] / "briefings" / "samples" / "corpus" / "2026-02-03-pacific-sentinel-china-australia-trade.md"


def person(analysis, name):
    return next((p for p in analysis.people if p.name == name), None)


def described(analysis, name):
    found = person(analysis, name)
    assert found is not None, f"{name} not found in {[p.name for p in analysis.people]}"
    return (found.role, found.country, found.person_id)


def test_role_title_with_country_adjective_then_surname_alone(analyse):
    result = analyse(
        "Trade",
        "Australian Trade Minister Don Farrell and Chinese Commerce Minister Wang Wentao met in Beijing.",
        "Farrell told reporters the talks were useful. Wang said China wanted more imports.",
    )
    assert described(result, "Don Farrell") == ("Trade Minister", "AUS", None)
    assert described(result, "Wang Wentao") == ("Commerce Minister", "CHN", None)
    assert person(result, "Don Farrell").count == 2
    assert person(result, "Wang Wentao").count == 2
    # "Wang" here is the commerce minister, not the gazetteer's foreign minister Wang Yi.
    assert person(result, "Wang Yi") is None


def test_modifiers_multi_word_names_and_lower_case_roles(analyse):
    result = analyse(
        "Roles",
        "Deputy Foreign Minister Sergei Ryabkov spoke first.",
        "Mexican Security Minister Omar García Harfuch listened.",
        "Chinese foreign ministry spokesperson Guo Jiakun disagreed.",
        "Philippine Foreign Secretary Teresa Lazarillo replied.",
        "He met Foreign Minister Juan Ramón de la Fuente later.",
    )
    assert described(result, "Sergei Ryabkov") == ("Deputy Foreign Minister", None, None)
    assert described(result, "Omar García Harfuch") == ("Security Minister", "MEX", None)
    assert described(result, "Guo Jiakun") == ("foreign ministry spokesperson", "CHN", None)
    assert described(result, "Teresa Lazarillo") == ("Foreign Secretary", "PHL", None)
    assert described(result, "Juan Ramón de la Fuente")[0] == "Foreign Minister"


def test_possessive_country_portfolios_and_counterparts(analyse):
    result = analyse(
        "Talks",
        "Pakistan's Interior Minister Mohsin Naqvi and India's Commerce and Industry Minister Piyush Goyal spoke.",
        "Canada's Minister of International Trade Maninder Sidhu arrived.",
        "Turkish Foreign Minister Hakan Fidan met his Greek counterpart Giorgos Gerapetritis.",
    )
    assert described(result, "Mohsin Naqvi") == ("Interior Minister", "PAK", None)
    assert described(result, "Piyush Goyal") == ("Commerce and Industry Minister", "IND", None)
    assert described(result, "Maninder Sidhu") == ("Minister of International Trade", "CAN", None)
    assert described(result, "Giorgos Gerapetritis") == ("Foreign Minister", "GRC", None)


def test_apposition_gives_role_and_country(analyse):
    result = analyse(
        "Arms",
        "Sergei Ryabkov, Russia's deputy foreign minister, said the limits would hold.",
        "Teresa Lazarillo, the Philippine foreign secretary, said Manila would protest.",
    )
    assert described(result, "Sergei Ryabkov") == ("deputy foreign minister", "RUS", None)
    assert described(result, "Teresa Lazarillo") == ("foreign secretary", "PHL", None)


def test_titles_without_names_and_words_that_are_not_names(analyse):
    result = analyse(
        "Trade",
        "The Trade Minister said on Monday that talks would resume.",
        "Commerce Minister Monday Morning was not a name anyone used.",
        "Foreign Minister Office staff and the Defence Ministry met.",
        "Meanwhile Trade Minister said little.",
        "Minister of Agriculture John Smith spoke.",
    )
    names = {p.name for p in result.people}
    assert names == set(), names


def test_a_headline_names_someone_before_the_lead_gives_the_role(analyse):
    result = analyse(
        "Farrell meets Wang Wentao in Beijing",
        "Australian Trade Minister Don Farrell and Chinese Commerce Minister Wang Wentao met on Tuesday.",
    )
    assert person(result, "Don Farrell").count == 2
    assert person(result, "Wang Wentao").count == 2


def test_event_people_are_those_of_its_own_sentence(analyse):
    result = analyse(
        "Talks",
        "Indian Trade Minister Arjun Mehra and Brazilian Trade Minister Paulo Serrano held talks on Monday.",
        "Prime Minister Narendra Modi and President Luiz Inácio Lula da Silva are due to hold talks between India and Brazil in May.",
    )
    talks = [e for e in result.events if e.type is EventType.TALKS]
    assert len(talks) == 1 and talks[0].mentions == 2
    assert talks[0].people == ("Arjun Mehra", "Paulo Serrano")


def test_the_ministers_are_the_ministers_of_the_two_countries(analyse):
    result = analyse(
        "Trade",
        "Australian Trade Minister Don Farrell and Chinese Commerce Minister Wang Wentao agreed on Tuesday to set up a working group.",
        "The ministers met for about two hours in Beijing with China and Australia officials.",
        "Prime Minister Anthony Albanese and Premier Li Qiang are due to hold talks between China and Australia later in 2026.",
    )
    talks = [e for e in result.events if e.type is EventType.TALKS]
    assert talks and talks[0].sentence.startswith("The ministers met")
    assert set(talks[0].people) == {"Don Farrell", "Wang Wentao"}


def test_the_two_leaders_are_the_leaders_not_the_ministers(analyse):
    result = analyse(
        "Summit",
        "Japanese Prime Minister Sanae Takaichi and South Korean President Lee Jae-myung signed a supply chain agreement, with Japanese Foreign Minister Toshimitsu Motegi present.",
        "The two leaders held talks on Japan and South Korea's supply chains.",
    )
    talks = [e for e in result.events if e.sentence.startswith("The two leaders")]
    assert talks and set(talks[0].people) == {"Sanae Takaichi", "Lee Jae-myung"}


def test_sample_article_people_and_who_met_whom():
    (draft,) = [d for d in read_inputs([str(SAMPLE)])]
    analysis = analyze_article(draft, summary_sentences=0)
    assert described(analysis, "Don Farrell") == ("Trade Minister", "AUS", None)
    assert described(analysis, "Wang Wentao") == ("Commerce Minister", "CHN", None)
    talks = next(e for e in analysis.events if e.type is EventType.TALKS and e.sentence.startswith("The ministers met"))
    assert set(talks.people) == {"Don Farrell", "Wang Wentao"}
    assert set(talks.countries) == {"CHN", "AUS"}
