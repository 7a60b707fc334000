"""The public pages, as a reader sees them: in Kazakh, Russian and English, with drafts hidden
from the public and previewed for staff, and with bad input answered without an error."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils.html import escape

from sessions_app.models import Session, Statement, Status
from tests.factories import (
    FigureFactory,
    SessionFactory,
    SpeakerFactory,
    SpeechFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LANGS = ["kk", "ru", "en"]
SPEECH = "/sessions/33/president-tokayev-speech/"


# --- reading a page like a reader (a small DOM, enough to find headings, links and text) -------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        # Collapse HTML white space only: a no-break space in "119 000" is part of the text.
        return re.sub(r"[ \t\n\r\f]+", " ", "".join(parts)).strip()

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Node]:
        def matches(node: Node) -> bool:
            if tag and node.tag != tag:
                return False
            for name, value in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                have = node.attrs.get(name)
                if value is True:
                    if name not in node.attrs:
                        return False
                elif name == "class":
                    if value not in (have or "").split():
                        return False
                elif have != value:
                    return False
            return True

        return [node for node in self.iter() if matches(node)]

    def find(self, tag: str | None = None, **attrs) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> on the page"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(response) -> Node:
    builder = _Builder()
    builder.feed(response.content.decode())
    return builder.root


def main_text(response) -> str:
    return dom(response).find("main").text


# --- content ---------------------------------------------------------------------------------


def make_session(number: int, *, year: int = 2024, status=Status.PUBLISHED, **kwargs):
    """A session with one speech of three statements on two topics, and a figure."""
    session = SessionFactory(number=number, date=dt.date(year, 4, 25), status=status, **kwargs)
    speech = SpeechFactory(session=session, slug="opening", order=1)
    first = TopicFactory(slug=f"topic-a-{number}")
    second = TopicFactory(slug=f"topic-b-{number}")
    statements = [
        StatementFactory(speech=speech, topic=first, order=1, key="one"),
        StatementFactory(speech=speech, topic=first, order=2, key="two"),
        StatementFactory(speech=speech, topic=second, order=3, key="three"),
    ]
    FigureFactory(statement=statements[0], value="119000")
    return session


@pytest.fixture
def published():
    session = SessionFactory(
        number=33,
        date=dt.date(2024, 4, 25),
        title_kk="Бірлік. Жасампаздық. Прогресс.",
        title_ru="Единство. Созидание. Прогресс.",
        title_en="Unity. Creation. Progress.",
        summary_kk="Сессия қысқаша.",
        summary_ru="Сессия кратко.",
        summary_en="The session in brief.",
        format="hybrid",
        chair=SpeakerFactory(slug="chair", name_en="Kassym-Jomart Tokayev"),
    )
    speech = SpeechFactory(
        session=session,
        slug="president-tokayev-speech",
        speaker=session.chair,
        title_kk="Президенттің сөзі",
        title_ru="Выступление Президента",
        title_en="The President's speech",
        original_language="kk",
    )
    relief = TopicFactory(
        slug="flood-relief", name_kk="Су тасқыны", name_ru="Паводки", name_en="Floods"
    )
    reforms = TopicFactory(
        slug="reforms", name_kk="Реформалар", name_ru="Реформы", name_en="Reforms"
    )
    st1 = StatementFactory(
        speech=speech,
        topic=relief,
        key="evacuation",
        order=1,
        text_kk="119 мыңнан астам адам эвакуацияланды.",
        text_ru="Эвакуировано более 119 тысяч человек.",
        text_en="More than 119,000 people were evacuated.",
    )
    StatementFactory(
        speech=speech,
        topic=reforms,
        key="new-model",
        order=2,
        text_kk="Жаңа экономикалық модель.",
        text_ru="Новая экономическая модель.",
        text_en="A new economic model.",
    )
    FigureFactory(
        statement=st1,
        value="119000",
        label_kk="эвакуацияланды",
        label_ru="эвакуировано",
        label_en="evacuated",
    )
    return session


TEXTS = {
    "kk": {
        "title": "Бірлік. Жасампаздық. Прогресс.",
        "speech": "Президенттің сөзі",
        "statement": "119 мыңнан астам адам эвакуацияланды.",
        "topic": "Су тасқыны",
        "link": "Осы мәлімдемеге сілтеме",
        "date": "25 сәуір 2024 ж.",
        "figure": "119\xa0000",
        "sessions": "Сессиялар",
    },
    "ru": {
        "title": "Единство. Созидание. Прогресс.",
        "speech": "Выступление Президента",
        "statement": "Эвакуировано более 119 тысяч человек.",
        "topic": "Паводки",
        "link": "Ссылка на это высказывание",
        "date": "25 апреля 2024 г.",
        "figure": "119\xa0000",
        "sessions": "Сессии",
    },
    "en": {
        "title": "Unity. Creation. Progress.",
        "speech": "The President's speech",
        "statement": "More than 119,000 people were evacuated.",
        "topic": "Floods",
        "link": "Link to this statement",
        "date": "25 April 2024",
        "figure": "119,000",
        "sessions": "Sessions",
    },
}


# --- home ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_home_shows_the_latest_session_its_figures_and_topics(client, published, lang):
    SessionFactory(number=12, date=dt.date(2010, 1, 1), title_en="An older session")
    page = dom(client.get(f"/{lang}/"))
    latest = page.find("section", class_="latest")
    assert TEXTS[lang]["title"] in latest.text
    assert TEXTS[lang]["speech"] in latest.text
    figures = page.find("section", class_="key-figures")
    assert TEXTS[lang]["figure"] in figures.text
    assert any(a.attrs["href"].endswith(f"{SPEECH}#s-evacuation") for a in figures.find_all("a"))
    assert TEXTS[lang]["topic"] in page.find("main").text
    assert page.find("a", href=f"/{lang}/sessions/")
    assert page.find("form", role="search").attrs["action"] == f"/{lang}/search/"


def test_home_never_shows_a_draft_session_as_the_latest(client, published):
    SessionFactory(number=34, date=dt.date(2025, 1, 1), title_en="Secret draft", status="draft")
    body = client.get("/en/").content.decode()
    assert "Secret draft" not in body
    assert "Unity. Creation. Progress." in body


@pytest.mark.parametrize(
    ("accept", "target"),
    [("ru-RU,ru;q=0.9", "/ru/"), ("en-GB,en;q=0.8", "/en/"), ("kk", "/kk/"), ("de-DE", "/kk/")],
)
def test_root_redirects_to_the_browser_language_or_kazakh(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def test_unknown_language_prefix_is_404(client, published):
    assert client.get("/de/sessions/").status_code == 404
    assert client.get("/de/").status_code == 404


# --- the archive ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_archive_lists_published_sessions_newest_first_with_counts(client, lang):
    make_session(31, year=2022)
    make_session(33, year=2024)
    make_session(32, year=2023)
    make_session(40, year=2025, status=Status.DRAFT)
    page = dom(client.get(f"/{lang}/sessions/"))
    links = [a.attrs["href"] for a in page.find("ol", class_="session-list").find_all("a")]
    assert links == [f"/{lang}/sessions/33/", f"/{lang}/sessions/32/", f"/{lang}/sessions/31/"]
    count = page.find("p", class_="result-count").text
    assert count.startswith("3 ")
    years = [o.attrs["value"] for o in page.find("select", name="year").find_all("option")]
    assert years == ["", "2024", "2023", "2022"]


def test_archive_hides_drafts_from_list_counts_and_filters(client):
    make_session(33)
    draft = make_session(34, status=Status.DRAFT)
    draft_speaker = draft.speeches.get().speaker
    page = dom(client.get("/en/sessions/"))
    main = page.find("main")
    assert "/en/sessions/34/" not in str(client.get("/en/sessions/").content)
    assert main.find("p", class_="result-count").text == "1 session"
    topics = [o.attrs["value"] for o in page.find("select", name="topic").find_all("option")]
    assert "topic-a-34" not in topics
    speakers = [o.attrs["value"] for o in page.find("select", name="speaker").find_all("option")]
    assert draft_speaker.slug not in speakers
    # Asking for a draft's topic or speaker finds nothing and says so.
    response = client.get(f"/en/sessions/?topic=topic-a-34&speaker={draft_speaker.slug}")
    notices = dom(response).find("div", class_="notices").text
    assert "There is no topic “topic-a-34”" in notices
    assert f"There is no speaker “{draft_speaker.slug}”" in notices


def test_staff_see_draft_sessions_in_the_archive_marked_as_drafts(admin_client):
    make_session(33)
    make_session(34, status=Status.DRAFT)
    page = dom(admin_client.get("/en/sessions/"))
    drafts = page.find_all("article", class_="session-card--draft")
    assert len(drafts) == 1
    assert "Draft" in drafts[0].text
    assert drafts[0].find("a").attrs["href"] == "/en/sessions/34/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2023", ["32"]),
        ("topic=topic-a-31", ["31"]),
        ("format=online", ["33"]),
        ("year=2024&format=online", ["33"]),
        ("year=2022&format=online", []),
    ],
)
def test_archive_filters_narrow_the_list(client, query, expected):
    make_session(31, year=2022)
    make_session(32, year=2023)
    make_session(33, year=2024, format="online")
    page = dom(client.get(f"/en/sessions/?{query}"))
    found = [
        a.attrs["href"].strip("/").split("/")[-1]
        for a in page.find("main").find_all("a")
        if a.parent.tag == "h2" and "/sessions/" in a.attrs["href"]
    ]
    assert found == expected
    if not expected:
        assert "No session matches these filters." in page.find("main").text


def _option_counts(page, name: str) -> dict[str, int]:
    """A filter's options and the count each shows: {value: count}."""
    return {
        o.attrs["value"]: int(re.search(r"\((\d+)\)$", o.text.strip()).group(1))
        for o in page.find("select", name=name).find_all("option")
        if o.attrs["value"]
    }


