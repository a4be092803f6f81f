"""Who is who: users (by e-mail), schools, memberships with a role, invitations by link."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INVITATION_VALID_FOR = timedelta(days=14)


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address; there is no separate username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError(_("Een e-mailadres is verplicht."))
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(gettext_lazy("e-mailadres"), unique=True)
    name = models.CharField(gettext_lazy("naam"), max_length=150)
    # Set when the person deleted their account: name and address are gone, the row stays so that history,
    # comments and signatures keep their text and date (they then say "verwijderd account").
    deleted_at = models.DateTimeField(null=True, blank=True)
    # The interface language this user chose (the header's switch); blank until the first signed-in request,
    # which stores the language the browser was using. It wins over the cookie and Accept-Language.
    language = models.CharField(gettext_lazy("taal"), max_length=8, choices=settings.LANGUAGES, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    objects = EmailUserManager()

    def __str__(self):
        if self.deleted_at:
            return _("verwijderd account")
        return self.name or self.email

    def get_full_name(self):
        return str(self) if self.deleted_at else self.name

    def get_short_name(self):
        if self.deleted_at:
            return str(self)
        return self.name.split(" ")[0] if self.name else self.email


class School(models.Model):
    class Sector(models.TextChoices):
        PO = "po", gettext_lazy("Primair onderwijs")
        VO = "vo", gettext_lazy("Voortgezet onderwijs")
        SO = "so", gettext_lazy("(Voortgezet) speciaal onderwijs")
        MBO = "mbo", gettext_lazy("Middelbaar beroepsonderwijs")

    name = models.CharField(gettext_lazy("naam van de school"), max_length=200)
    sector = models.CharField(gettext_lazy("sector"), max_length=3, choices=Sector.choices)
    place = models.CharField(gettext_lazy("plaats"), max_length=100)
    brin = models.CharField(gettext_lazy("BRIN-code"), max_length=6, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A leader asked to delete the school: beat's retention deletes everything of it once the grace period
    # (settings.SCHOOL_DELETION_GRACE_DAYS) has passed; until then any leader can undo it.
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    deletion_requested_by = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True,
                                              related_name="+")
    # Leaders can require two-factor authentication of the school's leaders and MR members.
    require_two_factor = models.BooleanField("tweestapsverificatie verplicht", default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools:dashboard", args=[self.pk])

    @property
    def deletion_due(self):
        """When the school will be deleted, or None."""
        if not self.deletion_requested_at:
            return None
        return self.deletion_requested_at + timedelta(days=settings.SCHOOL_DELETION_GRACE_DAYS)


class Role(models.TextChoices):
    LEADER = "leader", gettext_lazy("Schoolleider")
    TEAM = "team", gettext_lazy("Teamlid")
    MR = "mr", "MR-lid"


class MembershipQuerySet(models.QuerySet):
    def leaders(self):
        return self.filter(role=Role.LEADER)

    def is_member(self, user, school_id):
        """True when this (signed-in) user belongs to the school."""
        return user.is_authenticated and self.filter(user=user, school_id=school_id).exists()


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(gettext_lazy("rol"), max_length=10, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "user__name"]
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school")]

    def __str__(self):
        return f"{self.user} – {self.school} ({self.get_role_display()})"

    @property
    def is_leader(self):
        return self.role == Role.LEADER



def new_token():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(gettext_lazy("e-mailadres"), blank=True)
    role = models.CharField(gettext_lazy("rol"), max_length=10, choices=Role.choices, default=Role.TEAM)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Uitnodiging {self.school} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + INVITATION_VALID_FOR
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("schools:accept_invitation", args=[self.token])

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired
