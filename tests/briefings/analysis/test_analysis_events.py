"""Events: type, polarity, dyad, cue and ordering."""

from __future__ import annotations

from briefings.analysis.model import REPORTED_SCORE, EventType, Polarity


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


def reported(analysis, *types):
    return [e for e in analysis.events if e.type in types and not e.background]


def test_a_past_meeting_referred_to_is_background_and_not_another_mention(analyse):
    result = analyse(
        "Talks",
        "India and Japan held talks on Monday.",
        "Recalling their previous summit in Tokyo, the two sides praised the partnership.",
    )
    talks = reported(result, EventType.TALKS)
    assert [frozenset(e.countries) for e in talks] == [frozenset({"IND", "JPN"})]
    assert talks[0].mentions == 1
    past = [e for e in result.events if e.background]
    assert past and all(e.score < REPORTED_SCORE for e in past)
    assert all(e.score >= REPORTED_SCORE for e in result.events if not e.background)


def test_countries_listed_as_examples_are_not_headline_visits(analyse):
    result = analyse(
        "A busy week",
        "Egypt and Qatar signed an agreement on gas on Tuesday.",
        "The week also saw delegations from countries such as Chile, Peru and Kenya visiting India.",
    )
    assert reported(result, EventType.TALKS, EventType.VISIT) == []
    visits = [e for e in result.events if e.type is EventType.VISIT]
    assert {e.countries for e in visits} == {("CHL", "IND"), ("PER", "IND"), ("KEN", "IND")}
    assert all(e.background for e in visits)
    primary = result.primary_event
    assert primary.type is EventType.AGREEMENT and set(primary.countries) == {"EGY", "QAT"}
    # Reported events rank above every background one.
    assert [e.background for e in result.events] == sorted(e.background for e in result.events)


def test_the_backdrop_of_a_story_is_background(analyse):
    result = analyse(
        "Trade pact",
        "Brazil and Argentina signed a trade agreement on Friday.",
        "The backdrop of the deal is rising tension in the region, including threats between Venezuela and Guyana.",
    )
    assert set(result.primary_event.countries) == {"BRA", "ARG"}
    for event in result.events:
        if {"VEN", "GUY"} & set(event.countries):
            assert event.background


def test_a_country_that_is_the_topic_is_not_a_party(analyse):
    result = analyse("Talks", "Talks on the issue of Myanmar were held by Japanese and Indian officials.")
    assert [frozenset(e.countries) for e in result.events if e.type is EventType.TALKS] == [frozenset({"JPN", "IND"})]


def test_the_city_where_an_agreement_was_signed_is_not_a_party(analyse):
    result = analyse("Peace", "Congo said a peace agreement signed with Rwanda in Washington was slow to take effect.")
    agreements = [frozenset(e.countries) for e in result.events if e.type is EventType.AGREEMENT]
    assert agreements == [frozenset({"COD", "RWA"})]


def test_partners_far_apart_are_not_one_list_of_counterparts(analyse):
    result = analyse("Day", "Chinese officials held talks with Russia before urging the United States to show restraint.")
    assert [frozenset(e.countries) for e in result.events if e.type is EventType.TALKS] == [frozenset({"CHN", "RUS"})]
