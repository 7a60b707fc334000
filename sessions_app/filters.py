"""The archive's filters, and what the archive and the search page share about theirs.

A value that is not understood (`?year=abc`, an unknown topic) makes the form invalid for that
field only: the field is left out of the filtering and the page says so. Each filter's values are
counted within the other filters in use, so a filter in use still lists its other values with
what each would find."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .cache import keep, kept_key, read_kept
from .models import Session, SessionFormat, Speaker, Speech, Statement, Topic
from .querysets import can_preview
from .templatetags.archive import translate_field


@dataclass
class Facet:
    """One value a filter can take, with the number of records it would find."""

    value: str
    label: Any  # text, or a translated text that renders with its language mark
    count: int
    query: QueryDict  # the page's parameters with this value chosen (and the first page)
    active: bool = False


@dataclass
class ActiveFilter:
    """A filter in use, as the reader sees it, and the parameters without it."""

    name: str
    title: Any  # the filter's label: "Topic"
    label: Any  # its value as shown: may be a translated text marked with its language
    query: QueryDict  # the page's parameters without this filter (and the first page)

    @property
    def text(self) -> str:
        return str(getattr(self.label, "text", self.label))


class CountedFilterSet(django_filters.FilterSet):
    """A FilterSet whose page shows the filters in use (each with a link that removes it) and
    counts each filter's values within the other filters. Subclasses say how a value reads
    (`value_label`); the page renders `query` mappings with `{% querystring %}`."""

    def _is_set(self, value) -> bool:
        if isinstance(value, slice):  # a range: either end may be open
            return value.start is not None or value.stop is not None
        return value not in (None, "", [], ())

    @property
    def active(self) -> dict[str, Any]:
        """The filters in use with their cleaned values (values not understood are left out)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in data.items() if self._is_set(value)}

    def not_understood(self) -> list[tuple[str, str]]:
        """(filter, value) for each parameter given a value the filter could not use."""
        if not self.is_bound:
            return []
        return [(name, self.data.get(name, "")) for name in self.errors]

    def filtered_without(self, name: str, queryset: QuerySet | None = None) -> QuerySet | None:
        """`queryset` (default: the FilterSet's) narrowed by every filter in use but `name`; None
        when no other is in use. A filter's own counts are taken within it."""
        others = {key: value for key, value in self.active.items() if key != name}
        if not others:
            return None
        queryset = (self.queryset if queryset is None else queryset).all()
        for key, value in others.items():
            queryset = self.filters[key].filter(queryset, value)
        return queryset

    def params_of(self, name: str) -> list[str]:
        """The query parameters of a filter: a range's are `<name>_after`, `<name>_before`."""
        widget = self.filters[name].field.widget
        suffixes = getattr(widget, "suffixes", None)
        return [widget.suffixed(name, s) for s in suffixes] if suffixes else [name]

    def query(self, **changes: str | None) -> QueryDict:
        """The page's parameters with `changes` (None removes one) and without the page number:
        the pages change with the filters."""
        query = QueryDict(mutable=True)
        query.update(self.data)
        for key, value in {**changes, "page": None}.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = value
        return query

    def value_label(self, name: str, value) -> Any:
        """A filter's value as a reader recognises it."""
        if isinstance(value, slice):
            return " – ".join(_range_end(v) for v in (value.start, value.stop))
        return str(value)

    def active_filters(self) -> list[ActiveFilter]:
        """The filters in use, in the form's order, each with the parameters without it."""
        return [
            ActiveFilter(
                name=name,
                title=self.filters[name].label,
                label=self.value_label(name, value),
                query=self.query(**dict.fromkeys(self.params_of(name))),
            )
            for name, value in self.active.items()
        ]

    def facet(self, name: str, value: str, label: Any, count: int) -> Facet:
        """A value of filter `name` with its count and the parameters that choose it."""
        return Facet(
            value=value,
            label=label,
            count=count,
            query=self.query(**{name: value}),
            active=self.data.get(name) == value,
        )


def _range_end(value) -> str:
    """One end of a date range as the reader's language writes a date (a range filter gives the
    start and the end of a day as times, which a reader did not type)."""
    if value is None or value == "":
        return "…"
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, dt.date):
        return date_format(value)
    return str(value)


def _by_count(facet: Facet) -> tuple:
    return (-facet.count, facet.value)


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


