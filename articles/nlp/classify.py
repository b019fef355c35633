"""Stage 2 of ``analyse()``: each cleaned name gets one of our types, or is dropped.

``chunk_names`` runs stage 1 (spans.py) over a parsed chunk and ``draft_mentions`` this
one over its names (``labels_alone`` asks the model about the parts of an entity of
several names, for all the chunks of a batch at once): the model's label is mapped (GPE
that is a country -> COUNTRY, other GPE/LOC/FAC -> PLACE) and corrected by the knowledge
base, which also gives canonical names ("U.S." -> "United States") and Wikidata ids, and
by head words ("Johnson Space Center" is a place, "Municipality of Livorno" an
organisation, "Dick Clark Productions" a company, "Davis Cup" none of ours). Names that
are none of ours are dropped: pronouns the model takes for names ("Us"), headline
fragments, time zones, peoples ("Palestinians"). Names that share their last words are
each the known entity ("North and South Korea"). An unknown word before a known place is
a person's name with a place for a surname ("Valeska Paris"); an author cited by year is
a person ("Navarro (2016)", "Smith et al."); a peerage is of a place ("Earl of Clare");
a one-word name given a title or an age is a person's, whatever the knowledge base says
("Sen. Lincoln", "Paris, 54,"); a "person" begun by a city's name before a role and a
name is whom that person works for ("Manchester United manager Erik ten Hag").

Some checks need the whole document (see ``analyse._link_document`` for the order):
``without_non_names`` (celestial bodies, storms, "the Bidens") and ``type_national_teams``
(countries either side of a score are teams) run before and around coreference
(coreference.py), with places.py's additions of places the model misses; after it,
places.py types places by context, and ``named_entities`` drops the clusters that name
nothing of ours ("the Hajj", "the film Watchmen", "Woody Allen's Match Point (2005)", a
common word capitalised only where a sentence starts, "a SUT.", "drove a Mustang to").
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import NamedTuple

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from articles.nlp.coreference import Cluster
from articles.nlp.knowledge_base import KnowledgeBase, KnowledgeEntry
from articles.nlp.lexicon import city_population, is_given_name, not_entities, word_list
from articles.nlp.mentions import DraftMention, EntityType
from articles.nlp.spans import PLACE_PREFIXES, TRIM_CHARS, CleanSpan, names_in
from articles.nlp.text import (
    YEAR,
    at_sentence_start,
    in_title_case_line,
    is_acronym,
    lower_case_words,
    normalise_key,
)

__all__ = [
    "PERSON_TITLES",
    "TITLE_BEFORE",
    "ChunkNames",
    "chunk_names",
    "draft_mentions",
    "is_false_name",
    "labels_alone",
    "named_entities",
    "type_national_teams",
    "type_of",
    "without_non_names",
]

# The model's labels (and the entity ruler's, which are our types) as our types.
_MODEL_TYPES = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORG,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "COUNTRY": EntityType.COUNTRY,
    "PLACE": EntityType.PLACE,
}

_ROLE_WORDS = word_list("role_words")
_FUNCTION_WORDS = word_list("function_words")
_COMPANY_SUFFIXES = word_list("company_suffixes")
_FACILITY_WORDS = word_list("facility_words")
_SURNAME_FACILITY_WORDS = word_list("facility_words_also_surnames")
_GEOGRAPHY_WORDS = word_list("geography_words")
_ORG_HEAD_WORDS = word_list("org_head_words")
_SURNAME_ORG_HEAD_WORDS = word_list("org_head_words_also_surnames")
_COMPANY_HEAD_WORDS = word_list("company_head_words")
_PRODUCT_WORDS = word_list("product_words")
_PLACE_TAIL_WORDS = word_list("place_tail_words")
_EVENT_WORDS = word_list("event_words")
_OCCASION_WORDS = word_list("occasion_words")
_CLUB_WORDS = word_list("club_words")
_AIRLINE_WORDS = word_list("airline_words")
_HEADLINE_WORDS = word_list("headline_words")
_WORK_WORDS = word_list("work_words")
_NAME_PARTICLES = word_list("name_particles")
_WORLD_GIVEN_NAMES = word_list("world_given_names")


class ChunkNames(NamedTuple):
    """The cleaned names of one parsed chunk, per model entity, with what typing them
    needs of the chunk: its text, its offset in the document and its lower-case words."""

    text: str
    offset: int
    lower_words: frozenset[str]
    names: list[list[CleanSpan]]


def chunk_names(doc: Doc, text: str, offset: int, *, kb: KnowledgeBase) -> ChunkNames:
    """Stage 1 over one parsed chunk: the names inside each of its entities. ``text`` is
    the chunk as parsed, ``doc.text``, which spaCy joins anew from its tokens."""
    lower_words = lower_case_words(text)
    names = [names_in(entity, text=text, lower_words=lower_words, kb=kb) for entity in doc.ents]
    return ChunkNames(text, offset, lower_words, names)


def labels_alone(chunks: list[ChunkNames], *, kb: KnowledgeBase, nlp: Language) -> dict[str, str]:
    """The label the model gives each unknown part of an entity of several names on its
    own ("" if it finds no one entity that is the whole part), for ``draft_mentions``:
    "Reuters/Christian Hartmann" (a photo credit) is two names, and the model's label was
    for the whole. One ``nlp.pipe`` call for all the chunks of an ``analyse()`` batch."""
    unique = list(
        dict.fromkeys(
            name.surface
            for chunk in chunks
            for names in chunk.names
            if len(names) > 1
            for name in names
            if kb.find(name.surface) is None
        )
    )
    labels: dict[str, str] = {}
    if not unique:
        return labels  # spaCy's pipe costs something even with nothing to parse
    for surface, doc in zip(unique, nlp.pipe(unique), strict=True):
        entities = doc.ents
        whole = len(entities) == 1 and entities[0].text == surface
        labels[surface] = entities[0].label_ if whole else ""
    return labels


def draft_mentions(
    chunk: ChunkNames, *, kb: KnowledgeBase, labels_alone: dict[str, str]
) -> list[DraftMention]:
    """Clean, typed mentions from one parsed chunk's names, offsets shifted by its
    offset; ``labels_alone`` is ``labels_alone()`` over a list holding ``chunk``."""
    found = []
    text, offset, lower_words, entity_names = chunk
    for names in entity_names:
        for start, end, surface, label in names:
            known = kb.find(surface)
            if (
                _is_abbreviation_out_of_place(known, surface, text, start)
                or _is_era(surface, text, start, end)
                or _PEERAGE_TITLE.fullmatch(surface)
                and text.startswith(" of ", end)
            ):
                continue
            if len(names) > 1 and known is None:
                label = labels_alone[surface]
            entity_type = type_of(label, known, surface, kb=kb)
            named_as_person = (
                " " not in surface
                and (known is None or known.type != EntityType.PERSON)
                and _is_named_as_person(label, known, text, start, end)
            )
            if named_as_person:
                # "Sen. Lincoln", "Paris, 54,": the article's evidence beats the
                # knowledge base's prior and the model's other labels (the car maker,
                # the city); coreference gives the name's later mentions to the person.
                known, entity_type = None, EntityType.PERSON
            if (
                entity_type == EntityType.PERSON
                and known is None
                and _is_employer_before_role(surface, text, end, kb)
            ):
                entity_type = EntityType.ORG  # "Manchester United manager Erik ten Hag"
            if known is None and _is_dateline(surface, text, start, end):
                entity_type = EntityType.PLACE  # "DENVER (AP) —", "FRANKFURT -"
            if (
                # A part of "Dye & Bavelier" the model finds nothing in alone: no label.
                (entity_type in {EntityType.ORG, EntityType.PLACE} or not label)
                and known is None
                and _is_cited_author(surface, text, start, end)
            ):
                entity_type = EntityType.PERSON  # "(Navarro, 2016)", "Smith et al."
            if known is None and _PEERAGE_BEFORE.search(text, max(0, start - 24), start):
                entity_type = EntityType.PLACE  # "2nd Earl of Clare": a title named for a place
            if (
                entity_type == EntityType.PERSON
                and known is None
                and _is_the_plural(surface, text, start)
            ):
                entity_type = EntityType.ORG  # "the Steelers": a team, a band, a party
            if (
                entity_type is None
                or known is None
                and not named_as_person
                and is_false_name(surface, entity_type, kb=kb, lower_words=lower_words)
            ):
                continue
            found.append(
                DraftMention(
                    start=start + offset,
                    end=end + offset,
                    surface=surface,
                    type=entity_type,
                    known=known,
                    model_label=label,
                    named_as_person=named_as_person,
                )
            )
    found = _with_known_joins(_with_place_surnames(found, text, offset), text, offset, kb)
    return _with_shared_heads(found, text, offset, kb)


def _with_place_surnames(drafts: list[DraftMention], text: str, offset: int) -> list[DraftMention]:
    """The drafts with a person whose surname is a known place joined up: the model
    gives "Valeska Paris" as two places, "Valeska" and "Paris". One unknown capitalised
    word that is no city, a space, then a known one-word place or country is one name:
    two places are never written so. The person then claims the surname's later
    mentions (coreference.py), as when the model finds the whole name."""
    result: list[DraftMention] = []
    for draft in drafts:
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.known is None
            and previous.type in {EntityType.PLACE, EntityType.COUNTRY}
            and _NAME_WORD.fullmatch(previous.surface)
            and previous.surface[1:].islower()
            and city_population(previous.surface) == 0
            and draft.known is not None
            and draft.type in {EntityType.PLACE, EntityType.COUNTRY}
            and _NAME_WORD.fullmatch(draft.surface)
            and text[previous.end - offset : draft.start - offset] == " "
        ):
            result[-1] = DraftMention(
                start=previous.start,
                end=draft.end,
                surface=f"{previous.surface} {draft.surface}",
                type=EntityType.PERSON,
                known=None,
                model_label="PERSON",
            )
            continue
        result.append(draft)
    return result


def _with_known_joins(
    drafts: list[DraftMention], text: str, offset: int, kb: KnowledgeBase
) -> list[DraftMention]:
    """The drafts with two neighbours that the knowledge base knows as one name joined
    (the model gives "the United States Congress" as "the United States" and
    "Congress"), and with a place's first word the model found alone ("Fort")."""
    result: list[DraftMention] = []
    for draft in drafts:
        previous = result[-1] if result else None
        if previous is not None and text[previous.end - offset : draft.start - offset] == " ":
            joined = f"{previous.surface} {draft.surface}"
            known = kb.find(joined)
            if known is not None:
                result[-1] = known_draft(previous.start, joined, known, draft.model_label)
                continue
            if previous.surface in PLACE_PREFIXES and previous.known is None:
                # "[Fort] [Lee Historic Park]": the model's "Fort" alone names nothing.
                result[-1] = DraftMention(
                    previous.start, draft.end, joined, EntityType.PLACE, None, "FAC"
                )
                continue
        result.append(draft)
    return result


