"""Create or update a connection from a script; the token comes from stdin."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from channels_ui import services
from channels_ui.models import Connection, Environment


class Command(BaseCommand):
    help = (
        "Create a connection, or replace its token. The token is read from standard "
        "input, never from the command line, where other users and shell history "
        'could see it: echo "$TOKEN" | manage.py connection_set --subdomain acme '
        "--name Acme"
    )

    # Lets tests hand in a token the way a pipe would.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--environment",
            choices=Environment.values,
            default=None,
            help="production (default for a new connection), staging or sandbox",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin", sys.stdin)
        if stdin.isatty():
            self.stderr.write("Paste the API token, then press Ctrl-D:")
        token = stdin.read()
        subdomain = options["subdomain"].strip().lower()
        connection = Connection.objects.usable().filter(subdomain=subdomain).first()
        try:
            if connection is None:
                connection = services.connection_create(
                    name=options["name"],
                    subdomain=subdomain,
                    environment=options["environment"] or Environment.PRODUCTION,
                    token=token,
                )
                verb = "Created"
            else:
                connection.name = options["name"]
                if options["environment"]:
                    connection.environment = options["environment"]
                services.connection_replace_token(connection=connection, token=token)
                verb = "Updated"
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"{verb} {connection.name} ({connection.subdomain}, "
            f"{connection.environment}); token ends in {connection.token_last4}."
        )
