from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .languages import LANGS, LANGUAGE_NAMES
from .models import Figure, Session, Speaker, Speech, Statement, Status, Topic
from .signals import writing, written


class VersionedForm(forms.ModelForm):
    """Refuses a save made from a form opened before someone else's save of the same record,
    so an editor's work is never silently overwritten."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version_seen"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("version_seen")
        if self.instance.pk and seen is not None:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != seen:
                raise forms.ValidationError(
                    _(
                        "Someone else saved this record after you opened it. Your changes were "
                        "not saved: copy them, reload the page to see the latest version, and "
                        "apply them again."
                    ),
                    code="stale",
                )
        return cleaned


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return list(LANGUAGE_NAMES.items())

    def queryset(self, request, queryset):
        code = self.value()
        if code not in LANGS:
            return queryset
        condition = Q()
        for name in queryset.model.translated_field_names():
            field = queryset.model._meta.get_field(name)
            if field.blank:
                continue
            condition |= Q(**{f"{name}_{code}__isnull": True}) | Q(**{f"{name}_{code}": ""})
        return queryset.filter(condition)


class TranslationStatusMixin:
    @admin.display(description=_("translations"))
    def translation_status(self, obj):
        missing = set(obj.missing_languages())
        stale = set(obj.stale_languages())
        items = []
        for code in LANGS:
            if code in missing:
                items.append(("tr-missing", _("%(lang)s: missing") % {"lang": code}))
            elif code in stale:
                items.append(("tr-stale", _("%(lang)s: may be out of date") % {"lang": code}))
            else:
                items.append(("tr-ok", _("%(lang)s: done") % {"lang": code}))
        return format_html_join(
            " ", '<span class="{}">{}</span>', ((cls, text) for cls, text in items)
        )


class SearchInStepMixin:
    """An editor's save, delete or action brings what is derived from the content (the search
    index) up to date in its own transaction: what was saved is searchable the moment it is
    committed, and a failure leaves neither half written."""

    def save_related(self, request, form, formsets, change):
        # The last step of a save (record, then its inlines), inside the admin's transaction.
        super().save_related(request, form, formsets, change)
        written()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        written()

    def delete_queryset(self, request, queryset):
        with writing():
            super().delete_queryset(request, queryset)

    def response_action(self, request, queryset):
        # Actions (publish, return to draft, delete) run without a transaction of their own.
        with writing():
            return super().response_action(request, queryset)


class PublishActionsMixin:
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Return selected to draft"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        count = 0
        # Saved one by one so versions, edit times and the search index stay in step.
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d record changed.", "%(count)d records changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Speaker)
class SpeakerAdmin(SearchInStepMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    form = VersionedForm
    list_display = ("name", "position", "slug", "translation_status")
    search_fields = ("slug", *(f"name_{c}" for c in LANGS))
    list_filter = (MissingTranslationFilter,)
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Topic)
class TopicAdmin(SearchInStepMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    form = VersionedForm
    list_display = ("name", "slug", "statement_total", "translation_status")
    search_fields = ("slug", *(f"name_{c}" for c in LANGS))
    list_filter = (MissingTranslationFilter,)
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_total=Count("statements"))

    @admin.display(description=_("statements"), ordering="statement_total")
    def statement_total(self, obj):
        return obj.statement_total


class SpeechInline(TranslationStackedInline):
    model = Speech
    extra = 0
    form = VersionedForm
    fields = ("order", "slug", "speaker", "delivered_on", "status", "title", "lead", "version_seen")
    autocomplete_fields = ("speaker",)
    show_change_link = True
    prepopulated_fields = {"slug": ("title_en",)}


@admin.register(Session)
class SessionAdmin(
    SearchInStepMixin, PublishActionsMixin, TranslationStatusMixin, TabbedTranslationAdmin
):
    form = VersionedForm
    list_display = (
        "number",
        "title",
        "date",
        "format",
        "status",
        "speech_total",
        "translation_status",
        "updated_at",
    )
    list_display_links = ("number", "title")
    list_filter = ("status", "format", MissingTranslationFilter, "date")
    search_fields = ("=number", *(f"title_{c}" for c in LANGS))
    date_hierarchy = "date"
    autocomplete_fields = ("chair",)
    inlines = [SpeechInline]
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("number", "date", "status", "format", "chair", "version_seen")}),
        (_("Texts"), {"fields": ("title", "venue", "summary", "participants")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("chair")
            .annotate(speech_total=Count("speeches"))
        )

    @admin.display(description=_("speeches"), ordering="speech_total")
    def speech_total(self, obj):
        return obj.speech_total


class StatementInline(TranslationStackedInline):
    # Stacked: each statement is a paragraph in three languages, and every field keeps its label.
    model = Statement
    extra = 1
    form = VersionedForm
    fields = ("order", "topic", "text", "key", "version_seen")
    autocomplete_fields = ("topic",)
    show_change_link = True
    ordering = ("order", "pk")


@admin.register(Speech)
class SpeechAdmin(
    SearchInStepMixin, PublishActionsMixin, TranslationStatusMixin, TabbedTranslationAdmin
):
    form = VersionedForm
    list_display = (
        "title",
        "session_number",
        "speaker",
        "delivered_on",
        "status",
        "statement_total",
        "translation_status",
        "updated_at",
    )
    list_filter = ("status", "session__number", "speaker", MissingTranslationFilter)
    search_fields = ("slug", *(f"title_{c}" for c in LANGS), *(f"speaker__name_{c}" for c in LANGS))
    date_hierarchy = "delivered_on"
    autocomplete_fields = ("session", "speaker")
    prepopulated_fields = {"slug": ("title_en",)}
    list_select_related = ("session", "speaker")
    inlines = [StatementInline]
    save_on_top = True
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "session",
                    "speaker",
                    "slug",
                    "order",
                    "delivered_on",
                    "original_language",
                    "status",
                    "version_seen",
                )
            },
        ),
        (_("Texts"), {"fields": ("title", "lead", "text")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_total=Count("statements"))

    @admin.display(description=_("session"), ordering="session__number")
    def session_number(self, obj):
        return obj.session.number

    @admin.display(description=_("statements"), ordering="statement_total")
    def statement_total(self, obj):
        return obj.statement_total


class FigureInline(TranslationTabularInline):
    model = Figure
    extra = 1
    form = VersionedForm
    fields = ("order", "value", "unit", "label", "version_seen")


@admin.register(Statement)
class StatementAdmin(SearchInStepMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    form = VersionedForm
    list_display = ("short_text", "speech", "topic", "order", "key", "translation_status")
    list_filter = ("topic", "speech__session__number", MissingTranslationFilter)
    search_fields = ("key", *(f"text_{c}" for c in LANGS))
    autocomplete_fields = ("speech", "topic")
    list_select_related = ("speech", "topic")
    inlines = [FigureInline]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return str(obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url()


admin.site.site_header = _("APK archive: editors")
admin.site.site_title = _("APK archive")
admin.site.index_title = _("Archive content")
