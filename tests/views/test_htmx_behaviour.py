"""How pages answer htmx requests: fragments, redirects, sign-in, history."""

import json
import re

import pytest

from channels_ui import rules

pytestmark = pytest.mark.django_db

URL = "/channels/new/"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/channels/new/?a=1"}


def test_an_expired_session_sends_htmx_to_the_sign_in_page(client):
    response = client.post(URL, {"_action": "update"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/channels/new/%3Fa%3D1"
    assert b"<form" not in response.content


def test_a_plain_request_without_a_session_is_redirected_as_usual(client):
    response = client.post(URL, {"_action": "update"})
    assert response.status_code == 302


def test_a_created_channel_answers_htmx_with_hx_redirect(admin_client, simulator, acme):
    response = admin_client.post(
        URL,
        {"connection": acme.pk, "_action": "send", "form_token": "hx-1",
         "channelType": "sales_channel", "label": "Via htmx", "warehouseGroupId": "12"},
        headers=HTMX,
    )  # fmt: skip
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/channels/result/")
    page = admin_client.get(response["HX-Redirect"])
    assert '<h1 class="h3 mb-3">Channel created</h1>' in page.content.decode()
    assert page.context["entry"].label == "Via htmx"


def test_a_history_restore_gets_the_full_page(admin_client, acme):
    response = admin_client.post(
        URL,
        {"connection": acme.pk, "_action": "update"},
        headers=HTMX | {"HX-History-Restore-Request": "true"},
    )
    assert response.content.decode().startswith("<!doctype html>")


def test_an_invalid_htmx_update_is_a_fragment_for_its_target(admin_client, acme):
    response = admin_client.post(
        URL, {"connection": "999", "_action": "update"}, headers=HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="channel-fields">')
    assert "<html" not in html


def test_every_page_puts_the_csrf_token_where_htmx_sends_it(admin_client):
    html = admin_client.get(URL).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_an_htmx_post_with_the_header_token_passes_csrf(admin_user, acme):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    page = browser.get(URL)
    token = page.context["csrf_token"]
    response = browser.post(
        URL, {"connection": acme.pk, "_action": "update"},
        headers=HTMX | {"X-CSRFToken": str(token)},
    )  # fmt: skip
    assert response.status_code == 200


def test_without_scripts_the_update_button_rerenders_the_sections(admin_client, acme):
    response = admin_client.post(
        URL, {"connection": acme.pk, "channelType": "end_to_end_channel",
              "pushOrdersToOms": "on", "_action": "update"},
    )  # fmt: skip
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert '<div id="wrap-pushOrderAppIntegrationAccountId" \n     >' in html or (
        'id="wrap-pushOrderAppIntegrationAccountId"' in html
        and 'wrap-pushOrderAppIntegrationAccountId" \n      hidden' not in html
    )


def test_a_toggle_asks_the_server_which_fields_apply(admin_client):
    response = admin_client.post(
        "/channels/new/visibility/",
        {"channelType": "fulfillment_channel", "isDropship": "on"},
        headers=HTMX,
    )
    event = json.loads(response["HX-Trigger"])["channel-fields:visibility"]
    assert response.status_code == 204
    assert event["fields"] == sorted(
        rules.visible_fields(rules.ChannelType.FULFILLMENT, {"isDropship": True})
    )
    assert "dropship" in event["sections"] and "pull" not in event["sections"]


def test_the_type_and_toggles_ask_for_visibility_not_a_rerender(admin_client, acme):
    html = admin_client.get(URL, {"connection": acme.pk}).content.decode()
    toggle = re.search(r'<input type="checkbox" name="isDropship"[^>]*>', html).group(0)
    assert 'hx-post="/channels/new/visibility/"' in toggle
    assert 'hx-swap="none"' in toggle
