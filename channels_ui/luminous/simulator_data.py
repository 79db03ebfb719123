"""Seed data and per-tenant state of the Luminous API simulator.

The seed IDs match the example payloads of ``create-channel.rules.md`` (warehouse
group 12, supplier 42, accounts 41 and 52, tags 3 and 7), so those examples are
valid against a fresh tenant as written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from channels_ui.rules import PRODUCT_CHANNEL_SKU

_SEEDED_AT = "2024-01-15T09:30:00Z"

SEED: dict[str, tuple[dict[str, Any], ...]] = {
    "warehouse_groups": (
        {"id": 12, "name": "Main DC group", "description": "Main distribution centre"},
        {"id": 15, "name": "3PL East group", "description": "East coast 3PL"},
        {"id": 18, "name": "West coast group", "description": "West coast stores"},
    ),
    "warehouses": tuple(
        {
            "id": warehouse_id,
            "name": name,
            "status": status,
            "parent_id": None,
            "created_at": _SEEDED_AT,
            "updated_at": _SEEDED_AT,
        }
        for warehouse_id, name, status in (
            (101, "Main DC", "active"),
            (102, "3PL East - Newark", "active"),
            (103, "West coast - Reno", "active"),
            (104, "Old overflow", "inactive"),
        )
    ),
    "suppliers": tuple(
        {
            "id": supplier_id,
            "name": name,
            "email": email,
            "phone": phone,
            "status": 1,
            "created_at": _SEEDED_AT,
            "updated_at": _SEEDED_AT,
        }
        for supplier_id, name, email, phone in (
            (42, "Acme Supply", "orders@acme.example", "+1 555 0142"),
            (44, "Globex Wholesale", "sales@globex.example", "+1 555 0144"),
            (47, "Initech Parts", "parts@initech.example", "+1 555 0147"),
        )
    ),
    # The real API has no list endpoint for accounts and no documented "needs a
    # store ID" flag; the flag lives here so the store-ID rule can be exercised.
    "app_integration_accounts": (
        {"id": 41, "label": "Shopify - US", "app": "shopify", "needs_store_id": False},
        {"id": 43, "label": "Amazon Seller", "app": "amazon", "needs_store_id": True},
        {
            "id": 52,
            "label": "ShipStation",
            "app": "shipstation",
            "needs_store_id": False,
        },
        {
            "id": 53,
            "label": "3PL Central",
            "app": "3pl_central",
            "needs_store_id": True,
        },
    ),
    "tags": (
        {
            "id": 3,
            "name": "wholesale",
            "description": "B2B orders",
            "icon": "store",
            "color": "#2563eb",
        },
        {
            "id": 7,
            "name": "priority",
            "description": "Ship first",
            "icon": "bolt",
            "color": "#dc2626",
        },
        {
            "id": 9,
            "name": "edi",
            "description": "EDI trading partners",
            "icon": "exchange",
            "color": "#16a34a",
        },
    ),
}


def _by_id(kind: str) -> dict[int, dict[str, Any]]:
    return {item["id"]: copy.deepcopy(item) for item in SEED[kind]}


@dataclass
class StoredChannel:
    id: int
    uuid: str
    # The accepted request fields after normalisation (``rules.build_payload``),
    # without ``integrationProducts``.
    fields: dict[str, Any]
    created_at: int
    updated_at: int
    api_locked: bool = False
    # Keyed by channel SKU: a later batch with the same channel SKU replaces it.
    products: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Tenant:
    name: str
    warehouse_groups: dict[int, dict[str, Any]] = field(
        default_factory=lambda: _by_id("warehouse_groups")
    )
    warehouses: dict[int, dict[str, Any]] = field(
        default_factory=lambda: _by_id("warehouses")
    )
    suppliers: dict[int, dict[str, Any]] = field(
        default_factory=lambda: _by_id("suppliers")
    )
    accounts: dict[int, dict[str, Any]] = field(
        default_factory=lambda: _by_id("app_integration_accounts")
    )
    tags: dict[int, dict[str, Any]] = field(default_factory=lambda: _by_id("tags"))
    channels: dict[int, StoredChannel] = field(default_factory=dict)
    next_channel_id: int = 1
    next_product_id: int = 1

    def store_products(
        self, channel: StoredChannel, items: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        stored = []
        for item in items:
            product = {"id": self.next_product_id, **item}
            self.next_product_id += 1
            channel.products[item[PRODUCT_CHANNEL_SKU]] = product
            stored.append(product)
        return stored


def _mapping(
    tenant: Tenant, enabled: bool, account_id: int | None, store_id: str | None
) -> dict[str, Any] | None:
    """Render an integration mapping; its real shape is not documented.

    The embedded account follows the ``{id, label, app}`` of Luminous' own
    integration code, so clients can learn account names from channels.
    """
    if not enabled:
        return None
    account = tenant.accounts.get(account_id)
    return {
        "appIntegrationAccountId": account_id,
        "appIntegrationAccount": (
            {key: account[key] for key in ("id", "label", "app")} if account else None
        ),
        "omsStoreId": store_id,
    }


def render_channel(tenant: Tenant, channel: StoredChannel) -> dict[str, Any]:
    """Build the Channel object of the API docs from a stored channel."""
    f = channel.fields
    group = tenant.warehouse_groups.get(f.get("warehouseGroupId"))
    stocks = f.get("pushStocksToOms") is True
    return {
        "id": channel.id,
        "uuid": channel.uuid,
        "label": f["label"],
        "description": f.get("description"),
        "channelType": f["channelType"],
        "apiLocked": channel.api_locked,
        "warehouseGroupId": f.get("warehouseGroupId"),
        "warehouseGroup": {"id": group["id"], "name": group["name"]} if group else None,
        "storeType": None,
        "enabled": True,
        "status": 1,
        "isPOSChannel": False,
        "isCustomerSpecific": f.get("isCustomerSpecific") is True,
        "pullOrdersFromOms": f.get("pullOrdersFromOms") is True,
        "getProductsEnabled": False,
        "pushInventoryEnabled": stocks,
        "includeIncomingStocksEnabled": False,
        "pullStocksEnabled": False,
        "pullShipmentsEnabled": False,
        "pushIncomingStocksFromSupplierPurchaseOrderEnabled": False,
        "pushStocksAppIntegrationAccountId": f.get("pushStocksAppIntegrationAccountId"),
        "channelIntegrationMapping": [],
        "pullOrderIntegrationMapping": _mapping(
            tenant,
            f.get("pullOrdersFromOms") is True,
            f.get("pullOrderAppIntegrationAccountId"),
            f.get("pullOrderOmsStoreId"),
        ),
        "pushOrderIntegrationMapping": _mapping(
            tenant,
            f.get("pushOrdersToOms") is True,
            f.get("pushOrderAppIntegrationAccountId"),
            f.get("pushOrderOmsStoreId"),
        ),
        "pushStockIntegrationMapping": _mapping(
            tenant, stocks, f.get("pushStocksAppIntegrationAccountId"), None
        ),
        # The request names no account for costs, so the mapping names none either.
        "pushCostIntegrationMapping": _mapping(
            tenant, f.get("pushCostsToOms") is True, None, None
        ),
        "tags": [
            copy.deepcopy(tenant.tags[tag_id])
            for tag_id in f.get("tagIds", [])
            if tag_id in tenant.tags
        ],
        "metafields": [],
        "isDropship": f.get("isDropship") is True,
        "dropshipSupplierId": f.get("dropshipSupplierId"),
        "dropshipPoDeliveryType": None,
        "dropshipPoDeliveryWarehouseId": None,
        "dropshipAutoCreatePo": False,
        "dropshipAutoSendPo": False,
        "dropshipInventoryNotTracked": f.get("dropshipInventoryNotTracked") is True,
        "autoPushOrderAfterMinutes": None,
        "autoPushMode": None,
        "filters": {},
        "restrictions": {},
        "credentials": {},
        "fees": {},
        "createdAt": channel.created_at,
        "updatedAt": channel.updated_at,
        "createdBy": 1,
        "updatedBy": 1,
    }
