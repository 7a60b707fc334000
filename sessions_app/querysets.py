"""Reads of the archive, and the one definition of what the public sees. Each kind's rule is
spelled once, here, and builds on the one before it:

- a session is public when it is published;
- a speech when it is published and its session is public;
- a statement (and its figures) when its speech is public;
- a topic when a public statement is filed under it (a speech reaches its topics only through
  its statements, so a public speech's topics are exactly its public statements' topics);
- a speaker when they gave a public speech or chaired a public session.

Pages, lists and their counts, filters, feeds, the sitemap, the search index, the API and the
public export all read through `published()`, or `visible_to(user)` where editors preview
drafts."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

# The status of a published session or speech: the value of models.Status.PUBLISHED, which is
# defined from it. This module knows the models only through its querysets' own relations, so
# models.py (which builds its managers from here) is never imported back.
PUBLISHED = "published"


def _status_published(prefix: str) -> Q:
    return Q(**{f"{prefix}status": PUBLISHED})


def _related(queryset: models.QuerySet | models.Manager, name: str) -> type[models.Model]:
    """The model at the other end of the relation `name` of the queryset's model."""
    return queryset.model._meta.get_field(name).related_model


def public_session(prefix: str = "") -> Q:
    """A public session, as a condition on the session at `prefix` (e.g. "speeches__session__")."""
    return _status_published(prefix)


def public_speech(prefix: str = "") -> Q:
    """A public speech, as a condition on the speech at `prefix` (e.g. "speeches__")."""
    return _status_published(prefix) & public_session(f"{prefix}session__")


def public_statement(prefix: str = "") -> Q:
    """A public statement, as a condition on the statement at `prefix` (e.g. "statements__")."""
    return public_speech(f"{prefix}speech__")


def count_of(queryset: models.QuerySet, distinct: str | None = None) -> Coalesce:
    """How many rows `queryset` finds (or how many distinct values of its field `distinct`), as
    a subquery correlated by its OuterRef: each count is read from the indexes its filter uses,
    where a COUNT(DISTINCT …) of the outer rows joined to every statement reads the archive."""
    if distinct:
        template, expressions = "COUNT(DISTINCT %(expressions)s)", [F(distinct)]
    else:
        template, expressions = "COUNT(*)", []
    count = Func(*expressions, template=template, output_field=IntegerField())
    return Coalesce(Subquery(queryset.order_by().annotate(n=count).values("n")), 0)


def can_preview(user) -> bool:
    """Staff see drafts (as a marked preview); everybody else sees what is published."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


class PublishedQuerySet(models.QuerySet):
    """`published()` is each kind's rule; `visible_to(user)` adds editors' previews."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self if can_preview(user) else self.published()


class SessionQuerySet(PublishedQuerySet):
    def published(self) -> SessionQuerySet:
        return self.filter(public_session())

    def with_chair(self) -> SessionQuerySet:
        return self.select_related("chair")

    def with_published_speeches(self) -> SessionQuerySet:
        """Each session's public speeches, in order, as `published_speeches`."""
        Speech = _related(self, "speeches")

        speeches = Speech.objects.published().select_related("speaker").order_by("order", "pk")
        return self.prefetch_related(
            Prefetch("speeches", queryset=speeches, to_attr="published_speeches")
        )

    def with_counts(self) -> SessionQuerySet:
        """`speech_count`: the session's public speeches."""
        Speech = _related(self, "speeches")

        return self.annotate(
            speech_count=count_of(Speech.objects.published().filter(session=OuterRef("pk")))
        )

    def newest_first(self) -> SessionQuerySet:
        return self.order_by("-date", "-number")


class SpeechQuerySet(PublishedQuerySet):
    def published(self) -> SpeechQuerySet:
        return self.filter(public_speech())

    def with_people(self) -> SpeechQuerySet:
        return self.select_related("speaker", "session", "session__chair")


class StatementQuerySet(PublishedQuerySet):
    def published(self) -> StatementQuerySet:
        return self.filter(public_statement())

    def with_context(self) -> StatementQuerySet:
        return self.select_related("topic", "speech", "speech__speaker", "speech__session")

    def with_figures(self) -> StatementQuerySet:
        return self.prefetch_related("figures")


class TopicQuerySet(PublishedQuerySet):
    def published(self) -> TopicQuerySet:
        Statement = _related(self, "statements")

        return self.filter(Exists(Statement.objects.published().filter(topic=OuterRef("pk"))))

    def with_statement_counts(self) -> TopicQuerySet:
        """`statement_count`: the topic's public statements."""
        Statement = _related(self, "statements")
        Speech = _related(Statement.objects, "speech")

        # All the topic's statements, counted on its index, less those in speeches that are not
        # public (drafts are few): 5x faster than looking up each statement's speech.
        on_topic = Statement.objects.filter(topic=OuterRef("pk"))
        hidden = Speech.objects.exclude(public_speech())
        return self.annotate(
            statement_count=count_of(on_topic) - count_of(on_topic.filter(speech__in=hidden))
        )

    def with_counts_among(self, speeches) -> TopicQuerySet:
        """`n`: the topic's statements in `speeches` (a list or a queryset of those the reader
        sees): a statement is shown exactly when its speech is."""
        Statement = _related(self, "statements")

        statements = Statement.objects.filter(topic=OuterRef("pk"), speech__in=speeches)
        return self.annotate(n=count_of(statements))

    def with_session_counts(self, speeches: models.QuerySet) -> TopicQuerySet:
        """`session_count`: the sessions of `speeches` (public ones, or those an editor sees,
        narrowed as a list requires) that have a statement on the topic. A statement is shown
        exactly when its speech is, so the speeches say which statements count."""
        Statement = _related(self, "statements")

        statements = Statement.objects.filter(topic=OuterRef("pk"), speech__in=speeches)
        return self.annotate(session_count=count_of(statements, distinct="speech__session"))


class SpeakerQuerySet(PublishedQuerySet):
    def published(self) -> SpeakerQuerySet:
        Speech, Session = _related(self, "speeches"), _related(self, "chaired_sessions")

        speeches = Speech.objects.published().filter(speaker=OuterRef("pk"))
        chaired = Session.objects.published().filter(chair=OuterRef("pk"))
        return self.filter(Exists(speeches) | Exists(chaired))

    def with_speech_counts(self) -> SpeakerQuerySet:
        """`speech_count`: the speaker's public speeches."""
        Speech = _related(self, "speeches")

        return self.annotate(
            speech_count=count_of(Speech.objects.published().filter(speaker=OuterRef("pk")))
        )

    def with_session_counts(self, speeches: models.QuerySet) -> SpeakerQuerySet:
        """`session_count`: the sessions at which the speaker gave one of `speeches`."""
        # Speeches are few beside statements: joined once, with `speeches` read once as a set,
        # rather than narrowed again for each speaker (5x faster on PostgreSQL with a topic).
        return self.annotate(
            session_count=Count("speeches__session", filter=Q(speeches__in=speeches), distinct=True)
        )
