"""Schools: my schools, a new school, the dashboard, the team (members and invitations), accepting an invitation.

Every school-owned object comes through agreements/access.py, which answers 404 outside the school. The
access check runs before the method check (views/common.py), so an outsider gets the same 404 for GET and
POST; members get 405 when they GET a POST-only URL.
"""



from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, mail
from ..forms.schools import DeleteSchoolForm, InvitationForm, RoleForm, SchoolForm
from ..models import Membership, Role, User
from ..queries.reviews import review_status
from ..services import schools as services
from ..services import twofactor
from .common import require_methods

CURRENT_SCHOOL = "current_school_id"  # session key: the school the user chose last


def _remember(request, school):
    if request.session.get(CURRENT_SCHOOL) != school.pk:
        request.session[CURRENT_SCHOOL] = school.pk


@require_GET
@login_required
def school_list(request):
    memberships = Membership.objects.filter(user=request.user).select_related("school").order_by("school__name")
    return render(request, "schools/list.html", {"memberships": memberships})


@login_required
def school_create(request):
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = services.create_school(by=request.user, **form.cleaned_data)
        _remember(request, school)
        messages.success(request, f"{school.name} is aangemaakt. Jij bent de schoolleider. Nodig nu je team uit.")
        return redirect(school)
    return render(request, "schools/create.html", {"form": form})


@require_methods("GET", access=access.get_membership)
def dashboard(request, school_id):
    membership = access.get_membership(request, school_id)
    _remember(request, membership.school)
    context = {"membership": membership, "school": membership.school, "review": review_status(membership.school)}
    if membership.is_leader:
        context["member_count"] = membership.school.memberships.count()
        context["pending_count"] = membership.school.invitations.pending().count()
    return render(request, "schools/dashboard.html", context)


def _language_of(email):
    """The language of the account with this address, if any (else the mail goes out in the sender's language)."""
    return User.objects.filter(email__iexact=email).values_list("language", flat=True).first() or None


def _invitation_link(request, invitation):
    return request.build_absolute_uri(invitation.get_absolute_url())


@require_methods("GET", "POST", access=access.get_membership_for_leader)
def team(request, school_id):
    """Members and open invitations; a leader invites (POST) from here."""
    leader = access.get_membership_for_leader(request, school_id)
    school = leader.school
    form = InvitationForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        invitation = services.create_invitation(school=school, by=request.user, **form.cleaned_data)
        sent = bool(invitation.email) and mail.send_invitation(
            invitation=invitation, link=_invitation_link(request, invitation), by=request.user,
            language=_language_of(invitation.email))
        if sent and settings.MAIL_CONFIGURED:
            messages.success(request, _("De uitnodiging is gemaild naar %(email)s. Je kunt de link hieronder ook "
                                        "zelf delen.") % {"email": invitation.email})
        elif invitation.email and settings.MAIL_CONFIGURED:
            messages.warning(request, _("De e-mail kon niet worden verstuurd. Kopieer de link hieronder en stuur hem "
                                      "zelf."))
        else:
            messages.success(request, _("De uitnodiging is klaar. Kopieer de link hieronder en stuur hem zelf."))
        return redirect("schools:team", school_id=school.pk)
    members = school.memberships.select_related("user").order_by("user__name", "user__email")
    invitations = [
        (invitation, _invitation_link(request, invitation))
        for invitation in school.invitations.pending().order_by("-created_at")
    ]
    context = {
        "school": school,
        "membership": leader,
        "members": members,
        "invitations": invitations,
        "form": form,
        "roles": Role.choices,
        "mail_configured": settings.MAIL_CONFIGURED,
        "without_two_factor": twofactor.members_without(school) if school.require_two_factor else [],
    }
    return render(request, "schools/team.html", context)


