"""Countries found in text, including the names that mean different things in different places."""

from __future__ import annotations

import pytest

from briefings.analysis.countries import country_name, resolve_country
from briefings.errors import NotFound


def codes(analysis) -> set[str]:
    return set(analysis.country_codes)


def test_names_short_forms_and_possessives(analyse):
    result = analyse(
        "Leaders meet",
        "The United States and the UK backed the plan, while South Korea and North Korea traded charges.",
        "China's economy slowed and Russia’s army advanced; Britain and the U.S. protested.",
    )
    assert codes(result) == {"USA", "GBR", "KOR", "PRK", "CHN", "RUS"}
    usa = next(c for c in result.countries if c.code == "USA")
    assert usa.count == 2 and set(usa.forms) == {"United States", "U.S."}


def test_demonyms_inside_hyphenated_compounds(analyse):
    result = analyse("Ties", "Sino-Russian ties deepened as U.S.-China relations cooled after the Russian-brokered truce.")
    assert codes(result) == {"CHN", "RUS", "USA"}
    china = next(c for c in result.countries if c.code == "CHN")
    assert "Sino-" in china.forms and "China" in china.forms


def test_prefix_needs_its_hyphen(analyse):
    assert "CHN" not in codes(analyse("Sino", "Sino is the name of a small café in Lisbon."))


def test_capitals_stand_for_governments(analyse):
    result = analyse("Reaction", "Beijing said the move was unacceptable, and Moscow agreed while Kyiv stayed silent.")
    assert codes(result) == {"CHN", "RUS", "UKR"}


def test_washington_the_government_not_the_person_or_the_state(analyse):
    government = analyse("Tariffs", "Washington imposed new tariffs on steel.")
    assert codes(government) == {"USA"}
    person = analyse("Farm", "Mr Washington, a local farmer, said the rains came late.")
    assert "USA" not in codes(person)
    founder = analyse("History", "George Washington crossed the river in 1776.")
    assert "USA" not in codes(founder)
    state = analyse("Fires", "Washington state officials ordered evacuations east of Seattle.")
    assert "USA" not in codes(state)
    surname = analyse("Film", "The actor Denzel Washington arrived at the festival.")
    assert "USA" not in codes(surname)


def test_georgia_the_country_and_the_us_state(analyse):
    country = analyse("Protests", "Georgia's prime minister met EU envoys in Tbilisi as protests grew.")
    assert "GEO" in codes(country)
    state = analyse("Vote", "Voters in Georgia queued in Atlanta as the Senate race tightened, Republican officials said.")
    assert "GEO" not in codes(state)
    state_of = analyse("Court", "A court in the state of Georgia ruled on Tuesday.")
    assert "GEO" not in codes(state_of)


def test_turkey_and_turkiye_are_one_country_and_the_bird_is_not(analyse):
    result = analyse("Talks", "Türkiye hosted the talks; Turkey's foreign minister chaired them.")
    assert codes(result) == {"TUR"}
    assert next(c for c in result.countries if c.code == "TUR").count == 2
    assert codes(analyse("Dinner", "They served roast turkey and pie.")) == set()


def test_congo_is_read_from_the_article(analyse):
    assert codes(analyse("Fighting", "Fighting in eastern Congo spread near Goma.")) == {"COD"}
    assert codes(analyse("Election", "Congo's president spoke in Brazzaville after the vote.")) == {"COG"}
    # Without any pointer, "Congo" is the Democratic Republic of the Congo (the documented default).
    assert codes(analyse("Mining", "Congo exports most of the world's cobalt.")) == {"COD"}
    assert codes(analyse("Names", "The Democratic Republic of the Congo and the Republic of the Congo share a river.")) == {"COD", "COG"}


def test_china_inside_south_china_sea_is_a_place_not_the_country(analyse):
    assert codes(analyse("Patrol", "Ships patrolled the South China Sea overnight.")) == set()
    result = analyse("Clash", "China and the Philippines clashed in the South China Sea.")
    assert codes(result) == {"CHN", "PHL"}
    assert next(c for c in result.countries if c.code == "CHN").count == 1


def test_america_and_indian_only_where_they_mean_the_country(analyse):
    assert codes(analyse("Trade", "Latin America and South America trade more with Asia.")) == set()
    assert codes(analyse("Policy", "America First shaped the budget.")) == {"USA"}
    assert codes(analyse("Navy", "Warships crossed the Indian Ocean.")) == set()
    assert codes(analyse("Visit", "Indian officials arrived on Monday.")) == {"IND"}


def test_all_caps_headline(analyse):
    assert codes(analyse("CHINA AND RUSSIA SIGN ENERGY DEAL", "The deal was signed.")) == {"CHN", "RUS"}
    assert "USA" not in codes(analyse("LET US HOPE FOR PEACE IN THE REGION", "A plea."))
    assert "USA" in codes(analyse("US TROOPS LEAVE SYRIA AFTER TEN YEARS", "The withdrawal began."))
    # "WHO" in capitals is the word, not the organisation.
    assert analyse("WHO WILL LEAD THE PARTY NOW", "A question.").organisations == ()


def test_disputed_and_special_territories_keep_their_own_codes(analyse):
    result = analyse(
        "Territories",
        "Taipei protested, Kosovo applied, Gaza waited, Hong Kong and Macau reopened, and Western Sahara talks resumed.",
    )
    assert codes(result) == {"TWN", "XKX", "PSE", "HKG", "MAC", "ESH"}
    assert "CHN" not in codes(result)


def test_people_name_their_country(analyse):
    result = analyse("Call", "Putin spoke for an hour.")
    assert codes(result) == {"RUS"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China", "CHN"), ("CN", "CHN"), ("chn", "CHN"), ("PRC", "CHN"), ("UK", "GBR"),
        ("Britain", "GBR"), ("U.S.", "USA"), ("us", "USA"), ("the United States", "USA"),
        ("Türkiye", "TUR"), ("Turkey", "TUR"), ("South Korea", "KOR"), ("Kosovo", "XKX"),
        ("taiwan", "TWN"), ("Congo", "COD"), ("Ivory Coast", "CIV"),
    ],
)  # fmt: skip
def test_resolve_country(text, code):
    assert resolve_country(text) == code


def test_resolve_country_suggests_close_names():
    with pytest.raises(NotFound) as error:
        resolve_country("Chna")
    assert "Chna" in str(error.value) and "China" in str(error.value)


def test_country_name():
    assert country_name("USA") == "United States"
    assert country_name("TWN") == "Taiwan"
    assert country_name("chn") == "China"
    with pytest.raises(NotFound):
        country_name("ZZZ")
