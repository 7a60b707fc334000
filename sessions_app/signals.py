"""What the content tells the apps that keep something derived from it (the search index), so
that it need not know them: they connect to `content_written`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal

# Sent by a writer (the admin, the import) inside its transaction, just before it commits: the
# receivers bring what they derive up to date in the same transaction, so content and derived
# data are written together or not at all. `changed` lists what was written in bulk, without
# save() and so without post_save: {model: {pk: names of the fields that changed ("*" for a
# new record)}}; a change to a statement's figures is listed as its statement's ("figures").
content_written = Signal()

Changed = dict[type[Model], dict[int, set[str]]]


def written(*, changed: Changed | None = None) -> None:
    """Say that this transaction's changes to the content are complete."""
    content_written.send(sender=None, changed=changed or {})


@contextmanager
def writing() -> Iterator[None]:
    """A transaction whose changes are announced with `written()` before it commits."""
    with transaction.atomic():
        yield
        written()
