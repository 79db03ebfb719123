"""The Luminous API simulator: endpoints, rules, state, faults and HTTP serving."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core.management import CommandError, call_command

from channels_ui.luminous.simulator import BASE_PATH, Simulator, serve

TOKENS = {"token-acme": "acme", "token-globex": "globex"}
API = f"http://127.0.0.1{BASE_PATH}"
CHANNEL_KEYS = {
    "id", "uuid", "label", "description", "channelType", "apiLocked",
    "warehouseGroupId", "warehouseGroup", "storeType", "enabled", "status",
    "isPOSChannel", "isCustomerSpecific", "pullOrdersFromOms", "getProductsEnabled",
    "pushInventoryEnabled", "includeIncomingStocksEnabled", "pullStocksEnabled",
    "pullShipmentsEnabled", "pushIncomingStocksFromSupplierPurchaseOrderEnabled",
    "pushStocksAppIntegrationAccountId", "channelIntegrationMapping",
    "pullOrderIntegrationMapping", "pushOrderIntegrationMapping",
    "pushStockIntegrationMapping", "pushCostIntegrationMapping", "tags",
    "metafields", "isDropship", "dropshipSupplierId", "dropshipPoDeliveryType",
    "dropshipPoDeliveryWarehouseId", "dropshipAutoCreatePo", "dropshipAutoSendPo",
    "dropshipInventoryNotTracked", "autoPushOrderAfterMinutes", "autoPushMode",
    "filters", "restrictions", "credentials", "fees", "createdAt", "updatedAt",
    "createdBy", "updatedBy",
}  # fmt: skip
SALES = {
    "channelType": "sales_channel",
    "label": "Phone orders",
    "warehouseGroupId": 12,
}


@pytest.fixture
def sim() -> Simulator:
    return Simulator(tokens=TOKENS)


def make_client(app: Simulator, token: str | None = "token-acme") -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(
        transport=httpx.WSGITransport(app=app), base_url=API, headers=headers
    )


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    with make_client(sim) as client:
        yield client


def create(api: httpx.Client, **fields: Any) -> httpx.Response:
    return api.post("/channels", json=SALES | fields)


def created(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = create(api, **fields)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def error_keys(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return set(response.json()["errors"])


def products(count: int) -> list[dict[str, str]]:
    return [{"channelSku": f"CH-{n}", "sku": f"LUM-{n}"} for n in range(count)]


# --- authentication and routing ----------------------------------------------


def test_it_rejects_a_missing_token(sim) -> None:
    with make_client(sim, token=None) as client:
        response = client.get("/channels")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}


def test_it_rejects_an_unknown_token(sim) -> None:
    with make_client(sim, token="nope") as client:
        response = client.get("/channels")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}


def test_it_rejects_a_non_bearer_authorization(sim, api) -> None:
    response = api.get("/channels", headers={"Authorization": "Basic token-acme"})
    assert response.status_code == 401


def test_sandbox_mode_accepts_any_non_empty_token() -> None:
    sandbox = Simulator(accept_any_token=True)
    with make_client(sandbox, token="anything-at-all") as client:
        created(client)
    assert [r.tenant for r in sandbox.requests] == ["sandbox"]
    assert len(sandbox.channels("sandbox")) == 1


def test_sandbox_mode_rejects_an_empty_token() -> None:
    sandbox = Simulator(accept_any_token=True)
    with make_client(sandbox, token=None) as client:
        response = client.get("/channels", headers={"Authorization": "Bearer "})
    assert response.status_code == 401


def test_it_answers_404_outside_the_base_path(sim) -> None:
    with make_client(sim) as client:
        response = client.get("http://127.0.0.1/channels")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found."}


def test_it_answers_404_for_an_unknown_route(api) -> None:
    assert api.get("/nothing-here").status_code == 404


def test_it_answers_405_for_an_unsupported_method(api) -> None:
    response = api.post("/warehouses", json={})
    assert response.status_code == 405
    assert "message" in response.json()


@pytest.mark.parametrize("path", ["/tags", "/app-integration-accounts"])
def test_it_has_no_list_endpoint_for_undocumented_lookups(api, path) -> None:
    assert api.get(path).status_code == 404


# --- create: the documented examples and what the case table cannot judge ----
# The stateless rules are judged in tests/test_channel_cases.py.


def test_it_returns_the_full_channel_object(api) -> None:
    channel = created(api, tagIds=[3, 7])
    assert set(channel) == CHANNEL_KEYS
    assert channel["warehouseGroup"] == {"id": 12, "name": "Main DC group"}
    assert [tag["name"] for tag in channel["tags"]] == ["wholesale", "priority"]
    assert set(channel["tags"][0]) == {"id", "name", "description", "icon", "color"}


def test_a_new_channel_starts_unlocked_enabled_and_active(api) -> None:
    channel = created(api, apiLocked=True)
    assert (channel["apiLocked"], channel["enabled"], channel["status"]) == (
        False,
        True,
        1,
    )


def test_it_gives_increasing_ids_and_uuid4s(api) -> None:
    first = created(api, label="One")
    second = created(api, label="Two")
    assert second["id"] > first["id"]
    assert uuid.UUID(first["uuid"]).version == 4


def test_it_stamps_unix_times(api) -> None:
    before = int(time.time())
    channel = created(api)
    assert before <= channel["createdAt"] == channel["updatedAt"] <= time.time()


def test_it_maps_pull_settings_to_the_pull_integration_mapping(api) -> None:
    channel = created(
        api,
        pullOrdersFromOms=True,
        pullOrderAppIntegrationAccountId=41,
        pullOrderOmsStoreId="us-main",
    )
    assert channel["pullOrderIntegrationMapping"] == {
        "appIntegrationAccountId": 41,
        "appIntegrationAccount": {"id": 41, "label": "Shopify - US", "app": "shopify"},
        "omsStoreId": "us-main",
    }
    assert channel["pushOrderIntegrationMapping"] is None


def test_it_maps_push_stocks_to_the_stock_mapping(api) -> None:
    channel = created(api, pushStocksToOms=True, pushStocksAppIntegrationAccountId=52)
    assert channel["pushStocksAppIntegrationAccountId"] == 52
    assert channel["pushStockIntegrationMapping"]["appIntegrationAccountId"] == 52


def test_it_rejects_example_e_as_a_sales_channel(api) -> None:
    payload = {
        "channelType": "sales_channel",
        "label": "Dropship - Acme Supply",
        "isDropship": True,
        "dropshipSupplierId": 42,
        "dropshipInventoryNotTracked": True,
    }
    assert error_keys(api.post("/channels", json=payload)) == {"warehouseGroupId"}


def test_it_rejects_an_unknown_channel_type_with_the_invalid_message(api) -> None:
    response = create(api, channelType="pos_channel")
    assert response.json()["errors"]["channelType"] == [
        "The selected channel type is invalid."
    ]


def test_it_rejects_a_blank_label(api) -> None:
    assert error_keys(create(api, label="   ")) == {"label"}


def test_it_rejects_a_string_warehouse_group_id(api) -> None:
    response = create(api, warehouseGroupId="12")
    assert response.json()["errors"] == {
        "warehouseGroupId": ["The warehouse group id field must be an integer."]
    }


def test_it_rejects_a_toggle_that_is_not_a_boolean(api) -> None:
    assert error_keys(create(api, isCustomerSpecific="yes")) == {"isCustomerSpecific"}


def test_it_rejects_tag_ids_that_are_not_a_list(api) -> None:
    assert error_keys(create(api, tagIds="3,7")) == {"tagIds"}


def test_it_rejects_a_non_string_description(api) -> None:
    assert error_keys(create(api, description=5)) == {"description"}


def test_it_ignores_pull_details_when_pull_is_off(api) -> None:
    channel = created(
        api, pullOrdersFromOms=False, pullOrderAppIntegrationAccountId=999
    )
    assert channel["pullOrderIntegrationMapping"] is None


def test_it_ignores_dropship_fields_on_a_sales_channel(api) -> None:
    channel = created(api, isDropship=True)
    assert channel["isDropship"] is False


def test_it_ignores_response_only_fields(api) -> None:
    channel = created(api, enabled=False, storeType="pos", status=9)
    assert (channel["enabled"], channel["storeType"], channel["status"]) == (
        True,
        None,
        1,
    )


def test_it_summarises_one_more_error_the_laravel_way(api) -> None:
    response = api.post("/channels", json={"channelType": "sales_channel"})
    assert response.json()["message"] == (
        "The label field is required. (and 1 more error)"
    )


def test_it_summarises_several_more_errors_in_the_plural(api) -> None:
    response = api.post("/channels", json={})
    assert response.json()["message"].endswith("(and 2 more errors)")


def test_it_treats_an_empty_body_as_an_empty_object(api) -> None:
    response = api.post("/channels", content=b"")
    assert error_keys(response) == {"channelType", "label", "warehouseGroupId"}


def test_it_rejects_a_body_that_is_not_json(api) -> None:
    response = api.post("/channels", content=b"{nope")
    assert response.status_code == 400
    assert response.json() == {"message": "The body is not valid JSON."}


def test_it_rejects_a_json_body_that_is_not_an_object(api) -> None:
    response = api.post("/channels", json=[SALES])
    assert response.status_code == 400
    assert response.json() == {"message": "The body must be a JSON object."}


# --- create: label uniqueness --------------------------------------------------


def test_it_rejects_a_label_already_taken(api) -> None:
    created(api)
    response = create(api)
    assert response.json()["errors"] == {"label": ["The label has already been taken."]}


def test_it_compares_labels_after_trimming(api) -> None:
    created(api, label="Phone orders")
    assert error_keys(create(api, label="  Phone orders ")) == {"label"}


def test_it_stores_the_label_trimmed(api) -> None:
    assert created(api, label="  Phone orders ")["label"] == "Phone orders"


def test_it_compares_labels_case_sensitively(api) -> None:
    created(api, label="Phone orders")
    created(api, label="PHONE ORDERS")


def test_a_deleted_channels_label_can_be_reused(api) -> None:
    channel = created(api)
    api.delete(f"/channels/{channel['id']}")
    created(api)


# --- create: referenced IDs and store IDs ------------------------------------


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"warehouseGroupId": 99}, "warehouseGroupId"),
        (
            {
                "channelType": "fulfillment_channel",
                "isDropship": True,
                "dropshipSupplierId": 99,
            },
            "dropshipSupplierId",
        ),
        (
            {"pullOrdersFromOms": True, "pullOrderAppIntegrationAccountId": 99},
            "pullOrderAppIntegrationAccountId",
        ),
        (
            {
                "channelType": "fulfillment_channel",
                "pushOrdersToOms": True,
                "pushOrderAppIntegrationAccountId": 99,
            },
            "pushOrderAppIntegrationAccountId",
        ),
        (
            {"pushStocksToOms": True, "pushStocksAppIntegrationAccountId": 99},
            "pushStocksAppIntegrationAccountId",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_it_rejects_an_unknown_referenced_id(api, fields, key) -> None:
    assert error_keys(create(api, **fields)) == {key}


def test_it_names_the_invalid_reference_the_laravel_way(api) -> None:
    response = create(api, warehouseGroupId=99)
    assert response.json()["errors"]["warehouseGroupId"] == [
        "The selected warehouse group id is invalid."
    ]


def test_it_rejects_an_unknown_tag_id_by_its_position(api) -> None:
    assert error_keys(create(api, tagIds=[3, 99])) == {"tagIds.1"}


def test_it_requires_a_pull_store_id_when_the_app_needs_one(api) -> None:
    response = create(api, pullOrdersFromOms=True, pullOrderAppIntegrationAccountId=43)
    assert response.json()["errors"] == {
        "pullOrderOmsStoreId": [
            "The pull order oms store id field is required when the app requires "
            "a store ID."
        ]
    }


def test_it_accepts_a_pull_store_id_for_an_app_that_needs_one(api) -> None:
    created(
        api,
        pullOrdersFromOms=True,
        pullOrderAppIntegrationAccountId=43,
        pullOrderOmsStoreId="A1B2C3",
    )


def test_it_requires_a_push_store_id_when_the_app_needs_one(api) -> None:
    response = create(
        api,
        channelType="fulfillment_channel",
        pushOrdersToOms=True,
        pushOrderAppIntegrationAccountId=53,
    )
    assert error_keys(response) == {"pushOrderOmsStoreId"}


def test_it_does_not_require_a_store_id_for_an_app_that_needs_none(api) -> None:
    created(api, pullOrdersFromOms=True, pullOrderAppIntegrationAccountId=41)


# --- create: integration products -------------------------------------------


def test_it_stores_inline_integration_products(sim, api) -> None:
    channel = created(api, integrationProducts=products(2))
    stored = sim.integration_products(channel["id"], tenant="acme")
    assert [(p["channelSku"], p["sku"]) for p in stored] == [
        ("CH-0", "LUM-0"),
        ("CH-1", "LUM-1"),
    ]


def test_it_accepts_500_inline_integration_products(api) -> None:
    created(api, integrationProducts=products(500))


def test_it_rejects_501_inline_integration_products(api) -> None:
    assert error_keys(create(api, integrationProducts=products(501))) == {
        "integrationProducts"
    }


# --- list and get -------------------------------------------------------------


def test_it_lists_channels_with_pagination_meta(sim, api) -> None:
    sim.seed_channels("acme", 7)
    body = api.get("/channels", params={"per_page": 3, "page": 3}).json()
    assert [c["label"] for c in body["data"]] == ["Existing channel 7"]
    assert body["meta"] == {
        "current_page": 3,
        "from": 7,
        "last_page": 3,
        "per_page": 3,
        "to": 7,
        "total": 7,
    }


def test_it_pages_50_by_default(sim, api) -> None:
    sim.seed_channels("acme", 51)
    body = api.get("/channels").json()
    assert (len(body["data"]), body["meta"]["last_page"]) == (50, 2)


def test_it_answers_an_empty_page_past_the_end(sim, api) -> None:
    sim.seed_channels("acme", 2)
    body = api.get("/channels", params={"page": 5}).json()
    assert body["data"] == []
    assert (body["meta"]["from"], body["meta"]["to"]) == (None, None)


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"per_page": 101}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
    ],
)
def test_it_rejects_bad_pagination(api, params, key) -> None:
    assert error_keys(api.get("/channels", params=params)) == {key}


def test_it_filters_channels_by_exact_label(sim, api) -> None:
    sim.seed_channels("acme", labels=["Taken", "Taken too"])
    body = api.get("/channels", params={"label[eq]": "Taken"}).json()
    assert [c["label"] for c in body["data"]] == ["Taken"]
    assert body["meta"]["total"] == 1


def test_it_gets_a_channel(api) -> None:
    channel = created(api)
    assert api.get(f"/channels/{channel['id']}").json() == {"data": channel}


def test_it_answers_404_for_a_missing_channel(api) -> None:
    response = api.get("/channels/999")
    assert response.status_code == 404
    assert "message" in response.json()


# --- update -------------------------------------------------------------------


def test_update_merges_into_the_stored_channel(api) -> None:
    channel = created(api, description="Before", tagIds=[3])
    response = api.put(f"/channels/{channel['id']}", json={"label": "Renamed"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["label"], data["description"], data["warehouseGroupId"]) == (
        "Renamed",
        "Before",
        12,
    )


def test_update_rejects_a_channel_type(api) -> None:
    channel = created(api)
    response = api.put(
        f"/channels/{channel['id']}", json={"channelType": "sales_channel"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "message": "The channel type cannot be changed.",
        "errors": {"channelType": ["The channel type cannot be changed."]},
    }


def test_update_is_refused_on_a_locked_channel(sim, api) -> None:
    channel = created(api)
    sim.set_api_locked(channel["id"], True, tenant="acme")
    response = api.put(f"/channels/{channel['id']}", json={"label": "New"})
    assert response.status_code == 403
    assert "message" in response.json()


def test_update_validates_the_merged_result(api) -> None:
    channel = created(api)
    response = api.put(f"/channels/{channel['id']}", json={"pullOrdersFromOms": True})
    assert error_keys(response) == {"pullOrderAppIntegrationAccountId"}


def test_update_may_keep_the_channels_own_label(api) -> None:
    channel = created(api)
    response = api.put(f"/channels/{channel['id']}", json={"label": SALES["label"]})
    assert response.status_code == 200


def test_update_rejects_another_channels_label(api) -> None:
    created(api, label="Other")
    channel = created(api)
    response = api.put(f"/channels/{channel['id']}", json={"label": "Other"})
    assert error_keys(response) == {"label"}


def test_update_answers_404_for_a_missing_channel(api) -> None:
    assert api.put("/channels/999", json={"label": "X"}).status_code == 404


# --- delete -------------------------------------------------------------------


def test_delete_removes_the_channel(sim, api) -> None:
    channel = created(api)
    assert api.delete(f"/channels/{channel['id']}").status_code == 204
    assert sim.channels("acme") == []


def test_delete_is_refused_on_a_locked_channel(sim, api) -> None:
    channel = created(api)
    sim.set_api_locked(channel["id"], True, tenant="acme")
    assert api.delete(f"/channels/{channel['id']}").status_code == 403
    assert len(sim.channels("acme")) == 1


# --- lock ---------------------------------------------------------------------


def test_lock_locks_the_channel(api) -> None:
    channel = created(api)
    response = api.patch(f"/channels/{channel['id']}/lock", json={"apiLocked": True})
    assert response.status_code == 200
    assert response.json()["data"]["apiLocked"] is True


def test_lock_refuses_to_unlock_with_the_documented_message(api) -> None:
    channel = created(api)
    response = api.patch(f"/channels/{channel['id']}/lock", json={"apiLocked": False})
    assert response.status_code == 422
    assert response.json()["message"] == "Channels can only be unlocked from the UI."


def test_lock_requires_api_locked(api) -> None:
    channel = created(api)
    response = api.patch(f"/channels/{channel['id']}/lock", json={})
    assert error_keys(response) == {"apiLocked"}


def test_a_locked_channel_blocks_updates_through_the_api(api) -> None:
    channel = created(api)
    api.patch(f"/channels/{channel['id']}/lock", json={"apiLocked": True})
    assert api.put(f"/channels/{channel['id']}", json={}).status_code == 403


# --- integration products endpoint -------------------------------------------


def test_it_adds_integration_products(sim, api) -> None:
    channel = created(api)
    response = api.post(
        f"/channels/{channel['id']}/integration-products",
        json={"integrationProducts": products(3)},
    )
    assert response.status_code == 201
    assert len(response.json()["data"]) == 3
    assert len(sim.integration_products(channel["id"], tenant="acme")) == 3


def test_it_accepts_500_integration_products_in_one_call(api) -> None:
    channel = created(api)
    response = api.post(
        f"/channels/{channel['id']}/integration-products",
        json={"integrationProducts": products(500)},
    )
    assert response.status_code == 201


def test_it_rejects_501_integration_products_in_one_call(api) -> None:
    channel = created(api)
    response = api.post(
        f"/channels/{channel['id']}/integration-products",
        json={"integrationProducts": products(501)},
    )
    assert error_keys(response) == {"integrationProducts"}


def test_it_rejects_an_integration_product_without_a_sku(api) -> None:
    channel = created(api)
    response = api.post(
        f"/channels/{channel['id']}/integration-products",
        json={"integrationProducts": [{"channelSku": "CH-1"}]},
    )
    assert error_keys(response) == {"integrationProducts.0.sku"}


def test_it_requires_integration_products(api) -> None:
    channel = created(api)
    response = api.post(f"/channels/{channel['id']}/integration-products", json={})
    assert error_keys(response) == {"integrationProducts"}


def test_a_later_batch_replaces_the_same_channel_sku(sim, api) -> None:
    channel = created(api, integrationProducts=products(1))
    api.post(
        f"/channels/{channel['id']}/integration-products",
        json={"integrationProducts": [{"channelSku": "CH-0", "sku": "LUM-NEW"}]},
    )
    stored = sim.integration_products(channel["id"], tenant="acme")
    assert [p["sku"] for p in stored] == ["LUM-NEW"]


def test_integration_products_are_refused_on_a_locked_channel(sim, api) -> None:
    channel = created(api)
    sim.set_api_locked(channel["id"], True, tenant="acme")
    response = api.post(
        f"/channels/{channel['id']}/integration-products",
        json={"integrationProducts": products(1)},
    )
    assert response.status_code == 403


# --- lookups ------------------------------------------------------------------


def test_it_lists_the_seeded_warehouse_groups(api) -> None:
    body = api.get("/warehouse-groups").json()
    assert [(g["id"], g["name"]) for g in body["data"]] == [
        (12, "Main DC group"),
        (15, "3PL East group"),
        (18, "West coast group"),
    ]
    assert body["meta"]["total"] == 3


def test_it_gets_a_warehouse_group(api) -> None:
    assert api.get("/warehouse-groups/15").json()["data"]["name"] == "3PL East group"


def test_it_pages_warehouses_by_per_page(api) -> None:
    body = api.get("/warehouses", params={"per_page": 1}).json()
    assert len(body["data"]) == 1
    assert set(body["data"][0]) == {
        "id",
        "name",
        "status",
        "parent_id",
        "created_at",
        "updated_at",
    }
    assert body["meta"]["last_page"] == body["meta"]["total"]


def test_it_gets_a_warehouse(api) -> None:
    first = api.get("/warehouses").json()["data"][0]
    assert api.get(f"/warehouses/{first['id']}").json() == {"data": first}


def test_it_lists_suppliers_in_snake_case(api) -> None:
    supplier = api.get("/suppliers").json()["data"][0]
    assert {"id", "name", "email", "phone", "status"} <= set(supplier)


def test_it_gets_a_supplier(api) -> None:
    assert api.get("/suppliers/42").json()["data"]["name"] == "Acme Supply"


def test_it_answers_404_for_a_missing_supplier(api) -> None:
    assert api.get("/suppliers/1").status_code == 404


# --- recording and reset -------------------------------------------------------


def test_it_records_requests_without_the_authorization_header(sim, api) -> None:
    api.post("/channels", params={"x": "1"}, json=SALES)
    (recorded,) = sim.requests
    assert (recorded.method, recorded.path, recorded.query) == (
        "POST",
        "/channels",
        {"x": "1"},
    )
    assert recorded.json == SALES
    assert recorded.tenant == "acme"
    assert "authorization" not in recorded.headers
    assert recorded.headers["content-type"] == "application/json"


def test_reset_clears_channels_recordings_and_faults(sim, api) -> None:
    created(api)
    sim.inject("GET", "/channels", status=500)
    sim.reset()
    assert sim.channels("acme") == []
    assert sim.requests == []
    assert api.get("/channels").status_code == 200


# --- faults -------------------------------------------------------------------


def test_a_status_fault_answers_instead_of_the_api(sim, api) -> None:
    sim.inject("POST", "/channels", status=503)
    response = create(api)
    assert response.status_code == 503
    assert response.json() == {"message": "Service Unavailable"}
    assert sim.channels("acme") == []


def test_a_status_fault_sends_the_given_body_and_headers(sim, api) -> None:
    sim.inject(
        "GET", "/channels", status=409, body={"message": "Busy"}, headers={"X-A": "1"}
    )
    response = api.get("/channels")
    assert (response.status_code, response.json(), response.headers["x-a"]) == (
        409,
        {"message": "Busy"},
        "1",
    )


def test_a_retry_after_fault_sends_429_with_the_header(sim, api) -> None:
    sim.inject("GET", "/channels", retry_after=1.5)
    response = api.get("/channels")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1.5"


def test_a_fault_expires_after_its_times(sim, api) -> None:
    sim.inject("GET", "/channels", status=500, times=2)
    codes = [api.get("/channels").status_code for _ in range(3)]
    assert codes == [500, 500, 200]


def test_faults_on_one_path_apply_in_order(sim, api) -> None:
    sim.inject("GET", "/channels", retry_after=0, times=1)
    sim.inject("GET", "/channels", status=502, times=1)
    codes = [api.get("/channels").status_code for _ in range(3)]
    assert codes == [429, 502, 200]


def test_a_fault_matches_only_its_exact_path_and_method(sim, api) -> None:
    sim.inject("GET", "/channels", status=500)
    assert api.get("/channels/1").status_code == 404
    assert create(api).status_code == 201


def test_a_malformed_fault_handles_the_request_but_garbles_the_body(sim, api) -> None:
    sim.inject("POST", "/channels", malformed=True)
    response = create(api)
    assert response.status_code == 201
    with pytest.raises(ValueError):
        response.json()
    assert len(sim.channels("acme")) == 1


def test_a_latency_fault_delays_the_answer(sim, api) -> None:
    sim.inject("GET", "/warehouses", latency=0.2)
    started = time.monotonic()
    api.get("/warehouses")
    assert time.monotonic() - started >= 0.2


def test_global_latency_delays_every_request(sim, api) -> None:
    sim.latency = 0.1
    started = time.monotonic()
    api.get("/warehouses")
    api.get("/suppliers")
    assert time.monotonic() - started >= 0.2


def test_clear_faults_removes_every_fault(sim, api) -> None:
    sim.inject("GET", "/channels", status=500)
    sim.clear_faults()
    assert api.get("/channels").status_code == 200


def test_a_drop_fault_needs_a_real_server(sim, api) -> None:
    sim.inject("GET", "/channels", drop=True)
    with pytest.raises(RuntimeError):
        api.get("/channels")


# --- tenants and threads ------------------------------------------------------


def test_tenants_do_not_see_each_others_channels(sim, api) -> None:
    created(api)
    with make_client(sim, token="token-globex") as globex:
        assert globex.get("/channels").json()["data"] == []
        assert created(globex)["id"] == 1


def test_concurrent_creates_get_unique_ids(sim) -> None:
    with serve(sim) as server:

        def create_some(worker: int) -> None:
            with httpx.Client(
                base_url=server.url + BASE_PATH,
                headers={"Authorization": "Bearer token-acme"},
            ) as client:
                for n in range(5):
                    created(client, label=f"Worker {worker} #{n}")

        threads = [threading.Thread(target=create_some, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    ids = [channel["id"] for channel in sim.channels("acme")]
    assert sorted(ids) == list(range(1, 21))


# --- real loopback HTTP -------------------------------------------------------


@pytest.fixture
def served(sim: Simulator) -> Iterator[tuple[httpx.Client, list[str]]]:
    """An HTTP client on a served simulator, and the client port of each request."""
    ports: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        ports.append(environ["REMOTE_PORT"])
        return sim(environ, start_response)

    with (
        serve(app) as server,
        httpx.Client(
            base_url=server.url + BASE_PATH,
            headers={"Authorization": "Bearer token-acme"},
        ) as client,
    ):
        yield client, ports


def test_it_serves_over_loopback_http(served) -> None:
    client, _ = served
    response = client.post("/channels", json=SALES)
    assert response.status_code == 201
    assert response.http_version == "HTTP/1.1"


def test_it_keeps_connections_alive(served) -> None:
    client, ports = served
    for _ in range(3):
        client.get("/warehouses")
    client.delete("/channels/999")
    client.get("/suppliers")
    assert len(set(ports)) == 1


def test_a_drop_fault_closes_the_connection_without_an_answer(sim, served) -> None:
    client, _ = served
    sim.inject("POST", "/channels", drop=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/channels", json=SALES)
    assert sim.channels("acme") == []
    assert client.post("/channels", json=SALES).status_code == 201


def test_a_drop_reply_fault_creates_the_channel_but_sends_no_answer(
    sim, served
) -> None:
    client, _ = served
    sim.inject("POST", "/channels", drop_reply=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/channels", json=SALES)
    assert [c["label"] for c in sim.channels("acme")] == [SALES["label"]]


def test_a_drop_reply_fault_needs_a_real_server(sim, api) -> None:
    sim.inject("POST", "/channels", drop_reply=True)
    with pytest.raises(RuntimeError):
        create(api)


def test_it_records_the_client_port_over_http(sim, served) -> None:
    client, ports = served
    client.get("/warehouses")
    assert [r.remote_port for r in sim.requests] == [int(ports[0])]


def test_it_answers_a_garbled_request_with_a_json_message(sim) -> None:
    with (
        serve(sim) as server,
        socket.create_connection((server.host, server.port)) as raw,
    ):
        raw.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        # Without a readable version http.server answers HTTP/0.9-style: no head.
        reply = raw.makefile("rb").read()
    assert json.loads(reply) == {"message": "Bad request version ('all')"}
    assert sim.requests == []


def test_it_answers_a_chunked_body_with_a_json_411(served) -> None:
    client, _ = served
    response = client.post("/channels", content=iter([b"{}"]))
    assert (response.status_code, response.json()) == (
        411,
        {"message": "Length Required"},
    )


def test_it_answers_an_unknown_method_with_a_json_message(served) -> None:
    client, _ = served
    response = client.request("OPTIONS", "/channels")
    assert (response.status_code, response.json()) == (
        501,
        {"message": "Unsupported method ('OPTIONS')"},
    )


def test_a_retry_after_fault_reaches_the_client_over_http(sim, served) -> None:
    client, _ = served
    sim.inject("GET", "/channels", retry_after=2)
    response = client.get("/channels")
    assert (response.status_code, response.headers["retry-after"]) == (429, "2")


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "localhost", "::"])
def test_serve_refuses_a_non_loopback_host(sim, host) -> None:
    with pytest.raises(ValueError):
        serve(sim, host=host)


def test_serve_picks_a_free_port_and_reports_its_url(sim) -> None:
    with serve(sim) as server:
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"


# --- management command ---------------------------------------------------------


def test_run_simulator_refuses_a_non_loopback_host() -> None:
    with pytest.raises(CommandError, match="loopback"):
        call_command("run_simulator", "--host", "0.0.0.0", "--token", "demo")


def test_run_simulator_needs_a_token_or_any_token_mode() -> None:
    with pytest.raises(CommandError, match="--token"):
        call_command("run_simulator")
