"""Writes: every change to the library goes through these functions.

Split by concern (``lifecycle``, ``ingest``, ``analysis``, ``copies``, ``stories``, ``curation``,
``reading``, ``images``) and re-exported here, so callers write
``from articles import services`` and ``services.articles_process``. The pure packages
``articles.ingest`` and ``articles.nlp`` do the work that needs no database; ``catalog``
shows the library's entities to the linker.
"""

from __future__ import annotations

from articles.services.analysis import (
    article_store_mentions,
    articles_aggregate,
    articles_analyse,
    articles_delete,
    articles_reanalyse,
)
from articles.services.copies import article_link_copies
from articles.services.curation import (
    CurationError,
    entities_merge,
    entity_rename,
    entity_set_ignored,
    entity_set_type,
    entity_split_alias,
)
from articles.services.images import (
    IMAGE_CACHE_SECONDS,
    ImageUnavailable,
    LeadImage,
    article_image_fetch,
)
from articles.services.ingest import (
    ProcessResult,
    article_ingest_document,
    article_ingest_url,
    article_store_html,
    articles_process,
)
from articles.services.lifecycle import (
    article_cancel,
    article_claim,
    article_dismiss,
    article_fail,
    article_note_retry,
    article_queue,
    article_retry,
    article_set_status,
    articles_requeue_stale,
)
from articles.services.reading import (
    MarkedRead,
    article_set_hidden,
    article_set_read,
    article_set_saved,
    articles_mark_read,
    articles_unmark_read,
    entity_follow,
    entity_unfollow,
    reader_preference_set,
)
from articles.services.stories import article_group_story

__all__ = [
    "IMAGE_CACHE_SECONDS",
    "CurationError",
    "ImageUnavailable",
    "LeadImage",
    "MarkedRead",
    "ProcessResult",
    "article_cancel",
    "article_claim",
    "article_dismiss",
    "article_fail",
    "article_image_fetch",
    "article_ingest_document",
    "article_ingest_url",
    "article_note_retry",
    "article_queue",
    "article_retry",
    "article_set_hidden",
    "article_set_read",
    "article_set_saved",
    "article_set_status",
    "article_store_html",
    "article_store_mentions",
    "article_link_copies",
    "article_group_story",
    "articles_aggregate",
    "articles_analyse",
    "articles_delete",
    "articles_mark_read",
    "articles_process",
    "articles_reanalyse",
    "articles_requeue_stale",
    "articles_unmark_read",
    "entities_merge",
    "entity_follow",
    "entity_rename",
    "entity_set_ignored",
    "entity_set_type",
    "entity_split_alias",
    "entity_unfollow",
    "reader_preference_set",
]
