import threading
from datetime import timedelta
from typing import Any

import pytest
from audit_helpers import created, raw_delete, raw_update, verify
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from channels_ui.audit import audit_entry_complete, audit_entry_start
from channels_ui.audit.chain import completion_digest
from channels_ui.models import AuditEntry

pytestmark = pytest.mark.django_db

COLUMNS = [field.column for field in AuditEntry._meta.concrete_fields]


def tampered(column: str, entry: AuditEntry) -> Any:
    """A different, storable value for one column of ``entry``."""
    field = next(f for f in AuditEntry._meta.concrete_fields if f.column == column)
    value = getattr(entry, field.attname)
    kind = field.get_internal_type()
    if kind == "JSONField":
        return '{"changed": true}'
    if kind == "DateTimeField":
        return (value or timezone.now()) + timedelta(seconds=1)
    if kind == "BooleanField":
        return not value
    if kind == "FloatField":
        return (value or 0.0) + 0.5
    if kind in ("CharField", "TextField"):
        return value[:-1] + ("0" if value[-1:] != "0" else "1") if value else "x"
    return (value or 0) + 1000


@pytest.fixture
def three(make_entry) -> list[AuditEntry]:
    return [make_entry(f"Label {n}") for n in range(3)]


def test_it_reports_an_intact_log(admin_user, acme):
    first = audit_entry_start(user=admin_user, connection=acme, payload={"a": 1})
    second = audit_entry_start(user=admin_user, connection=acme, payload={"b": 2})
    audit_entry_complete(second, created())
    audit_entry_complete(first, created(channel_id=8))
    assert verify().startswith("Audit log intact: 4 link(s); head ")


def test_an_empty_log_is_intact(db):
    assert verify().startswith("Audit log intact: 0 link(s)")


@pytest.fixture
def other_rows(django_user_model, make_connection) -> dict[str, int]:
    """Rows a tampered foreign key can point to, so it stays a valid key."""
    return {
        "user_id": django_user_model.objects.create_user("mallory").pk,
        "connection_id": make_connection(name="Globex", subdomain="globex").pk,
    }


@pytest.mark.parametrize("column", COLUMNS)
def test_it_detects_tampering_with_any_stored_field(
    three, other_rows, without_triggers, column
):
    middle = three[1]
    value = other_rows.get(column) or tampered(column, middle)
    raw_update(middle.pk, column, value)
    with pytest.raises(CommandError, match="Audit chain broken"):
        verify()


def test_it_names_the_first_entry_whose_link_breaks(three, without_triggers):
    raw_update(three[1].pk, "label", "Rewritten")
    with pytest.raises(CommandError, match=rf"at entry #{three[1].pk} \(chain"):
        verify()


def test_it_exits_non_zero_when_the_chain_breaks(three, without_triggers):
    raw_update(three[0].pk, "outcome", "forbidden")
    with pytest.raises(CommandError) as failure:
        verify()
    assert failure.value.returncode == 1


def test_it_detects_an_outcome_rewritten_with_its_own_hash_recomputed(
    three, without_triggers
):
    first = AuditEntry.objects.get(pk=three[0].pk)
    previous = AuditEntry.objects.get(chain_seq=first.completion_seq - 1).entry_hash
    first.outcome, first.channel_id = "server_error", None
    raw_update(first.pk, "outcome", first.outcome)
    raw_update(first.pk, "channel_id", None)
    raw_update(first.pk, "completion_hash", completion_digest(first, previous))
    with pytest.raises(CommandError, match=f"at entry #{three[1].pk} "):
        verify()


def test_it_detects_a_deleted_entry(three, without_triggers):
    raw_delete(three[1].pk)
    with pytest.raises(CommandError, match=f"at entry #{three[2].pk} "):
        verify()


def test_it_detects_entries_removed_from_the_end(three, without_triggers):
    raw_delete(three[2].pk)
    with pytest.raises(CommandError, match="links were removed from the end"):
        verify()


def test_it_detects_an_entry_written_outside_the_chain(three, admin_user):
    outside = AuditEntry.objects.create(
        username="alice", connection_name="Acme", subdomain="acme",
        environment="staging", channel_type="sales_channel", label="Forged",
        request_json={},
    )  # fmt: skip
    with pytest.raises(CommandError, match=f"at entry #{outside.pk}: it was written"):
        verify()


def test_numbers_that_postgres_rewrites_still_verify(admin_user, acme):
    numbers = {"big": 1e16, "whole": 2.0, "tiny": 1.5e-7, "huge": 10**30, "neg": -0.0}
    entry = audit_entry_start(user=admin_user, connection=acme, payload=numbers)
    audit_entry_complete(entry, created())
    assert verify().startswith("Audit log intact: 2 link(s)")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database makes concurrent writers fail "
    "instead of wait",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_do_not_fork_the_chain(django_user_model, make_connection):
    user = django_user_model.objects.create_user("racer")
    acme = make_connection()
    start = threading.Barrier(8)

    def attempt(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                entry = audit_entry_start(
                    user=user, connection=acme, payload={"label": f"{n}-{i}"}
                )
                audit_entry_complete(entry, created(channel_id=n * 10 + i))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verify().startswith("Audit log intact: 80 link(s)")
