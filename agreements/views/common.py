"""Small helpers shared by the views."""

import time
from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponseNotAllowed

from ..access import check_member


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
    """True when this client address has made more than `limit` requests of `scope` in this window.

    A fixed-window counter in the Django cache, so it is shared by all web processes (file cache in the
    embedded default, Redis in production).
    """
    address = get_client_ip_address(request) or "onbekend"
    key = f"ratelimit:{scope}:{address}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 5):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return False
