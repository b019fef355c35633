"""Tests of span clean-up, articles/nlp/spans.py: the names inside each model entity.

``names_in`` is tested on entities set by hand (what the stage does with an entity,
whatever the statistical model finds), ``analyse`` on what a reader sees.
"""

from __future__ import annotations

import pytest

from articles.nlp.knowledge_base import knowledge_base
from articles.nlp.mentions import EntityType
from articles.nlp.spans import names_in
from articles.nlp.text import lower_case_words
from tests.nlp.support import doc_with_entity, entities_in, mentions_in

pytestmark = pytest.mark.nlp


def names(text: str, words: str, label: str) -> list[tuple[str, str]]:
    """The (surface, label) of each name ``names_in`` finds in one entity set by hand."""
    _, entity = doc_with_entity(text, words, label)
    found = names_in(entity, text=text, lower_words=lower_case_words(text), kb=knowledge_base())
    for start, end, surface, _ in found:
        assert text[start:end] == surface
    return [(name.surface, name.label) for name in found]


def test_leading_determiner_and_possessive_are_trimmed():
    mentions = mentions_in("The talks were hosted by the United Nations's envoy.")
    assert [m.surface for m in mentions] == ["United Nations"]


def test_titles_and_roles_are_trimmed_from_person_names():
    mentions = mentions_in("U.S. Secretary of State John Kerry flew to Paris on Monday.")
    people = [m for m in mentions if m.entity.type == "PERSON"]
    assert [m.surface for m in people] == ["John Kerry"]
    assert "State" not in {m.surface for m in mentions}


def test_titles_are_trimmed_before_a_name_with_lower_case_particles():
    text = "Crown Prince Mohammed bin Salman met Mayor Pete van Horn in Riyadh."
    assert names(text, "Crown Prince Mohammed bin Salman", "PERSON") == [
        ("Mohammed bin Salman", "PERSON")
    ]
    assert names(text, "Mayor Pete van Horn", "PERSON") == [("Pete van Horn", "PERSON")]


def test_a_person_s_name_cut_on_a_surname_particle_takes_the_rest_of_the_surname():
    text = "Commission President Ursula von der Leyen met him."
    assert names(text, "Ursula von", "PERSON") == [("Ursula von der Leyen", "PERSON")]
    people = [m.surface for m in mentions_in(text) if m.entity.type == "PERSON"]
    assert people == ["Ursula von der Leyen"]


def test_a_person_s_name_cut_before_a_surname_particle_takes_the_rest_of_the_surname():
    text = "Manager Erik ten Hag was sacked, and Erik ten times said no."
    assert names(text, "Erik", "PERSON") == [("Erik ten Hag", "PERSON")]
    assert names("Erik ten times said no.", "Erik", "PERSON") == [("Erik", "PERSON")]


def test_an_agent_noun_before_a_full_name_is_an_occupation_not_a_name():
    text = "Farmer Tendai Moyo and Councilwoman Ngozi Eze met Tyler Jo Reed and Carter Page."
    assert names(text, "Farmer Tendai Moyo", "PERSON") == [("Tendai Moyo", "PERSON")]
    assert names(text, "Councilwoman Ngozi Eze", "PERSON") == [("Ngozi Eze", "PERSON")]
    assert names(text, "Tyler Jo Reed", "PERSON") == [("Tyler Jo Reed", "PERSON")]
    assert names(text, "Carter Page", "PERSON") == [("Carter Page", "PERSON")]


def test_foreign_honorifics_are_trimmed_and_no_name_alone():
    text = "The letters hint that Mlle Dupont had confided in him, and Herr Weber too."
    assert names(text, "Mlle Dupont", "PERSON") == [("Dupont", "PERSON")]
    assert names(text, "Herr Weber", "PERSON") == [("Weber", "PERSON")]
    assert names("It hints that Mlle. du Motel had confided in him.", "Mlle", "PERSON") == []


def test_the_president_is_not_a_name():
    text = "President Barack Obama spoke on Monday. The president said he was pleased."
    assert [m.surface for m in mentions_in(text)] == ["Barack Obama"]


def test_person_name_cut_short_by_the_model_is_extended_over_capitalised_neighbours():
    text = "Guests included the singer-songwriter Carly Simon."
    assert names(text, "Simon", "PERSON") == [("Carly Simon", "PERSON")]
    people = [m.surface for m in mentions_in(text) if m.entity.type == "PERSON"]
    assert people == ["Carly Simon"]


