"""Filling the Django admin's forms the way an editor does: tabs, autocompletes, shortcuts."""

from __future__ import annotations

from playwright.sync_api import Page


def fill_translation(page: Page, name: str, value: str) -> None:
    """modeltranslation shows one language at a time in tabs: open the field's tab, then type."""
    field = page.locator(f"[name='{name}']")
    if not field.is_visible():
        panel = field.evaluate("el => el.closest('[role=tabpanel]')?.id || null")
        assert panel, f"{name} is hidden and not in a language tab"
        page.locator(f"a[href='#{panel}']").first.click()
    field.fill(value)


def choose(page: Page, name: str, search: str, option: str | None = None) -> None:
    """Picks a record in the admin's autocomplete (select2) widget for the select `name`."""
    page.locator(f"select[name='{name}'] + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    results = page.locator(
        ".select2-container--open .select2-results__option[role=option]:not(.loading-results)"
    )
    (results.filter(has_text=option) if option else results).first.click()


def set_today(page: Page, name: str) -> None:
    """The date widget's "Today" shortcut (the first link beside the field)."""
    page.locator(f"input[name='{name}'] ~ .datetimeshortcuts a").first.click()


def run_action(page: Page, changelist: str, row_text: str, action: str) -> None:
    """Selects the change list row that shows `row_text` and runs a bulk action on it."""
    page.goto(changelist)
    row = page.locator("#result_list tbody tr").filter(has_text=row_text)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    page.locator(".messagelist .success").wait_for()
