"""Serve the Luminous API simulator on a loopback address, for demos."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from channels_ui.luminous.simulator import (
    BASE_PATH,
    SANDBOX_TENANT,
    Simulator,
    serve,
)


class Command(BaseCommand):
    help = (
        "Serve the Luminous API simulator on 127.0.0.1 (loopback only). Point a "
        "connection's base URL at the printed address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="A loopback IP.")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--token",
            action="append",
            default=[],
            help="A bearer token to accept; repeat for several.",
        )
        parser.add_argument(
            "--accept-any-token",
            action="store_true",
            help="Accept every non-empty bearer token.",
        )
        parser.add_argument(
            "--latency",
            type=float,
            default=0.0,
            help="Seconds added to every reply, to play a distant API.",
        )
        parser.add_argument(
            "--seed-channels",
            type=int,
            default=0,
            help="Start with this many existing channels.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = options["token"]
        if not tokens and not options["accept_any_token"]:
            raise CommandError("Give --token (repeatable) or --accept-any-token.")
        # One shared state for a demo, whichever token is used.
        simulator = Simulator(
            tokens=dict.fromkeys(tokens, SANDBOX_TENANT),
            accept_any_token=options["accept_any_token"],
        )
        simulator.seed_channels(count=options["seed_channels"])
        simulator.latency = max(0.0, options["latency"])
        try:
            server = serve(simulator, options["host"], options["port"])
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        with server:
            try:
                self.stdout.write(
                    f"Luminous API simulator on {server.url}{BASE_PATH} "
                    "(Ctrl-C to stop)."
                )
                self.stdout.flush()
                threading.Event().wait()
            except KeyboardInterrupt:
                self.stdout.write("Stopped.")
