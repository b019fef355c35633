"""Views: parse the request, call a selector or a service, render. Nothing else."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.middleware import HtmxDetails

from articles import selectors, services
from articles.forms import (
    CurationForm,
    FollowForm,
    IgnoreForm,
    MarkAllReadForm,
    MergeForm,
    PasteForm,
    ReaderPreferenceForm,
    ReadingForm,
    RenameForm,
    RestoreForm,
    SetTypeForm,
    SplitAliasForm,
    UndoMarkReadForm,
    row_id_or_none,
)
from articles.ingest.urls import InvalidURL
from articles.models import ENTITY_TYPE_CHOICES, Article, Entity
from articles.nlp.mentions import EntityType
from articles.pagination import Cursor
from articles.search_query import QUERY_LENGTH_MAX
from articles.selectors import ReadingView, SearchFilters

logger = logging.getLogger(__name__)


# How often an unfinished article's page reloads itself in a browser without JavaScript.
NO_SCRIPT_REFRESH_SECONDS = 3
# The paste rate limit counts pastes in windows of this many seconds.
RATE_LIMIT_WINDOW_SECONDS = 60


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _filters(**params: str) -> dict[str, str]:
    """The checked query parameters a page's links keep (pagination), the empty ones left out."""
    return {name: value for name, value in params.items() if value}


def _cursors(request: HttpRequest, *, dated: bool = True) -> dict[str, Cursor | None]:
    """The keyset page asked for: ``after`` (the next page) or ``before`` (the previous)."""
    return {name: Cursor.parse(request.GET.get(name), dated=dated) for name in ("after", "before")}


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "articles/home.html", _home_context(request, form=PasteForm()))


def _home_context(request: HttpRequest, *, form: PasteForm) -> dict[str, Any]:
    source = request.GET.get("source", "")
    oldest_first = request.GET.get("order") == "oldest"
    default_view = selectors.reading_view_default(user=request.user)
    view = request.GET.get("view", "")
    if not request.user.is_authenticated or view not in ReadingView.values:
        view = default_view
    view = ReadingView(view)
    entity = _entity_filter(request)
    scope = selectors.reading_scope_find(user=request.user, params=request.GET)
    articles = selectors.articles_for_reader(
        user=request.user, view=view, site_name=source, entity=entity, scope=scope
    )
    page = selectors.article_list(
        articles=articles, user=request.user, oldest_first=oldest_first, **_cursors(request)
    )
    context = {
        "page": page,
        "oldest_first": oldest_first,
        "form": form,
        "source": source,
        "view": view,
        "entity": entity,
        "scope": scope,
        "shown_at": timezone.now(),
        "filters": _filters(
            view=view if view != default_view else "",
            source=source,
            entity=str(entity.pk) if entity else "",
            order="oldest" if oldest_first else "",
            **({scope.name: scope.value} if scope else {}),
        ),
        "pending": selectors.articles_pending(user=request.user),
    }
    if request.user.is_authenticated:
        context["views"] = ReadingView.choices
        context["unread_count"] = selectors.unread_count(user=request.user)
        context["undo"] = request.session.pop(UNDO_SESSION_KEY, None)
        if view == ReadingView.FOLLOWING:
            context["follows"] = selectors.follow_list(user=request.user)
    return context


def _entity_filter(request: HttpRequest) -> Entity | None:
    entity_id = row_id_or_none(request.GET.get("entity", ""))
    return None if entity_id is None else selectors.entity_find(entity_id=entity_id)


def _rate_limited(request: HttpRequest) -> bool:
    """At most NEWSREADER_INGEST_RATE_PER_MINUTE pastes per user per minute.

    Fails open: with the cache (Redis) down, a paste is still accepted and queued later.
    """
    key = f"ingest-rate:{request.user.pk}"
    try:
        cache.add(key, 0, timeout=RATE_LIMIT_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=RATE_LIMIT_WINDOW_SECONDS)
            count = 1
    except Exception:  # any cache backend failure
        logger.warning("Ingest rate limit skipped: the cache is unavailable", exc_info=True)
        return False
    return count > settings.NEWSREADER_INGEST_RATE_PER_MINUTE


