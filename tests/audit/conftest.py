from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from audit_helpers import TRIGGERS, created, payload
from django.db import connection

from channels_ui.audit import audit_entry_complete, audit_entry_start
from channels_ui.luminous.outcomes import Outcome
from channels_ui.models import AuditEntry


@pytest.fixture
def make_entry(admin_user, acme) -> Callable[..., AuditEntry]:
    """Write an entry the way the app does: pending first, then completed."""

    def make(
        label: str = "Wholesale",
        *,
        outcome: Outcome | None = None,
        pending: bool = False,
        at: datetime | None = None,
        user: Any = None,
        connection: Any = None,
        channel_type: str = "sales_channel",
    ) -> AuditEntry:
        clock = mock.patch("django.utils.timezone.now", return_value=at)
        with clock if at else nullcontext():
            entry = audit_entry_start(
                user=user or admin_user,
                connection=connection or acme,
                payload=payload(label, channel_type),
            )
            if not pending:
                audit_entry_complete(entry, outcome or created())
        return entry

    return make


@pytest.fixture
def without_triggers(db) -> None:
    """Drop the triggers inside the test's transaction, whose end restores them."""
    TRIGGERS.uninstall(connection)