_COORDINATED = re.compile(r"(\w+) and (\w+) (.+)")


def _with_shared_heads(
    drafts: list[DraftMention], text: str, offset: int, kb: KnowledgeBase
) -> list[DraftMention]:
    """The drafts with names that share their last words resolved: "North and South
    Korea" is North Korea and South Korea, whether the model found it whole or as
    "[East] and [West Germany]"; a given name before "and" and a person's full name is a
    person's ("[Mary-Kate] and [Ashley Olsen]")."""
    result: list[DraftMention] = []
    for draft in drafts:
        match = _COORDINATED.fullmatch(draft.surface) if draft.known is None else None
        first = second = None
        if match:
            first = kb.find(f"{match[1]} {match[3]}")
            second = kb.find(f"{match[2]} {match[3]}")
        if first is not None and second is not None:
            later = draft.start + match.start(2)
            result.append(known_draft(draft.start, match[1], first, draft.model_label))
            result.append(
                known_draft(later, draft.surface[match.start(2) :], second, draft.model_label)
            )
            continue
        if (
            result
            and " " in draft.surface
            and result[-1].known is None
            and " " not in result[-1].surface
            and text[result[-1].end - offset : draft.start - offset] == " and "
        ):
            first, head = draft.surface.split(" ", 1)
            shared = kb.find(f"{result[-1].surface} {head}")
            if shared is not None:
                result[-1].known, result[-1].type = shared, shared.type
            elif (
                draft.type == EntityType.PERSON
                and is_given_name(first)
                and is_given_name(result[-1].surface)
            ):
                result[-1].type = EntityType.PERSON  # "Mary-Kate and Ashley Olsen"
        result.append(draft)
    return result