def _topics(request) -> QuerySet[Topic]:
    """Only topics the reader can see: a topic only drafts use is no more a filter value than
    an unknown one."""
    return Topic.objects.visible_to(getattr(request, "user", None))


def _speakers(request) -> QuerySet[Speaker]:
    return Speaker.objects.visible_to(getattr(request, "user", None))


class SessionFilter(CountedFilterSet):
    year = IntegerFilter(
        field_name="date", lookup_expr="year", label=_("Year"), min_value=1, max_value=9999
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=_topics, to_field_name="slug", method="filter_topic", label=_("Topic")
    )
    speaker = django_filters.ModelChoiceFilter(
        queryset=_speakers, to_field_name="slug", method="filter_speaker", label=_("Speaker")
    )
    format = django_filters.ChoiceFilter(choices=SessionFormat.choices, label=_("Format"))

    class Meta:
        model = Session
        fields = ["year", "topic", "speaker", "format"]

    def _user(self):
        return getattr(self.request, "user", None)

    def filter_topic(self, queryset: QuerySet[Session], name: str, value: Topic):
        statements = Statement.objects.visible_to(self._user()).filter(
            topic=value, speech__session=OuterRef("pk")
        )
        return queryset.filter(Exists(statements))

    def filter_speaker(self, queryset: QuerySet[Session], name: str, value: Speaker):
        speeches = Speech.objects.visible_to(self._user()).filter(
            speaker=value, session=OuterRef("pk")
        )
        return queryset.filter(Exists(speeches))

    def value_label(self, name: str, value) -> Any:
        if name == "year":
            return _("Year %(year)s") % {"year": value}
        if name in ("topic", "speaker"):
            return translate_field(value, "name")
        if name == "format":
            return SessionFormat(value).label
        return super().value_label(name, value)

    def _session_counts(self, name: str, records: QuerySet, speeches: QuerySet[Speech]) -> list:
        """Each of `records` (topics or speakers) with the number of sessions among `speeches`
        narrowed by the filters in use other than `name`, counted per record on the indexes.
        Without another filter the public counts cover the whole archive, read every statement
        and are the same on every page of the archive: they are kept for the content's
        generation. One query either way."""
        narrowed = self.filtered_without(name, Session.objects.visible_to(self._user()))
        if narrowed is not None:
            speeches = speeches.filter(session__in=narrowed.values("pk"))
        key = None
        if narrowed is None and not can_preview(self._user()):
            key = kept_key(f"archive-{name}-session-counts")
            counts = read_kept(key)
            if counts is not None:
                return [(record, counts.get(record.pk, 0)) for record in records]
        counted = list(records.with_session_counts(speeches))
        keep(key, {record.pk: record.session_count for record in counted})
        return [(record, record.session_count) for record in counted]

    def facets(self) -> dict[str, list[Facet]]:
        """Every value each filter can take, with the number of sessions it would find given
        the other filters in use (a value that finds none says 0, so the list stays whole)."""
        user = self._user()
        sessions = Session.objects.visible_to(user)

        def within(name: str, path: str = "pk") -> Q:
            narrowed = self.filtered_without(name, sessions)
            return Q() if narrowed is None else Q(**{f"{path}__in": narrowed.values("pk")})

        years = (
            sessions.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(n=Count("pk", filter=within("year")))
            .order_by("-year")
        )
        formats = (
            sessions.values("format")
            .annotate(n=Count("pk", filter=within("format")))
            .order_by("format")
        )
        speeches = Speech.objects.visible_to(user)
        topics = self._session_counts(
            "topic",
            Topic.objects.filter(
                Exists(Statement.objects.visible_to(user).filter(topic=OuterRef("pk")))
            ),
            speeches,
        )
        speakers = self._session_counts(
            "speaker",
            Speaker.objects.filter(Exists(speeches.filter(speaker=OuterRef("pk")))),
            speeches,
        )
        return {
            "year": [
                self.facet("year", str(row["year"]), str(row["year"]), row["n"]) for row in years
            ],
            "topic": sorted(
                (self.facet("topic", t.slug, translate_field(t, "name"), n) for t, n in topics),
                key=_by_count,
            ),
            "speaker": sorted(
                (self.facet("speaker", s.slug, translate_field(s, "name"), n) for s, n in speakers),
                key=_by_count,
            ),
            "format": [
                self.facet("format", row["format"], SessionFormat(row["format"]).label, row["n"])
                for row in formats
                if row["format"] in SessionFormat.values
            ],
        }
