"""The admin pages editors work in all day: axe-core, keyboard and nothing from other sites."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sessions_app.models import Speech

from .support import LANGS, axe_violations, format_violations, log_in

pytestmark = pytest.mark.e2e

ADMIN_PAGES = {
    "index": "/admin/",
    "sessions": "/admin/sessions_app/session/",
    "session-add": "/admin/sessions_app/session/add/",
    "speeches": "/admin/sessions_app/speech/?status__exact=published",
    "speech-change": "/admin/sessions_app/speech/{speech}/change/",
    "statements": "/admin/sessions_app/statement/?missing=kk",
}


@pytest.fixture
def editor_page(archive, editor_user, new_context):
    def open_page(lang: str, name: str):
        page = new_context(lang=lang).new_page()
        log_in(page, lang=lang)
        speech = Speech.objects.get(slug="president-tokayev-speech")
        page.goto(f"/{lang}" + ADMIN_PAGES[name].format(speech=speech.pk))
        return page

    return open_page


@pytest.mark.parametrize("lang", LANGS)
def test_admin_login_has_no_serious_axe_violations(archive, new_context, lang):
    page = new_context(lang=lang).new_page()
    page.goto(f"/{lang}/admin/login/")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


# The admin's markup is the same in every language; editors work in Kazakh by default.
@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_admin_page_has_no_serious_axe_violations(editor_page, name):
    page = editor_page("kk", name)
    # jQuery UI's tab strip (modeltranslation's language tabs) nests its link inside the element
    # with role=tab; that markup is the widget's own and cannot be changed without breaking it.
    violations = axe_violations(page, exclude=(".ui-tabs-nav",))
    assert not violations, f"{page.url}\n{format_violations(violations)}"


@pytest.mark.parametrize("name", ["session-add", "speech-change"])
def test_admin_translation_tabs_work_without_other_sites(editor_page, name):
    """One language at a time in tabs, with nothing fetched from a CDN: the tabs must work
    offline and under the site's Content-Security-Policy."""
    page = editor_page("kk", name)
    expect(page.locator("[role=tablist]").first).to_be_visible()
    expect(page.locator("[name=title_kk]")).to_be_visible()
    expect(page.locator("[name=title_ru]")).to_be_hidden()
    page.locator("li[aria-controls='tab_id_title_ru'] > a").click()
    expect(page.locator("[name=title_ru]")).to_be_visible()
    assert page.context.traffic.third_party == []
