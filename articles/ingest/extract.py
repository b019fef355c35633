"""Turn a fetched web page (HTML) into a clean article.

Pure Python, no Django: it takes strings and returns an `ExtractedArticle`, so tests and
`bench/extraction.py` can call it directly. trafilatura does the extraction, with a few
general repairs around it. The text returned is always plain text (never HTML):
paragraphs separated by a blank line, whitespace inside a paragraph collapsed.
A page's bytes are decoded by `encoding.decode_html` first; pasted plain text takes the
other path, `plain_text.extract_text`, to the same `ExtractedArticle`.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from itertools import takewhile
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html
from trafilatura.xpaths import BODY_XPATH

from articles.ingest.language import page_language
from articles.ingest.text import (
    SENTENCE_END,
    WORD,
    collapse,
    count_words,
    join_paragraphs,
    title_from_sentence,
)

logger = logging.getLogger(__name__)

__all__ = ["ExtractedArticle", "ExtractionError", "extract_html"]

# Below this many words of prose a page is a login wall, an index or an error page,
# not an article; the readers of this app never want to keep such a page.
MIN_ARTICLE_WORDS = 25
# When the precise pass finds fewer words of prose than this, a looser pass is tried
# too, and wins if it finds SCRAP_RATIO times as many.
SCRAP_WORDS = 100
SCRAP_RATIO = 4
# A paywalled page (see _is_paywalled) with fewer words of article than this shows only
# a teaser; past it, the site served the whole article (as many do to their metered
# readers and to search engines).
TEASER_WORDS = 200
# What the precise pass dropped and _restore_prose puts back: prose of this many words
# inside the article, and next to it.
INNER_PROSE_WORDS = 6
EDGE_PROSE_WORDS = 40
# A heading over a list of links is a line this short ("More from the newsroom").
LINK_LIST_HEADING_WORDS = 8


class ExtractionError(Exception):
    """No article could be extracted; str() is a sentence fit to show to a user."""


@dataclasses.dataclass(frozen=True)
class ExtractedArticle:
    """An article as both paths return it (pasted text fills only title, text, language)."""

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
    # Only a teaser of the article was on the page (the rest behind a paywall or a login):
    # stored all the same, with a notice that only the first paragraphs were available.
    teaser_only: bool = False


# The precise pass drops more furniture (related links, share bars, sign-up boxes) than
# trafilatura's own balanced result, but on some pages also a paragraph of the article
# (one holding a long link, say): what it drops is put back from the balanced result when
# it is prose inside the article, or a long run of prose next to it (see _restore_prose).
# The recall pass rescues pages whose article both others miss entirely.
# Comments are never article text. `deduplicate` stays off: trafilatura keeps its
# duplicate cache process-wide, so it would drop text that merely appeared on an earlier
# page of the same site.
_PRECISE: dict[str, bool] = {"favor_precision": True}
_BALANCED: dict[str, bool] = {}
_RECALL: dict[str, bool] = {"favor_recall": True}
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
    _drop_closing_link_lists(tree)
    paragraphs = _best_paragraphs(tree, url=base_url)
    # A paywall's prompt after a teaser is the page talking to the reader, not the article.
    while (
        paragraphs and count_words(paragraphs[-1]) < 30 and _PAYWALL_PROMPT.search(paragraphs[-1])
    ):
        paragraphs.pop()
    if _prose_words(paragraphs) < MIN_ARTICLE_WORDS:
        raise ExtractionError(
            "No article text was found on that page (it may be a login wall or an index page)."
        )

    site_name = collapse(_get(metadata, "sitename"))
    title = _strip_site_name(collapse(_get(metadata, "title")), site_name)
    # The headline often comes out with the body too; it belongs in the title only. The
    # page's first <h1> is its headline even where the <title> words it otherwise.
    headlines = [headline for headline in (title, _first_h1(tree)) if headline]
    paragraphs = [p for p in paragraphs if not any(_same_text(p, h) for h in headlines)]
    text = join_paragraphs(paragraphs)
    if not title:
        title = title_from_sentence(text)

    return ExtractedArticle(
        title=title,
        text=text,
        byline=_clean_byline(_get(metadata, "author"), html=html),
        published_at=_published_at(tree, _get(metadata, "date")),
        site_name=site_name,
        image_url=_absolute_http_url(_get(metadata, "image"), base_url),
        language=page_language(text, declared=_declared_language(tree)),
        canonical_url=canonical_url,
        teaser_only=count_words(text) < TEASER_WORDS and _is_paywalled(tree),
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
    """The article as paragraphs: the precise pass repaired from the balanced one, or a
    looser pass where the precise one kept only a scrap of the article."""
    precise = _extract_paragraphs(tree, url=url, options=_PRECISE)
    balanced = _extract_paragraphs(tree, url=url, options=_BALANCED)
    best, best_words = precise, _prose_words(precise)
    candidates = (lambda: balanced, lambda: _extract_paragraphs(tree, url=url, options=_RECALL))
    for candidate in candidates:
        if best_words >= SCRAP_WORDS:
            break
        paragraphs = candidate()
        words = _prose_words(paragraphs)
        # A looser pass replaces the precise one only when that kept a scrap (a reprint
        # notice, a caption) of a much longer text: its extra words are otherwise mostly
        # furniture.
        if words >= SCRAP_RATIO * max(best_words, 1) or (
            best_words < MIN_ARTICLE_WORDS and words > best_words
        ):
            best, best_words = paragraphs, words
    return _restore_prose(precise, balanced) if best is precise else best


def _restore_prose(precise: list[str], balanced: list[str]) -> list[str]:
    """The precise pass's paragraphs, plus what it dropped of trafilatura's balanced
    result that reads as article text.

    A paragraph the precise pass cut words out of is taken whole. Between its first and
    last paragraph, a dropped paragraph of prose
    (a sentence of INNER_PROSE_WORDS words or more) is the article's own: furniture
    inside an article is a short call to action or a headline without a full stop.
    Before and after it, only a run of paragraphs of EDGE_PROSE_WORDS words or more is
    put back: a page's short sign-up notes and teaser lines stay out, a first or last
    paragraph of the article comes back.
    """
    if not precise:
        return precise
    # Aligned paragraph by paragraph: where the passes split a text differently, the
    # precise pass's version stands; only what the balanced pass alone has is weighed.
    steps = SequenceMatcher(a=precise, b=balanced, autojunk=False).get_opcodes()
    restored: list[str] = []
    for number, (step, start, end, other_start, other_end) in enumerate(steps):
        if step == "replace" and end - start == other_end - other_start:
            restored += map(_fuller, precise[start:end], balanced[other_start:other_end])
            continue
        if step != "insert":
            restored += precise[start:end]
            continue
        dropped = balanced[other_start:other_end]
        if number == 0:
            lead = takewhile(lambda p: _ends_as_sentence(p, EDGE_PROSE_WORDS), reversed(dropped))
            restored += reversed(list(lead))
        elif number == len(steps) - 1:
            restored += takewhile(lambda p: _ends_as_sentence(p, EDGE_PROSE_WORDS), dropped)
        else:
            restored += (p for p in dropped if _ends_as_sentence(p, INNER_PROSE_WORDS))
    return restored


def _fuller(precise: str, balanced: str) -> str:
    """The balanced pass's version of a paragraph when it is the precise one with words
    put back (the precise pass deletes a link inside a sentence, leaving a hole)."""
    words = iter(WORD.findall(balanced))
    if len(WORD.findall(balanced)) > len(WORD.findall(precise)) and all(
        word in words for word in WORD.findall(precise)
    ):
        return balanced
    return precise


def _ends_as_sentence(paragraph: str, min_words: int) -> bool:
    return count_words(paragraph) >= min_words and bool(SENTENCE_END.search(paragraph))


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
        paragraph = collapse("".join(pieces))
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

    Stricter than the plain-text path's test for prose: a long run of unpunctuated words
    is what a page's menus and headline lists become when an extractor falls back to the
    whole <body>.
    """
    return sum(
        count_words(paragraph) for paragraph in paragraphs if _ends_as_sentence(paragraph, 6)
    )


