"""The pages and their htmx re-renders work in Chromium under the real policy."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from security.required import require

from channels_ui.rules import TOGGLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, kept off the network: it only ever loads the live server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Runs before any page script, so a violation during start-up is seen too.
RECORD_VIOLATIONS = """
window.__violations = [];
window.__loaded = 0;
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
document.addEventListener("htmx:afterOnLoad", () => { window.__loaded += 1; });
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "Playwright (pip install playwright)")
    require(shutil.which(CHROMIUM) is not None, f"Chromium at {CHROMIUM}")
    # Playwright's sync API keeps an event loop running on this thread, which
    # makes Django refuse the tests' own ORM calls unless told it is safe.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Watched:
    """A page whose CSP violations and CSP console messages are kept."""

    def __init__(self, browser, base_url: str) -> None:
        self.base_url = base_url
        self.page = browser.new_page()
        self.page.set_default_timeout(10_000)
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.page.add_init_script(RECORD_VIOLATIONS)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def problems(self) -> list[str]:
        return self.page.evaluate("window.__violations") + self.console


@pytest.fixture
def signed_in(browser, live_server, admin_user) -> Iterator[Watched]:
    watched = Watched(browser, live_server.url)
    watched.open("/accounts/login/")
    watched.page.fill("#id_username", "alice")
    watched.page.fill("#id_password", "pw-alice-1")
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit]")
    yield watched
    watched.page.close()


def htmx_round_trip(watched: Watched, action: Callable[[], object]) -> None:
    """Do ``action``, then wait until htmx has handled the server's reply."""
    loaded = watched.page.evaluate("window.__loaded")
    with watched.page.expect_response(
        lambda response: response.request.headers.get("hx-request") == "true"
    ) as reply:
        action()
    assert reply.value.ok
    watched.page.wait_for_function("(n) => window.__loaded > n", arg=loaded)


def test_the_sign_in_page_breaks_no_policy(browser, live_server):
    watched = Watched(browser, live_server.url)
    watched.open("/accounts/login/")
    assert watched.problems() == []


def test_signing_in_breaks_no_policy(signed_in):
    assert (signed_in.page.url.endswith("/channels/new/"), signed_in.problems()) == (
        True,
        [],
    )


def test_htmx_updates_the_channel_form_without_breaking_the_policy(
    signed_in, simulator, acme
):
    page = signed_in.page
    signed_in.open("/channels/new/")
    htmx_round_trip(
        signed_in, lambda: page.select_option("#id_connection", str(acme.pk))
    )
    htmx_round_trip(
        signed_in, lambda: page.select_option("#id_channelType", "fulfillment_channel")
    )
    toggle = next(name for name in TOGGLES if page.locator(f"#id_{name}").is_visible())
    htmx_round_trip(signed_in, lambda: page.check(f"#id_{toggle}"))
    assert signed_in.problems() == []


def test_htmx_injects_no_style_element(signed_in, simulator, acme):
    page = signed_in.page
    signed_in.open("/channels/new/")
    htmx_round_trip(
        signed_in, lambda: page.select_option("#id_connection", str(acme.pk))
    )
    assert page.locator("style").count() == 0


def test_the_audit_list_breaks_no_policy(signed_in):
    signed_in.open("/audit/")
    assert signed_in.problems() == []


def test_a_forbidden_inline_script_would_be_reported(signed_in):
    signed_in.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.append(script);
        }"""
    )
    signed_in.page.wait_for_timeout(200)
    assert any("script-src" in problem for problem in signed_in.problems())
