"""The search results page as a reader sees it: results first on a phone with the filters below,
the filters beside the results on a wide screen, matched words that stand out and stay legible,
and a printout of the results alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .pages import SEARCH_WORDS, url
from .support import LANGS, axe_violations, format_violations, horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two computed colours, "rgb(r, g, b)"."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_the_first_result_comes_before_the_filters(archive, new_context, lang):
    page = new_context(lang=lang, viewport=NARROW).new_page()
    page.goto(url(lang, "search"))
    first_hit = page.locator("main .search-hit").first
    filters = page.locator("main .search-facets")
    expect(first_hit).to_be_visible()
    assert horizontal_overflow(page) is None
    assert box(page, "main .search-hit")["y"] < box(page, "main .search-facets")["y"]

    # A link under the count of results takes the reader down to the filters.
    page.locator("main .search-jump a").click()
    expect(filters).to_be_in_viewport()
    screenshot(page, "search-results", lang)


def test_filter_values_are_large_enough_to_tap(archive, new_context):
    page = new_context(lang="ru", viewport=NARROW).new_page()
    page.goto(url("ru", "search"))
    targets = page.locator("main .search-facet a, main .search-facet [aria-current]")
    expect(targets.first).to_be_visible()
    sizes = targets.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent.trim(), width: r.width, height: r.height}; })"
    )
    small = [s for s in sizes if s["height"] < 44 or s["width"] < 44]
    assert small == []


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_wide_screen_the_filters_sit_beside_readable_results(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(url(lang, "search"))
    expect(page.locator("main .search-facets")).to_be_visible()
    results, filters = box(page, "main .search-results"), box(page, "main .search-facets")
    assert filters["x"] >= results["x"] + results["width"], "the filters are beside the results"
    assert filters["y"] < results["y"] + 200, "…and start level with them"
    eighty_ch = page.locator("main .search-hit__snippet").first.evaluate(
        """p => { const ruler = document.createElement('span');
                  ruler.style.cssText = 'display:inline-block;width:80ch';
                  p.append(ruler); const w = ruler.getBoundingClientRect().width;
                  ruler.remove(); return w; }"""
    )
    assert results["width"] <= eighty_ch, "lines of results stay short enough to read"


@pytest.mark.parametrize("lang", LANGS)
def test_matched_words_stand_out_and_stay_legible(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}/search/?q={SEARCH_WORDS[lang]}&languages=all")
    marks = page.locator("main .search-hit mark")
    expect(marks.first).to_be_visible()
    looks = marks.evaluate_all(
        """marks => marks.map(m => { const s = getComputedStyle(m);
            return {color: s.color, background: s.backgroundColor,
                    page: getComputedStyle(document.body).backgroundColor}; })"""
    )
    for look in looks:
        assert look["background"] != look["page"], "a matched word is highlighted"
        assert contrast(look["color"], look["background"]) >= 4.5, look
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_the_header_search_box_keeps_the_query(archive, new_context):
    page = new_context(lang="kk").new_page()
    page.goto("/kk/sessions/")
    header_box = page.locator("header [role=search] input[name=q]")
    header_box.fill(SEARCH_WORDS["kk"])
    header_box.press("Enter")
    expect(page).to_have_url(re.compile("/kk/search/\\?q="))
    expect(page.locator("main .search-hit").first).to_be_visible()
    expect(header_box).to_have_value(SEARCH_WORDS["kk"])


def test_a_printed_search_page_has_the_results_without_the_form_or_filters(archive, page):
    page.goto(url("en", "search"))
    page.emulate_media(media="print")
    expect(page.locator("main .search-hit").first).to_be_visible()
    for hidden in (".search-page__form", ".search-facets", ".search-help", "header form"):
        expect(page.locator(hidden)).to_be_hidden()