def known_draft(start: int, surface: str, known: KnowledgeEntry, label: str) -> DraftMention:
    return DraftMention(start, start + len(surface), surface, known.type, known, label)


# What follows the place of a dateline: a date, a news agency, then a dash (not a
# colon: "UPDATE:", "EXCLUSIVE:" open lines too).
_DATELINE_AFTER = re.compile(r"(?:,[^\n,(]{1,25})?\s*(?:\([^)\n]{1,30}\)\s*)?(?:--?|[–—])\s")


def _is_dateline(surface: str, text: str, start: int, end: int) -> bool:
    """Whether a name in capitals opening a line is a dateline's place: "DENVER (AP) —",
    "FRANKFURT, March 3 -", which the model may take for a person or a company."""
    return (
        surface.isupper()
        and sum(char.isalpha() for char in surface) > 3
        and (start == 0 or text[start - 1] == "\n")
        and _DATELINE_AFTER.match(text, end) is not None
    )


# A title or role right before a person's name ("Sen. ", "Mrs. ", "coach "): the
# determiners and modifiers of the role list ("the", "new", "former", "state") say
# nothing of what follows.
TITLE_BEFORE = re.compile(r"\b([A-Za-z]+\.?) $")
PERSON_TITLES = _ROLE_WORDS - {"the", "of", "new", "state", "former", "late", "acting", "senior"}
# An age in commas after a name, as wire copy gives a person's: "Paris, 54, was fined".
_AGE_AFTER = re.compile(r", \d{1,2}, [a-z]")


def _is_named_as_person(
    label: str, known: KnowledgeEntry | None, text: str, start: int, end: int
) -> bool:
    """Whether the article itself says a one-word name is a person's here: an age follows
    it ("Houston, 54, of Dallas", "Chad, 34, was fired"), or the model labels it PERSON
    after a title or role ("Sen. Lincoln", "Mrs. Paris"), a country excepted ("Captain
    America", "Miss Universe" are no one's name)."""
    if _AGE_AFTER.match(text, end):
        return True
    if label != "PERSON" or known is not None and known.type == EntityType.COUNTRY:
        return False
    match = TITLE_BEFORE.search(text, max(0, start - 16), start)
    return match is not None and match[1].lower().rstrip(".") in PERSON_TITLES


_ROLE_AFTER = re.compile(r" ([a-z]+) [A-Z]")


def _is_employer_before_role(surface: str, text: str, end: int, kb: KnowledgeBase) -> bool:
    """Whether a "person" of several words is, by a role in lower case and a name after
    it, whom that person works or plays for: a club or firm named for its city
    ("Manchester United manager Erik ten Hag", "Pittsburgh Steel analyst Jane Roe"). A
    person's name in that place starts with a given name, not a city ("Donald Trump
    adviser Kellyanne Conway", "Hun Sen aide Jane Roe")."""
    words = surface.split()
    if len(words) < 2 or is_given_name(words[0]) or words[0] in _WORLD_GIVEN_NAMES:
        return False
    first = kb.find(words[0])
    if not (
        first is not None
        and first.type in {EntityType.PLACE, EntityType.COUNTRY}
        or city_population(words[0]) >= ONE_WORD_CITY_POPULATION
    ):
        return False
    match = _ROLE_AFTER.match(text, end)
    return match is not None and match[1] in PERSON_TITLES


# What follows an author cited by year: "Smith (2010)", "Navarro's (2016)", "Smith et
# al.", "Smith and Jones (2010)"; and, inside brackets or a list of citations, "(Smith,
# 2010)", "; Smith 2010)".
_CO_AUTHORS = r"(?:,? (?:and|&) [A-Z][\w'’-]+|, [A-Z][\w'’-]+)*"
_CITATION_AFTER = re.compile(
    rf"(?:['’]s)?{_CO_AUTHORS},? \(\d{{4}}[a-z]?[),:;]"
    r"| et al\b"
    rf"|{_CO_AUTHORS},? (?:and|&) [A-Z][\w'’-]+(?: et al\.?)?,? \(?\d{{4}}\b"
)
_BRACKETED_CITATION_AFTER = re.compile(rf"{_CO_AUTHORS},? \d{{4}}[a-z]?(?::[\d\s-]+)?[);,]")
_BRACKETED_CITATION_BEFORE = re.compile(r"(?:\(|; |, |& |and )(?:see |e\.g\.,? |cf\. )?$")


# A title of the peerage or a see, named for the place it is of: "Earl of Snowdon",
# "Duchess of Cornwall", "Bishop of Durham"; the title alone ("2nd Earl") names no one.
_PEERAGE = (
    r"(?:Duke|Duchess|Marquess|Marchioness|Earl|Countess|Viscount|Viscountess|Baron"
    r"|Baroness|Bishop|Archbishop)"
)
_PEERAGE_BEFORE = re.compile(rf"\b{_PEERAGE} of $")
_PEERAGE_TITLE = re.compile(rf"(?:\d{{1,2}}(?:st|nd|rd|th) )?{_PEERAGE}")


def _is_cited_author(surface: str, text: str, start: int, end: int) -> bool:
    """Whether a name the model took for an organisation or place is an author cited by
    year, as research and reviews cite them: "(Domínguez Caparrós, 2000)", "Martínez
    Cantón (2011) reviews", "Hartsell-Gundy et al., 2015". An acronym cited so is an
    organisation's report ("(WHO, 2019)")."""
    if is_acronym(surface):
        return False
    return _CITATION_AFTER.match(text, end) is not None or (
        _BRACKETED_CITATION_AFTER.match(text, end) is not None
        and _BRACKETED_CITATION_BEFORE.search(text, max(0, start - 12), start) is not None
    )


