"""Turn a fetched web page (HTML) or a pasted plain text into a clean article.

Pure Python, no Django: it takes strings and returns an `ExtractedArticle`, so tests and
`bench/extraction.py` can call it directly. The HTML path is trafilatura with a few
general repairs around it; the plain-text path is our own rule for telling article
sentences from site furniture. The text returned is always plain text (never HTML):
paragraphs separated by a blank line, whitespace inside a paragraph collapsed.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html
from trafilatura.xpaths import BODY_XPATH

logger = logging.getLogger(__name__)

__all__ = [
    "ExtractedArticle",
    "ExtractionError",
    "decode_html",
    "detect_language",
    "extract_html",
    "extract_text",
]

# Below this many words of prose a page is a login wall, an index or an error page,
# not an article; the readers of this app never want to keep such a page.
MIN_ARTICLE_WORDS = 25
# When the precise pass finds fewer words of prose than this, a looser pass is tried
# too, and wins if it finds SCRAP_RATIO times as many.
SCRAP_WORDS = 100
SCRAP_RATIO = 4
# A pasted title longer than this is a sentence, not a headline.
MAX_TITLE_WORDS = 20
MAX_TITLE_CHARS = 200
# The title made up from the first sentence when a text has no headline.
DERIVED_TITLE_CHARS = 80
# How much of the document the <meta charset> prescan reads (the HTML spec says 1024
# bytes; real pages put long comments and scripts first, so read a little more).
META_PRESCAN_BYTES = 4096


class ExtractionError(Exception):
    """No article could be extracted; str() is a sentence fit to show to a user."""


@dataclasses.dataclass(frozen=True)
class ExtractedArticle:
    title: str
    # Clean article text: paragraphs separated by "\n\n", no leading/trailing whitespace.
    text: str
    byline: str = ""
    # Timezone-aware (UTC when the page gives no timezone).
    published_at: datetime.datetime | None = None
    site_name: str = ""
    image_url: str = ""
    # ISO 639-1 ("en"), "" when unknown.
    language: str = ""
    # Absolute URL from <link rel=canonical> or og:url, "" when none.
    canonical_url: str = ""

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.text))


# ---------------------------------------------------------------------------
# Text helpers shared by both paths
# ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_WHITESPACE = re.compile(r"\s+")
# Invisible characters that survive whitespace collapsing and would otherwise end up in
# the stored text (and shift mention offsets for no visible reason).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# A sentence ends with terminal punctuation, possibly followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[.!?…:;。！？．][\"'”’»)\]」』）]*$")


def _collapse(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) into single spaces."""
    return _WHITESPACE.sub(" ", text.translate(_INVISIBLE)).strip()


def _count_words(text: str) -> int:
    # Chinese and Japanese put no spaces between words: count two ideographs or kana as
    # one word, about their average word length, so CJK pages are not found "too short".
    ideographs = len(_IDEOGRAPH.findall(text))
    return len(_WORD.findall(_IDEOGRAPH.sub(" ", text))) + (ideographs + 1) // 2


def _join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(paragraphs).strip()


# ---------------------------------------------------------------------------
# decode_html
# ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
# Labels whose WHATWG meaning is a superset of Python's codec of the same name: pages
# labelled latin-1 are really decoded as windows-1252 by every browser (curly quotes in
# 0x80-0x9F), Shift-JIS as Microsoft's cp932, GB2312/GBK as GB18030, and so on.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "x-user-defined": "cp1252",
}

_LATIN_SINGLE_BYTE = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "iso8859-1", "iso8859-2", "iso8859-9"}
    | {"iso8859-13", "iso8859-15", "mac-roman", "mac-latin2", "latin-1"}
)

# A letter followed by a symbol that is a letter in the Central European code pages
# (ą ł ż Ą Ż ľ Ľ read as cp1252): the mark of a misread code page.
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][¹³¿¥¯¼¾]")