def test_a_hyphenated_surname_counts_as_one_word_of_a_name_extended():
    text = "In 1997, he married María Elena Fernandez-Miranda, a lawyer and diplomatic attache."
    assert names(text, "Elena Fernandez-Miranda", "PERSON") == [
        ("María Elena Fernandez-Miranda", "PERSON")
    ]


def test_a_person_s_name_is_not_extended_over_a_century():
    text = "The project studies a unique collection of 17th Century Zurbarán paintings."
    assert names(text, "Zurbarán", "PERSON") == [("Zurbarán", "PERSON")]


def test_person_name_is_not_extended_in_a_title_cased_headline():
    text = "Singer Returns Home With Simon Tonight\n\nShe said so."
    assert names(text, "Simon", "PERSON") == [("Simon", "PERSON")]


def test_acronym_in_parentheses_inside_an_entity_is_its_own_mention():
    text = "The World Health Organisation (WHO) recommends iodised salt. The WHO says so."
    mentions = mentions_in(text)
    assert [m.surface for m in mentions] == ["World Health Organisation", "WHO", "WHO"]
    assert len({m.entity for m in mentions}) == 1


def test_lower_case_tail_and_trailing_role_are_not_part_of_an_organisation():
    text = (
        "According to Yonhap news agency, the talks failed. "
        "NASA Administrator Charles Bolden announced the plan."
    )
    assert [m.surface for m in mentions_in(text)] == ["Yonhap", "NASA", "Charles Bolden"]


def test_lower_case_words_and_results_split_joined_names():
    text = "Garrett hit Rudolph and Bank of America and Melbourne d. Cocoa"
    assert names(text, "Garrett hit Rudolph", "PERSON") == [
        ("Garrett", "PERSON"),
        ("Rudolph", "PERSON"),
    ]
    assert names(text, "Bank of America", "ORG") == [("Bank of America", "ORG")]
    assert names(text, "Melbourne d. Cocoa", "ORG") == [("Melbourne", "ORG"), ("Cocoa", "ORG")]


def test_leading_words_before_a_given_name_are_dropped():
    assert names("Email Tariq Malik", "Email Tariq Malik", "PERSON") == [("Tariq Malik", "PERSON")]
    assert names("Kathleen Hawk Sawyer", "Kathleen Hawk Sawyer", "PERSON") == [
        ("Kathleen Hawk Sawyer", "PERSON")
    ]
    # Given names common in three or more countries (knowledge/world_given_names.txt).
    assert names("Odette Elliott Padalecki", "Odette Elliott Padalecki", "PERSON") == [
        ("Odette Elliott Padalecki", "PERSON")
    ]
    assert names("Farouk Ben Mustapha", "Farouk Ben Mustapha", "PERSON") == [
        ("Farouk Ben Mustapha", "PERSON")
    ]
    assert names("YouTuber Julien Solomita", "YouTuber Julien Solomita", "PERSON") == [
        ("Julien Solomita", "PERSON")
    ]


def test_trailing_scores_and_roster_numbers_are_trimmed():
    assert names("Nicolas Jarry 6-4", "Nicolas Jarry 6-4", "PERSON") == [
        ("Nicolas Jarry", "PERSON")
    ]
    assert names("Adrianna Knight 12", "Adrianna Knight 12", "PERSON") == [
        ("Adrianna Knight", "PERSON")
    ]
    assert names("Chile 3-0", "Chile 3-0", "GPE") == [("Chile", "GPE")]
    assert names("Thunderbolt 3", "Thunderbolt 3", "ORG") == [("Thunderbolt 3", "ORG")]


def test_underscore_joined_role_is_split_from_the_name():
    mentions = mentions_in("Art Director_Park Dong Woo designed the stage.")
    assert [m.surface for m in mentions] == ["Park Dong Woo"]


def test_party_adjective_is_extended_over_party():
    text = "The Communist Party said on Monday that it would hold talks in Beijing."
    assert names(text, "Communist", "NORP") == [("Communist Party", "ORG")]
    assert names("The Communist party met.", "Communist", "ORG") == [("Communist party", "ORG")]
    # Not an adjective that names a party: the entity stays as it is.
    assert names("The Acme party ended late.", "Acme", "ORG") == [("Acme", "ORG")]
    entities = {m.surface: m.entity for m in mentions_in(text)}
    assert "Communist" not in entities
    assert entities["Communist Party"].type == "ORG"


