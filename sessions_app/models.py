from __future__ import annotations

from functools import cache

import nh3
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .languages import LANGS
from .querysets import (
    PUBLISHED,
    SessionQuerySet,
    SpeakerQuerySet,
    SpeechQuerySet,
    StatementQuerySet,
    TopicQuerySet,
)

LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


class Status(models.TextChoices):
    """A session's or speech's state; what the public sees is defined in querysets.py."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = PUBLISHED, _("Published")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


@cache
def _translated_field_names(model: type[models.Model]) -> tuple[str, ...]:
    # Read for every record loaded or saved (the import loads and saves thousands).
    from modeltranslation.translator import translator

    return tuple(translator.get_options_for_model(model).fields)


class TrackedTranslations(models.Model):
    """Remembers when each language's text last changed, so editors can see which translations
    are missing and which are stale (older than the latest change in another language).

    `version` grows by one on every save; the admin refuses a save made from an outdated form,
    so two editors never silently overwrite each other."""

    translations_edited = models.JSONField(
        _("translations last edited"), default=dict, blank=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def translated_field_names(cls) -> tuple[str, ...]:
        return _translated_field_names(cls)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_texts = instance._language_texts()
        return instance

    def _language_texts(self) -> dict[str, tuple]:
        return {
            code: tuple(
                getattr(self, f"{name}_{code}", None) or ""
                for name in self.translated_field_names()
            )
            for code in LANGS
        }

    def track_changes(self) -> None:
        """Note a save: the languages whose text changed since the record was loaded, and one
        more version. save() calls it; a bulk write (the import) calls it for each record."""
        now = timezone.now()
        loaded = getattr(self, "_loaded_texts", None)
        current = self._language_texts()
        edited = dict(self.translations_edited or {})
        for code, texts in current.items():
            changed = loaded is None or loaded.get(code) != texts
            if changed and any(texts):
                edited[code] = now.isoformat(timespec="seconds")
            if not any(texts):
                edited.pop(code, None)
        self.translations_edited = edited
        self.version = (self.version or 0) + 1
        self.updated_at = now  # bulk_update() does not apply auto_now
        self._loaded_texts = current

    def save(self, *args, **kwargs):
        self.track_changes()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        """Every text (TextField) in every language is at most settings.APK_MAX_TEXT_CHARS
        characters long, as in the import (the archive's schema). Checked here rather than by a
        validator on the field, which would follow the setting into the migrations."""
        from django.core.exceptions import ValidationError

        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        limit = settings.APK_MAX_TEXT_CHARS
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.TextField) or field.name in (exclude or ()):
                continue
            value = getattr(self, field.attname, None)
            if value and len(value) > limit:
                errors.setdefault(field.name, []).append(
                    ValidationError(
                        _(
                            "This text is %(length)s characters long; at most %(limit)s "
                            "are allowed."
                        ),
                        code="max_length",
                        params={
                            "length": number_format(len(value), force_grouping=True),
                            "limit": number_format(limit, force_grouping=True),
                        },
                    )
                )
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        """A required text needs at least one language; the others may follow later."""
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        for name in self.translated_field_names():
            field = self._meta.get_field(name)
            if field.blank:
                continue
            codes = LANGS
            if not any((getattr(self, f"{name}_{code}", None) or "").strip() for code in codes):
                errors[f"{name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"] = _(
                    "Enter this text in at least one language."
                )
        if errors:
            raise ValidationError(errors)

    def missing_languages(self) -> list[str]:
        """Languages in which a field that has text in some language is still empty."""
        missing = []
        for code in LANGS:
            for name in self.translated_field_names():
                values = [getattr(self, f"{name}_{c}", None) or "" for c in LANGS]
                if any(values) and not (getattr(self, f"{name}_{code}", None) or ""):
                    missing.append(code)
                    break
        return missing

    def stale_languages(self) -> list[str]:
        """Languages whose text was last edited before another language's latest edit."""
        edited = self.translations_edited or {}
        if len(edited) < 2:
            return []
        newest = max(edited.values())
        missing = set(self.missing_languages())
        return [
            code
            for code in LANGS
            if code in edited and edited[code] < newest and code not in missing
        ]


# The speech's full text may carry simple markup; anything else is removed when it is saved.
RICH_TEXT_TAGS = {"p", "br", "h3", "h4", "blockquote", "ul", "ol", "li", "em", "strong", "b", "i"}


def sanitise_rich_text(text: str | None) -> str | None:
    if not text or "<" not in text:
        return text
    return nh3.clean(text, tags=RICH_TEXT_TAGS, attributes={})


class Speaker(TrackedTranslations):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name or self.slug

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:speaker-detail", kwargs={"slug": self.slug})


class Topic(TrackedTranslations):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name or self.slug

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:topic-detail", kwargs={"slug": self.slug})


class Session(TrackedTranslations):
    number = models.PositiveIntegerField(
        _("number"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("The session's ordinal number; it is the public address of the session."),
    )
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=300, help_text=_("The session's theme."))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=SessionFormat.choices, default=SessionFormat.IN_PERSON
    )
    chair = models.ForeignKey(
        Speaker,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_sessions",
        null=True,
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    participants = models.TextField(_("participants"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="session_number_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "-date"], name="session_public_idx")]

    def __str__(self) -> str:
        return _("Session %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:session-detail", kwargs={"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Speech(TrackedTranslations):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speeches"
    )
    speaker = models.ForeignKey(
        Speaker, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="speeches"
    )
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    delivered_on = models.DateField(_("delivered on"))
    order = models.PositiveIntegerField(_("order"), default=1)
    lead = models.TextField(_("lead"), blank=True)
    text = models.TextField(
        _("full text"),
        blank=True,
        help_text=_("Optional. Plain paragraphs separated by blank lines, or simple HTML."),
    )
    original_language = models.CharField(
        _("delivered in"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text=_("The language the speech was delivered in; other languages are translations."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    objects = SpeechQuerySet.as_manager()

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "slug"], name="speech_slug_unique_in_session"
            ),
        ]
        indexes = [
            models.Index(fields=["session", "order"], name="speech_order_idx"),
            models.Index(fields=["speaker", "-delivered_on"], name="speech_speaker_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse(
            "sessions_app:speech-detail",
            kwargs={"number": self.session.number, "slug": self.slug},
        )

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.session.is_published

    def save(self, *args, **kwargs):
        for code in LANGS:
            name = f"text_{code}"
            setattr(self, name, sanitise_rich_text(getattr(self, name)))
        super().save(*args, **kwargs)


class Statement(TrackedTranslations):
    speech = models.ForeignKey(
        Speech, verbose_name=_("speech"), on_delete=models.CASCADE, related_name="statements"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="statements"
    )
    key = models.SlugField(
        _("permalink id"),
        max_length=80,
        blank=True,
        help_text=_("Stable id of the statement within its speech; its permalink anchor."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["speech", "order", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["speech", "key"], name="statement_key_unique_in_speech"
            ),
        ]
        indexes = [
            models.Index(fields=["speech", "order"], name="statement_order_idx"),
            models.Index(fields=["topic", "speech"], name="statement_topic_idx"),
        ]

    def __str__(self) -> str:
        text = self.text or ""
        return text if len(text) <= 80 else text[:79] + "…"

    @property
    def anchor(self) -> str:
        return f"s-{self.key}"

    def get_absolute_url(self) -> str:
        return f"{self.speech.get_absolute_url()}#{self.anchor}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = self._next_key()
        super().save(*args, **kwargs)

    def _next_key(self) -> str:
        taken = set(
            Statement.objects.filter(speech_id=self.speech_id).values_list("key", flat=True)
        )
        n = len(taken) + 1
        while str(n) in taken:
            n += 1
        return str(n)


class Figure(TrackedTranslations):
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="figures"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["statement", "order", "pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.unit}".strip()
