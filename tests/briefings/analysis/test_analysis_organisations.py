"""Organisations by name and abbreviation."""

from __future__ import annotations


def orgs(analysis) -> dict[str, int]:
    return {o.code: o.count for o in analysis.organisations}


def test_names_and_abbreviations(analyse):
    result = analyse(
        "Bodies",
        "The UN Security Council met as NATO and the EU consulted; the United Nations General Assembly "
        "and the UN refugee agency UNHCR followed. The WHO and the IAEA briefed the SCO, BRICS, the G7, "
        "the G20, ASEAN, the African Union, ECOWAS, the Arab League, the GCC, OPEC+ and the WTO.",
        "The IMF, the World Bank, the OSCE, the Quad and AUKUS were not invited; the UN said so.",
    )
    found = orgs(result)
    expected = {
        "UNSC", "NATO", "EU", "UNGA", "UNHCR", "WHO", "IAEA", "SCO", "BRICS", "G7", "G20", "ASEAN",
        "AU", "ECOWAS", "ARAB-LEAGUE", "GCC", "OPEC+", "WTO", "IMF", "WB", "OSCE", "QUAD", "AUKUS", "UN",
    }  # fmt: skip
    assert expected <= set(found)
    # "UN Security Council" is the council, not a second mention of the UN.
    assert found["UN"] == 1


def test_long_name_and_abbreviation_count_together(analyse):
    result = analyse("Meeting", "The Shanghai Cooperation Organization (SCO) met; the SCO agreed.")
    assert orgs(result) == {"SCO": 2}


def test_words_that_look_like_abbreviations_are_not_organisations(analyse):
    result = analyse("Question", "Nobody knows who will win, and a quad bike crashed.")
    assert orgs(result) == {}
