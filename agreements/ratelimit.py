"""Rate limits counted in Redis (the Django cache): exact, shared by every web process.

One counter per scope and client; its window starts at the first request. INCR and EXPIRE NX run in one
MULTI, so concurrent requests each get their own count and a counter can never lose its expiry.
A Redis that is down (for the second it takes to restart) lets the request through: a missed count is
better than an error page.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def over_limit(scope, client, limit, window):
    """Count one request of `scope` by `client`; True when that makes more than `limit` within `window` seconds."""
    key = cache.make_and_validate_key(f"ratelimit:{scope}:{client}")
    try:
        redis = cache._cache.get_client(key, write=True)  # Django's RedisCache exposes no atomic "incr or create"
        with redis.pipeline(transaction=True) as pipe:
            count, _ = pipe.incr(key).expire(key, window, nx=True).execute()
    except Exception:  # redis.ConnectionError, TimeoutError, …: never refuse or fail a request for it
        logger.warning("rate limit %s not counted: the cache is unreachable", scope, exc_info=True)
        return False
    return count > limit


def reached(scope, client, limit):
    """True when `client` already made more than `limit` requests of `scope` in the current window (not counted)."""
    key = cache.make_and_validate_key(f"ratelimit:{scope}:{client}")
    try:
        count = cache._cache.get_client(key).get(key)
    except Exception:  # as over_limit: an unreachable cache lets the request through
        logger.warning("rate limit %s not read: the cache is unreachable", scope, exc_info=True)
        return False
    return int(count or 0) > limit


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with DJANGO_PROXY_COUNT=n trusted proxies in front, the n-th address
    from the right of X-Forwarded-For (what the outermost of our proxies saw). Also django-axes' address
    (None when unknown, as axes expects)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    candidate = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
