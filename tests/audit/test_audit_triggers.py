from datetime import timedelta
from typing import Any

import pytest
from audit_helpers import TABLE, TRIGGERS, raw_delete, raw_update
from django.db import IntegrityError, connection
from django.db.models import ProtectedError
from django.utils import timezone

from channels_ui.audit.chain import COMPLETION_FIELDS
from channels_ui.models import AuditEntry

pytestmark = pytest.mark.django_db

CREATION_COLUMNS = [
    field.column
    for field in AuditEntry._meta.concrete_fields
    if field.column not in TRIGGERS.COMPLETION_COLUMNS
]


def changed(column: str, entry: AuditEntry) -> Any:
    """A different, storable value for one column of ``entry``."""
    if column == "request_json":
        return '{"changed": true}'
    value = getattr(entry, column)
    if column == "created_at":
        return value + timedelta(seconds=1)
    if isinstance(value, int):
        return value + 1000
    if value is None:
        return "changed"
    return value[:-1] + ("0" if value[-1] != "0" else "1")


def test_it_refuses_deletes(make_entry):
    entry = make_entry()
    with pytest.raises(IntegrityError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_it_refuses_deletes_in_raw_sql(make_entry):
    entry = make_entry()
    with pytest.raises(IntegrityError):
        raw_delete(entry.pk)


@pytest.mark.parametrize("column", CREATION_COLUMNS)
def test_it_refuses_to_change_a_field_set_at_creation(make_entry, column):
    entry = make_entry(pending=True)
    with pytest.raises(IntegrityError):
        raw_update(entry.pk, column, changed(column, entry))


def test_it_lists_every_creation_column_for_sqlite():
    assert sorted(TRIGGERS.SQLITE_FROZEN_COLUMNS) == sorted(CREATION_COLUMNS)


def test_it_lists_every_completion_field():
    completion = {*COMPLETION_FIELDS, "completion_seq", "completion_hash"}
    assert set(TRIGGERS.COMPLETION_COLUMNS) == completion


def test_it_refuses_to_change_a_completed_entry(make_entry):
    entry = make_entry()
    with pytest.raises(IntegrityError):
        AuditEntry.objects.filter(pk=entry.pk).update(message="rewritten")


def test_it_refuses_to_complete_without_a_chain_link(make_entry):
    entry = make_entry(pending=True)
    with pytest.raises(IntegrityError):
        AuditEntry.objects.filter(pk=entry.pk).update(
            outcome="created", completed_at=timezone.now()
        )


def test_it_refuses_to_set_a_pending_entrys_outcome_back_to_pending(make_entry):
    entry = make_entry()
    with pytest.raises(IntegrityError):
        raw_update(entry.pk, "outcome", "pending")


def test_it_allows_completing_a_pending_entry(make_entry):
    entry = make_entry()
    assert AuditEntry.objects.get(pk=entry.pk).outcome == "created"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_it_refuses_to_truncate_a_non_empty_log(make_entry):
    make_entry()
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        # Deferred foreign-key checks from the inserts would block TRUNCATE first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")


def test_deleting_a_user_with_entries_is_refused(make_entry, admin_user):
    make_entry()
    with pytest.raises(ProtectedError):
        admin_user.delete()


def test_deleting_a_connection_with_entries_is_refused(make_entry, acme):
    make_entry()
    with pytest.raises(ProtectedError):
        acme.delete()