def test_an_adjective_with_pro_or_anti_is_no_mention():
    assert names("Thousands of pro-Beijing protesters", "Beijing", "GPE") == []
    assert names("An anti-ISIL coalition met.", "anti-ISIL", "ORG") == []


def test_a_generation_suffix_is_never_a_name_nor_cuts_one_after_a_role_word():
    # "King" is a role word; "Jr" after it is no name that follows a role.
    mentions = mentions_in("Martin Luther King Jr spoke in Selma. Jr was a nickname.")
    people = [m for m in mentions if m.entity.type == EntityType.PERSON]
    assert [m.surface for m in people] == ["Martin Luther King Jr"]


def test_the_surname_of_a_name_with_a_generation_suffix_is_the_word_before_it():
    mentions = mentions_in("Robert Downey Jr. arrived in Rome. Downey said he was happy.")
    downey = [m for m in mentions if "Downey" in m.surface]
    assert [m.surface for m in downey] == ["Robert Downey Jr.", "Downey"]
    assert len({m.entity for m in downey}) == 1


def test_a_word_that_opens_the_sentence_is_not_part_of_the_name():
    text = (
        "Despite Daniel's attempts at reconciliation, his father refused. Daniel left. "
        "He said, 'Hey Frank, my name is John.'"
    )
    assert {m.surface for m in mentions_in(text) if m.entity.type == EntityType.PERSON} == {
        "Daniel",
        "Frank",
        "John",
    }


def test_an_abbreviation_ending_a_sentence_does_not_swallow_the_next_word():
    text = (
        "Employers added 200,000 jobs in May. Growth was strong in the U.S. "
        "Jobs also rose in Canada. The U.S. Army said it would hire more."
    )
    surfaces = {m.surface: m.entity for m in mentions_in(text)}
    assert surfaces["U.S."].name == "United States"
    assert "U.S. Jobs" not in surfaces
    assert surfaces["U.S. Army"].type == EntityType.ORG


def test_a_surname_of_the_text_after_an_abbreviation_s_dot_starts_a_sentence():
    text = "Steve Jobs spoke. It sells in the U.S. Jobs also noted the price."
    doc, entity = doc_with_entity(text, "U.S. Jobs", "ORG")
    steve = doc.char_span(0, 10, label="PERSON")
    doc.ents = [steve, entity]
    found = names_in(
        doc.ents[1], text=text, lower_words=lower_case_words(text), kb=knowledge_base()
    )
    assert [name.surface for name in found] == ["U.S."]
    assert names(text, "U.S. Jobs", "ORG") == [("U.S. Jobs", "ORG")]  # no Steve Jobs


def test_names_listed_with_commas_are_not_one_organisation():
    assert names("It was written by Smith, Jones and colleagues.", "Smith, Jones", "ORG") == [
        ("Smith", "ORG"),
        ("Jones", "ORG"),
    ]
    firm = "Shares of Skadden, Arps, Slate, Meagher & Flom rose."
    assert len(names(firm, "Skadden, Arps, Slate, Meagher & Flom", "ORG")) == 1
    university = "She taught at the University of California, Berkeley."
    assert len(names(university, "University of California, Berkeley", "ORG")) == 1
    assert names("Apple, Inc. rose.", "Apple, Inc.", "ORG") == [("Apple, Inc.", "ORG")]


def test_an_occupation_before_a_name_is_not_part_of_it():
    text = (
        "Economist Siobhan Ngata said rates would fall. Ngata works in Wellington. "
        "Mathematician Hermann Weyl visited Princeton."
    )
    people = {m.surface for m in mentions_in(text) if m.entity.type == EntityType.PERSON}
    assert people == {"Siobhan Ngata", "Ngata", "Hermann Weyl"}


def test_letters_after_a_person_s_name_are_not_part_of_it():
    text = "Daniel Bernoulli FRS was a mathematician. Henry Ford III spoke. Jane Roe PhD agreed."
    people = {m.surface for m in mentions_in(text) if m.entity.type == EntityType.PERSON}
    assert people == {"Daniel Bernoulli", "Henry Ford III", "Jane Roe"}


