"""Every mail the app sends goes through this module: one function per mail, and one template pair per mail
(templates/mail/<name>.txt for the text, templates/mail/<name>.html for the HTML part; <name>_subject.txt for
the subject line). Mail goes through Django's mail: files in DATA_DIR/mail by default, SMTP when configured.

A new mail is three small files: a function here and its two templates.
"""

import logging
from smtplib import SMTPException

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send(name, *, to, context, language=None):
    """Render templates/mail/<name>*.{txt,html} with `context` and send them to the addresses in `to`.

    `language` is the recipient's (their User.language, else the sender's); None keeps the active one.
    True when the mail went out; a failing mail server is logged and answers False (the caller tells the user).
    """
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(f"mail/{name}_subject.txt", context).split())
        message = EmailMultiAlternatives(subject=subject, body=render_to_string(f"mail/{name}.txt", context), to=to)
        message.attach_alternative(render_to_string(f"mail/{name}.html", context), "text/html")
    try:
        message.send()
    except (SMTPException, OSError):
        logger.exception("mail %r to %d address(es) failed", name, len(to))
        return False
    return True


def send_invitation(*, invitation, link, by, language=None):
    """The link to join a school, to the address the leader typed, in the recipient's language."""
    return send("invitation", to=[invitation.email], context={"invitation": invitation, "link": link, "by": by},
                language=language)


def send_reassessment_reminder(*, assessment, to, language, link, today):
    """To the school's leaders: an approved AI tool is due for re-assessment (beat, once per date). In `language`."""
    with translation.override(language):
        return send("reassessment_reminder", to=to, context={
            "tool": assessment.tool, "assessment": assessment, "school": assessment.tool.school, "link": link,
            "overdue": assessment.reassess_on < today,
        })


def send_email_change_confirmation(*, user, new_email, link):
    """The link that confirms a new address, to that new address."""
    return send("email_change_confirm", to=[new_email], context={"user": user, "new_email": new_email, "link": link})


def send_email_change_requested(*, user, new_email):
    """The old address is told that someone asked to move the account to another address."""
    return send("email_change_requested", to=[user.email], context={"user": user, "new_email": new_email})


def send_email_changed(*, user, old_email):
    """After the change: the old address is told, so a stolen session cannot move an account unnoticed."""
    return send("email_changed", to=[old_email], context={"user": user, "old_email": old_email})


def send_review_reminder(*, to, language, school, version, milestone, days_left, link):
    """The review date of the adopted policy is coming (or has come): start the review draft. In `language`."""
    with translation.override(language):
        return send("review_reminder", to=to, context={
            "school": school, "version": version, "milestone": milestone, "days_left": days_left,
            "late_days": -days_left, "link": link, "is_mr_copy": milestone == 7,
        })


def send_activation(*, user, link, school):
    """After a school moved here: the link that lets a member choose a password and so switch the account on."""
    return send("activation", to=[user.email], context={"user": user, "link": link, "school": school},
                language=user.language or None)
