"""People: gazetteer office-holders with their role on the article's date, and people the text introduces."""

from __future__ import annotations

from datetime import date


def person(analysis, name):
    return next((p for p in analysis.people if p.name == name), None)


def test_full_name_then_surname_is_one_person_with_role_and_country(analyse):
    result = analyse("Call", "Russian President Vladimir Putin called on Monday. Putin said the talks went well.")
    putin = person(result, "Vladimir Putin")
    assert putin is not None
    assert (putin.count, putin.role, putin.country, putin.person_id) == (2, "President", "RUS", "vladimir-putin")


def test_surname_alone_resolves_to_the_office_holder_on_the_article_date(analyse):
    result = analyse("Summit", "Xi told reporters the summit would go ahead.")
    xi = person(result, "Xi Jinping")
    assert xi is not None and xi.role == "President" and xi.country == "CHN"


def test_current_and_former_presidents_follow_the_article_date(analyse):
    in_2024 = analyse("Race", "President Biden met Trump.", published=date(2024, 6, 1))
    assert person(in_2024, "Joe Biden").role == "President"
    assert person(in_2024, "Donald Trump").role == "former President"
    in_2026 = analyse("Race", "Biden criticised Trump.", published=date(2026, 2, 5))
    assert person(in_2026, "Joe Biden").role == "former President"
    assert person(in_2026, "Donald Trump").role == "President"


def test_common_surname_needs_a_title_or_a_full_mention(analyse):
    titled = analyse("Seoul", "President Lee met business leaders.")
    assert person(titled, "Lee Jae-myung") is not None
    bare = analyse("Seoul", "Lee met business leaders.")
    assert person(bare, "Lee Jae-myung") is None


def test_person_not_in_gazetteer_with_affiliation_and_later_surname(analyse):
    result = analyse(
        "Views",
        "Wang Yiwei, a professor at Renmin University, commented on the talks. Wang emphasized multilateralism.",
    )
    wang = person(result, "Wang Yiwei")
    assert wang is not None
    assert wang.count == 2
    assert wang.role == "professor at Renmin University"
    assert wang.affiliation == "Renmin University"
    assert wang.person_id is None
    # The foreign minister shares the surname but is not named here.
    assert person(result, "Wang Yi") is None


def test_surname_follows_the_person_named_in_full(analyse):
    result = analyse("Diplomacy", "Foreign Minister Wang Yi met his counterpart. Wang said ties were strong.")
    wang = person(result, "Wang Yi")
    assert wang is not None and wang.count == 2 and wang.role == "Foreign Minister"


def test_other_introductions(analyse):
    result = analyse(
        "Views",
        "Analyst Maria Lopez said the deal was fragile. Jane Doe, a senior fellow at Chatham House, disagreed.",
    )
    lopez = person(result, "Maria Lopez")
    doe = person(result, "Jane Doe")
    assert lopez is not None and lopez.role == "analyst"
    assert doe is not None and doe.affiliation == "Chatham House"


def test_organisation_officials_carry_their_organisation(analyse):
    result = analyse("UN", "Secretary-General António Guterres urged restraint.")
    guterres = person(result, "António Guterres")
    assert guterres.role == "Secretary-General" and guterres.affiliation == "United Nations" and guterres.country is None
