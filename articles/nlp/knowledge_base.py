"""The curated knowledge base shipped with the app: countries, places and organisations.

Loaded from the CSV files in ``knowledge/`` (see its README for sources) plus the ISO 3166
country names from pycountry. It serves two purposes: spaCy ``entity_ruler`` patterns, so
that names the statistical model misses or splits are found whole, and an alias table, so
that every spelling of a known entity ("U.S.", "US", "America") gets one canonical name,
type and Wikidata id.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry

from articles.nlp.mentions import EntityType
from articles.nlp.text import normalise_key

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"

# An acronym alias ("US", "U.S.", "UN") must be written in capitals to count: "Us" in
# "Like Us on Facebook" and "us" are pronouns, not the United States.
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")


@dataclass(frozen=True)
class KnowledgeEntry:
    """One known entity: its type, canonical name, Wikidata id and every name it goes by."""

    type: EntityType
    name: str
    wikidata_id: str
    aliases: tuple[str, ...]
    # Forms that name this entity only as written, never in another case, and that the
    # entity ruler finds only after a comma ("Boston, Mass."): abbreviations that are
    # also common words ("Mass.", "Wash.") and postal codes ("NY").
    exact_aliases: tuple[str, ...] = ()


class KnowledgeBase:
    """Case-aware lookup from a surface form to a known entity."""

    def __init__(self, entries: list[KnowledgeEntry]) -> None:
        self.entries = entries
        self._by_key: dict[str, KnowledgeEntry] = {}
        self._forms_by_key: dict[str, set[str]] = {}
        self._exact_forms: set[str] = set()
        self._one_word_places: frozenset[str] | None = None
        for entry in entries:
            self._exact_forms.update(entry.exact_aliases)
            for form in (entry.name, *entry.aliases, *entry.exact_aliases):
                key = normalise_key(form)
                if not key:
                    continue
                # The first entry to claim a key keeps it: countries are loaded first, so
                # "Georgia" stays the country rather than a later namesake.
                self._by_key.setdefault(key, entry)
                if self._by_key[key] is entry:
                    self._forms_by_key.setdefault(key, set()).add(form)

    def one_word_place_keys(self) -> frozenset[str]:
        """The keys of the one-word names and aliases of known countries and places."""
        if self._one_word_places is None:
            self._one_word_places = frozenset(
                key
                for entry in self.entries
                if entry.type in {EntityType.COUNTRY, EntityType.PLACE}
                for key in (normalise_key(form) for form in (entry.name, *entry.aliases))
                if key and " " not in key
            )
        return self._one_word_places

    def named(self, entity_type: EntityType, name: str) -> KnowledgeEntry | None:
        """The entry whose canonical name and type these are, or None."""
        entry = self._by_key.get(normalise_key(name))
        return (
            entry if entry is not None and (entry.type, entry.name) == (entity_type, name) else None
        )

    def find(self, surface: str) -> KnowledgeEntry | None:
        """The entry this surface form names, or None.

        An acronym form matches only when written in capitals, also with its initials
        spaced ("U. S."); any other form matches when the surface is capitalised
        somewhere (a proper name) or equals a form.
        """
        key = normalise_key(surface)
        if " " in key and all(len(word) == 1 for word in key.split()):
            key = key.replace(" ", "")  # initials written with spaces: "U. S.", "U. N."
        entry = self._by_key.get(key)
        if entry is None:
            return None
        forms = self._forms_by_key[key]
        if surface in forms:
            return entry
        if forms <= self._exact_forms:
            return None
        if all(_ACRONYM.match(form) for form in forms):
            return entry if surface.isupper() else None
        return entry if any(map(str.isupper, surface)) else None

    def ruler_patterns(self) -> list[dict]:
        """Patterns for spaCy's entity ruler, labelled with our entity types.

        String patterns match the exact text (case-sensitive), which is what keeps "US"
        from matching "us". An exact-only abbreviation with a dot ("Mass.") is matched
        only after a comma, as in a dateline ("Boston, Mass."), so that "attended Mass."
        is left alone; the comma is trimmed from the mention later. Postal codes ("NY")
        get no pattern: only the model's own entities are looked up.
        """
        patterns: list[dict] = []
        seen: set[tuple[str, str]] = set()
        for entry in self.entries:
            for form in (entry.name, *entry.aliases, *entry.exact_aliases):
                if (form, entry.type) in seen or self._by_key.get(normalise_key(form)) is not entry:
                    continue
                seen.add((form, entry.type))
                if form not in entry.exact_aliases:
                    patterns.append({"label": entry.type.value, "pattern": form})
                elif form.endswith(".") and " " not in form:
                    patterns.append(
                        {"label": entry.type.value, "pattern": [{"ORTH": ","}, {"ORTH": form}]}
                    )
        return patterns


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(alias.strip() for alias in value.split("|") if alias.strip())


def _country_entries() -> list[KnowledgeEntry]:
    curated = {}
    with (KNOWLEDGE_DIR / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            curated[row["alpha2"]] = row
    entries = []
    for country in pycountry.countries:
        row = curated.get(country.alpha_2, {})
        iso_names = [
            name
            for name in (
                getattr(country, "common_name", ""),
                country.name,
                getattr(country, "official_name", ""),
            )
            # "Korea, Republic of" and "Cocos (Keeling) Islands" are catalogue names
            # that no article writes.
            if name and "," not in name and "(" not in name
        ]
        name = row.get("name") or iso_names[0]
        aliases = (*_split_aliases(row.get("aliases", "")), *iso_names)
        entries.append(
            KnowledgeEntry(
                type=EntityType(row.get("type") or EntityType.COUNTRY),
                name=name,
                wikidata_id=row.get("wikidata", ""),
                aliases=tuple(dict.fromkeys(alias for alias in aliases if alias != name)),
            )
        )
    # Countries first, then sovereign ones before territories, so shared keys resolve
    # to the country.
    entries.sort(key=lambda entry: entry.type != EntityType.COUNTRY)
    for alpha2, row in curated.items():
        if pycountry.countries.get(alpha_2=alpha2) is None:  # e.g. Kosovo, not in ISO 3166
            entries.append(
                KnowledgeEntry(
                    type=EntityType(row["type"]),
                    name=row["name"],
                    wikidata_id=row["wikidata"],
                    aliases=_split_aliases(row["aliases"]),
                )
            )
    return entries


def _other_entries() -> list[KnowledgeEntry]:
    with (KNOWLEDGE_DIR / "entities.csv").open(encoding="utf-8") as handle:
        return [
            KnowledgeEntry(
                type=EntityType(row["type"]),
                name=row["name"],
                wikidata_id=row["wikidata"],
                aliases=_split_aliases(row["aliases"]),
            )
            for row in csv.DictReader(handle)
        ]


def _us_state_entries() -> list[KnowledgeEntry]:
    """The US states, with AP-style abbreviations ("Calif.") and postal codes ("CA")."""
    with (KNOWLEDGE_DIR / "us_states.csv").open(encoding="utf-8") as handle:
        return [
            KnowledgeEntry(
                type=EntityType.PLACE,
                name=row["name"],
                wikidata_id=row["wikidata"],
                aliases=_split_aliases(row["ap"]),
                exact_aliases=(*_split_aliases(row["exact"]), *_split_aliases(row["postal"])),
            )
            for row in csv.DictReader(handle)
        ]


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, read once per process."""
    return KnowledgeBase(_country_entries() + _other_entries() + _us_state_entries())