def test_archive_filter_counts_say_what_each_value_finds_with_the_other_filters(client):
    make_session(31, year=2022)
    make_session(32, year=2023)
    make_session(33, year=2024, format="online")
    make_session(34, year=2024)
    everything = dom(client.get("/en/sessions/"))
    assert _option_counts(everything, "year") == {"2024": 2, "2023": 1, "2022": 1}
    assert _option_counts(everything, "topic")["topic-a-31"] == 1

    page = dom(client.get("/en/sessions/?year=2024"))
    # Topics and formats are counted among the 2024 sessions; every value stays listed.
    topics = _option_counts(page, "topic")
    assert topics["topic-a-33"] == 1 and topics["topic-a-34"] == 1
    assert topics["topic-a-31"] == 0 and topics["topic-a-32"] == 0
    assert _option_counts(page, "format")["online"] == 1
    # The year's own counts leave the year out: another year can still be chosen knowingly.
    assert _option_counts(page, "year") == {"2024": 2, "2023": 1, "2022": 1}

    page = dom(client.get("/en/sessions/?format=online&year=2022"))
    assert _option_counts(page, "year") == {"2024": 1, "2023": 0, "2022": 0}
    assert "No session matches these filters." in page.find("main").text


def test_archive_filter_counts_follow_a_publish_on_every_page_of_the_archive(client):
    make_session(33)
    draft = make_session(34, status=Status.DRAFT)
    StatementFactory(speech=draft.speeches.get(), topic__slug="topic-a-33", key="more")
    assert _option_counts(dom(client.get("/en/sessions/")), "topic")["topic-a-33"] == 1
    draft.status = Status.PUBLISHED
    draft.save()
    for address in ("/en/sessions/", "/en/sessions/?page=1", "/kk/sessions/"):
        topics = _option_counts(dom(client.get(address)), "topic")
        assert topics["topic-a-33"] == 2 and topics["topic-a-34"] == 1


