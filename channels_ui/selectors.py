"""Questions the pages ask: lookups for the channel form, audit queries."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from channels_ui import lookup_store
from channels_ui.luminous import client
from channels_ui.luminous.outcomes import LookupFailed, Outcome, OutcomeKind
from channels_ui.models import PENDING, AuditEntry, Connection, stale_pending_cutoff
from channels_ui.services import ServiceError, connection_target

LOOKUP_TTL_SECONDS = 300
# A failed list is remembered this long, so that one page and the re-renders
# that follow it do not each wait through the retries of a failing API.
LOOKUP_FAILURE_TTL_SECONDS = 15

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
    """Return every item of a list endpoint for a company, cached for 5 minutes.

    Raises LookupFailed, also for a failure seen in the last few seconds.
    """
    key = _cache_key(connection, path)
    if not refresh:
        cached = lookup_store.lists.get(key)
        if isinstance(cached, Outcome):
            raise LookupFailed(cached)
        if cached is not None:
            return cached
    try:
        items = client.list_all(connection_target(connection), path)
    except LookupFailed as exc:
        lookup_store.lists.set(key, exc.outcome, LOOKUP_FAILURE_TTL_SECONDS)
        raise
    lookup_store.lists.set(key, items, LOOKUP_TTL_SECONDS)
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


AUDIT_PAGE_SIZE = 50
# What a page of the list shows; the rest holds bodies of up to 1 MB each.
AUDIT_LIST_FIELDS = ("id", "created_at", "username", "connection_name", "subdomain",
                     "environment", "channel_type", "label", "outcome",
                     "channel_id")  # fmt: skip
_CURSOR = re.compile(r"([0-9]{8}T[0-9]{12})-([0-9]{1,18})")


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is narrowed to; an empty value does not filter."""

    company: str = ""
    channel_type: str = ""
    outcome: str = ""
    user_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""


@dataclass(frozen=True)
class AuditCursor:
    """A place in the newest-first order: an entry's time and id."""

    created_at: datetime
    id: int

    @classmethod
    def parse(cls, raw: str | None) -> AuditCursor | None:
        match = _CURSOR.fullmatch(raw or "")
        if match is None:
            return None
        try:
            when = datetime.strptime(match[1], "%Y%m%dT%H%M%S%f")
        except ValueError:
            return None
        return cls(when.replace(tzinfo=UTC), int(match[2]))

    def __str__(self) -> str:
        return f"{self.created_at.astimezone(UTC):%Y%m%dT%H%M%S%f}-{self.id}"

    def older(self) -> Q:
        # The plain bound lets the database start its index range scan at the
        # cursor instead of filtering every newer row.
        return Q(created_at__lte=self.created_at) & (
            Q(created_at__lt=self.created_at) | Q(id__lt=self.id)
        )

    def newer(self) -> Q:
        return Q(created_at__gte=self.created_at) & (
            Q(created_at__gt=self.created_at) | Q(id__gt=self.id)
        )


@dataclass(frozen=True)
class AuditPage:
    # Rows with the AUDIT_LIST_FIELDS as attributes: building model instances
    # took longer than the query.
    entries: list[Any]
    # Cursors where the next older or newer page starts; None when there is none.
    older: str | None
    newer: str | None


@dataclass(frozen=True)
class AuditChoices:
    companies: list[tuple[str, str]]
    users: list[tuple[int, str]]


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.order_by("-created_at", "-id")


def audit_entry_filter(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = audit_entries()
    if filters.company:
        entries = entries.filter(subdomain=filters.company)
    if filters.channel_type:
        entries = entries.filter(channel_type=filters.channel_type)
    if filters.outcome:
        entries = entries.filter(_outcome_filter(filters.outcome))
    if filters.user_id is not None:
        entries = entries.filter(user_id=filters.user_id)
    if filters.since is not None:
        entries = entries.filter(created_at__gte=filters.since)
    if filters.until is not None:
        entries = entries.filter(created_at__lt=filters.until)
    if filters.search:
        entries = entries.filter(_search_filter(filters.search))
    return entries


def _outcome_filter(outcome: str) -> Q:
    # A pending entry older than any reply could take is shown, and found, as
    # "outcome unknown".
    cutoff = stale_pending_cutoff()
    if outcome == OutcomeKind.OUTCOME_UNKNOWN:
        return Q(outcome=outcome) | Q(outcome=PENDING, created_at__lt=cutoff)
    if outcome == PENDING:
        return Q(outcome=PENDING, created_at__gte=cutoff)
    return Q(outcome=outcome)


def _search_filter(text: str) -> Q:
    found = Q(label__icontains=text) | Q(channel_uuid=text)
    if re.fullmatch(r"[0-9]{1,18}", text):
        found |= Q(channel_id=int(text))
    return found


def audit_entry_page(
    *,
    filters: AuditFilters,
    older: str | None = None,
    newer: str | None = None,
    size: int = AUDIT_PAGE_SIZE,
) -> AuditPage:
    """Return one page of entries, newest first, after or before a cursor.

    Keyset pagination: every page costs one query that reads ``size + 1`` rows,
    however deep it is, and nothing counts the whole log.
    """
    entries = audit_entry_filter(filters=filters).values_list(
        *AUDIT_LIST_FIELDS, named=True
    )
    after = AuditCursor.parse(newer)
    if after is not None:
        rows = list(
            entries.filter(after.newer()).order_by("created_at", "id")[: size + 1]
        )
        more = len(rows) > size
        rows = rows[:size][::-1]
        return AuditPage(
            rows,
            older=_cursor(rows[-1]) if rows else None,
            newer=_cursor(rows[0]) if more else None,
        )
    before = AuditCursor.parse(older)
    if before is not None:
        entries = entries.filter(before.older())
    rows = list(entries[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return AuditPage(
        rows,
        older=_cursor(rows[-1]) if more else None,
        newer=_cursor(rows[0]) if before is not None and rows else None,
    )


def _cursor(entry: Any) -> str:
    return str(AuditCursor(entry.created_at, entry.id))


def audit_entry_export(*, filters: AuditFilters) -> Iterator[AuditEntry]:
    """Yield every matching entry, newest first, without holding them all."""
    return audit_entry_filter(filters=filters).iterator(chunk_size=500)


def audit_filter_choices() -> AuditChoices:
    return AuditChoices(
        companies=list(
            Connection.objects.order_by("name").values_list("subdomain", "name")
        ),
        users=list(
            get_user_model().objects.order_by("username").values_list("id", "username")
        ),
    )


def channel_labels(
    *, connection: Connection | None, refresh: bool = False
) -> list[dict[str, Any]] | None:
    """The company's channels as {id, label}; None when they cannot be listed."""
    if connection is None:
        return []
    try:
        items = lookup_list(connection=connection, path="/channels", refresh=refresh)
    except (LookupFailed, ServiceError):
        return None
    return [{"id": item.get("id"), "label": item.get("label")} for item in items]


def channel_remember(*, connection: Connection, channel: dict[str, Any]) -> None:
    """Add a channel we just created to the company's cached list.

    Its label then counts as taken at once, without listing every channel again.
    """
    key = _cache_key(connection, "/channels")
    cached = lookup_store.lists.get(key)
    if isinstance(cached, list):
        lookup_store.lists.set(key, [*cached, channel], LOOKUP_TTL_SECONDS)
