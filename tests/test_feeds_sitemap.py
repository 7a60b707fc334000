from html import escape

import pytest

from sessions_app.models import Speech
from tests.factories import SessionFactory, SpeechFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("kk", "Қасым-Жомарт Тоқаев"),
        ("ru", "Касым-Жомарт Токаев"),
        ("en", "Kassym-Jomart Tokayev"),
    ],
)
def test_speech_feed_is_in_the_page_language(client, demo, lang, title):
    response = client.get(f"/{lang}/feeds/speeches/")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f'xml:lang="{lang}"' in body
    assert title in body
    assert f"/{lang}/sessions/33/president-tokayev-speech/" in body


def test_feeds_leave_drafts_out(client, demo):
    SpeechFactory(session=demo, status="draft", title_en="Secret draft")
    draft_session = SessionFactory(status="draft")
    StatementFactory(
        speech__session=draft_session, topic__slug="reforms", text_en="Unpublished statement"
    )
    assert "Secret draft" not in client.get("/en/feeds/speeches/").content.decode()
    body = client.get("/en/feeds/topics/reforms/").content.decode()
    assert "Unpublished statement" not in body
    assert "#s-new-coordinate-system" in body


def test_topic_feed_of_unknown_topic_is_404(client):
    assert client.get("/en/feeds/topics/nope/").status_code == 404


def test_sitemap_lists_public_pages_with_language_alternates(client, demo):
    body = client.get("/sitemap.xml").content.decode()
    for lang in ("kk", "ru", "en"):
        assert f"http://testserver/{lang}/sessions/33/president-tokayev-speech/" in body
        assert f'hreflang="{lang}" href="http://testserver/{lang}/sessions/33/"' in body
    assert 'hreflang="x-default"' in body
    assert "/en/topics/flood-relief/" in body


def test_unpublished_speech_leaves_the_sitemap_at_once(client, demo):
    assert "president-tokayev-speech" in client.get("/sitemap.xml").content.decode()
    Speech.objects.update(status="draft")
    body = client.get("/sitemap.xml").content.decode()
    assert "president-tokayev-speech" not in body
    assert "/en/topics/flood-relief/" not in body  # a topic only drafts use is not listed


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_a_speaker_who_only_chaired_is_in_the_sitemap(client):
    SessionFactory(chair__slug="session-chair")
    assert "/en/speakers/session-chair/" in client.get("/sitemap.xml").content.decode()


def test_a_feed_item_not_yet_translated_is_in_the_language_the_pages_fall_back_to(client, demo):
    statement = demo.speeches.get().statements.get(key="evacuation")
    statement.text_en = ""
    statement.save()
    body = client.get("/en/feeds/topics/flood-relief/").content.decode()
    assert escape(statement.text_ru, quote=False) in body  # English falls back to Russian first