def test_staff_archive_counts_include_drafts_and_readers_never_see_them(client, admin_client):
    make_session(33)
    make_session(34, status=Status.DRAFT)
    assert "topic-a-34" not in _option_counts(dom(client.get("/en/sessions/")), "topic")
    assert _option_counts(dom(admin_client.get("/en/sessions/")), "topic")["topic-a-34"] == 1
    assert "topic-a-34" not in _option_counts(dom(client.get("/en/sessions/?page=1")), "topic")


def test_archive_filters_by_speaker_of_a_published_speech(client):
    make_session(31)
    session = make_session(32)
    speaker = SpeakerFactory(slug="guest", name_en="A Guest")
    SpeechFactory(session=session, speaker=speaker, slug="guest-speech")
    page = dom(client.get("/en/sessions/?speaker=guest"))
    assert [a.attrs["href"] for a in page.find("ol", class_="session-list").find_all("a")] == [
        "/en/sessions/32/"
    ]
    assert "A Guest" in page.find("section", class_="active-filters").text


@pytest.mark.parametrize("lang", LANGS)
def test_active_filters_are_shown_and_each_can_be_removed(client, lang):
    make_session(33, year=2024, format="online")
    response = client.get(f"/{lang}/sessions/?year=2024&format=online&page=1")
    active = dom(response).find("section", class_="active-filters")
    items = active.find_all("li")
    assert len(items) == 2
    assert "2024" in items[0].text
    remove_year = items[0].find("a").attrs["href"]
    assert remove_year == f"/{lang}/sessions/?format=online"
    remove_format = items[1].find("a").attrs["href"]
    assert remove_format == f"/{lang}/sessions/?year=2024"
    assert active.find("a", href=f"/{lang}/sessions/")  # clear all


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("year=abc", "The year “abc” was not understood"),
        ("year=99999999999999999999", "The year “99999999999999999999” was not understood"),
        ("topic=nope", "There is no topic “nope”"),
        ("speaker=nope", "There is no speaker “nope”"),
        ("format=square", "The format “square” was not understood"),
        ("page=-1", "The page number “-1” was not understood"),
        ("page=abc", "The page number “abc” was not understood"),
        ("page=2.5", "The page number “2.5” was not understood"),
        ("year=2024&year=abc", "The year “abc” was not understood"),
        ("topic=nope&topic=also-nope", "There is no topic “also-nope”"),
    ],
)
def test_bad_filter_values_are_ignored_and_reported(client, query, notice):
    make_session(33)
    response = client.get(f"/en/sessions/?{query}")
    assert response.status_code == 200
    page = dom(response)
    assert notice in page.find("div", class_="notices").text
    assert page.find("ol", class_="session-list")  # the list is still there


