"""The team meeting. Leader pages (set up, control, projector, results) and the public phone pages.

Leader pages fetch the meeting through agreements.access (404 outside the school). Phone pages find
the meeting by its join code and the participant by a signed, HttpOnly cookie scoped to /stem/<join_code>/.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .. import access, exports, qr, stamps
from ..forms.meetings import JoinCodeForm, JoinForm, MeetingForm, OutcomeForm, VoteForm
from ..models import Ballot, ConversationPrompt, Meeting, RenderedDocument
from ..models.meeting import is_join_code, normalise_join_code
from ..queries import meetings as queries
from ..queries.documents import note_stalled
from ..services import meetings as services
from ..services.meetings import MeetingError, VoteRefused
from . import errors
from .common import rate_limit_reached, rate_limited, redirect_next, require_methods

# --- Leader: set up -------------------------------------------------------------------------


@require_methods("GET", "POST", access=access.get_version_for_leader)
def new_meeting(request, version_id):
    version = access.get_version_for_leader(request, version_id)
    form = MeetingForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                version=version,
                decisions=form.cleaned_data["decisions"],
                audience=form.cleaned_data["audience"],
                hide_tally=form.cleaned_data["hide_tally"],
                by=request.user,
            )
        except MeetingError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request,
                             _("De vergadering staat klaar. De code is %(code)s.") % {"code": meeting.join_code})
            return redirect(meeting)
    return render(request, "meetings/new.html", {"version": version, "form": form})


# --- Leader: control, projector, live fragment, QR ------------------------------------------


def _leader_context(request, meeting, stamp):
    current = meeting.current_item
    return {
        "meeting": meeting,
        "poll_state": stamps.sign_state(meeting.pk, stamp),
        **queries.agenda(meeting),
        "current": current,
        "tally": queries.tally(meeting=meeting, item=current),
        "show_tally": meeting.shows_tally,
        "join_url": request.build_absolute_uri(meeting.get_join_url()),
        "enter_url": request.build_absolute_uri(reverse("meetings:enter")),
    }


@require_methods("GET", access=access.get_meeting_for_leader)
def control(request, meeting_id):
    stamp = stamps.tally_stamp(meeting_id)  # before the rows: a change in between is refetched, never hidden
    meeting = access.get_meeting_for_leader(request, meeting_id)
    context = _leader_context(request, meeting, stamp)
    context["participants"] = meeting.participants.order_by("name", "pk")
    return render(request, "meetings/control.html", context)


@require_methods("GET", access=access.get_meeting_for_leader)
def projector(request, meeting_id):
    stamp = stamps.tally_stamp(meeting_id)
    meeting = access.get_meeting_for_leader(request, meeting_id)
    context = _leader_context(request, meeting, stamp)
    context["prompt"] = ConversationPrompt.objects.filter(kind=ConversationPrompt.Kind.AGREEMENT).first()
    return render(request, "meetings/projector.html", context)


# ?bediening= on the live poll: the page whose controls come along, and where they return the leader to.
CONTROL_PAGES = {"scherm": "meetings:projector", "bediening": "meetings:control"}


def _no_change():
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


def _tally_unchanged(request, meeting_id):
    """204 when the signed state still matches the meeting's counters in the cache (no query, no session)."""
    if stamps.unchanged(request.GET.get("state"), stamps.tally_stamp) == meeting_id:
        return _no_change()
    return None


def live(request, meeting_id):
    """The live tally fragment polled every 2 s by the projector and the control page. Unchanged: 204, answered
    by UnchangedPollMiddleware before the session is looked at; else the fragment (<= 5 queries), for the
    school's leader only."""
    unchanged = _tally_unchanged(request, meeting_id) if request.method == "GET" else None
    return unchanged if unchanged is not None else _live(request, meeting_id=meeting_id)


live.unchanged_poll = _tally_unchanged


@require_methods("GET", access=access.get_meeting_for_leader)
def _live(request, meeting_id):
    stamp = stamps.tally_stamp(meeting_id)  # before the rows: a change in between is refetched, never hidden
    meeting = access.get_meeting_for_leader(request, meeting_id)
    current = meeting.current_item
    context = {
        "meeting": meeting,
        "poll_state": stamps.sign_state(meeting.pk, stamp),
        "current": current,
        "tally": queries.tally(meeting=meeting, item=current),
        "show_tally": meeting.shows_tally,
    }
    response = render(request, "meetings/_tally.html", context)
    page = request.GET.get("bediening")
    if page in CONTROL_PAGES:
        # The leader's buttons come along (out of band) so they always match the state the tally shows.
        controls = {**context, **queries.current_place(meeting), "oob": True,
                    "next_url": reverse(CONTROL_PAGES[page], args=[meeting.pk])}
        response.content += render_to_string("meetings/_controls.html", controls, request=request).encode()
    response["Cache-Control"] = "no-store"
    return response


