"""Test data factories (factory-boy)."""

import factory

from agreements.models import Invitation, Membership, Role, School, User

PASSWORD = "Welkom-op-school-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@school.example")
    name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 (factory-boy hook)
        if create:
            obj.save()


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
    class Meta:
        model = Invitation

    school = factory.SubFactory(SchoolFactory)
    role = Role.TEAM
