"""Small helpers shared by the views."""

from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.utils.http import url_has_allowed_host_and_scheme

from ..access import check_member
from ..ratelimit import over_limit


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
    return over_limit(scope, get_client_ip_address(request) or "onbekend", limit, window)


def safe_next(request):
    """The `next` URL of the request when it points at this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""
