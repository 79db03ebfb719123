"""The three roles, as Django groups with the permissions each one holds."""

from __future__ import annotations

ADMINISTRATORS = "Administrators"
OPERATORS = "Operators"
AUDITORS = "Auditors"

# Permission codenames of this app, per role.
ROLE_PERMISSIONS = {
    ADMINISTRATORS: [
        "view_connection",
        "add_connection",
        "change_connection",
        "use_connection",
        "view_auditentry",
    ],
    OPERATORS: ["view_connection", "use_connection", "view_auditentry"],
    AUDITORS: ["view_auditentry"],
}

MANAGE_CONNECTIONS = "channels_ui.change_connection"
CREATE_CHANNELS = "channels_ui.use_connection"
READ_AUDIT_LOG = "channels_ui.view_auditentry"