@pytest.mark.parametrize(
    "query", ["topic=%00", "speaker=a%00b", "format=%00", "year=%00", "page=%00"]
)
def test_nul_characters_in_parameters_do_not_break_the_archive(client, query):
    """PostgreSQL refuses NUL in text: a lookup with one must not reach it as an error."""
    make_session(33)
    sessions = client.get(f"/en/sessions/?{query}")
    assert sessions.status_code == 200
    assert dom(sessions).find("ol", class_="session-list").find("a", href="/en/sessions/33/")
    timeline = client.get(f"/en/topics/topic-a-33/?{query}")
    assert timeline.status_code == 200
    assert dom(timeline).find("main").find("a", href="/en/sessions/33/opening/")


def test_a_page_past_the_end_is_404_and_says_so(client):
    make_session(33)
    response = client.get("/en/sessions/?page=99999")
    assert response.status_code == 404
    page = dom(response)
    assert "There is no page 99999: this list has only 1 page." in page.find("main").text
    assert page.find("a", href="?")  # back to the first page


def test_archive_is_paginated(client, settings):
    settings.APK_PAGE_SIZE = 2
    for number in range(1, 6):
        SessionFactory(number=number)
    first = dom(client.get("/en/sessions/"))
    assert "Page 1 of 3" in first.find("nav", class_="pagination").text
    assert first.find("a", rel="next").attrs["href"] == "?page=2"
    last = dom(client.get("/en/sessions/?page=3"))
    links = [a.attrs["href"] for a in last.find("ol", class_="session-list").find_all("a")]
    assert links == ["/en/sessions/1/"]


