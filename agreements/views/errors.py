"""Our own error pages: 400, 403 (also a failed CSRF check), 404, 429 and 500, in Dutch, in the base layout.

Django calls these as handler400/403/404/500 (policybuilder/urls.py) and CSRF_FAILURE_VIEW; the rate limits
answer with too_many_requests(). None of them reads the request body or runs the CSRF check again, so a
request that broke on its body (an undecodable charset) still gets its page. The 500 page is rendered without
the request: it must work when the database is what failed.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _back(request):
    """The page the visitor came from, when it is on this site (the Referer; our policy sends it same-origin)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for a Host header we do not serve
        return ""
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return referer
    return ""


def _page(request, status, title, text):
    context = {"status": status, "title": title, "text": text, "back_url": _back(request)}
    response = render(request, "errors/error.html", context, status=status)
    response.is_error_page = True
    return response


def bad_request(request, exception=None):
    return _page(request, 400, _("Dit verzoek kunnen we niet lezen"),
                 _("Je browser stuurde iets dat we niet begrijpen. Ga terug en probeer het nog een keer."))


def permission_denied(request, exception=None):
    return _page(request, 403, _("Dit mag je niet doen"),
                 _("Je hebt geen toegang tot deze pagina of deze handeling."))


def csrf_failure(request, reason=""):
    return _page(request, 403, _("Het formulier is verlopen"),
                 _("We konden niet controleren dat dit formulier van deze site komt. Misschien stond de pagina "
                   "te lang open, of blokkeert je browser cookies. Ga terug, laad de pagina opnieuw en probeer "
                   "het nog een keer."))


def page_not_found(request, exception=None):
    return _page(request, 404, _("Deze pagina bestaat niet"),
                 _("Misschien is de link oud of zit er een tikfout in het adres."))


def too_many_requests(request, text=None):
    """The answer of a rate limit: 429 with what to do."""
    return _page(request, 429, _("Even wachten"),
                 text or _("Je hebt het in korte tijd te vaak geprobeerd. Wacht een minuut en probeer het dan "
                           "opnieuw."))


def server_error(request):
    html = loader.get_template("errors/error.html").render({
        "status": 500,
        "title": _("Er ging iets mis"),
        "text": _("Er ging bij ons iets mis. Het ligt niet aan jou. Probeer het over een paar minuten opnieuw."),
    })
    response = HttpResponse(html, status=500)
    response.is_error_page = True
    return response
