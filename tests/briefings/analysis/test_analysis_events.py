"""Events: type, polarity, dyad, cue and ordering."""

from __future__ import annotations

from briefings.analysis.model import EventType, Polarity


def dyads(analysis, event_type):
    return [frozenset(e.countries) for e in analysis.events if e.type is event_type]


def test_talks_dyad_through_peoples_countries(analyse):
    result = analyse("Summit", "Xi held talks with Putin in Moscow on Tuesday.")
    event = result.primary_event
    assert event.type is EventType.TALKS and event.polarity is Polarity.COOPERATIVE
    assert set(event.countries) == {"CHN", "RUS"}
    assert event.cue == "held talks"
    assert set(event.people) == {"Xi Jinping", "Vladimir Putin"}


def test_separate_meetings_give_separate_dyads(analyse):
    result = analyse("Day", "Chinese President Xi Jinping held separate meetings with Russian President Vladimir Putin and U.S. President Donald Trump.")
    assert set(dyads(result, EventType.TALKS)) == {frozenset({"CHN", "RUS"}), frozenset({"CHN", "USA"})}


def test_visit_host_is_the_country_after_the_cue(analyse):
    result = analyse("Visits", "Delegations from Canada and Finland were visiting China this week.")
    assert [e.countries for e in result.events if e.type is EventType.VISIT] == [("CAN", "CHN"), ("FIN", "CHN")]


def test_conflictual_types(analyse):
    sanction = analyse("Sanctions", "The EU imposed sanctions on Iran over drones.").primary_event
    assert (sanction.type, sanction.polarity, sanction.countries) == (EventType.SANCTION, Polarity.CONFLICTUAL, ("IRN",))
    threat = analyse("Threat", "North Korea threatened South Korea with retaliation.").primary_event
    assert threat.type is EventType.THREAT and set(threat.countries) == {"PRK", "KOR"}
    criticism = analyse("Row", "China condemned Japan over the visit.").primary_event
    assert criticism.type is EventType.CRITICISM and criticism.polarity is Polarity.CONFLICTUAL
    strike = analyse("Strikes", "Russia launched missile strikes on Ukraine overnight.").primary_event
    assert strike.type is EventType.MILITARY and set(strike.countries) == {"RUS", "UKR"}


def test_cancelled_talks_are_conflictual(analyse):
    event = analyse("Off", "India cancelled talks with Pakistan.").primary_event
    assert event.type is EventType.TALKS and event.polarity is Polarity.CONFLICTUAL


def test_agreement_and_economic(analyse):
    agreement = analyse("Deal", "Egypt and Qatar signed an agreement on gas.").primary_event
    assert agreement.type is EventType.AGREEMENT and set(agreement.countries) == {"EGY", "QAT"}
    economic = analyse("Trade", "Economic relations between Brazil and Argentina grew as exports rose.").primary_event
    assert economic.type is EventType.ECONOMIC


def test_main_event_comes_first(analyse):
    result = analyse(
        "Japan and Australia sign defence pact",
        "Japan and Australia signed a defence agreement in Tokyo.",
        "Separately, Spain criticised Morocco over fishing.",
    )
    assert set(result.events[0].countries) == {"JPN", "AUS"}
    assert [e.score for e in result.events] == sorted((e.score for e in result.events), reverse=True)


def test_unclassified_fallback(analyse):
    result = analyse("Weather", "Snow fell across Norway.")
    assert [(e.type, e.countries) for e in result.events] == [(EventType.UNCLASSIFIED, ("NOR",))]
