"""The audit pages' own scripts in Chromium: the time zone cookie and copying.

Filters, htmx and the back button are covered by tests/browser/test_audit_pages.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from security.test_csp_in_chromium import browser  # noqa: F401 (a shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(
    browser,  # noqa: F811
    live_server,
    admin_user,
) -> Iterator[Callable[..., object]]:
    """Return a function that opens a signed-in page in a fresh context."""
    contexts = []

    def open_(path: str, **context_options: object) -> object:
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", "pw-alice-1")
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.goto(f"{live_server.url}{path}")
        return page

    yield open_
    for context in contexts:
        context.close()


def test_times_are_shown_in_the_browsers_time_zone(open_page, make_entry):
    make_entry()
    page = open_page("/audit/", timezone_id="Asia/Tokyo")
    page.wait_for_function(
        "() => document.getElementById('audit-zone').textContent === 'Asia/Tokyo'"
    )
    assert page.locator("#audit-table time").first.inner_text().endswith(" JST")


def test_the_copy_button_copies_the_request(open_page, make_entry):
    entry = make_entry()
    page = open_page(
        f"/audit/{entry.pk}/",
        timezone_id="UTC",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.click("[data-copy-target=request-json]")
    page.wait_for_function(
        "() => document.querySelector('[data-copy-target=request-json]')"
        ".textContent === 'Copied'"
    )
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#request-json").inner_text()
