"""Figures, not a test: what the app adds to the time Luminous takes to create.

The simulator, in a process of its own, answers after 50 ms. Each run goes
through the steps a user does: it opens the form and asks for the review
(untimed), then times Confirm: the review page's form posted as a browser posts
it (URL-encoded, every hidden input it carries) until the result page has come
back. The reference is the upstream call itself: the time httpx took to send
the request and read the reply, taken around httpx's own request method (the
audit entry keeps it in whole milliseconds, too coarse for a 10% margin).

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_create_overhead.py
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any
from urllib.parse import urlencode

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
FORM_TYPE = "application/x-www-form-urlencoded"


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_inputs(html: str) -> list[tuple[str, str]]:
    """The name and value of each hidden input the review page's form carries."""
    return [(name, unescape(value)) for name, value in HIDDEN.findall(html)]


def post_form(browser: Any, data: Any) -> Any:
    """Post as a browser posts a form without a file input."""
    return browser.post("/channels/new/", urlencode(data), content_type=FORM_TYPE)


@contextmanager
def upstream_times() -> Iterator[list[float]]:
    """Collect how long each request the app sends through httpx takes, in ms."""
    import httpx

    taken: list[float] = []
    original = httpx.Client.request

    def timed(self: httpx.Client, *args: Any, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            taken.append((time.perf_counter() - started) * 1000)

    httpx.Client.request = timed  # type: ignore[method-assign]
    try:
        yield taken
    finally:
        httpx.Client.request = original  # type: ignore[method-assign]


def confirm_times(
    browser: Any, connection: Any, latency: float
) -> tuple[list[float], list[float]]:
    """Create RUNS channels with the simulator answering after ``latency``
    seconds; return each Confirm's time to the result page and its upstream
    time, in ms."""
    from django.conf import settings

    from channels_ui.luminous import client as luminous_client

    totals: list[float] = []
    upstream: list[float] = []
    with (
        SimulatorProcess(token=TOKEN, latency=latency) as simulator,
        upstream_times() as sent,
    ):
        settings.LUMINOUS_API_BASE_URL = simulator.base_url
        luminous_client.reset_clients()
        for run in range(RUNS):
            form = browser.get("/channels/new/", {"connection": connection.pk})
            token = re.search(r'name="form_token" value="([^"]+)"', form.text)[1]
            review = post_form(
                browser,
                {
                    "connection": connection.pk,
                    "form_token": token,
                    "_action": "review",
                    "channelType": "sales_channel",
                    "label": f"Bench {latency} {run}",
                    "warehouseGroupId": "12",
                },
            )
            expect_status(review, 200)
            body = urlencode(hidden_inputs(review.text) + [("_action", "send")])
            sent.clear()
            started = time.perf_counter()
            confirm = browser.post("/channels/new/", body, content_type=FORM_TYPE)
            totals.append((time.perf_counter() - started) * 1000)
            expect_status(confirm, 200)
            if "Channel created" not in confirm.text or len(sent) != 1:
                raise SystemExit(
                    "Confirm did not create one channel: figures would lie."
                )
            upstream.append(sent[0])
    return totals, upstream


def own_time(totals: list[float], upstream: list[float]) -> float:
    """The median of what the app adds to each call."""
    return median([total - sent for total, sent in zip(totals, upstream, strict=True)])


def figures() -> list[Figure]:
    configure_django("create")
    _user, connection, browser = prepared_app(token=TOKEN)
    totals, upstream = confirm_times(browser, connection, LATENCY_S)
    # The same steps against an instant simulator: what the app adds when the
    # CPU has not sat idle through a wait.
    instant = confirm_times(browser, connection, 0.0)
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
        ),
        Figure(
            "app's own time, instant upstream",
            own_time(*instant),
            "app's own time, 50 ms",
            own_time(totals, upstream),
            "ms",
            "(for information)",
            True,
        ),
    ]


if __name__ == "__main__":
    report(f"Create overhead, median of {RUNS} channels", figures())
