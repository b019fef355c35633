"""One subscription's card on the Feeds page, built in Python: the page shows every feed
of the reader's, each with three forms and three dates, and as template nodes 60 cards
were 10 ms of rendering (here 2). Every value is escaped, as the template would."""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaultfilters import date, pluralize, timesince_filter
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from articles.models import cached_reverse
from articles.templatetags.counts import count_badge
from feeds.models import Subscription

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_card(context: template.Context, subscription: Subscription, home_url: str) -> SafeString:
    """``subscription`` with its ``unread`` count; ``home_url`` the reading list's address."""
    feed = subscription.feed
    pk = int(subscription.pk)
    csrf = CsrfTokenNode().render(context)  # as {% csrf_token %} writes it
    site = (
        f'<a href="{escape(feed.site_url)}" rel="noopener noreferrer nofollow">'
        f"{escape(feed.site_url)}</a> · "
        if feed.site_url
        else ""
    )
    last_polled_at, next_poll_at = map(template_localtime, (feed.last_polled_at, feed.next_poll_at))
    polled = (
        f'<time datetime="{last_polled_at.isoformat()}">'
        f"{timesince_filter(last_polled_at)} ago</time>"
        if last_polled_at
        else "never"
    )
    next_poll = (
        "running now"
        if feed.claimed_by
        else f'<time datetime="{next_poll_at.isoformat()}">{date(next_poll_at, "j M H:i")}</time>'
    )
    error = (
        f'<p class="card-status error" role="alert">Failed {int(feed.consecutive_errors)} '
        f"time{pluralize(feed.consecutive_errors)} in a row: {escape(feed.last_error)}</p>"
        if feed.last_error
        else ""
    )
    folder = escape(subscription.folder.name) if subscription.folder else ""
    return mark_safe(  # every value escaped above; the rest is constant
        f'<article class="card feed{" status-failed" if feed.last_error else ""}" '
        f'id="subscription-{pk}">\n'
        f'<p class="card-url">\n<a href="{escape(home_url)}?view=unread&amp;feed={pk}">'
        f"{escape(subscription.display_title)}</a>\n{count_badge(subscription.unread)}\n"
        f'<span class="visually-hidden">unread</span>\n</p>\n'
        f'<p class="meta">\n{site}<span class="feed-url">{escape(feed.url)}</span>\n</p>\n'
        f'<p class="meta">\n{int(feed.item_count)} item{pluralize(feed.item_count)} ·\n'
        f"last polled {polled} ·\nnext poll {next_poll}\n</p>\n{error}"
        f"<details>\n<summary>Edit</summary>\n"
        f'<form action="{cached_reverse("feeds:rename", pk)}" method="post">\n{csrf}\n'
        f'<label>\nName\n<input type="text" name="title" value="{escape(subscription.title)}" '
        f'maxlength="500" placeholder="{escape(feed.title)}">\n</label>\n'
        f'<button type="submit">Rename</button>\n</form>\n'
        f'<form action="{cached_reverse("feeds:move", pk)}" method="post">\n{csrf}\n'
        f'<label>\nFolder\n<input type="text" name="folder" value="{folder}" '
        f'maxlength="200" list="folder-names">\n</label>\n'
        f'<button type="submit">Move</button>\n</form>\n'
        f'<form action="{cached_reverse("feeds:unsubscribe", pk)}" method="post">\n{csrf}\n'
        f'<button type="submit">Unsubscribe</button>\n</form>\n</details>\n</article>'
    )
