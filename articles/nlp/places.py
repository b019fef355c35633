"""Places the model misses or mistypes, found from the whole document (see
``analyse._link_document`` for the order). Before coreference: numbered roads ("US-75
South"), names of ways and buildings ("Montparnasse Cemetery") and US state codes after a
place (the "OK" of "Tulsa, OK,"): ``with_road_names``, ``with_facility_names``,
``with_state_codes``. After it, ``type_places_by_context`` makes places of the names the
document's context says are: "Socotra" beside "Socotra Island", "Hadibo" after "hotels
in", and, in a text of many places and few people, its unknown "persons"."""

from __future__ import annotations

import functools
import itertools
import re

import pycountry

from articles.nlp.classify import (
    CLAUSE_END_AFTER,
    PERSON_TITLES,
    TITLE_BEFORE,
    is_thing_not_person,
    known_draft,
)
from articles.nlp.coreference import Cluster
from articles.nlp.knowledge_base import KnowledgeBase
from articles.nlp.lexicon import city_population, is_given_name, word_list
from articles.nlp.mentions import DraftMention, EntityType, non_overlapping
from articles.nlp.text import in_title_case_line, is_acronym

_FACILITY_WORDS = word_list("facility_words")
_GEOGRAPHY_WORDS = word_list("geography_words")
_WORLD_GIVEN_NAMES = word_list("world_given_names")

# A numbered road: "I-44", "US 75", "US-169 South", "Hwy 51", "Route 66"; not an amount
# ("US 10 million").
_ROAD = re.compile(
    r"\b(?:I-|Interstate |US[- ]|U\.S\. (?:Route |Highway )?|Hwy\.? |Highway |Route |SR[- ]"
    r"|State Route )\d{1,3}[A-Z]?(?: (?:North|South|East|West)\b)?(?![\w-])"
    r"(?! (?:million|billion|trillion|thousand|hundred|percent|per cent|cents?|dollars?)\b)"
)


# A two-letter code after a comma, then a clause's end or a ZIP code: "Tulsa, OK,".
_STATE_CODE_AFTER_COMMA = re.compile(r", ([A-Z]{2})(?=[.,;:)]|\s*$|\s\d{5}\b)", re.MULTILINE)


def with_state_codes(
    text: str, drafts: list[DraftMention], kb: KnowledgeBase
) -> list[DraftMention]:
    """The drafts with each US state's postal code written after a place and a comma a
    mention of that state ("Bartlesville, OK,"), which the model misses, and which the
    knowledge base cannot look up alone: "OK", "IN", "ME" are words too."""
    place_ends = {d.end for d in drafts if d.type in {EntityType.PLACE, EntityType.COUNTRY}}
    added = []
    for match in _STATE_CODE_AFTER_COMMA.finditer(text):
        if match.start() not in place_ends:
            continue
        state = _us_states().get(match[1])
        known = kb.find(state) if state else None
        if known is not None and known.type == EntityType.PLACE:
            added.append(known_draft(match.start(1), match[1], known, "GPE"))
    if not added:
        return drafts
    return non_overlapping([*drafts, *added])


@functools.cache
def _us_states() -> dict[str, str]:
    """The names of the US states and territories by postal code (pycountry)."""
    return {
        subdivision.code.removeprefix("US-"): subdivision.name
        for subdivision in pycountry.subdivisions.get(country_code="US")
    }


# A way or a building named by one to three capitalised words and its kind, which the
# model often misses: "Montparnasse Cemetery", "Lemoine Avenue", "Will Rogers Turnpike".
_FACILITY_NAME = re.compile(
    r"(?<![\w'’.-])(?!(?:The|A|An|This|That|In|On|At|From|To|Of) )((?:[A-Z][\w'’-]+ ){1,3}"
    r"(?:Airport|Avenue|Boulevard|Bridge|Canal|Cathedral|Cemetery|Dam|Expressway|Freeway"
    r"|Harbou?r|Highway|Lane|Mosque|Motorway|Parkway|Road|Terrace|Trail|Tunnel"
    r"|Turnpike))\b"
)


