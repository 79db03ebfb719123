"""Figures, not a test: the shared keep-alive client against a client per call.

Serves the simulator on loopback, creates 200 channels in a row through the
app's shared ``httpx.Client``, then 200 more with a new client (same headers and
timeouts) built and closed around each call, and prints milliseconds per call.

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_client_pool.py
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLS = 200
TOKEN = "bench-token"
TARGET_RATIO = 3.0


def configure_django() -> None:
    """Set up the project's settings without reading or writing its var/ files."""
    from cryptography.fernet import Fernet

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "luminous_admin.settings"
    os.environ["DJANGO_SECRET_KEY"] = "bench-only-not-a-secret"
    os.environ["LUMINOUS_ADMIN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    # No query runs; an in-memory database keeps the project's own out of reach.
    os.environ["DATABASE_URL"] = "sqlite://:memory:"

    import django

    django.setup()
    # One log line per call would time the console, not the client.
    logging.getLogger("channels_ui").setLevel(logging.WARNING)


def timed(calls: int, call: Callable[[int], str]) -> list[float]:
    durations = []
    for n in range(calls):
        started = time.perf_counter()
        kind = call(n)
        durations.append((time.perf_counter() - started) * 1000)
        if kind != "created":
            raise SystemExit(f"Call {n} ended as {kind}, not created.")
    return durations


def p95(durations: list[float]) -> float:
    return statistics.quantiles(durations, n=100)[94]


def main() -> None:
    configure_django()
    from django.conf import settings

    from channels_ui.luminous import client
    from channels_ui.luminous.simulator import BASE_PATH, Simulator, serve

    simulator = Simulator(tokens={TOKEN: "bench"})
    target = client.Target(subdomain="bench", token=TOKEN)

    def payload(label: str) -> dict[str, object]:
        return {"channelType": "sales_channel", "label": label, "warehouseGroupId": 12}

    def shared(n: int) -> str:
        return client.channel_create(target, payload(f"Shared {n}")).kind

    def fresh(n: int) -> str:
        client.replace_shared_client(client.build_client())
        kind = client.channel_create(target, payload(f"Fresh {n}")).kind
        client.reset_clients()
        return kind

    with serve(simulator) as server:
        settings.LUMINOUS_API_BASE_URL = server.url + BASE_PATH
        client.reset_clients()
        shared_ms = timed(CALLS, shared)
        client.reset_clients()
        fresh_ms = timed(CALLS, fresh)

    rows = [
        ("shared client", statistics.median(shared_ms), p95(shared_ms)),
        ("new client per call", statistics.median(fresh_ms), p95(fresh_ms)),
    ]
    ratio_median = rows[1][1] / rows[0][1]
    ratio_p95 = rows[1][2] / rows[0][2]
    print(f"POST /channels x {CALLS} per mode, simulator on {server.url}")
    print(f"{'mode':<22} {'calls':>5} {'median ms':>10} {'p95 ms':>8}")
    for name, median, high in rows:
        print(f"{name:<22} {CALLS:>5} {median:>10.2f} {high:>8.2f}")
    print(
        f"{'ratio (new / shared)':<22} {'':>5} {ratio_median:>9.1f}x {ratio_p95:>7.1f}x"
    )
    verdict = "met" if ratio_median >= TARGET_RATIO else "NOT met"
    print(
        f"target: shared at least {TARGET_RATIO:g}x faster per call (median): {verdict}"
    )


if __name__ == "__main__":
    main()
