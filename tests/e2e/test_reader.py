"""A reader's journeys through the public archive, in each language."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sessions_app.models import SessionFormat, Speaker, Topic
from tests.factories import SessionFactory, SpeechFactory, StatementFactory

from .pages import SEARCH_WORDS, SPEECH
from .support import LANGS, screenshot

pytestmark = pytest.mark.e2e

DEMO = json.loads(
    (Path(__file__).resolve().parents[2] / "sessions_app/demo/apk-33rd-session.json").read_text(
        encoding="utf-8"
    )
)
DEMO_SPEECH = DEMO["sessions"][0]["speeches"][0]
DEMO_STATEMENTS = {
    statement["id"]: statement["text"]
    for section in DEMO_SPEECH["sections"]
    for statement in section["statements"]
}
OTHER_LANG = {"kk": "ru", "ru": "en", "en": "kk"}


def is_highlighted(page: Page, anchor: str) -> bool:
    """The statement is the URL's target and looks different from the statements around it."""
    return page.evaluate(
        """(anchor) => {
            const el = document.getElementById(anchor);
            const other = [...document.querySelectorAll('[id^="s-"]')].find(e => e !== el);
            const look = e => { const s = getComputedStyle(e);
                                return [s.backgroundColor, s.borderLeftColor, s.outlineStyle]; };
            return el.matches(':target')
                && JSON.stringify(look(el)) !== JSON.stringify(look(other));
        }""",
        anchor,
    )


@pytest.mark.parametrize("lang", LANGS)
def test_reader_follows_a_permalink_and_keeps_it_across_languages(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(f"/{lang}/$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.locator(f"main a[href='/{lang}/sessions/33/']").first.click()
    expect(page.locator("h1")).to_contain_text(DEMO["sessions"][0]["title"][lang])
    page.locator(f"main a[href='/{lang}{SPEECH}']").first.click()
    expect(page.locator("h1")).to_contain_text(DEMO_SPEECH["title"][lang])

    statement = page.locator("#s-evacuation")
    statement.locator("a[href$='#s-evacuation']").click()
    expect(page).to_have_url(re.compile(f"/{lang}{SPEECH}#s-evacuation$"))
    expect(statement).to_be_in_viewport()
    assert is_highlighted(page, "s-evacuation")
    screenshot(page, "reader-permalink", lang)

    other = OTHER_LANG[lang]
    page.locator(f"header a[hreflang='{other}']").click()
    expect(page).to_have_url(re.compile(f"/{other}{SPEECH}#s-evacuation$"))
    expect(statement).to_contain_text(DEMO_STATEMENTS["evacuation"][other])
    expect(statement).to_be_in_viewport()
    assert is_highlighted(page, "s-evacuation")
    screenshot(page, "reader-permalink-switched", lang)


@pytest.fixture
def long_archive(archive):
    """25 more published sessions (two pages of the archive), each on the demo's reforms."""
    reforms = Topic.objects.get(slug="reforms")
    speaker = Speaker.objects.get(slug="kassym-jomart-tokayev")
    for number in range(1, 26):
        session = SessionFactory(
            number=number,
            date=dt.date(1995 + number // 2, 1 + number % 12, 10),
            format=SessionFormat.IN_PERSON,
            chair=speaker,
        )
        speech = SpeechFactory(session=session, speaker=speaker)
        StatementFactory(speech=speech, topic=reforms)
    return archive


@pytest.mark.parametrize("lang", LANGS)
def test_reader_filters_the_archive_clears_a_filter_and_pages_through(
    long_archive, new_context, lang
):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}/")
    page.locator(f"a[href='/{lang}/sessions/']").first.click()
    expect(page).to_have_url(re.compile(f"/{lang}/sessions/$"))

    page.locator("select[name=topic]").select_option("reforms")
    page.locator("select[name=year]").select_option("2024")
    page.locator("form.filters [type=submit]").click()
    expect(page).to_have_url(re.compile(r"topic=reforms"))
    expect(page).to_have_url(re.compile(r"year=2024"))
    results = page.locator("main .session-list > li")
    expect(results).to_have_count(1)
    expect(results.first.locator(f"a[href='/{lang}/sessions/33/']")).to_be_visible()
    screenshot(page, "reader-filters", lang)

    # Clearing the year keeps the topic: all 26 sessions on reforms, over two pages.
    page.locator(".active-filters a[href*='topic=reforms']:not([href*='year='])").click()
    expect(page).to_have_url(re.compile(r"topic=reforms"))
    assert "year=" not in page.url
    expect(page.locator("select[name=year]")).to_have_value("")
    expect(results).to_have_count(20)

    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"topic=reforms"))
    expect(results).to_have_count(6)
    screenshot(page, "reader-pages", lang)
    page.locator("a[rel=prev]").click()
    expect(results).to_have_count(20)
    expect(results.first.locator(f"a[href='/{lang}/sessions/33/']")).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_reader_opens_the_parallel_view_of_a_speech(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    page.locator(f"main a[href='/{lang}{SPEECH}?view=parallel']").click()
    expect(page).to_have_url(re.compile(r"\?view=parallel$"))

    row = page.locator("#s-evacuation")
    for code in LANGS:
        expect(row.locator(f"[lang={code}]")).to_contain_text(DEMO_STATEMENTS["evacuation"][code])
    screenshot(page, "reader-parallel", lang)

    page.set_viewport_size({"width": 390, "height": 844})
    # On a phone the three languages follow one another instead of squeezing into columns.
    boxes = [row.locator(f"[lang={code}]").bounding_box() for code in LANGS]
    assert all(box["width"] > 300 for box in boxes), boxes
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


TOPIC_STATEMENTS = {
    topic["slug"]: {
        f"s-{statement['id']}"
        for section in DEMO_SPEECH["sections"]
        if section["topic"] == topic["slug"]
        for statement in section["statements"]
    }
    for topic in DEMO["topics"]
}


@pytest.mark.parametrize("lang", LANGS)
def test_reader_searches_refines_by_topic_and_lands_on_the_statement(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}/topics/")
    box = page.locator("header [role=search] input[name=q]")
    box.fill(SEARCH_WORDS[lang])
    box.press("Enter")
    expect(page).to_have_url(re.compile(f"/{lang}/search/\\?q="))
    statement_hits = page.locator(f"main ol a[href^='/{lang}{SPEECH}#s-']")
    expect(statement_hits.first).to_be_visible()

    page.locator("main a[href*='topic=flood-prevention']").first.click()
    expect(page).to_have_url(re.compile("topic=flood-prevention"))
    expect(statement_hits.first).to_be_visible()
    anchors = {
        href.split("#")[1]
        for href in statement_hits.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    }
    assert anchors and anchors <= TOPIC_STATEMENTS["flood-prevention"]
    screenshot(page, "reader-search", lang)

    target = statement_hits.first.get_attribute("href").split("#")[1]
    statement_hits.first.click()
    expect(page).to_have_url(re.compile(f"/{lang}{SPEECH}#{target}$"))
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    assert is_highlighted(page, target)
    screenshot(page, "reader-search-result", lang)
