"""Views of the Feeds page: parse the request, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from feeds import selectors, services
from feeds.discovery import FeedChoice
from feeds.forms import MoveForm, OpmlImportForm, RenameForm, SubscribeForm
from feeds.models import Subscription


@require_safe
@login_required
def feed_list(request: HttpRequest) -> HttpResponse:
    return _page(request, SubscribeForm())


def _page(
    request: HttpRequest,
    form: SubscribeForm,
    *,
    choices: list[FeedChoice] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "choices": choices or [],
        "subscriptions": selectors.subscription_list_unread(user=request.user),
        "folders": selectors.folder_list(user=request.user),
        "import_form": OpmlImportForm(),
    }
    return render(request, "feeds/feeds.html", context, status=status)


@require_safe
@login_required
def sidebar(request: HttpRequest) -> HttpResponse:
    """The reader's folders and feeds with unread counts: a piece the home page loads."""
    groups = selectors.subscriptions_by_folder_unread(user=request.user)
    return render(request, "feeds/sidebar.html", {"groups": groups})


@require_POST
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe to a feed URL, or to the one feed a site names; of several, the user picks."""
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    url = form.cleaned_data["url"]
    try:
        if not form.cleaned_data["chosen"]:
            choices = services.feeds_discover(url=url)
            if len(choices) > 1:
                return _page(request, form, choices=choices)
            url = choices[0].url
        subscription, created = services.subscription_create(user=request.user, url=url)
    except services.FeedError as exc:
        form.add_error("url", str(exc))
        return _page(request, form, status=422)
    if created:
        services.feed_queue_poll(feed=subscription.feed)
        messages.success(request, f"Subscribed to {subscription.display_title}.")
    else:
        messages.info(request, f"You already follow {subscription.display_title}.")
    return redirect("feeds:list")


def _own_subscription(request: HttpRequest, subscription_id: int) -> Subscription:
    try:
        return selectors.subscription_get(user=request.user, subscription_id=subscription_id)
    except Subscription.DoesNotExist as exc:
        raise Http404("No such subscription.") from exc


@require_POST
@login_required
def subscription_rename(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _own_subscription(request, subscription_id)
    form = RenameForm(request.POST)
    if form.is_valid():
        services.subscription_rename(subscription=subscription, title=form.cleaned_data["title"])
    else:
        messages.error(request, "A name is at most 500 characters.")
    return redirect("feeds:list")


@require_POST
@login_required
def subscription_move(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _own_subscription(request, subscription_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.subscription_move(
            subscription=subscription, folder_name=form.cleaned_data["folder"]
        )
    else:
        messages.error(request, "A folder name is at most 200 characters.")
    return redirect("feeds:list")


@require_POST
@login_required
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _own_subscription(request, subscription_id)
    title = subscription.display_title
    services.subscription_delete(subscription=subscription)
    messages.success(request, f"Unsubscribed from {title}.")
    return redirect("feeds:list")


@require_POST
@login_required
def opml_import(request: HttpRequest) -> HttpResponse:
    form = OpmlImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", ["Choose an OPML file."])))
        return redirect("feeds:list")
    result = services.subscriptions_import_opml(
        user=request.user, data=form.cleaned_data["file"].read()
    )
    messages.success(
        request,
        f"{result.added} feeds added, {result.existing} already followed, "
        f"{len(result.failures)} skipped.",
    )
    for source, reason in result.failures[:20]:
        messages.warning(request, f"{source}: {reason}")
    return redirect("feeds:list")


@require_safe
@login_required
def opml_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        selectors.subscriptions_opml(user=request.user), content_type="text/x-opml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="newsreader-subscriptions.opml"'
    return response
