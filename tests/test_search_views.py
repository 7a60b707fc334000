"""The search page as a reader meets it: the header's search box keeps what they searched for, and
the results come before the filters that narrow them (on a phone the filters are below)."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import pytest

from tests.factories import SessionFactory, SpeechFactory, StatementFactory
from tests.test_views import dom

pytestmark = pytest.mark.django_db

LANGS = ["kk", "ru", "en"]
# A word of the factories' statement text ("Мәлімдеме мәтіні 1", "Текст заявления 1", …).
WORD = {"kk": "мәлімдеме", "ru": "заявление", "en": "statement"}


@pytest.fixture
def two_sessions():
    """A statement in each of two sessions: results, and a session filter to narrow them."""
    for number in (10, 11):
        StatementFactory(speech=SpeechFactory(session=SessionFactory(number=number)))


def search_page(client, lang: str, **params):
    response = client.get(f"/{lang}/search/?{urlencode(params)}")
    assert response.status_code == 200
    return dom(response)


def header_box(page):
    return page.find("header").find("form", role="search").find("input", name="q")


# --- the header's search box -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_header_search_box_shows_the_query_on_the_search_page(client, two_sessions, lang):
    page = search_page(client, lang, q=WORD[lang])
    assert header_box(page).attrs["value"] == WORD[lang]


@pytest.mark.parametrize("query", ["nothing-like-this", "-statement", "…"])
def test_header_search_box_keeps_a_query_that_finds_nothing(client, two_sessions, query):
    assert header_box(search_page(client, "en", q=query)).attrs["value"] == query


def test_header_search_box_shows_markup_in_the_query_as_text(client):
    query = '<script>alert("x")</script> & flood'
    response = client.get("/en/search/", {"q": query})
    body = response.content.decode()
    assert "<script>alert" not in body
    assert header_box(dom(response)).attrs["value"] == query


def test_header_search_box_is_empty_on_other_pages(client, two_sessions):
    client.get("/en/search/", {"q": "statement"})
    for path in ("/en/", "/en/sessions/", "/en/search/"):
        assert "value" not in header_box(dom(client.get(path))).attrs, path


def test_search_page_has_each_id_once(client, two_sessions):
    """Two search boxes on one page (the header's and the page's own) with their labels."""
    page = search_page(client, "en", q="statement")
    ids = Counter(node.attrs["id"] for node in page.iter() if "id" in node.attrs)
    assert [name for name, count in ids.items() if count > 1] == []
    for field in page.find_all("input", type="search"):
        assert page.find("label", for_=field.attrs["id"]).text


# --- results first, then the filters ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_results_come_before_the_filters_in_the_page(client, two_sessions, lang):
    page = search_page(client, lang, q=WORD[lang])
    order = list(page.iter())
    first_hit = page.find("li", class_="search-hit")
    filters = page.find("aside", class_="search-facets")
    assert order.index(first_hit) < order.index(filters)
    assert filters.find_all("a"), "the filters offer a way to narrow the results"


@pytest.mark.parametrize("lang", LANGS)
def test_a_link_above_the_results_leads_down_to_the_filters(client, two_sessions, lang):
    page = search_page(client, lang, q=WORD[lang])
    filters = page.find("aside", class_="search-facets")
    jump = page.find("p", class_="search-jump").find("a")
    assert jump.attrs["href"] == f"#{filters.attrs['id']}"
    assert jump.text == filters.attrs["aria-label"]
    order = list(page.iter())
    assert order.index(jump) < order.index(page.find("li", class_="search-hit"))


def test_no_link_to_filters_when_there_are_none(client, two_sessions):
    page = search_page(client, "en", q="nothing-like-this")
    assert page.find_all(class_="search-jump") == []
    assert page.find_all("aside") == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("sessions_app:session-detail", {"number": 33}),
        ("sessions_app:speech-detail", {"number": 7, "slug": "president-tokayev-2024"}),
        ("sessions_app:topic-detail", {"slug": "918273645-water"}),  # looks like a stand-in
        ("sessions_app:speaker-detail", {"slug": "zq-stand-in-qz-2"}),
    ],
)
def test_hit_links_are_the_addresses_reverse_gives(lang, name, kwargs):
    from django.urls import reverse, set_script_prefix
    from django.utils import translation

    from search.hits import _url

    with translation.override(lang):
        assert _url(name, **kwargs) == reverse(name, kwargs=kwargs)
        set_script_prefix("/archive/")
        try:
            assert _url(name, **kwargs) == reverse(name, kwargs=kwargs)
            assert _url(name, **kwargs).startswith(f"/archive/{lang}/")
        finally:
            set_script_prefix("/")
