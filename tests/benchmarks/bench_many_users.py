"""Figures, not a test: fifty people creating channels at once for a minute.

Runs the production configuration under gunicorn with four workers on loopback,
with the simulator in a process of its own answering after 20 ms. Fifty
simulated users each loop: open the form, then confirm a new channel, whose
reply is its result page. Prints the median and p95 response times, the errors
(there must be none) and whether every attempt reached the audit log.

Uses PostgreSQL when DATABASE_URL names it, SQLite in a temporary folder
otherwise. Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_many_users.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO

import httpx
from benchkit import (
    ROOT,
    Figure,
    SimulatorProcess,
    configure_django,
    free_port,
    median,
    p95,
    prepared_app,
    report,
)

USERS = 50
WORKERS = 4
LATENCY_S = 0.02
TOKEN = "bench-token"


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.confirm_ms: list[float] = []
        self.all_ms: list[float] = []
        self.errors: list[str] = []
        self.attempts = 0

    def timed(
        self,
        browser: httpx.Client,
        kind: str,
        expected: int,
        method: str,
        url: str,
        **options: object,
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = browser.request(method, url, **options)
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors.append(f"{kind}: {exc.__class__.__name__}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.all_ms.append(elapsed)
            if kind == "confirm":
                self.confirm_ms.append(elapsed)
            if response.status_code != expected:
                self.errors.append(f"{kind}: HTTP {response.status_code}")
        return response if response.status_code == expected else None


def user_loop(
    n: int, base: str, session: str, connection: int, until: float, tally: Tally
) -> None:
    cookies = {"sessionid": session}
    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as browser:
        run = 0
        while time.monotonic() < until:
            form = tally.timed(
                browser,
                "form",
                200,
                "GET",
                "/channels/new/",
                params={"connection": connection},
            )
            if form is None:
                continue
            token = f"user{n}-run{run}"
            data = {
                "connection": connection,
                "form_token": token,
                "_action": "send",
                "channelType": "sales_channel",
                "label": f"Load {n}-{run}",
                "warehouseGroupId": "12",
            }
            headers = {"X-CSRFToken": browser.cookies.get("csrftoken", "")}
            with tally.lock:
                tally.attempts += 1
            confirm = tally.timed(
                browser,
                "confirm",
                200,
                "POST",
                "/channels/new/",
                data=data,
                headers=headers,
            )
            if confirm is not None and "Channel created" not in confirm.text:
                with tally.lock:
                    tally.errors.append("confirm: no result page")
            run += 1


def _show_problems(log: IO[str]) -> None:
    log.seek(0)
    lines = log.read().splitlines()
    problems = [line for line in lines if " WARNING " in line or " ERROR " in line]
    print(f"  server log: {len(lines)} lines, {len(problems)} warnings or errors")
    for line in problems[:20]:
        print(f"    {line}")


def figures(seconds: float = 60.0) -> list[Figure]:
    configure_django(
        "users",
        os.environ.get("DATABASE_URL", ""),
        LUMINOUS_ADMIN_LOCKOUT_MINUTES="1",
    )
    from django.test import Client

    from channels_ui.models import AuditEntry

    user, connection, _client = prepared_app(token=TOKEN)
    sessions = []
    for _ in range(USERS):
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    before = AuditEntry.objects.count()

    # A log line per call to the simulator would bury the figures; the server's
    # log goes to a file, and only its warnings and errors are shown.
    with (
        SimulatorProcess(token=TOKEN, latency=LATENCY_S) as simulator,
        tempfile.TemporaryFile("w+") as server_log,
    ):
        port = free_port()
        # configure_django() put the settings in this process's environment.
        env = os.environ | {"LUMINOUS_API_BASE_URL": simulator.base_url}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "luminous_admin.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stderr=server_log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base)
            tally = Tally()
            until = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=user_loop,
                    args=(n, base, sessions[n], connection.pk, until, tally),
                )
                for n in range(USERS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
            _show_problems(server_log)

    recorded = AuditEntry.objects.count() - before
    completed = AuditEntry.objects.exclude(outcome="pending").count() - before
    print(
        f"  {USERS} users, {seconds:.0f} s, {WORKERS} gunicorn workers, "
        f"simulator latency {LATENCY_S * 1000:.0f} ms"
    )
    print(
        f"  attempts {tally.attempts}, audit entries {recorded} "
        f"({completed} completed), errors {len(tally.errors)}"
    )
    if tally.errors:
        print("  first errors:", ", ".join(tally.errors[:5]))
    print(
        f"  every request: median {median(tally.all_ms):.0f} ms, "
        f"p95 {p95(tally.all_ms):.0f} ms"
    )
    clean = not tally.errors and recorded == tally.attempts == completed
    confirm_median = median(tally.confirm_ms)
    return [
        Figure(
            "Confirm, 50 users (median)",
            confirm_median,
            "upstream latency",
            LATENCY_S * 1000,
            "ms",
            "no errors, all audited",
            clean,
        ),
        Figure(
            "Confirm, 50 users (p95)",
            p95(tally.confirm_ms),
            "upstream latency",
            LATENCY_S * 1000,
            "ms",
            "(for information)",
            True,
        ),
    ]


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/accounts/login/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    arguments = parser.parse_args()
    report("Many users", figures(arguments.seconds))
