"""The search index: derived data, kept in step with the content by `search.signals` and
rebuilt from scratch by `manage.py rebuild_search_index`. Never edited by hand.

The engine's own index sits beside SearchDocument, made by this app's migration 0001: one FTS5
table per language fed by triggers on SQLite; generated, GIN-indexed tsvector columns on
PostgreSQL; and the kept rankings and filter counts of frequent words on both."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sessions_app.models import LANGUAGE_CHOICES, Session, Speaker, Speech, Topic


class SearchKind(models.TextChoices):
    SESSION = "session", _("Session")
    SPEECH = "speech", _("Speech")
    STATEMENT = "statement", _("Statement")
    TOPIC = "topic", _("Topic")
    SPEAKER = "speaker", _("Speaker")


class SearchDocument(models.Model):
    """One searchable record in one language: its words already normalised (lemmas, Kazakh stems,
    Latin Kazakh folded to Cyrillic), so that both database engines only match plain tokens.

    The engine's own index sits beside this table: an FTS5 table fed by triggers on SQLite;
    title and text vectors under a GIN index on PostgreSQL (migration 0001)."""

    kind = models.CharField(_("kind"), max_length=16, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    lang = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    title = models.TextField(_("normalised title"), blank=True)
    body = models.TextField(_("normalised text"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    # Where the record belongs, for the filters and their counts. No constraint in the database:
    # the index is derived data, deleted with its record by Django (CASCADE) and rebuilt at will,
    # and checking four keys for each of an import's 60,000 documents cost the commit seconds.
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    speech = models.ForeignKey(
        Speech,
        verbose_name=_("speech"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    speaker = models.ForeignKey(
        Speaker,
        verbose_name=_("speaker"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    # Indexed: PostgreSQL then intersects a year's documents with the word's matches before
    # reading any row (a common word filtered by year: 199 ms -> 8 ms on 200,000 statements).
    date = models.DateField(_("date"), null=True, db_index=True)

    class Meta:
        ordering = ["kind", "object_id", "lang"]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "lang"], name="search_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.lang})"


class SearchTerm(models.Model):
    """A word form seen in the indexed text, with the normalised term it stands for: the
    vocabulary behind "did you mean" suggestions and the expansion of `word*` to the lemmas of
    the words that begin so (паводк* finds паводок, whose lemma does not begin with паводк).
    It grows with the archive and is rebuilt by `rebuild_search_index`; suggestions are checked
    against public text before they are shown, so a word seen only in a draft is never offered."""

    lang = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    form = models.CharField(_("word form"), max_length=100)
    term = models.CharField(_("term"), max_length=100)
    surface = models.CharField(_("as written"), max_length=100)

    class Meta:
        ordering = ["lang", "form"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=["lang", "form"], name="search_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.form} → {self.term} ({self.lang})"
