"""Create a local staff user on first run and print its password once, in a box."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create a staff user if none exists yet, and print its password once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        users = get_user_model()
        if users.objects.filter(is_staff=True).exists():
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        # scripts/run.sh prints this last, after the migrations' lines, where it is seen.
        self.stdout.write(
            self.style.SUCCESS(
                _boxed(
                    [
                        "A local staff user was created:",
                        f"  user name  {username}",
                        f"  password   {password}",
                        "It is shown only this once. To set another password:",
                        f"  .venv/bin/python manage.py changepassword {username}",
                    ]
                )
            )
        )


def _boxed(lines: list[str]) -> str:
    width = max(map(len, lines))
    rule = f"+{'-' * (width + 2)}+"
    return "\n".join([rule, *(f"| {line.ljust(width)} |" for line in lines), rule])