@require_methods("POST", access=access.get_member_of_school)
def change_role(request, school_id, membership_id):
    membership = access.get_member_of_school(request, school_id, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een van de rollen."))
    else:
        try:
            services.change_role(membership=membership, role=form.cleaned_data["role"])
        except services.SchoolError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"{membership.user} is nu {membership.get_role_display()}.")
            if membership.user_id == request.user.id and not membership.is_leader:
                return redirect(membership.school)  # no longer allowed on the team page
    return redirect("schools:team", school_id=school_id)


@require_methods("POST", access=access.get_member_of_school)
def remove_member(request, school_id, membership_id):
    membership = access.get_member_of_school(request, school_id, membership_id)
    try:
        services.remove_member(membership=membership)
    except services.SchoolError as e:
        messages.error(request, str(e))
        return redirect("schools:team", school_id=school_id)
    if membership.user_id == request.user.id:
        messages.success(request, _("Je bent geen lid meer van %(school)s.") % {"school": membership.school})
        return redirect("schools:list")
    messages.success(request, f"{membership.user} is geen lid meer van {membership.school}.")
    return redirect("schools:team", school_id=school_id)


@require_methods("POST", access=access.get_membership)
def leave(request, school_id):
    membership = access.get_membership(request, school_id)
    try:
        services.remove_member(membership=membership)
    except services.SchoolError as e:
        messages.error(request, str(e))
        return redirect(membership.school)
    if request.session.get(CURRENT_SCHOOL) == membership.school_id:
        del request.session[CURRENT_SCHOOL]
    messages.success(request, _("Je bent geen lid meer van %(school)s.") % {"school": membership.school})
    return redirect("schools:list")


@require_methods("POST", access=access.get_invitation_for_leader)
def revoke_invitation(request, school_id, invitation_id):
    invitation = access.get_invitation_for_leader(request, school_id, invitation_id)
    try:
        services.revoke_invitation(invitation=invitation)
    except services.SchoolError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("De uitnodiging is ingetrokken. De link werkt niet meer."))
    return redirect("schools:team", school_id=school_id)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """Public link. Signed out: who invites you and as what, then register or log in. Signed in: accept."""
    invitation = access.get_invitation_by_token(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.accept_invitation(invitation=invitation, user=request.user)
        except services.SchoolError:
            return redirect(invitation)  # the invitation page says why
        _remember(request, membership.school)
        messages.success(request, _("Welkom bij %(school)s. Je bent %(role)s.")
                         % {"school": membership.school, "role": membership.get_role_display()})
        return redirect(membership.school)
    reason = services.refusal(invitation, request.user)
    context = {"invitation": invitation, "school": invitation.school, "reason": reason}
    return render(request, "schools/accept.html", context, status=200 if invitation.is_usable else 410)


@require_methods("GET", "POST", access=access.get_membership_for_leader)
def delete_school(request, school_id):
    """A leader deletes the school by typing its name; the worker deletes it after the grace period."""
    leader = access.get_membership_for_leader(request, school_id)
    school = leader.school
    form = DeleteSchoolForm(request.POST or None, school=school)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_deletion(school=school, by=request.user, typed_name=form.cleaned_data["name"])
            except services.SchoolError as e:
                messages.error(request, str(e))
            else:
                school.refresh_from_db()
                messages.warning(request, _("%(school)s wordt op %(date)s verwijderd. Tot dan kan elke schoolleider "
                                            "dat ongedaan maken.") % {
                    "school": school.name, "date": date_format(timezone.localtime(school.deletion_due), "j F Y")})
            return redirect(school)
        status = 400
    context = {"school": school, "membership": leader, "form": form,
               "grace_days": settings.SCHOOL_DELETION_GRACE_DAYS}
    return render(request, "schools/delete.html", context, status=status)


@require_methods("POST", access=access.get_membership_for_leader)
def cancel_deletion(request, school_id):
    leader = access.get_membership_for_leader(request, school_id)
    try:
        services.cancel_deletion(school=leader.school)
    except services.SchoolError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("%(school)s wordt niet verwijderd.") % {"school": leader.school.name})
    return redirect(leader.school)
