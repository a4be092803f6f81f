"""Server-Timing header with the request's duration and query count (for `make bench`).

Enabled only when SERVER_TIMING=1; counts queries with a connection execute wrapper, so it works
with DEBUG off, on SQLite and PostgreSQL alike.
"""

import time

from django.db import connection


class ServerTimingMiddleware:
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
