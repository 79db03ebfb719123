"""Database triggers that keep audit entries append-only.

They refuse every DELETE (and, on PostgreSQL, a TRUNCATE of a non-empty table) and
every UPDATE except the one that completes a pending entry: outcome leaves
"pending", the completion link is set, and no other column changes.

SQLite drops a table's triggers when a migration rebuilds the table (most
AlterField/RemoveField operations do), so a later migration that alters
AuditEntry must call ``install()`` again; the trigger tests fail if it does not.
"""

from django.db import migrations

TABLE = "channels_ui_auditentry"

# Columns that completing an entry sets; every other column is frozen at insert.
COMPLETION_COLUMNS = [
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
    "completion_seq",
    "completion_hash",
]
# SQLite has no row-to-JSON to compare whole rows, so it lists the frozen columns.
SQLITE_FROZEN_COLUMNS = [
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
    "chain_seq",
    "entry_hash",
]

COMPLETING = """
    OLD.outcome = 'pending' AND NEW.outcome <> 'pending'
    AND OLD.completion_seq IS NULL AND NEW.completion_seq IS NOT NULL
    AND OLD.completion_hash = '' AND NEW.completion_hash <> ''
    AND NEW.completed_at IS NOT NULL
"""

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER audit_entry_refuse_delete BEFORE DELETE ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused');
    END
    """,
    f"""
    CREATE TRIGGER audit_entry_refuse_update BEFORE UPDATE ON {TABLE}
    WHEN NOT COALESCE(({COMPLETING}
        AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in SQLITE_FROZEN_COLUMNS)}
    ), 0)
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
    END
    """,
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_entry_refuse_update",
    "DROP TRIGGER IF EXISTS audit_entry_refuse_delete",
]

# A NULL in any condition fails the IF, so the function refuses by default.
POSTGRESQL_INSTALL = [
    f"""
    CREATE FUNCTION audit_entry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND {COMPLETING}
            AND to_jsonb(NEW) - ARRAY{COMPLETION_COLUMNS!r}::text[]
                = to_jsonb(OLD) - ARRAY{COMPLETION_COLUMNS!r}::text[]
        THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {TABLE}) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused',
            ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    f"""
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
    f"""
    CREATE TRIGGER audit_entry_refuse_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()
    """,
]
POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS audit_entry_refuse_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
}


def _run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection) -> None:
    """Create the triggers on ``connection``; other databases get none."""
    install_statements, _ = STATEMENTS.get(connection.vendor, ([], []))
    _run(connection, install_statements)


def uninstall(connection) -> None:
    _, uninstall_statements = STATEMENTS.get(connection.vendor, ([], []))
    _run(connection, uninstall_statements)


def forwards(apps, schema_editor) -> None:
    install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("channels_ui", "0003_audit_chain"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
