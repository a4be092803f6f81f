"""Sign-off and the policy PDF: preview, finalise, sign, generate and download, share, verify.

Thin views: access and the role rules through agreements.access, reads through agreements.queries, writes
through agreements.services.documents. The worker renders the PDFs (agreements.rendering).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import access
from ..access import (
    get_document_for_leader,
    get_document_for_member,
    get_version_for_leader,
    get_version_for_member,
)
from ..forms.documents import TOO_BIG, ConsentForm, FinaliseForm, RenderForm, SignForm, VerifyCodeForm, VerifyUploadForm
from ..models import RenderedDocument, Signature
from ..models.document import normalise_verification_code
from ..queries.documents import document_context, editions_of, note_stalled, signatures_of
from ..queries.policy import choice_counts
from ..services import documents as services
from ..services import twofactor
from ..services.policy import PolicyError
from .common import rate_limited, require_methods, require_post

logger = logging.getLogger(__name__)


def _finalised_on(version):
    return timezone.localdate(version.finalised_at) if version.finalised_at else None


@login_required
def preview(request, version_id):
    """The version as the policy document, in HTML, from the template the PDF uses."""
    version = get_version_for_member(request, version_id)
    edition = request.GET.get("editie")
    if edition not in RenderedDocument.Edition.values:
        edition = RenderedDocument.Edition.TEAM
    context = document_context(version=version, edition=edition)
    context.update(is_leader=access.is_leader(version.viewer_role), editions=RenderedDocument.Edition.choices)
    return render(request, "documents/preview.html", context)


@login_required
def finalise(request, version_id):
    """The leader finalises the draft: review date, contact for parents, confirmation when items are open."""
    version = get_version_for_leader(request, version_id)
    if not version.is_draft:
        if request.method == "POST":
            messages.error(request, _("Dit beleid is al afgerond. Er is niets veranderd."))
        return redirect("documents:sign", version_id=version.pk)
    open_decisions = list(version.decisions.open().select_related("theme", "example"))
    form = FinaliseForm(
        request.POST or None, open_count=len(open_decisions),
        initial={"review_date": services.default_review_date(), "parent_contact": version.parent_contact},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.finalise(
                version=version, by=request.user, review_date=form.cleaned_data["review_date"],
                parent_contact=form.cleaned_data["parent_contact"],
                confirm_open=form.cleaned_data.get("confirm_open", False),
            )
        except PolicyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het beleid is afgerond. Niemand kan het nu nog aanpassen. "
                                      "De volgende stap: ondertekenen en de instemming van de MR."))
            return redirect("documents:sign", version_id=version.pk)
    context = {"version": version, "school": version.policy.school, "form": form, "open_decisions": open_decisions,
               "counts": choice_counts(version), "is_leader": True}
    return render(request, "documents/finalise.html", context)


@login_required
def sign(request, version_id):
    """The leader signs; the leader or an MR member records the council's consent. In either order."""
    version = get_version_for_member(request, version_id)
    can_sign = access.can_sign(version.viewer_role)
    can_consent = access.can_record_consent(version.viewer_role)
    finalised_on = _finalised_on(version)
    today = timezone.localdate()
    sign_form = SignForm(prefix="leider", finalised_on=finalised_on,
                         initial={"name": request.user.name, "role": "Schoolleider", "signed_on": today})
    consent_form = ConsentForm(prefix="mr", finalised_on=finalised_on, initial={"consented_on": today})
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == Signature.Kind.LEADER and can_sign:
            sign_form = SignForm(request.POST, prefix="leider", finalised_on=finalised_on)
            form = sign_form
        elif kind == Signature.Kind.MR_CONSENT and can_consent:
            consent_form = ConsentForm(request.POST, prefix="mr", finalised_on=finalised_on)
            form = consent_form
        else:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is sign_form:
                    services.sign(version=version, by=request.user, name=data["name"], role=data["role"],
                                  signed_on=data["signed_on"])
                else:
                    services.record_consent(version=version, by=request.user, chair_name=data["chair_name"],
                                            consented_on=data["consented_on"])
            except PolicyError as exc:
                messages.error(request, _("%(reason)s Er is niets veranderd.") % {"reason": exc})
                return redirect("documents:sign", version_id=version.pk)
            version.refresh_from_db()
            if version.status == version.Status.ADOPTED:
                messages.success(request, _("Het beleid is vastgesteld. Je kunt nu de pdf maken."))
                return redirect("documents:documents", version_id=version.pk)
            if form is sign_form:
                messages.success(request, _("Vastgelegd. Nog nodig: de instemming van de MR."))
            else:
                messages.success(request, _("Vastgelegd. Nog nodig: de handtekening van de schoolleider."))
            return redirect("documents:sign", version_id=version.pk)
    context = {
        "version": version, "school": version.policy.school, "is_leader": access.is_leader(version.viewer_role),
        "two_factor_enabled": twofactor.is_enabled(request.user),
        **signatures_of(version),
        "sign_form": sign_form if can_sign else None, "consent_form": consent_form if can_consent else None,
    }
    return render(request, "documents/sign.html", context)