@require_methods("GET", access=access.get_meeting_for_leader)
def qr_code(request, meeting_id):
    """The join URL as a QR code, rendered here as SVG (no outside service sees the code)."""
    meeting = access.get_meeting_for_leader(request, meeting_id)
    svg = qr.svg_bytes(request.build_absolute_uri(meeting.get_join_url()),
                       title=f"QR-code voor code {meeting.join_code}")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Leader: actions --------------------------------------------------------------------------


def _back(request, meeting):
    """Back to the page the control was on (the control page or the projector)."""
    return redirect_next(request, meeting.get_absolute_url())


def _leader_action(request, meeting, action, success=None):
    try:
        action()
    except MeetingError as e:
        messages.error(request, str(e))
    else:
        if success:
            messages.success(request, success)
    return _back(request, meeting)


@require_methods("POST", access=access.get_item_for_leader)
def show_item(request, meeting_id, item_id):
    item = access.get_item_for_leader(request, meeting_id, item_id)
    return _leader_action(request, item.meeting, lambda: services.show_item(meeting=item.meeting, item=item))


@require_methods("POST", access=access.get_item_for_leader)
def open_item(request, meeting_id, item_id):
    item = access.get_item_for_leader(request, meeting_id, item_id)
    return _leader_action(request, item.meeting, lambda: services.open_item(meeting=item.meeting, item=item),
                          _("De stemming over afspraak %(n)s is open.") % {"n": item.position})


@require_methods("POST", access=access.get_item_for_leader)
def close_item(request, meeting_id, item_id):
    item = access.get_item_for_leader(request, meeting_id, item_id)
    return _leader_action(request, item.meeting, lambda: services.close_item(meeting=item.meeting, item=item),
                          _("De stemming over afspraak %(n)s is gesloten.") % {"n": item.position})


@require_methods("POST", access=access.get_meeting_for_leader)
def next_item(request, meeting_id):
    meeting = access.get_meeting_for_leader(request, meeting_id)
    return _leader_action(request, meeting, lambda: services.step(meeting=meeting, forward=True))


@require_methods("POST", access=access.get_meeting_for_leader)
def previous_item(request, meeting_id):
    meeting = access.get_meeting_for_leader(request, meeting_id)
    return _leader_action(request, meeting, lambda: services.step(meeting=meeting, forward=False))


@require_methods("POST", access=access.get_meeting_for_leader)
def hide_tally(request, meeting_id):
    meeting = access.get_meeting_for_leader(request, meeting_id)
    hide = request.POST.get("hide") == "1"
    message = _("De uitslag blijft verborgen tot de stemming sluit.") if hide else _("De uitslag is te zien.")
    return _leader_action(request, meeting, lambda: services.set_hide_tally(meeting=meeting, hide=hide), message)


@require_methods("POST", access=access.get_meeting_for_leader)
def close_meeting(request, meeting_id):
    meeting = access.get_meeting_for_leader(request, meeting_id)
    try:
        services.close_meeting(meeting=meeting)
    except MeetingError as e:
        messages.error(request, str(e))
        return redirect(meeting)
    messages.success(request, _("De vergadering is afgelopen. Hieronder staat de uitslag."))
    return redirect("meetings:results", meeting.pk)


# --- Leader: results and outcome ------------------------------------------------------------


@require_methods("GET", "POST", access=access.get_meeting_for_leader)
def results(request, meeting_id):
    meeting = access.get_meeting_for_leader(request, meeting_id)
    rows = queries.result_rows(meeting)
    to_apply = [(item, tally) for item, tally in rows if item.is_closed and not item.applied_at]
    form = OutcomeForm(request.POST or None, rows=to_apply)
    if request.method == "POST" and form.is_valid():
        try:
            applied = services.apply_outcome(meeting=meeting, outcomes=form.outcomes(), by=request.user)
        except MeetingError as e:
            form.add_error(None, str(e))
        else:
            if applied:
                messages.success(request, ngettext("De uitkomst van %(n)d afspraak staat in het concept.",
                                                   "De uitkomst van %(n)d afspraken staat in het concept.",
                                                   len(applied)) % {"n": len(applied)})
            else:
                messages.info(request, _("Er is niets verwerkt."))
            return redirect("meetings:results", meeting.pk)
    comments = queries.anonymous_comments(meeting)
    fields = {item.pk: form[form.field_name(item)] for item, _outcome in to_apply}
    entries = [
        {"item": item, "tally": tally, "comments": comments.get(item.pk, []), "field": fields.get(item.pk)}
        for item, tally in rows
    ]
    return render(request, "meetings/results.html", {"meeting": meeting, "entries": entries, "form": form,
                                                     "can_apply": bool(to_apply)})


