"""The whole public archive as a file, made once per change of the content, not per request.

The file is named after the content generation (`sessions_app/cache.py`) and a digest of its
body: while the generation stands, every reader is sent the same file from disk. The first
request after a change writes the new one: into a temporary file beside it, renamed into place
when complete, so a reader never sees half a file. One process writes at a time (an exclusive
lock on a lock file); a request that comes while another builds waits a little for the file and
is otherwise told to come back (`ArchiveBusy`, answered as a 503 with Retry-After).

Only the published export goes in (`export_archive(include_drafts=False)`): drafts never do.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from sessions_app.archive import export_archive
from sessions_app.cache import generation

PREFIX = "apk-archive-"
# How long a request waits for another process to finish the file before it is told to retry.
WAIT_SECONDS = 5
# What a request that could not wait is told (seconds): about what a large archive takes to build.
RETRY_AFTER = 30
# An older file is removed this long after a newer one is written: a reader who has just found
# it has opened it by then (and an open file stays readable after removal).
KEEP_OLD_SECONDS = 120
# How long a file is sent when the cache is each worker's own (no CACHE_URL).
LOCAL_MEMORY_MAX_AGE = 60


class ArchiveBusy(Exception):
    """Another process is writing the file and it was not ready in time."""


class ArchiveUnavailable(Exception):
    """The content generation cannot be read (the cache is down): no file can be known current."""


@dataclass(frozen=True)
class ArchiveFile:
    path: Path
    digest: str

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'


def _directory() -> Path:
    path = Path(settings.APK_ARCHIVE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _max_age() -> float | None:
    # With local memory each worker process has its own generation and does not see an edit
    # made through another; the file then lives a minute at most, as a cached page does there.
    if isinstance(caches["default"], LocMemCache):
        return LOCAL_MEMORY_MAX_AGE
    return None


def _current(directory: Path, content_generation: int) -> ArchiveFile | None:
    max_age = _max_age()
    for path in directory.glob(f"{PREFIX}{content_generation}-*.json"):
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            continue
        if max_age is not None and age >= max_age:
            continue
        return ArchiveFile(path, path.stem.rsplit("-", 1)[1])
    return None


class _HashingWriter:
    """Writes text to a binary file as UTF-8 and keeps the digest of what it wrote."""

    def __init__(self, file) -> None:
        self.file = file
        self.hash = hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hash.update(data)
        self.file.write(data)


def build(directory: Path, content_generation: int) -> ArchiveFile:
    """Write the public archive for this generation (the caller holds the lock)."""
    data = export_archive(include_drafts=False)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".building-", suffix=".json")
    try:
        with os.fdopen(handle, "wb") as file:
            writer = _HashingWriter(file)
            # Written in pieces as it is encoded: the text is never whole in memory.
            json.dump(data, writer, ensure_ascii=False, indent=1)
            file.flush()
            os.fsync(file.fileno())
        digest = writer.hash.hexdigest()[:32]
        path = directory / f"{PREFIX}{content_generation}-{digest}.json"
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _remove_old(directory, keep=path)
    return ArchiveFile(path, digest)


def _remove_old(directory: Path, *, keep: Path) -> None:
    now = time.time()
    for path in [*directory.glob(f"{PREFIX}*.json"), *directory.glob(".building-*.json")]:
        if path == keep:
            continue
        try:
            # A temporary file this old belongs to a process that died while writing.
            limit = KEEP_OLD_SECONDS if path.name.startswith(PREFIX) else 3600
            if now - path.stat().st_mtime > limit:
                path.unlink()
        except FileNotFoundError:
            pass


def current_archive() -> ArchiveFile:
    """The file of the published archive as it is now, written first if the content changed."""
    content_generation = generation()
    if content_generation is None:
        raise ArchiveUnavailable
    directory = _directory()
    found = _current(directory, content_generation)
    if found is not None:
        return found
    with open(directory / ".lock", "a") as lock:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ArchiveBusy from None
                time.sleep(0.1)
        try:
            # Another process may have written it while this one waited for the lock.
            found = _current(directory, content_generation)
            return found or build(directory, content_generation)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
