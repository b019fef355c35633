"""The entry point: ``analyse()`` finds the mentions of people, countries, organisations
and places in article texts, each tied to one ``EntityRef`` per real entity of its text.

It runs the stages in order, each a module of its own:

1. spans.py: the names inside each entity spaCy found, cleaned up (determiners, titles,
   roles, possessives, tails and scores trimmed; joined names split; a person's name
   the model cut short extended);
2. classify.py: each name typed (the model's label, corrected by the knowledge base and
   by head words) or dropped; ``chunk_names`` runs stage 1 over each parsed chunk and
   ``draft_mentions`` stage 2 over its names. Once the document is whole, celestial
   bodies, storms and plural surnames go, and numbered roads, named ways and buildings
   and US states' postal codes after a place are added;
3. coreference.py: acronyms and repeated names added (then classify.py makes countries
   either side of a score teams), and the document's mentions clustered, one cluster
   per real entity (a possessive without its apostrophe joined to its name); last,
   classify.py types as places the names the document also gives with a natural
   feature ("Socotra Island"), and drops the clusters that name nothing of ours.

The knowledge base (knowledge_base.py) is read once here and passed to the stages that
consult it; word lists come from lexicon.py. Linking the per-document entities to the
library's entities is ``resolve.py``'s job, run by the caller.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from spacy.language import Language

from articles.nlp.classify import (
    chunk_names,
    draft_mentions,
    labels_alone,
    named_entities,
    type_national_teams,
    without_non_names,
)
from articles.nlp.coreference import (
    Cluster,
    add_defined_acronyms,
    add_repeated_names,
    cluster_mentions,
    merge_unmarked_possessives,
)
from articles.nlp.knowledge_base import KnowledgeBase, knowledge_base
from articles.nlp.mentions import (
    DraftMention,
    EntityRef,
    EntityType,
    FoundMention,
    non_overlapping,
)
from articles.nlp.places import (
    type_places_by_context,
    with_facility_names,
    with_road_names,
    with_state_codes,
)
from articles.nlp.text import lower_case_words

__all__ = ["CHUNK_CHARS", "analyse", "split_text"]

# Texts are analysed in chunks of at most this many characters (split at paragraph or
# sentence ends): the pipeline's memory grows with the characters in one ``nlp.pipe``
# batch, so this bounds it whatever the text's length (bench/analysis_memory.py: peak
# RSS for the longest stored text 1.4 GB with 100,000-character chunks, 283 MB with these).
CHUNK_CHARS = 10_000


def analyse(
    texts: Iterable[str], *, nlp: Language, batch_size: int = 16
) -> Iterator[list[FoundMention]]:
    """The mentions in each text: one list per text, in input order, sorted by start.

    Mentions never overlap; offsets index the text as given. Each batch runs inside
    ``nlp.memory_zone()``, so a long-running worker does not accumulate vocabulary.
    """
    kb = knowledge_base()
    for batch in itertools.batched(texts, batch_size):
        pieces = [split_text(text, CHUNK_CHARS) for text in batch]
        chunks = [chunk for text_pieces in pieces for _, chunk in text_pieces]
        with nlp.memory_zone():
            docs = nlp.pipe(chunks, batch_size=batch_size)
            parsed = [
                chunk_names(doc, chunk, offset, kb=kb)
                for doc, (offset, chunk) in zip(docs, itertools.chain(*pieces), strict=True)
            ]
            labels = labels_alone(parsed, kb=kb, nlp=nlp)
        parsed_chunks = iter(parsed)
        for text, text_pieces in zip(batch, pieces, strict=True):
            text_chunks = list(itertools.islice(parsed_chunks, len(text_pieces)))
            drafts = [
                draft
                for chunk in text_chunks
                for draft in draft_mentions(chunk, kb=kb, labels_alone=labels)
            ]
            lower_words = (
                text_chunks[0].lower_words  # the text is its one chunk
                if len(text_chunks) == 1
                else lower_case_words(text)
            )
            yield _link_document(text, drafts, lower_words, kb)


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


def _link_document(
    text: str, drafts: list[DraftMention], lower_words: frozenset[str], kb: KnowledgeBase
) -> list[FoundMention]:
    """The mentions of one whole document, from the typed drafts of all its chunks;
    ``lower_words`` are the words it writes in lower case (``text.lower_case_words``)."""
    drafts = with_road_names(text, without_non_names(text, non_overlapping(drafts)))
    drafts = with_state_codes(text, with_facility_names(text, drafts), kb)
    drafts = add_defined_acronyms(text, drafts)
    drafts = add_repeated_names(text, drafts, lower_words=lower_words)
    type_national_teams(text, drafts)
    clusters = merge_unmarked_possessives(text, cluster_mentions(drafts, lower_words=lower_words))
    type_places_by_context(text, clusters)
    clusters = named_entities(text, clusters, lower_words=lower_words)
    mentions = []
    for cluster in clusters:
        ref = _entity_ref(cluster)
        mentions.extend(FoundMention(m.start, m.end, m.surface, ref) for m in cluster.members)
    mentions.sort(key=lambda mention: mention.start)
    return mentions


def _entity_ref(cluster: Cluster) -> EntityRef:
    return EntityRef(
        type=cluster.type,
        key=cluster.name_key(),
        name=cluster.name(),
        wikidata_id=cluster.known.wikidata_id if cluster.known else "",
        named_as_person=cluster.type == EntityType.PERSON
        and any(member.named_as_person for member in cluster.members),
    )