@require_POST
@login_required
def article_paste(request: HtmxHttpRequest) -> HttpResponse:
    form = PasteForm(request.POST)
    article, created, error = None, False, ""
    if not form.is_valid():
        error = " ".join(form.errors.get("url", ["Paste a web address."]))
    elif _rate_limited(request):
        return _rate_limited_response(request, form)
    else:
        try:
            article, created = services.article_ingest_url(
                url=form.cleaned_data["url"], user=request.user
            )
        except InvalidURL as exc:
            error = str(exc)
    if request.htmx:
        context = {"article": article, "existing": not created, "error": error}
        status = 422 if error else 200
        return render(request, "articles/home.html#paste-response", context, status=status)
    if article is None:
        messages.error(request, error)
        return redirect("articles:home")
    return redirect(article)


def _rate_limited_response(request: HtmxHttpRequest, form: PasteForm) -> HttpResponse:
    """429 with Retry-After: the paste box shows why, the link stays in it to send again."""
    error = "You have pasted many links in the last minute. Wait a moment and try again."
    if request.htmx:
        context = {"article": None, "error": error}
        response = render(request, "articles/home.html#paste-response", context, status=429)
    else:
        form.add_error("url", error)
        context = {**_home_context(request, form=form), "error": error}
        response = render(request, "articles/home.html", context, status=429)
    response["Retry-After"] = str(RATE_LIMIT_WINDOW_SECONDS)
    return response


def _visible(request: HttpRequest, article: Article) -> bool:
    """Finished articles are for every reader; unfinished and failed ones (their URL,
    their error) only for logged-in users."""
    return article.status == Article.Status.DONE or request.user.is_authenticated


