"""A reader without a mouse: the skip link, Tab through every control, the language switcher."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .pages import PUBLIC_PAGES, SPEECH, url
from .support import LANGS

pytestmark = pytest.mark.e2e

# Marks every control a reader can operate, so that tabbing can be checked against them.
MARK_CONTROLS = """() => {
    const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
        + ' select:not([disabled]), textarea:not([disabled]), summary,'
        + ' [tabindex]:not([tabindex="-1"])';
    // A radio group is one tab stop (arrow keys move within it): its checked or first radio.
    const isTabStop = el => {
        if (el.type !== 'radio') return true;
        const group = [...document.querySelectorAll('input[type=radio]')]
            .filter(r => r.name === el.name && r.form === el.form);
        return el === (group.find(r => r.checked) || group[0]);
    };
    const controls = [...document.querySelectorAll(selector)]
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden'
                      || el.classList.contains('skip-link'))
        .filter(isTabStop);
    controls.forEach((el, i) => el.dataset.e2eControl = i);
    return controls.length;
}"""

# The focused control: which one it is and whether a sighted keyboard user can see the focus.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
        && style.outlineColor !== 'rgba(0, 0, 0, 0)';
    const shadow = style.boxShadow !== 'none';
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return {
        control: el.dataset.e2eControl ?? null,
        label: el.tagName.toLowerCase() + ' '
            + (el.textContent || el.name || '').trim().slice(0, 40),
        visibleFocus: outline || shadow,
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
        // WCAG 2.4.11: not hidden under a sticky header or anything else.
        unobscured: !!hit && (el.contains(hit) || hit.contains(el)),
    };
}"""


def tab_through(page: Page, limit: int) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused["control"] == stops[0]["control"]):
            break
        stops.append(focused)
    return stops


# The controls and their focus styles are the same in every language: Kazakh, the site's
# default, stands for all three here; the skip link and the switcher are checked in each.
@pytest.mark.parametrize("page_name", list(PUBLIC_PAGES))
def test_every_control_is_reached_by_tab_with_a_visible_focus(archive, new_context, page_name):
    lang = "kk"
    # Without smooth scrolling a control is measured where the reader finally sees it.
    page = new_context(lang=lang, reduced_motion="reduce").new_page()
    page.goto(url(lang, page_name))
    count = page.evaluate(MARK_CONTROLS)
    stops = tab_through(page, limit=count + 10)
    missed = page.evaluate(
        """(reached) => [...document.querySelectorAll('[data-e2e-control]')]
            .filter(el => !reached.includes(el.dataset.e2eControl))
            .map(el => el.outerHTML.slice(0, 120))""",
        [stop["control"] for stop in stops],
    )
    assert missed == []
    assert [stop["label"] for stop in stops if not stop["visibleFocus"]] == []
    assert [stop["label"] for stop in stops if not stop["onScreen"]] == []
    assert [stop["label"] for stop in stops if not stop["unobscured"]] == []


@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport()
    # Visible, not merely present: it is what is drawn at its own centre.
    assert skip.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   return r.width > 10 && r.height > 10
                       && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
                          ?.closest('a') === el; }"""
    )
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_is_a_list_of_links_with_lang_and_hreflang(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}{SPEECH}")
    links = page.locator("header a[hreflang]")
    expect(links).to_have_count(len(LANGS))
    for code in LANGS:
        link = page.locator(f"header a[hreflang='{code}']")
        expect(link).to_have_attribute("lang", code)
        expect(link).to_have_attribute("href", f"/{code}{SPEECH}")
        assert link.evaluate("el => el.parentElement.tagName === 'LI'")
        assert link.evaluate("el => ['UL', 'OL'].includes(el.parentElement.parentElement.tagName)")
    current = page.locator(f"header a[hreflang='{lang}']")
    expect(current).to_have_attribute("aria-current", re.compile(r"^(true|page)$"))
