"""Reading long texts: one comfortable column, a visible structure, figures that stand out."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

from .pages import PUBLIC_PAGES, SPEECH, url
from .support import LANGS

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", LANGS)
def test_speech_reads_in_one_column_of_comfortable_lines(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    lines = page.evaluate(
        """() => [...document.querySelectorAll('main [id^="s-"] > p:first-of-type')].map(p => {
            const s = getComputedStyle(p), r = p.getBoundingClientRect();
            const ruler = document.createElement('span');
            ruler.style.cssText = 'display:inline-block;width:80ch';
            p.append(ruler);
            const measure = ruler.getBoundingClientRect().width;
            ruler.remove();
            return {left: Math.round(r.left), width: r.width, size: parseFloat(s.fontSize),
                    lineHeight: parseFloat(s.lineHeight) || 0, eightyCh: measure};
        })"""
    )
    assert len(lines) == 40
    assert len({line["left"] for line in lines}) == 1, "statements are not in one column"
    for line in lines:
        assert line["size"] >= 16
        assert line["lineHeight"] >= 1.45 * line["size"]
        # At most about 80 characters a line: the eye finds its way back to the next one.
        assert line["width"] <= line["eightyCh"]


# The outline is the same in every language: Kazakh stands for all three.
@pytest.mark.parametrize("page_name", list(PUBLIC_PAGES))
def test_headings_outline_the_page_without_skipping_levels(archive, new_context, page_name):
    page = new_context(lang="kk").new_page()
    page.goto(url("kk", page_name))
    levels = page.evaluate(
        """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"""
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("lang", LANGS)
def test_speech_sections_are_headed_by_their_topics(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    sections = page.locator("main section:has([id^='s-'])")
    expect(sections).to_have_count(5)
    for index in range(5):
        expect(sections.nth(index).locator("h2")).to_have_count(1)


@pytest.mark.parametrize("lang", LANGS)
def test_breadcrumbs_lead_from_a_statement_back_to_the_archive(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    crumbs = page.locator("nav ol:has([aria-current=page]) li")
    expect(crumbs.first.locator("a")).to_have_attribute("href", f"/{lang}/")
    expect(crumbs.filter(has=page.locator(f"a[href='/{lang}/sessions/33/']"))).to_have_count(1)
    expect(crumbs.last.locator("[aria-current=page]")).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_figures_stand_out_from_the_text(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    statement = page.locator("#s-evacuation")
    text = statement.locator("p").first.evaluate(
        "p => ({size: parseFloat(getComputedStyle(p).fontSize),"
        " background: getComputedStyle(p.closest('[id^=s-]')).backgroundColor})"
    )
    figure = statement.locator("data").first.evaluate(
        """d => { let box = d; while (box && getComputedStyle(box).backgroundColor
                                            === 'rgba(0, 0, 0, 0)') box = box.parentElement;
                  const s = getComputedStyle(d);
                  return {size: parseFloat(s.fontSize), weight: Number(s.fontWeight),
                          background: box && getComputedStyle(box).backgroundColor}; }"""
    )
    assert figure["size"] >= 1.2 * text["size"] or figure["weight"] >= 600
    assert figure["background"] != text["background"]
