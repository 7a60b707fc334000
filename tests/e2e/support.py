"""What the browser tests share: the browser's settings, logging in, screenshots and axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / ".e2e-artifacts" / "screenshots"

LANGS = ("kk", "ru", "en")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Playwright's locale sets the Accept-Language header the site negotiates with.
BROWSER_LOCALES = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}

# Without the background-networking flags Chromium keeps dialling out and the connections are
# refused many times over; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "a-long-editor-password"


def log_in(page: Page, *, lang: str = "en") -> None:
    page.goto(f"/{lang}/admin/login/")
    page.locator("input[name=username]").fill(EDITOR_USERNAME)
    page.locator("input[name=password]").fill(EDITOR_PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/{lang}/admin/")


def screenshot(page: Page, journey: str, lang: str) -> None:
    """Saves the page as a desktop and a phone reader see it, then restores the viewport."""
    original = page.viewport_size or DESKTOP
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # another run may have cleared it meanwhile
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{journey}-{lang}-{name}.png"), full_page=True)
    page.set_viewport_size(original)


# WCAG 2.0-2.2 A and AA rules and axe's best practices. Only serious and critical violations
# fail a test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_axe_source: list[str] = []


def axe_violations(page: Page, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Runs axe-core in the page and returns its serious and critical violations; `exclude`
    lists CSS selectors of third-party widgets left out of the check (each one explained)."""
    if not _axe_source:
        if not AXE_JS.exists():
            pytest.fail(f"{AXE_JS} is missing: `make test-e2e` installs axe-core with npm")
        # Evaluated through the DevTools protocol, so the page's CSP cannot refuse it.
        _axe_source.append(AXE_JS.read_text(encoding="utf-8") + "\n;true")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source[0])
    return page.evaluate(
        """async ([tags, exclude]) => {
            const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
            const result = await axe.run(context, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({
                    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: '
                        + (n.failureSummary || '').replace(/\\s+/g, ' ')),
                }));
        }""",
        [AXE_TAGS, list(exclude)],
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['count']} elements)")
        lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


def horizontal_overflow(page: Page) -> dict | None:
    """The widest element sticking out of the viewport, or None when nothing scrolls sideways."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            let worst = null;
            for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > root.clientWidth + 1 && (!worst || r.right > worst.right)) {
                    worst = {right: Math.round(r.right), tag: el.tagName.toLowerCase(),
                             cls: el.className && String(el.className),
                             text: (el.textContent || '').trim().slice(0, 60)};
                }
            }
            return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: worst};
        }"""
    )