def _is_the_plural(surface: str, text: str, start: int) -> bool:
    """Whether a one-word name is a plural after "the": a team or group ("the Steelers",
    "the Beatles"), never one person."""
    return (
        " " not in surface
        and surface.endswith("s")
        and not surface.endswith("ss")
        and text[max(0, start - 4) : start].lower() == "the "
    )


def _is_abbreviation_out_of_place(
    known: KnowledgeEntry | None, surface: str, text: str, start: int
) -> bool:
    """Whether an abbreviation that is also a word ("Mass.", "Wash.") stands anywhere
    but after a comma, as in "Boston, Mass.": "attended Mass." is no state."""
    return (
        known is not None
        and surface in known.exact_aliases
        and surface.endswith(".")
        and not text[max(0, start - 2) : start].endswith((", ", ","))
    )


# An era after a year or century ("508 BC", "the 7th century BCE") or around a year
# ("AD 842", "1066 AD").
_ERA = re.compile(r"B\.?C\.?(?:E\.?)?|A\.?D\.?|C\.?E\.?")
_YEAR_OR_CENTURY_BEFORE = re.compile(r"(?:\d|\bcentury|\bmillennium)\s$")
_YEAR_AFTER = re.compile(r"\s?\d")


def _is_era(surface: str, text: str, start: int, end: int) -> bool:
    """Whether a name is an era's abbreviation beside a year: "3000 BC", "AD 842", which
    the model takes for organisations ("BC" alone may be British Columbia)."""
    return _ERA.fullmatch(surface) is not None and (
        _YEAR_OR_CENTURY_BEFORE.search(text, max(0, start - 12), start) is not None
        or surface.startswith("A")
        and _YEAR_AFTER.match(text, end) is not None
    )


# "Saint" as the names of places named for a saint write it.
_SAINT_WORDS = frozenset({"St", "St.", "Saint", "Ste", "Ste.", "Sainte"})


def type_of(
    label: str, known: KnowledgeEntry | None, surface: str, *, kb: KnowledgeBase
) -> EntityType | None:
    """Our type for a name the model labelled ``label`` (spaCy's), or None if it is none
    of ours; ``known`` is the knowledge base's entry for it, which decides when given."""
    if known is not None:
        # The model's PERSON is kept against a one-word place of the same name ("Paris"
        # Hilton, "Jordan"): resolved later if the document names that person in full.
        return known.type
    return _unknown_type(label, surface, kb)


@functools.lru_cache(maxsize=10_000)
def _unknown_type(label: str, surface: str, kb: KnowledgeBase) -> EntityType | None:
    """``type_of`` a name the knowledge base does not know. Cached: it reads the name
    alone, many word lists and the knowledge base, and texts repeat their names."""
    entity_type = _MODEL_TYPES.get(label)
    words = surface.split()
    if words[-1:] != words[:1] and (
        _head_word(surface) in _EVENT_WORDS or words[-1].lower() in _OCCASION_WORDS
    ):
        return None  # "Davis Cup", "ATP Finals": an event, not who takes part
    if entity_type in {EntityType.PLACE, EntityType.PERSON} and _is_club_or_airline(words):
        return EntityType.ORG  # "Athletic Bilbao", "Air Astana": a club, an airline
    if entity_type in {EntityType.ORG, EntityType.PERSON} and _is_facility_name(
        surface, entity_type
    ):
        # "Johnson Space Center", "Museum of Flight", "Heathrow Airport": a place one
        # goes to, whatever the model made of it.
        return EntityType.PLACE
    head = _head_word(surface)
    if (
        entity_type == EntityType.PLACE
        and head in _ORG_HEAD_WORDS
        or entity_type == EntityType.PERSON
        and head in _ORG_HEAD_WORDS - _SURNAME_ORG_HEAD_WORDS
    ):
        # "Municipality of Livorno", "Saudi Gazette", "Ministry of Defence".
        return EntityType.ORG
    if (
        entity_type == EntityType.PERSON
        and _is_city(surface)
        or entity_type == EntityType.ORG
        and " " not in surface
        and city_population(surface) >= ORGANISATION_CITY_POPULATION
    ):
        return EntityType.PLACE  # "Fort Lee" (PERSON), "Isfahan" (ORG)
    if entity_type in {EntityType.ORG, EntityType.PLACE} and _looks_like_person(surface):
        return EntityType.PERSON  # "Mason Rudolph" (ORG), "Denzel Ward" (GPE)
    if entity_type == EntityType.PERSON and len(words) > 1 and words[0] in _SAINT_WORDS:
        return EntityType.PLACE  # "St François", "St Anne": a town named for a saint
    if entity_type == EntityType.PERSON:
        return _person_or_thing(surface, kb)
    return entity_type


# A one-word name is taken for a city's only when the city is this large: a small town
# shares its name with too many people and things ("Magna", "Obama").
ONE_WORD_CITY_POPULATION = 100_000
# ... and a name the model calls an organisation only when the city is this large: the
# organisations named after a smaller one are many ("Hitachi", "Halifax" the bank,
# "Reading" the club), those named after a city of millions few.
ORGANISATION_CITY_POPULATION = 500_000


def _is_city(surface: str) -> bool:
    """Whether an unknown name is a city's (GeoNames, over 15,000 people) and nothing
    says it is a person's: it does not start with a given name ("Florence Nightingale")."""
    words = surface.split()
    least = ONE_WORD_CITY_POPULATION if len(words) == 1 else 1
    return city_population(surface) >= least and not is_given_name(words[0])


def _is_club_or_airline(words: list[str]) -> bool:
    """Whether a name of two or three words is a sports club's ("Athletic Bilbao",
    "Everton FC") or an airline's ("Air Astana", "Qantas Airways")."""
    if not 2 <= len(words) <= 3:
        return False
    first, last = words[0].lower(), words[-1].lower()
    return (
        first in _CLUB_WORDS or last in _CLUB_WORDS or words[0] == "Air" or last in _AIRLINE_WORDS
    )


