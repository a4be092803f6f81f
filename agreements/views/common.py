"""Small helpers shared by the views."""

import unicodedata
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from ..access import check_member
from ..ratelimit import client_ip, over_limit, reached


def require_methods(*methods, access=None):
    """Like Django's require_http_methods, with the checks in the right order for school data.

    Signed-out visitors go to the login page; anyone outside the school of an object named in the URL
    gets a 404 whatever the method (so a wrong method reveals nothing either); a member who uses
    another method gets 405. The view itself still fetches its objects through agreements/access.py.
    `access`, when given, is the view's own access helper (e.g. a leader-only one), called with the
    request and the URL's arguments instead of the member check.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, **kwargs):
            method = "GET" if request.method == "HEAD" else request.method
            if method not in methods:
                if access:
                    access(request, *kwargs.values())
                else:
                    check_member(request, **kwargs)
                return HttpResponseNotAllowed(methods)
            return view(request, **kwargs)

        return wrapped

    return decorator


require_get = require_methods("GET")
require_post = require_methods("POST")


def rate_limited(request, scope, limit, window):
    """True when this client address has made more than `limit` requests of `scope` within `window` seconds."""
    return over_limit(scope, client_ip(request) or "onbekend", limit, window)


def rate_limit_reached(request, scope, limit):
    """True when this client address is already over `limit` for `scope` (this request is not counted)."""
    return reached(scope, client_ip(request) or "onbekend", limit)


def safe_next(request, field="next"):
    """The page a form or link asks to go back to (`next` in the POST, else the query), when it is a path on this
    site: one leading "/", no scheme or host, no control characters. Anything else (a bare word, another host,
    "//evil", "/\\evil", a NUL byte) gives "": the caller's default page.
    """
    url = request.POST.get(field) or request.GET.get(field) or ""
    if (
        not url.startswith("/")
        or url.startswith(("//", "/\\"))
        or len(url) > 2000
        or any(unicodedata.category(ch)[0] in "CZ" for ch in url)  # control, format, space, separator
        or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure())
    ):
        return ""
    return url


def redirect_next(request, default, field="next"):
    """Redirect to safe_next(), else to `default` (a URL). Never resolves a view name, so no input makes a 500."""
    return HttpResponseRedirect(safe_next(request, field) or default)