def _codec_name(label: str | None) -> str | None:
    """Map a charset label from a header or a <meta> to a Python codec, None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A UTF-16/32 label on a document we can read as ASCII bytes is a lie (the spec says
    # to treat it as UTF-8); real UTF-16 documents are caught by their BOM first.
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def decode_html(body: bytes, *, charset: str | None = None) -> str:
    """Decode an HTML document to text, the way a browser would pick its encoding.

    Order: byte order mark, then the HTTP header `charset`, then a <meta charset> or
    <meta http-equiv="Content-Type"> in the first few KB, then UTF-8 if the bytes are
    valid UTF-8, then charset_normalizer's guess, then windows-1252. Never raises: bytes
    that do not fit the chosen encoding become U+FFFD.
    """
    # The BOM wins over everything, the header included: it is written by the same tool
    # that wrote the bytes, while headers are often a server-wide default (the HTML
    # spec's encoding sniffing algorithm ranks them the same way). The header in turn
    # outranks <meta>, which is only consulted when the transport says nothing.
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")

    encoding = _codec_name(charset)
    if encoding is None:
        match = _META_CHARSET.search(body[:META_PRESCAN_BYTES])
        if match:
            encoding = _codec_name(match.group(1).decode("ascii", errors="ignore"))
    if encoding is not None:
        return body.decode(encoding, errors="replace")

    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return body.decode(_guess_encoding(body), errors="replace")


def _guess_encoding(body: bytes) -> str:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - it ships with trafilatura
        return "cp1252"
    best = charset_normalizer.from_bytes(body[:65536]).best()
    guess = _codec_name(best.encoding) if best is not None else None
    if guess is None:
        return "cp1252"
    # Single-byte Latin code pages share most letters and differ in a few accents, so a
    # statistical guess among them is close to a coin toss on a short page ("naïve" reads
    # as "naďve" in cp1250). windows-1252 is what browsers fall back to and by far the
    # most common of them on the web: prefer it whenever it fits the bytes.
    if guess in _LATIN_SINGLE_BYTE and guess != "cp1252":
        try:
            as_cp1252 = body.decode("cp1252")
        except UnicodeDecodeError:
            return guess
        # ...unless it puts symbols inside words ("d³u¿szy" is Polish cp1250 misread).
        if not _SYMBOL_IN_WORD.search(as_cp1252):
            return "cp1252"
    return guess


# ---------------------------------------------------------------------------
# extract_html
# ---------------------------------------------------------------------------

# Tried in order until one finds enough article text. Precision first: on news pages it
# drops more furniture (related links, share bars) than it loses text; the balanced and
# recall passes rescue pages whose article the precise pass misses entirely.
# Comments are never article text. `deduplicate` stays off: trafilatura keeps its
# duplicate cache process-wide, so it would drop text that merely appeared on an earlier
# page of the same site.
_EXTRACTION_PASSES: tuple[dict[str, bool], ...] = (
    {"favor_precision": True},
    {},
    {"favor_recall": True},
)
_COMMON_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
    "with_metadata": False,
}

# Elements of trafilatura's output tree that start a new paragraph in our text.
_BLOCK_TAGS = frozenset(
    {"p", "head", "quote", "list", "item", "table", "row", "code", "pre", "div", "section"}
    | {"article", "body", "doc", "main", "text", "details", "summary", "figure"}
)
# Output elements that carry no text of their own for a reader.
_SKIPPED_TAGS = frozenset({"graphic", "img", "image"})


def extract_html(html: str, *, url: str | None = None) -> ExtractedArticle:
    """Extract the article of an HTML page: text, title, byline, date, site and so on.

    `url` is the page's address, used to resolve relative links (canonical URL, image).
    Raises ExtractionError when the page has no article (a login wall, an index page).
    """
    if not html or not html.strip():
        raise ExtractionError("The page was empty.")
    tree = _parse_html(html)
    if tree is None:
        raise ExtractionError("The page could not be read as HTML.")

    canonical_url = _canonical_url(tree, url)
    base_url = url or canonical_url or None
    try:
        metadata = extract_metadata(tree, base_url)
    except Exception:  # trafilatura's metadata helpers are best effort; text matters more
        logger.warning("metadata extraction failed for %s", url, exc_info=True)
        metadata = None

    # After the metadata (which reads <head>), as it moves nodes around in <body>.
    _merge_split_bodies(tree)
    paragraphs = _best_paragraphs(tree, url=base_url)
    if _prose_words(paragraphs) < MIN_ARTICLE_WORDS:
        raise ExtractionError(
            "No article text was found on that page (it may be a login wall or an index page)."
        )

    site_name = _collapse(_get(metadata, "sitename"))
    title = _strip_site_name(_collapse(_get(metadata, "title")), site_name)
    # The headline often opens the extracted body too; it belongs in the title only.
    if paragraphs and title and _same_text(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    text = _join_paragraphs(paragraphs)
    if not title:
        title = _title_from_sentence(text)

    return ExtractedArticle(
        title=title,
        text=text,
        byline=_clean_byline(_get(metadata, "author")),
        published_at=_published_at(tree, _get(metadata, "date")),
        site_name=site_name,
        image_url=_absolute_http_url(_get(metadata, "image"), base_url),
        language=_page_language(_declared_language(tree), text),
        canonical_url=canonical_url,
    )


def _parse_html(html: str) -> HtmlElement | None:
    # trafilatura's loader rejects fragments ("<p>x</p>" alone); wrap those so a pasted
    # snippet still parses as a document.
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        tree = load_html(f"<html><body><div>{html}</div></body></html>")
    return tree


def _get(metadata: object | None, name: str) -> str:
    value = getattr(metadata, name, None) if metadata is not None else None
    return value if isinstance(value, str) else ""


def _best_paragraphs(tree: HtmlElement, *, url: str | None) -> list[str]:
    """Run the extraction passes until one finds an article, as paragraphs."""
    best: list[str] = []
    best_words = 0
    for options in _EXTRACTION_PASSES:
        paragraphs = _extract_paragraphs(tree, url=url, options=options)
        words = _prose_words(paragraphs)
        # A later, looser pass replaces an earlier one only when the earlier kept a
        # scrap (a reprint notice, a caption) of a much longer text: on the dev set the
        # looser passes' extra words are otherwise mostly furniture.
        if words >= SCRAP_RATIO * max(best_words, 1) or (
            best_words < MIN_ARTICLE_WORDS and words > best_words
        ):
            best, best_words = paragraphs, words
        if best_words >= SCRAP_WORDS:
            break
    return best


def _extract_paragraphs(
    tree: HtmlElement, *, url: str | None, options: dict[str, bool]
) -> list[str]:
    try:
        document = trafilatura.bare_extraction(
            tree, url=url, output_format="python", **_COMMON_OPTIONS, **options
        )
    except Exception:  # a crash in one pass must not lose the page: try the next pass
        logger.warning("trafilatura failed on %s with %s", url, options, exc_info=True)
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    return _dedupe(_paragraphs_from_tree(body))


def _paragraphs_from_tree(body: etree._Element) -> list[str]:
    """Flatten trafilatura's output tree into paragraphs of plain text.

    Block elements and line breaks start a new paragraph; list items and table rows are
    a paragraph each (cells joined with " | "). Only text nodes are read, so no markup
    can reach the result.
    """
    paragraphs: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        paragraph = _collapse("".join(pieces))
        pieces.clear()
        # A paragraph of punctuation or bullets alone ("|", "•", "—") is layout debris.
        if paragraph and any(character.isalnum() for character in paragraph):
            paragraphs.append(paragraph)

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in _SKIPPED_TAGS:
            if tag == "lb":
                flush()
            elif tag == "cell" and element.getprevious() is not None:
                pieces.append(" | ")
            is_block = tag in _BLOCK_TAGS
            if is_block:
                flush()
            if element.text:
                pieces.append(element.text)
            for child in element:
                walk(child)
            if is_block:
                flush()
        if element.tail:
            pieces.append(element.tail)

    walk(body)
    flush()
    return paragraphs


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Drop a paragraph that repeats the one before it (pull quotes, mobile/desktop twins)."""
    result: list[str] = []
    for paragraph in paragraphs:
        if not result or paragraph != result[-1]:
            result.append(paragraph)
    return result


