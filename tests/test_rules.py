import pytest
from channel_cases import CASES

from channels_ui import rules


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_validate_payload_gives_the_documented_verdict(case):
    assert set(rules.validate_payload(case.payload)) == case.error_fields


def test_build_payload_sends_applicable_toggles_as_explicit_false():
    payload = rules.build_payload(
        {"channelType": "sales_channel", "label": "L", "warehouseGroupId": 12}
    )
    assert payload == {
        "channelType": "sales_channel",
        "label": "L",
        "isCustomerSpecific": False,
        "warehouseGroupId": 12,
        "pullOrdersFromOms": False,
        "pushStocksToOms": False,
        "pushCostsToOms": False,
    }


def test_build_payload_leaves_out_fields_of_another_type():
    payload = rules.build_payload(
        {"channelType": "sales_channel", "label": "L", "warehouseGroupId": 12,
         "pushOrdersToOms": True, "pushOrderAppIntegrationAccountId": 52,
         "isDropship": True, "dropshipSupplierId": 42}
    )  # fmt: skip
    assert not {"pushOrdersToOms", "isDropship", "dropshipSupplierId"} & set(payload)


def test_build_payload_leaves_out_details_of_a_toggle_that_is_off():
    payload = rules.build_payload(
        {"channelType": "end_to_end_channel", "label": "L", "warehouseGroupId": 12,
         "pullOrdersFromOms": False, "pullOrderAppIntegrationAccountId": 41,
         "pullOrderOmsStoreId": "s"}
    )  # fmt: skip
    assert "pullOrderAppIntegrationAccountId" not in payload
    assert payload["pullOrdersFromOms"] is False


def test_build_payload_leaves_out_blank_optional_values():
    payload = rules.build_payload(
        {"channelType": "fulfillment_channel", "label": "L", "warehouseGroupId": 15,
         "pushOrdersToOms": True, "pushOrderAppIntegrationAccountId": 52,
         "pushOrderOmsStoreId": "  ", "description": "", "tagIds": []}
    )  # fmt: skip
    assert not {"pushOrderOmsStoreId", "description", "tagIds"} & set(payload)


def test_build_payload_keeps_dropship_fields_only_for_dropship_types():
    values = {"label": "L", "isDropship": True, "dropshipSupplierId": 42,
              "dropshipInventoryNotTracked": True}  # fmt: skip
    fulfillment = rules.build_payload({**values, "channelType": "fulfillment_channel"})
    assert fulfillment["dropshipInventoryNotTracked"] is True
    sales = rules.build_payload({**values, "channelType": "sales_channel"})
    assert "isDropship" not in sales


@pytest.mark.parametrize(
    ("channel_type", "toggles", "expected"),
    [
        ("sales_channel", {}, {"pullOrdersFromOms"}),
        ("fulfillment_channel", {}, {"pushOrdersToOms", "isDropship"}),
        ("end_to_end_channel", {}, {"pullOrdersFromOms", "pushOrdersToOms",
                                    "isDropship"}),
        ("fulfillment_channel", {"isDropship": True},
         {"pushOrdersToOms", "isDropship", "dropshipSupplierId",
          "dropshipInventoryNotTracked"}),
    ],
)  # fmt: skip
def test_visible_fields_follow_type_and_toggles(channel_type, toggles, expected):
    optional = {"pullOrdersFromOms", "pushOrdersToOms", "isDropship",
                "dropshipSupplierId", "dropshipInventoryNotTracked"}  # fmt: skip
    visible = rules.visible_fields(rules.ChannelType(channel_type), toggles)
    assert visible & optional == expected


def test_type_errors_are_reported_for_json_of_the_wrong_kind():
    errors = rules.validate_payload(
        {"channelType": "sales_channel", "label": 5, "warehouseGroupId": "12",
         "tagIds": [1, "x"], "isCustomerSpecific": "yes"}
    )  # fmt: skip
    assert set(errors) == {"label", "warehouseGroupId", "tagIds", "isCustomerSpecific"}
