"""The search page, /<lang>/search/?q=…: results in the page's language (or all three), filters
with their counts, sorted by relevance or date, paginated. Any input gives a page, never an
error: what cannot be understood is left out and the page says so."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from search.models import SearchDocument

from .engine import FACETS, LANGS, MAX_QUERY_LENGTH, RELEVANCE, Facets, facets, search
from .filters import ALL_LANGUAGES, SearchFilter, SearchForm
from .hits import hits_for

# The filters' parameters: kept by the search form when the query changes.
FILTER_PARAMS = ("session", "year", "date_after", "date_before", "topic", "speaker")


class SearchView(TemplateView):
    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        form.is_valid()
        params = form.cleaned_data
        page_language = translation.get_language() or LANGS[0]
        all_languages = params.get("languages") == ALL_LANGUAGES
        languages = LANGS if all_languages else (page_language,)

        filterset = SearchFilter(
            self.request.GET, queryset=SearchDocument.objects.all(), request=self.request
        )
        restrict = filterset.restriction()
        results = search(
            params.get("q") or "",
            languages=languages,
            restrict=restrict,
            sort=params.get("sort") or RELEVANCE,
            page=params.get("page") or 1,
        )
        page_obj = Paginator(range(results.total), results.page_size).get_page(results.page)
        context.update(
            form=form,
            filterset=filterset,
            active_filters=filterset.active_filters(),
            results=results,
            hits=hits_for(results),
            facet_groups=_facet_groups(
                filterset,
                facets(
                    results,
                    restrict,
                    # A filter in use counts its values within the other filters only, so
                    # the reader sees the other topics (years, …) and what each would find.
                    within={
                        name: filterset.restriction_without(name)
                        for name in filterset.active
                        if name in FACETS
                    },
                ),
            ),
            page_obj=page_obj,
            is_paginated=results.num_pages > 1,
            all_languages=all_languages,
            page_language=page_language,
            max_query_length=MAX_QUERY_LENGTH,
            notices=_notices(form, filterset),
            filter_params=[
                (name, self.request.GET[name])
                for name in FILTER_PARAMS
                if self.request.GET.get(name)
            ],
            unfiltered_query=filterset.query(**dict.fromkeys(FILTER_PARAMS)),
        )
        return context


def _facet_groups(filterset: SearchFilter, found: Facets) -> list[dict]:
    """The filters' values among the hits, with their counts and the parameters of each."""
    groups = []
    for title, name, values in (
        (_("Session"), "session", found.sessions),
        (_("Year"), "year", found.years),
        (_("Topic"), "topic", found.topics),
        (_("Speaker"), "speaker", found.speakers),
    ):
        if values:
            facets = [filterset.facet(name, v.value, v.label, v.count) for v in values]
            groups.append({"title": title, "values": facets})
    return groups


def _notices(form: SearchForm, filterset: SearchFilter) -> list[str]:
    notices = []
    for name in filterset.form.errors:
        label = filterset.filters[name].label if name in filterset.filters else name
        notices.append(
            _("%(filter)s: this value was not understood, so the results are not filtered by it.")
            % {"filter": label}
        )
    for name in form.errors:
        notices.append(
            _("%(field)s: this value was not understood, so the default is used.")
            % {"field": form.fields[name].label or name}
        )
    return notices
