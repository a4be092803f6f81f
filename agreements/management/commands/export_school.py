"""`manage.py export_school SCHOOL [-o FILE]`: one school as JSON (schema in the README, "Verhuizen")."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements.models import School
from agreements.queries.export import school_export


class Command(BaseCommand):
    help = "Schrijft alle gegevens van één school als JSON (id of exacte naam van de school)."

    def add_arguments(self, parser):
        parser.add_argument("school", help="Het id of de exacte naam van de school.")
        parser.add_argument("-o", "--output", help="Bestand om naar te schrijven (standaard: het scherm).")

    def handle(self, *args, **options):
        key = options["school"]
        schools = School.objects.filter(pk=int(key)) if key.isdigit() else School.objects.filter(name=key)
        if schools.count() != 1:
            raise CommandError(f"Geen (of meer dan één) school gevonden voor {key!r}.")
        text = json.dumps(school_export(schools.get(), now=timezone.now()), ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as file:
                file.write(text)
        else:
            sys.stdout.write(text + "\n")