def test_a_dateline_and_a_ticker_are_not_part_of_a_company_name():
    text = (
        "FRANKFURT - Northwind AG (NWDG.F) said profits fell. Northwind shares rose.\n\n"
        "SEATTLE -- Microsoft Corp MSFT.O said on Tuesday it would cut jobs."
    )
    names = entities_in(text)
    assert names["Northwind AG"] == names["Northwind"]
    assert names["Microsoft Corp"].type == EntityType.ORG
    assert names["FRANKFURT"].type == names["SEATTLE"].type == EntityType.PLACE
    assert not any("-" in surface or "." in surface for surface in names)


def test_a_nationality_before_an_organisation_s_name_is_part_of_it():
    text = "According to the Saudi Interior Ministry, 345 pilgrims died in the stampede."
    assert names(text, "Saudi", "NORP") == [("Saudi Interior Ministry", "ORG")]
    text = "The Saudi Prince Khalid arrived in Mecca with the Saudi delegation."
    assert names(text, "Saudi", "NORP") == [("Saudi", "NORP")]


def test_a_weekday_after_an_organisation_is_no_part_of_its_name():
    text = "The founder was interviewed by Wikinews Saturday, January 31, 2009 at home."
    assert names(text, "Wikinews Saturday", "ORG") == [("Wikinews", "ORG")]
    text = "He wrote for the Mail on Sunday for years before he retired."
    assert names(text, "Mail on Sunday", "ORG") == [("Mail on Sunday", "ORG")]


def test_a_currency_sign_is_no_part_of_a_name():
    text = "The beverage is priced at US $ 8.00 in the bars of the city."
    assert names(text, "US $", "GPE") == [("US", "GPE")]


def test_a_title_before_a_building_s_name_is_part_of_it():
    text = "We prayed at the 4 Sheikh Lotf Allah Mosque, then walked along the square."
    assert names(text, "Lotf Allah Mosque", "FAC") == [("Sheikh Lotf Allah Mosque", "FAC")]
    text = "We walked in Fort Lee Historic Park and then sat down on the grass."
    assert names(text, "Lee Historic Park", "PERSON") == [("Fort Lee Historic Park", "PERSON")]
    text = "Walkers follow The Katy Trail for miles along the river and back."
    assert names(text, "Katy Trail", "FAC") == [("Katy Trail", "FAC")]


def test_a_town_named_with_a_word_between_hyphens_is_one_place():
    text = "Fans from Stratford-upon-Avon met in Bourg-la-Reine."
    assert names(text, "Stratford", "PERSON") == [("Stratford-upon-Avon", "GPE")]
    assert names(text, "Bourg", "GPE") == [("Bourg-la-Reine", "GPE")]
    found = entities_in("Fans from Rostov-on-Don and Southend-on-Sea came.")
    assert found["Rostov-on-Don"].type == EntityType.PLACE


def test_a_name_joined_by_an_ezafe_is_one_name():
    text = "We walked north of Naqsh-e Jahan in the old quarter."
    assert names(text, "Naqsh", "GPE") == [("Naqsh-e Jahan", "GPE")]
    found = entities_in("The Naqsh-e Jahan Square is huge. It has a fine mosque.")
    assert found["Naqsh-e Jahan Square"].type == EntityType.PLACE


def test_a_given_name_after_a_hyphenated_particle_does_not_start_the_name():
    text = "General Abd al-Karim Qasim ruled Iraq."
    assert names(text, "Abd al-Karim Qasim", "PERSON") == [("Abd al-Karim Qasim", "PERSON")]


def test_authors_joined_by_ampersand_and_cited_are_each_a_person():
    cited = mentions_in("Players track objects better (Dwyer & Bellamy, 2010; Fenwick, 2007).")
    assert [(m.surface, m.entity.type) for m in cited][:2] == [
        ("Dwyer", EntityType.PERSON),
        ("Bellamy", EntityType.PERSON),
    ]
    assert set(entities_in("Earlier work (Heddon & Tavares 2011; Mirkovic 2010) disagrees.")) >= {
        "Heddon",
        "Tavares",
    }
    # A firm named after its founders is not cited so: one name.
    assert "Marks & Spencer" in entities_in("He joined Marks & Spencer in 2010.")
