"""Confirming a channel in Chromium: one send per form, never a silent resend."""

from __future__ import annotations

import pytest
from browser.steps import (
    confirm,
    create_sales_channel,
    fill_sales_channel,
    posts,
    recorded,
    submit,
)
from browser.steps import review as review_step
from playwright.sync_api import expect

from channels_ui.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Keeps the first send in flight while the second click of a double click lands.
SLOW_LUMINOUS = 0.5
# Milliseconds between pressing and releasing the mouse. Playwright's dblclick()
# presses twice at once, and Chromium folds the two submissions into one; a
# person's clicks are tens of milliseconds apart, and each one submits.
PRESS_MS = 30


@pytest.fixture
def reviewing(page, simulator, acme):
    """A page on the review step of a valid sales channel, ready to confirm."""
    fill_sales_channel(page, acme, "Sent once")
    review_step(page)
    return page


def page_posts(page) -> list:
    """Collect, from now on, the forms the page posts as a whole page."""
    return recorded(
        page, lambda r: r.method == "POST" and r.resource_type == "document"
    )


def double_click(button) -> None:
    button.click(click_count=2, delay=PRESS_MS)


def test_a_double_click_on_confirm_sends_one_post(reviewing, simulator):
    simulator.latency = SLOW_LUMINOUS
    double_click(reviewing.locator("#confirm"))
    reviewing.wait_for_url("**/channels/result/*/")
    assert len(posts(simulator)) == 1


def test_a_double_click_on_confirm_submits_the_page_once(reviewing, simulator):
    simulator.latency = SLOW_LUMINOUS
    submitted = page_posts(reviewing)
    double_click(reviewing.locator("#confirm"))
    reviewing.wait_for_url("**/channels/result/*/")
    assert len(submitted) == 1


def test_escape_while_confirm_is_sending_lets_it_be_pressed_again(reviewing):
    # Escape stops the page load; the page must not stay frozen. The post is
    # held back here, so that the page stays to be looked at; a second send
    # of one form is safe (see the double-click tests).
    reviewing.evaluate(
        "document.querySelector('form[data-submit-once]')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    button = reviewing.locator("#confirm")
    button.click()
    expect(button).to_be_disabled()
    reviewing.keyboard.press("Escape")
    expect(button).to_be_enabled()


def test_the_result_shows_its_own_address(page, simulator, acme):
    create_sales_channel(page, acme, "Addressed")
    entry = AuditEntry.objects.get()
    assert page.url.endswith(f"/channels/result/{entry.pk}/")


def test_a_reload_of_the_result_page_sends_nothing(page, simulator, acme):
    create_sales_channel(page, acme, "Reloaded")
    submitted = page_posts(page)
    page.reload()
    expect(page.locator("#channel-id")).not_to_be_empty()
    assert (submitted, len(posts(simulator))) == ([], 1)


def test_an_unknown_outcome_offers_a_knowing_resend_without_resending(
    reviewing, simulator
):
    simulator.inject("POST", "/channels", drop=True, times=1)
    submit(reviewing, reviewing.locator("#confirm"))
    expect(reviewing.locator("#lookup-result")).to_contain_text(
        "You can send again knowingly."
    )
    expect(reviewing.get_by_role("button", name="Send again")).to_be_visible()
    # Whatever the page sent by itself would go out while it loads.
    reviewing.wait_for_load_state("networkidle")
    assert len(posts(simulator)) == 1


def test_a_knowing_resend_after_an_unknown_outcome_creates_the_channel(
    reviewing, simulator
):
    simulator.inject("POST", "/channels", drop=True, times=1)
    submit(reviewing, reviewing.locator("#confirm"))
    confirm(reviewing)
    assert len(simulator.channels("acme")) == 1


def test_a_knowing_resend_shows_the_json_it_would_send(reviewing, simulator):
    shown = reviewing.locator("#payload-json").inner_text()
    simulator.inject("POST", "/channels", drop=True, times=1)
    submit(reviewing, reviewing.locator("#confirm"))
    assert reviewing.locator("#payload-json").inner_text() == shown


def test_an_unknown_outcome_finds_a_created_channel_by_its_label(reviewing, simulator):
    # Luminous created the channel, but its reply was lost on the way.
    simulator.inject("POST", "/channels", drop_reply=True, times=1)
    confirm(reviewing)
    found = reviewing.get_by_role("status").filter(has_text="nothing was sent again")
    expect(found).to_be_visible()
    assert len(posts(simulator)) == 1


def test_a_failed_look_up_offers_only_to_look_again(reviewing, simulator):
    simulator.inject("POST", "/channels", drop=True, times=1)
    simulator.inject("GET", "/channels", status=500)
    submit(reviewing, reviewing.locator("#confirm"))
    expect(
        reviewing.get_by_role("button", name="Look the label up again")
    ).to_be_visible()
    expect(reviewing.locator("#confirm")).to_have_count(0)