def _person_or_thing(surface: str, kb: KnowledgeBase) -> EntityType | None:
    """PERSON, or the type of what a "person" the model found really is: a company when
    its last word says so ("Dick Clark Productions"), nothing when it is a product, a
    trophy or an event ("Nintendo Switch", "Davis Cup"), or a known organisation's
    product ("Apple Watch Series"), unless it starts with a given name."""
    words = surface.split()
    if all(re.fullmatch(r"[A-Z]\.", word) for word in words):
        return None  # initials alone ("S. F."): no one's name, an abbreviation's
    if len(words) < 2:
        return EntityType.PERSON
    last = words[-1].strip(TRIM_CHARS).lower()
    if last in _COMPANY_HEAD_WORDS or normalise_key(last) in _COMPANY_SUFFIXES:
        return EntityType.ORG  # "Dick Clark Productions", "Contoso SpA"
    if is_given_name(words[0]):
        return EntityType.PERSON
    first = kb.find(words[0])
    if (
        last in _PRODUCT_WORDS
        or first is not None
        and first.type == EntityType.ORG
        or re.fullmatch(r"[A-Z]", words[-1])
    ):
        return None  # "Nintendo Switch Lite", "Apple Watch", a model: "Mach E", "Model S"
    return EntityType.PERSON


def _head_word(surface: str) -> str:
    """The word a name of several words is named after: its last, or the one before
    "of" ("Museum" of "Museum of Flight"); "" for a single word."""
    words = surface.split()
    if len(words) < 2:
        return ""
    head = words[-1]
    if "of" in words[1:-1]:
        head = words[words.index("of") - 1]
    return head.strip(TRIM_CHARS).lower()


def _is_facility_name(surface: str, entity_type: EntityType) -> bool:
    """Whether a name's head word is a building, site or way: "Adler Planetarium",
    "Museum of Flight", "Castlefrank Road"; not "Center for Strategic Studies", nor a
    person with such a surname ("Stuart Hall", "Grace Park")."""
    head = _head_word(surface)
    if entity_type == EntityType.PERSON and head in _SURNAME_FACILITY_WORDS:
        return False
    return head in _FACILITY_WORDS or head in _GEOGRAPHY_WORDS


_NAME_WORD = re.compile(r"^[A-Z][^\W\d_A-Z]*(?:[A-Z'’-][^\W\d_]+)*\.?$")


def _looks_like_person(surface: str) -> bool:
    """Whether an unknown name of two or three capitalised words starting with a common
    given name is a person's ("Mason Rudolph", "Scooter Braun"): not "Carson City",
    "Charlotte Hornets Foundation", nor "Crystal Palace"."""
    words = surface.split()
    if not 2 <= len(words) <= 3 or not is_given_name(words[0]):
        return False
    if not all(_NAME_WORD.match(word) for word in words) or re.search(r"['’]s\b", surface):
        return False
    last = words[-1].lower()
    return not (
        last in _COMPANY_HEAD_WORDS
        or last in _PRODUCT_WORDS
        or last in _PLACE_TAIL_WORDS
        or last in _ORG_HEAD_WORDS
        or last in _FACILITY_WORDS
        or last in _GEOGRAPHY_WORDS
        or last in _COMPANY_SUFFIXES
        or any(word.lower() in _ROLE_WORDS for word in words[1:])
    )


def is_false_name(
    surface: str, entity_type: EntityType, *, kb: KnowledgeBase, lower_words: frozenset[str]
) -> bool:
    """Whether a name the knowledge base does not know is none of ours: no name at all
    ("Us", nothing capitalised), a piece of a headline, a listed non-entity ("UTC"), a
    people ("Palestinians") or a common word and a letter ("Group A")."""
    return (
        not _looks_like_name(surface)
        or _is_headline_fragment(surface)
        or _is_not_entity(surface, entity_type)
        or _is_plural_demonym(surface, kb)
        or _is_generic_word_and_letter(surface, entity_type, lower_words)
    )


def _looks_like_name(surface: str) -> bool:
    words = surface.split()
    if not any(map(str.isupper, surface)):
        return False
    if len(words) == 1 and normalise_key(surface) in _FUNCTION_WORDS:
        return False
    return any(char.isalpha() for char in surface)


def _is_headline_fragment(surface: str) -> bool:
    """Whether a title-case phrase is a piece of a headline: a capitalised verb,
    pronoun or question word inside it ("Stadia Is Essentially A Beta Version")."""
    words = surface.split()
    return len(words) >= 3 and any(
        word[:1].isupper() and word.lower() in _HEADLINE_WORDS for word in words[1:-1]
    )


def _is_not_entity(surface: str, entity_type: EntityType) -> bool:
    """A time zone ("UTC"), technical term ("USB") or currency code ("DKK") as anything,
    a holiday ("Diwali") as a place or organisation. Celestial bodies are judged per
    document."""
    kind = not_entities().get(surface)
    return (
        kind in {"time_zone", "term", "currency", "people", "generic"}
        or kind == "holiday"
        and entity_type != EntityType.PERSON
    )


# Endings of the plural demonyms written after a place's whole name: English "-ites"
# and "-ers" ("Delhiites", "Berliners"), Marathi "-kar" ("Mumbaikars", "Punekars").
_WHOLE_PLACE_DEMONYM_SUFFIXES = ("ites", "kars", "ers")


def _is_plural_demonym(surface: str, kb: KnowledgeBase) -> bool:
    """Whether one word is the people of a known country or place ("Palestinians",
    "Belgians", "Afghans", "Bangladeshis", "Delhiites"): a group of people (spaCy's
    NORP), not an organisation. The stem must begin a one-word country or place name of
    the knowledge base, so "Republicans" and "Democrats" are not taken for peoples;
    before "-ites", "-ers" and "-kars" it must be a known place's or a city's whole name
    ("Manhattanites", "Londoners", "Mumbaikars"; not "Luddites", "Steelers"). A given
    name is no people ("Francis", "Louis", "Paris" are not of France, Louisiana,
    Paraguay)."""
    if " " in surface or not surface[:1].isupper() or not surface[1:].islower():
        return False
    if surface in _WORLD_GIVEN_NAMES or is_given_name(surface):
        return False
    for suffix in _WHOLE_PLACE_DEMONYM_SUFFIXES:
        if surface.endswith(suffix):
            stem = surface[: -len(suffix)]
            place = kb.find(stem)
            return (
                place is not None
                and place.type in {EntityType.PLACE, EntityType.COUNTRY}
                or city_population(stem) > 0
            )
    for suffix in ("ians", "ans", "is"):
        if surface.endswith(suffix) and len(surface) - len(suffix) >= 3:
            stem = surface[: -len(suffix)].lower()
            return any(name.startswith(stem) for name in kb.one_word_place_keys())
    return False


