"""Writing the audit log: an entry before each attempt, its outcome after.

Each write appends a link to the hash chain described in ``chain.py``, under a
lock that keeps concurrent attempts from forking it.
"""

from __future__ import annotations

import json
import math
from contextlib import suppress
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.utils import timezone

from channels_ui.audit.chain import (
    COMPLETION_FIELDS,
    HEAD_PK,
    completion_digest,
    creation_digest,
)
from channels_ui.luminous.outcomes import Outcome, OutcomeKind
from channels_ui.models import AuditChainHead, AuditEntry, Connection

# A reply body is kept up to this many bytes of UTF-8.
MAX_STORED_BYTES = 1_000_000
# Deeper replies are kept as text: the JSON column and the hash walk them
# recursively.
MAX_JSON_DEPTH = 64
BIGINT_MAX = 2**63 - 1


def audit_entry_start(
    *,
    user: AbstractBaseUser,
    connection: Connection,
    payload: dict[str, Any],
    form_token: str | None = None,
    label: str | None = None,
    channel_type: str | None = None,
) -> AuditEntry:
    """Write and commit the pending entry for an attempt about to be sent.

    The label and channel type come from the payload unless given. Raises
    IntegrityError when ``form_token`` was already used.
    """
    request_json = json.loads(json.dumps(payload))
    if label is None:
        label = str(request_json.get("label", ""))
    if channel_type is None:
        channel_type = str(request_json.get("channelType", ""))
    with transaction.atomic():
        seq, previous = _lock_head()
        entry = AuditEntry(
            # The id is taken before the insert so the creation link covers it.
            id=_next_entry_id(),
            created_at=timezone.now(),
            user=user,
            username=user.get_username(),
            connection=connection,
            connection_name=connection.name,
            subdomain=connection.subdomain,
            environment=connection.environment,
            channel_type=channel_type,
            label=label,
            request_json=request_json,
            form_token=form_token,
            chain_seq=seq,
        )
        entry.entry_hash = creation_digest(entry, previous)
        entry.save(force_insert=True)
        _move_head(entry.entry_hash)
    return entry


def audit_entry_complete(entry: AuditEntry, outcome: Outcome) -> None:
    """Record what came back for a pending entry; the database allows this once."""
    response_json, response_text, truncated = stored_reply(outcome.body, outcome.text)
    channel = outcome.data if outcome.kind is OutcomeKind.CREATED else None
    if not isinstance(channel, dict):
        channel = {}
    with transaction.atomic():
        seq, previous = _lock_head()
        entry.completed_at = timezone.now()
        entry.outcome = outcome.kind.value
        entry.response_status = outcome.status
        entry.response_json = response_json
        entry.response_text = response_text
        entry.response_truncated = truncated
        entry.message = _storable_text(outcome.message)
        entry.duration_ms = outcome.duration_ms
        entry.retry_after = _finite_or_none(outcome.retry_after)
        entry.channel_id = _bigint_or_none(channel.get("id"))
        entry.channel_uuid = _storable_text(str(channel.get("uuid") or ""))[:64]
        entry.completion_seq = seq
        entry.completion_hash = completion_digest(entry, previous)
        entry.save(
            update_fields=[*COMPLETION_FIELDS, "completion_seq", "completion_hash"]
        )
        _move_head(entry.completion_hash)


def _lock_head() -> tuple[int, str]:
    """Take the chain's write lock; return the next position and the last link.

    The first statement is an UPDATE, which locks the head row on PostgreSQL and
    takes SQLite's database write lock, before the head is read: two attempts can
    never read the same head and fork the chain. Call inside ``atomic()``.
    """
    head = _advance_head()
    if head is None:
        # The first write ever creates the head; a racing first write that lost
        # waits on the winner's row below.
        with suppress(IntegrityError), transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_PK)
        head = _advance_head()
    return head


# The head is written in plain SQL: these statements run twice for every
# channel sent, and the ORM took longer to build them than the database took to
# run them. RETURNING reads the head in the statement that locks it.
def _advance_head() -> tuple[int, str] | None:
    table = db_connection.ops.quote_name(AuditChainHead._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = seq + 1 WHERE id = %s RETURNING seq, digest",
            [HEAD_PK],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


def _move_head(digest: str) -> None:
    table = db_connection.ops.quote_name(AuditChainHead._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET digest = %s WHERE id = %s", [digest, HEAD_PK]
        )


def _next_entry_id() -> int:
    table = db_connection.ops.quote_name(AuditEntry._meta.db_table)
    with db_connection.cursor() as cursor:
        if db_connection.vendor == "postgresql":
            # The column's own sequence, so rows inserted without an id never
            # collide with these.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))",
                [AuditEntry._meta.db_table],
            )
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def stored_reply(body: Any, text: str) -> tuple[Any, str, bool]:
    """Return the reply as (response_json, response_text, truncated).

    A JSON body stays JSON when every database can store it as it is and it fits
    in MAX_STORED_BYTES; otherwise it is kept as text, cut to that size.
    """
    if body is not None:
        serialized = _storable_json(body)
        if serialized is not None and len(serialized.encode()) <= MAX_STORED_BYTES:
            return json.loads(serialized), "", False
        text = serialized if serialized is not None else _json_as_ascii(body)
    text = _storable_text(text)
    encoded = text.encode()
    if len(encoded) <= MAX_STORED_BYTES:
        return None, text, False
    return None, encoded[:MAX_STORED_BYTES].decode(errors="ignore"), True


def _storable_json(body: Any) -> str | None:
    # PostgreSQL's jsonb refuses NaN, NUL characters and lone surrogates, which
    # Python's JSON parser accepts.
    if _deeper_than(body, MAX_JSON_DEPTH):
        return None
    try:
        serialized = json.dumps(body, ensure_ascii=False, allow_nan=False)
        serialized.encode()
    except (ValueError, UnicodeEncodeError):
        return None
    return None if "\\u0000" in serialized else serialized


def _json_as_ascii(body: Any) -> str:
    try:
        return json.dumps(body, ensure_ascii=True)
    except (ValueError, RecursionError):
        return "[The reply was JSON that cannot be stored.]"


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _storable_text(text: str) -> str:
    # PostgreSQL text columns refuse NUL characters; UTF-8 refuses surrogates.
    return text.replace("\x00", "\ufffd").encode(errors="replace").decode()


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _bigint_or_none(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -BIGINT_MAX - 1 <= value <= BIGINT_MAX else None
    return None
