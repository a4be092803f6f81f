"""`manage.py import_school FILE [--media DIR]`: recreate a school from its export on this installation."""

import json

from django.core.management.base import BaseCommand, CommandError

from agreements.services.school_import import ImportRefused, import_school


class Command(BaseCommand):
    help = ("Zet een school uit een export (JSON) over naar deze installatie, in één transactie. Met --media "
            "de mediamap van de oude installatie, zodat de pdf's meekomen.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het JSON-bestand van export_school of van de downloadknop.")
        parser.add_argument("--media", help="MEDIA_ROOT van de oude installatie (de map met documenten/).")
        parser.add_argument("--site-url", default="http://127.0.0.1:8000/",
                            help="Het adres van deze installatie, voor de link in de mail aan nieuwe accounts.")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as file:
                data = json.load(file)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Het bestand is geen leesbare JSON: {exc}") from exc
        try:
            result = import_school(data, media_dir=options["media"], site_url=options["site_url"])
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"School {result.school.name} (id {result.school.pk}) staat erin: {len(result.created_people)} "
            f"nieuwe account(s), {len(result.invited)} lid/leden krijgen een mail om een wachtwoord te kiezen, "
            f"{result.files_copied} pdf('s) meegenomen, {result.files_missing} niet."
        )
