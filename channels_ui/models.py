from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from channels_ui import tokens
from channels_ui.luminous.outcomes import OutcomeKind, normalize_errors
from channels_ui.rules import ChannelType
from channels_ui.validators import validate_subdomain


class Environment(models.TextChoices):
    PRODUCTION = "production", "Production"
    STAGING = "staging", "Staging"
    SANDBOX = "sandbox", "Sandbox (built-in simulator)"


class ConnectionQuerySet(models.QuerySet["Connection"]):
    def usable(self) -> ConnectionQuerySet:
        return self.filter(revoked_at__isnull=True)


class Connection(models.Model):
    """A Luminous company this app may act for: its subdomain and API token."""

    name = models.CharField(max_length=100)
    subdomain = models.CharField(max_length=63, validators=[validate_subdomain])
    environment = models.CharField(
        max_length=20, choices=Environment, default=Environment.PRODUCTION
    )
    token_ciphertext = models.TextField(editable=False)
    token_last4 = models.CharField(max_length=4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("use_connection", "Can create channels through a connection")]
        # A revoked connection stays for history; the company can be added again.
        constraints = [
            models.UniqueConstraint(
                fields=["subdomain"],
                condition=models.Q(revoked_at__isnull=True),
                name="unique_subdomain_in_use",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.subdomain})"

    def save(self, *args, **kwargs) -> None:
        # The subdomain ends up in a URL that carries the token, so the model
        # refuses a bad one even when no form was involved.
        self.subdomain = (self.subdomain or "").lower()
        validate_subdomain(self.subdomain)
        if not self.token_ciphertext:
            raise ValueError("A connection needs a token; call set_token() first.")
        super().save(*args, **kwargs)

    def set_token(self, raw: str) -> None:
        token = tokens.normalize_token(raw)
        self.token_ciphertext = tokens.encrypt_token(token)
        self.token_last4 = token[-4:]

    def get_token(self) -> str:
        try:
            return tokens.decrypt_token(self.token_ciphertext)
        except tokens.TokenDecryptError:
            raise tokens.TokenDecryptError(
                f"The token of connection {self.name!r} ({self.subdomain}) cannot be "
                "decrypted with any configured LUMINOUS_ADMIN_ENCRYPTION_KEY."
            ) from None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


PENDING = "pending"
# An attempt is pending until its reply (or fault) is recorded.
OUTCOME_CHOICES = [(PENDING, "Pending")] + [
    (kind.value, kind.title) for kind in OutcomeKind if kind is not OutcomeKind.OK
]
NO_REPLY_RECORDED = "Outcome unknown (no reply recorded)"
# How long after the connect and read timeouts a pending entry may still be
# waiting for its reply; past that, the process that sent it has died.
PENDING_MARGIN = timedelta(seconds=60)
# The link before the first one in the audit hash chain.
GENESIS_HASH = "0" * 64


def stale_pending_cutoff() -> datetime:
    """Return the time before which a pending entry can no longer be completed."""
    wait = settings.LUMINOUS_CONNECT_TIMEOUT + settings.LUMINOUS_READ_TIMEOUT
    return timezone.now() - timedelta(seconds=wait) - PENDING_MARGIN


def no_reply_recorded(
    outcome: str, created_at: datetime, cutoff: datetime | None = None
) -> bool:
    """Whether an attempt waited longer than any reply could take.

    A list passes one ``cutoff`` for all its rows.
    """
    if outcome != PENDING:
        return False
    return created_at < (cutoff or stale_pending_cutoff())


class AuditEntry(models.Model):
    """One attempt to create a channel, written before the request goes out.

    Rows are append-only: database triggers refuse deletes and every update except
    the one that completes a pending entry. ``channels_ui.audit`` writes them.
    """

    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # PROTECT: deleting a user or a connection must not rewrite history.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT
    )
    username = models.CharField(max_length=150)
    connection = models.ForeignKey(Connection, null=True, on_delete=models.PROTECT)
    # Copied when the attempt is made, so renaming a connection keeps history.
    connection_name = models.CharField(max_length=100)
    subdomain = models.CharField(max_length=63)
    environment = models.CharField(max_length=20, choices=Environment)
    channel_type = models.CharField(max_length=30, choices=[
        (value.value, value.title) for value in ChannelType
    ])  # fmt: skip
    label = models.CharField(max_length=255)
    request_json = models.JSONField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_json = models.JSONField(null=True, blank=True)
    response_text = models.TextField(blank=True)
    # Set when the reply was over the size limit and only its start was kept.
    response_truncated = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES, default=PENDING)
    message = models.TextField(blank=True)
    channel_id = models.BigIntegerField(null=True, blank=True)
    channel_uuid = models.CharField(max_length=64, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    retry_after = models.FloatField(null=True, blank=True)
    # The one-time token of the form that sent this attempt.
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Positions and SHA-256 links in the audit hash chain (see channels_ui.audit).
    chain_seq = models.PositiveBigIntegerField(
        unique=True, null=True, blank=True, editable=False
    )
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)
    completion_seq = models.PositiveBigIntegerField(
        unique=True, null=True, blank=True, editable=False
    )
    completion_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        # Each list filter pairs with the sort key, so a page is one index range
        # scan that stops after a page of rows.
        indexes = [
            models.Index(fields=["created_at", "id"], name="audit_time_idx"),
            models.Index(
                fields=["subdomain", "created_at", "id"], name="audit_company_idx"
            ),
            models.Index(
                fields=["outcome", "created_at", "id"], name="audit_outcome_idx"
            ),
            models.Index(
                fields=["channel_type", "created_at", "id"], name="audit_type_idx"
            ),
            models.Index(fields=["user", "created_at", "id"], name="audit_user_idx"),
            models.Index(fields=["channel_id"], name="audit_channel_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_outcome_display()})"

    @property
    def is_pending(self) -> bool:
        return self.outcome == PENDING

    @property
    def no_reply_recorded(self) -> bool:
        return no_reply_recorded(self.outcome, self.created_at)

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """The 422 errors the API returned, keyed by dotted field path."""
        if self.outcome != OutcomeKind.VALIDATION_FAILED:
            return {}
        body = self.response_json if isinstance(self.response_json, dict) else {}
        return normalize_errors(body.get("errors"))


class AuditChainHead(models.Model):
    """The newest link of the audit hash chain: one row, locked by every append."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"{self.seq}: {self.digest}"
