"""The search page's parameters: the query and its options (SearchForm) and the filters on the
results (SearchFilter, django-filter over the index). A value that is not understood (an unknown
topic, `?year=abc`) leaves that one filter out and the page says so; it never fails. The filters
in use and their values' counts work as the session archive's (CountedFilterSet)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from search.models import SearchDocument
from sessions_app.filters import CountedFilterSet
from sessions_app.models import Session, Speaker, Topic

from .engine import DATE, RELEVANCE

ALL_LANGUAGES = "all"


class QueryField(forms.CharField):
    """Any text is a query: the parser turns control characters (NUL too) into spaces, so the
    field does not refuse them as CharField does."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class SearchForm(forms.Form):
    q = QueryField(label=_("Search for"), required=False, strip=False)
    languages = forms.ChoiceField(
        label=_("Languages"),
        required=False,
        choices=[("", _("This page's language")), (ALL_LANGUAGES, _("All three languages"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(RELEVANCE, _("Relevance")), (DATE, _("Date, newest first"))],
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=10_000)


class SearchFilter(CountedFilterSet):
    session = django_filters.ModelChoiceFilter(
        queryset=Session.objects.published(), to_field_name="number", label=_("Session")
    )
    year = django_filters.NumberFilter(
        field_name="date", lookup_expr="year", label=_("Year"), min_value=1, max_value=9999
    )
    date = django_filters.DateFromToRangeFilter(label=_("Date"))
    topic = django_filters.ModelChoiceFilter(
        queryset=lambda request: Topic.objects.published(), to_field_name="slug", label=_("Topic")
    )
    speaker = django_filters.ModelChoiceFilter(
        queryset=lambda request: Speaker.objects.published(),
        to_field_name="slug",
        label=_("Speaker"),
    )

    class Meta:
        model = SearchDocument
        fields = ["session", "year", "date", "topic", "speaker"]

    def restriction(self):
        """The filtered index for the search, or None when no (valid) filter is set. Invalid
        values are left out; `not_understood()` names them."""
        if not self.active:
            return None
        return self.filter_queryset(self.queryset.all())

    def restriction_without(self, name: str):
        """The filtered index with every filter in use but `name` (None when no other is set):
        what a filter's own counts are taken within."""
        return self.filtered_without(name)