# --- a session -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_session_page_shows_theme_date_format_chair_speeches_topics_and_figures(
    client, published, lang
):
    page = dom(client.get(f"/{lang}/sessions/33/"))
    main = page.find("main")
    assert main.find("h1").text == TEXTS[lang]["title"]
    facts = main.find("dl", class_="facts").text
    assert TEXTS[lang]["date"] in facts
    assert {"kk": "Аралас", "ru": "Гибридный", "en": "Hybrid"}[lang] in facts
    assert main.find("a", href=f"/{lang}/speakers/chair/")
    assert main.find("a", href=f"/{lang}{SPEECH}").text == TEXTS[lang]["speech"]
    assert TEXTS[lang]["topic"] in main.find("ul", class_="topic-chips").text
    assert TEXTS[lang]["figure"] in main.find("section", class_="key-figures").text
    assert {"kk": "Сессия қысқаша.", "ru": "Сессия кратко.", "en": "The session in brief."}[
        lang
    ] in main.text


def test_draft_session_is_404_for_the_public(client):
    make_session(34, status=Status.DRAFT)
    assert client.get("/en/sessions/34/").status_code == 404
    assert client.get("/en/sessions/34/opening/").status_code == 404


def test_staff_preview_a_draft_session_with_a_banner(admin_client):
    make_session(34, status=Status.DRAFT)
    response = admin_client.get("/en/sessions/34/")
    assert response.status_code == 200
    banner = dom(response).find("div", class_="draft-banner")
    assert "the public cannot see this page" in banner.text
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_vary_on_the_user_and_carry_no_draft_banner(client, published):
    response = client.get("/en/sessions/33/")
    assert "Cookie" in response["Vary"]
    assert "draft-banner" not in response.content.decode()


def test_draft_speech_is_left_out_of_its_session_page_for_the_public(client, published):
    SpeechFactory(
        session=published, slug="unfinished", title_en="Unfinished speech", status="draft"
    )
    assert "Unfinished speech" not in client.get("/en/sessions/33/").content.decode()
    assert client.get("/en/sessions/33/unfinished/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/en/sessions/99999999999999999999/",
        "/en/sessions/0/",
        "/en/sessions/9223372036854775808/opening/",
    ],
)
def test_impossible_session_numbers_are_404(client, path):
    assert client.get(path).status_code == 404


# --- a speech ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_speech_page_shows_statements_under_topic_headings_with_permalinks(client, published, lang):
    response = client.get(f"/{lang}{SPEECH}")
    page = dom(response)
    main = page.find("main")
    assert main.find("h1").text == TEXTS[lang]["speech"]
    sections = main.find_all("section", class_="speech-section")
    assert [s.find("h2").text for s in sections] == [
        TEXTS[lang]["topic"],
        {"kk": "Реформалар", "ru": "Реформы", "en": "Reforms"}[lang],
    ]
    statement = sections[0].find("div", id="s-evacuation")
    assert TEXTS[lang]["statement"] in statement.text
    link = statement.find("p", class_="permalink").find("a")
    assert link.text == TEXTS[lang]["link"]
    assert link.attrs["href"] == f"http://testserver/{lang}{SPEECH}#s-evacuation"
    assert TEXTS[lang]["figure"] in statement.find("ul", class_="figures").text


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("kk", "Сөз қазақ тілінде сөйленді."),
        (
            "ru",
            "Выступление произнесено на казахском языке. "
            "Текст на этой странице — перевод с казахского.",
        ),
        ("en", "Delivered in Kazakh. The text on this page is a translation from Kazakh."),
    ],
)
def test_speech_says_what_language_it_was_delivered_in(client, published, lang, note):
    page = dom(client.get(f"/{lang}{SPEECH}"))
    assert page.find("p", class_="delivery-note").text == note