def with_facility_names(text: str, drafts: list[DraftMention]) -> list[DraftMention]:
    """The drafts with each such name of a way or building that no draft overlaps a place,
    outside title-cased lines (a headline's "Senate Passes Road" is none), and each
    such name in parentheses after a place one name of it."""
    taken = [(draft.start, draft.end) for draft in drafts]
    added = []
    for match in _FACILITY_NAME.finditer(text):
        start, end = match.span(1)
        if any(s < end and start < e for s, e in taken) or in_title_case_line(text, start):
            continue
        added.append(DraftMention(start, end, match[1], EntityType.PLACE, None, "FAC"))
    drafts = sorted([*drafts, *added], key=lambda draft: draft.start) if added else drafts
    _link_parenthesised_names(text, drafts)
    return drafts


# Between a place and its other name in parentheses: "Masjid Al-Haram (Grand Mosque)",
# "Imam Mosque (called Shah Mosque before the revolution)".
_OTHER_NAME_BETWEEN = re.compile(r" \((?:(?:also )?(?:called|known as) |[Tt]he )?")


def _link_parenthesised_names(text: str, drafts: list[DraftMention]) -> None:
    """A building's or way's other name in parentheses right after a place made, wherever
    it is written, a mention of that place, as an acronym is (``long_form``); not a
    region ("Springfield (Illinois)"): the other name must end with a facility's word."""
    places: dict[str, DraftMention] = {}
    for place, other in itertools.pairwise(drafts):
        if (
            place.type == EntityType.PLACE
            and other.known is None
            and other.surface.split()[-1].lower() in _FACILITY_WORDS
            and _OTHER_NAME_BETWEEN.fullmatch(text, place.end, other.start)
        ):
            places.setdefault(other.surface, place)
    for draft in drafts:
        if draft.known is None and (place := places.get(draft.surface)) is not None:
            draft.long_form = place


def with_road_names(text: str, drafts: list[DraftMention]) -> list[DraftMention]:
    """The drafts with each numbered road of the text a place, which the model misses or
    cuts into a country and a direction ("US" and "South" of "US-75 South"), and the
    name in parentheses after one its name. A name the model found around a road's
    designation stays ("Route 66 Diner")."""
    if not _ROAD.search(text):  # most texts name no road: one search spares the rest
        return drafts
    kept = drafts
    roads = []
    for match in _ROAD.finditer(text):
        start, end = match.span()
        inside = [d for d in kept if d.start < end and start < d.end]
        if any(d.start < start or end < d.end for d in inside):
            continue
        kept = [d for d in kept if not (d.start < end and start < d.end)]
        road = DraftMention(start, end, match.group(), EntityType.PLACE, None, "FAC")
        roads.append(road)
        if text.startswith(" (", end):
            # "Hwy 51 (Broken Arrow Expressway)": the road's name, one road.
            for draft in kept:
                if draft.start == end + 2 and draft.known is None:
                    draft.long_form = road
    return sorted([*kept, *roads], key=lambda draft: draft.start)