def _prose_words(paragraphs: list[str]) -> int:
    """Words in paragraphs that end as sentences do, not in a list of links or buttons.

    Stricter than `_is_prose`: a long run of unpunctuated words is what a page's menus
    and headline lists become when an extractor falls back to the whole <body>.
    """
    return sum(
        _count_words(paragraph)
        for paragraph in paragraphs
        if _count_words(paragraph) >= 6 and _SENTENCE_END.search(paragraph)
    )


def _same_text(first: str, second: str) -> bool:
    return _WORD.findall(first.casefold()) == _WORD.findall(second.casefold())


def _merge_split_bodies(tree: HtmlElement) -> None:
    """Join an article body that the page splits into several sibling containers.

    Many sites cut the article into chunks with ads or "read more" boxes between them,
    each chunk a container with the same tag and class. trafilatura takes the first
    container that looks like an article body, i.e. only the first chunk; moving the
    later chunks' content into the first keeps the whole article and nothing else.
    """
    try:
        first = next(iter(BODY_XPATH[0](tree)), None)
    except etree.XPathError:  # pragma: no cover - the expression is trafilatura's own
        return
    if first is None:
        return
    class_name = first.get("class")
    if not class_name:
        return
    ancestors = set(first.iterancestors())
    chunks = [
        other
        for other in tree.iter(first.tag)
        if other is not first
        and other.get("class") == class_name
        and other not in ancestors
        and not any(ancestor is first for ancestor in other.iterancestors())
        and other.getparent() is not None
    ]
    # On a blog's index page the repeated containers are teasers of different posts,
    # each headed by a link to its post: joining those would make an index an article.
    if not chunks or any(_is_teaser(element) for element in (first, *chunks)):
        return
    for chunk in chunks:
        for child in list(chunk):
            first.append(child)
        chunk.getparent().remove(chunk)


