"""What is not published is nowhere: every page, list, count, filter, feed, sitemap, search
result and open-data answer, in every language, leaves out a topic only drafts use, a speaker
only drafts have, a draft session, a draft speech in a public session and a public speech in a
draft session. Each check also finds the public control record, so it cannot pass on an empty
page. The same tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from tests.factories import (
    SessionFactory,
    SpeakerFactory,
    SpeechFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LANGS = ["kk", "ru", "en"]


def _names(kk: str, ru: str, en: str, field: str = "name") -> dict[str, str]:
    return {f"{field}_kk": kk, f"{field}_ru": ru, f"{field}_en": en}


# Every text of the public records carries the word "marmalade" (in the page's language), so
# one search finds them all; the hidden records carry it too and must not be found.
WORD = {"kk": "мармелад", "ru": "мармелад", "en": "marmalade"}

HIDDEN = [
    # the topic only draft statements use
    "zz-hidden-topic",
    "Жасырынтақырып",
    "Скрытаятема",
    "Hiddentopic",
    # the speaker who only gave a draft speech
    "zz-hidden-speaker",
    "Жасырынбаяндамашы",
    "Скрытыйоратор",
    "Hiddenspeaker",
    # the chair of the draft session only
    "zz-hidden-chair",
    "Жасырынтөраға",
    "Скрытыйпредседатель",
    "Hiddenchair",
    # the draft session
    "/sessions/71/",
    "Жобасессия",
    "Черновиксессии",
    "Draftsession",
    # the draft speech in the public session, and its statements
    "zz-draft-speech",
    "Жобасөз",
    "Черновикречи",
    "Draftspeech",
    "Жобамәлімдеме",
    "Черновикзаявления",
    "Draftstatement",
    "Жобаекінші",
    "Черновиквторое",
    "Draftsecond",
    # the public speech in the draft session, and its statements
    "zz-orphan-speech",
    "Жетімсөз",
    "Сиротаречи",
    "Orphanspeech",
    "Жетіммәлімдеме",
    "Сиротазаявления",
    "Orphanstatement",
    "Жетімекінші",
    "Сиротавторое",
    "Orphansecond",
]

CONTROL = {
    "session": {"kk": "Бақылаусессия", "ru": "Контрольсессии", "en": "Controlsession"},
    "speech": {"kk": "Бақылаусөз", "ru": "Контрольречи", "en": "Controlspeech"},
    "statement": {"kk": "Бақылаумәлімдеме", "ru": "Контрользаявления", "en": "Controlstatement"},
    "topic": {"kk": "Бақылаутақырып", "ru": "Контрольтема", "en": "Controltopic"},
    "speaker": {"kk": "Бақылаубаяндамашы", "ru": "Контрольоратор", "en": "Controlspeaker"},
    "chair": {"kk": "Тектөраға", "ru": "Толькопредседатель", "en": "Chaironly"},
}


def _texts(words: dict[str, str] | tuple[str, str, str], field: str) -> dict[str, str]:
    kk, ru, en = words.values() if isinstance(words, dict) else words
    return _names(f"{kk} {WORD['kk']}", f"{ru} {WORD['ru']}", f"{en} {WORD['en']}", field)


@pytest.fixture
def world():
    control_topic = TopicFactory(slug="control-topic", **_texts(CONTROL["topic"], "name"))
    hidden_topic = TopicFactory(
        slug="zz-hidden-topic", **_texts(("Жасырынтақырып", "Скрытаятема", "Hiddentopic"), "name")
    )
    speaker = SpeakerFactory(slug="control-speaker", **_texts(CONTROL["speaker"], "name"))
    chair = SpeakerFactory(slug="chair-only", **_texts(CONTROL["chair"], "name"))
    hidden_speaker = SpeakerFactory(
        slug="zz-hidden-speaker",
        **_texts(("Жасырынбаяндамашы", "Скрытыйоратор", "Hiddenspeaker"), "name"),
    )
    hidden_chair = SpeakerFactory(
        slug="zz-hidden-chair",
        **_texts(("Жасырынтөраға", "Скрытыйпредседатель", "Hiddenchair"), "name"),
    )
    public = SessionFactory(
        number=70, date=dt.date(2030, 5, 5), chair=chair, **_texts(CONTROL["session"], "title")
    )
    draft = SessionFactory(
        number=71,
        date=dt.date(2031, 6, 6),
        chair=hidden_chair,
        status="draft",
        **_texts(("Жобасессия", "Черновиксессии", "Draftsession"), "title"),
    )
    speech = SpeechFactory(
        session=public, speaker=speaker, slug="control-speech", **_texts(CONTROL["speech"], "title")
    )
    StatementFactory(
        speech=speech, topic=control_topic, key="control", **_texts(CONTROL["statement"], "text")
    )
    draft_speech = SpeechFactory(
        session=public,
        speaker=hidden_speaker,
        slug="zz-draft-speech",
        status="draft",
        **_texts(("Жобасөз", "Черновикречи", "Draftspeech"), "title"),
    )
    StatementFactory(
        speech=draft_speech,
        topic=hidden_topic,
        **_texts(("Жобамәлімдеме", "Черновикзаявления", "Draftstatement"), "text"),
    )
    StatementFactory(  # counts on the control topic must leave it out
        speech=draft_speech,
        topic=control_topic,
        **_texts(("Жобаекінші", "Черновиквторое", "Draftsecond"), "text"),
    )
    orphan = SpeechFactory(
        session=draft,
        speaker=speaker,  # the control speaker's count must leave it out
        slug="zz-orphan-speech",
        **_texts(("Жетімсөз", "Сиротаречи", "Orphanspeech"), "title"),
    )
    StatementFactory(
        speech=orphan,
        topic=hidden_topic,
        **_texts(("Жетіммәлімдеме", "Сиротазаявления", "Orphanstatement"), "text"),
    )
    StatementFactory(
        speech=orphan,
        topic=control_topic,
        **_texts(("Жетімекінші", "Сиротавторое", "Orphansecond"), "text"),
    )


def assert_hidden_absent(body: str, where: str) -> None:
    found = [word for word in HIDDEN if word in body]
    assert not found, f"{where} shows {found}"


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- the known bugs --------------------------------------------------------------------------


def test_feed_of_a_topic_with_only_draft_statements_is_404_like_its_page(client, world):
    assert client.get("/en/topics/zz-hidden-topic/").status_code == 404
    response = client.get("/en/feeds/topics/zz-hidden-topic/")
    assert response.status_code == 404
    assert "Hiddentopic" not in response.content.decode()
    assert "Controlstatement" in get(client, "/en/feeds/topics/control-topic/")


@pytest.mark.parametrize("endpoint", ["/api/v1/statements/", "/api/v1/statements.csv"])
@pytest.mark.parametrize(
    ("param", "unpublished"), [("topic", "zz-hidden-topic"), ("speaker", "zz-hidden-speaker")]
)
def test_api_answers_an_unpublished_slug_exactly_as_an_unknown_one(
    client, world, endpoint, param, unpublished
):
    hidden = client.get(endpoint, {param: unpublished})
    unknown = client.get(endpoint, {param: "zz-no-such-slug"})
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.content == unknown.content
    assert "Controlstatement" in get(client, f"{endpoint}?{param}=control-{param}")


def test_speaker_who_only_chaired_a_public_session_is_found_by_search(client, world):
    assert "Chaironly" in get(client, "/en/speakers/chair-only/")
    body = get(client, "/en/search/?" + urlencode({"q": "chaironly"}))
    assert 'href="/en/speakers/chair-only/"' in body
    # and is a filter value the search understands
    body = get(client, "/en/search/?" + urlencode({"q": "marmalade", "speaker": "chair-only"}))
    assert "was not understood" not in body


# --- every surface -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_pages_show_nothing_unpublished(client, world, lang):
    pages = {
        f"/{lang}/": ["session", "speech", "topic"],
        f"/{lang}/sessions/": ["session"],
        f"/{lang}/sessions/70/": ["session", "speech", "topic", "chair"],
        f"/{lang}/sessions/70/control-speech/": ["speech", "statement", "topic"],
        f"/{lang}/sessions/70/control-speech/?view=parallel": ["speech", "statement"],
        f"/{lang}/topics/": ["topic"],
        f"/{lang}/topics/control-topic/": ["topic", "statement", "speech"],
        f"/{lang}/speakers/": ["speaker", "chair"],
        f"/{lang}/speakers/control-speaker/": ["speaker", "speech"],
        f"/{lang}/speakers/chair-only/": ["chair", "session"],
    }
    for url, controls in pages.items():
        body = get(client, url)
        assert_hidden_absent(body, url)
        for control in controls:
            assert CONTROL[control][lang] in body, (url, control)
    for url in (
        f"/{lang}/sessions/71/",
        f"/{lang}/sessions/71/zz-orphan-speech/",
        f"/{lang}/sessions/70/zz-draft-speech/",
        f"/{lang}/topics/zz-hidden-topic/",
        f"/{lang}/speakers/zz-hidden-speaker/",
        f"/{lang}/speakers/zz-hidden-chair/",
    ):
        # The page links to its own address in the other languages, and says nothing else.
        assert_hidden_absent(get(client, url, 404).replace(url[len(lang) + 1 :], ""), url)


@pytest.mark.parametrize("lang", LANGS)
def test_list_counts_count_only_published_things(client, world, lang):
    def count_after(body: str, name: str) -> str:
        item = body.split(CONTROL[name][lang], 1)[1].split("</li>", 1)[0]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item))

    sessions = get(client, f"/{lang}/sessions/")
    assert re.search(r"\b1\b", count_after(sessions, "session"))
    assert not re.search(r"\b[23]\b", count_after(sessions, "session"))
    topics = get(client, f"/{lang}/topics/")
    assert re.search(r"\b1\b", count_after(topics, "topic"))
    assert not re.search(r"\b[23]\b", count_after(topics, "topic"))
    speakers = get(client, f"/{lang}/speakers/")
    assert re.search(r"\b1\b", count_after(speakers, "speaker"))
    assert not re.search(r"\b2\b", count_after(speakers, "speaker"))


@pytest.mark.parametrize("lang", LANGS)
def test_archive_filters_offer_and_count_only_published_things(client, world, lang):
    body = get(client, f"/{lang}/sessions/")
    assert 'value="2030"' in body and 'value="2031"' not in body
    assert 'value="control-topic"' in body and 'value="control-speaker"' in body
    assert_hidden_absent(body, "archive filters")
    # An unpublished value is answered exactly as an unknown one.
    for name, slug in (("topic", "zz-hidden-topic"), ("speaker", "zz-hidden-speaker")):
        hidden = get(client, f"/{lang}/sessions/?{name}={slug}")
        unknown = get(client, f"/{lang}/sessions/?{name}=zz-nothing")
        assert hidden.replace(slug, "?") == unknown.replace("zz-nothing", "?")


@pytest.mark.parametrize("lang", LANGS)
def test_feeds_and_sitemap_show_nothing_unpublished(client, world, lang):
    body = get(client, f"/{lang}/feeds/speeches/")
    assert_hidden_absent(body, "speech feed")
    assert CONTROL["speech"][lang] in body
    body = get(client, f"/{lang}/feeds/topics/control-topic/")
    assert_hidden_absent(body, "topic feed")
    assert CONTROL["statement"][lang] in body
    assert client.get(f"/{lang}/feeds/topics/zz-hidden-topic/").status_code == 404
    body = get(client, "/sitemap.xml")
    assert_hidden_absent(body, "sitemap")
    for path in ("sessions/70/", "topics/control-topic/", "speakers/chair-only/"):
        assert f"/{lang}/{path}" in body


def _search(client, lang: str, **params) -> tuple[str, list[str]]:
    body = get(client, f"/{lang}/search/?" + urlencode(params))
    hits = re.findall(r'<h2 class="search-hit__title"[^>]*><a href="([^"]+)"', body)
    return body, hits


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_and_counts_only_published_things(client, world, lang):
    for languages in ("", "all"):
        body, hits = _search(client, lang, q=WORD[lang], languages=languages)
        assert_hidden_absent(body, f"search ({languages or lang})")
        for path in (
            "sessions/70/",
            "sessions/70/control-speech/",
            "topics/control-topic/",
            "speakers/control-speaker/",
            "speakers/chair-only/",
        ):
            assert any(f"/{path}" in hit for hit in hits), path
        summary = re.search(r'class="search-summary"[^>]*>(.*?)</p>', body, re.S).group(1)
        assert re.search(r"\d+", summary).group() == str(len(hits))
    # Each hidden word finds nothing (the page repeats the query, so only the hits are read).
    for word in HIDDEN:
        _body, hits = _search(client, lang, q=word.strip("/"), languages="all")
        assert not any("zz-" in hit or "/71/" in hit for hit in hits), word
    # An unpublished filter value is not understood, as an unknown one.
    for name, slug in (("topic", "zz-hidden-topic"), ("speaker", "zz-hidden-speaker")):
        hidden, hits = _search(client, lang, q=WORD[lang], **{name: slug})
        unknown, _hits = _search(client, lang, q=WORD[lang], **{name: "zz-nothing"})
        assert hits and hidden.replace(slug, "?") == unknown.replace("zz-nothing", "?")


def test_open_data_shows_nothing_unpublished(client, world, tmp_path):
    for url in (
        "/api/v1/",
        "/api/v1/sessions/",
        "/api/v1/sessions/70/",
        "/api/v1/statements/",
        "/api/v1/statements/?topic=control-topic",
        "/api/v1/statements/?speaker=control-speaker",
        "/api/v1/statements/?session=71",
        "/api/v1/statements/?year=2031",
        "/api/v1/statements.csv",
        "/api/v1/archive.json",
    ):
        assert_hidden_absent(get(client, url), url)
    sessions = json.loads(get(client, "/api/v1/sessions/"))
    assert [(se["number"], se["speeches"]) for se in sessions["results"]] == [(70, 1)]
    assert get(client, "/api/v1/sessions/71/", 404)
    statements = json.loads(get(client, "/api/v1/statements/"))
    assert [st["id"] for st in statements["results"]] == ["control"]
    rows = list(csv.reader(io.StringIO(get(client, "/api/v1/statements.csv").lstrip("\ufeff"))))
    assert [row[5] for row in rows[1:]] == ["control"]
    archive = json.loads(get(client, "/api/v1/archive.json"))
    assert {s["slug"] for s in archive["speakers"]} == {"control-speaker", "chair-only"}
    assert {t["slug"] for t in archive["topics"]} == {"control-topic"}
    assert [sp["slug"] for se in archive["sessions"] for sp in se["speeches"]] == ["control-speech"]
    for param, value in (("topic", "zz-hidden-topic"), ("speaker", "zz-hidden-speaker")):
        hidden = client.get("/api/v1/statements/", {param: value})
        unknown = client.get("/api/v1/statements/", {param: "zz-nothing"})
        assert hidden.content == unknown.content


def test_published_export_shows_nothing_unpublished(world, tmp_path):
    output = tmp_path / "archive.json"
    call_command(
        "export_sessions", "--published-only", "--output", str(output), stderr=io.StringIO()
    )
    text = output.read_text(encoding="utf-8")
    assert_hidden_absent(text, "export")
    data = json.loads(text)
    assert {s["slug"] for s in data["speakers"]} == {"control-speaker", "chair-only"}
    assert {t["slug"] for t in data["topics"]} == {"control-topic"}
    assert [sp["slug"] for se in data["sessions"] for sp in se["speeches"]] == ["control-speech"]
