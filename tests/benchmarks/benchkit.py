"""What every benchmark script shares: settings on a throw-away database, and
figures printed with their reference and ratio.

The scripts measure; they never fail on a figure. ``run_all.py`` runs them in one
process and prints one summary table.
"""

from __future__ import annotations

import atexit
import gc
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Figure:
    """One measured figure beside the reference it is judged against."""

    name: str
    value: float
    reference_name: str
    reference: float
    unit: str
    # The target as words, e.g. "<= 0.30x", and whether this run met it.
    target: str
    met: bool

    @property
    def ratio(self) -> float:
        return self.value / self.reference if self.reference else float("inf")


def configure_django(prefix: str, database_url: str = "", **environ: str) -> None:
    """Load the project's settings as production runs them, on a database of
    this run's own, and collect the static files.

    Production runs with DEBUG off: no query log, templates without debug
    information, static files under hashed names. Figures taken with DEBUG on
    would time the development server's conveniences.
    """
    if "django" in sys.modules and _configured():
        return
    from cryptography.fernet import Fernet

    # The database and the collected files go with the process.
    directory = Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "luminous_admin.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault(
        "LUMINOUS_ADMIN_ENCRYPTION_KEY", Fernet.generate_key().decode()
    )
    os.environ["DATABASE_URL"] = database_url or (
        f"sqlite:///{directory / 'bench.sqlite3'}"
    )
    os.environ["DJANGO_DEBUG"] = "0"
    # Loopback only, so no TLS and no HTTPS redirect.
    os.environ["DJANGO_HTTPS"] = "0"
    os.environ["DJANGO_STATIC_ROOT"] = str(directory / "static")
    # The test client's host name, and the address gunicorn listens on.
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.update(environ)

    import django
    from django.core.management import call_command

    django.setup()
    # A log line per request would time the console, not the app.
    logging.getLogger("channels_ui").setLevel(logging.WARNING)
    logging.getLogger("django").setLevel(logging.ERROR)
    call_command("collectstatic", verbosity=0, interactive=False)


def _configured() -> bool:
    from django.conf import settings

    return settings.configured


def turn_about_ms(
    runs: int, *calls: Callable[[], object], block: int = 10
) -> list[list[float]]:
    """Time every call ``runs`` times, in turns of ``block`` calls each; return
    each one's times.

    Taking turns, every call meets the machine's slow spells alike, so the
    ratios between them hold; within a turn a call runs warm, as a server
    repeating one kind of request does. The garbage a turn leaves is collected
    before the next one starts, so that no call pays for another's.
    """
    durations: list[list[float]] = [[] for _ in calls]
    for _ in range(0, runs, block):
        for call, taken in zip(calls, durations, strict=True):
            gc.collect()
            call()  # Untimed: the first of a turn warms what the last turn cooled.
            for _ in range(block):
                started = time.perf_counter()
                call()
                taken.append((time.perf_counter() - started) * 1000)
    return durations


def expect_status(response: object, status: int) -> None:
    """Stop the run if a timed request did not do what it was meant to."""
    actual = getattr(response, "status_code", None)
    if actual != status:
        raise SystemExit(f"Expected HTTP {status}, got {actual}: figures would lie.")


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) > 1 else values[0]


def print_figures(title: str, figures: list[Figure]) -> None:
    print(f"\n{title}")
    print(f"  {'figure':<38} {'value':>10} {'reference':>28} {'ratio':>8}  target")
    for figure in figures:
        value = f"{figure.value:.2f} {figure.unit}"
        reference = f"{figure.reference_name} {figure.reference:.2f}"
        verdict = "met" if figure.met else "NOT MET"
        print(
            f"  {figure.name:<38} {value:>10} {reference:>28} "
            f"{figure.ratio:>7.2f}x  {figure.target} ({verdict})"
        )


class SimulatorProcess:
    """The simulator in a process of its own, as Luminous would be: a simulator
    thread inside the measured process would compete with it for the GIL."""

    def __init__(self, *, token: str, latency: float = 0.0) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_simulator",
                f"--port={self.port}",
                f"--token={token}",
                f"--latency={latency}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        banner = self.process.stdout.readline() if self.process.stdout else ""
        if "simulator on" not in banner:
            self.process.kill()
            raise SystemExit(f"The simulator did not start: {banner!r}")
        self.base_url = f"http://127.0.0.1:{self.port}/external/api/v1"

    def __enter__(self) -> SimulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(title: str, figures: list[Figure]) -> None:
    """Print a script's figures; under run_all.py, also hand them to the summary."""
    print_figures(title, figures)
    summary = os.environ.get(SUMMARY_FILE_VARIABLE)
    if summary:
        with open(summary, "a") as handle:
            for figure in figures:
                handle.write(json.dumps(asdict(figure)) + "\n")


SUMMARY_FILE_VARIABLE = "LUMINOUS_BENCH_SUMMARY"


def prepared_app(*, token: str, environment: str = "staging") -> tuple[Any, Any, Any]:
    """Migrate, then make an operator, a connection and a signed-in client.

    Returns (user, connection, client); call after configure_django().
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from channels_ui.roles import OPERATORS
    from channels_ui.services import connection_create

    call_command("migrate", verbosity=0)
    # An operator, as the people who create channels are: unlike a superuser,
    # each request checks the role's permissions.
    user = get_user_model().objects.create_user(
        f"bench-{os.getpid()}", password="bench-pw-1"
    )
    user.groups.add(Group.objects.get(name=OPERATORS))
    connection = connection_create(
        name="Bench",
        subdomain=f"bench{os.getpid()}",
        environment=environment,
        token=token,
    )
    client = Client()
    client.force_login(user)
    return user, connection, client
