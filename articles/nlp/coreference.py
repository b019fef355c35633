"""Stage 3 of ``analyse()``: the mentions of one document grouped by the entity they name.

Runs once per document, on the typed drafts of all its chunks, in this order (see
``analyse._link_document``):

1. ``add_defined_acronyms``: an acronym defined in parentheses ("General Motors (GM)")
   makes each of its uses a mention of the long form;
2. ``add_repeated_names``: other uses of a name the document gives, which the model
   missed, including a person's surname on its own;
3. ``cluster_mentions``: one name, one type within the document; then surnames and
   first names to the full name ("Kerry" -> "John Kerry"), acronyms to their long
   form, spelling variants of one full name ("Fuad Masum", "Fouad Massoum") and an
   Arabic name without its family name ("Tamim bin Hamad") to one person, short
   organisation names to the long one ("Northrop" -> "Northrop Grumman", "Air Force" ->
   "United States Air Force", the slip "Chrylser" -> "Chrysler"), and other forms of
   one name ("St. Petersburg", "Saint Petersburg"; "GW Bridge", "George Washington
   Bridge"; "the State of Texas", "Texas"; "the North", "North Korea");
4. ``merge_unmarked_possessives``: a name's possessive written without its apostrophe
   ("Contosos new chief") to the name.

Whether a cluster names an entity of ours at all is classify.py's ``named_entities``.
Linking these per-document entities to the library's entities is ``resolve.py``'s job.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from articles.nlp.knowledge_base import KnowledgeEntry
from articles.nlp.lexicon import SURNAME_PARTICLES, city_population, is_given_name, word_list
from articles.nlp.mentions import DraftMention, EntityType, non_overlapping
from articles.nlp.text import (
    GENERATION_SUFFIXES,
    at_sentence_start,
    expanded_key,
    in_title_case_line,
    is_acronym,
    name_initials,
    normalise_key,
    spelling_variants,
)

__all__ = [
    "Cluster",
    "add_defined_acronyms",
    "add_repeated_names",
    "cluster_mentions",
    "merge_unmarked_possessives",
    "nasab",
    "same_person_name",
]

_ACRONYM_AFTER = re.compile(r"\s*\(\s*((?:[A-Z][a-z]?\.?){2,8})\s*\)")
_TIE_PREFERENCE = {EntityType.ORG: 2, EntityType.PERSON: 1}
# Titles a state's or province's formal name puts before its name ("State of Texas").
_FORMAL_PLACE_TITLES = frozenset({"state", "province", "commonwealth"})

_COMPANY_SUFFIXES = word_list("company_suffixes")
# The words of an Arabic name that join a given name to the father's ("son of").
_PATRONYMIC_PARTICLES = frozenset({"bin", "ibn", "bint"})
_SHORT_NAME_WORDS = word_list("short_place_words")
_ROLE_WORDS = word_list("role_words")
# The direction after a road's number: "I-44 West" and "I-44 East" are one road.
_ROAD_DIRECTION = re.compile(r"(?<=\d) (?:north|south|east|west)$")
_CALENDAR_WORDS = word_list("calendar_words")


def add_defined_acronyms(text: str, drafts: list[DraftMention]) -> list[DraftMention]:
    """Every use of an acronym defined in parentheses becomes a mention of its long form.

    "General Motors (GM)" makes each "GM" of the text a mention typed like "General
    Motors", whether or not the model found it.
    """
    definitions: dict[str, DraftMention] = {}
    for draft in drafts:
        match = _ACRONYM_AFTER.match(text, draft.end)
        if match and _defines(draft.surface, match.group(1)):
            definitions.setdefault(match.group(1), draft)
    if not definitions:
        return drafts
    by_start = {c.start: c for c in drafts}
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
                DraftMention(
                    start=match.start(),
                    end=match.end(),
                    surface=acronym,
                    type=long_form.type,
                    known=long_form.known,
                    model_label="ACRONYM",
                    long_form=long_form,
                )
            )
    return non_overlapping([*drafts, *added])


def _defines(long_form: str, acronym: str) -> bool:
    """Whether ``acronym`` is made of the initials of ``long_form``'s words, in order."""
    letters = acronym.replace(".", "").lower()
    initials, major = name_initials(long_form)
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


