from django.urls import path

from channels_ui.views import audit, channels, connections

app_name = "channels_ui"

urlpatterns = [
    path("", channels.home, name="home"),
    path("channels/new/", channels.channel_new, name="channel-new"),
    path(
        "channels/new/visibility/",
        channels.channel_visibility,
        name="channel-visibility",
    ),
    path(
        "channels/new/label/",
        channels.channel_label_check,
        name="channel-label-check",
    ),
    path("channels/result/<int:pk>/", channels.channel_result, name="channel-result"),
    path("connections/", connections.connection_list, name="connection-list"),
    path("connections/add/", connections.connection_add, name="connection-add"),
    path("connections/<int:pk>/", connections.connection_edit, name="connection-edit"),
    path(
        "connections/<int:pk>/token/",
        connections.connection_token,
        name="connection-token",
    ),
    path(
        "connections/<int:pk>/revoke/",
        connections.connection_revoke,
        name="connection-revoke",
    ),
    path(
        "connections/<int:pk>/verify/",
        connections.connection_verify,
        name="connection-verify",
    ),
    path("audit/", audit.audit_list, name="audit-list"),
    path("audit/export.csv", audit.audit_export_csv, name="audit-export-csv"),
    path("audit/export.json", audit.audit_export_json, name="audit-export-json"),
    path("audit/<int:pk>/", audit.audit_detail, name="audit-detail"),
]
