"""The endpoints of the Luminous API simulator, as functions on one tenant's state.

Create validation is ``rules.validate_payload`` (the table the form uses); this
module adds only what needs state: label uniqueness, referenced IDs and the
store-ID rule. Every function here runs with the simulator's lock held.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from typing import Any

from channels_ui import rules
from channels_ui.luminous.simulator_data import StoredChannel, Tenant, render_channel

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
UNLOCK_REFUSED = "Channels can only be unlocked from the UI."

# Referenced IDs and the tenant table each must exist in.
_REFERENCES = (
    ("warehouseGroupId", "warehouse_groups"),
    ("dropshipSupplierId", "suppliers"),
    ("pullOrderAppIntegrationAccountId", "accounts"),
    ("pushOrderAppIntegrationAccountId", "accounts"),
    ("pushStocksAppIntegrationAccountId", "accounts"),
)
# Account field and the store-ID field it makes mandatory for some apps.
_STORE_IDS = (
    ("pullOrderAppIntegrationAccountId", "pullOrderOmsStoreId"),
    ("pushOrderAppIntegrationAccountId", "pushOrderOmsStoreId"),
)


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        body: dict[str, Any] = {"message": message}
        if errors:
            body["errors"] = errors
        self.response = Response(status, body)


def validation_error(errors: dict[str, list[str]]) -> ApiError:
    """Build a Laravel-style 422: the first message, plus how many more follow."""
    messages = [message for field_errors in errors.values() for message in field_errors]
    summary = messages[0]
    if more := len(messages) - 1:
        summary += f" (and {more} more error{'s' if more > 1 else ''})"
    return ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, summary, errors)


@dataclass(frozen=True)
class Call:
    query: dict[str, str]
    body: bytes

    def json_object(self) -> dict[str, Any]:
        if not self.body.strip():
            return {}
        try:
            value = json.loads(self.body)
        except ValueError:
            raise ApiError(
                HTTPStatus.BAD_REQUEST, "The body is not valid JSON."
            ) from None
        if not isinstance(value, dict):
            raise ApiError(HTTPStatus.BAD_REQUEST, "The body must be a JSON object.")
        return value


Handler = Callable[..., Response]


def insert_channel(tenant: Tenant, fields: dict[str, Any]) -> StoredChannel:
    now = int(time.time())
    channel = StoredChannel(
        id=tenant.next_channel_id,
        uuid=str(uuid.uuid4()),
        fields=fields,
        created_at=now,
        updated_at=now,
    )
    tenant.next_channel_id += 1
    tenant.channels[channel.id] = channel
    return channel


def _list_channels(tenant: Tenant, call: Call) -> Response:
    channels = sorted(tenant.channels.values(), key=lambda c: c.id)
    if "label[eq]" in call.query:
        wanted = call.query["label[eq]"].strip()
        channels = [c for c in channels if c.fields["label"] == wanted]
    return _paginate(call.query, [render_channel(tenant, c) for c in channels])


def _get_channel(tenant: Tenant, call: Call, channel_id: int) -> Response:
    channel = _find_channel(tenant, channel_id)
    return Response(HTTPStatus.OK, {"data": render_channel(tenant, channel)})


def _create_channel(tenant: Tenant, call: Call) -> Response:
    payload = call.json_object()
    _validate(tenant, payload, own_id=None)
    fields = rules.build_payload(payload)
    products = fields.pop("integrationProducts", [])
    channel = insert_channel(tenant, fields)
    tenant.store_products(channel, [_product(item) for item in products])
    return Response(HTTPStatus.CREATED, {"data": render_channel(tenant, channel)})


def _update_channel(tenant: Tenant, call: Call, channel_id: int) -> Response:
    channel = _unlocked_channel(tenant, channel_id)
    changes = call.json_object()
    if "channelType" in changes:
        raise validation_error({"channelType": ["The channel type cannot be changed."]})
    # Update does not take integration products; they have their own endpoint.
    changes.pop("integrationProducts", None)
    merged = channel.fields | changes
    _validate(tenant, merged, own_id=channel.id)
    channel.fields = rules.build_payload(merged)
    channel.updated_at = int(time.time())
    return Response(HTTPStatus.OK, {"data": render_channel(tenant, channel)})


def _delete_channel(tenant: Tenant, call: Call, channel_id: int) -> Response:
    _unlocked_channel(tenant, channel_id)
    del tenant.channels[channel_id]
    return Response(HTTPStatus.NO_CONTENT)


def _lock_channel(tenant: Tenant, call: Call, channel_id: int) -> Response:
    channel = _find_channel(tenant, channel_id)
    value = call.json_object().get("apiLocked")
    if value is False:
        raise ApiError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            UNLOCK_REFUSED,
            {"apiLocked": [UNLOCK_REFUSED]},
        )
    if value is None:
        raise validation_error({"apiLocked": ["The api locked field is required."]})
    if value is not True:
        raise validation_error({"apiLocked": ["The api locked field must be true."]})
    channel.api_locked = True
    channel.updated_at = int(time.time())
    return Response(HTTPStatus.OK, {"data": render_channel(tenant, channel)})


def _add_products(tenant: Tenant, call: Call, channel_id: int) -> Response:
    channel = _unlocked_channel(tenant, channel_id)
    items = call.json_object().get("integrationProducts")
    if rules.is_blank(rules.Kind.PRODUCTS, items):
        message = "The integration products field is required."
        raise validation_error({"integrationProducts": [message]})
    # The stored fields are valid, so only the product errors can come back.
    errors = rules.validate_payload(channel.fields | {"integrationProducts": items})
    if errors:
        raise validation_error(errors)
    stored = tenant.store_products(channel, [_product(item) for item in items])
    return Response(HTTPStatus.CREATED, {"data": stored})


def _validate(tenant: Tenant, payload: Mapping[str, Any], own_id: int | None) -> None:
    errors = rules.validate_payload(payload)
    errors.update(_stateful_errors(tenant, payload, errors, own_id))
    if errors:
        raise validation_error(errors)


def _stateful_errors(
    tenant: Tenant,
    payload: Mapping[str, Any],
    errors: Mapping[str, list[str]],
    own_id: int | None,
) -> dict[str, list[str]]:
    """Check what needs the tenant's data, on fields that passed the stateless rules.

    Fields that do not apply to the payload are ignored, as validate_payload does.
    """
    visible = rules.payload_visible_fields(payload)

    def given(name: str) -> bool:
        kind = rules.RULES_BY_NAME[name].kind
        return (
            name in visible
            and name not in errors
            and not rules.is_blank(kind, payload.get(name))
        )

    found: dict[str, list[str]] = {}
    # Stored labels are trimmed, as Laravel trims every input string.
    if given("label") and any(
        channel.fields["label"] == payload["label"].strip()
        for channel in tenant.channels.values()
        if channel.id != own_id
    ):
        found["label"] = ["The label has already been taken."]
    for name, table in _REFERENCES:
        if given(name) and payload[name] not in getattr(tenant, table):
            found[name] = [f"The selected {rules.attribute_name(name)} is invalid."]
    if given("tagIds"):
        for index, tag_id in enumerate(payload["tagIds"]):
            if tag_id not in tenant.tags:
                found[f"tagIds.{index}"] = [f"The selected tag id {tag_id} is invalid."]
    for account_field, store_field in _STORE_IDS:
        if not given(account_field):
            continue
        account = tenant.accounts.get(payload[account_field])
        if (
            account
            and account["needs_store_id"]
            and store_field not in errors
            and rules.is_blank(rules.Kind.STORE_ID, payload.get(store_field))
        ):
            found[store_field] = [
                f"The {rules.attribute_name(store_field)} field is required when "
                "the app requires a store ID."
            ]
    return found


def _find_channel(tenant: Tenant, channel_id: int) -> StoredChannel:
    if channel_id not in tenant.channels:
        raise ApiError(HTTPStatus.NOT_FOUND, "Channel not found.")
    return tenant.channels[channel_id]


def _unlocked_channel(tenant: Tenant, channel_id: int) -> StoredChannel:
    channel = _find_channel(tenant, channel_id)
    if channel.api_locked:
        raise ApiError(
            HTTPStatus.FORBIDDEN,
            "This channel is locked for API changes; unlock it in the Luminous UI.",
        )
    return channel


def _product(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: item[key].strip() for key in rules.PRODUCT_FIELDS}


def _list_table(table: str, tenant: Tenant, call: Call) -> Response:
    rows = getattr(tenant, table)
    return _paginate(call.query, [rows[key] for key in sorted(rows)])


def _get_from_table(
    table: str, noun: str, tenant: Tenant, call: Call, item_id: int
) -> Response:
    rows = getattr(tenant, table)
    if item_id not in rows:
        raise ApiError(HTTPStatus.NOT_FOUND, f"{noun} not found.")
    return Response(HTTPStatus.OK, {"data": rows[item_id]})


def _int_param(
    query: Mapping[str, str],
    name: str,
    default: int,
    errors: dict[str, list[str]],
    maximum: int | None = None,
) -> int:
    label = name.replace("_", " ")
    if name not in query:
        return default
    try:
        value = int(query[name])
    except ValueError:
        errors[name] = [f"The {label} field must be an integer."]
        return default
    if maximum is not None and not 1 <= value <= maximum:
        errors[name] = [f"The {label} field must be between 1 and {maximum}."]
    elif value < 1:
        errors[name] = [f"The {label} field must be at least 1."]
    return value


def _paginate(query: Mapping[str, str], items: list[dict[str, Any]]) -> Response:
    errors: dict[str, list[str]] = {}
    page = _int_param(query, "page", 1, errors)
    per_page = _int_param(query, "per_page", DEFAULT_PER_PAGE, errors, MAX_PER_PAGE)
    if errors:
        raise validation_error(errors)
    start = (page - 1) * per_page
    chunk = items[start : start + per_page]
    meta = {
        "current_page": page,
        # Laravel's paginator gives null bounds for an empty page.
        "from": start + 1 if chunk else None,
        "last_page": max(1, -(-len(items) // per_page)),
        "per_page": per_page,
        "to": start + len(chunk) if chunk else None,
        "total": len(items),
    }
    return Response(HTTPStatus.OK, {"data": chunk, "meta": meta})


def _routes() -> list[tuple[re.Pattern[str], dict[str, Handler]]]:
    routes: list[tuple[str, dict[str, Handler]]] = [
        ("/channels", {"GET": _list_channels, "POST": _create_channel}),
        (
            r"/channels/(\d+)",
            {"GET": _get_channel, "PUT": _update_channel, "DELETE": _delete_channel},
        ),
        (r"/channels/(\d+)/lock", {"PATCH": _lock_channel}),
        (r"/channels/(\d+)/integration-products", {"POST": _add_products}),
    ]
    for segment, table, noun in (
        ("warehouse-groups", "warehouse_groups", "Warehouse group"),
        ("warehouses", "warehouses", "Warehouse"),
        ("suppliers", "suppliers", "Supplier"),
    ):
        routes.append((f"/{segment}", {"GET": partial(_list_table, table)}))
        routes.append(
            (rf"/{segment}/(\d+)", {"GET": partial(_get_from_table, table, noun)})
        )
    return [(re.compile(pattern), handlers) for pattern, handlers in routes]


# Paths are relative to the API base path; the groups are integer IDs.
ROUTES = _routes()


def route(method: str, path: str | None) -> tuple[Handler, list[int]]:
    """Find the handler and path IDs for a request, or raise the 404 or 405."""
    for pattern, handlers in ROUTES if path is not None else ():
        if match := pattern.fullmatch(path):
            if method not in handlers:
                raise ApiError(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    f"The {method} method is not supported for this route.",
                )
            return handlers[method], [int(group) for group in match.groups()]
    raise ApiError(HTTPStatus.NOT_FOUND, "Not found.")
