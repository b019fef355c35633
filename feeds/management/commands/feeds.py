"""``manage.py feeds``: subscribe, poll, list, remove, and OPML import and export."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from feeds import selectors, services


class Command(BaseCommand):
    help = "Manage feed subscriptions: add, poll, list, remove, import, export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="Whose subscriptions (default: the first staff user).")
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Subscribe to feeds, by feed or site URL.")
        add.add_argument("urls", nargs="+", metavar="URL")
        add.add_argument("--folder", default="", help="Put the new subscriptions in this folder.")
        add.add_argument(
            "--all",
            dest="every",
            action="store_true",
            help="Subscribe to every feed a page offers, not the first.",
        )
        poll = actions.add_parser("poll", help="Poll the feeds that are due.")
        poll.add_argument("--sync", action="store_true", help="Fetch and analyse in this process.")
        poll.add_argument("--force", action="store_true", help="Poll every feed now, due or not.")
        actions.add_parser("list", help="List every feed with its state.")
        remove = actions.add_parser("remove", help="Unsubscribe from a feed.")
        remove.add_argument("url", metavar="URL")
        import_ = actions.add_parser("import", help="Subscribe to the feeds of an OPML file.")
        import_.add_argument("file", type=Path, metavar="FILE.opml")
        export = actions.add_parser("export", help="Write the subscriptions as OPML.")
        export.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _user(self, username: str | None):
        users = get_user_model().objects
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(is_staff=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(
                f"No user {username!r}." if username else "No staff user yet: give --user NAME."
            )
        return user

    def _add(
        self, *, urls: list[str], folder: str, every: bool, user: str | None, **options
    ) -> None:
        owner = self._user(user)
        failed = 0
        for url in urls:
            try:
                choices = services.feeds_discover(url=url)
                if len(choices) > 1:
                    self.stdout.write(f"{url} offers {len(choices)} feeds:")
                    for number, choice in enumerate(choices, start=1):
                        self.stdout.write(
                            f"  {number}. {choice.title or '(untitled)'} {choice.url}"
                        )
                for choice in choices if every else choices[:1]:
                    subscription, created = services.subscription_create(
                        user=owner, url=choice.url, folder_name=folder
                    )
                    verb = "Subscribed to" if created else "Already subscribed to"
                    self.stdout.write(
                        f"{verb} {subscription.display_title} ({subscription.feed.url})"
                    )
            except services.FeedError as exc:
                failed += 1
                self.stderr.write(f"{url}: {exc}")
        if failed:
            raise CommandError(f"{failed} of {len(urls)} could not be added.")

    def _poll(self, *, sync: bool, force: bool, **options) -> None:
        if not sync:
            queued = services.feeds_queue_due(force=force)
            self.stdout.write(f"{queued} feeds queued for polling.")
            return
        polled = services.feeds_poll_now(force=force)
        for feed, result in polled:
            if result.error:
                self.stderr.write(f"{feed.url}: {result.error}")
            elif result.not_modified:
                self.stdout.write(f"{feed}: not modified")
            else:
                self.stdout.write(f"{feed}: {len(result.new_articles)} new articles")
        self.stdout.write(f"{len(polled)} feeds polled.")

    def _list(self, **options) -> None:
        for feed in selectors.feed_list():
            last = f"{feed.last_polled_at:%Y-%m-%d %H:%M}" if feed.last_polled_at else "never"
            state = f"failing ({feed.last_error})" if feed.last_error else "ok"
            self.stdout.write(
                f"{feed.url}\t{feed.title or '(untitled)'}\t{feed.item_count} items\t"
                f"last {last}\tnext {feed.next_poll_at:%Y-%m-%d %H:%M}\t{state}"
            )

    def _remove(self, *, url: str, user: str | None, **options) -> None:
        owner = self._user(user)
        subscription = selectors.subscription_for_url(user=owner, url=url)
        if subscription is None:
            raise CommandError(f"{owner} has no subscription to {url}.")
        services.subscription_delete(subscription=subscription)
        self.stdout.write(f"Unsubscribed from {url}.")

    def _import(self, *, file: Path, user: str | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        result = services.subscriptions_import_opml(user=self._user(user), data=file.read_bytes())
        self.stdout.write(
            f"{result.added} feeds added, {result.existing} already followed, "
            f"{len(result.failures)} skipped."
        )
        for source, reason in result.failures:
            self.stderr.write(f"  {source}: {reason}")

    def _export(self, *, output: Path | None, user: str | None, **options) -> None:
        document = selectors.subscriptions_opml(user=self._user(user))
        if output:
            output.write_bytes(document)
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(document.decode("utf-8"), ending="")