@require_safe
def article_card(request: HtmxHttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    if not _visible(request, article):
        raise Http404("No such article.")
    return render(request, "partials/article_card.html", {"article": article})


@require_safe
@csp_override({"default-src": [CSP.NONE]})
def article_image(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article's lead image, through the app (services.article_image_fetch): by
    article id, never by a URL parameter, so this is no open proxy."""
    article = get_object_or_404(Article, pk=article_id)
    if not _visible(request, article):
        raise Http404("No such article.")
    try:
        image = services.article_image_fetch(article=article)
    except services.ImageUnavailable as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(image.body, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={services.IMAGE_CACHE_SECONDS}"
    return response


@require_POST
@login_required
def article_retry(request: HtmxHttpRequest, article_id: int) -> HttpResponse:
    article = _own_article(request, article_id)
    services.article_retry(article=article)
    if request.htmx:
        return render(request, "partials/article_card.html", {"article": article})
    return redirect(article)


def _own_article(request: HttpRequest, article_id: int) -> Article:
    """The article, if the user added it (staff: any article); 403 for someone else's."""
    article = get_object_or_404(Article, pk=article_id)
    if not request.user.is_staff and article.added_by_id != request.user.pk:
        raise PermissionDenied("Only the reader who added an article can change its fetching.")
    return article


@require_POST
@login_required
def article_cancel(request: HtmxHttpRequest, article_id: int) -> HttpResponse:
    article = services.article_cancel(article=_own_article(request, article_id))
    if request.htmx:
        return render(request, "partials/article_card.html", {"article": article})
    return redirect(article)


@require_POST
@login_required
def article_dismiss(request: HtmxHttpRequest, article_id: int) -> HttpResponse:
    """Take a failed article's card away (htmx swaps in nothing) by removing the article."""
    article = _own_article(request, article_id)
    if not services.article_dismiss(article=article):
        messages.error(request, "Only a failed article can be dismissed.")
        return redirect(article)
    if request.htmx:
        return HttpResponse("")
    return redirect("articles:home")


@require_safe
def article_detail(request: HtmxHttpRequest, article_id: int) -> HttpResponse:
    try:
        article, mentions, article_entities = selectors.article_detail(article_id=article_id)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc
    if article.duplicate_of_id:
        return redirect("articles:detail", article.duplicate_of_id)
    if not _visible(request, article):
        raise Http404("No such article.")
    if request.user.is_authenticated and article.status == Article.Status.DONE:
        reading = services.article_set_read(user=request.user, article=article, read=True)
    else:
        reading = None
    by_type: dict[str, list] = {}
    for article_entity in article_entities:
        by_type.setdefault(article_entity.entity.type, []).append(article_entity)
    context = {
        "article": article,
        "paragraphs": selectors.article_paragraphs(article=article, mentions=mentions),
        "entities_by_type": [
            (label, value, by_type.get(value, [])) for value, label in ENTITY_TYPE_CHOICES
        ],
        "related": selectors.related_articles(article=article, article_entities=article_entities),
        "reading": reading,
        "versions": selectors.article_versions(article=article),
    }
    if article.status != Article.Status.DONE:
        # Its card says how far it has got, or why it failed, with a Retry button.
        context["card_article"] = article
        context["refresh_seconds"] = NO_SCRIPT_REFRESH_SECONDS
    return render(request, "articles/article_detail.html", context)


@require_safe
def entity_list(request: HtmxHttpRequest) -> HttpResponse:
    entity_type = request.GET.get("type", "").upper()
    if entity_type not in EntityType:
        entity_type = ""
    page = selectors.entity_list(entity_type=entity_type, **_cursors(request, dated=False))
    context = {
        "page": page,
        "entity_type": entity_type,
        "entity_types": ENTITY_TYPE_CHOICES,
        "filters": _filters(type=entity_type.lower()),
    }
    return render(request, "entities/entity_list.html", context)


def _month(value: str) -> datetime.date | None:
    """The first day of a "YYYY-MM" month parameter; None for anything else (no filter)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    # The coverage query runs to the next month's start: December of MAXYEAR has none.
    if not (datetime.MINYEAR <= year < datetime.MAXYEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


@require_safe
def entity_detail(request: HtmxHttpRequest, entity_type: str, slug: str) -> HttpResponse:
    if entity_type.upper() not in EntityType:
        raise Http404("No such kind of name.")
    try:
        entity = selectors.entity_get(entity_type=entity_type, slug=slug)
        if entity.ignored and not request.user.is_staff:
            raise Http404("No such entity.")  # curated out: only staff, to restore it
    except Entity.DoesNotExist as exc:
        moved = selectors.entity_moved(entity_type=entity_type, slug=slug)
        if moved is None:
            raise Http404("No such entity.") from exc
        return redirect(moved)
    month = _month(request.GET.get("month", ""))
    page, coverage = selectors.entity_coverage(entity=entity, month=month, **_cursors(request))
    context = {
        "entity": entity,
        "other_names": selectors.entity_other_names(entity=entity),
        "page": page,
        "coverage": coverage,
        "month": month,
        "cooccurring": selectors.entity_cooccurring(entity=entity),
        "timeline": selectors.entity_timeline(entity=entity),
        "story_count": selectors.entity_story_count(entity=entity),
        "filters": _filters(month=f"{month:%Y-%m}" if month else ""),
        "following": selectors.follow_exists(user=request.user, entity=entity),
    }
    if request.user.is_staff:
        context["curation_forms"] = _curation_forms(entity)
    return render(request, "entities/entity_detail.html", context)


def staff_required(view):
    """Staff only: anonymous users go to the login page, other users get 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Only staff can correct entities.")
        return view(request, *args, **kwargs)

    return wrapped


class Curation(NamedTuple):
    form: type[CurationForm]
    # Applies the cleaned form through a service; returns the entity whose page to show.
    apply: Callable[[Entity, dict[str, Any], Any], Entity]


def _split(entity: Entity, data: dict[str, Any], user: Any) -> Entity:
    services.entity_split_alias(entity=entity, alias=data["alias"], user=user)
    return entity  # the curator goes on cleaning up this entity, not the split-off one


CURATIONS: dict[str, Curation] = {
    "rename": Curation(
        RenameForm,
        lambda entity, data, user: services.entity_rename(
            entity=entity, name=data["name"], user=user
        ),
    ),
    "type": Curation(
        SetTypeForm,
        lambda entity, data, user: services.entity_set_type(
            entity=entity, entity_type=data["type"], user=user
        ),
    ),
    "merge": Curation(
        MergeForm,
        lambda entity, data, user: services.entities_merge(
            source=entity, target=data["target"], user=user
        ),
    ),
    "split": Curation(SplitAliasForm, _split),
    "ignore": Curation(
        IgnoreForm,
        lambda entity, data, user: services.entity_set_ignored(
            entity=entity, ignored=True, user=user
        ),
    ),
    "restore": Curation(
        RestoreForm,
        lambda entity, data, user: services.entity_set_ignored(
            entity=entity, ignored=False, user=user
        ),
    ),
}


def _curation_forms(entity: Entity) -> list[tuple[str, CurationForm]]:
    """The corrections the entity page offers, in page order, with ids unique on the page."""
    actions = ["rename", "type", "merge", "split", "restore" if entity.ignored else "ignore"]
    offered = []
    for action in actions:
        form = CURATIONS[action].form(entity=entity, auto_id=f"{action}-%s")
        if isinstance(form, SplitAliasForm) and not form.fields["alias"].queryset.exists():
            continue  # no alias but the entity's own name: nothing to split off
        offered.append((action, form))
    return offered


@require_POST
@staff_required
def entity_curate(request: HtmxHttpRequest, entity_id: int, action: str) -> HttpResponse:
    """Staff corrections: the action names a form that checks the request and a service."""
    curation = CURATIONS.get(action)
    if curation is None:
        raise Http404("No such correction.")
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is None:  # merges are the only way an entity goes: another curator's, meanwhile
        messages.error(request, "That entity has already been merged into another.")
        return redirect("articles:entities")
    form = curation.form(request.POST, entity=entity)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(entity)
    try:
        shown = curation.apply(entity, form.cleaned_data, request.user)
    except services.CurationError as exc:
        messages.error(request, str(exc))
        return redirect(entity)
    messages.success(request, "Saved. The correction applies to every article.")
    return redirect(shown)


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """Log out on POST (Django's rule); a GET, from a typed or old link, asks first."""
    if request.method == "POST":
        return LogoutView.as_view()(request)
    return render(request, "registration/logout_confirm.html")


# At most this many entity filters at once: each is one more EXISTS in the search.
SEARCH_ENTITY_FILTERS_MAX = 3


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_LENGTH_MAX]
    filters = SearchFilters(
        since=_date_param(request, "from"),
        until=_date_param(request, "to"),
        source=request.GET.get("source", "").strip()[:200],
        entity_ids=_entity_ids_param(request),
    )
    sort = request.GET.get("sort", "")
    if sort not in selectors.SEARCH_SORTS:
        sort = selectors.SEARCH_SORTS[0]
    context = {
        "query": query,
        "search_filters": filters,
        "sort": sort,
        "results": None,
        "names": [],
        # The checked parameters the pagination links keep.
        "filters": {
            **_filters(
                q=query,
                sort="" if sort == selectors.SEARCH_SORTS[0] else sort,
                source=filters.source,
                **{"from": _iso(filters.since), "to": _iso(filters.until)},
            ),
            "entity": list(filters.entity_ids),
        },
    }
    if query:
        context["results"] = selectors.article_search(
            query=query, filters=filters, sort=sort, page=request.GET.get("page", 1)
        )
        if not filters.entity_ids:
            context["names"] = selectors.entity_search(query=query)
    # Each chosen entity with the address of the same search without it.
    context["entity_filters"] = [
        (entity, _search_url(request, entity=[i for i in filters.entity_ids if i != entity.pk]))
        for entity in selectors.entities_by_id(entity_ids=filters.entity_ids)
    ]
    return render(request, "articles/search.html", context)


# Reading state: every write is a form POST that redirects back without JavaScript; with
# htmx the view answers with the piece of page that changed.

UNDO_SESSION_KEY = "reading-undo"


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the page the form was on (its ``next`` field), if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@require_POST
@login_required
def article_reading(request: HtmxHttpRequest, article_id: int) -> HttpResponse:
    """Read or unread, save or unsave, hide or unhide one article."""
    article = get_object_or_404(Article, pk=article_id)
    form = ReadingForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown reading action.")
    state, value = ReadingForm.ACTIONS[form.cleaned_data["action"]]
    change = {
        "read": services.article_set_read,
        "saved": services.article_set_saved,
        "hidden": services.article_set_hidden,
    }[state]
    reading = change(user=request.user, article=article, **{state: value})
    if request.htmx:
        context = {"article": article, "reading": reading, "next": request.POST.get("next", "")}
        return render(request, "partials/reading_actions.html", context)
    return _back(request, article.get_absolute_url())


@require_POST
@login_required
def entity_follow(request: HtmxHttpRequest, entity_id: int) -> HttpResponse:
    entity = get_object_or_404(Entity, pk=entity_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Follow or unfollow.")
    following = form.cleaned_data["follow"]
    if following:
        services.entity_follow(user=request.user, entity=entity)
    else:
        services.entity_unfollow(user=request.user, entity=entity)
    if request.htmx:
        context = {"entity": entity, "following": following}
        return render(request, "partials/follow_button.html", context)
    return redirect(entity)


@require_POST
@login_required
def reader_preferences(request: HttpRequest) -> HttpResponse:
    """Save the reader's theme and highlighting, sent by preferences.js on each change."""
    form = ReaderPreferenceForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Those display preferences are not ones this site has.")
    services.reader_preference_set(user=request.user, **form.cleaned_data)
    return HttpResponse(status=204)


@require_POST
@login_required
def articles_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark every article of a list read, as the list was when it was shown; the next
    page offers to undo it."""
    form = MarkAllReadForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("That list cannot be marked read.")
    data = form.cleaned_data
    entity = selectors.entity_find(entity_id=data["entity"]) if data["entity"] else None
    scope = selectors.reading_scope_find(user=request.user, params=request.POST)
    articles = selectors.articles_for_reader(
        user=request.user,
        view=ReadingView(data["view"]),
        site_name=data["source"],
        entity=entity,
        scope=scope,
        added_until=data["shown_at"],
    )
    marked = services.articles_mark_read(user=request.user, articles=articles)
    if marked.count:
        request.session[UNDO_SESSION_KEY] = {"token": str(marked.token), "count": marked.count}
    filters = _filters(
        view=data["view"],
        source=data["source"],
        entity=str(entity.pk) if entity else "",
        **({scope.name: scope.value} if scope else {}),
    )
    return redirect(f"{reverse('articles:home')}?{urlencode(filters)}")


@require_POST
@login_required
def articles_unmark_read(request: HttpRequest) -> HttpResponse:
    form = UndoMarkReadForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Nothing to undo.")
    services.articles_unmark_read(user=request.user, token=form.cleaned_data["token"])
    messages.success(request, "Undone: those articles are unread again.")
    return _back(request, reverse("articles:home"))


def _date_param(request: HttpRequest, name: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def _iso(date: datetime.date | None) -> str:
    return date.isoformat() if date else ""


def _entity_ids_param(request: HttpRequest) -> tuple[int, ...]:
    ids = [value for value in request.GET.getlist("entity") if value.isascii() and value.isdigit()]
    return tuple(dict.fromkeys(int(value) for value in ids))[:SEARCH_ENTITY_FILTERS_MAX]


def _search_url(request: HttpRequest, **changes: list) -> str:
    """The search page's address with these parameters replaced, from the first page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, values in changes.items():
        params.setlist(name, [str(value) for value in values])
    return f"{reverse('articles:search')}?{params.urlencode()}"
