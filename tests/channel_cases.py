"""Create-channel cases with the verdict the documented rules give.

The same table is run through the app's form validation and through the
simulator; both must agree with it. IDs are the simulator's seeded ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    id: str
    payload: dict[str, Any]
    error_fields: frozenset[str] = field(default_factory=frozenset)

    @property
    def valid(self) -> bool:
        return not self.error_fields


def invalid(case_id: str, payload: dict[str, Any], *fields: str) -> Case:
    return Case(case_id, payload, frozenset(fields))


CASES = [
    Case("A-plain-sales", {
        "channelType": "sales_channel", "label": "Wholesale - phone orders",
        "description": "Orders typed in by the sales desk", "warehouseGroupId": 12,
        "isCustomerSpecific": False, "tagIds": [3, 7],
    }),
    Case("B-sales-pull", {
        "channelType": "sales_channel", "label": "Shopify - US storefront",
        "warehouseGroupId": 12, "pullOrdersFromOms": True,
        "pullOrderAppIntegrationAccountId": 41, "pullOrderOmsStoreId": "us-main",
    }),
    Case("C-fulfillment-push", {
        "channelType": "fulfillment_channel", "label": "3PL East - ShipStation",
        "warehouseGroupId": 15, "pushOrdersToOms": True,
        "pushOrderAppIntegrationAccountId": 52, "pushOrderOmsStoreId": "98765",
    }),
    Case("D-e2e-everything", {
        "channelType": "end_to_end_channel", "label": "EDI - Retailer X",
        "warehouseGroupId": 12, "pullOrdersFromOms": True,
        "pullOrderAppIntegrationAccountId": 41, "pushOrdersToOms": True,
        "pushOrderAppIntegrationAccountId": 52, "pushStocksToOms": True,
        "pushStocksAppIntegrationAccountId": 41, "pushCostsToOms": True,
    }),
    Case("E-dropship-untracked", {
        "channelType": "fulfillment_channel", "label": "Dropship - Acme Supply",
        "isDropship": True, "dropshipSupplierId": 42,
        "dropshipInventoryNotTracked": True,
    }),
    Case("e2e-dropship-untracked", {
        "channelType": "end_to_end_channel", "label": "E2E dropship",
        "isDropship": True, "dropshipSupplierId": 42,
        "dropshipInventoryNotTracked": True,
    }),
    Case("products", {
        "channelType": "sales_channel", "label": "With products",
        "warehouseGroupId": 12, "integrationProducts": [
            {"channelSku": "CH-1", "sku": "LUM-1"},
            {"channelSku": "CH-2", "sku": "LUM-2"},
        ],
    }),
    invalid("rule1-missing-type", {"label": "No type", "warehouseGroupId": 12},
            "channelType"),
    invalid("rule1-unknown-type", {"channelType": "pos_channel", "label": "T",
                                   "warehouseGroupId": 12}, "channelType"),
    invalid("rule3-missing-label", {"channelType": "sales_channel",
                                    "warehouseGroupId": 12}, "label"),
    invalid("rule4-sales-no-group", {"channelType": "sales_channel", "label": "X"},
            "warehouseGroupId"),
    invalid("rule5-dropship-tracked", {
        "channelType": "fulfillment_channel", "label": "Y", "isDropship": True,
        "dropshipSupplierId": 42,
    }, "warehouseGroupId"),
    invalid("rule5-untracked-without-dropship", {
        "channelType": "fulfillment_channel", "label": "Y2",
        "dropshipInventoryNotTracked": True,
    }, "warehouseGroupId"),
    invalid("rule6-sales-dropship-untracked", {
        "channelType": "sales_channel", "label": "Dropship - Acme Supply",
        "isDropship": True, "dropshipSupplierId": 42,
        "dropshipInventoryNotTracked": True,
    }, "warehouseGroupId"),
    invalid("rule8-pull-without-account", {
        "channelType": "sales_channel", "label": "Z", "warehouseGroupId": 12,
        "pullOrdersFromOms": True,
    }, "pullOrderAppIntegrationAccountId"),
    invalid("rule13-push-without-account", {
        "channelType": "fulfillment_channel", "label": "P", "warehouseGroupId": 15,
        "pushOrdersToOms": True,
    }, "pushOrderAppIntegrationAccountId"),
    invalid("rule16-stocks-without-account", {
        "channelType": "sales_channel", "label": "S", "warehouseGroupId": 12,
        "pushStocksToOms": True,
    }, "pushStocksAppIntegrationAccountId"),
    invalid("rule18-dropship-without-supplier", {
        "channelType": "fulfillment_channel", "label": "D", "warehouseGroupId": 15,
        "isDropship": True,
    }, "dropshipSupplierId"),
    invalid("rule21-products-missing-sku", {
        "channelType": "sales_channel", "label": "Bad products",
        "warehouseGroupId": 12,
        "integrationProducts": [{"channelSku": "CH-1", "sku": ""}],
    }, "integrationProducts.0.sku"),
    invalid("rule21-products-duplicate", {
        "channelType": "sales_channel", "label": "Dup products",
        "warehouseGroupId": 12, "integrationProducts": [
            {"channelSku": "CH-1", "sku": "LUM-1"},
            {"channelSku": "CH-1", "sku": "LUM-2"},
        ],
    }, "integrationProducts.1.channelSku"),
    invalid("rule21-products-over-limit", {
        "channelType": "sales_channel", "label": "Too many",
        "warehouseGroupId": 12, "integrationProducts": [
            {"channelSku": f"CH-{n}", "sku": f"LUM-{n}"} for n in range(501)
        ],
    }, "integrationProducts"),
    # Fields that do not apply are ignored: pull on a fulfillment channel, push on
    # a sales channel, pull details with the toggle off.
    Case("rule7-pull-ignored-on-fulfillment", {
        "channelType": "fulfillment_channel", "label": "F", "warehouseGroupId": 15,
        "pullOrdersFromOms": True,
    }),
    Case("rule12-push-ignored-on-sales", {
        "channelType": "sales_channel", "label": "S2", "warehouseGroupId": 12,
        "pushOrdersToOms": True,
    }),
    invalid("rule1-blank-type", {"channelType": " ", "label": "Blank type",
                                 "warehouseGroupId": 12}, "channelType"),
    invalid("rule3-blank-label", {"channelType": "sales_channel", "label": "   ",
                                  "warehouseGroupId": 12}, "label"),
    invalid("rule5-e2e-dropship-tracked", {
        "channelType": "end_to_end_channel", "label": "E2E tracked",
        "isDropship": True, "dropshipSupplierId": 42,
    }, "warehouseGroupId"),
    Case("rule10-pull-details-ignored-when-off", {
        "channelType": "sales_channel", "label": "Pull off", "warehouseGroupId": 12,
        "pullOrdersFromOms": False, "pullOrderAppIntegrationAccountId": 999,
        "pullOrderOmsStoreId": "x", "pullOrdersFromOmsOptions": [1],
    }),
    Case("rule11-pull-options-object", {
        "channelType": "end_to_end_channel", "label": "Pull options",
        "warehouseGroupId": 12, "pullOrdersFromOms": True,
        "pullOrderAppIntegrationAccountId": 41,
        "pullOrdersFromOmsOptions": {"since": "2026-01-01"},
    }),
    invalid("rule11-pull-options-not-an-object", {
        "channelType": "sales_channel", "label": "Bad options",
        "warehouseGroupId": 12, "pullOrdersFromOms": True,
        "pullOrderAppIntegrationAccountId": 41, "pullOrdersFromOmsOptions": [1],
    }, "pullOrdersFromOmsOptions"),
    Case("rule15-push-details-ignored-when-off", {
        "channelType": "fulfillment_channel", "label": "Push off",
        "warehouseGroupId": 15, "pushOrdersToOms": False,
        "pushOrderAppIntegrationAccountId": 999, "pushOrderOmsStoreId": "x",
    }),
    Case("rule16-stocks-on-fulfillment", {
        "channelType": "fulfillment_channel", "label": "Stocks F",
        "warehouseGroupId": 15, "pushStocksToOms": True,
        "pushStocksAppIntegrationAccountId": 41,
    }),
    Case("rule16-stocks-details-ignored-when-off", {
        "channelType": "sales_channel", "label": "Stocks off",
        "warehouseGroupId": 12, "pushStocksToOms": False,
        "pushStocksAppIntegrationAccountId": 999,
    }),
    Case("rule17-costs-need-no-account", {
        "channelType": "sales_channel", "label": "Costs", "warehouseGroupId": 12,
        "pushCostsToOms": True,
    }),
    invalid("rule18-e2e-dropship-without-supplier", {
        "channelType": "end_to_end_channel", "label": "E2E no supplier",
        "warehouseGroupId": 12, "isDropship": True,
    }, "dropshipSupplierId"),
    Case("rule19-untracked-ignored-without-dropship", {
        "channelType": "fulfillment_channel", "label": "Tracked",
        "warehouseGroupId": 15, "isDropship": False,
        "dropshipInventoryNotTracked": True,
    }),
    Case("rule20-dropship-ignored-on-sales", {
        "channelType": "sales_channel", "label": "Sales dropship",
        "warehouseGroupId": 12, "isDropship": True,
    }),
    Case("rule21-products-at-limit", {
        "channelType": "sales_channel", "label": "Exactly 500",
        "warehouseGroupId": 12, "integrationProducts": [
            {"channelSku": f"CH-{n}", "sku": f"LUM-{n}"} for n in range(500)
        ],
    }),
    invalid("rule21-products-missing-channel-sku", {
        "channelType": "sales_channel", "label": "No channel SKU",
        "warehouseGroupId": 12,
        "integrationProducts": [
            {"channelSku": "CH-1", "sku": "LUM-1"}, {"channelSku": "", "sku": "LUM-2"},
        ],
    }, "integrationProducts.1.channelSku"),
    invalid("rule22-tag-ids-positive", {
        "channelType": "sales_channel", "label": "Tag zero", "warehouseGroupId": 12,
        "tagIds": [3, 0],
    }, "tagIds"),
    Case("rule23-minimal-fulfillment", {
        "channelType": "fulfillment_channel", "label": "Minimal",
        "warehouseGroupId": 15,
    }),
    Case("rule24-api-locked-ignored", {
        "channelType": "sales_channel", "label": "Locked?", "warehouseGroupId": 12,
        "apiLocked": True,
    }),
    Case("rule26-response-only-fields-ignored", {
        "channelType": "fulfillment_channel", "label": "Response only",
        "warehouseGroupId": 15, "enabled": False, "storeType": "pos", "status": 9,
        "dropshipPoDeliveryWarehouseId": 101, "autoPushMode": "instant",
        "isPOSChannel": True,
    }),
    invalid("id-not-an-integer", {"channelType": "sales_channel", "label": "Text id",
                                  "warehouseGroupId": "twelve"}, "warehouseGroupId"),
    invalid("id-not-positive", {"channelType": "sales_channel", "label": "Zero id",
                                "warehouseGroupId": 0}, "warehouseGroupId"),
]  # fmt: skip