def add_repeated_names(
    text: str, drafts: list[DraftMention], *, lower_words: frozenset[str]
) -> list[DraftMention]:
    """Other uses of a name the document gives, which the model missed.

    The model finds a name in one sentence and not in the next; every other whole-word,
    same-case occurrence of a found name, and of a found person's surname (with its
    particles, "Van Horn" too), is a mention too. A capitalised word at a sentence start
    counts only if the text never uses it in lower case ("Press" may be Jim Press, or
    just the word).
    """
    found_times = Counter(draft.surface for draft in drafts)
    forms: dict[str, DraftMention] = {}
    for draft in drafts:
        surface = draft.surface
        # A one-word name the model found once may be its mistake ("Explorer", "Hajj"):
        # spreading it would repeat the mistake everywhere.
        trusted = " " in surface or found_times[surface] > 1 or draft.known is not None
        if draft.known is not None and surface in draft.known.exact_aliases:
            continue  # "Boston, Mass." says nothing of "attended Mass." elsewhere
        if trusted and len(surface) >= 3 and surface[:1].isupper():
            forms.setdefault(surface, draft)
        if draft.type == EntityType.ORG and draft.known is None:
            # "Acme Chemical Co" gives "Acme Chemical" too, often written without its form.
            company = _strip_company_suffix(surface)
            if company != surface and len(company) >= 3:
                forms.setdefault(company, draft)
    for draft in drafts:
        words = draft.surface.split()
        if draft.type == EntityType.PERSON and draft.known is None and len(words) > 1:
            surname = _surname(words)
            particle, _, core = surname.partition("-")
            if core and particle.lower() in SURNAME_PARTICLES:
                surname = core  # "Rashid" of "Ahmed al-Rashid"
            if len(surname) >= 3 and surname[:1].isupper() and surname.isalpha():
                template = DraftMention(
                    0, 0, surname, EntityType.PERSON, known=None, model_label="PERSON"
                )
                # With its particles, as written and capitalised at a sentence start:
                # "van Horn", "Van Horn" of "Pete van Horn".
                for form in _particle_surnames(words):
                    forms.setdefault(form, template)
                forms.setdefault(surname, template)
    taken = bytearray(len(text))
    for draft in drafts:
        taken[draft.start : draft.end] = b"\1" * (draft.end - draft.start)
    added = []
    covered: set[int] = set()  # ids of the model's drafts a longer repeated name replaces
    spans = {(draft.start, draft.end) for draft in drafts}
    # Where several forms start at one place, the one found first in the document wins,
    # as its mention was the model's first.
    for start, end, form in _whole_word_uses(text, forms):
        template = forms[form]
        if any(taken[start:end]):
            # A piece of the name the model found alone ("[Chemical]" of "Acme Chemical
            # said") gives way to the whole name; any other overlap keeps the model's.
            if " " not in form or (start, end) in spans:
                continue
            inside = [d for d in [*drafts, *added] if d.start < end and start < d.end]
            if not all(
                start <= d.start and d.end <= end and d.known is None and not d.repeated
                for d in inside
            ):
                continue
            covered.update(map(id, inside))
        if " " not in form and (
            form.lower() in lower_words
            and at_sentence_start(text, start)
            or _ends_other_name(text, start, lower_words)
        ):
            continue
        taken[start:end] = b"\1" * (end - start)
        added.append(
            DraftMention(
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
    kept = [draft for draft in drafts if id(draft) not in covered]
    return sorted([*kept, *added], key=lambda draft: draft.start)


def _particle_surnames(words: list[str]) -> list[str]:
    """A name's surname with the particles written before it, as written and with its
    first letter capitalised ("van Horn", "Van Horn"); none if it has no particle."""
    words = _without_generation(words)
    start = len(words) - 1
    while start > 1 and words[start - 1] in SURNAME_PARTICLES:
        start -= 1
    if start == len(words) - 1:
        return []
    written = " ".join(words[start:])
    return [written, written[0].upper() + written[1:]]


# A capitalised word just before a name, on its line.
_NAME_WORD_BEFORE = re.compile(r"\b([A-Z][^\W\d_]+) $")


def _ends_other_name(text: str, start: int, lower_words: frozenset[str]) -> bool:
    """Whether a one-word name at ``start`` ends a longer name: after a capitalised word
    the text never writes in lower case and that is no role ("Grande Terre" after
    "Petite Terre", "Fort Lee" after "Robert Lee"; not "President Obama", "on Monday
    Obama"), outside a title-cased line (a headline)."""
    before = _NAME_WORD_BEFORE.search(text, max(0, start - 30), start)
    if before is None:
        return False
    word = before.group(1).lower()
    return (
        word not in lower_words
        and word not in _ROLE_WORDS
        and word not in _CALENDAR_WORDS
        and not in_title_case_line(text, start)
    )


# What may not touch a repeated name: a word character, a hyphen or (before it) a dot.
_NAME_GOES_ON_BEFORE = re.compile(r"[\w\-.]")
_NAME_GOES_ON_AFTER = re.compile(r"[\w\-]")


def _whole_word_uses(text: str, forms: Iterable[str]) -> list[tuple[int, int, str]]:
    """The non-overlapping whole-word uses of ``forms`` in ``text``, as (start, end,
    form) in text order; where several start at one place, the first form given wins.

    The same uses as one regular expression of the forms as alternatives, found with
    ``str.find`` instead: compiling that expression, one per document, cost more than
    all the searching.
    """
    uses = []
    for rank, form in enumerate(forms):
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not (start and _NAME_GOES_ON_BEFORE.match(text, start - 1)) and not (
                _NAME_GOES_ON_AFTER.match(text, end)
            ):
                uses.append((start, rank, end, form))
            start = text.find(form, start + 1)
    found: list[tuple[int, int, str]] = []
    for start, _, end, form in sorted(uses):
        if not found or start >= found[-1][1]:
            found.append((start, end, form))
    return found


# Clustering ---------------------------------------------------------------------------


def cluster_mentions(drafts: list[DraftMention], *, lower_words: frozenset[str]) -> list[Cluster]:
    """Group a document's mentions into one cluster per real entity; ``lower_words`` are
    the words the text writes in lower case (``text.lower_case_words``)."""
    _harmonise_types(drafts)
    clusters: list[Cluster] = []
    by_identity: dict[tuple[str, str], Cluster] = {}
    pending: list[DraftMention] = []

    def cluster_for(identity: tuple[str, str], draft: DraftMention) -> Cluster:
        """The cluster of this identity, started with the draft's type if new."""
        cluster = by_identity.get(identity)
        if cluster is None:
            cluster = Cluster(type=draft.type, members=[], known=draft.known)
            by_identity[identity] = cluster
            clusters.append(cluster)
        return cluster

    # Pass 1: known entities by knowledge-base entry, other full names by key.
    for draft in drafts:
        if draft.long_form is not None and draft.known is None:
            pending.append(draft)
            continue
        if draft.known is not None:
            identity = ("kb", draft.known.name)
        elif (
            draft.type == EntityType.PERSON
            and len(_core_words(" ".join(_without_generation(draft.key.split())))) == 1
        ):
            # A lone first name or surname, also with its generation ("Griffey Jr."):
            # resolved below.
            pending.append(draft)
            continue
        else:
            key = draft.key
            if draft.type == EntityType.ORG:
                key = normalise_key(_strip_company_suffix(draft.surface))
            elif draft.type == EntityType.PLACE:
                key = _ROAD_DIRECTION.sub("", key)
            identity = (draft.type, expanded_key(key))
        cluster_for(identity, draft).members.append(draft)

    # Pass 2: spelling variants of one full name ("Fuad Masum", "Fouad Massoum", "New
    # People Party", "New People's Party").
    clusters = _merge_spelling_variants(clusters)
    # ... and fuller or shorter forms of one person's name ("Eugene Nida", "Eugene A.
    # Nida"; "Otto Jespersen", "Jens Otto Harry Jespersen"; "Josh Apte", "Joshua Apte").
    clusters = _merge_given_name_forms(clusters)
    # ... and a name whose first words are shortened to their initials ("GW Bridge",
    # "George Washington Bridge"; "NY Times", "New York Times").
    clusters = _merge_initialled_names(clusters)
    # ... and a place with its formal title ("the State of Texas", "Texas").
    clusters = _merge_formal_place_names(clusters)

    # Pass 3: acronyms, partial names, short organisation names.
    people = [c for c in clusters if c.type == EntityType.PERSON and len(c.words()) > 1]
    for draft in pending:
        target = None
        if draft.long_form is not None:
            target = next(
                (c for c in clusters if any(m is draft.long_form for m in c.members)), None
            )
        elif draft.type == EntityType.PERSON:
            target = _only_person_named(draft.key, people, before=draft.start)
            if target is None:
                # "Steve" with Steve Jobs and, later, Steve Ballmer: the one named so far.
                earlier = [c for c in people if min(m.start for m in c.members) < draft.start]
                target = _only_person_named(
                    draft.key, earlier, before=draft.start
                ) or _main_person_named(draft.key, earlier)
        if target is None:
            target = cluster_for((draft.type, draft.key), draft)
        target.members.append(draft)

    # A one-word organisation name that begins exactly one longer organisation name of
    # the document is that organisation ("Northrop" -> "Northrop Grumman"); so is such a
    # name the model took for a person ("Cerberus" -> "Cerberus Capital Management"),
    # unless it is a given name, a word of a person's name of the document or a word
    # the text also writes in lower case. Likewise a one-word place the knowledge base
    # does not know and the one country of the document it begins ("the North" after
    # "North Korea").
    organisations = [c for c in clusters if c.type == EntityType.ORG and c.known is None]
    person_words = {word for c in people for word in c.words()}
    for short in clusters:
        if not short.members or short.known is not None:
            continue
        words = short.words()
        if len(words) != 1 or any(is_acronym(m.surface) for m in short.members):
            continue
        if short.type not in {EntityType.ORG, EntityType.PLACE} and (
            short.type != EntityType.PERSON
            or words[0] in person_words
            or words[0] in lower_words
            or is_given_name(short.name())
        ):
            continue
        wanted = EntityType.COUNTRY if short.type == EntityType.PLACE else EntityType.ORG
        longer = [
            c
            for c in clusters
            if c.type == wanted and c is not short and c.members and c.words()[:1] == words
        ]
        if len(longer) == 1 and len(longer[0].words()) > 1:
            longer[0].members.extend(short.members)
            short.members = []
    # A team's nickname is the team: a name that ends exactly one organisation's name of
    # the document whose other words are a city's ("Steelers", "Red Sox" after or before
    # "Pittsburgh Steelers", "Boston Red Sox"), unless the model took it for a person
    # with a given name or a word of a person's name of the document.
    for short in clusters:
        if not short.members or short.known is not None or short.type == EntityType.COUNTRY:
            continue
        words = short.words()
        if short.type == EntityType.PERSON and (
            person_words.intersection(words) or is_given_name(short.name().split()[0])
        ):
            continue
        longer = [
            c
            for c in _organisations_ending_with(words, clusters, short)
            if city_population(" ".join(c.words()[: -len(words)])) > 0
        ]
        if len(longer) == 1:
            longer[0].members.extend(short.members)
            short.members = []
    for short in organisations:
        if short.members:
            longer = _only_long_form(short, clusters)
            if longer is not None:
                longer.members.extend(short.members)
                short.members = []
    # A place's name of several words that one longer place name ends with is that
    # place: "Outer Ring Road" after "York Outer Ring Road".
    for short in clusters:
        if short.members and short.type == EntityType.PLACE and short.known is None:
            words = short.words()
            longer = [
                c
                for c in clusters
                if c.type == EntityType.PLACE
                and c is not short
                and c.members
                and len(words) > 1
                and len(c.words()) > len(words)
                and c.words()[-len(words) :] == words
            ]
            if len(longer) == 1:
                longer[0].members.extend(short.members)
                short.members = []
    return [c for c in clusters if c.members]


# A lower-case word after a name: what a possessive is followed by ("Contosos debt").
_LOWER_WORD_AFTER = re.compile(r" [a-z]")


def merge_unmarked_possessives(text: str, clusters: list[Cluster]) -> list[Cluster]:
    """Each one-word name that is another name of the document with an "s" and always
    comes before a lower-case word, joined to that name: a possessive written without
    its apostrophe ("Contosos new chief" after "Contoso"), or the name's plural ("sold
    13.7 million Macs last year"). Not a given name with an "s", which is a surname of
    its own ("Williams" is not "William"), nor a known name ("Lloyds")."""
    by_key = {c.name_key(): c for c in clusters if c.known is None}
    for cluster in clusters:
        key = cluster.name_key()
        owner = by_key.get(key[:-1]) if key.endswith("s") and " " not in key else None
        if (
            owner is not None
            and owner is not cluster
            and cluster.known is None
            and not is_given_name(owner.name())
            and all(_LOWER_WORD_AFTER.match(text, m.end) for m in cluster.members)
        ):
            owner.members.extend(cluster.members)
            cluster.members = []
    return [c for c in clusters if c.members]


def _harmonise_types(drafts: list[DraftMention]) -> None:
    """One name, one type within a document; a person's surname is that person.

    The model types each mention on its own, so "Ryanair" comes out ORG in one sentence
    and PERSON in the next, and "Jobs" after "Steve Jobs" comes out ORG. Names the
    knowledge base knows keep its type.
    """
    full_names = [
        (draft, words)
        for draft in drafts
        if draft.type == EntityType.PERSON
        and draft.known is None
        and len(words := draft.key.split()) > 1
    ]
    surnames = {surname for _, words in full_names for surname in _surname_forms(words)}
    names = surnames | {words[0] for _, words in full_names}
    first_named: dict[str, int] = {}
    for draft, words in full_names:
        first_named.setdefault(_surname(words), draft.start)
    for draft in drafts:
        if draft.named_as_person:  # "Sen. Lincoln": named as a person's full name is
            surnames.add(draft.key)
            names.add(draft.key)
            first_named[draft.key] = min(draft.start, first_named.get(draft.key, draft.start))
    known_keys: dict[str, set[str]] = {}
    for draft in drafts:
        if draft.known is not None:
            known_keys.setdefault(draft.known.name, set()).add(draft.key)
    for draft in drafts:
        if draft.known is not None and (
            # The model said PERSON and the article names a person so: "Paris" is
            # Valeska Paris here, not the city the knowledge base knows.
            draft.known.type in {EntityType.PLACE, EntityType.COUNTRY}
            and draft.model_label == "PERSON"
            and draft.key in names
            # The article's evidence beats the knowledge base's prior: after "Senator
            # Anne Lincoln", "Lincoln" is her, not the car maker; unless the article
            # names the car maker too ("the Ford Motor Company" ... "William Clay Ford
            # Jr." ... "Ford's losses"). Countries keep their name.
            or draft.known.type in {EntityType.ORG, EntityType.PLACE}
            and draft.start > first_named.get(draft.key, draft.start)
            and known_keys[draft.known.name] == {draft.key}
        ):
            draft.known = None
            draft.type = EntityType.PERSON
    # A person's name of two words written the other way round ("Higuchi Natsuko").
    reversed_names = {
        " ".join(words[::-1])
        for draft in drafts
        if draft.type == EntityType.PERSON
        and draft.known is None
        and len(words := draft.key.split()) == 2
    }
    # A name the article gives with a company form ("Contoso SpA") is a company's.
    companies = {
        key
        for draft in drafts
        if draft.type == EntityType.ORG
        and (key := normalise_key(_strip_company_suffix(draft.surface))) != draft.key
    }
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for draft in drafts:
        if draft.known is None and draft.long_form is None:
            if draft.key in surnames or draft.key in reversed_names:
                draft.type = EntityType.PERSON
            elif draft.key in companies:
                draft.type = EntityType.ORG
            votes[draft.key][draft.type] += not draft.repeated
    winners = {key: _most_voted(counts) for key, counts in votes.items()}
    for draft in drafts:
        if draft.known is None and draft.long_form is None:
            draft.type = winners[draft.key]


def _most_voted(counts: Counter[str]) -> str:
    """The type most mentions of a name were given. On a tie an organisation beats a
    place: the model often takes an unknown organisation for a place ("Scientology"),
    seldom the reverse."""
    return max(counts, key=lambda t: (counts[t], _TIE_PREFERENCE.get(t, 0)))


def _merge_spelling_variants(clusters: list[Cluster]) -> list[Cluster]:
    """One cluster for the spellings of one full name ("Fuad Masum", "Fouad Massoum")."""

    def mergeable(cluster: Cluster) -> bool:
        return (
            cluster.type in {EntityType.PERSON, EntityType.ORG}
            and cluster.known is None
            and len(cluster.words()) > 1
        )

    def same(other: Cluster, cluster: Cluster) -> bool:
        return (
            other.type == cluster.type
            and other.known is None
            # Spellings of one name have as many words: checked first, as it is cheaper.
            and len(other.words()) == len(cluster.words())
            and spelling_variants(other.name_key(), cluster.name_key())
        )

    return _merged(clusters, mergeable, same)


def _merged(
    clusters: list[Cluster],
    mergeable: Callable[[Cluster], bool],
    same: Callable[[Cluster, Cluster], bool],
) -> list[Cluster]:
    """The clusters, each that is ``mergeable`` joined to the first earlier one that
    ``same`` says it names."""
    merged: list[Cluster] = []
    for cluster in clusters:
        twin = (
            next((other for other in merged if same(other, cluster)), None)
            if mergeable(cluster)
            else None
        )
        if twin is None:
            merged.append(cluster)
        else:
            twin.members.extend(cluster.members)
    return merged


def _only_person_named(part: str, people: list[Cluster], *, before: int) -> Cluster | None:
    """The one person of the document whose full name contains ``part``, else None.

    A surname match beats any other ("Warhol" is Andy Warhol, not a mistyped "Warhol
    Polaroid"); two matches are one person when one name contains the other ("Andy
    Warhol" and "Andy Warhol Photographic Legacy Program"). "Bush" with "George Bush"
    and "Jeb Bush" in one article stays unresolved. A middle word of a name, written
    ``before`` the document gives the name in full, is someone else's: "Chao" before
    "Rulan Chao Pian" is her father, whose surname she was born with.
    """
    part_words = part.split()
    matches = [
        c
        for c in people
        if _is_part_of(part_words, c.words())
        and (
            not _is_inside(part_words, _without_generation(c.words()))
            or min(m.start for m in c.members) < before
        )
    ]
    by_surname = [c for c in matches if _surname(c.words()) == part]
    matches = sorted(by_surname or matches, key=lambda c: len(c.words()))
    if matches and all(_is_part_of(matches[0].words(), c.words()) for c in matches[1:]):
        return matches[0]
    return None


def _main_person_named(surname: str, people: list[Cluster]) -> Cluster | None:
    """The person a surname shared by several of the document's people stands for: the
    one the document names in full most often, if one is ("Dvořák" in a life of Antonín
    Dvořák that names his father Leopold Dvořák once)."""
    named = sorted(
        (c for c in people if _surname(c.words()) == surname.split()[-1]),
        key=lambda c: len(c.members),
        reverse=True,
    )
    if len(named) > 1 and len(named[0].members) > len(named[1].members):
        return named[0]
    return None


def _merge_initialled_names(clusters: list[Cluster]) -> list[Cluster]:
    """Each name that begins with an acronym joined to the one name of its type that
    spells the acronym out and ends with the same words."""
    for short in clusters:
        first, *rest = short.name().split(" ", 1)
        if short.known is not None or not rest or not is_acronym(first):
            continue
        acronym, tail = first.replace(".", "").lower(), normalise_key(rest[0]).split()
        longer = [
            c
            for c in clusters
            if c is not short
            and c.type == short.type
            and c.members
            and len(head := c.words()[: -len(tail)]) > 1
            and c.words()[-len(tail) :] == tail
            and acronym in name_initials(" ".join(head))
        ]
        if len(longer) == 1:
            longer[0].members.extend(short.members)
            short.members = []
    return [c for c in clusters if c.members]


def _merge_formal_place_names(clusters: list[Cluster]) -> list[Cluster]:
    """Each "State of X" or "Province of X" joined to the place or country X of the
    document; not "City of X": the City of London is not London."""
    places = {c.name_key(): c for c in clusters if c.type in {EntityType.PLACE, EntityType.COUNTRY}}
    for formal in clusters:
        title, _, rest = formal.name_key().partition(" of ")
        place = places.get(rest)
        if title in _FORMAL_PLACE_TITLES and place is not None and formal.known is None:
            place.members.extend(formal.members)
            formal.members = []
    return [c for c in clusters if c.members]


def _merge_given_name_forms(clusters: list[Cluster]) -> list[Cluster]:
    """One cluster for the forms of one person's name that differ by given names only."""

    def mergeable(cluster: Cluster) -> bool:
        return cluster.type == EntityType.PERSON and cluster.known is None

    def same(other: Cluster, cluster: Cluster) -> bool:
        return (
            other.type == EntityType.PERSON
            and other.known is None
            and same_person_name(other.words(), cluster.words())
        )

    return _merged(clusters, mergeable, same)


def same_person_name(left: list[str], right: list[str]) -> bool:
    """Whether two full names (as key words) name one person: the same two words in
    either order, or the same surname and the one given name of the shorter is one of
    the longer's given names, or the short form of one ("josh" of "joshua"); a middle
    initial may stand for its name; an Arabic name's nasab is the name in full
    (``nasab``)."""
    left, right = _without_generation(left), _without_generation(right)
    if left == nasab(right) or right == nasab(left):
        return True
    if len(left) == len(right) == 2 and left[1] == right[0] and _same_given_name(left[0], right[1]):
        return True  # the surname first, as in Japanese or Chinese: "Higuchi Natsu(ko)"
    if len(left) < 2 or len(right) < 2 or left[-1] != right[-1] or left == right:
        return False
    short, long = sorted((left[:-1], right[:-1]), key=len)
    first, *middle = short
    if len(middle) > 1 or (middle and len(middle[0]) > 1):
        return False  # two full given names each: "George W. Bush" is not "George H. W."
    if not any(_same_given_name(first, given) for given in long):
        return False
    if not middle:
        return True
    # "Eugene A. Nida": the initial stands for the given name after the first one.
    rest = long[[_same_given_name(first, g) for g in long].index(True) + 1 :]
    return bool(rest) and rest[0][0] == middle[0] and len(long) == 2


def nasab(words: list[str]) -> list[str]:
    """How an Arabic name (as key words) is cut short: its given name and its father's,
    the nasab that names the person without the family name after it ("tamim bin hamad"
    of "tamim bin hamad al thani"); empty for a name with no family name after one."""
    for index in range(1, len(words) - 2):
        if words[index] in _PATRONYMIC_PARTICLES:
            return words[: index + 2]
    return []


def _same_given_name(one: str, other: str) -> bool:
    """Whether two given names are one: "josh" is a short form of "joshua", "natsu" of
    "natsuko", whichever is written first; a lone initial is not."""
    if len(one) > len(other):
        one, other = other, one
    return one == other or (len(one) >= 3 and other.startswith(one))


def _without_generation(words: list[str]) -> list[str]:
    """A name's words without a generation suffix: "Robert Downey Jr" -> "Robert Downey"."""
    while len(words) > 1 and words[-1].lower().rstrip(".") in GENERATION_SUFFIXES:
        words = words[:-1]
    return words


def _surname(words: list[str]) -> str:
    """The last word of a person's name that is not a generation suffix ("Jr.", "III")."""
    return _without_generation(words)[-1]


def _surname_forms(words: list[str]) -> list[str]:
    """The forms a full name's surname takes alone: its last word, with the particles
    before it ("rashid", "al rashid" of "ahmed al rashid"), which the model may type as
    an organisation when a sentence starts with it ("Al-Rashid said"), and, in a name of
    a given name and two more words, those two (the double surname of "clara martinez
    canton")."""
    words = _without_generation(words)
    forms = [words[-1]]
    if len(words) == 3 and is_given_name(words[0].capitalize()):
        forms.append(" ".join(words[-2:]))
    start = len(words) - 1
    while start > 1 and words[start - 1] in SURNAME_PARTICLES:
        start -= 1
        forms.append(" ".join(words[start:]))
    return forms


def _core_words(key: str) -> list[str]:
    """A person's name key without the particles of its surname ("al assad" -> "assad")."""
    words = key.split()
    return [word for word in words if word not in SURNAME_PARTICLES] or words


def _is_part_of(part_words: list[str], full_words: list[str]) -> bool:
    """Whether the words of one name appear, in order and adjacent, in another's."""
    size = len(part_words)
    return size < len(full_words) and any(
        full_words[i : i + size] == part_words for i in range(len(full_words) - size + 1)
    )


def _is_inside(part_words: list[str], full_words: list[str]) -> bool:
    """Whether the words of a part of a name are neither its first nor its last ones."""
    size = len(part_words)
    return full_words[:size] != part_words and full_words[-size:] != part_words


def _organisations_ending_with(
    words: list[str], clusters: list[Cluster], short: Cluster
) -> list[Cluster]:
    """The other organisations of the document whose longer names end with ``words``."""
    return [
        c
        for c in clusters
        if c.type == EntityType.ORG
        and c is not short
        and c.members
        and len(c.words()) > len(words)
        and c.words()[-len(words) :] == words
    ]


def _only_long_form(short: Cluster, clusters: list[Cluster]) -> Cluster | None:
    """The one longer organisation of the document that a short name stands for.

    An acronym that is exactly the initials of one organisation named in the article
    ("USI" and "University of Southern Indiana", even without a parenthesis), a word
    that one "... of X" name ends with ("Scientology" and "Church of Scientology"; not
    a city's name: "Copenhagen" is not the "University of Copenhagen"), the same word
    with two letters swapped ("Chrylser"), or the words that one longer name ends with
    ("Air Force" and "United States Air Force").
    """
    surfaces = [m.surface for m in short.members]
    words = short.words()
    if all(is_acronym(surface) for surface in surfaces):
        acronym = surfaces[0].replace(".", "").lower()
        matches = [
            c
            for c in clusters
            if c.type == EntityType.ORG
            and c is not short
            and c.members
            and len(c.words()) > 1
            and acronym in name_initials(c.name())
        ]
    elif len(words) == 1:
        matches = [
            c
            for c in clusters
            if c.type == EntityType.ORG
            and c is not short
            and c.members
            and (
                c.words()[-2:] == ["of", words[0]]
                and not city_population(words[0])
                or _is_transposed(c.words(), words)
            )
        ]
    elif " " in short.name():
        matches = _organisations_ending_with(words, clusters, short)
    else:
        return None  # "Morgan-Short" is not "Faretta-Stutenberg & Morgan-Short"
    return matches[0] if len(matches) == 1 else None


def _is_transposed(left: list[str], right: list[str]) -> bool:
    """Whether two one-word names differ by two letters swapped, a typing slip
    ("Chrylser" for "Chrysler"); only in names of five letters or more."""
    if len(left) != 1 or len(right) != 1 or len(left[0]) != len(right[0]) or len(left[0]) < 5:
        return False
    differ = [i for i, (a, b) in enumerate(zip(left[0], right[0], strict=True)) if a != b]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and left[0][differ[0]] == right[0][differ[1]]
        and left[0][differ[1]] == right[0][differ[0]]
    )


@dataclass
class Cluster:
    """The mentions of one entity within one document."""

    type: str
    members: list[DraftMention]
    known: KnowledgeEntry | None = None
    # The last name(), its key and the key's words worked out, with what they were
    # worked out from: clustering asks for every cluster's name at each comparison,
    # while members are only ever added (or all dropped), so their number, the type and
    # the entry tell when it is stale.
    _named: tuple[tuple[int, str, KnowledgeEntry | None], str, str, list[str]] | None = field(
        default=None, repr=False, compare=False
    )

    def words(self) -> list[str]:
        """The words of the name's key (one list, kept: not to be changed)."""
        return self._naming()[3]

    def name(self) -> str:
        return self._naming()[1]

    def name_key(self) -> str:
        return self._naming()[2]

    def _naming(self) -> tuple[tuple[int, str, KnowledgeEntry | None], str, str, list[str]]:
        stamp = (len(self.members), self.type, self.known)
        named = self._named
        if named is None or named[0] != stamp:
            name = self._work_out_name()
            key = normalise_key(name)
            named = self._named = (stamp, name, key, key.split())
        return named

    def _work_out_name(self) -> str:
        if self.known is not None:
            return self.known.name
        surfaces = [m.surface for m in self.members if not is_acronym(m.surface)] or [
            m.surface for m in self.members
        ]
        counts = Counter(surfaces)
        # The fullest form names the entity; a form not in capitals ("Cleveland", not the
        # dateline's "CLEVELAND"), then frequency, break ties (then the first seen: a
        # Counter keeps that order, and weighing each form once keeps this cheap). Most
        # entities are written one way only: nothing to weigh.
        best = surfaces[0]
        if len(counts) > 1:
            best = max(
                counts,
                key=lambda surface: (
                    len(normalise_key(surface).split()),
                    not _is_all_caps(surface),
                    counts[surface],
                ),
            )
        if self.type != EntityType.ORG or " " in best:
            # A one-word organisation in capitals is usually an acronym ("COBRA").
            best = _without_shouting(best)
        return _strip_company_suffix(best) if self.type == EntityType.ORG else best


def _is_all_caps(surface: str) -> bool:
    return surface.isupper() and sum(char.isalpha() for char in surface) > 1


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


@functools.lru_cache(maxsize=10_000)
def _strip_company_suffix(name: str) -> str:
    """A name without its legal form ("Acme Chemical Co" -> "Acme Chemical"). Cached:
    clustering asks it of each organisation's names several times."""
    words = name.split()
    while len(words) > 1 and normalise_key(words[-1]) in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(",")
