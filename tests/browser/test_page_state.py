"""Pages without JavaScript, and a session that ends in the middle of a page."""

from __future__ import annotations

import re

import pytest
from browser.steps import (
    WAREHOUSE_GROUP,
    choose_company,
    choose_type,
    confirm,
    expect_fields,
    fill,
    fill_sales_channel,
    htmx_quiet,
    posts,
    review,
    set_toggle,
    submit,
)
from django.conf import settings
from playwright.sync_api import expect

from channels_ui.rules import ChannelType, build_payload, visible_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_sales_channel_can_be_made_without_javascript(
    open_context, admin_user, simulator, acme
):
    page = open_context(signed_in_as=admin_user, java_script_enabled=False).new_page()
    update = page.get_by_role("button", name="Update form")
    page.goto("/channels/new/")
    page.select_option("#id_connection", str(acme.pk))
    submit(page, update)
    page.select_option("#id_channelType", ChannelType.SALES.value)
    submit(page, update)
    expect_fields(page, visible_fields(ChannelType.SALES, {}))
    fill(page, "label", "No scripts")
    fill(page, "warehouseGroupId", WAREHOUSE_GROUP)
    review(page)
    confirm(page)
    values = {
        "channelType": ChannelType.SALES.value,
        "label": "No scripts",
        "warehouseGroupId": WAREHOUSE_GROUP,
    }
    assert [request.json for request in posts(simulator)] == [build_payload(values)]


def test_an_expired_session_sends_an_htmx_change_to_the_sign_in_page(
    page, simulator, acme
):
    page.goto("/channels/new/")
    choose_company(page, acme)
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    choose_type(page, ChannelType.SALES)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/channels/new/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_back_from_the_review_shows_the_form_as_it_was_filled(page, simulator, acme):
    fill_sales_channel(page, acme, "Back again")
    set_toggle(page, "pullOrdersFromOms")
    htmx_quiet(page)
    fill(page, "pullOrderAppIntegrationAccountId", "41")
    review(page)
    page.go_back()
    expect(page.locator("#wrap-pullOrderAppIntegrationAccountId")).to_be_visible()
    expect(page.locator("#id_pullOrderAppIntegrationAccountId")).to_have_value("41")
    # The company's lists are back; a choice made in them is not restored.
    expect(page.locator("select#id_warehouseGroupId")).to_be_visible()


def test_pages_fit_a_phone_wide_window(page, simulator, acme):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/channels/new/")
    bar = page.get_by_role("navigation", name="Main").bounding_box()
    for name in ("Connections", "Sign out"):
        item = page.get_by_role("link" if name != "Sign out" else "button", name=name)
        box = item.bounding_box()
        assert box["x"] + box["width"] <= 390, name
        assert bar["y"] <= box["y"] and box["y"] + box["height"] <= (
            bar["y"] + bar["height"]
        ), name
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Wide tables scroll in their own box, not the page.
    for address in ("/audit/", "/connections/"):
        page.goto(address)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, address
