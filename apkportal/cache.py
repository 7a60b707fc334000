"""The public pages and the API's answers, cached for anonymous readers.

A reader without an account gets a page that is the same for every such reader: it is kept in
the cache (Redis in production, local memory by default) under the content generation
(`sessions_app/cache.py`), the page's language and its full address (scheme, host, path and
query string), and served from there to the next reader until the content changes. Any edit,
publish or unpublish moves the generation on, so the next request renders the page afresh.

Only what every anonymous reader may see is stored: a `200` to a GET, not streamed, setting no
cookie (a form's CSRF token would be one reader's), in the language its address asked for. A
logged-in reader (an editor, who may see drafts) never reads from or writes to the cache, and
their pages are `Cache-Control: private, no-store`, so that no shared cache on the way keeps a
preview. The admin and the language switcher's POST are never cached.

Every stored page carries an ETag (a digest of its body) and `Cache-Control: public,
max-age=APK_PUBLIC_MAX_AGE`; a reader who sends the ETag back (`If-None-Match`) gets a `304`
without the body while the page is unchanged.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.translation import get_language

from sessions_app.cache import generation

# What the view may say that keeps a page out of every shared cache, ours included.
_NOT_SHARED = ("private", "no-store", "no-cache")


def page_key(request: HttpRequest, content_generation: int) -> str:
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{content_generation}:{request.LANGUAGE_CODE}:{digest}"


class PublicPageCacheMiddleware:
    """Placed after AuthenticationMiddleware (it asks who the reader is) and LocaleMiddleware
    (the page's language)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = (
            *(f"/{code}/admin/" for code, _name in settings.LANGUAGES),
            *settings.APK_PAGE_CACHE_SKIP,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.skipped):
            return self.get_response(request)
        if request.user.is_authenticated:
            # An editor's page may show drafts; a logged-in reader's is theirs alone.
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_store=True)
            return response

        content_generation = generation() if settings.APK_PAGE_CACHE_SECONDS else None
        key = page_key(request, content_generation) if content_generation is not None else None
        if key is not None:
            entry = cache.get(key)
            if entry is not None:
                content, headers = entry
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                return get_conditional_response(request, etag=response["ETag"], response=response)

        response = self.get_response(request)
        if not self._shareable(request, response):
            return response
        set_response_etag(response)
        patch_cache_control(response, public=True, max_age=settings.APK_PUBLIC_MAX_AGE)
        if key is not None and request.method == "GET":
            cache.set(
                key, (response.content, list(response.items())), settings.APK_PAGE_CACHE_SECONDS
            )
        return get_conditional_response(request, etag=response["ETag"], response=response)

    @staticmethod
    def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
        """Whether this answer is the same for every anonymous reader of the address."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        if any(word in response.get("Cache-Control", "") for word in _NOT_SHARED):
            return False
        if get_language() != request.LANGUAGE_CODE:
            return False
        return len(response.content) <= settings.APK_PAGE_CACHE_MAX_BYTES
