"""Demo data for trying the app locally: one school with a leader, three team members and an MR member.

Idempotent: run it again and nothing is duplicated (names, roles and the demo password are reset).
Refuses to run unless the demo is on (settings.DEMO_SCHOOL, env DJANGO_DEMO: on for a local checkout, 0 in
docker-compose.yml and production), so a production database never gets accounts with a known password.
It does not depend on DEBUG: a newcomer's `make run` (DEBUG off by default) still gets its demo school.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.models import Membership, Role, School, User

SCHOOL = {"name": "Voorbeeldschool De Regenboog", "sector": School.Sector.PO, "place": "Utrecht"}
PASSWORD = "Regenboog-demo-2026"
PEOPLE = [
    ("leider@regenboog.example", "Lotte de Leider", Role.LEADER),
    ("sanne@regenboog.example", "Sanne Jansen", Role.TEAM),
    ("mehmet@regenboog.example", "Mehmet Yilmaz", Role.TEAM),
    ("joris@regenboog.example", "Joris de Vries", Role.TEAM),
    ("mr@regenboog.example", "Fatima el Amrani", Role.MR),
]


class Command(BaseCommand):
    help = "Maakt (idempotent) de demoschool 'Voorbeeldschool De Regenboog' met vijf accounts. Niet met DJANGO_DEMO=0."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-when-off", "--skip-without-debug", dest="skip_when_off", action="store_true",
            help="Sla over (exit 0) in plaats van te weigeren (exit 1) als DJANGO_DEMO=0; voor `make setup`.",
        )

    def handle(self, *args, skip_when_off=False, **options):
        if not settings.DEMO_SCHOOL:
            if skip_when_off:
                self.stdout.write("Geen demodata: DJANGO_DEMO staat uit.")
                return
            raise CommandError("seed_demo draait niet met DJANGO_DEMO=0: demo-accounts hebben een bekend wachtwoord.")
        with transaction.atomic():
            school = School.objects.filter(name=SCHOOL["name"]).order_by("pk").first()
            if school is None:
                school = School.objects.create(**SCHOOL)
            for email, name, role in PEOPLE:
                user = User.objects.filter(email=email).first() or User(email=email)
                user.name = name
                user.set_password(PASSWORD)
                user.save()
                Membership.objects.update_or_create(user=user, school=school, defaults={"role": role})
        self.stdout.write("")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"  Demoschool: {school.name}")
        self.stdout.write(f"  Inloggen: http://127.0.0.1:{port}/account/inloggen/")
        self.stdout.write(f"  Schoolleider: {PEOPLE[0][0]}  wachtwoord: {PASSWORD}")
        team = ", ".join(email for email, _, role in PEOPLE if role == Role.TEAM)
        self.stdout.write(f"  Teamleden: {team}")
        self.stdout.write(f"  MR-lid: {PEOPLE[-1][0]}  (zelfde wachtwoord)")
        self.stdout.write("")
