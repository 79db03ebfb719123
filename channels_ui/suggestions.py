"""IDs the channel form can suggest where Luminous offers no list to choose from.

The API has no list endpoint for tags or app integration accounts. The IDs a
company already uses still show up in two places: on its existing channels
(``GET /channels``, with names) and in this app's audit history (the request
bodies we sent, IDs only). This module gathers both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from channels_ui import selectors
from channels_ui.luminous.outcomes import (
    LookupFailed,
    OutcomeKind,
    error_location,
    normalize_errors,
)
from channels_ui.models import AuditEntry, Connection
from channels_ui.services import ServiceError

# Enough history to cover every ID a company has used lately, at bounded cost.
AUDIT_ENTRIES_READ = 500

ACCOUNT_FIELDS = (
    "pullOrderAppIntegrationAccountId",
    "pushOrderAppIntegrationAccountId",
    "pushStocksAppIntegrationAccountId",
)
MAPPING_KEYS = (
    "pullOrderIntegrationMapping",
    "pushOrderIntegrationMapping",
    "pushStockIntegrationMapping",
    "pushCostIntegrationMapping",
)


@dataclass(frozen=True)
class Suggestion:
    id: int
    name: str | None = None


@dataclass
class Suggestions:
    tags: list[Suggestion] = field(default_factory=list)
    accounts: list[Suggestion] = field(default_factory=list)
    # Why the channels could not be read, for the user; empty when they were.
    notice: str = ""


def _valid_id(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _name(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


class _Collector:
    """IDs seen so far, each with the first name found for it."""

    def __init__(self) -> None:
        self.names: dict[int, str | None] = {}

    def add(self, value: object, name: object = None) -> None:
        if (item_id := _valid_id(value)) is None:
            return
        if self.names.get(item_id) is None:
            self.names[item_id] = _name(name)

    def sorted(self) -> list[Suggestion]:
        """Named ones first, alphabetically; then bare IDs in order."""
        return [
            Suggestion(item_id, name)
            for item_id, name in sorted(
                self.names.items(),
                key=lambda pair: (pair[1] is None, (pair[1] or "").casefold(), pair[0]),
            )
        ]


def _from_mapping(accounts: _Collector, item: Any) -> None:
    """Read one integration mapping; its shape is not documented, so be lenient."""
    if not isinstance(item, Mapping):
        return
    account = item.get("appIntegrationAccount")
    if isinstance(account, Mapping):
        accounts.add(account.get("id"), account.get("label") or account.get("name"))
    accounts.add(item.get("appIntegrationAccountId"))


def _from_channels(
    channels: Iterable[Mapping[str, Any]], tags: _Collector, accounts: _Collector
) -> None:
    for channel in channels:
        channel_tags = channel.get("tags")
        for tag in channel_tags if isinstance(channel_tags, list) else ():
            if isinstance(tag, Mapping):
                tags.add(tag.get("id"), tag.get("name"))
        for key in MAPPING_KEYS:
            _from_mapping(accounts, channel.get(key))
        mappings = channel.get("channelIntegrationMapping")
        for item in mappings if isinstance(mappings, list) else ():
            _from_mapping(accounts, item)
        accounts.add(channel.get("pushStocksAppIntegrationAccountId"))


def _rejected(entry: Mapping[str, Any]) -> set[tuple[str, int | None]]:
    """The (field, row) pairs a 422 named, whose values are not worth suggesting."""
    if entry["outcome"] != OutcomeKind.VALIDATION_FAILED:
        return set()
    body = entry["response_json"]
    errors = normalize_errors(body.get("errors") if isinstance(body, dict) else None)
    return {error_location(path)[:2] for path in errors}


def _from_audit(connection: Connection, tags: _Collector, accounts: _Collector) -> None:
    entries = (
        AuditEntry.objects.filter(connection=connection)
        .order_by("-created_at", "-id")
        .values("request_json", "response_json", "outcome")[:AUDIT_ENTRIES_READ]
    )
    for entry in entries:
        body = entry["request_json"]
        if not isinstance(body, dict):
            continue
        rejected = _rejected(entry)
        tag_ids = body.get("tagIds")
        if isinstance(tag_ids, list) and ("tagIds", None) not in rejected:
            for row, tag_id in enumerate(tag_ids):
                if ("tagIds", row) not in rejected:
                    tags.add(tag_id)
        for name in ACCOUNT_FIELDS:
            if (name, None) not in rejected:
                accounts.add(body.get(name))


def suggestions_for(*, connection: Connection, refresh: bool = False) -> Suggestions:
    """Return the tags and app integration accounts a company is known to use.

    Names come from the company's channels; IDs only in our audit history come
    without one. If the channels cannot be read, the history alone is used and
    ``notice`` says why; this never raises for an API failure.
    """
    tags, accounts = _Collector(), _Collector()
    notice = ""
    try:
        channels = selectors.lookup_list(
            connection=connection, path="/channels", refresh=refresh
        )
    except LookupFailed as exc:
        outcome = exc.outcome
        notice = (
            f"Could not read the company's channels from Luminous "
            f"({outcome.kind.title}: {outcome.message}); suggestions come from "
            "this app's history only."
        )
    except ServiceError as exc:
        notice = f"{exc} Suggestions come from this app's history only."
    else:
        _from_channels(channels, tags, accounts)
    # Channels go first so that their names win over the history's bare IDs.
    _from_audit(connection, tags, accounts)
    return Suggestions(tags=tags.sorted(), accounts=accounts.sorted(), notice=notice)
