"""Figures, not a test: what the app adds to the time Luminous takes to create.

The simulator, in a process of its own, answers after 50 ms. Each run opens the
form (untimed, as a user
would), then times Confirm: the POST that sends the channel plus the result
page it leads to. The reference is the upstream call itself, as the client
measured it and the audit entry recorded it.

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_create_overhead.py
"""

from __future__ import annotations

import time

from benchkit import (
    Figure,
    SimulatorProcess,
    configure_django,
    expect_status,
    median,
    prepared_app,
    report,
)

RUNS = 60
LATENCY_S = 0.05
TARGET_RATIO = 1.10
TOKEN = "bench-token"


def figures() -> list[Figure]:
    configure_django("create")
    from django.conf import settings

    from channels_ui.luminous import client as luminous_client
    from channels_ui.models import AuditEntry

    _user, connection, browser = prepared_app(token=TOKEN)
    totals: list[float] = []
    upstream: list[float] = []

    with SimulatorProcess(token=TOKEN, latency=LATENCY_S) as simulator:
        settings.LUMINOUS_API_BASE_URL = simulator.base_url
        luminous_client.reset_clients()
        for run in range(RUNS):
            browser.get("/channels/new/", {"connection": connection.pk})
            data = {
                "connection": connection.pk,
                "form_token": f"bench-{run}",
                "_action": "send",
                "channelType": "sales_channel",
                "label": f"Bench {run}",
                "warehouseGroupId": "12",
            }
            started = time.perf_counter()
            confirm = browser.post("/channels/new/", data)
            expect_status(confirm, 302)
            expect_status(browser.get(confirm["Location"]), 200)
            totals.append((time.perf_counter() - started) * 1000)
            entry = AuditEntry.objects.get(form_token=f"bench-{run}")
            upstream.append(float(entry.duration_ms))

    value, reference = median(totals), median(upstream)
    return [
        Figure(
            "Confirm to result page (50 ms upstream)",
            value,
            "upstream POST /channels",
            reference,
            "ms",
            f"<= {TARGET_RATIO:.2f}x",
            value / reference <= TARGET_RATIO,
        )
    ]


if __name__ == "__main__":
    report(f"Create overhead, median of {RUNS} channels", figures())
