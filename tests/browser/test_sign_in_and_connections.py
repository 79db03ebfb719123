"""Signing in, adding a company, testing it and replacing its token, in Chromium."""

from __future__ import annotations

import re

import pytest
from browser.steps import submit
from playwright.sync_api import expect
from security.canaries import ACME_TOKEN, GLOBEX_TOKEN

from channels_ui.models import Connection, Environment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def probes(simulator) -> list:
    return [r for r in simulator.requests if r.path == "/warehouses"]


def test_signing_in_opens_the_new_channel_page(open_context, admin_user):
    page = open_context().new_page()
    page.goto("/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pw-alice-1")
    submit(page, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(re.compile(r"/channels/new/$"))


def test_an_added_company_is_saved_and_its_token_tested(page, simulator):
    page.goto("/connections/")
    page.get_by_role("link", name="Add a company").click()
    page.fill("#id_name", "Acme")
    page.fill("#id_subdomain", "acme")
    page.select_option("#id_environment", Environment.STAGING)
    page.fill("#id_token", ACME_TOKEN)
    submit(page, page.get_by_role("button", name="Save and test"))
    connection = Connection.objects.get()
    expect(page).to_have_url(re.compile(rf"/connections/{connection.pk}/$"))
    expect(page.locator(".alert-success").last).to_contain_text(
        "Luminous accepted the token of Acme"
    )
    assert [probe.tenant for probe in probes(simulator)] == ["acme"]


def test_testing_a_company_says_luminous_accepted_its_token(page, simulator, acme):
    page.goto(f"/connections/{acme.pk}/")
    submit(page, page.get_by_role("button", name="Test connection"))
    expect(page.locator(".alert-success")).to_contain_text(
        "Luminous accepted the token of Acme"
    )


def test_a_replaced_token_is_the_one_luminous_is_asked_with(page, simulator, acme):
    page.goto(f"/connections/{acme.pk}/")
    page.fill("#id_token", GLOBEX_TOKEN)
    submit(page, page.get_by_role("button", name="Replace and test"))
    expect(page.locator(".alert-success").last).to_contain_text(
        "Luminous accepted the token of Acme"
    )
    assert [probe.tenant for probe in probes(simulator)] == ["globex"]


def test_a_replacement_token_luminous_rejects_is_reported(page, simulator, acme):
    page.goto(f"/connections/{acme.pk}/")
    page.fill("#id_token", "a-token-luminous-does-not-know")
    submit(page, page.get_by_role("button", name="Replace and test"))
    expect(page.locator(".alert-danger")).to_contain_text(
        "Luminous rejected the token of Acme"
    )