def _is_generic_word_and_letter(
    surface: str, entity_type: EntityType, lower_words: frozenset[str]
) -> bool:
    """Whether a name is a common word the text also writes in lower case followed by one
    letter: "Group A", "Pool B", "Plan B" (not a person's "Malcolm X")."""
    words = surface.split()
    return (
        entity_type != EntityType.PERSON
        and len(words) == 2
        and re.fullmatch(r"[A-Z]\.?", words[1]) is not None
        and words[0].lower() in lower_words
    )


# Checks on the whole document ----------------------------------------------------------


# Words before the name of a storm ("Hurricane Katrina", "Tropical Storm Erin", "T C
# Phailin" for Tropical Cyclone).
_STORM_WORDS = {"hurricane", "cyclone", "typhoon", "storm"}
_STORM = "|".join(word.title() for word in sorted(_STORM_WORDS))
_STORM_BEFORE = re.compile(rf"\b(?:{_STORM})\s$")
_STORM_WORD = re.compile(rf"\b(?:{_STORM})\b")


def without_non_names(text: str, drafts: list[DraftMention]) -> list[DraftMention]:
    """Without celestial bodies ("Jupiter", "the Moon": not places a reader follows news
    by) and a family named by a plural surname ("the Bidens"), unless the document names
    a person with that word ("Moon Jae-in", "Venus Williams"); without storms ("Cyclone
    Phailin", which the model takes for a person) and their names alone ("Phailin")."""
    if _STORM_WORD.search(text):  # most texts name no storm: one search spares the rest
        storms = {
            name for draft in drafts if draft.known is None and (name := _storm_name(draft, text))
        }
        drafts = [
            draft
            for draft in drafts
            if draft.known is not None
            or draft.surface.split()[-1] not in storms
            or not _is_storm(draft.surface)
        ]
    person_words = set()
    surnames = set()
    for draft in drafts:
        words = draft.surface.split()
        if draft.type == EntityType.PERSON and len(words) > 1:
            person_words.update(words)
            surnames.add(words[-1])
    kept = []
    for draft in drafts:
        surface = draft.surface
        if draft.known is None and " " not in surface and surface not in person_words:
            if not_entities().get(surface) == "celestial" and draft.type != EntityType.ORG:
                continue
            if surface.endswith("s") and surface[:-1] in surnames:
                continue
        kept.append(draft)
    return kept


def _storm_name(draft: DraftMention, text: str) -> str:
    """The name of the storm a mention names ("Katrina" of "Hurricane Katrina", or of
    "Katrina" after "Hurricane "), or ""."""
    words = draft.surface.split()
    if _STORM_BEFORE.search(text, max(0, draft.start - 12), draft.start):
        return words[-1]
    if _is_storm(draft.surface) and any(word.lower() in _STORM_WORDS for word in words):
        return words[-1]
    return ""


def _is_storm(surface: str) -> bool:
    """Whether a name may be a storm's: one word, or a word for storms or letters
    before its last word ("Tropical Storm Erin", "T C Phailin"), nothing else."""
    kinds = [word.lower() for word in surface.split()[:-1]]
    marks = [kind for kind in kinds if kind in _STORM_WORDS or len(kind) == 1]
    return len(marks) == len(kinds) - kinds.count("tropical") and (bool(marks) or not kinds)


# A match result between two named sides: "Sweden 1 – 0 Korea Republic", "Belgium 3-0".
_SCORE_BETWEEN = re.compile(r"\s+\d{1,2}\s*[–—-]\s*\d{1,2}\s+")


def type_national_teams(text: str, drafts: list[DraftMention]) -> None:
    """Countries (and cities) that play a match in the document are its teams: ORG.

    A match report gives results as "Sweden 1 – 0 Korea Republic"; there "Sweden
    defeated South Korea" and "Korea's Kim Shin-Wook" name teams, organisations, not
    the countries. Only known places written on either side of a score are retyped,
    and then every mention of them in the document.
    """
    teams = set()
    for first, second in itertools.pairwise(drafts):
        if (
            first.known is not None
            and second.known is not None
            and {first.known.type, second.known.type} <= {EntityType.COUNTRY, EntityType.PLACE}
            and _SCORE_BETWEEN.fullmatch(text, first.end, second.start)
        ):
            teams.update((first.known.name, second.known.name))
    # The team is an organisation of its own, named like its country ("Korea" and "South
    # Korea" are one team), with no Wikidata id of the country's.
    entries = {name: KnowledgeEntry(EntityType.ORG, name, "", ()) for name in teams}
    for draft in drafts:
        if draft.known is not None and draft.known.name in teams:
            draft.known = entries[draft.known.name]
            draft.type = EntityType.ORG


_MODIFIED_NOUN_AFTER = re.compile(r" [a-z]+\b")
# The function words after a name that say it modifies no noun: spaCy's stop words but
# those that join it to another name ("an Edward Steichen and Andy Warhol exhibit").
_FUNCTION_WORDS_AFTER = STOP_WORDS - {"and", "or", "nor"}
_ARTICLE_BEFORE = re.compile(r"(?:^|\W)(?:the|a|an)\s$", re.IGNORECASE)


def named_entities(
    text: str, clusters: list[Cluster], *, lower_words: frozenset[str]
) -> list[Cluster]:
    """The clusters that name an entity: not a "person" the article calls "the X" ("the
    Hajj"), nor a work or vessel ("the film Watchmen", "Analytic Syntax (1937)"), nor a
    common word capitalised only where a sentence or heading starts, nor a term defined
    with its acronym ("Geographic Information Systems (GIS)"), nor an acronym or a word
    counted like a common noun ("apply it to a SUT.", "drove a Mustang to work"), nor an
    organisation's product ("Tesla's Cybertruck was delayed")."""
    organisation_ends = {
        member.end
        for cluster in clusters
        if cluster.type == EntityType.ORG
        for member in cluster.members
    }
    return [
        cluster
        for cluster in clusters
        if not is_thing_not_person(text, cluster)
        and not _is_organisation_s_thing(text, cluster, organisation_ends)
        and not _is_work(text, cluster)
        and not _is_dated_title(text, cluster, lower_words)
        and not _is_common_word(text, cluster, lower_words)
        and not _is_term(text, cluster)
        and not _is_countable_acronym(text, cluster)
        and not _is_counted_thing(text, cluster)
        and not _is_species(text, cluster)
        and not _is_possessed_thing(text, cluster)
        and not _is_field_of_study(text, cluster)
    ]


