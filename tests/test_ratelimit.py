"""Rate limits are counted in Redis: exact under concurrent requests, and a Redis that is down refuses nobody."""

from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache

from agreements.ratelimit import over_limit


def test_concurrent_requests_are_counted_exactly():
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: over_limit("test-burst", "10.0.0.1", 30, 60), range(100)))
    assert results.count(False) == 30
    assert results.count(True) == 70


def test_each_client_and_scope_has_its_own_count():
    assert [over_limit("upload", "10.0.0.1", 1, 60) for _ in range(2)] == [False, True]
    assert over_limit("upload", "10.0.0.2", 1, 60) is False
    assert over_limit("lookup", "10.0.0.1", 1, 60) is False


def test_the_counter_expires_with_its_window():
    over_limit("expiring", "10.0.0.1", 5, 60)
    key = cache.make_and_validate_key("ratelimit:expiring:10.0.0.1")
    ttl = cache._cache.get_client(key).ttl(key)
    assert 55 <= ttl <= 60


def test_an_unreachable_redis_lets_the_request_through(settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    assert [over_limit("down", "10.0.0.1", 1, 60) for _ in range(3)] == [False, False, False]