def test_speech_without_a_recorded_language_says_so(client, published):
    published.speeches.update(original_language="")
    page = dom(client.get(f"/en{SPEECH}"))
    assert page.find("p", class_="delivery-note").text == "Language of delivery not recorded."


def test_speech_full_text_is_shown_in_paragraphs_and_sanitised(client, published):
    speech = published.speeches.get()
    speech.text_en = "First paragraph.\n\nSecond <paragraph>.<script>alert(1)</script>"
    speech.save()
    response = client.get(f"/en{SPEECH}")
    section = dom(response).find("section", class_="full-text")
    assert [p.text for p in section.find_all("p")] == ["First paragraph.", "Second ."]
    assert "alert(1)" not in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_parallel_view_aligns_each_statement_in_three_languages(client, published, lang):
    statement = published.speeches.get().statements.get(key="new-model")
    statement.text_ru = ""
    statement.save()
    page = dom(client.get(f"/{lang}{SPEECH}?view=parallel"))
    table = page.find("table", class_="parallel")
    headers = [th.attrs["lang"] for th in table.find("thead").find_all("th")]
    assert headers == ["kk", "ru", "en"]
    row = table.find("tr", id="s-evacuation")
    cells = row.find_all("td")
    assert [c.attrs["lang"] for c in cells] == ["kk", "ru", "en"]
    assert TEXTS["kk"]["statement"] in cells[0].text
    assert TEXTS["ru"]["statement"] in cells[1].text
    assert TEXTS["en"]["statement"] in cells[2].text
    missing = table.find("tr", id="s-new-model").find_all("td")[1]
    assert missing.find("em", class_="missing").attrs["lang"] == lang


def test_an_unknown_view_shows_the_speech_and_says_so(client, published):
    page = dom(client.get(f"/en{SPEECH}?view=sideways"))
    assert "The view “sideways” is not known" in page.find("div", class_="notices").text
    assert page.find("section", class_="speech-section")


def test_published_speech_of_a_draft_session_is_404_for_the_public(client, published):
    published.status = Status.DRAFT
    published.save()
    assert client.get(f"/en{SPEECH}").status_code == 404


def test_staff_preview_a_draft_speech(admin_client, published):
    published.speeches.update(status=Status.DRAFT)
    response = admin_client.get(f"/en{SPEECH}")
    assert response.status_code == 200
    assert dom(response).find("div", class_="draft-banner")


def test_unknown_speech_is_404(client, published):
    assert client.get("/en/sessions/33/no-such-speech/").status_code == 404


@pytest.mark.parametrize("lang", LANGS)
def test_demo_speech_lists_every_statement_under_its_topic_in_order(client, demo, lang):
    """The 33rd session's factsheet, as published: every statement in the page's language,
    under its topic's heading, in the factsheet's order."""
    body = client.get(f"/{lang}{SPEECH}").content.decode()
    statements = list(
        Statement.objects.filter(speech__session=demo)
        .select_related("topic")
        .order_by("speech__order", "order", "pk")
    )
    assert len(statements) == 40
    position = 0
    topic = None
    for statement in statements:
        if statement.topic != topic:
            topic = statement.topic
            heading = (
                f'class="speech-section__heading">{escape(getattr(topic, f"name_{lang}"))}</h2>'
            )
            found = body.find(heading, position)
            assert found > position, f"heading of {topic.slug} missing or out of order"
            position = found
        text = escape(getattr(statement, f"text_{lang}"))
        found = body.find(text, position)
        assert found > position, f"statement {statement.key} missing or out of order"
        position = found


