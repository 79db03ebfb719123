"""Writing the audit log: an entry before each attempt, its outcome after.

Each write appends a link to the hash chain described in ``chain.py``, under a
lock that keeps concurrent attempts from forking it.
"""

from __future__ import annotations

import functools
import json
import math
from contextlib import suppress
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
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
    request_json = as_recorded(payload)
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
        _insert(entry)
        _move_head(entry.entry_hash)
    return entry


def as_recorded(payload: dict[str, Any]) -> Any:
    """The payload as an entry's ``request_json`` holds it: through JSON."""
    return json.loads(json.dumps(payload))


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
        _update_completion(entry)
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


# Every statement below runs for each channel sent, so each is plain SQL built
# once per database vendor: the ORM took longer to build them than the database
# took to run them. Values still go through each field's own conversion
# (get_db_prep_save), so a row holds what the ORM would have stored; AuditEntry
# has no field that changes its value on save (auto_now), which this skips.
COMPLETION_COLUMNS = (*COMPLETION_FIELDS, "completion_seq", "completion_hash")


@functools.cache
def _statements(vendor: str) -> dict[str, str]:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    head = quote(AuditChainHead._meta.db_table)
    entries = quote(AuditEntry._meta.db_table)
    columns = ", ".join(quote(field.column) for field in _inserted_fields())
    marks = ", ".join(["%s"] * len(_inserted_fields()))
    completed = ", ".join(
        f"{quote(field.column)} = %s" for field in _completed_fields()
    )
    return {
        # RETURNING reads the head in the statement that locks it.
        "advance_head": (
            f"UPDATE {head} SET seq = seq + 1 WHERE id = %s RETURNING seq, digest"
        ),
        "move_head": f"UPDATE {head} SET digest = %s WHERE id = %s",
        "insert": f"INSERT INTO {entries} ({columns}) VALUES ({marks})",
        "complete": f"UPDATE {entries} SET {completed} WHERE id = %s",
        # PostgreSQL: the column's own sequence, so that rows inserted without an
        # id never collide with these.
        "next_id": (
            f"SELECT nextval(pg_get_serial_sequence('{entries}', 'id'))"
            if vendor == "postgresql"
            else f"SELECT COALESCE(MAX(id), 0) + 1 FROM {entries}"
        ),
    }


@functools.cache
def _inserted_fields() -> tuple[Field, ...]:
    return tuple(AuditEntry._meta.concrete_fields)


@functools.cache
def _completed_fields() -> tuple[Field, ...]:
    return tuple(AuditEntry._meta.get_field(name) for name in COMPLETION_COLUMNS)


def _execute(name: str, params: list[Any]) -> tuple[Any, ...] | None:
    """Run one of the statements; return its first row, if it returns rows."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[name], params)
        return cursor.fetchone() if cursor.description else None


def _advance_head() -> tuple[int, str] | None:
    row = _execute("advance_head", [HEAD_PK])
    return None if row is None else (row[0], row[1])


def _move_head(digest: str) -> None:
    _execute("move_head", [digest, HEAD_PK])


def _next_entry_id() -> int:
    row = _execute("next_id", [])
    assert row is not None
    return row[0]


def _insert(entry: AuditEntry) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    _execute("insert", _values(entry, _inserted_fields(), connection))
    # The instance now stands for a saved row, as after Model.save().
    entry._state.adding = False
    entry._state.db = connection.alias


def _update_completion(entry: AuditEntry) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    _execute("complete", [*_values(entry, _completed_fields(), connection), entry.pk])


def _values(
    entry: AuditEntry, fields: tuple[Field, ...], connection: BaseDatabaseWrapper
) -> list[Any]:
    return [
        field.get_db_prep_save(getattr(entry, field.attname), connection)
        for field in fields
    ]


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