def _is_teaser(element: HtmlElement) -> bool:
    return bool(element.xpath(".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href]"))


def _canonical_url(tree: HtmlElement, url: str | None) -> str:
    candidates = [
        *tree.xpath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
        ),
        *tree.xpath("//meta[@property='og:url' or @name='og:url']/@content"),
    ]
    for candidate in candidates:
        absolute = _absolute_http_url(str(candidate), url)
        if absolute:
            return absolute
    return ""


def _absolute_http_url(value: str, base_url: str | None) -> str:
    """`value` resolved against `base_url`; "" unless it is an absolute http(s) URL."""
    value = value.strip() if value else ""
    if not value:
        return ""
    try:
        resolved = urljoin(base_url, value) if base_url else value
        parts = urlsplit(resolved)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return resolved


def _clean_byline(author: str) -> str:
    byline = _collapse(author)
    # trafilatura joins several authors with "; ", a reader expects a comma list.
    byline = re.sub(r"\s*;\s*", ", ", byline)
    return re.sub(r"^(?:by|von|par|por|di|door)\s+", "", byline, flags=re.IGNORECASE)


_DATE_META_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate'"
    " or @name='date' or @name='dc.date' or @name='DC.date.issued'"
    " or @name='sailthru.date' or @property='og:published_time']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)


def _published_at(tree: HtmlElement, date_text: str) -> datetime.datetime | None:
    """Publication time: a full timestamp from the page's metadata when it has one,
    otherwise htmldate's day (as found by trafilatura) at midnight UTC."""
    day = _parse_timestamp(date_text) if date_text else None
    for value in (*_json_ld_dates(tree), *tree.xpath(_DATE_META_XPATH)):
        timestamp = _parse_timestamp(str(value))
        # Trust the precise value only when it agrees with htmldate's day, which has
        # already weighed all the page's dates against each other.
        if timestamp is not None and (day is None or abs(timestamp - day).days <= 1):
            return timestamp
    return day


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                value = item.get("datePublished")
                if isinstance(value, str):
                    yield value
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))


def _parse_timestamp(value: str) -> datetime.datetime | None:
    value = value.strip()
    if not value:
        return None
    # Python's ISO parser takes "Z" and most offsets, but not "+0000" without a colon.
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value)
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _strip_site_name(title: str, site_name: str) -> str:
    """Remove the site's name from the start or end of a title ("Headline | Site")."""
    if not title or not site_name:
        return title
    separators = r"\s*[|\-–—:·•»]\s*"
    name = re.escape(site_name)
    stripped = re.sub(rf"^{name}{separators}|{separators}{name}$", "", title, flags=re.IGNORECASE)
    # Keep the title whole if removing the name would leave next to nothing.
    return stripped if _count_words(stripped) >= 2 else title


def _page_language(declared: str, text: str) -> str:
    """The language of the article text, with the page's own declaration as a fallback.

    The text decides when it can: sites often declare one language for every page
    (an English article on a .de site declares "de"). But for languages our detector
    does not know (Swedish, Polish...), a Latin-script guess is a near miss between
    cousins, so the page's declaration wins there.
    """
    detected = detect_language(text)
    if declared and declared not in _STOPWORDS and detected in _STOPWORDS:
        return declared
    return detected or declared


def _declared_language(tree: HtmlElement) -> str:
    """The page's own language tag (<html lang>, content-language, og:locale), as ISO 639-1."""
    root = tree.getroottree().getroot()
    values = [
        root.get("lang") or "",
        root.get("{http://www.w3.org/XML/1998/namespace}lang") or "",
        *tree.xpath(
            "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
            "='content-language']/@content"
        ),
        *tree.xpath("//meta[@property='og:locale']/@content"),
    ]
    for value in values:
        code = re.split(r"[-_,;\s]", str(value).strip().lower(), maxsplit=1)[0]
        if re.fullmatch(r"[a-z]{2}", code):
            return code
    return ""


