"""The archive's filters. A value that is not understood (`?year=abc`, an unknown topic) makes the
form invalid for that field only: the field is left out of the filtering and the page says so."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Session, SessionFormat, Speaker, Speech, Statement, Topic


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


def _topics(request) -> QuerySet[Topic]:
    """Only topics the reader can see a statement on: a draft's topic is not a filter."""
    user = getattr(request, "user", None)
    statements = Statement.objects.visible_to(user).filter(topic=OuterRef("pk"))
    return Topic.objects.filter(Exists(statements))


def _speakers(request) -> QuerySet[Speaker]:
    user = getattr(request, "user", None)
    speeches = Speech.objects.visible_to(user).filter(speaker=OuterRef("pk"))
    return Speaker.objects.filter(Exists(speeches))


class SessionFilter(django_filters.FilterSet):
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

    def not_understood(self) -> list[tuple[str, str]]:
        """(field, value) for each parameter given a value the filter could not use."""
        if not self.is_bound:
            return []
        return [(name, self.data.get(name, "")) for name in self.errors]
