"""Browser tests: Playwright drives Debian's Chromium against a live server started here.

`make test-e2e` runs them. Without the e2e extra installed they are skipped, so `make test` needs
no browser; without Chromium they are skipped too, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import io
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright", reason="browser tests need the e2e extra (make test-e2e)")

from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from .support import (
    BROWSER_LOCALES,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    EDITOR_PASSWORD,
    EDITOR_USERNAME,
    SCREENSHOTS,
)


def pytest_report_header(config) -> str:
    return f"browser-test screenshots go to {SCREENSHOTS}"


_browser_started: list[bool] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if not _browser_started:
        return
    shots = sorted(SCREENSHOTS.glob("*.png")) if SCREENSHOTS.is_dir() else []
    terminalreporter.write_sep("-", "browser tests")
    terminalreporter.write_line(f"{len(shots)} screenshots in {SCREENSHOTS}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _browser_started.append(True)
    # CI machines are slow and shared: wait for the page as long as for an action.
    expect.set_options(timeout=10_000)
    # Playwright's sync API runs an event loop in this thread, which trips Django's guard
    # against database access from async code; the loop itself never touches the database.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def demo_records(django_db_setup, django_db_blocker) -> dict[type, list]:
    """The demo content and its search index as unsaved records, imported once: importing and
    indexing it again for every test would take seconds each."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        dump = io.StringIO()
        # The content and its search index (the search app's tables).
        call_command("dumpdata", "sessions_app", "search", stdout=dump, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    records: dict[type, list] = defaultdict(list)
    # dumpdata lists the models in the order they were declared, referenced ones first.
    for item in serializers.deserialize("json", dump.getvalue()):
        records[type(item.object)].append(item.object)
    return records


@pytest.fixture
def archive(live_server, demo_records):
    """The demo content (the 33rd session) in the live server's database."""
    with transaction.atomic():
        for model, objects in demo_records.items():
            model.objects.bulk_create(objects)
    # Rows were inserted with their ids: move PostgreSQL's sequences past them.
    reset = connection.ops.sequence_reset_sql(no_style(), list(demo_records))
    if reset:
        with connection.cursor() as cursor:
            for statement in reset:
                cursor.execute(statement)
    from sessions_app.models import Session

    return Session.objects.get(number=33)


@pytest.fixture
def editor_user(live_server, django_user_model):
    return django_user_model.objects.create_superuser(
        EDITOR_USERNAME, "editor@example.org", EDITOR_PASSWORD
    )


@dataclass
class Traffic:
    """What the pages of a browser context did that they should not have."""

    third_party: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Opens fresh browser contexts (own cookies and storage) on the live server.

    A request that leaves the live server is refused and recorded in `context.traffic`, so a
    page that depends on a CDN is caught instead of hanging the test."""
    origin = live_server.url
    contexts: list[BrowserContext] = []

    def is_foreign(url: str) -> bool:
        scheme = urlsplit(url).scheme
        return scheme in {"http", "https", "ws", "wss"} and not url.startswith(origin + "/")

    def open_context(*, lang: str = "en", viewport: dict = DESKTOP, **options) -> BrowserContext:
        context = browser.new_context(
            base_url=origin,
            viewport=viewport,
            locale=BROWSER_LOCALES[lang],
            timezone_id="Asia/Almaty",
            **options,
        )
        context.set_default_timeout(10_000)
        traffic = Traffic()

        def refuse(route) -> None:
            traffic.third_party.append(route.request.url)
            route.abort()

        context.route(is_foreign, refuse)
        context.on("weberror", lambda error: traffic.page_errors.append(str(error.error)))
        context.traffic = traffic
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    """A desktop page of a reader whose browser prefers English."""
    return new_context(lang="en").new_page()
