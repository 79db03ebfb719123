"""The audit log in Chromium: filters live in the URL, so back returns to them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from browser.steps import WAREHOUSE_GROUP, htmx_quiet, recorded
from playwright.sync_api import expect

from channels_ui.rules import ChannelType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "#audit-table tbody tr"


@pytest.fixture
def logged(admin_client, simulator, acme) -> None:
    """Three created channels, two of them sales channels, two named Gamma."""
    for number, (channel_type, label) in enumerate(
        [
            (ChannelType.SALES, "Alpha shop"),
            (ChannelType.SALES, "Gamma shop"),
            (ChannelType.FULFILLMENT, "Gamma 3PL"),
        ]
    ):
        admin_client.post(
            "/channels/new/",
            {"connection": acme.pk, "form_token": f"audit-{number}", "_action": "send",
             "channelType": channel_type.value, "label": label,
             "warehouseGroupId": WAREHOUSE_GROUP},
        )  # fmt: skip


def search_sales_for_gamma(page) -> None:
    page.goto("/audit/")
    expect(page.locator(ROWS)).to_have_count(3)
    page.select_option("#id_channel_type", ChannelType.SALES.value)
    expect(page.locator(ROWS)).to_have_count(2)
    page.fill("#id_q", "Gamma")
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"channel_type=sales_channel.*q=Gamma"))


def test_back_from_an_entry_returns_to_the_filtered_list(page, logged):
    search_sales_for_gamma(page)
    page.locator(ROWS).get_by_role("link").click()
    expect(page.locator("#field-label")).to_have_text("Gamma shop")
    page.go_back()
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator(ROWS)).to_contain_text("Gamma shop")
    expect(page.locator("#id_channel_type")).to_have_value(ChannelType.SALES.value)
    expect(page.locator("#id_q")).to_have_value("Gamma")


def test_opening_an_entry_after_a_search_sends_no_second_search(page, logged):
    search_sales_for_gamma(page)
    htmx_quiet(page)
    searches = recorded(page, lambda request: "hx-request" in request.headers)
    page.locator(ROWS).get_by_role("link").click()
    expect(page.locator("#field-label")).to_have_text("Gamma shop")
    assert searches == []


def test_a_date_filter_updates_the_table(page, logged):
    page.goto("/audit/")
    expect(page.locator(ROWS)).to_have_count(3)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    page.fill("#id_since", tomorrow)
    page.locator("#id_since").dispatch_event("change")
    expect(page.locator(ROWS).filter(has_text="Alpha shop")).to_have_count(0)
    expect(page).to_have_url(re.compile(f"since={tomorrow}"))


def test_a_refused_date_is_named_next_to_it_and_cleared_once_corrected(page, logged):
    page.goto("/audit/")
    page.fill("#id_since", "1999-12-31")
    page.locator("#id_since").dispatch_event("change")
    errors = page.locator("#id_since-errors")
    expect(errors).to_contain_text("greater than or equal to")
    expect(page.locator(ROWS)).to_have_count(3)
    page.fill("#id_since", (date.today() + timedelta(days=1)).isoformat())
    page.locator("#id_since").dispatch_event("change")
    expect(page.locator(ROWS).filter(has_text="Alpha shop")).to_have_count(0)
    expect(errors).to_be_empty()


def test_back_after_filtering_in_place_shows_the_filters_of_that_step(page, logged):
    search_sales_for_gamma(page)
    htmx_quiet(page)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"q=Gamma"))
    expect(page.locator(ROWS)).to_have_count(2)
    expect(page.locator("#id_channel_type")).to_have_value(ChannelType.SALES.value)
    expect(page.locator("#id_q")).to_have_value("")
    page.go_forward()
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator("#id_q")).to_have_value("Gamma")


def test_the_browser_keeps_no_copy_of_the_log_in_its_storage(page, logged):
    search_sales_for_gamma(page)
    htmx_quiet(page)
    stored = page.evaluate(
        "() => JSON.stringify([{...sessionStorage}, {...localStorage}])"
    )
    assert "Gamma shop" not in stored
