"""Reads of the archive. "Published" means the same thing on every surface: a speech is public
only when it and its session are published, a statement only when its speech is public."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class SessionQuerySet(models.QuerySet):
    def published(self) -> SessionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user) -> SessionQuerySet:
        return self if can_preview(user) else self.published()

    def with_chair(self) -> SessionQuerySet:
        return self.select_related("chair")

    def with_public_speeches(self) -> SessionQuerySet:
        from .models import Speech

        return self.prefetch_related(
            Prefetch(
                "speeches",
                queryset=Speech.objects.filter(status=Status.PUBLISHED).select_related("speaker"),
                to_attr="public_speeches",
            )
        )

    def with_counts(self) -> SessionQuerySet:
        return self.annotate(
            speech_count=Count(
                "speeches", filter=Q(speeches__status=Status.PUBLISHED), distinct=True
            ),
        )

    def newest_first(self) -> SessionQuerySet:
        return self.order_by("-date", "-number")


class SpeechQuerySet(models.QuerySet):
    def published(self) -> SpeechQuerySet:
        return self.filter(status=Status.PUBLISHED, session__status=Status.PUBLISHED)

    def visible_to(self, user) -> SpeechQuerySet:
        return self if can_preview(user) else self.published()

    def with_people(self) -> SpeechQuerySet:
        return self.select_related("speaker", "session", "session__chair")


class StatementQuerySet(models.QuerySet):
    def published(self) -> StatementQuerySet:
        return self.filter(
            speech__status=Status.PUBLISHED, speech__session__status=Status.PUBLISHED
        )

    def visible_to(self, user) -> StatementQuerySet:
        return self if can_preview(user) else self.published()

    def with_context(self) -> StatementQuerySet:
        return self.select_related("topic", "speech", "speech__speaker", "speech__session")

    def with_figures(self) -> StatementQuerySet:
        return self.prefetch_related("figures")


class TopicQuerySet(models.QuerySet):
    def with_public_statement_counts(self) -> TopicQuerySet:
        public = Q(
            statements__speech__status=Status.PUBLISHED,
            statements__speech__session__status=Status.PUBLISHED,
        )
        return self.annotate(statement_count=Count("statements", filter=public, distinct=True))

    def in_use(self) -> TopicQuerySet:
        """Topics with at least one public statement."""
        return self.with_public_statement_counts().filter(statement_count__gt=0)


class SpeakerQuerySet(models.QuerySet):
    def with_public_speech_counts(self) -> SpeakerQuerySet:
        public = Q(speeches__status=Status.PUBLISHED, speeches__session__status=Status.PUBLISHED)
        return self.annotate(speech_count=Count("speeches", filter=public, distinct=True))

    def visible_to(self, user) -> SpeakerQuerySet:
        """Speakers the reader can see something of: a speech or a session they chaired."""
        from .models import Session, Speech

        speeches = Speech.objects.visible_to(user).filter(speaker=OuterRef("pk"))
        chaired = Session.objects.visible_to(user).filter(chair=OuterRef("pk"))
        return self.filter(Q(Exists(speeches)) | Q(Exists(chaired)))


def can_preview(user) -> bool:
    """Staff see drafts (as a marked preview); everybody else sees what is published."""
    return bool(user is not None and user.is_authenticated and user.is_staff)