@login_required
def document_list(request, version_id):
    """Generate (POST) and list the PDFs of a version; pending ones poll their status fragment."""
    version = get_version_for_member(request, version_id)
    if request.method == "POST":
        form = RenderForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Kies de teameditie of de editie voor ouders."))
        else:
            try:
                services.request_render(version=version, edition=form.cleaned_data["edition"], by=request.user,
                                        site_url=request.build_absolute_uri("/"),
                                        language=form.cleaned_data["language"] or settings.LANGUAGE_CODE)
            except PolicyError as exc:
                messages.error(request, str(exc))
        return redirect("documents:documents", version_id=version.pk)
    editions = editions_of(version)
    context = {
        "version": version, "school": version.policy.school, "is_leader": access.is_leader(version.viewer_role),
        "editions": editions,
        **signatures_of(version),
    }
    return render(request, "documents/documents.html", context)


@never_cache
def document_status(request, document_id):
    """The polling fragment. 204 (htmx leaves the page alone) while the status is what the page shows."""
    document = get_document_for_member(request, document_id)
    note_stalled([document])
    if request.GET.get("seen") == document.poll_state and document.is_pending:
        return HttpResponse(status=204)
    return _status_fragment(request, document)


def _status_fragment(request, document):
    context = {"document": document, "is_leader": access.is_leader(document.viewer_role)}
    return render(request, "documents/_document_status.html", context)


@require_post
def retry(request, document_id):
    document = get_document_for_member(request, document_id)
    document = services.retry_render(document=document, by=request.user)
    if request.htmx:
        return _status_fragment(request, note_stalled([get_document_for_member(request, document_id)])[0])
    messages.info(request, _("De pdf wordt opnieuw gemaakt."))
    return redirect("documents:documents", version_id=document.version_id)


def _file_response(document, stored, *, filename, content_type, as_attachment=True):
    """A stored file of a document, never kept by a browser or proxy cache; 404 (logged) when it is gone."""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        logger.error("file %r of document %s is missing from storage", stored.name, document.pk)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    patch_cache_control(response, no_store=True, private=True)
    return response


def _pdf_response(document, *, as_attachment):
    return _file_response(document, document.file, filename=document.download_name,
                          content_type="application/pdf", as_attachment=as_attachment)


@login_required
def download(request, document_id):
    """Members of the school only; never stored by a browser or proxy cache."""
    document = get_document_for_member(request, document_id)
    if not document.is_done:
        raise Http404
    return _pdf_response(document, as_attachment=True)


