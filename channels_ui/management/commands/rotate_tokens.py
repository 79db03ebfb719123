"""Re-encrypt every stored token with the first LUMINOUS_ADMIN_ENCRYPTION_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from channels_ui.models import Connection
from channels_ui.tokens import TokenDecryptError, reencrypt_token


class Command(BaseCommand):
    help = (
        "Re-encrypt every connection's token with the first configured key, so an "
        "old key can then be removed from LUMINOUS_ADMIN_ENCRYPTION_KEY."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        unreadable: list[str] = []
        rotated = 0
        # All or nothing: a half-rotated table would make removing the old key
        # unsafe without anyone noticing.
        with transaction.atomic():
            for connection in Connection.objects.select_for_update().order_by("pk"):
                try:
                    ciphertext = reencrypt_token(connection.token_ciphertext)
                except TokenDecryptError:
                    unreadable.append(f"{connection.name} ({connection.subdomain})")
                    continue
                Connection.objects.filter(pk=connection.pk).update(
                    token_ciphertext=ciphertext
                )
                rotated += 1
            if unreadable:
                transaction.set_rollback(True)
        if unreadable:
            raise CommandError(
                "No key can decrypt the token of: " + ", ".join(unreadable) + ". "
                "Nothing was changed."
            )
        self.stdout.write(f"Re-encrypted {rotated} token(s) with the first key.")