def _same_text(first: str, second: str) -> bool:
    return WORD.findall(first.casefold()) == WORD.findall(second.casefold())


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


def _drop_closing_link_lists(tree: HtmlElement) -> None:
    """Remove the list of links to other stories that closes an article.

    Such a list ("More stories", "Read next") sits in the article's own container, after
    its last paragraph, under a short heading; trafilatura reads it as the article's last
    paragraphs. A list the article itself ends with is introduced by a sentence ("Where
    to give:") instead, or holds items without a link, and stays.
    """
    for element in tree.xpath("//ul | //ol"):
        items = element.findall("li")
        if len(items) < 2 or not all(item.xpath(".//a[@href]") for item in items):
            continue
        if collapse(element.tail or "") or any(map(_has_text, element.itersiblings())):
            continue
        # The heading is the nearest element before the list with text (past a rule or an
        # empty ad slot); it must come after some of the article's paragraphs.
        heading = next(filter(_has_text, element.itersiblings(preceding=True)), None)
        if heading is None:
            continue
        heading_text = collapse(heading.text_content())
        if (
            count_words(heading_text) > LINK_LIST_HEADING_WORDS
            or SENTENCE_END.search(heading_text)
            or not any(sibling.tag == "p" for sibling in heading.itersiblings(preceding=True))
        ):
            continue
        element.drop_tree()
        heading.drop_tree()


