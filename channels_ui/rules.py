"""The rules of ``POST /channels``, written once as data.

The channel form (layout, ``clean()``), the payload builder and the simulator all
read this table, so a rule changes in one place. Field names are the API's own
camelCase names; the form uses them too, so a 422 error key lands on its field
without translation.

Rules that the Luminous docs do not state, but that we apply conservatively, are
marked "not documented" beside them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ChannelType(StrEnum):
    SALES = "sales_channel"
    FULFILLMENT = "fulfillment_channel"
    END_TO_END = "end_to_end_channel"

    @property
    def title(self) -> str:
        return CHANNEL_TYPE_TITLES[self]


CHANNEL_TYPE_TITLES = {
    ChannelType.SALES: "Sales channel",
    ChannelType.FULFILLMENT: "Fulfillment channel",
    ChannelType.END_TO_END: "End-to-end channel",
}

ALL_TYPES = frozenset(ChannelType)


class Kind(StrEnum):
    """How a value travels in JSON; decides parsing, type checks and omission."""

    CHOICE = "choice"
    TEXT = "text"
    TOGGLE = "toggle"
    ID = "id"
    ID_LIST = "id_list"
    STORE_ID = "store_id"
    JSON_OBJECT = "json_object"
    PRODUCTS = "products"


# The item shape of ``integrationProducts`` is not documented; Luminous describes
# the batch as channel-SKU to Luminous-SKU mappings. These are the only place the
# item keys are named.
PRODUCT_CHANNEL_SKU = "channelSku"
PRODUCT_SKU = "sku"
PRODUCT_FIELDS = (PRODUCT_CHANNEL_SKU, PRODUCT_SKU)
MAX_INTEGRATION_PRODUCTS = 500


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    help: str = ""


SECTIONS = (
    Section("basics", "Channel"),
    Section("stock", "Stock location"),
    Section("pull", "Pull orders", "Import orders from an order-management system."),
    Section("push", "Push orders", "Send fulfillment orders to an OMS or 3PL."),
    Section("stocks", "Push stocks and costs"),
    Section("dropship", "Dropship"),
    Section("products", "Integration products", "Channel SKU to Luminous SKU."),
)


@dataclass(frozen=True)
class FieldRule:
    name: str
    kind: Kind
    label: str
    section: str
    types: frozenset[ChannelType] = ALL_TYPES
    # The toggle that must be on for this field to apply (and to be shown).
    shown_by: str | None = None
    required: bool = False
    # Required unless every one of these toggles is on.
    exempt_when: tuple[str, ...] = ()
    help: str = ""


FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("channelType", Kind.CHOICE, "Channel type", "basics", required=True),
    # Required-ness of the label is not documented; a channel without one is useless.
    FieldRule("label", Kind.TEXT, "Label", "basics", required=True,
              help="Must differ from every active or disabled channel's label."),
    FieldRule("description", Kind.TEXT, "Description", "basics"),
    FieldRule("isCustomerSpecific", Kind.TOGGLE, "Customer specific", "basics"),
    FieldRule("tagIds", Kind.ID_LIST, "Tags", "basics",
              help="Tag IDs, separated by commas or spaces."),
    FieldRule(
        "warehouseGroupId", Kind.ID, "Warehouse group", "stock", required=True,
        exempt_when=("isDropship", "dropshipInventoryNotTracked"),
        help="Not needed for a dropship channel whose inventory is not tracked.",
    ),
    FieldRule("pullOrdersFromOms", Kind.TOGGLE, "Pull orders from an OMS", "pull",
              types=frozenset({ChannelType.SALES, ChannelType.END_TO_END})),
    FieldRule("pullOrderAppIntegrationAccountId", Kind.ID,
              "Pull: app integration account", "pull",
              shown_by="pullOrdersFromOms", required=True),
    # Required by the API only when the chosen app needs a store ID, which a client
    # cannot find out; the API's 422 tells the user when it was needed.
    FieldRule("pullOrderOmsStoreId", Kind.STORE_ID, "Pull: OMS store ID", "pull",
              shown_by="pullOrdersFromOms",
              help="Only some apps need a store ID."),
    # Its keys are not documented, so it is sent only as the user wrote it.
    FieldRule("pullOrdersFromOmsOptions", Kind.JSON_OBJECT, "Pull: options (JSON)",
              "pull", shown_by="pullOrdersFromOms",
              help="A JSON object, passed through as written."),
    FieldRule("pushOrdersToOms", Kind.TOGGLE, "Push orders to an OMS", "push",
              types=frozenset({ChannelType.FULFILLMENT, ChannelType.END_TO_END})),
    FieldRule("pushOrderAppIntegrationAccountId", Kind.ID,
              "Push: app integration account", "push",
              shown_by="pushOrdersToOms", required=True),
    FieldRule("pushOrderOmsStoreId", Kind.STORE_ID, "Push: OMS store ID", "push",
              shown_by="pushOrdersToOms",
              help="Only some apps need a store ID."),
    # Which channel types may push stocks is not documented: all three may.
    FieldRule("pushStocksToOms", Kind.TOGGLE, "Push stocks to an OMS", "stocks"),
    # Required-ness is not documented; the account is the only way to say where.
    FieldRule("pushStocksAppIntegrationAccountId", Kind.ID,
              "Stocks: app integration account", "stocks",
              shown_by="pushStocksToOms", required=True),
    FieldRule("pushCostsToOms", Kind.TOGGLE, "Push costs to an OMS", "stocks",
              help="Luminous picks the receiving account; the API has no field."),
    # Dropship is documented only for fulfillment and end-to-end channels.
    FieldRule("isDropship", Kind.TOGGLE, "Dropship channel", "dropship",
              types=frozenset({ChannelType.FULFILLMENT, ChannelType.END_TO_END})),
    FieldRule("dropshipSupplierId", Kind.ID, "Dropship supplier", "dropship",
              shown_by="isDropship", required=True),
    FieldRule("dropshipInventoryNotTracked", Kind.TOGGLE, "Inventory not tracked",
              "dropship", shown_by="isDropship"),
    FieldRule("integrationProducts", Kind.PRODUCTS, "Integration products",
              "products", help=f"At most {MAX_INTEGRATION_PRODUCTS} rows."),
)  # fmt: skip

RULES_BY_NAME = {rule.name: rule for rule in FIELD_RULES}
TOGGLES = tuple(rule.name for rule in FIELD_RULES if rule.kind is Kind.TOGGLE)


def parse_channel_type(value: object) -> ChannelType | None:
    try:
        return ChannelType(value)
    except ValueError:
        return None


def visible_fields(
    channel_type: ChannelType | None, toggles: Mapping[str, Any]
) -> frozenset[str]:
    """Return the names of the fields that apply, given a type and toggle values.

    Without a valid type, only the fields common to every type apply.
    """
    visible: set[str] = set()
    # FIELD_RULES lists a toggle before the fields it shows, so one pass suffices.
    for rule in FIELD_RULES:
        if rule.types != ALL_TYPES and channel_type not in rule.types:
            continue
        if rule.shown_by and not (
            rule.shown_by in visible and toggles.get(rule.shown_by) is True
        ):
            continue
        visible.add(rule.name)
    return frozenset(visible)


def visible_sections(visible: frozenset[str]) -> frozenset[str]:
    """The sections that hold at least one applicable field."""
    return frozenset(rule.section for rule in FIELD_RULES if rule.name in visible)


def payload_visible_fields(payload: Mapping[str, Any]) -> frozenset[str]:
    return visible_fields(parse_channel_type(payload.get("channelType")), payload)


def is_blank(kind: Kind, value: object) -> bool:
    """Tell whether a value counts as "not given" and is left out of the payload."""
    if value is None:
        return True
    if kind in (Kind.TEXT, Kind.STORE_ID, Kind.CHOICE):
        return isinstance(value, str) and not value.strip()
    if kind in (Kind.ID_LIST, Kind.PRODUCTS):
        return isinstance(value, list) and not value
    return False


def build_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the JSON body for ``POST /channels`` from already-typed values.

    Fields that do not apply are left out. Toggles that apply are sent as explicit
    booleans; blank optional values are left out rather than sent empty.
    """
    channel_type = parse_channel_type(values.get("channelType"))
    toggles = {name: bool(values.get(name)) for name in TOGGLES}
    visible = visible_fields(channel_type, toggles)
    payload: dict[str, Any] = {}
    for rule in FIELD_RULES:
        if rule.name not in visible:
            continue
        value = values.get(rule.name)
        if rule.kind is Kind.TOGGLE:
            payload[rule.name] = bool(value)
        elif not is_blank(rule.kind, value):
            payload[rule.name] = value.strip() if isinstance(value, str) else value
    return payload


