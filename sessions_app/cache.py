"""The content generation: one number, kept in the cache, that every change to the content moves
on. Whatever is cached from the content (the public pages, the API's answers) is keyed on it, so
one edit, publish or unpublish makes every cached page out of date at once, in every worker that
shares the cache; the old entries are never read again and simply expire.

It moves on at every save and delete of a content model, at `content_written` (the admin's and
the import's bulk writes), and once more when the writing transaction commits: a reader that
rendered the old content while the transaction was open cached it under a generation that the
commit leaves behind.
"""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .signals import content_written

GENERATION_KEY = "content-generation"


def _start() -> int:
    # A lost key (evicted, a cache restarted) starts again from the clock in microseconds: above
    # every number handed out before, so a page cached under an old generation is never read.
    return time.time_ns() // 1000


def generation() -> int | None:
    """The current generation, or None when the cache cannot be reached (then nothing is cached)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _start(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def kept_key(name: str) -> str | None:
    """The key under which a value read from the content as it is now is kept (`name` says
    which), or None when nothing is kept (caching is off, or the cache cannot be reached). Take
    it before reading the content: a change made meanwhile moves the generation past it."""
    if not settings.APK_PAGE_CACHE_SECONDS:
        return None
    current = generation()
    return None if current is None else f"kept:{current}:{name}"


def read_kept(key: str | None) -> Any:
    return None if key is None else cache.get(key)


def keep(key: str | None, value: Any) -> None:
    if key is not None:
        cache.set(key, value, settings.APK_PAGE_CACHE_SECONDS)


def advance() -> None:
    """Make everything cached from the content out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or it was lost: a fresh one is above any before
        cache.add(GENERATION_KEY, _start(), timeout=None)


def content_changed(**kwargs) -> None:
    advance()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback is advance for _sids, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(advance)


def connect() -> None:
    """Called once the models are loaded (SessionsAppConfig.ready)."""
    for model in apps.get_app_config("sessions_app").get_models():
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache_saved_{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache_deleted_{model}")
    content_written.connect(content_changed, dispatch_uid="cache_content_written")