# ---------------------------------------------------------------------------
# extract_text
# ---------------------------------------------------------------------------

_ALL_CAPS_MIN_LETTERS = 4
_DATE_OR_TIME = re.compile(
    r"^[\W\d_]*(?:\d{1,4}[/.:-]\d{1,2}[/.:-]?\d{0,4}|\d{1,2}:\d{2})", re.IGNORECASE
)


def extract_text(text: str) -> ExtractedArticle:
    """Extract an article from plain text, such as a reader's copy of a web page.

    Paragraphs are blocks separated by blank lines (or single lines when the text has no
    blank lines). A paragraph is kept when it reads as prose: it ends like a sentence
    and has several words, or is long. Everything else (site names, menus, timestamps,
    "Like us on Facebook") is site furniture. The headline is the longest short,
    capitalised, unpunctuated line before the first paragraph of prose.
    """
    blocks = _text_blocks(text)
    if not blocks:
        raise ExtractionError("The text is empty.")

    first_prose = next((i for i, block in enumerate(blocks) if _is_prose(block)), None)
    lead = blocks if first_prose is None else blocks[:first_prose]
    title_index = _headline_index(lead)

    body = [
        block
        for index, block in enumerate(blocks)
        if index != title_index and (first_prose is not None and _is_prose(block))
    ]
    if not body:
        # Nothing reads as prose (a list, notes without punctuation): keep it all rather
        # than throw the reader's text away.
        body = [block for index, block in enumerate(blocks) if index != title_index]
    body_text = _join_paragraphs(body)
    if not body_text:
        raise ExtractionError("No article text was found in that text.")

    title = blocks[title_index] if title_index is not None else _title_from_sentence(body_text)
    return ExtractedArticle(title=title, text=body_text, language=detect_language(body_text))


def _text_blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Some copies (and some editors) use a form feed or a Unicode separator for breaks.
    text = re.sub(r"[\f\v\u2028\u2029\x85]", "\n", text)
    lines = [line.strip() for line in text.split("\n")]
    if any(not line for line in lines) and sum(1 for line in lines if line) > 1:
        # Blank lines separate paragraphs; single newlines inside one are hard wraps.
        chunks = re.split(r"\n\s*\n", "\n".join(lines))
        blocks = [_collapse(chunk) for chunk in chunks]
    else:
        blocks = [_collapse(line) for line in lines]
    return [block for block in blocks if block]


def _is_prose(block: str, *, min_words: int = 5) -> bool:
    """True when a block reads as article text rather than site furniture."""
    words = _count_words(block)
    if words >= 20:
        return True
    return words >= min_words and bool(_SENTENCE_END.search(block)) and not block.endswith(":")


def _headline_index(lead: list[str]) -> int | None:
    """Index in `lead` of the headline: the longest title-like block, earliest on ties."""
    best: int | None = None
    best_words = 0
    for index, block in enumerate(lead):
        if not _is_title_like(block):
            continue
        words = _count_words(block)
        if words > best_words:
            best, best_words = index, words
    if best is not None and best_words >= 3:
        return best
    # No line looks like a headline: a short first line is still the title of a text
    # without clutter ("Notes", "Meeting 3 May"), unless it is a timestamp.
    for index, block in enumerate(lead[:1]):
        if _count_words(block) <= MAX_TITLE_WORDS and not _DATE_OR_TIME.match(block):
            return index
    return best


