from django.contrib import admin
from django.http import HttpRequest

from channels_ui.models import AuditEntry, Connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    # Tokens are set through the app's own pages, which encrypt them; the admin
    # shows the connection but never the ciphertext.
    list_display = ["name", "subdomain", "environment", "token_last4", "verified_at"]
    fields = ["name", "subdomain", "environment", "token_last4", "verified_at",
              "last_error", "revoked_at"]  # fmt: skip
    readonly_fields = ["subdomain", "token_last4", "verified_at", "last_error",
                       "revoked_at"]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only everywhere.

    Without add, change or delete permission the admin offers no form, no delete
    link and no bulk action; database triggers refuse such writes anyway.
    """

    list_display = ["created_at", "username", "connection_name", "subdomain",
                    "channel_type", "label", "outcome", "channel_id"]  # fmt: skip
    list_filter = ["outcome", "channel_type", "environment", "subdomain"]
    search_fields = ["label", "=channel_id"]
    actions = None
    # The page size of the app's own audit list, so the two compare like for like.
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AuditEntry | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: AuditEntry | None = None
    ) -> bool:
        return False
