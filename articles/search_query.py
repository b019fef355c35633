"""What a reader types into the search box, parsed once and written for each database.

The reader's syntax is PostgreSQL's websearch syntax, reduced to what both databases can
do alike: words, "quoted phrases" and ``-word`` / ``-"a phrase"`` to leave out. Every term
is rebuilt from its words (letters and digits only) and written back quoted, so no input
can be an FTS5 or tsquery syntax error: ``"``, ``*``, ``NEAR(`` or a NUL byte are just
separators. No database is needed here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Private-use characters the databases put around matched words in snippets; the text is
# split on them and each part escaped by the template (article text is never trusted).
MARK_START = "\ue000"
MARK_END = "\ue001"

# A query longer than this is cut: the cost of a search grows with its terms.
QUERY_LENGTH_MAX = 200
TERMS_MAX = 12

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile(f"({MARK_START}|{MARK_END})")
_UNTYPABLE = re.compile(r'["\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Term:
    """A word or a phrase (several words in a row), to find or to leave out."""

    words: tuple[str, ...]
    excluded: bool = False
    # As typed, less quotes and control characters: PostgreSQL's parser reads "U.S." as
    # one token, the way it indexed the text, where FTS5 reads the words "u" and "s".
    typed: str = field(default="", compare=False)

    @property
    def quoted(self) -> str:
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def included(self) -> list[Term]:
        return [term for term in self.terms if not term.excluded]

    @property
    def excluded(self) -> list[Term]:
        return [term for term in self.terms if term.excluded]

    @property
    def is_empty(self) -> bool:
        """Nothing to find: a query of only exclusions finds nothing, like on PostgreSQL."""
        return not self.included

    def fts5(self) -> str:
        """The FTS5 MATCH expression: every term a quoted phrase, exclusions by NOT."""
        expression = "(" + " ".join(term.quoted for term in self.included) + ")"
        return " NOT ".join([expression, *(term.quoted for term in self.excluded)])

    def websearch(self) -> str:
        """The query rewritten for ``websearch_to_tsquery``, every term quoted as typed (so
        "or" is a word, never an operator)."""
        return " ".join(f'{"-" if term.excluded else ""}"{term.typed}"' for term in self.terms)


def parse_query(query: str) -> ParsedQuery:
    """Words, "phrases" and -exclusions; anything else in the input is a separator."""
    query = unicodedata.normalize("NFC", query[:QUERY_LENGTH_MAX])
    terms: list[Term] = []
    for match in _TOKEN.finditer(query):
        minus, phrase, bare = match.groups()
        if bare is not None:
            excluded = bare.startswith("-") and len(bare) > 1
            typed = bare[1:] if excluded else bare
        else:
            excluded = minus == "-"
            typed = phrase
        words = _WORD.findall(typed.casefold())
        typed = " ".join(_UNTYPABLE.sub(" ", typed).split())
        term = Term(words=tuple(words), excluded=excluded, typed=typed)
        if words and term not in terms:
            terms.append(term)
    return ParsedQuery(terms=tuple(terms[:TERMS_MAX]))


@dataclass(frozen=True)
class SnippetPart:
    text: str
    marked: bool = False


def split_marked(text: str) -> list[SnippetPart]:
    """Text with matches between MARK_START and MARK_END -> parts, the matches marked."""
    parts: list[SnippetPart] = []
    marked = False
    for piece in _MARKS.split(text):
        if piece == MARK_START:
            marked = True
        elif piece == MARK_END:
            marked = False
        elif piece:
            parts.append(SnippetPart(piece, marked))
    return parts
