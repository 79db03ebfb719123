"""A pytest plugin: a test that commits leaves an empty audit log behind.

Django empties the database after such a test with DELETE (SQLite) or TRUNCATE
(PostgreSQL), which the append-only triggers refuse while audit entries exist.
The log is emptied first, with the triggers lifted for that moment only.
"""

from __future__ import annotations

import importlib
from collections.abc import Generator

import pytest

COMMITTING_FIXTURES = {"transactional_db", "live_server"}


def _commits(item: pytest.Item) -> bool:
    # Only a test whose database was set up; the others have nothing to empty.
    if "_django_db_helper" not in getattr(item, "funcargs", {}):
        return False
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool(COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())))


def empty_audit_log() -> None:
    from django.db import connection

    from channels_ui.models import AuditChainHead, AuditEntry

    if not (AuditEntry.objects.exists() or AuditChainHead.objects.exists()):
        return
    triggers = importlib.import_module("channels_ui.migrations.0004_audit_append_only")
    triggers.uninstall(connection)
    try:
        AuditEntry.objects.all().delete()
        AuditChainHead.objects.all().delete()
    finally:
        triggers.install(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    # Before the fixtures' teardown, so before the database is flushed.
    if _commits(item):
        empty_audit_log()
    return (yield)
