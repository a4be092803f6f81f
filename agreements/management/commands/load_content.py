"""`manage.py load_content [--dir PATH]`: load the content library from the JSON fixtures (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.content_loader import ContentError, default_directory, load_content


class Command(BaseCommand):
    help = "Laadt de inhoudsbibliotheek uit fixtures/*.json in één transactie; opnieuw draaien werkt teksten bij."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="dir", type=Path, default=None,
            help=f"Map met de JSON-fixtures (standaard: {default_directory()}).",
        )

    def handle(self, *args, **options):
        try:
            result = load_content(options["dir"])
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(result.summary())
