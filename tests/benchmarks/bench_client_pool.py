"""Figures, not a test: the shared keep-alive client against a client per call.

Serves the simulator on loopback, creates 200 channels in a row through the
app's shared ``httpx.Client``, then 200 more with a new client (same headers and
timeouts) built and closed around each call, and prints milliseconds per call.

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_client_pool.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from benchkit import Figure, configure_django, p95, report

CALLS = 200
TOKEN = "bench-token"
TARGET_RATIO = 3.0


def timed(calls: int, call: Callable[[int], str]) -> list[float]:
    durations = []
    for n in range(calls):
        started = time.perf_counter()
        kind = call(n)
        durations.append((time.perf_counter() - started) * 1000)
        if kind != "created":
            raise SystemExit(f"Call {n} ended as {kind}, not created.")
    return durations


def figures() -> list[Figure]:
    # No query runs; an in-memory database keeps the project's own out of reach.
    configure_django("pool", "sqlite://:memory:")
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

    shared_median, fresh_median = (
        statistics.median(shared_ms),
        statistics.median(fresh_ms),
    )
    print(f"  POST /channels x {CALLS} per mode, simulator on loopback")
    for name, durations in (
        ("shared client", shared_ms),
        ("new client per call", fresh_ms),
    ):
        print(
            f"  {name:<22} median {statistics.median(durations):6.2f} ms, "
            f"p95 {p95(durations):6.2f} ms"
        )
    # Read as "how many times faster": the reference is the shared client.
    speedup = fresh_median / shared_median
    return [
        Figure(
            "new client per call / shared (median)",
            fresh_median,
            "shared client",
            shared_median,
            "ms",
            f">= {TARGET_RATIO:.0f}x",
            speedup >= TARGET_RATIO,
        ),
    ]


if __name__ == "__main__":
    report(f"Pooled client, {CALLS} calls per mode", figures())
