"""A limit on the open-data API's requests from one address, so that one client cannot take the
server for itself: `APK_API_RATE_PER_MINUTE` requests in each minute of the clock (0: no limit).

The address is the one the login protection counts by (`login_protection.client_address`, with
`DJANGO_PROXY_COUNT`). The counts are kept in the cache (Redis in production, shared by every
worker); if the cache cannot be reached, nobody is limited rather than everybody. Editors
logged in as staff are never limited. A client over the limit gets a JSON 429 with Retry-After:
the seconds until the next minute begins."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from api.middleware import is_api

from .login_protection import client_address

WINDOW_SECONDS = 60


def _now() -> float:
    return time.time()


def _count(key: str) -> int | None:
    """This request's number in its window, or None when the cache cannot say."""
    if cache.add(key, 1, timeout=2 * WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the count expired between the two calls: this request starts anew
        cache.add(key, 1, timeout=2 * WINDOW_SECONDS)
        return 1


class ApiThrottleMiddleware:
    """Placed after AuthenticationMiddleware (staff are not limited) and before the page cache
    (an answer from the cache counts too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.APK_API_RATE_PER_MINUTE
        if not limit or not is_api(request) or request.user.is_staff:
            return self.get_response(request)
        now = _now()
        window = int(now // WINDOW_SECONDS)
        count = _count(f"api-rate:{window}:{client_address(request) or 'unknown'}")
        if count is not None and count > limit:
            wait = max(1, int((window + 1) * WINDOW_SECONDS - now))
            response = JsonResponse(
                {
                    "error": f"more than {limit} requests a minute from one address; "
                    f"try again in {wait} s",
                    "limit_per_minute": limit,
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            response["Access-Control-Allow-Origin"] = "*"
            return response
        return self.get_response(request)
