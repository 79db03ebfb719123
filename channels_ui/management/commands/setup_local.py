"""Make a fresh database usable: an administrator and the Sandbox connection."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from channels_ui.models import Connection, Environment

SANDBOX_SUBDOMAIN = "sandbox"


class Command(BaseCommand):
    help = "Create a local administrator if no user exists, and the Sandbox company."

    def handle(self, *args: Any, **options: Any) -> None:
        self._ensure_administrator()
        self._ensure_sandbox()

    def _ensure_administrator(self) -> None:
        users = get_user_model()
        if users.objects.exists():
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, password=password, email="")
        if generated:
            # Shown once, on the terminal of whoever set the app up; it is stored
            # only as a hash.
            self.stdout.write(
                self.style.WARNING(
                    f"Created administrator {username!r} with password {password} "
                    "(shown only this once)."
                )
            )
        else:
            self.stdout.write(f"Created administrator {username!r}.")

    def _ensure_sandbox(self) -> None:
        if Connection.objects.filter(subdomain=SANDBOX_SUBDOMAIN).exists():
            return
        connection = Connection(
            name="Sandbox",
            subdomain=SANDBOX_SUBDOMAIN,
            environment=Environment.SANDBOX,
        )
        # The built-in simulator accepts any token; a random one keeps the rule
        # that every stored token is a secret.
        connection.set_token(secrets.token_urlsafe(24))
        connection.save()
        self.stdout.write("Created the Sandbox company (built-in simulator).")
