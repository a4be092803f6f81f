"""Signatures and rendered documents (agreements/models/document.py).

Finalising, signing and adopting a version go through `agreements.services.documents` (see
tests/document_data.py); these factories make single rows, e.g. a queued document for the isolation walk.
"""

import factory
from django.utils import timezone

from agreements.models import PolicyVersion, RemovedDocument, RenderedDocument, Signature
from agreements.models.document import new_verification_code

from .policy import PolicyVersionFactory


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    version = factory.SubFactory(PolicyVersionFactory, status=PolicyVersion.Status.AWAITING_CONSENT)
    kind = Signature.Kind.LEADER
    name = "Lotte Leider"
    role = "Directeur"
    signed_on = factory.LazyFunction(timezone.localdate)


class RenderedDocumentFactory(factory.django.DjangoModelFactory):
    """A team edition in the queue (not rendered: rendering is agreements.rendering.render)."""

    class Meta:
        model = RenderedDocument

    version = factory.SubFactory(PolicyVersionFactory, status=PolicyVersion.Status.ADOPTED)
    edition = RenderedDocument.Edition.TEAM
    site_url = "http://testserver/"
    queued_at = factory.LazyFunction(timezone.now)


class RemovedDocumentFactory(factory.django.DjangoModelFactory):
    """The verification code of a PDF whose school was deleted."""

    class Meta:
        model = RemovedDocument

    verification_code = factory.LazyFunction(new_verification_code)
    removed_at = factory.LazyFunction(timezone.now)
