"""Work that changes something: here upstream, in the audit log, or both."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from channels_ui.audit import audit_entry_complete, audit_entry_start
from channels_ui.luminous import client
from channels_ui.luminous.outcomes import LookupFailed, Outcome, OutcomeKind
from channels_ui.models import AuditEntry, Connection, Environment
from channels_ui.tokens import TokenDecryptError, normalize_token

CONNECTION_REVOKED = "The connection to {name} was revoked; it can no longer be used."


class ServiceError(Exception):
    """A request this app refuses to send; the message is for the user."""


@sensitive_variables("token")
def connection_target(connection: Connection) -> client.Target:
    if connection.is_revoked:
        raise ServiceError(CONNECTION_REVOKED.format(name=connection.name))
    try:
        token = normalize_token(connection.get_token())
    except TokenDecryptError as exc:
        raise ServiceError(str(exc)) from None
    except ValueError:
        # Stored before tokens were checked on the way in.
        raise ServiceError(
            f"The stored token of {connection.name} cannot be sent to Luminous; an "
            "administrator must replace it."
        ) from None
    return client.Target(
        subdomain=connection.subdomain,
        token=token,
        sandbox=connection.environment == Environment.SANDBOX,
    )


@sensitive_variables("target")
def channel_create(
    *,
    user: AbstractBaseUser,
    connection: Connection,
    payload: dict[str, Any],
    form_token: str | None = None,
) -> AuditEntry:
    """Record the attempt, send ``POST /channels`` once, and record what came back.

    A form token that was already used returns that attempt's entry instead of
    sending again, so a double submit creates at most one channel.
    """
    target = connection_target(connection)
    try:
        entry = audit_entry_start(
            user=user, connection=connection, payload=payload, form_token=form_token
        )
    except IntegrityError:
        if form_token is None:
            raise
        return AuditEntry.objects.get(form_token=form_token)
    outcome = client.channel_create(target, payload)
    audit_entry_complete(entry, outcome)
    return entry


@sensitive_variables("token")
def connection_create(
    *, name: str, subdomain: str, environment: str, token: str
) -> Connection:
    connection = Connection(name=name, subdomain=subdomain, environment=environment)
    connection.set_token(token)
    connection.save()
    return connection


@sensitive_variables("token")
def connection_replace_token(*, connection: Connection, token: str) -> None:
    connection.set_token(token)
    connection.verified_at = None
    connection.last_error = ""
    connection.save()


def connection_revoke(*, connection: Connection) -> None:
    """Stop all use of a connection; it stays, with its history."""
    if connection.revoked_at is None:
        connection.revoked_at = timezone.now()
        connection.save(update_fields=["revoked_at"])


def connection_verify(*, connection: Connection) -> Outcome:
    """Prove the token works with the cheapest read, and remember the answer."""
    outcome = client.warehouses_probe(connection_target(connection))
    if outcome.succeeded:
        connection.verified_at = timezone.now()
        connection.last_error = ""
    else:
        connection.last_error = f"{outcome.kind.title}: {outcome.message}"
    connection.save(update_fields=["verified_at", "last_error"])
    return outcome


def attempt_settled(*, entry: AuditEntry, timeout: float | None = None) -> AuditEntry:
    """Wait for an attempt another request is still sending, then return it.

    A double click or a second tab reuses the form token; the later request finds
    the first one's entry pending and shows its result once there is one.
    """
    if timeout is None:
        timeout = settings.LUMINOUS_CONNECT_TIMEOUT + settings.LUMINOUS_READ_TIMEOUT
    deadline = time.monotonic() + timeout + 1
    while entry.is_pending and time.monotonic() < deadline:
        time.sleep(0.05)
        entry.refresh_from_db()
    return entry


def channel_find_by_label(
    *,
    user: AbstractBaseUser,
    connection: Connection,
    label: str,
    after: AuditEntry | None,
) -> AuditEntry | None:
    """Look a label up after an uncertain attempt; record the channel if it exists
    and is not on record yet, and return its entry.

    Raises LookupFailed when the look-up itself fails. Nothing is ever re-sent.
    """
    outcome = client.get(
        connection_target(connection), "/channels", {"label[eq]": label}
    )
    if not outcome.succeeded:
        raise LookupFailed(outcome)
    data = outcome.data if isinstance(outcome.data, list) else []
    matches = [c for c in data if isinstance(c, dict) and c.get("label") == label]
    if not matches:
        return None
    channel = matches[0]
    channel_id = channel.get("id")
    if isinstance(channel_id, int) and not isinstance(channel_id, bool):
        recorded = AuditEntry.objects.filter(
            connection=connection, outcome=OutcomeKind.CREATED, channel_id=channel_id
        ).first()
        if recorded is not None:
            # Found by an earlier look-up, or created through this app: it is
            # on record once.
            return recorded
    note = (
        f"Found by a look-up of its label after attempt #{after.pk} had no certain "
        "outcome; nothing was sent again."
        if after
        else "Found by a look-up of its label; nothing was sent again."
    )
    entry = audit_entry_start(
        user=user,
        connection=connection,
        payload=after.request_json if after else {},
        label=label,
        channel_type=str(channel.get("channelType") or ""),
    )
    found = Outcome(
        OutcomeKind.CREATED,
        method="GET",
        path="/channels",
        status=outcome.status,
        body={"data": channel},
        message=note,
        duration_ms=outcome.duration_ms,
    )
    audit_entry_complete(entry, found)
    return entry