def attribute_name(field_name: str) -> str:
    """Spell a field the way Laravel-style messages do: ``warehouseGroupId`` gives
    "warehouse group id"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", field_name).lower()


def _type_error(rule: FieldRule, value: object) -> str | None:
    label = attribute_name(rule.name)
    match rule.kind:
        case Kind.TOGGLE if not isinstance(value, bool):
            return f"The {label} field must be true or false."
        case Kind.ID if isinstance(value, bool) or not isinstance(value, int):
            return f"The {label} field must be an integer."
        case Kind.ID if value < 1:
            return f"The {label} field must be at least 1."
        case Kind.TEXT | Kind.STORE_ID | Kind.CHOICE if not isinstance(value, str):
            return f"The {label} field must be a string."
        case Kind.ID_LIST if not isinstance(value, list) or not all(
            isinstance(item, int) and not isinstance(item, bool) and item > 0
            for item in value
        ):
            return f"The {label} field must be a list of positive integers."
        case Kind.JSON_OBJECT if not isinstance(value, dict):
            return f"The {label} field must be a JSON object."
        case Kind.PRODUCTS if not isinstance(value, list):
            return f"The {label} field must be a list."
    return None


def _product_errors(items: list[Any]) -> dict[str, list[str]]:
    if len(items) > MAX_INTEGRATION_PRODUCTS:
        return {
            "integrationProducts": [
                f"At most {MAX_INTEGRATION_PRODUCTS} integration products may be "
                f"sent at once; {len(items)} were given."
            ]
        }
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"integrationProducts.{index}"] = ["Each row must be an object."]
            continue
        for key in PRODUCT_FIELDS:
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                errors[f"integrationProducts.{index}.{key}"] = [
                    f"The {attribute_name(key)} field is required."
                ]
        channel_sku = item.get(PRODUCT_CHANNEL_SKU)
        if isinstance(channel_sku, str) and channel_sku.strip():
            if channel_sku in seen:
                errors.setdefault(
                    f"integrationProducts.{index}.{PRODUCT_CHANNEL_SKU}", []
                ).append(
                    f"Duplicate channel SKU (also on row {seen[channel_sku] + 1})."
                )
            else:
                seen[channel_sku] = index
    return errors


def validate_payload(payload: Mapping[str, Any]) -> dict[str, list[str]]:
    """Check a create body against every stateless rule.

    Returns errors keyed by field path in the API's 422 shape. Fields that do not
    apply to the channel type or whose toggle is off are ignored, as unknown fields
    are. Label uniqueness needs the company's channels and is checked elsewhere.
    """
    errors: dict[str, list[str]] = {}
    raw_type = payload.get("channelType")
    if is_blank(Kind.CHOICE, raw_type):
        errors["channelType"] = ["The channel type field is required."]
    elif parse_channel_type(raw_type) is None:
        errors["channelType"] = ["The selected channel type is invalid."]
    visible = payload_visible_fields(payload)
    for rule in FIELD_RULES:
        if rule.name not in visible or rule.name == "channelType":
            continue
        value = payload.get(rule.name)
        if is_blank(rule.kind, value):
            exempt = rule.exempt_when and all(
                payload.get(name) is True and name in visible
                for name in rule.exempt_when
            )
            if rule.required and not exempt:
                errors[rule.name] = [
                    f"The {attribute_name(rule.name)} field is required."
                ]
            continue
        if message := _type_error(rule, value):
            errors[rule.name] = [message]
        elif rule.kind is Kind.PRODUCTS:
            errors.update(_product_errors(value))
    return errors
