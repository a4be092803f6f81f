"""Sign-off and the policy PDF: signatures on a finalised version, rendered documents with a verification code."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from .meeting import Meeting
from .policy import PolicyVersion

# Crockford's base32 without I, L, O and U: nothing to confuse when a code is typed over from paper.
VERIFICATION_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4  # 12 characters = 60 random bits, typed as XXXX-XXXX-XXXX


def new_verification_code():
    chars = "".join(secrets.choice(VERIFICATION_CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH))


def normalise_verification_code(text):
    """What someone typed ("abcd efgh-jk0o 1l") -> the stored form ("ABCD-EFGH-JK00-11"), or ""."""
    raw = "".join(ch for ch in str(text).upper() if ch.isalnum())
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(raw) != CODE_GROUPS * CODE_GROUP_LENGTH or any(ch not in VERIFICATION_CODE_ALPHABET for ch in raw):
        return ""
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def new_share_token():
    return secrets.token_urlsafe(24)


class Signature(models.Model):
    """The leader's signature or the participation council's consent (instemming MR) on a version."""

    class Kind(models.TextChoices):
        LEADER = "leader", gettext_lazy("Handtekening schoolleider")
        MR_CONSENT = "mr_consent", gettext_lazy("Instemming MR")

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(gettext_lazy("naam"), max_length=150)
    role = models.CharField(gettext_lazy("functie"), max_length=150)
    signed_on = models.DateField(gettext_lazy("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "kind"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="one_signature_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name} ({self.signed_on})"


class RenderFailure(models.TextChoices):
    """Why a render failed. RenderedDocument.error stores the code, not the message, so the message is shown in
    the language of whoever reads it (RenderedDocument.error_message)."""

    FAILED = "failed", gettext_lazy(
        "Het maken van de pdf is mislukt. Probeer het opnieuw. Lukt het dan nog niet? Neem contact op met de "
        "beheerder.")
    GAVE_UP = "gave_up", ngettext_lazy(
        "Het maken van de pdf is %(attempts)s keer afgebroken. Probeer het opnieuw. Lukt het dan nog niet? "
        "Neem contact op met de beheerder.",
        "Het maken van de pdf is %(attempts)s keer afgebroken. Probeer het opnieuw. Lukt het dan nog niet? "
        "Neem contact op met de beheerder.",
        "attempts")
    TOO_LONG = "too_long", gettext_lazy(
        "Het maken van de pdf duurde te lang en is gestopt. Probeer het opnieuw. Lukt het dan nog niet? Neem "
        "contact op met de beheerder.")
    NOT_STORED = "not_stored", gettext_lazy(
        "De pdf is gemaakt, maar kon niet worden opgeslagen: de schijf van de server is vol of alleen-lezen. Wat "
        "al klaar was, blijft bewaard. Probeer het later opnieuw. Lukt het dan nog niet? Neem contact op met de "
        "beheerder.")


class RenderedDocumentQuerySet(models.QuerySet):
    def done(self):
        return self.filter(status=RenderedDocument.Status.DONE)


class RenderedDocument(models.Model):
    """One PDF of an adopted version in one edition, or the record of one team meeting (`meeting` set, edition
    RECORD). Rendered once by the worker; retried when it failed."""

    class Edition(models.TextChoices):
        """The editions of the policy (the documents page offers these)."""

        TEAM = "team", gettext_lazy("Teameditie")
        PARENTS = "ouders", gettext_lazy("Editie voor ouders")

    RECORD = "verslag"  # the record of a team meeting: one per meeting, re-rendered when an outcome is applied
    EDITION_CHOICES = [*Edition.choices, (RECORD, gettext_lazy("Verslag van de teamvergadering"))]

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("In de wachtrij")
        RENDERING = "rendering", gettext_lazy("Wordt gemaakt")
        DONE = "done", gettext_lazy("Klaar")
        FAILED = "failed", gettext_lazy("Mislukt")

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="documents")
    edition = models.CharField(gettext_lazy("editie"), max_length=10, choices=EDITION_CHOICES)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="records")
    # The language of the edition's fixed texts (headings, labels, introduction, verification text); the
    # agreements themselves stay as the school wrote them. An international department hands out an English one.
    language = models.CharField(gettext_lazy("taal"), max_length=8, choices=settings.LANGUAGES, default="nl")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    verification_code = models.CharField(gettext_lazy("verificatiecode"), max_length=20, unique=True,
                                         default=new_verification_code)
    site_url = models.URLField(
        max_length=300, help_text="Adres van de site op het moment van aanvragen; voor de link naar de controlepagina."
    )
    file = models.FileField(upload_to="documenten/", blank=True)
    # The editable copy (.docx), made by the same render; never verified (the verify page checks the PDF).
    word_file = models.FileField(upload_to="documenten/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # A RenderFailure code. A row from before the codes holds the Dutch message itself (see error_message).
    error = models.CharField(gettext_lazy("foutmelding"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Last time a message was handed to the broker.")
    started_at = models.DateTimeField(null=True, blank=True)
    # While rendering: which process holds the row ("host:pid:token") and until when, unless it renews.
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The parents' edition can be shared by a public link; switching it off clears the token for good.
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "edition", "-language"]
        constraints = [
            # Asking twice renders once: one row per version, edition and language, re-used by a retry.
            models.UniqueConstraint(fields=["version", "edition", "language"], condition=Q(meeting__isnull=True),
                                    name="one_document_per_edition"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(meeting__isnull=False),
                                    name="one_record_per_meeting"),
        ]

    def __str__(self):
        return f"{self.version} – {self.get_edition_display()} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def is_failed(self):
        return self.status == self.Status.FAILED

    @property
    def poll_state(self):
        """What the status fragment shows, as its polling URL carries it: the fragment is sent again on a change.

        `stalled` is set by queries.documents.note_stalled(): waiting, with no PDF-maker running.
        """
        return f"{self.status}-stil" if getattr(self, "stalled", False) else self.status

    @property
    def is_shared(self):
        return bool(self.share_token)

    @property
    def error_message(self):
        """Why the render failed, in the active language; the number of attempts is the row's own."""
        if self.error in RenderFailure.values:
            return RenderFailure(self.error).label % {"attempts": self.attempts}
        # A row from before the codes: its Dutch message, translated when it is one the catalogue knows.
        return gettext(self.error) if self.error else ""

    @property
    def is_record(self):
        return self.meeting_id is not None

    @property
    def download_name(self):
        school = slugify(self.version.policy.school.name) or "school"
        if self.is_record:
            return f"Verslag-teamvergadering-{school}-{self.meeting.created_at:%Y-%m-%d}.pdf"
        # An edition in another language than Dutch gets its own name: both may be downloaded side by side.
        language = "" if self.language == settings.LANGUAGE_CODE else f"-{self.language}"
        return f"AI-beleid-{school}-v{self.version.number}-{self.edition}{language}.pdf"

    @property
    def word_download_name(self):
        return self.download_name.removesuffix(".pdf") + "-bewerkbaar.docx"

    @property
    def word_storage_name(self):
        return self.storage_name.removesuffix(".pdf") + ".docx"

    @property
    def storage_name(self):
        """Fixed per row, so a re-render after a crash overwrites instead of leaving a second file."""
        return f"documenten/{self.version_id}/{self.edition}-{self.verification_code}.pdf"

    def get_verify_path(self):
        return reverse("documents:verify", args=[self.verification_code])

    @property
    def verify_url(self):
        return self.site_url.rstrip("/") + self.get_verify_path()

    def get_share_path(self):
        return reverse("documents:parents", args=[self.share_token]) if self.share_token else ""


class RemovedDocument(models.Model):
    """The verification code of a PDF whose school was deleted: the verify page says it is no longer kept
    instead of "unknown". Only the code and the date; nothing about the school or its people."""

    verification_code = models.CharField("verificatiecode", max_length=20, unique=True)
    removed_at = models.DateTimeField()

    def __str__(self):
        return self.verification_code