def type_places_by_context(text: str, clusters: list[Cluster]) -> None:
    """A name the document also gives with a natural feature after it is a place
    ("Socotra" beside "Socotra Island"), unless it is a word of a person's name there;
    so is a "person" the document names mostly after words of place or way ("hotels in
    Hadibo", "flights via Al Mukalla": ``_is_place_by_prepositions``), an
    "organisation" named as a city and written before a comma and a place ("Paramus,
    NJ", "Christchurch, Auckland or Wellington"), a name before a natural feature in
    lower case ("Kayangan lakes"), a region after a place ("Exeter, Devon."), and, in a
    text of six places or more and three times as many as the people it names in full
    (plus one), a "person" nothing says is one (``_is_unknown_among_places``) and a
    one-word "organisation" after words of place ("on Langeland")."""
    person_words = {
        word
        for cluster in clusters
        if cluster.type == EntityType.PERSON and len(cluster.words()) > 1
        for word in cluster.words()
    }
    places = {
        " ".join(words[:-1])
        for cluster in clusters
        if cluster.type == EntityType.PLACE
        and len(words := cluster.words()) > 1
        and words[-1] in _GEOGRAPHY_WORDS
    }
    place_ends = {
        member.start: member.end
        for cluster in clusters
        if cluster.type in {EntityType.PLACE, EntityType.COUNTRY}
        for member in cluster.members
    }
    people = sum(1 for c in clusters if c.type == EntityType.PERSON and len(c.words()) > 1)
    known_places = sum(1 for c in clusters if c.type in {EntityType.PLACE, EntityType.COUNTRY})
    among_places = known_places >= max(6, 3 * (people + 1))
    ends = set(place_ends.values())
    for cluster in clusters:
        key = cluster.name_key()
        if (
            key in places
            and cluster.type in {EntityType.ORG, EntityType.PERSON}
            and cluster.known is None
            and key not in person_words
            or _is_place_by_prepositions(text, cluster)
            or _is_city_before_a_place(text, cluster, place_ends)
            or _is_before_a_feature_word(text, cluster)
            or _is_region_after_a_place(text, cluster, ends)
            or among_places
            and _is_unknown_among_places(text, cluster, person_words)
            or among_places
            and _is_organisation_by_prepositions(text, cluster)
        ):
            cluster.type = EntityType.PLACE
            for member in cluster.members:
                member.type = EntityType.PLACE


# A natural feature written in lower case after a name, or after two names it is shared
# by: "the Zagros mountains", "Barracuda and Kayangan lakes".
_FEATURE_AFTER = re.compile(
    r"(?: and [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*)? (" + "|".join(sorted(_GEOGRAPHY_WORDS)) + r")s?\b"
)


def _is_before_a_feature_word(text: str, cluster: Cluster) -> bool:
    """Whether an unknown "person" or "organisation" is a place by a natural feature in
    lower case after one of its mentions ("Kayangan lakes")."""
    return (
        cluster.type in {EntityType.ORG, EntityType.PERSON}
        and cluster.known is None
        and any(_FEATURE_AFTER.match(text, member.end) for member in cluster.members)
    )


_ISLAND_OR_PLACE_BEFORE = re.compile(r"\b(?:in|near|via|on)\s$", re.IGNORECASE)
_TOWARDS_BEFORE = re.compile(r"\b(?:in|near|via|on|from|to)\s$", re.IGNORECASE)


def _is_organisation_by_prepositions(text: str, cluster: Cluster) -> bool:
    """Whether an unknown one-word "organisation" of a text of places is a place by its
    prepositions: one mention or more after "in", "near", "via" or "on", and half or
    more after those or "from" or "to" ("on Langeland", "From Langeland")."""
    if cluster.type != EntityType.ORG or cluster.known is not None or " " in cluster.name():
        return False
    if any(is_acronym(member.surface) for member in cluster.members):
        return False
    return _mostly_after_place_words(
        text, cluster, cluster.members, _ISLAND_OR_PLACE_BEFORE, _TOWARDS_BEFORE
    )


def _is_unknown_among_places(text: str, cluster: Cluster, person_words: set[str]) -> bool:
    """Whether a "person" is one more place of a text of places that names few people
    (a travel guide, a report on a region's towns: ``among_places`` above): unknown to
    the knowledge base, starting with no given name, not one word of a person's name of
    the text, not "the X" (dropped later), and nothing says it is a person's
    ("Rivertrail", "Spodsbjerg", "Chehel Sotoun")."""
    words = cluster.words()
    first = cluster.name().split()[0]
    return (
        cluster.type == EntityType.PERSON
        and cluster.known is None
        and (len(words) > 1 or words[0] not in person_words)
        and not is_given_name(first)
        and first not in _WORLD_GIVEN_NAMES
        and not is_thing_not_person(text, cluster)
        and not _is_said_of_a_person(text, cluster)
    )


# A verb of speech after a person's name; an East Asian given name ("Hau Lung-bin", "Moon
# Jae-in").
_SPEECH_AFTER = re.compile(r"['’]?s? (?:said|says|told|added|asked|wrote|replied)\b")
_SYLLABLE_GIVEN_NAME = re.compile(r" [A-Z][a-z]+-[a-z]+\b")