def _is_title_like(block: str) -> bool:
    words = _WORD.findall(block)
    if not words or len(words) > MAX_TITLE_WORDS or len(block) > MAX_TITLE_CHARS:
        return False
    if block.endswith((".", ",", ";", ":")) or _DATE_OR_TIME.match(block):
        return False
    letters = [character for character in block if character.isalpha()]
    # Shouted lines are site names and section labels ("CHINA TOPIX"), not headlines.
    if len(letters) >= _ALL_CAPS_MIN_LETTERS and all(c.isupper() for c in letters):
        return False
    first = block[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘«¿¡"


def _title_from_sentence(text: str) -> str:
    """A title made from the first sentence, cut at a word boundary."""
    first_paragraph = text.split("\n\n", 1)[0]
    match = re.match(r"(.+?[.!?…])(?:\s|$)", first_paragraph)
    sentence = (match.group(1) if match else first_paragraph).rstrip(".")
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return f"{cut}…"


# ---------------------------------------------------------------------------
# detect_language
# ---------------------------------------------------------------------------

# The most frequent function words of each language: in running text they are a third
# to a half of all words, so their share tells the language apart without a model.
_STOPWORD_TEXT = {
    "en": (
        "the of and to in a is that for it as was with be by on not he i this are or his "
        "from at which but have an they you were her she there been their has would will "
        "its who said we after also more than"
    ),
    "fr": (
        "le la les de des du et à un une est que qui dans pour pas sur au aux ce il elle "
        "ne se sont par plus avec son sa ses ont été mais nous vous leur cette comme "
        "était être lui où"
    ),
    "de": (
        "der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als "
        "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie "
        "einem über einen so zum war haben nur oder aber vor zur bis"
    ),
    "es": (
        "el la de que y en los se del las un por con no una su para es al lo como más "
        "pero sus le ya o este fue ha sí porque esta entre cuando muy sin sobre también "
        "me hasta hay donde han"
    ),
    "it": (
        "il di che e la per un in è del non una sono della le si con da al alla gli dei "
        "delle nel anche come più ma lo questo ha nella ci hanno essere era tra degli "
        "sul quando"
    ),
    "pt": (
        "o a de que e do da em um para é com não uma os no se na por mais as dos como "
        "mas foi ao ele das tem à seu sua ou ser quando muito há nos já está também "
        "pelo pela até isso ela entre era depois sem mesmo"
    ),
    "nl": (
        "de het een van en in is dat op te zijn niet met voor die er aan ook als door "
        "maar om bij dan nog wel naar uit werd worden zou hij ze wordt heeft tot over "
        "kan deze dit"
    ),
}
_STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _STOPWORD_TEXT.items()
}
# Scripts that (nearly) identify a language on their own, by Unicode name prefix.
_SCRIPT_LANGUAGES = (
    ("HANGUL", "ko"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("CJK", "zh"),
    ("CYRILLIC", "ru"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("GREEK", "el"),
    ("THAI", "th"),
    ("DEVANAGARI", "hi"),
    ("BENGALI", "bn"),
    ("TAMIL", "ta"),
    ("GEORGIAN", "ka"),
    ("ARMENIAN", "hy"),
)
_LANGUAGE_SAMPLE_CHARS = 20000
_MIN_STOPWORD_HITS = 3


def detect_language(text: str) -> str:
    """Guess the ISO 639-1 language of `text`, "" when unsure.

    Non-Latin scripts decide by themselves (kana means Japanese even among Chinese
    characters; Ukrainian letters set Ukrainian apart from Russian); Latin-script text is
    scored by the share of each language's most common function words.
    """
    sample = text[:_LANGUAGE_SAMPLE_CHARS]
    script = _dominant_script(sample)
    if script is not None:
        return script
    words = [word.casefold() for word in _WORD.findall(sample) if not word.isdigit()]
    if len(words) < 3:
        return ""
    scores = {
        language: sum(1 for word in words if word in stopwords)
        for language, stopwords in _STOPWORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_hits), (_, runner_up_hits) = ranked[0], ranked[1]
    # Short or mixed texts give weak evidence: demand a few hits, a fair share of the
    # words, and a clear lead over the next language (many short words are shared).
    if best_hits < min(_MIN_STOPWORD_HITS, len(words) // 2 or 1):
        return ""
    if best_hits < 0.1 * len(words) or best_hits < 1.25 * runner_up_hits:
        return ""
    return best


def _dominant_script(sample: str) -> str | None:
    """The language of a non-Latin script covering most letters; None for Latin or mixed."""
    counts: dict[str, int] = {}
    letters = 0
    for character in sample:
        if not character.isalpha():
            continue
        letters += 1
        if character.isascii():
            continue
        name = unicodedata.name(character, "")
        for prefix, language in _SCRIPT_LANGUAGES:
            if name.startswith(prefix):
                counts[language] = counts.get(language, 0) + 1
                break
    if not letters or not counts:
        return None
    # Japanese mixes kanji (CJK) with kana: any real share of kana makes it Japanese.
    if counts.get("ja", 0) >= 0.05 * letters:
        return "ja"
    language, count = max(counts.items(), key=lambda item: item[1])
    if count < 0.4 * letters:
        return None
    if language == "ru" and re.search(r"[іїєґІЇЄҐ]", sample):
        return "uk"
    if language == "ar" and re.search(r"[پچژگکی]", sample):
        return "fa"
    return language
