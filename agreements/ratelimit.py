"""Rate limits counted in Redis (the Django cache): exact, shared by every web process.

One counter per scope and client; its window starts at the first request. INCR and EXPIRE NX run in one
MULTI, so concurrent requests each get their own count and a counter can never lose its expiry.
A Redis that is down (for the second it takes to restart) lets the request through: a missed count is
better than an error page.
"""

import logging

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
