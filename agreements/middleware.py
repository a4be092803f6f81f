"""Request middleware: unchanged polls answered first, the signed-in user's language, and the Server-Timing header
for `make bench`."""

import time

from django.conf import settings
from django.db import connection
from django.urls import Resolver404, resolve
from django.utils import translation


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
