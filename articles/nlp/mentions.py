"""The types the analysis stages pass along, and the contract with the rest of the app.

``analyse()`` returns ``FoundMention`` values, each tied to one ``EntityRef`` per real
entity of its document; ``resolve()`` links those to the library's entities. An
``EntityType`` is one of the four kinds of entity the reader follows; the models use this
one enum for their ``type`` fields. Inside ``analyse()`` a mention is a ``DraftMention``
until coreference has grouped it with the others of its entity.

No Django and no spaCy here: the models and every stage import these types.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from articles.nlp.text import normalise_key

if TYPE_CHECKING:
    from articles.nlp.knowledge_base import KnowledgeEntry


class EntityType(enum.StrEnum):
    """The kinds of entity the reader follows; the value is what the database stores."""

    PERSON = "PERSON"
    COUNTRY = "COUNTRY"
    ORG = "ORG"
    PLACE = "PLACE"

    @property
    def label(self) -> str:
        """The type's name for readers: "Person", "Organisation"."""
        return _LABELS[self]


_LABELS = {
    EntityType.PERSON: "Person",
    EntityType.COUNTRY: "Country",
    EntityType.ORG: "Organisation",
    EntityType.PLACE: "Place",
}


@dataclass(frozen=True)
class EntityRef:
    """One entity within one document."""

    type: EntityType
    key: str  # normalise_key(name)
    name: str  # canonical display name ("United States", "John Kerry", "Islamic State")
    wikidata_id: str = ""  # from the knowledge base when known ("Q30")
    # The article itself says this one-word name is a person's ("Sen. Lincoln"): the
    # library's type votes do not retype it (resolve.py).
    named_as_person: bool = False


@dataclass(frozen=True)
class FoundMention:
    """One mention of an entity: character offsets into the text passed to ``analyse``."""

    start: int
    end: int
    surface: str  # == text[start:end]
    entity: EntityRef


@dataclass
class DraftMention:
    """A cleaned, typed mention before coreference: plain values, no spaCy objects.

    The stages after typing may still change its type and knowledge-base entry.
    """

    start: int
    end: int
    surface: str
    type: EntityType
    known: KnowledgeEntry | None
    # The spaCy label the model gave (PERSON, ORG, GPE...), not an EntityType.
    model_label: str
    # For an acronym defined in the text ("General Motors (GM)"): its long form.
    long_form: DraftMention | None = None
    # Found by repeating a name the model found elsewhere: its type is no new evidence.
    repeated: bool = False
    # A one-word name the article itself says is a person's ("Sen. Lincoln", "Paris,
    # 54,"): its other mentions are that person, as a surname's after the full name.
    named_as_person: bool = False

    @functools.cached_property
    def key(self) -> str:
        """``normalise_key(surface)``, kept: coreference asks for it at every turn, and
        a draft's surface is never changed."""
        return normalise_key(self.surface)


def non_overlapping(drafts: list[DraftMention]) -> list[DraftMention]:
    """The drafts sorted by start, a longer one winning over one that starts inside it."""
    kept: list[DraftMention] = []
    for draft in sorted(drafts, key=lambda d: (d.start, -(d.end - d.start))):
        if kept and draft.start < kept[-1].end:
            continue
        kept.append(draft)
    return kept