# --- The meeting record: a page, CSV, XLSX and a PDF made by the worker (the whole school, no names) --------


@require_methods("GET", access=access.get_meeting_for_member)
def record(request, meeting_id):
    meeting = access.get_meeting_for_member(request, meeting_id)
    document = RenderedDocument.objects.filter(meeting=meeting).first()
    if document is not None:
        document.version = meeting.version
        note_stalled([document])
    context = {**queries.record(meeting), "document": document, "is_leader": access.is_leader(meeting.viewer_role)}
    return render(request, "meetings/record.html", context)


def _record_download(meeting, content, extension, content_type):
    school = slugify(meeting.version.policy.school.name) or "school"
    response = HttpResponse(content, content_type=content_type)
    name = f"verslag-teamvergadering-{school}-{meeting.created_at:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_methods("GET", access=access.get_meeting_for_member)
def record_csv(request, meeting_id):
    meeting = access.get_meeting_for_member(request, meeting_id)
    header, rows = queries.record_table(queries.record(meeting))
    return _record_download(meeting, exports.csv_bytes(header, rows), "csv", "text/csv; charset=utf-8")


@require_methods("GET", access=access.get_meeting_for_member)
def record_xlsx(request, meeting_id):
    meeting = access.get_meeting_for_member(request, meeting_id)
    header, rows = queries.record_table(queries.record(meeting))
    content = exports.xlsx_bytes(header, rows, title=_("Verslag"),
                                 widths=[8, 8, 60, 18, 8, 10, 10, 8, 10, 12, 12, 30, 22, 60])
    return _record_download(meeting, content, "xlsx", exports.XLSX_CONTENT_TYPE)


@require_methods("POST", access=access.get_meeting_for_member)
def record_pdf(request, meeting_id):
    """Ask the worker for the record as PDF; the record page then shows its progress and the download."""
    meeting = access.get_meeting_for_member(request, meeting_id)
    try:
        services.request_record(meeting=meeting, by=request.user, site_url=request.build_absolute_uri("/"))
    except MeetingError as e:
        messages.error(request, str(e))
    return redirect("meetings:record", meeting.pk)


# --- Phones: enter the code, join, vote, follow ---------------------------------------------


@require_GET
def enter(request):
    form = JoinCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound:
        # The form says whether a code exists: it counts towards the same limit as the phone pages.
        limit, window = settings.JOIN_CODE_UNKNOWN_RATE_LIMIT
        if rate_limit_reached(request, "join-code-unknown", limit):
            return errors.too_many_requests(request)
        if form.is_valid():
            return redirect("meetings:vote", form.cleaned_data["code"])
        if rate_limited(request, "join-code-unknown", limit, window):
            return errors.too_many_requests(request)
    return render(request, "meetings/enter.html", {"form": form})


def _members_only_page(request, meeting):
    """Why a visitor who is not a signed-in member of the school cannot take part in a members-only meeting."""
    if request.htmx:  # a poll or a vote from the phone page: let the whole page explain
        return _htmx_redirect(meeting.get_join_url())
    login_url = redirect_to_login(request.get_full_path(), settings.LOGIN_URL)["Location"]
    return render(request, "meetings/members_only.html", {"meeting": meeting, "login_url": login_url}, status=403)


def _htmx_redirect(url):
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


def phone_page(view):
    """The preamble of every phone page: the meeting of the join code (404 when there is none), the members-only
    check, and the participant of the signed cookie (None when this phone has not joined)."""

    @wraps(view)
    def wrapped(request, join_code):
        # Guessing codes: after too many unknown codes from one address, every code answers 429 for the rest of
        # the window (else the 200 of a right guess would still tell it apart).
        limit, window = settings.JOIN_CODE_UNKNOWN_RATE_LIMIT
        if rate_limit_reached(request, "join-code-unknown", limit):
            return errors.too_many_requests(request)
        try:
            meeting = access.get_meeting_by_code(join_code)
        except Http404:
            if rate_limited(request, "join-code-unknown", limit, window):
                return errors.too_many_requests(request)
            raise
        if not access.can_join(meeting, request.user):
            return _members_only_page(request, meeting)
        return view(request, meeting, access.get_participant(request, meeting))

    return wrapped


