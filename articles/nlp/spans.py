"""Stage 1 of ``analyse()``: the names inside each entity the model found, cleaned up.

A spaCy entity is often more or less than a name. ``names_in`` turns one into the names
it holds, each as character offsets and text:

* no leading determiner, title, role or occupation ("Secretary of State John Kerry" ->
  "John Kerry", "Farmer Tendai Moyo" -> "Tendai Moyo"), no possessive, no stray
  punctuation, no photo credit;
* no lower-case tail or trailing role ("Yonhap news agency", "NASA Administrator"), no
  trailing score, roster number or stock ticker ("Chile 3-0", "Adrianna Knight 12",
  "Microsoft Corp MSFT.O"), no letters after a person's name ("FRS");
* one name per line, and two where a slash, a parenthesis, a spaced dash, a result's
  "d." or a lower-case word joins them ("Reuters/Christian Hartmann", "FRANKFURT -
  Northwind AG", "Garrett hit Rudolph"), or commas list them ("Smith, Jones"), or
  "&" joins authors cited by year ("Dye & Bavelier, 2010", not "Marks & Spencer");
* no word opening the sentence ("Despite Daniel"), nor the start of the next sentence
  after an abbreviation ("U.S. Jobs": a plural the text writes in lower case, or the
  surname of a person the text names in full);
* a person's name the model cut short is extended ("Carly [Simon]" -> "Carly Simon",
  "Wong Yeung[-tat]", "[Ursula von] der Leyen", "[Erik] ten Hag"), a party's over
  "Party" ("Communist [Party]"), a town's over a word between hyphens
  ("Stratford[-upon-Avon]", then labelled GPE); a given name after a hyphen does not
  start a name ("Abd al-Karim Qasim").

Labels here are the model's (spaCy's PERSON, ORG, GPE...), but for those towns; typing
them is classify.py's job, which runs next.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from articles.nlp.knowledge_base import KnowledgeBase
from articles.nlp.lexicon import SURNAME_PARTICLES, is_given_name, word_list
from articles.nlp.text import GENERATION_SUFFIXES, YEAR, in_title_case_line

__all__ = ["PLACE_PREFIXES", "TRIM_CHARS", "CleanSpan", "names_in"]

# Characters trimmed off either end of a name.
TRIM_CHARS = " \t\r\n\"'“”‘’`.,;:!?()[]{}<>-–—/\\|*•·$€£¥"

_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"}
_POSSESSIVE_ENDS = {"'s", "’s", "'", "’"}
# Stop words that may be a first name ("Will Smith", "May Robson").
_NAME_STOP_WORDS = {"will", "may", "bill", "mark", "rose", "grace"}
# Tokens that join two names in one model entity: results ("Melbourne d. Cocoa", "Spain
# vs. Italy"), venues in tour listings ("AZ @ Ak-Chin Pavilion"), handles.
_JOINING_TOKENS = {"/", "(", "@", "d.", "vs", "vs.", "v.", "&amp;"}
_DASHES = {"-", "--", "–", "—"}
# The ezafe, as transliterated after a hyphen: "Naqsh-e Jahan", "Masjid-i Shah".
_EZAFE = {"e", "ye", "i"}
# Letters of honours and degrees written after a name ("Daniel Bernoulli FRS").
_POST_NOMINALS = {
    "ao",
    "cbe",
    "dbe",
    "dphil",
    "fba",
    "freng",
    "frcp",
    "frcs",
    "frs",
    "frse",
    "gbe",
    "kbe",
    "kc",
    "mbe",
    "md",
    "obe",
    "om",
    "phd",
    "qc",
}
# A stock ticker with its exchange, glued after a company's name ("Microsoft Corp
# MSFT.O", "Toyota Motor Corp 7203.T").
_TICKER = re.compile(r"[A-Z0-9]{2,6}\.[A-Z]{1,2}")
_SENTENCE_ENDS = {".", "!", "?", ":", ";", '"', "“", "”", "—", "–", "-", "(", "'", "‘", "’"}
# Endings of the adjectives that name parties before a lower-case "party" ("Communist",
# "Democratic", "Progressive", "Republican", "Liberal"), not a "Guy Fawkes party".
_PARTY_ADJECTIVE_ENDINGS = ("ic", "ist", "ive", "an", "al")

_ROLE_WORDS = word_list("role_words")
_ORG_TAIL_ROLES = word_list("org_tail_roles")
_NAME_PARTICLES = word_list("name_particles")
_WORLD_GIVEN_NAMES = word_list("world_given_names")
_CALENDAR_WORDS = word_list("calendar_words")
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_CREDIT_WORDS = word_list("credit_words")
_OPENING_WORDS = word_list("opening_words")
_COMPANY_HEAD_WORDS = word_list("company_head_words")
_ORG_HEAD_WORDS = word_list("org_head_words")
_FACILITY_WORDS = word_list("facility_words")
# The first words of place names that name nothing alone.
PLACE_PREFIXES = frozenset({"Fort", "Ft.", "Mount", "Mt.", "Lake", "Cape"})
# Titles that begin the names of buildings named for someone ("King Fahd Stadium").
_BUILDING_TITLES = _ROLE_WORDS - _DETERMINERS - {"new", "former", "late"}
# Words after a comma that end a name rather than start another ("Apple, Inc.", "Jr.").
_SUFFIXES = word_list("company_suffixes") | GENERATION_SUFFIXES


class CleanSpan(NamedTuple):
    """One name cut out of a model entity: character offsets into the parsed text."""

    start: int
    end: int
    surface: str
    label: str  # the model's label for the entity it comes from


def names_in(
    entity: Span, *, text: str, lower_words: frozenset[str], kb: KnowledgeBase
) -> list[CleanSpan]:
    """The names inside one model entity, each cleaned; usually one, possibly none.

    ``text`` is the parsed text (``entity.doc.text``) and ``lower_words`` the words it
    writes in lower case (``text.lower_case_words``), computed once per text.
    """
    # Spans' text sliced from ``text``: Span.text joins its tokens' texts anew each time.
    before = text[max(0, entity.start_char - 5) : entity.start_char].lower()
    written = text[entity.start_char : entity.end_char].lower()
    if before.endswith(("pro-", "anti-")) or written.startswith(("pro-", "anti-")):
        # "pro-Beijing", "anti-ISIL": an adjective, not a mention of the entity.
        return []
    entity = _with_hyphenated_place(_with_organisation_head(_with_party(entity)))
    if not any(map(str.isupper, text[entity.start_char : entity.end_char])):
        return []  # no capitalised word ("2010", "ten percent"): what _pieces finds, cheaper
    label = entity.label_
    return [
        CleanSpan(start, end, surface, label)
        for piece_start, piece_end in _pieces(entity, text, lower_words, kb)
        for start, end, surface in _underscore_parts(piece_start, piece_end, text)
    ]


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


def _with_organisation_head(entity: Span) -> Span:
    """A country or nationality the model found alone, extended over the capitalised
    words after it that end with an organisation's head word and no entity claims:
    "[Saudi] Interior Ministry", "[Iraqi] Army" name organisations, not the country."""
    doc = entity.doc
    if entity.label_ not in {"NORP", "GPE"}:
        return entity
    end = entity.end
    while (
        end < len(doc)
        and end - entity.end < 3
        and doc[end - 1].whitespace_ == " "
        and doc[end].is_title
        and doc[end].ent_iob_ == "O"
    ):
        end += 1
        if doc[end - 1].lower_ in _ORG_HEAD_WORDS:
            return Span(doc, entity.start, end, label="ORG")
    return entity


def _with_hyphenated_place(entity: Span) -> Span:
    """A name the model cut before "-upon-Avon", "-la-Reine", "-on-Don", extended over
    it: a town's name joined by a lower-case word between hyphens ("Stratford-upon-Avon",
    "Bourg-la-Reine"), which the model takes for a person or a place and its first
    word; likewise over an ezafe and the name after it. Labelled a place: people are
    not named so."""
    doc = entity.doc
    end = entity.end
    while (
        end + 3 < len(doc)
        and not doc[end - 1].whitespace_
        and doc[end].text == "-"
        and doc[end + 1].is_lower
        and doc[end + 1].is_alpha
        and doc[end + 2].text == "-"
        and doc[end + 3].is_title
        and not any(token.whitespace_ for token in doc[end : end + 3])
    ):
        end += 4
    if (
        end + 2 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].text in _EZAFE
        and doc[end + 1].whitespace_
        and doc[end + 2].is_title
    ):
        # "Naqsh-e Jahan Square": a Persian or Urdu name's parts joined by the ezafe,
        # which the model takes for two names.
        end += 3
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    if end == entity.end:
        return entity
    label = "GPE" if entity.label_ == "PERSON" else entity.label_
    return Span(doc, entity.start, end, label=label)


def _pieces(
    entity: Span, text: str, lower_words: frozenset[str], kb: KnowledgeBase
) -> list[tuple[int, int]]:
    """The names inside one model entity, each cleaned, as character offsets; usually
    one, possibly none.

    A line break inside an entity joins two lines (a caption, a heading): only the first
    line with a capitalised word is kept. A slash joins two names ("Reuters/Christian
    Hartmann"), and so does a parenthesis ("World Health Organisation (WHO"): both are
    kept.
    """
    doc = entity.doc
    lines: list[tuple[int, int]] = []
    line_start = entity.start
    # A token's whitespace_ is one space at most: line breaks are tokens of their own.
    if "\n" in text[entity.start_char : entity.end_char]:
        for token in entity:
            if "\n" in token.text:
                lines.append((line_start, token.i))
                line_start = token.i + 1
    lines.append((line_start, entity.end))
    lines = [
        (s, e)
        for s, e in lines
        # Most lines start with a capital: no need to walk their words.
        if s < e and text[doc[s].idx].isupper() or any(t.text[:1].isupper() for t in doc[s:e])
    ]
    if not lines:
        return []
    start, end = lines[0]
    last = doc[end - 1]
    line_text = text[doc[start].idx : last.idx + len(last.text)]
    # Authors are joined by "&", a list by commas: most entities have neither to check.
    is_citation = (
        "&" in line_text and kb.find(line_text) is None and _is_cited_authors(doc, start, end, text)
    )
    if is_citation and _CITATION_YEAR.fullmatch(doc[end - 1].text):
        end -= 1  # "Heidenreich & Turano 2011"
    is_list = is_citation or "," in line_text and _is_list_of_names(doc, start, end, entity.label_)
    parts, part_start = [], start
    # Most lines hold nothing that may join two names: no need to walk their words.
    if is_list or _MAY_JOIN_NAMES.search(line_text):
        for index in range(start, end):
            if (
                _joins_names(doc, index, start, end)
                or is_list
                and doc[index].text == ","
                or is_citation
                and doc[index].text == "&"
            ):
                parts.append((part_start, index))
                part_start = index + 1
    parts.append((part_start, end))
    cleaned = (_clean_span(doc, s, e, entity.label_, text, lower_words, kb) for s, e in parts)
    return [offsets for offsets in cleaned if offsets is not None]


_CITATION_YEAR = re.compile(rf"{YEAR}[a-z]?")
# A year or a reference number after the authors: "(Dye & Bavelier, 2010)", "Carrano &
# Biewener [7]".
_CITATION_AFTER = re.compile(rf",? \(?{YEAR}[a-z]?\b| \[\d+\]")


def _is_cited_authors(doc: Doc, start: int, end: int, text: str) -> bool:
    """Whether an entity is authors joined by "&" and cited by year or reference
    number: "Dye & Bavelier, 2010", "Feng, Spence, & Pratt (2007)", each a person; a
    firm is named so too ("Marks & Spencer"), but not cited so."""
    words = doc[start:end]
    if not any(token.text == "&" for token in words) or words[-1].lower_ in _COMPANY_HEAD_WORDS:
        return False
    if _CITATION_YEAR.fullmatch(words[-1].text) and words[-1].i > start:
        return True
    return _CITATION_AFTER.match(text, words[-1].idx + len(words[-1].text)) is not None


# What a line holds wherever ``_joins_names`` finds a join in it: a joining token's
# characters, a dash, or a word after a space that does not start with a capital.
_MAY_JOIN_NAMES = re.compile(r"[/(@&\-–—]|d\.|vs|v\.| [^\W\d_A-Z]")


def _joins_names(doc: Doc, index: int, start: int, end: int) -> bool:
    """Whether ``doc[index]`` separates two names within one entity: a slash, a
    parenthesis, a result's "d." or "vs", a handle ("@NASA"), or a lower-case word
    names do not contain ("Garrett hit Rudolph", "Awards after Swift")."""
    token = doc[index]
    word = token.text
    if word in _JOINING_TOKENS or word.startswith("@"):
        return True
    if word in _DASHES and token.whitespace_ and doc[index - 1].whitespace_:
        return True  # "FRANKFURT - Northwind AG": a dateline, a spaced dash between names
    return (
        start < index < end - 1
        and token.is_lower
        and token.is_alpha
        and token.lower_ not in _NAME_PARTICLES
        and doc[index - 1].whitespace_ != ""
        and token.whitespace_ != ""
        and doc[index + 1].text[:1].isupper()
    )


def _is_list_of_names(doc: Doc, start: int, end: int, label: str) -> bool:
    """Whether an organisation or person the model found is names separated by commas
    ("Smith, Jones" of "Smith, Jones and colleagues"): not a firm named after its
    partners ("Skadden, Arps, Slate, Meagher & Flom", "Smith, Jones and Partners LLP"),
    nor a place in a name ("University of California, Berkeley"), nor a name with its
    legal form or generation ("Apple, Inc.", "Robert Downey, Jr.")."""
    if label not in {"ORG", "PERSON"}:
        return False  # "Paris, Texas"
    words = doc[start:end]
    commas = [token.i for token in words if token.text == ","]
    if not commas or any(token.lower_ == "&" or token.is_lower for token in words):
        return False  # "... & Flom", "University of California, Berkeley"
    return (
        all(
            start < comma < end - 1
            and doc[comma + 1].text[:1].isupper()
            and doc[comma + 1].lower_.rstrip(".") not in _SUFFIXES
            for comma in commas
        )
        and doc[end - 1].lower_ not in _COMPANY_HEAD_WORDS
    )


def _underscore_parts(start_char: int, end_char: int, text: str) -> list[tuple[int, int, str]]:
    """A name's (start, end, text), split where an underscore joins a role to a name
    ("Art Director_Park Dong Woo" -> "Park Dong Woo"): parts ending in a role go.
    ``text`` is the parsed text, which the name is sliced from."""
    surface = text[start_char:end_char]
    if "_" not in surface:
        return [(start_char, end_char, surface)]
    parts = []
    for match in re.finditer(r"[^_]+", surface):
        part = match.group().strip(TRIM_CHARS)
        words = part.split()
        if not words or _is_role(words[-1]):
            continue
        start = start_char + match.start() + match.group().index(part)
        parts.append((start, start + len(part), part))
    return parts


def _clean_span(
    doc: Doc,
    start: int,
    end: int,
    label: str,
    text: str,
    lower_words: frozenset[str],
    kb: KnowledgeBase,
) -> tuple[int, int] | None:
    """``doc[start:end]`` without determiners, roles, possessives and stray punctuation,
    as character offsets."""
    while start < end and (
        (token := doc[start]).lower_ in _DETERMINERS or not token.text.strip(TRIM_CHARS)
    ):
        start += 1
    while start < end and (
        (token := doc[end - 1]).lower_ in _POSSESSIVE_ENDS or not token.text.strip(TRIM_CHARS)
    ):
        end -= 1
    if label == "PERSON":
        end = _with_surname_after_particles(doc, end)
    if (
        end - start > 1
        and doc[start].lower_ in _OPENING_WORDS
        and doc[start + 1].text[:1].isupper()
        and _starts_sentence(doc, start)
        and kb.find(doc[start:end].text) is None
    ):
        start += 1  # "Despite Daniel's attempts", "'Hey Frank, ...'"
    if (
        end - start == 2
        and _DOTTED_INITIALS.fullmatch(doc[start].text)
        and (
            _is_sentence_start_plural(doc[start + 1], lower_words)
            or _is_a_surname_of(doc, doc[start + 1])
        )
        and kb.find(doc[start:end].text) is None
    ):
        # "in the U.S. Jobs also rose", "in the U.S. Jobs also noted" (Steve Jobs): "U.S."
        # ends a sentence, "Jobs" starts one.
        end -= 1
    if end < len(doc) and doc[end].text == ":" and doc[end - 1].lower_ in _CREDIT_WORDS:
        end -= 1  # "Ahmed Mohamed Image: Twitter": a caption's credit line
    while (
        end - start > 1
        and (first := doc[start]).is_lower
        and first.is_alpha
        and first.lower_ not in _NAME_PARTICLES
        and doc[start + 1].text[:1].isupper()
    ):
        start += 1  # "rookie Emil Bemstrom", "federal Bureau of Prisons"
    while end - start > 1 and _TICKER.fullmatch(doc[end - 1].text):
        end -= 1  # "Microsoft Corp MSFT.O"
    end = _without_trailing_numbers(doc, start, end, label)
    while (
        end - start > 1
        and _is_tail_word(doc[end - 1], label)
        and kb.find(doc[start:end].text) is None  # "U.N. Security council"
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
        while end - start > 2 and _is_post_nominal(doc[end - 1]) and doc[end - 2].is_title:
            end -= 1  # "Daniel Bernoulli FRS", "Jane Roe OBE"
        start, end = _with_adjacent_name_words(doc, start, end, text, lower_words)
        start = _after_roles(doc, start, end)
        start = _from_given_name(doc, start, end)
        start = _after_occupation(doc, start, end)
        end = _with_hyphenated_end(doc, end)
    start = _with_building_title(doc, start, end)
    # The first word alone first: it is seldom a role, and slicing costs more.
    if (
        start >= end
        or _is_role_or_generation(doc[start])
        and all(map(_is_role_or_generation, doc[start + 1 : end]))
    ):
        # "State" of "Secretary of State", "President", "Jr": a role, not a name.
        return None
    # Punctuation glued to a token ("(ISIL"): trim by characters, keeping the final dot
    # of an abbreviation ("U.S."). The words are sliced from the text: Span.text joins
    # its tokens' texts anew.
    start_char, last = doc[start].idx, doc[end - 1]
    written = text[start_char : last.idx + len(last.text)]
    left = len(written) - len(written.lstrip(TRIM_CHARS))
    right = len(written.rstrip(TRIM_CHARS))
    if _FINAL_INITIAL.search(written):
        right = len(written.rstrip(TRIM_CHARS.replace(".", "")))
    if right <= left:
        return None
    if left == 0 and right == len(written):
        return start_char, start_char + right  # nothing trimmed: no span to build
    span = doc.char_span(start_char + left, start_char + right, alignment_mode="expand")
    return span.start_char, span.end_char


_FINAL_INITIAL = re.compile(r"\b[A-Z]\.$")


def _is_role_or_generation(token: Token) -> bool:
    return _is_role(token.text) or token.lower_.rstrip(".") in GENERATION_SUFFIXES


def _is_post_nominal(token: Token) -> bool:
    """Whether a word after a person's name is letters of an honour or degree ("FRS",
    "OBE", "PhD"), not a surname in capitals ("Jean-Luc MÉLENCHON")."""
    return not token.is_lower and token.lower_ in _POST_NOMINALS


def _is_sentence_start_plural(token: Token, lower_words: frozenset[str]) -> bool:
    """Whether a capitalised word is a plural noun the text also writes in lower case
    ("Jobs", "Prices"): after an abbreviation's dot, the start of the next sentence
    rather than the rest of a name ("U.S. Steel", "U.S. Army")."""
    word = token.lower_
    return (
        token.text.istitle()
        and word.endswith("s")
        and not word.endswith("ss")
        and word in lower_words
    )


def _is_a_surname_of(doc: Doc, token: Token) -> bool:
    """Whether a word is the last of a person's name of several words that the model
    found elsewhere in the text ("Jobs" of "Steve Jobs")."""
    return any(
        entity.label_ == "PERSON" and len(entity) > 1 and entity[-1].text == token.text
        for entity in doc.ents
        if entity.start != token.i - 1
    )


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


def _is_tail_word(token: Token, label: str) -> bool:
    """Whether a name's last token follows the name rather than ends it: a lower-case
    word ("Yonhap news agency"), a weekday after any name but a person's, or, after an
    organisation, a role ("NASA Administrator", "State Department Spokesperson"); not
    the end of "Lam Cheuk-ting" or "iPhone"."""
    if label == "ORG" and token.lower_ in _ORG_TAIL_ROLES:
        return True
    if label != "PERSON" and token.lower_ in _WEEKDAYS and token.doc[token.i - 1].lower_ != "on":
        return True  # "Wikinews Saturday, January 31": a date after the name, not "Mail on Sunday"
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
    if start >= end:
        return start, end
    found = start, end
    while (
        start > 0
        and _word_count(doc, start, end) < 4
        and doc[start - 1].whitespace_ == " "
        and _is_free_name_word(doc[start - 1])
        and not doc[start - 1].is_stop
        and (not _starts_sentence(doc, start - 1) or doc[start - 1].lower_ not in lower_words)
    ):
        start -= 1
    while (
        end < len(doc)
        and _word_count(doc, start, end) < 4
        and doc[end - 1].whitespace_ == " "
        and _is_free_name_word(doc[end])
        and not doc[end].is_stop
        and not (end + 1 < len(doc) and doc[end + 1].text == "." and len(doc[end]) == 1)
    ):
        end += 1
    if (start, end) != found and in_title_case_line(text, doc[found[0]].idx):
        return found  # checked last: it reads the whole line, and most names stay as found
    return start, end


def _with_surname_after_particles(doc: Doc, end: int) -> int:
    """Extend a person's name that the model ended on a surname particle over the rest of
    the surname, even where the model took that for another entity: a name never ends
    on its particle ("[Ursula von] der [Leyen]" -> "Ursula von der Leyen"); likewise one
    it ended just before the particles ("[Erik] [ten] Hag", "ten" a number to it)."""
    if (
        end + 1 < len(doc)
        and doc[end - 1].whitespace_
        and doc[end].text in SURNAME_PARTICLES
        and (extended := _with_surname_after_particles(doc, end + 1)) > end + 1
    ):
        return extended
    while end < len(doc) and doc[end - 1].text in SURNAME_PARTICLES and doc[end - 1].whitespace_:
        token = doc[end]
        if token.text in SURNAME_PARTICLES:
            end += 1
        elif token.is_alpha and token.text[:1].isupper():
            return end + 1
        else:
            break
    return end


def _word_count(doc: Doc, start: int, end: int) -> int:
    """The words of ``doc[start:end]``: "Elena Fernandez-Miranda" is two, of four tokens."""
    return 1 + sum(bool(token.whitespace_) for token in doc[start : end - 1])


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
        and token.lower_ not in _OPENING_WORDS
    )


def _starts_sentence(doc: Doc, index: int) -> bool:
    if index == 0:
        return True
    previous = doc[index - 1]
    return "\n" in previous.whitespace_ or "\n" in previous.text or previous.text in _SENTENCE_ENDS


def _after_roles(doc: Doc, start: int, end: int) -> int:
    """The index where a person's name starts once leading titles and roles are dropped.

    Everything up to the last role word is dropped when a capitalised name follows it,
    its surname's particles in lower case included: "Secretary of State John Kerry" ->
    "John Kerry", "Apple CEO Steve Jobs" -> "Steve Jobs", "Crown Prince Mohammed bin
    Salman" -> "Mohammed bin Salman"; "Stephen King" keeps its "King" because nothing
    follows it.
    """
    last_role = -1
    for index in range(start, end):
        if _is_role(doc[index].text):
            last_role = index
    if last_role < 0 or last_role + 1 >= end:
        return start
    rest = doc[last_role + 1 : end]
    if all(token.lower_.rstrip(".") in GENERATION_SUFFIXES for token in rest):
        return start  # "Martin Luther King Jr": the role word is the surname
    if all(
        token.text[:1].isupper() or not token.is_alpha or token.text in SURNAME_PARTICLES
        for token in rest
    ):
        return last_role + 1
    return start


def _is_role(word: str) -> bool:
    word = word.lower()
    return word in _ROLE_WORDS or word.rstrip(".") in _ROLE_WORDS


def _from_given_name(doc: Doc, start: int, end: int) -> int:
    """Where a person's name starts after a capitalised word that is no part of it:
    "Email Tariq Malik", "Speaker Brian Bosma", "Browns DL Sheldon Richardson". Only
    when the first word is not a given name, here or in three or more countries
    ("Odette Elliott Padalecki"), and a given name later starts a name of at least two
    words, not after a hyphen ("Abd al-Karim Qasim" is one name)."""
    first = doc[start].text
    if end - start < 3 or is_given_name(first) or first in _WORLD_GIVEN_NAMES:
        return start
    for index in range(start + 1, end - 1):
        if doc[index - 1].text == "-":
            continue
        if is_given_name(doc[index].text) and all(
            token.text[:1].isupper() for token in doc[index:end] if token.is_alpha
        ):
            return index
    return start


# Endings of English agent nouns, the words for occupations ("farmer", "trooper",
# "pastor", "economist", "councilwoman", "engineer"); not "-man" nor "-ian", which end
# many given names too ("Jusman", "Florian").
_AGENT_NOUN_ENDINGS = ("er", "or", "ist", "woman", "eer")


def _after_occupation(doc: Doc, start: int, end: int) -> int:
    """Where a person's name starts after an occupation the role list lacks: an agent
    noun, capitalised as a title, before a name of two words or more ("Farmer Tendai
    Moyo", "Councilwoman Ngozi Eze"). Not a given name ("Tyler", "Christian"), and
    only before two capitalised words: occupational surnames ("Carter", "Baker") end
    names, they do not come before one."""
    first = doc[start]
    if (
        end - start < 3
        or not first.text.istitle()
        or not first.lower_.endswith(_AGENT_NOUN_ENDINGS)
        or is_given_name(first.text)
        or first.text in _WORLD_GIVEN_NAMES
        or not first.whitespace_
    ):
        return start
    rest = doc[start + 1 : end]
    if all(token.text.istitle() and token.is_alpha for token in rest):
        return start + 1
    return start


def _with_building_title(doc: Doc, start: int, end: int) -> int:
    """Where the name of a building or way starts, with the title or place word before it
    that no entity claims: "[Sheikh] Lotfollah Mosque", "[Fort] Lee Historic Park"."""
    if start == 0 or start >= end or doc[end - 1].lower_ not in _FACILITY_WORDS:
        return start
    before = doc[start - 1]
    if (
        before.whitespace_ == " "
        and before.ent_iob_ == "O"
        and before.is_title
        and (before.lower_ in _BUILDING_TITLES or before.text in PLACE_PREFIXES)
    ):
        return start - 1
    return start


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