def is_thing_not_person(text: str, cluster: Cluster) -> bool:
    """Whether a "person" the knowledge base does not know is, by the article before
    half or more of its mentions, a thing: "the Hajj", "the Polaroid's flash". People
    are seldom "the" anything; a name before a noun ("the Tom Cruise video") is left out
    of the count.
    """
    if cluster.type != EntityType.PERSON or cluster.known is not None:
        return False
    with_article = counted = 0
    for member in cluster.members:
        if _MODIFIED_NOUN_AFTER.match(text, member.end) and not _is_function_word_after(
            text, member.end
        ):
            # "the Tom Cruise video", "an Edward Steichen and Andy Warhol exhibit": says
            # nothing of what the name names; a function word is no noun it modifies
            # ("the Altima can", "the Hajj is").
            continue
        counted += 1
        with_article += bool(_ARTICLE_BEFORE.search(text, max(0, member.start - 5), member.start))
    return with_article > 0 and with_article * 2 >= counted


# A noun for a work or vessel right before a name, with "The" of the title outside the
# name: "romantic comedy Chasing Liberty", "the television series The Crown".
_WORK_BEFORE = re.compile(r"\b([a-z]+)\s+(?:The\s+)?$")
# A part, sequel or staging of a show or film before its title: "the new season of
# Stranger Things", "the finale of Succession", "a sequel to Avatar".
_WORK_PART_BEFORE = re.compile(
    r"\b(?:seasons?|episodes?|finale|premiere|sequel|prequel|remake|trailer|cast)"
    r" (?:of|to) (?:the )?$"
)
# The prefixes of ships' and spacecraft's names ("USS Cole", "Space Shuttle Atlantis").
_VESSEL_PREFIX = re.compile(r"(?:USS|USNS|HMS|HMAS|HMCS|HMNZS|RMS|MV|Space Shuttle) [A-Z]")


def _is_work(text: str, cluster: Cluster) -> bool:
    """Whether an unknown name is, by a noun right before one of its mentions, a film,
    book, song, ship or term ("the 1969 film Easy Rider", "the cruise ship Freewinds",
    "the term Nexus", "the new season of Stranger Things"): none of our types, whatever
    the model made of it, and nor are its other mentions; so is a name with a ship's
    prefix ("USS Potomac", "Space Shuttle Discovery")."""
    if cluster.known is not None:
        return False
    if _VESSEL_PREFIX.match(cluster.name()):
        return True
    for member in cluster.members:
        if _WORK_PART_BEFORE.search(text, max(0, member.start - 24), member.start):
            return True
        match = _WORK_BEFORE.search(text, max(0, member.start - 30), member.start)
        noun = match[1] if match else ""
        if (
            noun in _WORK_WORDS
            or noun.endswith("s")
            and noun[:-1] in _WORK_WORDS
            or noun in _TERM_NOUNS
        ):
            return True
    return False


# Nouns that, right before a capitalised word, say it is a word or a term, not a name
# of ours: "the term Nexus", "the concept Dasein".
_TERM_NOUNS = frozenset({"term", "concept", "notion", "word"})


_YEAR_IN_PARENTHESES_AFTER = re.compile(rf" \({YEAR}\)")
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s $")


def _is_dated_title(text: str, cluster: Cluster, lower_words: frozenset[str]) -> bool:
    """Whether an unknown "person" is a work's title followed by its year: no word of it
    is a given name, and it follows a possessive ("Woody Allen's Match Point (2005)") or,
    of several words, has one the text writes in lower case ("Analytic Syntax (1937)").
    An author cited by year has a name's words ("Flores Gómez (1988)", "Marsha Kinder
    (1991)") and follows no possessive."""
    if cluster.type != EntityType.PERSON or cluster.known is not None:
        return False
    for member in cluster.members:
        words = member.surface.split()
        if not _YEAR_IN_PARENTHESES_AFTER.match(text, member.end) or any(
            is_given_name(word) for word in words
        ):
            continue
        if _POSSESSIVE_BEFORE.search(text, max(0, member.start - 4), member.start) or (
            len(words) > 1
            and any(
                word.lower() in lower_words and word.lower() not in _NAME_PARTICLES
                for word in words
            )
        ):
            return True
    return False


def _is_term(text: str, cluster: Cluster) -> bool:
    """Whether an unknown organisation or place of several words, abbreviated in the
    text, is a term the text also writes in lower case: capitalised only where it is
    defined ("Geographic Information Systems (GIS)" in a text on "geographic information
    systems"). Its acronym goes with it. A name without an acronym may be written in
    lower case as a common noun ("the main plaza", "major league rosters")."""
    if cluster.type not in {EntityType.ORG, EntityType.PLACE} or cluster.known is not None:
        return False
    name = cluster.name()
    if " " not in name or not any(is_acronym(member.surface) for member in cluster.members):
        return False
    phrase = re.escape(name.lower())
    return re.search(rf"(?<![\w-]){phrase}(?![\w-])", text) is not None


_INDEFINITE_ARTICLE_BEFORE = re.compile(r"(?:^|\W)an?\s$", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"\d\s$")
CLAUSE_END_AFTER = re.compile(r"[.,;:!?)]| \(")


