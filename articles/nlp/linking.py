"""Mentions of people, countries, organisations and places in article texts.

``analyse`` runs the pipeline over texts and turns raw spaCy entities into clean,
typed mentions, each tied to one ``EntityRef`` per real entity within its document:

1. spans are cleaned: no leading determiner, title or role ("Secretary of State John
   Kerry" -> "John Kerry"), no possessive, no stray punctuation, no line breaks, no
   lower-case tail or trailing role ("Yonhap news agency", "NASA Administrator"); a
   person's name the model cut short is extended ("Carly [Simon]" -> "Carly Simon");
2. types are mapped (GPE that is a country -> COUNTRY, other GPE/LOC/FAC -> PLACE) and
   corrected by the knowledge base, which also gives canonical names ("U.S." -> "United
   States") and Wikidata ids, and by head words ("Johnson Space Center" is a place,
   "Municipality of Livorno" an organisation); countries either side of a score are
   teams; pronouns the model takes for names ("Us") and things it takes for people
   ("the Hajj") are dropped;
3. mentions are clustered within the document: surnames and first names to the full
   name ("Kerry" -> "John Kerry"), acronyms defined in parentheses ("General Motors
   (GM)") to their long form, spelling variants of one full name ("Fuad Masum",
   "Fouad Massoum") to one person.

Linking these per-document entities to the library's entities is ``resolve.py``'s job.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from articles.nlp.knowledge_base import (
    KnowledgeBase,
    KnowledgeEntry,
    given_names,
    knowledge_base,
    not_entities,
)
from articles.nlp.text import normalise_key, spelling_variants

__all__ = ["ENTITY_TYPES", "EntityRef", "FoundMention", "analyse", "normalise_key"]

ENTITY_TYPES = ("PERSON", "COUNTRY", "ORG", "PLACE")

# Texts are analysed in chunks of at most this many characters (split at paragraph or
# sentence ends), far below spaCy's max_length, to bound memory per document.
CHUNK_CHARS = 100_000

_MODEL_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    # The entity ruler labels its matches with our own types.
    "COUNTRY": "COUNTRY",
    "PLACE": "PLACE",
}

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"}

# Words that, before a person's name, are a title or a role rather than part of the name.
_ROLE_WORDS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "prime", "minister", "secretary", "chancellor", "premier",
    "foreign", "defence", "defense", "interior", "finance", "state", "general", "deputy",
    "chief", "executive", "ceo", "cfo", "coo", "chairman", "chairwoman", "chair",
    "spokesman", "spokeswoman", "spokesperson", "director", "founder", "co-founder",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor",
    "gov", "mayor", "ambassador", "king", "queen", "prince", "princess", "pope", "judge",
    "justice", "lt", "col", "gen", "maj", "capt", "sgt", "admiral", "commander", "officer",
    "analyst", "leader", "former", "acting", "new", "late", "senior", "head", "of", "the",
    "coach", "manager", "captain", "striker", "midfielder",
    "defender", "goalkeeper", "actor", "actress", "singer", "artist", "author", "writer",
    "reporter", "correspondent", "editor", "journalist", "photographer", "cardinal",
    "archbishop", "bishop", "rabbi", "imam", "sheikh", "ayatollah", "administrator",
    "commissioner", "undersecretary", "superintendent", "inspector", "detective", "sheriff",
    "attorney", "lawyer", "barrister", "campaigner", "curator", "chairperson", "envoy",
    "lawmaker", "legislator", "councillor", "councilor", "mp", "mep",
    # Portfolios, as in "Minister of Education Stefania Giannini".
    "education", "health", "trade", "transport", "energy", "agriculture", "environment",
    "labour", "labor", "culture", "economy", "commerce", "industry", "treasury",
}  # fmt: skip

# Roles that follow an organisation's name ("NASA Administrator").
_ORG_TAIL_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "administrator", "chief", "director",
    "chairman", "chairwoman", "ceo", "cfo", "coo", "president", "founder", "sheriff",
    "analyst", "official", "officials", "executive", "secretary",
}  # fmt: skip

# Stop words that may be a first name ("Will Smith", "May Robson").
_NAME_STOP_WORDS = {"will", "may", "bill", "mark", "rose", "grace"}

# Pronouns and other function words the model sometimes takes for a name ("Like Us on
# Facebook" -> GPE "Us").
_FUNCTION_WORDS = {
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them", "our",
    "your", "his", "its", "their", "this", "that", "these", "those", "who", "what", "here",
    "there", "today", "yesterday", "tomorrow",
}  # fmt: skip

# Company-form suffixes dropped from an organisation's canonical name, so "General Motors
# Corporation" and "General Motors" are one entity.
_COMPANY_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "plc", "ag", "sa", "nv", "se", "gmbh", "group", "holdings",
}  # fmt: skip

# Head words of the names of buildings, sites and ways: places, not organisations.
_FACILITY_WORDS = {
    "center", "centre", "museum", "planetarium", "gallery", "airport", "station", "stadium",
    "arena", "hall", "tower", "towers", "base", "bridge", "road", "street", "avenue",
    "boulevard", "square", "park", "mosque", "cathedral", "palace", "castle", "hotel",
    "highway", "motorway", "pier", "port", "harbour", "harbor", "dam", "canal", "zoo",
}  # fmt: skip
# Head words of the names of organisations.
_ORG_HEAD_WORDS = {
    "municipality", "ministry", "department", "university", "college", "institute",
    "academy", "association", "federation", "league", "society", "foundation", "party",
    "council", "committee", "commission", "agency", "bureau", "authority", "corporation",
    "company", "inc", "corp", "ltd", "llc", "plc", "bank", "gazette", "times", "post",
    "herald", "tribune", "journal", "news", "press", "union", "organization",
    "organisation", "government", "parliament", "assembly", "church", "army", "navy",
}  # fmt: skip
_SURNAME_ORG_HEAD_WORDS = {
    "bank", "times", "post", "herald", "tribune", "journal", "news", "press", "union",
    "church", "army", "navy", "society",
}  # fmt: skip
_SURNAME_FACILITY_WORDS = {"hall", "park", "castle", "street", "bridge", "port", "tower", "base"}

# Last words that make a name a company, a label or a studio even when it starts with a
# person's name ("Dick Clark Productions", "Big Machine Records").
_COMPANY_HEAD_WORDS = {
    "productions", "records", "studios", "pictures", "entertainment", "media", "enterprises",
    "industries", "technologies", "systems", "labs", "laboratories", "partners", "brands",
    "foods", "motors", "airlines", "airways", "pharmaceuticals", "networks",
    "communications", "solutions", "ventures", "investments", "capital", "securities",
    "holdings", "group", "inc", "corp", "llc", "ltd", "plc", "foundation", "institute",
    "university", "college", "club", "fc",
}  # fmt: skip
# Words that end the names of products, editions, trophies and events, not people
# ("Nintendo Switch Lite", "Davis Cup", "Founder's Edition", "App Store").
_PRODUCT_WORDS = {
    "pro", "max", "plus", "lite", "ultra", "mini", "edition", "series", "bundle", "cup",
    "store", "award", "awards", "prize", "trophy", "championship", "championships", "bowl",
    "festival", "tour", "summit", "expo", "console", "app", "switch", "phone", "watch",
    "live", "finals", "open", "games", "league", "conference",
}  # fmt: skip
# Last words of place names that may start with a given name ("Carson City").
_PLACE_TAIL_WORDS = {
    "city", "county", "island", "islands", "beach", "valley", "springs", "falls", "lake",
    "river", "mountain", "mountains", "bay", "hills", "heights", "creek", "point",
    "village", "township", "parish", "state", "district", "province", "region", "empire",
    "sound", "strait", "sea", "ocean", "peninsula", "desert", "forest", "coast", "field",
    "fields", "garden", "gardens", "theater", "theatre", "amphitheater", "amphitheatre",
    "pavilion", "stage", "dome", "memorial", "library", "hospital", "clinic", "infirmary",
    "school", "chapel", "temple", "market", "mall", "plaza",
}  # fmt: skip
# Last words of the names of events and prizes: none of our types ("Davis Cup", "ATP
# Finals", "American Music Awards").
_EVENT_WORDS = {
    "cup", "award", "awards", "prize", "trophy", "championship", "championships",
    "festival", "finals", "expo",
}  # fmt: skip
# Last words of the names of occasions: events, not the place they are held at ("Hall of
# Fame Induction", "Independence Day Parade").
_OCCASION_WORDS = {"induction", "ceremony", "ceremonies", "gala", "parade", "banquet"}
# Words that mark a sports club's name, first or last ("Athletic Bilbao", "Everton FC").
_CLUB_WORDS = {
    "fc", "afc", "cf", "sc", "ac", "athletic", "atletico", "atlético", "sporting", "dynamo",
    "dinamo", "olympique", "borussia",
}  # fmt: skip
# Last words of the names of airlines ("Qantas Airways"); an airline may also be "Air X".
_AIRLINE_WORDS = {"airlines", "airline", "airways"}
# Lower-case words that belong inside names ("Bank of America", "Alex de Minaur").
_NAME_PARTICLES = {
    "of", "and", "the", "for", "on", "in", "at", "de", "du", "des", "da", "di", "del",
    "della", "dos", "das", "do", "la", "le", "les", "el", "al", "von", "van", "der", "den",
    "ter", "ten", "y", "e", "bin", "ibn", "bint", "upon", "und", "et", "zu", "af",
}  # fmt: skip
# Capitalised verbs, pronouns and question words that, inside a title-case phrase, make
# it a headline rather than a name: "Stadia Is Essentially A Beta Version".
_HEADLINE_WORDS = {
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "does",
    "did", "can", "could", "should", "would", "must", "seems", "gets", "makes", "says",
    "said", "how", "why", "what", "when", "where", "which", "it", "they", "we", "you",
    "your", "our", "my", "this", "these", "those", "not", "isn't", "aren't", "won't",
    "can't", "don't", "doesn't", "just", "very", "than", "if", "to", "into",
}  # fmt: skip
# Tokens that join two names in one model entity: results ("Melbourne d. Cocoa", "Spain
# vs. Italy"), venues in tour listings ("AZ @ Ak-Chin Pavilion"), handles.
_JOINING_TOKENS = {"/", "(", "@", "d.", "vs", "vs.", "v.", "&amp;"}

_CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
_SENTENCE_ENDS = {".", "!", "?", ":", ";", '"', "“", "”", "—", "–", "-", "(", "'", "‘", "’"}

# Words that end a photo caption before its credit ("... Image: Twitter / NASA").
_CREDIT_WORDS = {"image", "photo", "photograph", "picture", "video", "credit", "source"}

_TRIM_CHARS = " \t\r\n\"'“”‘’`.,;:!?()[]{}<>-–—/\\|*•·"


@dataclass(frozen=True)
class EntityRef:
    """One entity within one document."""

    type: str  # one of ENTITY_TYPES
    key: str  # normalise_key(name)
    name: str  # canonical display name ("United States", "John Kerry", "Islamic State")
    wikidata_id: str = ""  # from the knowledge base when known ("Q30")


@dataclass(frozen=True)
class FoundMention:
    """One mention of an entity: character offsets into the text passed to ``analyse``."""

    start: int
    end: int
    surface: str  # == text[start:end]
    entity: EntityRef


@dataclass
class _Candidate:
    """A cleaned mention before clustering: plain values, no spaCy objects."""

    start: int
    end: int
    surface: str
    type: str
    known: KnowledgeEntry | None
    model_label: str
    # For an acronym defined in the text ("General Motors (GM)"): its long form.
    long_form: _Candidate | None = None
    # Found by repeating a name the model found elsewhere: its type is no new evidence.
    repeated: bool = False

    @property
    def key(self) -> str:
        return normalise_key(self.surface)


def analyse(
    texts: Iterable[str], *, nlp: Language, batch_size: int = 16
) -> Iterator[list[FoundMention]]:
    """The mentions in each text: one list per text, in input order, sorted by start.

    Mentions never overlap; offsets index the text as given. Each batch runs inside
    ``nlp.memory_zone()``, so a long-running worker does not accumulate vocabulary.
    """
    kb = knowledge_base()
    for batch in itertools.batched(texts, batch_size):
        chunks = [
            (index, offset, chunk)
            for index, text in enumerate(batch)
            for offset, chunk in split_text(text, CHUNK_CHARS)
        ]
        candidates: list[list[_Candidate]] = [[] for _ in batch]
        with nlp.memory_zone():
            docs = nlp.pipe((chunk for _, _, chunk in chunks), batch_size=batch_size)
            for (index, offset, _), doc in zip(chunks, docs, strict=True):
                candidates[index].extend(_candidates(doc, offset, kb, nlp))
        for text, found in zip(batch, candidates, strict=True):
            yield _link_document(text, found, kb)


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """``text`` as (offset, chunk) pieces of at most ``limit`` characters.

    Cuts after a paragraph break if there is one in the second half of the window, else
    after a sentence end, else at whitespace, so no name is cut in two.
    """
    pieces = []
    offset = 0
    while len(text) - offset > limit:
        window = text[offset : offset + limit]
        cut = -1
        for pattern in (r"\n\s*\n", r"[.!?]\s+", r"\s+"):
            ends = [match.end() for match in re.finditer(pattern, window)]
            ends = [end for end in ends if end >= limit // 2]
            if ends:
                cut = ends[-1]
                break
        if cut <= 0:
            cut = limit
        pieces.append((offset, window[:cut]))
        offset += cut
    pieces.append((offset, text[offset:]))
    return pieces


def _candidates(doc: Doc, offset: int, kb: KnowledgeBase, nlp: Language) -> list[_Candidate]:
    """Clean, typed mentions from one parsed chunk, offsets shifted by ``offset``."""
    found = []
    text = doc.text  # built on each access: once per chunk, not once per entity
    lower_words = _lower_case_words(text)
    for entity in doc.ents:
        before = text[max(0, entity.start_char - 5) : entity.start_char].lower()
        if before.endswith(("pro-", "anti-")) or entity.text.lower().startswith(("pro-", "anti-")):
            # "pro-Beijing", "anti-ISIL": an adjective, not a mention of the entity.
            continue
        entity = _with_party(entity)
        pieces = [
            part for span in _pieces(entity, text, lower_words) for part in _underscore_parts(span)
        ]
        for start, end, surface in pieces:
            known = kb.find(surface)
            if _is_abbreviation_out_of_place(known, surface, text, start):
                continue
            label = entity.label_
            if len(pieces) > 1 and known is None:
                # "Reuters/Christian Hartmann" (a photo credit) is two names: the model's
                # label was for the whole, so ask it again about the part alone.
                label = _label_alone(surface, nlp)
            entity_type = _entity_type(label, known, surface)
            if entity_type is None or known is None and not _looks_like_name(surface):
                continue
            if known is None and (
                _is_headline_fragment(surface)
                or _is_not_entity(surface, entity_type)
                or _is_plural_demonym(surface, kb)
                or _is_generic_word_and_letter(surface, entity_type, lower_words)
            ):
                continue
            found.append(
                _Candidate(
                    start=start + offset,
                    end=end + offset,
                    surface=surface,
                    type=entity_type,
                    known=known,
                    model_label=label,
                )
            )
    return found


# Endings of the adjectives that name parties before a lower-case "party" ("Communist",
# "Democratic", "Progressive", "Republican", "Liberal"), not a "Guy Fawkes party".
_PARTY_ADJECTIVE_ENDINGS = ("ic", "ist", "ive", "an", "al")


def _with_party(entity: Span) -> Span:
    """An organisation or group name the model cut before "Party", extended over it:
    "Communist [Party]", "Democratic Progressive [party]" name parties, not adjectives."""
    doc = entity.doc
    end = entity.end
    if (
        entity.label_ in {"ORG", "NORP"}
        and end < len(doc)
        and doc[end].lower_ == "party"
        and (doc[end].text == "Party" or entity[-1].lower_.endswith(_PARTY_ADJECTIVE_ENDINGS))
        and doc[end].ent_iob_ == "O"
        and entity[-1].whitespace_ == " "
        and all(token.text[:1].isupper() for token in entity if token.is_alpha)
    ):
        return Span(doc, entity.start, end + 1, label="ORG")
    return entity


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


def _underscore_parts(span: Span) -> list[tuple[int, int, str]]:
    """A span's (start, end, text), split where an underscore joins a role to a name
    ("Art Director_Park Dong Woo" -> "Park Dong Woo"): parts ending in a role go."""
    surface = span.text
    if "_" not in surface:
        return [(span.start_char, span.end_char, surface)]
    parts = []
    for match in re.finditer(r"[^_]+", surface):
        part = match.group().strip(_TRIM_CHARS)
        words = part.split()
        if not words or _is_role(words[-1]):
            continue
        start = span.start_char + match.start() + match.group().index(part)
        parts.append((start, start + len(part), part))
    return parts


def _is_not_entity(surface: str, entity_type: str) -> bool:
    """A time zone ("UTC") or technical term ("USB") as anything, a holiday ("Diwali")
    as a place or organisation. Celestial bodies are judged per document."""
    kind = not_entities().get(surface)
    return (
        kind in {"time_zone", "term", "people", "generic"}
        or kind == "holiday"
        and entity_type != "PERSON"
    )


def _is_plural_demonym(surface: str, kb: KnowledgeBase) -> bool:
    """Whether one word is the people of a known country or place ("Palestinians",
    "Belgians", "Afghans", "Bangladeshis"): a group of people (spaCy's NORP), not an
    organisation. The stem must begin a one-word country or place name of the
    knowledge base, so "Republicans" and "Democrats" are not taken for peoples."""
    if " " in surface or not surface[:1].isupper() or not surface[1:].islower():
        return False
    for suffix in ("ians", "ans", "is"):
        if surface.endswith(suffix) and len(surface) - len(suffix) >= 3:
            stem = surface[: -len(suffix)].lower()
            return any(name.startswith(stem) for name in kb.one_word_place_keys())
    return False


def _is_generic_word_and_letter(
    surface: str, entity_type: str | None, lower_words: frozenset[str]
) -> bool:
    """Whether a name is a common word the text also writes in lower case followed by one
    letter: "Group A", "Pool B", "Plan B" (not a person's "Malcolm X")."""
    words = surface.split()
    return (
        entity_type != "PERSON"
        and len(words) == 2
        and re.fullmatch(r"[A-Z]\.?", words[1]) is not None
        and words[0].lower() in lower_words
    )


def _label_alone(surface: str, nlp: Language) -> str:
    entities = nlp(surface).ents
    if len(entities) == 1 and entities[0].text == surface:
        return entities[0].label_
    return ""


def _lower_case_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case: "press" if it says "the press"."""
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def _pieces(entity: Span, text: str, lower_words: frozenset[str] = frozenset()) -> list[Span]:
    """The names inside one model entity, each cleaned; usually one, possibly none.

    A line break inside an entity joins two lines (a caption, a heading): only the first
    line with a capitalised word is kept. A slash joins two names ("Reuters/Christian
    Hartmann"), and so does a parenthesis ("World Health Organisation (WHO"): both are
    kept.
    """
    doc = entity.doc
    lines: list[tuple[int, int]] = []
    line_start = entity.start
    for token in entity:
        if "\n" in token.text or "\n" in token.whitespace_:
            lines.append((line_start, token.i if "\n" in token.text else token.i + 1))
            line_start = token.i + 1
    lines.append((line_start, entity.end))
    lines = [(s, e) for s, e in lines if any(t.text[:1].isupper() for t in doc[s:e])]
    if not lines:
        return []
    start, end = lines[0]
    parts, part_start = [], start
    for index in range(start, end):
        if _joins_names(doc, index, start, end):
            parts.append((part_start, index))
            part_start = index + 1
    parts.append((part_start, end))
    cleaned = (_clean_span(doc, s, e, entity.label_, text, lower_words) for s, e in parts)
    return [span for span in cleaned if span is not None]


def _joins_names(doc: Doc, index: int, start: int, end: int) -> bool:
    """Whether ``doc[index]`` separates two names within one entity: a slash, a
    parenthesis, a result's "d." or "vs", a handle ("@NASA"), or a lower-case word
    names do not contain ("Garrett hit Rudolph", "Awards after Swift")."""
    token = doc[index]
    if token.text in _JOINING_TOKENS or token.text.startswith("@"):
        return True
    return (
        start < index < end - 1
        and token.is_lower
        and token.is_alpha
        and token.lower_ not in _NAME_PARTICLES
        and doc[index - 1].whitespace_ != ""
        and token.whitespace_ != ""
        and doc[index + 1].text[:1].isupper()
    )


def _is_headline_fragment(surface: str) -> bool:
    """Whether a title-case phrase is a piece of a headline: a capitalised verb,
    pronoun or question word inside it ("Stadia Is Essentially A Beta Version")."""
    words = surface.split()
    return len(words) >= 3 and any(
        word[:1].isupper() and word.lower() in _HEADLINE_WORDS for word in words[1:-1]
    )


def _is_given_name(word: str) -> bool:
    """Whether a capitalised word is, or begins with, a common given name ("Jo-Wilfried")."""
    names = given_names()
    return word in names or word.split("-")[0] in names


_NAME_WORD = re.compile(r"^[A-Z][^\W\d_A-Z]*(?:[A-Z'’-][^\W\d_]+)*\.?$")


def _looks_like_person(surface: str) -> bool:
    """Whether an unknown name of two or three capitalised words starting with a common
    given name is a person's ("Mason Rudolph", "Scooter Braun"): not "Carson City",
    "Charlotte Hornets Foundation", nor "Crystal Palace"."""
    words = surface.split()
    if not 2 <= len(words) <= 3 or not _is_given_name(words[0]):
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
        or last in _COMPANY_SUFFIXES
        or any(word.lower() in _ROLE_WORDS for word in words[1:])
    )


def _clean_span(
    doc: Doc,
    start: int,
    end: int,
    label: str,
    text: str,
    lower_words: frozenset[str] = frozenset(),
) -> Span | None:
    """``doc[start:end]`` without determiners, roles, possessives and stray punctuation."""
    while start < end and (
        doc[start].lower_ in _DETERMINERS or not doc[start].text.strip(_TRIM_CHARS)
    ):
        start += 1
    while start < end and (
        doc[end - 1].lower_ in {"'s", "’s", "'", "’"} or not doc[end - 1].text.strip(_TRIM_CHARS)
    ):
        end -= 1
    if end < len(doc) and doc[end].text == ":" and doc[end - 1].lower_ in _CREDIT_WORDS:
        end -= 1  # "Ahmed Mohamed Image: Twitter": a caption's credit line
    while (
        end - start > 1
        and doc[start].is_lower
        and doc[start].is_alpha
        and doc[start].lower_ not in _NAME_PARTICLES
        and doc[start + 1].text[:1].isupper()
    ):
        start += 1  # "rookie Emil Bemstrom", "federal Bureau of Prisons"
    end = _without_trailing_numbers(doc, start, end, label)
    while (
        end - start > 1
        and _is_tail_word(doc[end - 1], label)
        and knowledge_base().find(doc[start:end].text) is None  # "U.N. Security council"
    ):
        end -= 1
    if label == "PERSON":
        while (
            end - start > 1
            and doc[start].is_stop
            and doc[start].lower_ not in _NAME_STOP_WORDS
            and doc[start + 1].text[:1].isupper()
        ):
            start += 1  # "Although Gallois said", "When Smith arrived"
        start, end = _with_adjacent_name_words(doc, start, end, text, lower_words)
        start = _after_roles(doc, start, end)
        start = _from_given_name(doc, start, end)
        end = _with_hyphenated_end(doc, end)
    if start >= end or all(_is_role(token.text) for token in doc[start:end]):
        # "State" of "Secretary of State", "President": a role, not a name.
        return None
    span = doc[start:end]
    # Punctuation glued to a token ("(ISIL"): trim by characters, keeping the final dot
    # of an abbreviation ("U.S.").
    text = span.text
    left = len(text) - len(text.lstrip(_TRIM_CHARS))
    right = len(text.rstrip(_TRIM_CHARS))
    if re.search(r"\b[A-Z]\.$", text):
        right = len(text.rstrip(_TRIM_CHARS.replace(".", "")))
    if right <= left:
        return None
    return doc.char_span(span.start_char + left, span.start_char + right, alignment_mode="expand")


def _without_trailing_numbers(doc: Doc, start: int, end: int, label: str) -> int:
    """The end of a name without a trailing score ("Chile 3-0", "Nicolas Jarry 6-4") or,
    after a person, a number ("Adrianna Knight 12", a roster); products keep theirs
    ("Thunderbolt 3")."""
    cut = end
    while cut - start > 1 and (doc[cut - 1].like_num or doc[cut - 1].text in {"-", "–"}):
        cut -= 1
    if cut == end:
        return end
    run = doc[cut:end].text
    is_score = re.fullmatch(r"\d{1,3}\s*[-–]\s*\d{1,3}", run) is not None
    return cut if is_score or label == "PERSON" and run.isdigit() else end


def _from_given_name(doc: Doc, start: int, end: int) -> int:
    """Where a person's name starts after a capitalised word that is no part of it:
    "Email Tariq Malik", "Speaker Brian Bosma", "Browns DL Sheldon Richardson". Only
    when the first word is not a given name and a given name later starts a name of at
    least two words."""
    if end - start < 3 or _is_given_name(doc[start].text):
        return start
    for index in range(start + 1, end - 1):
        if _is_given_name(doc[index].text) and all(
            token.text[:1].isupper() for token in doc[index:end] if token.is_alpha
        ):
            return index
    return start


def _is_tail_word(token: Token, label: str) -> bool:
    """Whether a name's last token follows the name rather than ends it: a lower-case
    word ("Yonhap news agency") or, after an organisation, a role ("NASA Administrator",
    "State Department Spokesperson"); not the end of "Lam Cheuk-ting" or "iPhone"."""
    if label == "ORG" and token.lower_ in _ORG_TAIL_ROLES:
        return True
    if (
        label == "ORG"
        and token.lower_ == "party"
        and token.doc[token.i - 1].lower_.endswith(_PARTY_ADJECTIVE_ENDINGS)
    ):
        return False  # "the Communist party": the party's name, written in lower case
    before = token.doc[token.i - 1]
    return token.is_lower and token.is_alpha and before.text != "-" and before.whitespace_ != ""


def _with_adjacent_name_words(
    doc: Doc, start: int, end: int, text: str, lower_words: frozenset[str]
) -> tuple[int, int]:
    """Extend a person's name the model cut short over capitalised words beside it that no
    entity claims: "Carly [Simon]", "[Johnnie] Christmas", "[James] To".

    Not in a title-cased line (a headline: "Steve Jobs Resigns As CEO"), not over roles,
    months or days, and a sentence's first word only if the text never writes it in
    lower case ("When Smith arrived").
    """
    if start >= end or _in_title_case_line(text, doc[start].idx):
        return start, end
    while (
        start > 0
        and end - start < 4
        and doc[start - 1].whitespace_ == " "
        and _is_free_name_word(doc[start - 1])
        and not doc[start - 1].is_stop
        and (not _starts_sentence(doc, start - 1) or doc[start - 1].lower_ not in lower_words)
    ):
        start -= 1
    while (
        end < len(doc)
        and end - start < 4
        and doc[end - 1].whitespace_ == " "
        and _is_free_name_word(doc[end])
        and not doc[end].is_stop
        and not (end + 1 < len(doc) and doc[end + 1].text == "." and len(doc[end]) == 1)
    ):
        end += 1
    return start, end


def _is_free_name_word(token: Token) -> bool:
    text = token.text
    return (
        token.ent_iob_ == "O"
        and token.is_alpha
        and text[:1].isupper()
        and not (len(text) > 1 and text.isupper())
        and not _is_role(text)
        and token.lower_ not in _DETERMINERS
        and token.lower_ not in _CALENDAR_WORDS
        and token.lower_ not in _CREDIT_WORDS
    )


def _starts_sentence(doc: Doc, index: int) -> bool:
    if index == 0:
        return True
    previous = doc[index - 1]
    return "\n" in previous.whitespace_ or "\n" in previous.text or previous.text in _SENTENCE_ENDS


def _in_title_case_line(text: str, at: int) -> bool:
    """Whether most words of the line holding ``text[at]`` are capitalised."""
    end = text.find("\n", at)
    line = text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else len(text)]
    words = _LONG_WORD.findall(line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


def _with_hyphenated_end(doc: Doc, end: int) -> int:
    """Extend a name cut at a hyphen: "Wong Yeung" of "Wong Yeung-tat" -> "Wong Yeung-tat"."""
    while (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and doc[end + 1].is_lower
        and doc[end + 1].ent_iob_ != "B"
    ):
        end += 2
    return end


def _is_role(word: str) -> bool:
    word = word.lower()
    return word in _ROLE_WORDS or word.rstrip(".") in _ROLE_WORDS


def _after_roles(doc: Doc, start: int, end: int) -> int:
    """The index where a person's name starts once leading titles and roles are dropped.

    Everything up to the last role word is dropped when a capitalised name follows it:
    "Secretary of State John Kerry" -> "John Kerry", "Apple CEO Steve Jobs" -> "Steve
    Jobs"; "Stephen King" keeps its "King" because nothing follows it.
    """
    last_role = -1
    for index in range(start, end):
        if _is_role(doc[index].text):
            last_role = index
    if last_role < 0 or last_role + 1 >= end:
        return start
    rest = doc[last_role + 1 : end]
    if all(token.text[:1].isupper() or not token.is_alpha for token in rest):
        return last_role + 1
    return start


def _entity_type(label: str, known: KnowledgeEntry | None, surface: str = "") -> str | None:
    if known is not None:
        # The model's PERSON is kept against a one-word place of the same name ("Paris"
        # Hilton, "Jordan"): resolved later if the document names that person in full.
        return known.type
    entity_type = _MODEL_TYPES.get(label)
    words = surface.split()
    if words[-1:] != words[:1] and (
        _head_word(surface) in _EVENT_WORDS or words[-1].lower() in _OCCASION_WORDS
    ):
        return None  # "Davis Cup", "ATP Finals": an event, not who takes part
    if entity_type in {"PLACE", "PERSON"} and _is_club_or_airline(words):
        return "ORG"  # "Athletic Bilbao", "Air Astana": a club, an airline
    if entity_type in {"ORG", "PERSON"} and _is_facility_name(surface, entity_type):
        # "Johnson Space Center", "Museum of Flight", "Heathrow Airport": a place one
        # goes to, whatever the model made of it.
        return "PLACE"
    head = _head_word(surface)
    if (
        entity_type == "PLACE"
        and head in _ORG_HEAD_WORDS
        or entity_type == "PERSON"
        and head in _ORG_HEAD_WORDS - _SURNAME_ORG_HEAD_WORDS
    ):
        # "Municipality of Livorno", "Saudi Gazette", "Ministry of Defence".
        return "ORG"
    if entity_type in {"ORG", "PLACE"} and _looks_like_person(surface):
        return "PERSON"  # "Mason Rudolph" (ORG), "Denzel Ward" (GPE)
    if entity_type == "PERSON":
        return _person_or_thing(surface)
    return entity_type


def _is_club_or_airline(words: list[str]) -> bool:
    """Whether a name of two or three words is a sports club's ("Athletic Bilbao",
    "Everton FC") or an airline's ("Air Astana", "Qantas Airways")."""
    if not 2 <= len(words) <= 3:
        return False
    first, last = words[0].lower(), words[-1].lower()
    return (
        first in _CLUB_WORDS or last in _CLUB_WORDS or words[0] == "Air" or last in _AIRLINE_WORDS
    )


def _person_or_thing(surface: str) -> str | None:
    """PERSON, or the type of what a "person" the model found really is: a company when
    its last word says so ("Dick Clark Productions"), nothing when it is a product, a
    trophy or an event ("Nintendo Switch", "Davis Cup"), or a known organisation's
    product ("Apple Watch Series"), unless it starts with a given name."""
    words = surface.split()
    if len(words) < 2:
        return "PERSON"
    last = words[-1].strip(_TRIM_CHARS).lower()
    if last in _COMPANY_HEAD_WORDS:
        return "ORG"
    if _is_given_name(words[0]):
        return "PERSON"
    first = knowledge_base().find(words[0])
    if last in _PRODUCT_WORDS or first is not None and first.type == "ORG":
        return None
    return "PERSON"


def _head_word(surface: str) -> str:
    """The word a name of several words is named after: its last, or the one before
    "of" ("Museum" of "Museum of Flight"); "" for a single word."""
    words = surface.split()
    if len(words) < 2:
        return ""
    head = words[-1]
    if "of" in words[1:-1]:
        head = words[words.index("of") - 1]
    return head.strip(_TRIM_CHARS).lower()


def _is_facility_name(surface: str, entity_type: str) -> bool:
    """Whether a name's head word is a building, site or way: "Adler Planetarium",
    "Museum of Flight", "Castlefrank Road"; not "Center for Strategic Studies", nor a
    person with such a surname ("Stuart Hall", "Grace Park")."""
    head = _head_word(surface)
    if entity_type == "PERSON" and head in _SURNAME_FACILITY_WORDS:
        return False
    return head in _FACILITY_WORDS


def _looks_like_name(surface: str) -> bool:
    words = surface.split()
    if not any(char.isupper() for char in surface):
        return False
    if len(words) == 1 and normalise_key(surface) in _FUNCTION_WORDS:
        return False
    return any(char.isalpha() for char in surface)


# Clustering within one document -------------------------------------------------------


@dataclass
class _Cluster:
    type: str
    members: list[_Candidate]
    known: KnowledgeEntry | None = None

    def words(self) -> list[str]:
        return self.name_key().split()

    def name(self) -> str:
        if self.known is not None:
            return self.known.name
        surfaces = [m.surface for m in self.members if not _is_acronym(m.surface)] or [
            m.surface for m in self.members
        ]
        counts = Counter(surfaces)
        # The fullest form names the entity; a form not in capitals ("Cleveland", not the
        # dateline's "CLEVELAND"), then frequency, break ties.
        best = max(
            surfaces,
            key=lambda surface: (
                len(normalise_key(surface).split()),
                not _is_all_caps(surface),
                counts[surface],
            ),
        )
        if self.type != "ORG" or " " in best:
            # A one-word organisation in capitals is usually an acronym ("COBRA").
            best = _without_shouting(best)
        return _strip_company_suffix(best) if self.type == "ORG" else best

    def name_key(self) -> str:
        return normalise_key(self.name())


def _is_all_caps(surface: str) -> bool:
    letters = [char for char in surface if char.isalpha()]
    return len(letters) > 1 and all(char.isupper() for char in letters)


def _without_shouting(name: str) -> str:
    """A name written in capitals ("CLEVELAND", "SIOUX FALLS"), title-cased; acronyms and
    short words that may be acronyms ("CBS DFW", "USA TODAY"'s "USA") keep their case."""
    if not _is_all_caps(name) or not any(len(word) > 4 for word in re.findall(r"\w+", name)):
        return name
    return re.sub(
        r"\w+",
        lambda match: (
            match.group().capitalize()
            if len(match.group()) > 4 or match.group().lower() in _SHORT_NAME_WORDS
            else match.group()
        ),
        name,
    )


# Short words of place names that are not acronyms ("SAN FRANCISCO", "NEW YORK").
_SHORT_NAME_WORDS = {"new", "san", "los", "las", "fort", "port", "lake", "st", "el", "la", "le"}


def _is_acronym(surface: str) -> bool:
    letters = surface.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()


def _strip_company_suffix(name: str) -> str:
    words = name.split()
    while len(words) > 1 and normalise_key(words[-1]) in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(",")


def _link_document(
    text: str, candidates: list[_Candidate], kb: KnowledgeBase
) -> list[FoundMention]:
    candidates = _without_non_names(_non_overlapping(candidates))
    candidates = _add_defined_acronyms(text, candidates, kb)
    candidates = _add_repeated_names(text, candidates)
    _type_national_teams(text, candidates)
    lower_words = _lower_case_words(text)
    clusters = [
        c
        for c in _cluster(candidates)
        if not _is_thing_not_person(text, c) and not _is_common_word(text, c, lower_words)
    ]
    mentions = []
    for cluster in clusters:
        ref = EntityRef(
            type=cluster.type,
            key=cluster.name_key(),
            name=cluster.name(),
            wikidata_id=cluster.known.wikidata_id if cluster.known else "",
        )
        for member in cluster.members:
            mentions.append(FoundMention(member.start, member.end, member.surface, ref))
    mentions.sort(key=lambda mention: mention.start)
    return mentions


def _is_common_word(text: str, cluster: _Cluster, lower_words: frozenset[str]) -> bool:
    """Whether an unknown one-word organisation or place is a common word, capitalised
    only because it starts a sentence, a heading or a title: the text also writes it in
    lower case and never capitalises it elsewhere ("Plague" of a headline on "bubonic
    plague", "Sacrifice is necessary")."""
    if cluster.type not in {"ORG", "PLACE"} or cluster.known is not None:
        return False
    surfaces = {member.surface for member in cluster.members}
    if len(surfaces) != 1:
        return False
    (surface,) = surfaces
    if " " in surface or not surface[1:].islower() or surface.lower() not in lower_words:
        return False
    return all(
        _at_sentence_start(text, member.start) or _in_title_case_line(text, member.start)
        for member in cluster.members
    )


_LINE_OR_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?:;\n][\"'”’)]?\s*|[\"“‘(]\s*)$")


def _at_sentence_start(text: str, start: int) -> bool:
    return _LINE_OR_SENTENCE_BEFORE.search(text[max(0, start - 6) : start]) is not None


def _without_non_names(candidates: list[_Candidate]) -> list[_Candidate]:
    """Without celestial bodies ("Jupiter", "the Moon": not places a reader follows news
    by) and a family named by a plural surname ("the Bidens"), unless the document names
    a person with that word ("Moon Jae-in", "Venus Williams")."""
    person_words = set()
    surnames = set()
    for candidate in candidates:
        words = candidate.surface.split()
        if candidate.type == "PERSON" and len(words) > 1:
            person_words.update(words)
            surnames.add(words[-1])
    kept = []
    for candidate in candidates:
        surface = candidate.surface
        if candidate.known is None and " " not in surface and surface not in person_words:
            if not_entities().get(surface) == "celestial" and candidate.type != "ORG":
                continue
            if surface.endswith("s") and surface[:-1] in surnames:
                continue
        kept.append(candidate)
    return kept


# A match result between two named sides: "Sweden 1 – 0 Korea Republic", "Belgium 3-0".
_SCORE_BETWEEN = re.compile(r"\s+\d{1,2}\s*[–—-]\s*\d{1,2}\s+")


def _type_national_teams(text: str, candidates: list[_Candidate]) -> None:
    """Countries (and cities) that play a match in the document are its teams: ORG.

    A match report gives results as "Sweden 1 – 0 Korea Republic"; there "Sweden
    defeated South Korea" and "Korea's Kim Shin-Wook" name teams, organisations, not
    the countries. Only known places written on either side of a score are retyped,
    and then every mention of them in the document.
    """
    teams = set()
    for first, second in itertools.pairwise(candidates):
        if (
            first.known is not None
            and second.known is not None
            and {first.known.type, second.known.type} <= {"COUNTRY", "PLACE"}
            and _SCORE_BETWEEN.fullmatch(text, first.end, second.start)
        ):
            teams.update((first.known.name, second.known.name))
    # The team is an organisation of its own, named like its country ("Korea" and "South
    # Korea" are one team), with no Wikidata id of the country's.
    entries = {name: KnowledgeEntry("ORG", name, "", ()) for name in teams}
    for candidate in candidates:
        if candidate.known is not None and candidate.known.name in teams:
            candidate.known = entries[candidate.known.name]
            candidate.type = "ORG"


_MODIFIED_NOUN_AFTER = re.compile(r" [a-z]+\b")
_ARTICLE_BEFORE = re.compile(r"(?:^|\W)(?:the|a|an)\s$", re.IGNORECASE)


def _is_thing_not_person(text: str, cluster: _Cluster) -> bool:
    """Whether a "person" the knowledge base does not know is, by the article before
    half or more of its mentions, a thing: "the Hajj", "the Polaroid's flash". People
    are seldom "the" anything; a name before a noun ("the Tom Cruise video") is left out
    of the count.
    """
    if cluster.type != "PERSON" or cluster.known is not None:
        return False
    with_article = counted = 0
    for member in cluster.members:
        if _MODIFIED_NOUN_AFTER.match(text, member.end):
            continue  # "the Tom Cruise video": says nothing of what the name names
        counted += 1
        with_article += bool(_ARTICLE_BEFORE.search(text, max(0, member.start - 5), member.start))
    return with_article > 0 and with_article * 2 >= counted


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if kept and candidate.start < kept[-1].end:
            continue
        kept.append(candidate)
    return kept


_ACRONYM_AFTER = re.compile(r"\s*\(\s*((?:[A-Z][a-z]?\.?){2,8})\s*\)")
_MINOR_WORDS = {"of", "and", "the", "for", "in", "on", "de", "du", "des", "la", "le", "al"}


def _defines(long_form: str, acronym: str) -> bool:
    """Whether ``acronym`` is made of the initials of ``long_form``'s words, in order."""
    letters = acronym.replace(".", "").lower()
    words = re.findall(r"[A-Za-z]+", re.sub(r"['’]s\b", "", long_form))
    initials = "".join(word[0].lower() for word in words)
    major = "".join(word[0].lower() for word in words if word.lower() not in _MINOR_WORDS)
    if not letters or not initials or letters[0] != initials[0]:
        return False
    if letters in (initials, major):
        return True
    # Subsequence of the initials covering most major words ("EADS" for "European
    # Aeronautic Defence and Space Company"), never a stray two letters.
    position = 0
    for letter in letters:
        position = initials.find(letter, position) + 1
        if position == 0:
            return False
    return len(letters) >= 3 and len(letters) >= len(major) - 1


def _add_defined_acronyms(
    text: str, candidates: list[_Candidate], kb: KnowledgeBase
) -> list[_Candidate]:
    """Every use of an acronym defined in parentheses becomes a mention of its long form.

    "General Motors (GM)" makes each "GM" of the text a mention typed like "General
    Motors", whether or not the model found it.
    """
    definitions: dict[str, _Candidate] = {}
    for candidate in candidates:
        match = _ACRONYM_AFTER.match(text, candidate.end)
        if match and _defines(candidate.surface, match.group(1)):
            definitions.setdefault(match.group(1), candidate)
    if not definitions:
        return candidates
    by_start = {c.start: c for c in candidates}
    added = []
    for acronym, long_form in definitions.items():
        for match in re.finditer(rf"(?<![\w.]){re.escape(acronym)}(?![\w])", text):
            existing = by_start.get(match.start())
            if existing is not None and existing.end == match.end():
                existing.type = long_form.type
                existing.known = long_form.known or existing.known
                existing.long_form = long_form
                continue
            added.append(
                _Candidate(
                    start=match.start(),
                    end=match.end(),
                    surface=acronym,
                    type=long_form.type,
                    known=long_form.known,
                    model_label="ACRONYM",
                    long_form=long_form,
                )
            )
    return _non_overlapping([*candidates, *added])


_TIE_PREFERENCE = {"ORG": 2, "PERSON": 1}


def _harmonise_types(candidates: list[_Candidate]) -> None:
    """One name, one type within a document; a person's surname is that person.

    The model types each mention on its own, so "Ryanair" comes out ORG in one sentence
    and PERSON in the next, and "Jobs" after "Steve Jobs" comes out ORG. Names the
    knowledge base knows keep its type.
    """
    surnames = {
        candidate.key.split()[-1]
        for candidate in candidates
        if candidate.type == "PERSON" and candidate.known is None and len(candidate.key.split()) > 1
    }
    names = surnames | {
        candidate.key.split()[0]
        for candidate in candidates
        if candidate.type == "PERSON" and candidate.known is None and len(candidate.key.split()) > 1
    }
    for candidate in candidates:
        # The model said PERSON and the article names a person so: "Paris" is Valeska
        # Paris here, not the city the knowledge base knows.
        if (
            candidate.known is not None
            and candidate.known.type in {"PLACE", "COUNTRY"}
            and candidate.model_label == "PERSON"
            and candidate.key in names
        ):
            candidate.known = None
            candidate.type = "PERSON"
    votes: dict[str, Counter[str]] = {}
    for candidate in candidates:
        if candidate.known is None and candidate.long_form is None:
            if candidate.key in surnames:
                candidate.type = "PERSON"
            votes.setdefault(candidate.key, Counter())[candidate.type] += not candidate.repeated
    for candidate in candidates:
        if candidate.known is None and candidate.long_form is None:
            counts = votes[candidate.key]
            # On a tie an organisation beats a place: the model often takes an unknown
            # organisation for a place ("Scientology"), seldom the reverse.
            candidate.type = max(counts, key=lambda t: (counts[t], _TIE_PREFERENCE.get(t, 0)))


def _add_repeated_names(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Other uses of a name the document gives, which the model missed.

    The model finds a name in one sentence and not in the next; every other whole-word,
    same-case occurrence of a found name, and of a found person's surname, is a mention
    too. A capitalised word at a sentence start counts only if the text never uses it
    in lower case ("Press" may be Jim Press, or just the word).
    """
    found_times = Counter(candidate.surface for candidate in candidates)
    forms: dict[str, _Candidate] = {}
    for candidate in candidates:
        surface = candidate.surface
        # A one-word name the model found once may be its mistake ("Explorer", "Hajj"):
        # spreading it would repeat the mistake everywhere.
        trusted = " " in surface or found_times[surface] > 1 or candidate.known is not None
        if candidate.known is not None and surface in candidate.known.exact_aliases:
            continue  # "Boston, Mass." says nothing of "attended Mass." elsewhere
        if trusted and len(surface) >= 3 and surface[:1].isupper():
            forms.setdefault(surface, candidate)
    for candidate in candidates:
        words = candidate.surface.split()
        if candidate.type == "PERSON" and candidate.known is None and len(words) > 1:
            surname = words[-1]
            if len(surname) >= 3 and surname[:1].isupper() and surname.isalpha():
                forms.setdefault(
                    surname,
                    _Candidate(0, 0, surname, "PERSON", known=None, model_label="PERSON"),
                )
    taken = bytearray(len(text))
    for candidate in candidates:
        taken[candidate.start : candidate.end] = b"\1" * (candidate.end - candidate.start)
    lower_words = set(re.findall(r"\b[a-z]+\b", text))
    added = []
    for form, template in forms.items():
        for match in re.finditer(rf"(?<![\w\-.]){re.escape(form)}(?![\w\-])", text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            if (
                " " not in form
                and form.lower() in lower_words
                and re.search(r"(?:^|[.!?:\n][\"'”’)]?)\s*$", text[max(0, start - 4) : start])
            ):
                continue
            taken[start:end] = b"\1" * (end - start)
            added.append(
                _Candidate(
                    start,
                    end,
                    form,
                    template.type,
                    known=template.known,
                    model_label=template.model_label,
                    long_form=template.long_form,
                    repeated=True,
                )
            )
    return sorted([*candidates, *added], key=lambda candidate: candidate.start)


def _cluster(candidates: list[_Candidate]) -> list[_Cluster]:
    """Group a document's mentions into one cluster per real entity."""
    _harmonise_types(candidates)
    clusters: list[_Cluster] = []
    by_identity: dict[tuple[str, str], _Cluster] = {}
    pending: list[_Candidate] = []

    def cluster_for(identity: tuple[str, str], candidate: _Candidate) -> _Cluster:
        """The cluster of this identity, started with the candidate's type if new."""
        cluster = by_identity.get(identity)
        if cluster is None:
            cluster = _Cluster(type=candidate.type, members=[], known=candidate.known)
            by_identity[identity] = cluster
            clusters.append(cluster)
        return cluster

    # Pass 1: known entities by knowledge-base entry, other full names by key.
    for candidate in candidates:
        if candidate.long_form is not None and candidate.known is None:
            pending.append(candidate)
            continue
        if candidate.known is not None:
            identity = ("kb", candidate.known.name)
        elif candidate.type == "PERSON" and len(candidate.key.split()) == 1:
            pending.append(candidate)  # a lone first name or surname: resolved below
            continue
        else:
            key = candidate.key
            if candidate.type == "ORG":
                key = normalise_key(_strip_company_suffix(candidate.surface))
            identity = (candidate.type, key)
        cluster_for(identity, candidate).members.append(candidate)

    # Pass 2: spelling variants of one full name ("Fuad Masum", "Fouad Massoum", "New
    # People Party", "New People's Party").
    clusters = _merge_spelling_variants(clusters)

    # Pass 3: acronyms, partial names, short organisation names.
    people = [c for c in clusters if c.type == "PERSON" and len(c.words()) > 1]
    for candidate in pending:
        target = None
        if candidate.long_form is not None:
            target = next(
                (c for c in clusters if any(m is candidate.long_form for m in c.members)), None
            )
        elif candidate.type == "PERSON":
            target = _only_person_named(candidate.key, people)
            if target is None:
                # "Steve" with Steve Jobs and, later, Steve Ballmer: the one named so far.
                earlier = [c for c in people if min(m.start for m in c.members) < candidate.start]
                target = _only_person_named(candidate.key, earlier)
        if target is None:
            target = cluster_for((candidate.type, candidate.key), candidate)
        target.members.append(candidate)

    # A one-word organisation name that begins exactly one longer organisation name of
    # the document is that organisation ("Northrop" -> "Northrop Grumman").
    organisations = [c for c in clusters if c.type == "ORG" and c.known is None]
    for short in organisations:
        if not short.members:
            continue
        words = short.words()
        if len(words) != 1 or any(_is_acronym(m.surface) for m in short.members):
            continue
        longer = [
            c
            for c in clusters
            if c.type == "ORG" and c is not short and c.members and c.words()[:1] == words
        ]
        if len(longer) == 1 and len(longer[0].words()) > 1:
            longer[0].members.extend(short.members)
            short.members = []
    for short in organisations:
        if short.members:
            longer = _only_long_form(short, clusters)
            if longer is not None:
                longer.members.extend(short.members)
                short.members = []
    return [c for c in clusters if c.members]


def _only_long_form(short: _Cluster, clusters: list[_Cluster]) -> _Cluster | None:
    """The one longer organisation of the document that a short name stands for.

    An acronym that is exactly the initials of one organisation named in the article
    ("USI" and "University of Southern Indiana", even without a parenthesis), or a word
    that one "... of X" name ends with ("Scientology" and "Church of Scientology").
    """
    surfaces = [m.surface for m in short.members]
    words = short.words()
    if all(_is_acronym(surface) for surface in surfaces):
        acronym = surfaces[0].replace(".", "").lower()
        matches = [
            c
            for c in clusters
            if c.type == "ORG"
            and c is not short
            and c.members
            and len(c.words()) > 1
            and acronym in _initials(c.name())
        ]
    elif len(words) == 1:
        matches = [
            c
            for c in clusters
            if c.type == "ORG"
            and c is not short
            and c.members
            and c.words()[-2:] == ["of", words[0]]
        ]
    else:
        return None
    return matches[0] if len(matches) == 1 else None


def _initials(name: str) -> tuple[str, str]:
    """A name's initials with and without its minor words: ("usoi", "usi")."""
    words = re.findall(r"[A-Za-z]+", re.sub(r"['’]s\b", "", name))
    return (
        "".join(word[0].lower() for word in words),
        "".join(word[0].lower() for word in words if word.lower() not in _MINOR_WORDS),
    )


def _only_person_named(part: str, people: list[_Cluster]) -> _Cluster | None:
    """The one person of the document whose full name contains ``part``, else None.

    A surname match beats any other ("Warhol" is Andy Warhol, not a mistyped "Warhol
    Polaroid"); two matches are one person when one name contains the other ("Andy
    Warhol" and "Andy Warhol Photographic Legacy Program"). "Bush" with "George Bush"
    and "Jeb Bush" in one article stays unresolved.
    """
    matches = [c for c in people if _is_part_of(part, c.name_key())]
    by_surname = [c for c in matches if c.words()[-1] == part]
    matches = sorted(by_surname or matches, key=lambda c: len(c.words()))
    if matches and all(_is_part_of(matches[0].name_key(), c.name_key()) for c in matches[1:]):
        return matches[0]
    return None


def _is_part_of(part: str, full: str) -> bool:
    """Whether the words of ``part`` appear, in order and adjacent, in ``full``."""
    part_words, full_words = part.split(), full.split()
    size = len(part_words)
    return size < len(full_words) and any(
        full_words[i : i + size] == part_words for i in range(len(full_words) - size + 1)
    )


def _merge_spelling_variants(clusters: list[_Cluster]) -> list[_Cluster]:
    merged: list[_Cluster] = []
    for cluster in clusters:
        twin = None
        if cluster.type in {"PERSON", "ORG"} and cluster.known is None and len(cluster.words()) > 1:
            twin = next(
                (
                    other
                    for other in merged
                    if other.type == cluster.type
                    and other.known is None
                    and spelling_variants(other.name_key(), cluster.name_key())
                ),
                None,
            )
        if twin is None:
            merged.append(cluster)
        else:
            twin.members.extend(cluster.members)
    return merged