@pytest.mark.parametrize(
    ("lang", "title", "date"),
    [
        ("kk", "Бірлік. Жасампаздық. Прогресс.", "25 сәуір 2024 ж."),
        ("ru", "Единство. Созидание. Прогресс.", "25 апреля 2024 г."),
        ("en", "Unity. Creation. Progress.", "25 April 2024"),
    ],
)
def test_demo_session_page_in_each_language(client, demo, lang, title, date):
    page = dom(client.get(f"/{lang}/sessions/33/"))
    assert page.find("html").attrs["lang"] == lang
    assert page.find("h1").text == title
    assert date in page.find("dl", class_="facts").text


# --- topics and speakers -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_topic_timeline_lists_statements_newest_session_first(client, lang):
    topic = TopicFactory(slug="water", name_en="Water", name_ru="Вода", name_kk="Су")
    old = SessionFactory(number=20, date=dt.date(2012, 4, 1))
    new = SessionFactory(number=30, date=dt.date(2021, 4, 1))
    old_st = StatementFactory(speech__session=old, topic=topic, key="old", text_en="Old words")
    new_st = StatementFactory(speech__session=new, topic=topic, key="new", text_en="New words")
    draft = StatementFactory(speech__session=new, speech__status="draft", topic=topic)
    page = dom(client.get(f"/{lang}/topics/water/"))
    main = page.find("main")
    assert main.find("h1").text == {"kk": "Су", "ru": "Вода", "en": "Water"}[lang]
    sessions = [h.find("a").attrs["href"] for h in main.find_all("h2")]
    assert sessions == [f"/{lang}/sessions/30/", f"/{lang}/sessions/20/"]
    links = [a.attrs["href"] for a in main.find_all("a") if "#s-" in a.attrs["href"]]
    assert links == [
        f"/{lang}/sessions/30/{new_st.speech.slug}/#s-new",
        f"/{lang}/sessions/20/{old_st.speech.slug}/#s-old",
    ]
    assert getattr(draft, f"text_{lang}") not in main.text


def test_topic_known_only_from_drafts_is_404_for_the_public(client, admin_client):
    StatementFactory(speech__status="draft", topic__slug="secret")
    assert client.get("/en/topics/secret/").status_code == 404
    assert admin_client.get("/en/topics/secret/").status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_topic_list_counts_only_published_statements(client, published, lang):
    StatementFactory(speech__session=published, speech__status="draft", topic__slug="reforms")
    page = dom(client.get(f"/{lang}/topics/"))
    items = {
        item.find("a").attrs["href"]: item.find("p", class_="meta").text
        for item in page.find_all("li", class_="topic-item")
    }
    assert items[f"/{lang}/topics/reforms/"].startswith("1 ")


@pytest.mark.parametrize("lang", LANGS)
def test_speaker_page_shows_position_and_speeches(client, published, lang):
    page = dom(client.get(f"/{lang}/speakers/chair/"))
    main = page.find("main")
    assert {"kk": "Депутат", "ru": "Депутат", "en": "Deputy"}[lang] in main.find("header").text
    assert main.find("a", href=f"/{lang}{SPEECH}").text == TEXTS[lang]["speech"]
    assert main.find("a", href=f"/{lang}/sessions/33/")


def test_speaker_known_only_from_drafts_is_404_for_the_public(client):
    SpeechFactory(status="draft", speaker__slug="newcomer")
    assert client.get("/en/speakers/newcomer/").status_code == 404
    assert "newcomer" not in client.get("/en/speakers/").content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_speaker_list_links_every_speaker_with_published_speeches(client, published, lang):
    page = dom(client.get(f"/{lang}/speakers/"))
    assert page.find("a", href=f"/{lang}/speakers/chair/")


# --- every page ------------------------------------------------------------------------------


