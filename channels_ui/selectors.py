"""Questions the pages ask: lookups for the channel form, audit queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from channels_ui.luminous import client
from channels_ui.luminous.outcomes import LookupFailed
from channels_ui.models import AuditEntry, Connection
from channels_ui.services import ServiceError, connection_target

LOOKUP_TTL_SECONDS = 300

# Form field -> the list endpoint that feeds its select.
SELECT_LOOKUPS = {
    "warehouseGroupId": "/warehouse-groups",
    "dropshipSupplierId": "/suppliers",
}


def _cache_key(connection: Connection, path: str) -> str:
    # Keyed by the stored ciphertext, which changes whenever the token is
    # replaced, so a new token never reads lists fetched with the old one.
    version = hashlib.sha256(connection.token_ciphertext.encode()).hexdigest()[:16]
    return f"lookup:{connection.pk}:{version}:{path}"


def lookup_list(
    *, connection: Connection, path: str, refresh: bool = False
) -> list[dict[str, Any]]:
    """Return every item of a list endpoint for a company, cached for 5 minutes."""
    key = _cache_key(connection, path)
    if not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    items = client.list_all(connection_target(connection), path)
    cache.set(key, items, LOOKUP_TTL_SECONDS)
    return items


@dataclass
class FormLookups:
    """Choices for the form's selects, and a notice for each list that failed."""

    choices: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def form_lookups(
    *, connection: Connection | None, refresh: bool = False
) -> FormLookups:
    lookups = FormLookups()
    if connection is None:
        return lookups
    for field_name, path in SELECT_LOOKUPS.items():
        try:
            items = lookup_list(connection=connection, path=path, refresh=refresh)
        except LookupFailed as exc:
            outcome = exc.outcome
            lookups.failures[field_name] = (
                f"Could not load the list from Luminous ({outcome.kind.title}: "
                f"{outcome.message}). Type the ID instead."
            )
            continue
        except ServiceError as exc:
            lookups.failures[field_name] = str(exc)
            continue
        lookups.choices[field_name] = [
            (item["id"], f"{item.get('name') or '(no name)'} (#{item['id']})")
            for item in items
            if isinstance(item.get("id"), int)
        ]
    return lookups


def audit_entry_list() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("user").order_by("-created_at", "-id")
