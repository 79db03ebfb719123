import json

import pytest
from result_page import result_address

from channels_ui.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/channels/new/"


def post(client, connection, **fields):
    data = {"connection": connection.pk, "_action": "send", "form_token": "t-1",
            **fields}  # fmt: skip
    return client.post(URL, data)


def received_bodies(simulator, path="/channels"):
    return [r.json for r in simulator.requests if r.method == "POST" and r.path == path]


def test_it_requires_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_creates_a_sales_channel_end_to_end(admin_client, simulator, acme):
    response = post(
        admin_client,
        acme,
        channelType="sales_channel",
        label="Wholesale",
        warehouseGroupId="12",
        tagIds="3, 7",
    )
    entry = AuditEntry.objects.get()
    assert result_address(response) == f"/channels/result/{entry.pk}/"
    assert received_bodies(simulator) == [
        {
            "channelType": "sales_channel",
            "label": "Wholesale",
            "isCustomerSpecific": False,
            "tagIds": [3, 7],
            "warehouseGroupId": 12,
            "pullOrdersFromOms": False,
            "pushStocksToOms": False,
            "pushCostsToOms": False,
        }
    ]
    assert (entry.outcome, entry.response_status) == ("created", 201)
    assert entry.channel_id == simulator.channels("acme")[0]["id"]


def test_it_creates_a_fulfillment_dropship_channel_end_to_end(
    admin_client, simulator, acme
):
    post(
        admin_client,
        acme,
        channelType="fulfillment_channel",
        label="Dropship",
        isDropship="on",
        dropshipSupplierId="42",
        dropshipInventoryNotTracked="on",
        pullOrdersFromOms="on",
        pullOrderAppIntegrationAccountId="41",
    )
    assert received_bodies(simulator) == [
        {
            "channelType": "fulfillment_channel",
            "label": "Dropship",
            "isCustomerSpecific": False,
            "pushOrdersToOms": False,
            "pushStocksToOms": False,
            "pushCostsToOms": False,
            "isDropship": True,
            "dropshipSupplierId": 42,
            "dropshipInventoryNotTracked": True,
        }
    ]
    assert AuditEntry.objects.get().outcome == "created"


def test_it_creates_an_end_to_end_channel_end_to_end(admin_client, simulator, acme):
    post(
        admin_client,
        acme,
        channelType="end_to_end_channel",
        label="EDI",
        warehouseGroupId="12",
        pullOrdersFromOms="on",
        pullOrderAppIntegrationAccountId="41",
        pushOrdersToOms="on",
        pushOrderAppIntegrationAccountId="52",
        pushCostsToOms="on",
        pullOrdersFromOmsOptions='{"since": "2026-01-01"}',
        integrationProducts="channel sku\tsku\nCH-1\tLUM-1\n\nCH-2\tLUM-2\n",
    )
    assert received_bodies(simulator) == [
        {
            "channelType": "end_to_end_channel",
            "label": "EDI",
            "isCustomerSpecific": False,
            "warehouseGroupId": 12,
            "pullOrdersFromOms": True,
            "pullOrderAppIntegrationAccountId": 41,
            "pullOrdersFromOmsOptions": {"since": "2026-01-01"},
            "pushOrdersToOms": True,
            "pushOrderAppIntegrationAccountId": 52,
            "pushStocksToOms": False,
            "pushCostsToOms": True,
            "isDropship": False,
            "integrationProducts": [
                {"channelSku": "CH-1", "sku": "LUM-1"},
                {"channelSku": "CH-2", "sku": "LUM-2"},
            ],
        }
    ]
    entry = AuditEntry.objects.get()
    assert entry.request_json == received_bodies(simulator)[0]


def test_it_shows_the_new_channel_on_the_result_page(admin_client, simulator, acme):
    response = post(
        admin_client,
        acme,
        channelType="sales_channel",
        label="Shown",
        warehouseGroupId="12",
    )
    channel = simulator.channels("acme")[0]
    # Shown at once, and again at the address the page names.
    for page in (response, admin_client.get(result_address(response))):
        html = page.content.decode()
        assert channel["uuid"] in html
        assert f'<dd class="col-sm-9" id="channel-id">{channel["id"]}</dd>' in html