def page_paths(lang: str) -> list[str]:
    return [
        f"/{lang}/",
        f"/{lang}/sessions/",
        f"/{lang}/sessions/?year=2024&topic=flood-relief",
        f"/{lang}/sessions/33/",
        f"/{lang}{SPEECH}",
        f"/{lang}{SPEECH}?view=parallel",
        f"/{lang}/topics/",
        f"/{lang}/topics/flood-relief/",
        f"/{lang}/speakers/",
        f"/{lang}/speakers/chair/",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_the_header_search_box_breadcrumbs_and_a_skip_link(client, published, lang):
    for path in page_paths(lang):
        page = dom(client.get(path))
        form = page.find("header").find("form", role="search")
        assert form.attrs["action"] == f"/{lang}/search/"
        assert form.attrs["method"] == "get"
        field = form.find("input", name="q")
        assert form.find("label", for_=field.attrs["id"]).text
        assert page.find("a", class_="skip-link").attrs["href"] == "#main"
        assert page.find("main", id="main")
        if path != f"/{lang}/":
            crumbs = page.find("nav", class_="breadcrumbs").find_all("li")
            assert crumbs[0].find("a").attrs["href"] == f"/{lang}/"
            assert crumbs[-1].find("span", aria_current="page")


def test_pages_use_no_inline_scripts_or_styles(client, published):
    for path in page_paths("en"):
        page = dom(client.get(path))
        assert not page.find_all("style")
        assert all("src" in script.attrs for script in page.find_all("script")), path
        assert not [node.tag for node in page.iter() if "style" in node.attrs], path


def test_pages_have_a_print_stylesheet(client, published):
    for path in page_paths("en"):
        sheets = dom(client.get(path)).find_all("link", rel="stylesheet")
        assert [s.attrs.get("media") for s in sheets] == [None, "print"], path


def _static_bytes(page: Node) -> int:
    total = 0
    urls = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    urls += [script.attrs["src"] for script in page.find_all("script") if "src" in script.attrs]
    for url in urls:
        assert url.startswith("/static/"), f"{url} is not one of the project's own files"
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def test_css_and_js_of_every_page_weigh_under_100_kb(client, published):
    for path in page_paths("en"):
        assert _static_bytes(dom(client.get(path))) < 100 * 1024, path


# --- a fixed number of queries, whatever the archive's size -------------------------------------


QUERIES = {
    "/en/": 5,
    "/en/sessions/": 6,
    "/en/sessions/?year=2021&topic=topic-a-1&speaker=chair": 8,
    "/en/sessions/1/": 4,
    "/en/sessions/1/opening/": 4,
    "/en/sessions/1/opening/?view=parallel": 4,
    "/en/topics/": 1,
    "/en/topics/topic-a-1/": 4,
    "/en/speakers/": 1,
    "/en/speakers/chair/": 3,
}


def grow_archive(to: int) -> None:
    """Sessions up to number `to`, each with three speeches by the same chair, statements on the
    same topics, figures, and a statement on topic-a-1 (so that topic grows with the archive)."""
    chair = SpeakerFactory(slug="chair")
    for number in range(Session.objects.count() + 1, to + 1):
        session = make_session(number, year=2020 + number % 5, chair=chair)
        topics = [st.topic for st in Statement.objects.filter(speech__session=session)]
        for order in (2, 3):
            speech = SpeechFactory(
                session=session, slug=f"more-{order}", order=order, speaker=chair
            )
            for n, topic in enumerate(topics):
                FigureFactory(
                    statement=StatementFactory(speech=speech, topic=topic, order=n, key=f"k{n}")
                )
        StatementFactory(speech__session=session, speech__order=9, topic__slug="topic-a-1")


@pytest.mark.parametrize(("path", "queries"), list(QUERIES.items()))
def test_pages_run_the_same_number_of_queries_for_a_small_and_a_larger_archive(
    client, django_assert_num_queries, path, queries
):
    grow_archive(2)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
    grow_archive(6)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
