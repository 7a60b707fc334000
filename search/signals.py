"""Keeps the search index in step with the content: these receivers only note what changed
(indexing.mark/pending) and ask for the index to be brought up to date when the transaction
commits (indexing.flush). The admin and the import flush before they commit (indexing.in_step),
so their changes and the index are written in one transaction. A change is visible to the next
search at once.

Fixture loading (raw saves) is skipped: run `manage.py rebuild_search_index` after it. A
migrate that finds content but no index at all builds it.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from search.models import SearchDocument, SearchKind
from sessions_app.models import Figure, Session, Speaker, Speech, Statement, Topic
from sessions_app.signals import content_written

from . import indexing


@receiver(post_save, sender=Statement, dispatch_uid="search_statement_saved")
@receiver(post_delete, sender=Statement, dispatch_uid="search_statement_deleted")
def statement_changed(sender, instance: Statement, raw=False, **kwargs):
    if not raw:
        indexing.mark(SearchKind.STATEMENT, instance.pk)
        indexing.schedule()


@receiver(post_save, sender=Figure, dispatch_uid="search_figure_saved")
@receiver(post_delete, sender=Figure, dispatch_uid="search_figure_deleted")
def figure_changed(sender, instance: Figure, raw=False, **kwargs):
    # A statement's figures are part of its text.
    if not raw:
        indexing.mark(SearchKind.STATEMENT, instance.statement_id)
        indexing.schedule()


@receiver(post_save, sender=Speech, dispatch_uid="search_speech_saved")
@receiver(post_delete, sender=Speech, dispatch_uid="search_speech_deleted")
def speech_changed(sender, instance: Speech, raw=False, **kwargs):
    if not raw:
        indexing.mark(SearchKind.SPEECH, instance.pk)
        todo = indexing.pending()
        # Its statements follow its session, speaker, date and status.
        todo.speeches_moved.add(instance.pk)
        todo.speeches.add(instance.pk)
        indexing.schedule()


@receiver(post_save, sender=Session, dispatch_uid="search_session_saved")
@receiver(post_delete, sender=Session, dispatch_uid="search_session_deleted")
def session_changed(sender, instance: Session, raw=False, **kwargs):
    if not raw:
        indexing.mark(SearchKind.SESSION, instance.pk)
        indexing.pending().sessions.add(instance.pk)
        indexing.schedule()


def _names(model, pk) -> tuple:
    fields = [f"name_{lang}" for lang in indexing.LANGS]
    return tuple(model.objects.filter(pk=pk).values_list(*fields).first() or ())


@receiver(pre_save, sender=Topic, dispatch_uid="search_topic_saving")
@receiver(pre_save, sender=Speaker, dispatch_uid="search_speaker_saving")
def named_saving(sender, instance, raw=False, **kwargs):
    # Remember the names: a topic's name is part of its statements' titles, a speaker's of
    # their speeches' text, and only a change of name needs those indexed again.
    if not raw and instance.pk:
        instance._search_names = _names(sender, instance.pk)


@receiver(post_save, sender=Topic, dispatch_uid="search_topic_saved")
@receiver(post_delete, sender=Topic, dispatch_uid="search_topic_deleted")
def topic_changed(sender, instance: Topic, raw=False, **kwargs):
    if raw:
        return
    indexing.mark(SearchKind.TOPIC, instance.pk)
    if _renamed(instance, kwargs):
        indexing.pending().topics_renamed.add(instance.pk)
    indexing.schedule()


@receiver(post_save, sender=Speaker, dispatch_uid="search_speaker_saved")
@receiver(post_delete, sender=Speaker, dispatch_uid="search_speaker_deleted")
def speaker_changed(sender, instance: Speaker, raw=False, **kwargs):
    if raw:
        return
    indexing.mark(SearchKind.SPEAKER, instance.pk)
    if _renamed(instance, kwargs):
        indexing.pending().speakers_renamed.add(instance.pk)
    indexing.schedule()


def _renamed(instance, kwargs) -> bool:
    if kwargs.get("signal") is post_delete:
        return False
    before = getattr(instance, "_search_names", None)
    after = tuple(getattr(instance, f"name_{lang}", None) for lang in indexing.LANGS)
    return before is not None and before != after


@receiver(post_migrate, dispatch_uid="search_build_missing_index")
def build_missing_index(sender, verbosity=1, **kwargs):
    """The first migrate after search arrives (or on a database loaded without it) finds
    content but no index: build it then, so the archive is searchable at once."""
    if sender.name != "search":
        return
    if SearchDocument._meta.db_table not in connection.introspection.table_names():
        return  # search is migrated back (to zero)
    if SearchDocument.objects.exists():
        return
    if not any(model.objects.exists() for model in (Session, Speaker, Topic)):
        return
    report = indexing.rebuild()
    if verbosity:
        print(f"Built the search index: {report.documents} documents in {report.seconds:.1f} s.")


@receiver(content_written, dispatch_uid="search_content_written")
def bring_index_up_to_date(sender, changed=None, **kwargs):
    """A writer (the admin, the import) is about to commit: its changes are indexed in its own
    transaction, with what it wrote in bulk (no post_save) noted as the receivers above would."""
    for model, records in (changed or {}).items():
        _note_bulk_write(model, records)
    indexing.flush()


def _note_bulk_write(model, records: dict[int, set[str]]) -> None:
    kind = {
        Statement: SearchKind.STATEMENT,
        Speech: SearchKind.SPEECH,
        Session: SearchKind.SESSION,
        Topic: SearchKind.TOPIC,
        Speaker: SearchKind.SPEAKER,
    }.get(model)
    if kind is None or not records:
        return
    indexing.mark(kind, *records)
    todo = indexing.pending()
    if model is Speech:
        todo.speeches_moved.update(records)
        todo.speeches.update(records)
    elif model is Session:
        todo.sessions.update(records)
    elif model in (Topic, Speaker):
        renamed = todo.topics_renamed if model is Topic else todo.speakers_renamed
        # A new record has nothing indexed under its name yet.
        renamed.update(
            pk
            for pk, names in records.items()
            if "*" not in names and any(name.startswith("name_") for name in names)
        )
