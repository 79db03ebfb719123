"""The audit log's hash chain: how links are computed, and how they are checked.

Every write is one link of a single SHA-256 hash chain. A link hashes the previous
link, a position taken from a global counter, and the fields the write set:

- creating an entry links its creation fields (``entry_hash`` at ``chain_seq``);
- completing it later links the outcome fields (``completion_hash`` at
  ``completion_seq``), which also cover the entry's own ``entry_hash``.

Completion is a link of the same chain, not a hash kept beside the entry, because
a hash that only covers its own row can be recomputed by whoever edits that row;
a chain link cannot be changed without rewriting every later link. Attempts
overlap (B is created while A waits for its reply), so entries and completions
interleave in the chain; the positions record that order.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from channels_ui.models import GENESIS_HASH, AuditChainHead, AuditEntry

HEAD_PK = 1

CREATION_FIELDS = (
    "id",
    "created_at",
    "user_id",
    "username",
    "connection_id",
    "connection_name",
    "subdomain",
    "environment",
    "channel_type",
    "label",
    "request_json",
    "form_token",
)
COMPLETION_FIELDS = (
    "completed_at",
    "outcome",
    "response_status",
    "response_json",
    "response_text",
    "response_truncated",
    "message",
    "channel_id",
    "channel_uuid",
    "duration_ms",
    "retry_after",
)


def creation_digest(entry: AuditEntry, previous: str) -> str:
    """Return the link that the creation of ``entry`` adds after ``previous``."""
    record = {name: getattr(entry, name) for name in CREATION_FIELDS}
    return _link(previous, {"event": "create", "seq": entry.chain_seq, **record})


def completion_digest(entry: AuditEntry, previous: str) -> str:
    """Return the link that the completion of ``entry`` adds after ``previous``."""
    record = {name: getattr(entry, name) for name in COMPLETION_FIELDS}
    return _link(
        previous,
        {
            "event": "complete",
            "seq": entry.completion_seq,
            "id": entry.id,
            "entry_hash": entry.entry_hash,
            **record,
        },
    )


def _link(previous: str, record: dict[str, Any]) -> str:
    return hashlib.sha256(f"{previous}\n{canonical(record)}".encode()).hexdigest()


def canonical(value: Any) -> str:
    """Serialize a value so it reads back identically from every database.

    Keys are sorted and numbers are written as exact decimal digits with an
    exponent, because PostgreSQL's jsonb may hand back ``1e16`` as an integer.
    """
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                _quoted(key) + ":" + canonical(item)
                for key, item in sorted(value.items(), key=_key)
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if value is None or isinstance(value, bool):
        return _LITERALS[value]
    if isinstance(value, int | float):
        return _canonical_number(value)
    if isinstance(value, datetime):
        return _quoted(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    raise TypeError(f"Cannot hash a {type(value).__name__} in the audit chain.")


# The C encoder behind json.dumps for a str, without its per-call set-up.
_quoted = json.encoder.encode_basestring_ascii
_LITERALS = {None: "null", True: "true", False: "false"}


def _key(item: tuple[str, Any]) -> str:
    return item[0]


def _canonical_number(value: int | float) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Cannot hash a non-finite number in the audit chain.")
        if value.is_integer() and abs(value) < 2**53:
            value = int(value)
    if isinstance(value, int) and value % 10:
        return f"{value}e0"
    if value == 0:
        return "0"
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    sign, digits, exponent = number.as_tuple()
    while digits[-1] == 0:
        digits = digits[:-1]
        exponent += 1
    return f"{'-' if sign else ''}{''.join(map(str, digits))}e{exponent}"


@dataclass(frozen=True)
class ChainBreak:
    """Where verification found the first link that does not hold, and why."""

    entry_id: int | None
    seq: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    links: int
    head: str
    broken: ChainBreak | None = None


def audit_chain_verify() -> ChainReport:
    """Walk the chain in order and report the first link that does not hold.

    Only links up to the head read at the start are walked: a head is written in
    the same transaction as its link, so every earlier link is visible, and
    attempts made meanwhile cannot be mistaken for damage.
    """
    head_seq, head_digest = _head()
    previous, expected = GENESIS_HASH, 1
    for seq, is_creation, entry in _links(head_seq):
        if seq != expected:
            return _broken(
                entry.id,
                seq,
                f"expected chain position {expected} but found {seq}: a link "
                "before it is missing or repeated",
            )
        if is_creation:
            digest, stored = creation_digest(entry, previous), entry.entry_hash
            if entry.completion_seq is None and not _looks_pending(entry):
                return _broken(
                    entry.id, seq, "it holds outcome fields without a link for them"
                )
        else:
            digest, stored = completion_digest(entry, previous), entry.completion_hash
        if digest != stored:
            return _broken(
                entry.id,
                seq,
                "its stored fields or hash were changed after it was written",
            )
        previous, expected = stored, expected + 1
    if (expected - 1, previous) != (head_seq, head_digest):
        return _broken(
            None,
            head_seq,
            f"the chain ends at position {expected - 1} but its head records "
            f"position {head_seq}: links were removed from the end, or the head "
            "was changed",
        )
    broken = _outside_break(head_seq)
    return ChainReport(head_seq, head_digest, broken)


def _broken(entry_id: int | None, seq: int | None, reason: str) -> ChainReport:
    head_seq, head_digest = _head()
    return ChainReport(head_seq, head_digest, ChainBreak(entry_id, seq, reason))


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    return (head.seq, head.digest) if head else (0, GENESIS_HASH)


def _links(last: int) -> Iterator[tuple[int, bool, AuditEntry]]:
    # Each walk skips the bodies the other one hashes; the rare pending entry
    # loads its reply fields when they are checked.
    created = (
        (entry.chain_seq, True, entry)
        for entry in AuditEntry.objects.filter(chain_seq__lte=last)
        .defer("response_json", "response_text")
        .order_by("chain_seq")
        .iterator(chunk_size=2000)
    )
    completed = (
        (entry.completion_seq, False, entry)
        for entry in AuditEntry.objects.filter(completion_seq__lte=last)
        .defer("request_json")
        .order_by("completion_seq")
        .iterator(chunk_size=2000)
    )
    return heapq.merge(created, completed, key=lambda link: link[0])


def _looks_pending(entry: AuditEntry) -> bool:
    if entry.completion_hash:
        return False
    return all(
        getattr(entry, name) == AuditEntry._meta.get_field(name).get_default()
        for name in COMPLETION_FIELDS
    )


def _outside_break(last: int) -> ChainBreak | None:
    entries = AuditEntry.objects.order_by("id")
    outside = entries.filter(chain_seq__isnull=True).first()
    if outside is not None:
        return ChainBreak(outside.id, None, "it was written outside the chain")
    beyond = entries.filter(Q(chain_seq__gt=last) | Q(completion_seq__gt=last)).first()
    # Links past the head are damage only if the head has not moved since.
    if beyond is not None and _head()[0] == last:
        return ChainBreak(beyond.id, beyond.chain_seq, "it was linked past the head")
    return None
