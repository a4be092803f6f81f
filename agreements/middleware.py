"""Middleware: unchanged meeting polls answered first, refusing unreadable requests, our error pages with
debugging on, the signed-in user's language, the second step of the login (2FA), and (for `make bench`) the
Server-Timing header.

The Server-Timing header carries the request's duration and query count (for `make bench`). It is enabled
only when SERVER_TIMING=1; it counts queries with a connection execute wrapper, so it works with DEBUG off, on
SQLite and PostgreSQL alike.
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode

from .views import errors
from .views.twofactor import PENDING_KEY, STEP_PAGES

logger = logging.getLogger(__name__)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# gunicorn refuses a request line over 4094 bytes; the same limit here keeps a 100,000-character URL from reaching a
# view (a login redirect carrying it in `next` would exceed what Django allows in a Location header).
MAX_URL_LENGTH = 4094


class UnchangedPollMiddleware:
    """An unchanged poll is answered here, before the session, the language and the user are looked at.

    A view opts in with an `unchanged_poll` attribute: a function (request, **url kwargs) that returns a response
    (204) when the poll's signed state still matches the meeting's counters in the cache, else None (the request
    then goes through every middleware and the view as usual). Only GETs with a `state` parameter are looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and "state" in request.GET:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            check = getattr(match.func, "unchanged_poll", None) if match else None
            if check is not None:
                response = check(request, **match.kwargs)
                if response is not None:
                    return response
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's own language (User.language) wins over the cookie and Accept-Language.

    Runs after LocaleMiddleware (which reads the cookie, then Accept-Language) and AuthenticationMiddleware.
    A user without a stored language (just registered, or from before languages existed) keeps, when they sign
    in, the language the browser was using, and it is stored. Responses to a signed-in user carry their language
    in the cookie, so the browser remembers it after they sign out too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language and user.language != request.LANGUAGE_CODE:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        signed_in_now = request.user is not user  # login() replaces request.user
        user = request.user
        if user.is_authenticated:
            if signed_in_now and not user.language:
                user.language = request.LANGUAGE_CODE
                user.save(update_fields=["language"])
            if user.language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    user.language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
        return response


class ServerTimingMiddleware:
    """Server-Timing header with the request's duration and query count (for `make bench`).

    Enabled only when SERVER_TIMING=1; counts queries with a connection execute wrapper, so it works
    with DEBUG off, on SQLite and PostgreSQL alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stats = {"count": 0, "seconds": 0.0}

        def counter(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["count"] += 1
                stats["seconds"] += time.perf_counter() - start

        start = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        total_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f'app;dur={total_ms:.2f}, db;desc="{stats["count"]} queries";dur={stats["seconds"] * 1000:.2f}'
        )
        response["X-Query-Count"] = str(stats["count"])
        return response


class ReadableRequestMiddleware:
    """A request whose query or form body cannot be decoded gets our 400 page here, before anything reads it.

    A POST that declares a charset in which plain form data does not decode (`charset=utf-16`, `rot13`, …)
    used to raise while the CSRF check read request.POST, and Django's own 400 view ran that check again:
    a 500. This decodes the query and an url-encoded body once, early; a multipart body (the verify page's
    upload, which checks its size before parsing) is left alone except for its charset. A body over
    DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields, a URL over 4094 characters and a NUL byte in the query,
    the form or a cookie get the same 400, without a traceback in the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.readable(request):
            return errors.bad_request(request)
        return self.get_response(request)

    @staticmethod
    def readable(request):
        if len(request.get_full_path()) > MAX_URL_LENGTH:
            logger.warning("request refused with 400: a URL of %d characters", len(request.get_full_path()))
            return False
        charset = request.content_params.get("charset") if request.content_params else None
        try:
            if charset and b"a=1&b=%C3%A9".decode(charset) != "a=1&b=%C3%A9":
                return False
            parts = [request.GET, request.COOKIES]  # request.GET decodes the query string
            if request.content_type == "application/x-www-form-urlencoded" and request.method not in SAFE_METHODS:
                parts.append(request.POST)  # decodes the body
            # PostgreSQL refuses a NUL byte in a text value: no query, search or cookie may carry one to a query.
            if any("\x00" in key or "\x00" in value for part in parts for key, value in _pairs(part)):
                raise ValueError("a NUL byte in the query, the form or a cookie")
        except (UnicodeError, LookupError, ValueError, BadRequest, SuspiciousOperation) as e:
            logger.warning("unreadable request refused with 400: %s %s: %s", request.method, request.path, e)
            return False
        return True


def _pairs(mapping):
    if hasattr(mapping, "lists"):  # a QueryDict: every value of a repeated field
        return [(key, value) for key, values in mapping.lists() for value in values]
    return mapping.items()


class ErrorPagesMiddleware:
    """Our 404 and 403 pages with DJANGO_DEBUG=1 as well (Django shows its technical 404 page then, which lists
    every URL pattern). Without debugging Django calls our handlers itself (policybuilder/urls.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None
                and not getattr(response, "is_error_page", False)):
            return errors.page_not_found(request)  # no URL pattern matched
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return errors.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return errors.permission_denied(request, exception)
        return None


TWOFACTOR_OPEN = ("twofactor_cancel", "logout", "privacy")


class TwoFactorMiddleware:
    """Between the password and the second factor, a signed-in user reaches only the page of that step (and
    logout): a user who switched 2FA on gives a code, one whose school requires it sets it up. Reads only the
    session (LoginView sets the key), so other requests cost no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = request.session.get(PENDING_KEY) if hasattr(request, "session") else None
        if step in STEP_PAGES and not request.path.startswith(settings.STATIC_URL):
            page = reverse(STEP_PAGES[step])
            allowed = {page, *(reverse(name) for name in TWOFACTOR_OPEN)}
            if request.path not in allowed:
                return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
