"""Plain helpers for the audit tests; fixtures live in conftest.py."""

from __future__ import annotations

import importlib
from datetime import datetime
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection

from channels_ui.luminous.outcomes import Outcome, OutcomeKind
from channels_ui.models import AuditEntry

TRIGGERS = importlib.import_module("channels_ui.migrations.0004_audit_append_only")
TABLE = AuditEntry._meta.db_table


def payload(label: str = "Wholesale", channel_type: str = "sales_channel") -> dict:
    return {"channelType": channel_type, "label": label, "warehouseGroupId": 12}


def created(channel_id: int = 7, uuid: str = "uuid-7") -> Outcome:
    body = {"data": {"id": channel_id, "uuid": uuid, "label": "x"}}
    return Outcome(OutcomeKind.CREATED, "POST", "/channels", status=201, body=body,
                   message="Created.", duration_ms=42)  # fmt: skip


def failed(kind: OutcomeKind = OutcomeKind.VALIDATION_FAILED) -> Outcome:
    body = {"message": "Invalid.", "errors": {"label": ["Taken."]}}
    return Outcome(kind, "POST", "/channels", status=422, body=body,
                   message="Invalid.", duration_ms=12, retry_after=1.5)  # fmt: skip


def reply(body: Any = None, text: str = "") -> Outcome:
    return Outcome(OutcomeKind.SERVER_ERROR, "POST", "/channels", status=500,
                   body=body, text=text, message="Boom.")  # fmt: skip


def raw_update(entry_id: int, column: str, value: Any) -> None:
    if isinstance(value, datetime):
        value = connection.ops.adapt_datetimefield_value(value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {connection.ops.quote_name(column)} = %s "
            "WHERE id = %s",
            [value, entry_id],
        )


def raw_delete(entry_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry_id])


def verify() -> str:
    """Run verify_audit_log and return what it printed."""
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()
