"""Draw the favicon and app icons into homeroom/static/homeroom/ (see core.icons)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeroom.core import icons


class Command(BaseCommand):
    help = "Write icon.svg and the PNG app icons into homeroom/static/homeroom/."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in icons.write_all():
            self.stdout.write(str(path))