@login_required
def download_word(request, document_id):
    """The editable copy (.docx) of a finished document: members of the school only, never cached."""
    document = get_document_for_member(request, document_id)
    if not document.is_done or not document.word_file:
        raise Http404
    return _file_response(document, document.word_file, filename=document.word_download_name,
                          content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@require_methods("POST", access=get_document_for_leader)
def share(request, document_id):
    """The leader switches the public link to the parents' edition on or off."""
    document = get_document_for_leader(request, document_id)
    enabled = request.POST.get("enabled") == "1"
    try:
        services.set_parent_sharing(document=document, enabled=enabled, by=request.user)
    except PolicyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De openbare link staat aan. Deel hem met de ouders.") if enabled
                         else _("De openbare link staat uit. De oude link werkt niet meer."))
    return redirect("documents:documents", version_id=document.version_id)


def parents_edition(request, share_token):
    """Public: the parents' edition, while the leader shares it."""
    document = access.get_shared_parents_edition(share_token)
    return _pdf_response(document, as_attachment=False)


@require_methods("POST", access=get_version_for_leader)
def new_draft(request, version_id):
    """Start version N+1 as a draft from an adopted version."""
    version = get_version_for_leader(request, version_id)
    try:
        draft = services.start_new_draft_from(version=version, by=request.user)
    except PolicyError as exc:
        messages.error(request, _("%(reason)s Er is niets veranderd.") % {"reason": exc})
        return redirect("documents:documents", version_id=version.pk)
    messages.success(request, _("Versie %(new)s is begonnen als concept, met de afspraken van versie %(old)s.")
                     % {"new": draft.number, "old": version.number})
    return redirect("policy:overview", version_id=draft.pk)


# --- Public verification --------------------------------------------------------------------------


def verify_start(request):
    """Type the code from the PDF."""
    form = VerifyCodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("documents:verify", verification_code=form.cleaned_data["code"])
    return render(request, "documents/verify_start.html", {"form": form})


@csrf_exempt  # the size check must come before CSRF parses the body; CSRF is checked just below
def verify(request, verification_code):
    code = verification_code
    normalised = normalise_verification_code(code)
    if normalised and normalised != code:
        return redirect("documents:verify", verification_code=normalised)
    if request.method == "POST" and _content_length(request) > settings.VERIFY_UPLOAD_MAX_BYTES + 64 * 1024:
        return _verify_page(request, normalised, code, too_big=True)
    return csrf_protect(_verify_checked)(request, normalised, code)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _verify_checked(request, normalised, code):
    return _verify_page(request, normalised, code)


def _verify_page(request, normalised, code, too_big=False):
    limit, window = settings.VERIFY_RATE_LIMIT
    if request.method == "POST" and rate_limited(request, "verify-upload", limit, window):
        return render(request, "documents/verify_limited.html", status=429)
    document = access.find_verified_document(normalised)
    if document is None:
        limit, window = settings.VERIFY_UNKNOWN_CODE_RATE_LIMIT
        if rate_limited(request, "verify-unknown", limit, window):
            return render(request, "documents/verify_limited.html", status=429)
        if access.was_removed(normalised):
            return render(request, "documents/verify_removed.html", {"code": normalised}, status=410)
        form = VerifyCodeForm(initial={"code": code})
        return render(request, "documents/verify_unknown.html", {"form": form, "code": code}, status=404)
    form, result, status = VerifyUploadForm(), None, 200
    if too_big:  # refused without reading the body
        form = VerifyUploadForm(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([TOO_BIG])
        status = 413
    elif request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["file"].chunks():
                digest.update(chunk)
            result = {"match": digest.hexdigest() == document.sha256, "sha256": digest.hexdigest(),
                      "name": form.cleaned_data["file"].name}
            form = VerifyUploadForm()
        else:
            status = 400
    context = {
        "document": document, "version": document.version, "school": document.version.policy.school,
        **signatures_of(document.version),
        "form": form, "result": result,
    }
    return render(request, "documents/verify.html", context, status=status)