def _has_text(element: HtmlElement) -> bool:
    """Whether a reader sees text in the element (a script's code is none)."""
    return (
        isinstance(element.tag, str)
        and element.tag not in ("script", "style", "template")
        and bool(collapse(element.text_content()))
    )


def _first_h1(tree: HtmlElement) -> str:
    heading = next(tree.iter("h1"), None)
    return collapse(heading.text_content()) if heading is not None else ""


def _is_teaser(element: HtmlElement) -> bool:
    return bool(element.xpath(".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href]"))


# What a page says to a reader it will not show the article to.
_PAYWALL_PROMPT = re.compile(
    r"\b(?:subscribe|sign in|log in|register) (?:now )?to (?:continue|keep reading|read)"
    r"|\bto continue reading\b|\bto read the (?:full|rest|whole)\b|\balready a subscriber\b"
    r"|\b(?:available|reserved|exclusive) (?:only )?(?:to|for) (?:paying )?"
    r"(?:subscribers|members)\b",
    re.IGNORECASE,
)
_PAYWALL_XPATH = (
    "//meta[@property='article:content_tier' or @name='article:content_tier']"
    "[translate(@content, 'LOCKED', 'locked')='locked']"
)


def _is_paywalled(tree: HtmlElement) -> bool:
    """Whether the page keeps its article from the reader: schema.org's paywall markup
    (isAccessibleForFree false), a locked content tier, or a subscribe-to-read prompt."""
    if tree.xpath(_PAYWALL_XPATH) or any(
        str(value).strip().lower() == "false"
        for value in _json_ld_values(tree, "isAccessibleForFree")
    ):
        return True
    body = tree.find("body")
    return body is not None and bool(_PAYWALL_PROMPT.search(collapse(body.text_content())))


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


def _clean_byline(author: str, *, html: str) -> str:
    """trafilatura's authors as a comma list, each name spelt as the page spells it."""
    names = [
        _source_spelling(re.sub(r"^(?:by|von|par|por|di|door)\s+", "", name, flags=re.I), html)
        for name in collapse(author).split(";")
    ]
    # trafilatura joins several authors with "; ", a reader expects a comma list.
    return ", ".join(name for name in names if name)


def _source_spelling(name: str, html: str) -> str:
    """``name`` as the page writes it: trafilatura title-cases some names ("Ap Auto
    Writer", "Van Der Berg"), and pages disagree with themselves (a byline in capitals,
    the JSON-LD author in mixed case). Of the page's spellings the mixed-case one with
    the most capitals wins ("AP Auto Writer" over "Ap Auto Writer" and "AP AUTO WRITER").
    """
    name = name.strip()
    words = name.split()
    if not words:
        return ""
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
    spellings = {collapse(match.group()) for match in re.finditer(pattern, html, re.IGNORECASE)}
    if not spellings:
        return name
    return max(
        spellings, key=lambda spelling: (not spelling.isupper(), sum(map(str.isupper, spelling)))
    )


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
    dates = (value for value in _json_ld_values(tree, "datePublished") if isinstance(value, str))
    for value in (*dates, *tree.xpath(_DATE_META_XPATH)):
        timestamp = _parse_timestamp(str(value))
        # Trust the precise value only when it agrees with htmldate's day, which has
        # already weighed all the page's dates against each other.
        if timestamp is not None and (day is None or abs(timestamp - day).days <= 1):
            return timestamp
    return day


def _json_ld_values(tree: HtmlElement, key: str) -> Iterator[object]:
    """Every value of `key` in the page's JSON-LD blocks, at any depth."""
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
                if key in item:
                    yield item[key]
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
    return stripped if count_words(stripped) >= 2 else title


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
