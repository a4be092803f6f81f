"""Small helpers shared by the views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed


def post_only(getter):
    """A POST-only view on one school-owned object, with the checks in the right order.

    Signed-out visitors go to the login page; anyone outside the school gets the access helper's 404
    whatever the method (so a GET reveals nothing either); a member who GETs the URL gets 405.
    `getter` is the access helper, called with the request and the view's keyword arguments.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, **kwargs):
            if request.method != "POST":
                getter(request, *kwargs.values())
                return HttpResponseNotAllowed(["POST"])
            return view(request, **kwargs)

        return wrapped

    return decorator