def _is_said_of_a_person(text: str, cluster: Cluster) -> bool:
    """Whether a name is a person's whatever else the text is about: it ends with an
    East Asian given name ("Hau Lung-bin"), or one mention or more has a title before
    it ("city mayor Hau", "President Obama") or a verb of speech after it ("Obama
    said")."""
    if _SYLLABLE_GIVEN_NAME.search(cluster.name()):
        return True
    for member in cluster.members:
        title = TITLE_BEFORE.search(text, max(0, member.start - 16), member.start)
        if title and title[1].lower().rstrip(".") in PERSON_TITLES:
            return True
        if _SPEECH_AFTER.match(text, member.end):
            return True
    return False


def _is_region_after_a_place(text: str, cluster: Cluster, ends: set[int]) -> bool:
    """Whether an unknown one-word "person" is a region by where it is written: every
    mention after a place (``ends``: where each place mention ends) and a comma, and
    before a clause's end ("born in Exeter, Devon.")."""
    if cluster.type != EntityType.PERSON or cluster.known is not None or " " in cluster.name():
        return False
    return all(
        text.startswith(", ", member.start - 2)
        and member.start - 2 in ends
        and CLAUSE_END_AFTER.match(text, member.end)
        for member in cluster.members
    )


def _is_city_before_a_place(text: str, cluster: Cluster, place_ends: dict[int, int]) -> bool:
    """Whether an unknown "organisation" is named as a city and written once or more
    before a comma and a place (``place_ends``: each place mention's start and end):
    "Paramus, NJ". Not before a place's possessive: "Toyota, Japan's biggest carmaker"."""
    return (
        cluster.type == EntityType.ORG
        and cluster.known is None
        and city_population(cluster.name()) > 0
        and any(
            text.startswith(", ", member.end)
            and (place_end := place_ends.get(member.end + 2)) is not None
            and not _POSSESSIVE_AFTER.match(text, place_end)
            for member in cluster.members
        )
    )


# Words before a place, never a person: "hotels in Hadibo", "near Sintra", "via Aden";
# and words before a place or a person ("flights from Sharjah", "a letter to Smith").
_PLACE_BEFORE = re.compile(r"\b(?:in|near|via)\s$")
_PLACE_OR_PERSON_BEFORE = re.compile(r"\b(?:in|near|via|from|to)\s$")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_AT_BEFORE = re.compile(r"\bat\s$")


def _is_place_by_prepositions(text: str, cluster: Cluster) -> bool:
    """Whether an unknown "person" whose name starts with no given name is a place by its
    prepositions: one mention or more after "in", "near" or "via", and half or more
    after those or "from" or "to", none of them possessive ("in Mohib's view"); or, a
    venue, every mention of two or more after "at" ("won at Anfield")."""
    if cluster.type != EntityType.PERSON or cluster.known is not None:
        return False
    if any(is_given_name(member.surface.split()[0]) for member in cluster.members):
        return False
    not_possessive = [m for m in cluster.members if not _POSSESSIVE_AFTER.match(text, m.end)]
    if len(cluster.members) > 1 and all(
        _AT_BEFORE.search(text, max(0, m.start - 4), m.start) for m in cluster.members
    ):
        return True  # "won at Anfield", "the crowd at Anfield": a venue
    return _mostly_after_place_words(
        text, cluster, not_possessive, _PLACE_BEFORE, _PLACE_OR_PERSON_BEFORE
    )


def _mostly_after_place_words(
    text: str, cluster: Cluster, members: list, place: re.Pattern, towards: re.Pattern
) -> bool:
    """Whether one or more of ``members`` (the cluster's, or some of them) comes after
    words only a place follows (``place``), and half or more of all the cluster's
    mentions after those or words a place or a person follows (``towards``)."""
    before = [text[max(0, member.start - 6) : member.start] for member in members]
    after_towards = sum(bool(towards.search(words)) for words in before)
    return any(place.search(words) for words in before) and (
        after_towards * 2 >= len(cluster.members)
    )
