"""Every public page type in every language: axe-core, reflow at 400% zoom and page weight."""

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
