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

import tempfile
import time
from pathlib import Path

from benchkit import (
    Figure,
    SimulatorProcess,
    configure_django,
    expect_status,
    median,
    print_figures,
)

RUNS = 60
LATENCY_S = 0.05
TARGET_RATIO = 1.10
TOKEN = "bench-token"


def figures() -> list[Figure]:
    directory = Path(tempfile.mkdtemp(prefix="bench-create-"))
    configure_django(f"sqlite:///{directory / 'bench.sqlite3'}")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from channels_ui.luminous import client as luminous_client
    from channels_ui.models import AuditEntry
    from channels_ui.services import connection_create

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", password="bench-pw-1")
    connection = connection_create(
        name="Bench", subdomain="bench", environment="staging", token=TOKEN
    )
    browser = Client()
    browser.force_login(user)
    totals: list[float] = []
    upstream: list[float] = []

    with SimulatorProcess(token=TOKEN, latency=LATENCY_S) as simulator:
        settings.LUMINOUS_API_BASE_URL = simulator.base_url
        luminous_client.reset_clients()
        for run in range(RUNS):
            browser.get("/channels/new/", {"connection": connection.pk})
            data = {
                "connection": connection.pk, "form_token": f"bench-{run}",
                "_action": "send", "channelType": "sales_channel",
                "label": f"Bench {run}", "warehouseGroupId": "12",
            }  # fmt: skip
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
        )  # fmt: skip
    ]


if __name__ == "__main__":
    print_figures(f"Create overhead, median of {RUNS} channels", figures())
