# ruff: noqa: F811 (the `published` fixture is imported, then requested by name)
"""Languages done properly: the page's language everywhere, its other-language versions linked,
missing translations shown in a fallback language and marked, complete catalogues, and dates and
numbers as each language writes them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from sessions_app.models import Statement
from tests.factories import SessionFactory, SpeechFactory, StatementFactory

# `published` is the fixture of test_views: the same small session, reused.
from tests.test_views import LANGS, SPEECH, Node, dom, page_paths, published  # noqa: F401

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
NATIVE = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


# --- the page's language, and its other versions -----------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang_matches_the_page_on_every_page(client, published, lang):
    for path in page_paths(lang):
        assert dom(client.get(path)).find("html").attrs["lang"] == lang, path


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_its_other_language_versions_and_a_canonical_address(
    client, published, lang
):
    for path in page_paths(lang):
        head = dom(client.get(path)).find("head")
        alternates = {
            link.attrs["hreflang"]: link.attrs["href"]
            for link in head.find_all("link", rel="alternate")
            if "hreflang" in link.attrs
        }
        bare = path.removeprefix(f"/{lang}")
        bare = bare.replace("?view=parallel", "")  # a way of reading, not a page of its own
        assert alternates == {
            "kk": f"http://testserver/kk{bare}",
            "ru": f"http://testserver/ru{bare}",
            "en": f"http://testserver/en{bare}",
            "x-default": f"http://testserver{bare}",
        }, path
        assert head.find("link", rel="canonical").attrs["href"] == f"http://testserver/{lang}{bare}"


def test_canonical_address_keeps_filters_but_not_unknown_parameters(client, published):
    head = dom(client.get("/en/sessions/?year=2024&utm_source=mail&page=1")).find("head")
    assert head.find("link", rel="canonical").attrs["href"] == (
        "http://testserver/en/sessions/?year=2024"
    )


def test_the_unprefixed_address_redirects_to_the_readers_language(client, published):
    response = client.get(f"{SPEECH}", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == f"/ru{SPEECH}"


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_keeps_the_reader_on_the_same_page_and_query(client, published, lang):
    query = "?year=2024&topic=flood-relief"
    switcher = dom(client.get(f"/{lang}/sessions/{query}")).find("nav", class_="lang-switcher")
    links = switcher.find_all("a")
    assert [a.attrs["href"] for a in links] == [
        f"/kk/sessions/{query}",
        f"/ru/sessions/{query}",
        f"/en/sessions/{query}",
    ]
    assert [a.text for a in links] == [NATIVE["kk"], NATIVE["ru"], NATIVE["en"]]
    assert [(a.attrs["lang"], a.attrs["hreflang"]) for a in links] == [
        ("kk", "kk"),
        ("ru", "ru"),
        ("en", "en"),
    ]
    current = [a.attrs["lang"] for a in links if "aria-current" in a.attrs]
    assert current == [lang]


def test_switching_language_on_a_speech_keeps_the_speech(client, published):
    switcher = dom(client.get(f"/kk{SPEECH}?view=parallel")).find("nav", class_="lang-switcher")
    assert switcher.find("a", lang="ru").attrs["href"] == f"/ru{SPEECH}?view=parallel"
    page = dom(client.get(f"/ru{SPEECH}?view=parallel"))
    assert page.find("h1").text == "Выступление Президента"


# --- fallback: shown in another language, and marked as such ----------------------------------


@pytest.mark.parametrize(
    ("page_lang", "shown_in", "mark"),
    [("en", "ru", "(in Russian)"), ("ru", "kk", "(на казахском)"), ("kk", "ru", "(орыс тілінде)")],
)
def test_a_missing_title_shows_the_fallback_language_marked_with_its_lang(
    client, published, page_lang, shown_in, mark
):
    setattr(published, f"title_{page_lang}", "")
    published.save()
    h1 = dom(client.get(f"/{page_lang}/sessions/33/")).find("h1")
    span = h1.find("span", lang=shown_in)
    assert span.text == getattr(published, f"title_{shown_in}")
    assert h1.find("span", class_="fallback-mark").text == mark


@pytest.mark.parametrize(
    ("page_lang", "note"),
    [
        ("en", "Not yet translated into this language. Shown in Russian."),
        ("ru", "Ещё не переведено на этот язык. Показано на казахском."),
        ("kk", "Бұл тілге әлі аударылмаған. Орыс тілінде көрсетілді."),
    ],
)
def test_a_missing_statement_text_is_shown_in_the_fallback_language_with_a_note(
    client, published, page_lang, note
):
    statement = Statement.objects.get(key="evacuation")
    setattr(statement, f"text_{page_lang}", None)
    statement.save()
    block = dom(client.get(f"/{page_lang}{SPEECH}")).find("div", id="s-evacuation")
    assert block.find("p", class_="fallback-note").text == note
    text = block.find("p", class_="statement__text")
    fallback = {"en": "ru", "ru": "kk", "kk": "ru"}[page_lang]
    assert text.attrs["lang"] == fallback
    assert text.text == getattr(statement, f"text_{fallback}")


def test_english_falls_back_to_kazakh_when_russian_is_missing_too(client, published):
    published.summary_en = ""
    published.summary_ru = None
    published.save()
    main = dom(client.get("/en/sessions/33/")).find("main")
    assert main.find("div", lang="kk").text == "Сессия қысқаша."
    assert "Shown in Kazakh." in main.find("p", class_="fallback-note").text


def test_the_fallback_order_follows_the_setting(client, published, settings):
    settings.APK_FALLBACK_LANGUAGES = {**settings.APK_FALLBACK_LANGUAGES, "en": ("kk", "ru")}
    published.title_en = ""
    published.save()
    assert dom(client.get("/en/sessions/33/")).find("h1").find("span", lang="kk")


def test_a_text_missing_in_every_language_leaves_no_empty_block(client, published):
    published.summary_kk = published.summary_ru = published.summary_en = ""
    published.save()
    page = dom(client.get("/en/sessions/33/"))
    assert not page.find_all("h2", id="summary-heading")


def test_text_in_the_page_language_carries_no_mark(client, published):
    body = client.get("/en/sessions/33/").content.decode()
    assert "fallback-note" not in body
    assert "fallback-mark" not in body


def test_the_translated_tag_never_queries(django_assert_num_queries, published):
    statement = Statement.objects.select_related("topic", "speech").get(key="evacuation")
    statement.text_en = ""
    template = Template(
        '{% load archive %}{% translated st "text" %}|{% translated st.topic "name" %}|'
        '{% translated st.speech "title" lang="kk" fallback=False as t %}{{ t.text }}'
    )
    with translation.override("en"), django_assert_num_queries(0):
        rendered = template.render(Context({"st": statement}))
    assert rendered == (
        '<span lang="ru">Эвакуировано более 119 тысяч человек.</span> '
        '<span class="fallback-mark">(in Russian)</span>|Floods|Президенттің сөзі'
    )


# --- dates and numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "april", "december"),
    [
        ("kk", "25 сәуір 2024 ж.", "1 желтоқсан 2023 ж."),
        ("ru", "25 апреля 2024 г.", "1 декабря 2023 г."),
        ("en", "25 April 2024", "1 December 2023"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(client, lang, april, december):
    with translation.override(lang):
        assert formats.date_format(dt.date(2024, 4, 25)) == april
        assert formats.date_format(dt.date(2023, 12, 1)) == december
    SessionFactory(number=33, date=dt.date(2024, 4, 25))
    time = dom(client.get(f"/{lang}/sessions/33/")).find("dl", class_="facts").find("time")
    assert time.text == april
    assert time.attrs["datetime"] == "2024-04-25"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("kk", ["119\xa0000", "770\xa0000\xa0000", "2,5", "30"]),
        ("ru", ["119\xa0000", "770\xa0000\xa0000", "2,5", "30"]),
        ("en", ["119,000", "770,000,000", "2.5", "30"]),
    ],
)
def test_figures_are_written_with_the_languages_separators(lang, expected):
    template = Template("{% load archive %}{% for v in values %}{{ v|figure_value }}|{% endfor %}")
    values = [Decimal("119000.0000"), Decimal("770000000"), Decimal("2.5000"), Decimal("30")]
    with translation.override(lang):
        assert template.render(Context({"values": values})).split("|")[:-1] == expected


def test_years_and_session_numbers_are_not_grouped_like_amounts(client):
    SessionFactory(number=1234, date=dt.date(2024, 1, 1))
    page = dom(client.get("/en/sessions/"))
    assert [o.text for o in page.find("select", name="year").find_all("option")][1] == "2024 (1)"
    assert page.find("a", href="/en/sessions/1234/")


# --- the interface is in the page's language ---------------------------------------------------


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_catalogue_is_complete(lang):
    po = _catalogue(lang)
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy  # a fuzzy header would drop the plural rules


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_every_placeholder(lang):
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}")
    for entry in _catalogue(lang).translated_entries():
        expected = set(placeholder.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(placeholder.findall(text)) == expected, entry.msgid


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_compiled_catalogue_matches_the_source(lang):
    po = _catalogue(lang)
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    assert compiled.items() >= source.items(), "run `make messages` and commit the .mo files"


def test_kazakh_interface_is_written_with_kazakh_letters():
    text = " ".join(e.msgstr for e in _catalogue("kk"))
    assert set("әғқңөұүі") <= set(text)


def _interface_words(page: Node, lang: str) -> str:
    """The text and labels a reader of `lang` gets, leaving out blocks marked as another
    language (the language switcher's names, fallback texts)."""
    words: list[str] = []

    def walk(node: Node, current: str) -> None:
        current = node.attrs.get("lang", current)
        if current != lang or node.tag in {"script", "style"}:
            return
        words.extend(node.attrs.get(name, "") for name in ("aria-label", "title", "alt"))
        for child in node.children:
            if isinstance(child, str):
                words.append(child)
            else:
                walk(child, current)

    walk(page.find("html"), lang)
    return " ".join(" ".join(words).split())


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kazakh_and_russian_pages_show_no_english_interface_text(client, published, lang):
    english = set()
    for entry in _catalogue(lang):
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            for part in re.split(r"%\(\w+\)[sd]|[:.]", msgid):
                if len(part.strip()) >= 5 and re.search(r"[A-Za-z]{3}", part):
                    english.add(part.strip())
    pages = [*page_paths(lang), f"/{lang}/sessions/999/", f"/{lang}/sessions/?year=abc&page=x"]
    for path in pages:
        words = _interface_words(dom(client.get(path)), lang)
        leaked = sorted(phrase for phrase in english if phrase in words)
        assert leaked == [], path


# --- error pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")],
)
def test_404_page_is_in_the_readers_language(client, lang, heading):
    response = client.get(f"/{lang}/sessions/999/")
    assert response.status_code == 404
    page = dom(response)
    assert page.find("html").attrs["lang"] == lang
    assert page.find("h1").text == heading
    assert page.find("a", href=f"/{lang}/")
    assert page.find("meta", name="robots").attrs["content"] == "noindex"


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("kk", "Бірдеңе дұрыс болмады"),
        ("ru", "Что-то пошло не так"),
        ("en", "Something went wrong"),
    ],
)
def test_500_page_is_in_the_readers_language(client, monkeypatch, lang, heading):
    from sessions_app import views

    def broken(self, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client.raise_request_exception = False
    response = client.get(f"/{lang}/")
    assert response.status_code == 500
    page = dom(response)
    assert page.find("html").attrs["lang"] == lang
    assert page.find("h1").text == heading


def test_draft_content_is_never_the_fallback_text_of_a_public_page(client):
    """Fallback reads other columns of the same published record, never another record."""
    session = SessionFactory(number=5, title_en="", title_ru="Тема", title_kk="Тақырып")
    SpeechFactory(session=session, status="draft", title_ru="Черновик выступления")
    StatementFactory(speech__session=session)
    body = client.get("/en/sessions/5/").content.decode()
    assert "Черновик выступления" not in body
    assert '<span lang="ru">Тема</span>' in body
