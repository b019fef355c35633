"""Articles in: a pasted URL or a document accepted, then fetched, extracted and analysed.

``articles_process`` is the one processing path: the Celery task calls it for one article,
``ingest --sync`` for a batch. It claims each article (so a worker and an in-process run
never work on one article at once), fetches and extracts the page unless the text is
already stored, and analyses what is left in one ``nlp.pipe`` stream.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.ingest.encoding import decode_html
from articles.ingest.extract import ExtractedArticle, ExtractionError, extract_html
from articles.ingest.fetch import FetchError, fetch, refuse_private_host
from articles.ingest.language import detect_language
from articles.ingest.plain_text import extract_text
from articles.ingest.text import strip_bidi_controls, unstorable_reason
from articles.ingest.urls import InvalidURL, canonicalize_url
from articles.models import Article, Mention
from articles.services.analysis import articles_aggregate, articles_analyse
from articles.services.lifecycle import (
    article_claim,
    article_fail,
    article_queue,
    article_set_status,
)


def article_ingest_url(
    *, url: str, user: AbstractBaseUser | None = None, queue: bool = True
) -> tuple[Article, bool]:
    """Accept a pasted URL: the existing article for it, or a new one queued for fetching.

    Raises ``InvalidURL`` with a readable message for input that is not a web address.
    With ``queue=False`` the caller processes the new article itself.
    """
    canonical = canonicalize_url(url)
    if not settings.NEWSREADER_ALLOW_PRIVATE_URLS:
        try:
            refuse_private_host(canonical)
        except FetchError as exc:
            raise InvalidURL(exc.message) from exc
    # get_or_create finds the article already stored under this URL, and catches the
    # unique-constraint race: one article however many pastes.
    article, created = Article.objects.get_or_create(
        url=canonical, defaults={"original_url": url.strip()[:2048], "added_by": user}
    )
    if created and queue:
        article_queue(article=article)
    return article, created


def article_ingest_document(
    *,
    url: str,
    text: str = "",
    html: str = "",
    page_text: str = "",
    title: str = "",
    published_at: datetime.datetime | None = None,
    site_name: str = "",
    byline: str = "",
    user: AbstractBaseUser | None = None,
) -> tuple[Article, bool]:
    """Store an article whose content the caller already has (a file, an import line).

    A given ``text`` is kept verbatim apart from line endings and bidi controls, so
    offsets computed on the caller's copy line up with the stored one. ``html`` is
    extracted like a fetched page, ``page_text`` (a page's text as a reader copied it,
    clutter and all) like a paste.
    The new article is ``queued`` with its text in place: the caller queues it or
    analyses it in-process; no fetch happens. Raises ``ExtractionError`` (a sentence for
    the user) for content that cannot be stored.
    """
    canonical = url if url.startswith("file:") else canonicalize_url(url)
    if html:
        extracted = extract_html(html, url=canonical)
    elif page_text:
        extracted = extract_text(page_text)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        extracted = ExtractedArticle(title="", text=text, language=detect_language(text))
    given = {"title": title, "published_at": published_at, "site_name": site_name, "byline": byline}
    extracted = dataclasses.replace(extracted, **{name: v for name, v in given.items() if v})
    defaults = {**_article_fields(extracted), "original_url": url[:2048], "added_by": user}
    return Article.objects.get_or_create(url=canonical, defaults=defaults)


# The words a refused value is named by, in the reason the user reads.
_STORED_TEXT_FIELDS = {
    "title": "title",
    "text": "text",
    "byline": "byline",
    "site_name": "site name",
}


def _article_fields(extracted: ExtractedArticle) -> dict:
    """An extracted page as Article field values, cut to the columns' lengths.

    Every path in (a fetched page, a file, an import line) comes through here, so the
    limit on a text's length and the refusal of what PostgreSQL cannot store hold for
    all; ``ExtractionError`` says which value and why.
    """
    values = {}
    for name, label in _STORED_TEXT_FIELDS.items():
        value = strip_bidi_controls(getattr(extracted, name))
        reason = unstorable_reason(value)
        if reason:
            raise ExtractionError(f"The {label} {reason}.")
        values[name] = value
    text, limit = values["text"], settings.NEWSREADER_MAX_TEXT_CHARS
    if len(text) > limit:
        raise ExtractionError(
            f"The text is {len(text):,} characters long; newsreader keeps articles of up "
            f"to {limit:,} characters."
        )
    return {
        "title": values["title"][:500],
        "text": text,
        "word_count": len(text.split()),
        "byline": values["byline"][:300],
        "site_name": values["site_name"][:200],
        "image_url": extracted.image_url[:2048],
        "published_at": extracted.published_at,
        "language": extracted.language,
        "teaser_only": extracted.teaser_only,
        "fetched_at": timezone.now(),
    }


@dataclasses.dataclass
class ProcessResult:
    """What ``articles_process`` did with each article id it was given."""

    done: list[int] = dataclasses.field(default_factory=list)
    # Recorded as failed, with the reason shown to the reader.
    failed: dict[int, str] = dataclasses.field(default_factory=dict)
    # Transient fetch failures left claimed, for the caller to try again later.
    retry: dict[int, FetchError] = dataclasses.field(default_factory=dict)
    # Held by another task, already finished, or gone.
    skipped: list[int] = dataclasses.field(default_factory=list)
    # Fetched and left claimed (``analysing``) for the caller to analyse (``analyse=False``).
    to_analyse: list[int] = dataclasses.field(default_factory=list)


def articles_process(
    *,
    article_ids: Sequence[int],
    token: str,
    retry_transient: bool = False,
    analyse: bool = True,
) -> ProcessResult:
    """Claim, fetch and extract, then analyse the articles (then ``done``).

    ``token`` names the caller (a task id, an ``ingest --sync`` run): an article another
    caller holds is skipped. A page that cannot be had is recorded as failed with its
    reason, except a transient fetch error when ``retry_transient`` is set: that article
    is left claimed in ``retry`` for the caller to try again. With ``analyse=False`` the
    fetched articles are left claimed in ``to_analyse``: the caller analyses them later
    under the same token (the fetch and analysis queues).
    """
    result = ProcessResult()
    ready = []
    for article_id in article_ids:
        article = article_claim(article_id=article_id, token=token)
        if article is None:
            result.skipped.append(article_id)
            continue
        try:
            _article_prepare(article=article)
        except FetchError as exc:
            if exc.transient and retry_transient:
                result.retry[article_id] = exc
            else:
                article_fail(article_id=article_id, error=exc.message)
                result.failed[article_id] = exc.message
            continue
        except ExtractionError as exc:
            article_fail(article_id=article_id, error=str(exc))
            result.failed[article_id] = str(exc)
            continue
        if article.duplicate_of_id:
            article_set_status(article=article, status=Article.Status.DONE)
            result.done.append(article_id)
            continue
        article_set_status(article=article, status=Article.Status.ANALYSING)
        ready.append(article)
    if not analyse:
        result.to_analyse.extend(article.pk for article in ready)
        return result
    articles_analyse(articles=ready)
    result.done.extend(article.pk for article in ready)
    return result


def _article_prepare(*, article: Article) -> None:
    """Fetch and extract the article's page, unless its text is already stored.

    A page whose rel=canonical, or final address after redirects, names an article
    already stored is marked its duplicate.
    """
    if article.text:
        return
    article_set_status(article=article, status=Article.Status.FETCHING)
    page = fetch(article.url, allow_private=settings.NEWSREADER_ALLOW_PRIVATE_URLS)
    article_store_html(
        article=article, html=decode_html(page.body, charset=page.charset), page_url=page.url
    )


def article_store_html(
    *,
    article: Article,
    html: str,
    page_url: str,
    title: str = "",
    published_at: datetime.datetime | None = None,
) -> None:
    """Extract HTML into an article already stored: its fetched page, or another copy of
    it (a feed's full content when the page cannot be fetched).

    A given ``title``/``published_at`` wins over what extraction finds. Raises
    ``ExtractionError`` when the HTML holds no article.
    """
    extracted = extract_html(html, url=page_url)
    given = {"title": title, "published_at": published_at}
    extracted = dataclasses.replace(extracted, **{name: v for name, v in given.items() if v})
    _article_store_extracted(article=article, extracted=extracted, page_url=page_url)


def _article_store_extracted(
    *, article: Article, extracted: ExtractedArticle, page_url: str
) -> None:
    fields = _article_fields(extracted)
    fields["title"] = fields["title"] or article.url
    for name, value in fields.items():
        setattr(article, name, value)
    update = [*fields, "updated_at"]
    # The address the page came from after redirects names it as well as a rel=canonical
    # does: a short link and its target are one article.
    canonical = (
        trusted_canonical_url(extracted.canonical_url, page_url=page_url)
        or _canonical_or_none(page_url)
        or article.url
    )
    if canonical != article.url:
        # Another spelling: it is the stored canonical article's duplicate, if there is one.
        article.canonical_url = canonical
        article.duplicate_of = (
            Article.objects.filter(url=canonical, duplicate_of=None).exclude(pk=article.pk).first()
        )
        update += ["canonical_url", "duplicate_of"]
    article.save(update_fields=update)
    if canonical == article.url:
        _articles_absorb(canonical=article)


def _articles_absorb(*, canonical: Article) -> None:
    """Make the stored articles whose page names this one as canonical its duplicates.

    Only the canonical page itself absorbs: a page that merely claims another address
    never takes that address's place, so no page can stand in for another's article.
    """
    others = list(
        Article.objects.filter(canonical_url=canonical.url, duplicate_of=None).exclude(
            pk=canonical.pk
        )
    )
    if not others:
        return
    with transaction.atomic():
        Article.objects.filter(pk__in=[a.pk for a in others]).update(duplicate_of=canonical)
        Mention.objects.filter(article__in=others).delete()
        articles_aggregate(articles=others)


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except InvalidURL:
        return None


def trusted_canonical_url(url: str, *, page_url: str) -> str | None:
    """The page's canonical URL, if it can be trusted to name this article.

    Only on the page's own host (a page must not claim another site's address) and not a
    site's home page (many sites name it as every page's canonical).
    """
    if not url:
        return None
    canonical = _canonical_or_none(url)
    if canonical is None:
        return None
    parts, page = urlsplit(canonical), urlsplit(page_url)
    if parts.hostname != page.hostname or parts.path in {"", "/"}:
        return None
    return canonical
