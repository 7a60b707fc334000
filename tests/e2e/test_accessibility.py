"""Every public page type in every language: axe-core, language, reflow at 400% zoom, weight."""

from __future__ import annotations

import pytest

from .pages import PUBLIC_PAGES, url
from .support import LANGS, axe_violations, format_violations, horizontal_overflow

pytestmark = pytest.mark.e2e

PAGES = list(PUBLIC_PAGES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_name", PAGES)
def test_page_has_no_serious_axe_violations(archive, new_context, page_name, lang):
    page = new_context(lang=lang).new_page()
    page.goto(url(lang, page_name))
    violations = axe_violations(page)
    assert not violations, f"{url(lang, page_name)}\n{format_violations(violations)}"


# Text in the page's language that reads as English: two Latin words in a row. Parts in another
# language (a marked fallback, a quotation) carry their own lang attribute and are left out.
ENGLISH_IN_PAGE_LANGUAGE = r"""() => {
    const english = /[A-Za-z]{3,}[\s,.:;'’-]+[A-Za-z]{3,}/;
    const page = document.documentElement.lang;
    const inPageLanguage = el => (el.closest('[lang]')?.lang || page) === page;
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el.closest('script, style, code') && inPageLanguage(el) && english.test(node.data)) {
            found.push(node.data.trim().slice(0, 80));
        }
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            const value = el.getAttribute(name);
            if (value && inPageLanguage(el) && english.test(value)) found.push(`${name}=${value}`);
        }
    }
    return found;
}"""


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("page_name", PAGES)
def test_page_speaks_the_readers_language(archive, new_context, page_name, lang):
    """A Kazakh or Russian page has no untranslated English, and screen readers read every part
    in the language its lang attribute gives (WCAG 3.1.1 and 3.1.2)."""
    page = new_context(lang=lang).new_page()
    page.goto(url(lang, page_name))
    assert page.evaluate(ENGLISH_IN_PAGE_LANGUAGE) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_name", PAGES)
def test_page_reflows_at_320_css_pixels(archive, new_context, page_name, lang):
    """WCAG 1.4.10: at 320 px wide (1280 px at 400% zoom) nothing scrolls sideways; this also
    catches long Kazakh and Russian words that do not wrap."""
    page = new_context(lang=lang, viewport={"width": 320, "height": 640}).new_page()
    page.goto(url(lang, page_name))
    assert horizontal_overflow(page) is None


@pytest.mark.parametrize("page_name", PAGES)
def test_page_renders_without_other_sites_or_blocking_scripts(archive, new_context, page_name):
    """Fast on a slow phone: nothing from a third party, no script holding up the first paint,
    images sized (no jumps) and lazy. The assets are the same in every language."""
    lang = "kk"
    context = new_context(lang=lang)
    page = context.new_page()
    page.goto(url(lang, page_name))
    assert context.traffic.third_party == []
    assert context.traffic.page_errors == []
    blocking = page.evaluate(
        """() => [...document.head.querySelectorAll('script[src]')]
            .filter(s => !s.async && !s.defer && s.type !== 'module').map(s => s.src)"""
    )
    assert blocking == []
    unsized = page.evaluate(
        """() => [...document.images]
            .filter(i => !i.getAttribute('width') || !i.getAttribute('height')
                         || i.loading !== 'lazy').map(i => i.src)"""
    )
    assert unsized == []