def _is_countable_acronym(text: str, cluster: Cluster) -> bool:
    """Whether an unknown acronym is a common noun or a unit: written once or more after
    "a", "an" or an amount and before a clause's end ("a mutant of a SUT.", "an NGO,",
    "costs 25 CUC (or"). An organisation is "a" anything, or counted, only before a noun
    ("a NASA T-shirt", "an FBI agent", "3 UN agencies")."""
    if cluster.type not in {EntityType.ORG, EntityType.PLACE} or cluster.known is not None:
        return False
    if not all(is_acronym(member.surface) for member in cluster.members):
        return False
    return any(
        (
            _INDEFINITE_ARTICLE_BEFORE.search(text, max(0, member.start - 4), member.start)
            or _AMOUNT_BEFORE.search(text, max(0, member.start - 2), member.start)
        )
        and CLAUSE_END_AFTER.match(text, member.end)
        for member in cluster.members
    )


# "a", "an" in lower case: "A Coruña" is a name; and the end of a clause but a comma,
# which may go on with the place's region ("in a Manhattan, New York court").
_LOWER_INDEFINITE_ARTICLE_BEFORE = re.compile(r"(?:^|\W)an?\s$")
_SENTENCE_PART_END_AFTER = re.compile(r"[.;:!?)]")


def _is_organisation_s_thing(text: str, cluster: Cluster, organisation_ends: set[int]) -> bool:
    """Whether an unknown one-word "person" or "place" is an organisation's product, by
    one mention or more after the possessive of an organisation of the document that
    modifies no noun ("Tesla's Cybertruck was delayed", "Nissan's Altima."): a person
    there is named in full somewhere, or followed by what they did ("Nissan's Ghosn
    said")."""
    if cluster.type not in {EntityType.PERSON, EntityType.PLACE} or cluster.known is not None:
        return False
    if " " in cluster.name():
        return False
    return any(
        text[member.start - 3 : member.start] in {"'s ", "’s "}
        and member.start - 3 in organisation_ends
        and _modifies_no_noun(text, member.end)
        for member in cluster.members
    )


def _modifies_no_noun(text: str, end: int) -> bool:
    """Whether a name ending at ``end`` comes before a sentence's end or a function word,
    not before a noun it modifies: a thing named, not a person's or place's name used
    as a modifier ("a Kennedy speech")."""
    return _SENTENCE_PART_END_AFTER.match(text, end) is not None or _is_function_word_after(
        text, end
    )


def _is_function_word_after(text: str, end: int) -> bool:
    """Whether a lower-case function word (spaCy's stop words) follows ``end``, not one
    that joins names ("and", "or")."""
    after = _MODIFIED_NOUN_AFTER.match(text, end)
    return after is not None and after[0][1:] in _FUNCTION_WORDS_AFTER


def _is_counted_thing(text: str, cluster: Cluster) -> bool:
    """Whether an unknown one-word name is a thing, a model or a make, by one mention or
    more after "a" or "an" that modifies no noun: before a sentence's end or a function
    word ("drove a Mustang to work", "a Prius was stolen"). A person, a place or an
    organisation is "a" anything only before a noun it modifies ("a Kennedy speech",
    "a Contoso spokesman")."""
    if cluster.known is not None:
        return False
    if " " in cluster.name():
        return False
    return any(
        _LOWER_INDEFINITE_ARTICLE_BEFORE.search(text, max(0, member.start - 4), member.start)
        and _modifies_no_noun(text, member.end)
        for member in cluster.members
    )


# What comes before the name of a field of study: "Professor of Linguistics", "a Ph.D. in
# Linguistics", "the discipline of Translation Studies".
_FIELD_BEFORE = re.compile(
    r"\b(?:(?:[Pp]rofessor|[Ll]ecturer|[Dd]iscipline) of"
    r"|(?:Ph\.? ?D\.?|[Dd]octorate|[Dd]egree) in) $"
)


def _is_field_of_study(text: str, cluster: Cluster) -> bool:
    """Whether an unknown name is a field of study, by one mention or more after a
    professor, a degree or a discipline: no organisation, wherever it is written."""
    return cluster.known is None and any(
        _FIELD_BEFORE.search(text, max(0, member.start - 15), member.start)
        for member in cluster.members
    )


_POSSESSIVE_PRONOUN_BEFORE = re.compile(r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts) $")


def _is_possessed_thing(text: str, cluster: Cluster) -> bool:
    """Whether an unknown name is a thing someone owns or made, by one mention or more
    after a possessive pronoun and before a clause's end ("his Cello Concerto,", "their
    Toyota."): people, places and organisations are "his" only before a noun ("his
    Facebook page")."""
    return cluster.known is None and any(
        _POSSESSIVE_PRONOUN_BEFORE.search(text, max(0, member.start - 6), member.start)
        and CLAUSE_END_AFTER.match(text, member.end)
        for member in cluster.members
    )


# The lower-case word after a genus: a Latin species epithet ("fusca", "bassiana").
_EPITHET_AFTER = re.compile(r" ([a-z]{3,}(?:a|us|um|is|ae|i))\b")


def _is_species(text: str, cluster: Cluster) -> bool:
    """Whether an unknown one-word name is a genus, named twice or more with one species:
    each mention followed by one Latin epithet that the text writes nowhere else
    ("Formica fusca", "Beauveria bassiana"; not "the Trump era", which is "an era" too)."""
    if cluster.known is not None or len(cluster.members) < 2 or " " in cluster.name():
        return False
    epithets = set()
    for member in cluster.members:
        match = _EPITHET_AFTER.match(text, member.end)
        if match is None:
            return False
        epithets.add(match[1])
    if len(epithets) != 1:
        return False
    (epithet,) = epithets
    return len(re.findall(rf"\b{epithet}\b", text)) == len(cluster.members)


def _is_common_word(text: str, cluster: Cluster, lower_words: frozenset[str]) -> bool:
    """Whether an unknown one-word organisation or place is a common word, capitalised
    only because it starts a sentence, a heading or a title: the text also writes it in
    lower case and never capitalises it elsewhere ("Plague" of a headline on "bubonic
    plague", "Sacrifice is necessary")."""
    if cluster.type not in {EntityType.ORG, EntityType.PLACE} or cluster.known is not None:
        return False
    surfaces = {member.surface for member in cluster.members}
    if len(surfaces) != 1:
        return False
    (surface,) = surfaces
    if " " in surface or not surface[1:].islower() or surface.lower() not in lower_words:
        return False
    return all(
        at_sentence_start(text, member.start, or_title=True)
        or in_title_case_line(text, member.start)
        for member in cluster.members
    )