def test_it_puts_a_422_message_next_to_its_field_and_keeps_input(
    admin_client, simulator, acme
):
    # Account 43's app needs a store ID, which only the API can know.
    response = post(
        admin_client,
        acme,
        channelType="sales_channel",
        label="Store",
        warehouseGroupId="12",
        description="kept text",
        pullOrdersFromOms="on",
        pullOrderAppIntegrationAccountId="43",
    )
    form = response.context["form"]
    assert form.errors["pullOrderOmsStoreId"] == [
        "The pull order oms store id field is required when the app requires a "
        "store ID."
    ]
    assert "kept text" in response.content.decode()
    assert AuditEntry.objects.get().outcome == "validation_failed"


def test_it_refuses_a_label_the_company_already_uses_before_sending(
    admin_client, simulator, acme
):
    simulator.seed_channels("acme", labels=["Taken"])
    response = post(
        admin_client,
        acme,
        channelType="sales_channel",
        label="Taken",
        warehouseGroupId="12",
    )
    assert response.context["form"].errors["label"]
    assert not AuditEntry.objects.exists()


def test_it_explains_a_rejected_token_and_keeps_input(
    admin_client, simulator, make_connection
):
    bad = make_connection(name="Bad", subdomain="bad", token="not-a-known-token")
    response = post(
        admin_client,
        bad,
        channelType="sales_channel",
        label="Kept",
        warehouseGroupId="12",
    )
    assert "rejected this company&#x27;s API token" in response.content.decode()
    assert 'value="Kept"' in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.response_status) == ("unauthorized", 401)


def test_it_does_not_send_an_invalid_form(admin_client, simulator, acme):
    response = post(admin_client, acme, channelType="sales_channel", label="No group")
    assert "warehouseGroupId" in response.context["form"].errors
    assert received_bodies(simulator) == []
    assert not AuditEntry.objects.exists()


def test_it_never_sends_a_hidden_fields_value_nor_its_error(
    admin_client, simulator, acme
):
    post(
        admin_client,
        acme,
        channelType="sales_channel",
        label="Hidden",
        warehouseGroupId="12",
        pushOrdersToOms="on",
        pushOrderAppIntegrationAccountId="not a number",
    )
    assert "pushOrdersToOms" not in received_bodies(simulator)[0]


def test_it_fills_the_warehouse_group_select_from_the_company(
    admin_client, simulator, acme
):
    response = admin_client.get(URL, {"connection": acme.pk})
    assert '<option value="15">3PL East group (#15)</option>' in (
        response.content.decode()
    )


def test_it_lets_the_id_be_typed_when_the_lookup_fails(admin_client, simulator, acme):
    simulator.inject("GET", "/warehouse-groups", status=500)
    response = admin_client.get(URL, {"connection": acme.pk})
    html = response.content.decode()
    assert 'type="number" name="warehouseGroupId"' in html
    assert "Could not load the list from Luminous" in html


def test_an_htmx_update_returns_only_the_fields_without_errors(
    admin_client, simulator, acme
):
    response = admin_client.post(
        URL,
        {
            "connection": acme.pk,
            "channelType": "fulfillment_channel",
            "isDropship": "on",
            "_action": "update",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="channel-fields">')
    assert 'id="wrap-dropshipSupplierId"' in html
    assert "is required" not in html
    assert "is-invalid" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_a_hidden_sections_values_stay_in_the_page(admin_client, simulator, acme):
    response = admin_client.post(
        URL,
        {
            "connection": acme.pk,
            "channelType": "sales_channel",
            "pullOrdersFromOms": "",
            "pullOrderOmsStoreId": "typed-store",
            "_action": "update",
        },
    )
    html = response.content.decode()
    assert 'value="typed-store"' in html
    assert json.dumps("hidden")[1:-1] in html