def _phone_context(meeting, participant, comment=None, **extra):
    """What the phone shows, with the signed state its poll sends back (204 until the leader moves on).

    The counter is read first, then the meeting's state again: a change in between is refetched, never hidden.
    """
    state = stamps.sign_state(meeting.pk, stamps.phone_stamp(meeting.pk))
    fresh = Meeting.objects.select_related("current_item__decision__example").get(pk=meeting.pk)
    meeting.status, meeting.current_item = fresh.status, fresh.current_item
    item = meeting.current_item if meeting.is_open else None
    ballot = queries.ballot_of(item, participant)
    return {"meeting": meeting, "participant": participant, "item": item, "ballot": ballot, "state": state,
            "choices": Ballot.Choice.choices,
            "comment_text": comment if comment is not None else (ballot.comment if ballot else ""), **extra}


@require_GET
def vote_page(request, join_code):
    code = normalise_join_code(join_code)
    if code != join_code and is_join_code(code):
        return redirect("meetings:vote", code)
    return _vote_page(request, join_code=join_code)


@phone_page
def _vote_page(request, meeting, participant):
    if participant is None:
        if not meeting.is_open:
            return render(request, "meetings/ended.html", {"meeting": meeting})
        initial = {"name": request.user.name} if meeting.members_only else {}
        return render(request, "meetings/join.html", {"meeting": meeting, "form": JoinForm(initial=initial)})
    return render(request, "meetings/vote.html", _phone_context(meeting, participant))


@require_POST
@phone_page
def join(request, meeting, participant):
    form = JoinForm(request.POST)
    limit, window = settings.MEETING_JOINS_PER_ADDRESS
    if not meeting.members_only and rate_limited(request, f"meeting-join:{meeting.pk}", limit, window):
        # One phone that drops its cookie and joins again and again would stuff the tally.
        return errors.too_many_requests(request, _(
            "Vanaf dit netwerk doen al heel veel telefoons mee aan deze vergadering. Vraag de schoolleider om "
            "hulp."))
    if form.is_valid():
        user = request.user if meeting.members_only else None
        try:
            participant = services.join(meeting=meeting, name=form.cleaned_data["name"], user=user)
        except MeetingError as e:
            form.add_error(None, str(e))
        else:
            response = redirect("meetings:vote", meeting.join_code)
            response.set_signed_cookie(
                access.PARTICIPANT_COOKIE, str(participant.pk), salt=access.participant_cookie_salt(meeting.pk),
                max_age=access.PARTICIPANT_MAX_AGE, path=meeting.get_join_url(), httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return render(request, "meetings/join.html", {"meeting": meeting, "form": form}, status=400)


# The HTTP status a refused vote answers with, per reason.
VOTE_REFUSED_STATUS = {VoteRefused.INVALID: 400, VoteRefused.NOT_NOW: 409, VoteRefused.TOO_OFTEN: 429}


@require_POST
@phone_page
def vote(request, meeting, participant):
    if participant is None:
        messages.error(request, _("Doe eerst mee met de vergadering. Daarna kun je stemmen."))
        if request.htmx:
            return _htmx_redirect(meeting.get_join_url())
        return redirect("meetings:vote", meeting.join_code)
    form = VoteForm(request.POST)
    status, error, notice = 200, None, None
    if not form.is_valid():
        status = 400
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            services.cast_vote(participant=participant, item_id=form.cleaned_data["item"],
                               choice=form.cleaned_data["choice"], comment=form.cleaned_data["comment"])
        except VoteRefused as e:
            status, error = VOTE_REFUSED_STATUS[e.reason], str(e)
        else:
            notice = _("Je stem is opgeslagen. Je kunt hem veranderen tot de stemming sluit.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect("meetings:vote", meeting.join_code)
    # Keep what was typed when the vote was not counted.
    comment = request.POST.get("comment", "") if error else None
    context = _phone_context(meeting, participant, comment=comment, error=error, notice=notice)
    return render(request, "meetings/_current_item.html", context, status=status)


def _phone_unchanged(request, join_code):
    """204 when the signed state's counter is still the cache's and the phone holds this meeting's signed
    participant cookie (no query, no session)."""
    meeting_id = stamps.unchanged(request.GET.get("state"), stamps.phone_stamp)
    if meeting_id is not None and access.has_participant_cookie(request, meeting_id):
        return _no_change()
    return None


@require_GET
def current(request, join_code):
    """The phone's fragment, polled every 2 s: 204 while the leader has not moved on (answered by
    UnchangedPollMiddleware before the session is looked at)."""
    unchanged = _phone_unchanged(request, join_code)
    return unchanged if unchanged is not None else _current(request, join_code=join_code)


current.unchanged_poll = _phone_unchanged


@phone_page
def _current(request, meeting, participant):
    if participant is None:
        response = _htmx_redirect(meeting.get_join_url())
    else:
        response = render(request, "meetings/_current_item.html", _phone_context(meeting, participant))
    response["Cache-Control"] = "no-store"
    return response
