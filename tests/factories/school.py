"""Users, schools, memberships and invitations (agreements/models/school.py)."""

import factory

from agreements.models import Invitation, Membership, Role, School, User

PASSWORD = "Welkom-op-school-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"gebruiker{n}@school.example")
    name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.django.Password(PASSWORD)  # hashed before the one INSERT


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Basisschool De Linde {n}")
    sector = School.Sector.PO
    place = "Utrecht"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEAM


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation by link; expires_at is set by Invitation.save (14 days)."""

    class Meta:
        model = Invitation

    school = factory.SubFactory(SchoolFactory)
    role = Role.TEAM
