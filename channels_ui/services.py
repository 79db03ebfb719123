"""Work that changes something: here upstream, in the audit log, or both."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from channels_ui.luminous import client
from channels_ui.luminous.outcomes import Outcome, OutcomeKind
from channels_ui.models import AuditEntry, Connection, Environment
from channels_ui.tokens import TokenDecryptError

MAX_STORED_TEXT = 1_000_000

CONNECTION_REVOKED = "The connection to {name} was revoked; it can no longer be used."


class ServiceError(Exception):
    """A request this app refuses to send; the message is for the user."""


def connection_target(connection: Connection) -> client.Target:
    if connection.is_revoked:
        raise ServiceError(CONNECTION_REVOKED.format(name=connection.name))
    try:
        token = connection.get_token()
    except TokenDecryptError as exc:
        raise ServiceError(str(exc)) from None
    return client.Target(
        subdomain=connection.subdomain,
        token=token,
        sandbox=connection.environment == Environment.SANDBOX,
    )


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
        with transaction.atomic():
            entry = AuditEntry.objects.create(
                user=user,
                username=user.get_username(),
                connection=connection,
                connection_name=connection.name,
                subdomain=connection.subdomain,
                environment=connection.environment,
                channel_type=payload.get("channelType", ""),
                label=payload.get("label", ""),
                request_json=payload,
                form_token=form_token,
            )
    except IntegrityError:
        if form_token is None:
            raise
        return AuditEntry.objects.get(form_token=form_token)
    outcome = client.channel_create(target, payload)
    _complete(entry, outcome)
    return entry


def _complete(entry: AuditEntry, outcome: Outcome) -> None:
    entry.completed_at = timezone.now()
    entry.outcome = outcome.kind.value
    entry.response_status = outcome.status
    entry.response_json = outcome.body
    entry.response_text = outcome.text[:MAX_STORED_TEXT]
    entry.message = outcome.message
    entry.duration_ms = outcome.duration_ms
    entry.retry_after = outcome.retry_after
    channel = outcome.data if outcome.kind is OutcomeKind.CREATED else None
    if isinstance(channel, dict):
        entry.channel_id = channel.get("id")
        entry.channel_uuid = str(channel.get("uuid") or "")
    entry.save()


def connection_create(
    *, name: str, subdomain: str, environment: str, token: str
) -> Connection:
    connection = Connection(name=name, subdomain=subdomain, environment=environment)
    connection.set_token(token)
    connection.save()
    return connection


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
