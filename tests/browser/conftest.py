"""Fixtures for the Chromium suite, a screenshot of every failure, and its duration.

The app runs on pytest-django's ``live_server`` (a threaded server on loopback
that sees the test database) and the Luminous simulator on another loopback port
(the ``simulator`` fixture). Chromium is launched by the fixture the CSP tests
already use, so the browser is found, or refused, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect
from security.test_csp_in_chromium import browser  # noqa: F401 (a shared fixture)

ARTIFACTS = Path(__file__).parent / "artifacts"
# Long enough for a two-core CI machine that runs the simulator, the app and
# Chromium at once; a wait that needs more is a failure worth a screenshot.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

_durations: dict[str, float] = {}

Opener = Callable[..., Any]


# ``browser`` is the fixture imported above, which pytest passes in by name.
@pytest.fixture
def open_context(browser, live_server, request) -> Iterator[Opener]:  # noqa: F811
    """Return a function that opens a browser context on the live server.

    ``signed_in_as`` puts that user's session cookie in the context, which is
    faster than the sign-in form; the sign-in test uses the form itself.
    """
    contexts: list = []
    # Read by pytest_runtest_makereport to save what each page shows.
    request.node.browser_contexts = contexts

    def open_(*, signed_in_as=None, **options) -> Any:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        if signed_in_as is not None:
            context.add_cookies([session_cookie(signed_in_as, live_server.url)])
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


def session_cookie(user, url: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": url}


@pytest.fixture
def page(open_context, admin_user):
    """A page signed in as the administrator, who may do everything."""
    return open_context(signed_in_as=admin_user).new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    _durations[item.nodeid] = _durations.get(item.nodeid, 0.0) + report.duration
    if report.failed and report.when in ("setup", "call"):
        saved = _save_pages(item)
        if saved:
            report.sections.append(("browser artifacts", "\n".join(saved)))
    return report


def _save_pages(item: pytest.Item) -> list[str]:
    """Save a screenshot and the HTML of every open page; return their paths."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", item.nodeid.split("/")[-1])[:120]
    saved = []
    pages = [
        page
        for context in getattr(item, "browser_contexts", [])
        for page in context.pages
    ]
    for number, page in enumerate(pages, start=1):
        base = ARTIFACTS / f"{stem}-{number}"
        # A page that crashed or closed must not hide the test's own failure.
        try:
            page.screenshot(path=f"{base}.png", full_page=True)
            Path(f"{base}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:
            saved.append(f"{base}: not saved ({exc})")
            continue
        saved += [f"{base}.png", f"{base}.html"]
    return saved


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if _durations:
        terminalreporter.write_line(
            f"browser suite: {len(_durations)} tests in "
            f"{sum(_durations.values()):.1f} s"
        )
