"""Figures, not a test: the audit list against the Django admin at 100,000 entries.

Builds a throw-away SQLite database in a temporary directory, fills it with
100,000 chained audit entries across 20 companies (bulk_create), then requests
four pages through the test client, from the app and from the admin changelist
with the same filters: the first page, one company's created entries, a page
90% deep and a label search. The app's page and the admin's are requested turn
about. Prints the median time over the runs and the number of queries of each,
and the ratio app / admin.

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_audit_list.py [--entries N] [--runs N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from benchkit import Figure, configure_django, median, report, turn_about_ms

COMPANIES = 20
USERS = 10
# How deep the deep page is, as a share of all entries.
DEEP_SHARE = 0.9
SEARCH = "Outlet Nordic"
TARGET_MS = 50.0
TARGET_RATIO = 0.25
WORDS = [
    "Wholesale",
    "Retail",
    "Marketplace",
    "B2B",
    "Dropship",
    "EDI",
    "Outlet",
    "Pop-up",
]
REGIONS = [
    "EU",
    "US",
    "Nordic",
    "APAC",
    "UK",
    "LATAM",
    "Iberia",
    "Benelux",
    "DACH",
    "Baltics",
    "Canada",
    "Gulf",
]
OUTCOMES = (
    ["created"] * 14
    + ["validation_failed"] * 3
    + ["rate_limited", "server_error", "unauthorized"]
)


def fill(entries: int) -> None:
    """Create companies, users and ``entries`` audit entries, chained in order."""
    from django.contrib.auth import get_user_model

    from channels_ui.audit.chain import HEAD_PK, completion_digest, creation_digest
    from channels_ui.models import GENESIS_HASH, AuditChainHead, AuditEntry, Connection

    rng = random.Random(6)
    connections = []
    for n in range(COMPANIES):
        connection = Connection(
            name=f"Company {n:02d}", subdomain=f"co-{n:02d}", environment="staging"
        )
        connection.set_token(f"bench-token-{n:02d}")
        connection.save()
        connections.append(connection)
    users = [
        get_user_model().objects.create_user(f"user{n}", password=None)
        for n in range(USERS)
    ]
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / entries
    previous, seq, batch = GENESIS_HASH, 0, []
    for n in range(1, entries + 1):
        connection, user = rng.choice(connections), rng.choice(users)
        label = f"{rng.choice(WORDS)} {rng.choice(REGIONS)} {n}"
        request = {
            "channelType": "sales_channel",
            "label": label,
            "warehouseGroupId": rng.randint(1, 50),
            "tagIds": [3, 7],
        }
        seq += 1
        entry = AuditEntry(
            id=n,
            created_at=start + step * n,
            user=user,
            username=user.username,
            connection=connection,
            connection_name=connection.name,
            subdomain=connection.subdomain,
            environment=connection.environment,
            channel_type="sales_channel",
            label=label,
            request_json=request,
            chain_seq=seq,
        )
        entry.entry_hash = previous = creation_digest(entry, previous)
        if rng.random() > 0.01:
            complete(entry, rng, n)
            seq += 1
            entry.completion_seq = seq
            entry.completion_hash = previous = completion_digest(entry, previous)
        batch.append(entry)
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    AuditChainHead.objects.create(pk=HEAD_PK, seq=seq, digest=previous)


def complete(entry: object, rng: random.Random, n: int) -> None:
    outcome = rng.choice(OUTCOMES)
    entry.completed_at = entry.created_at + timedelta(milliseconds=300)
    entry.outcome = outcome
    entry.duration_ms = rng.randint(80, 900)
    if outcome == "created":
        entry.response_status = 201
        entry.channel_id, entry.channel_uuid = 100_000 + n, f"uuid-{n}"
        entry.response_json = {
            "data": {"id": entry.channel_id, "uuid": f"uuid-{n}", "label": entry.label}
        }
    else:
        entry.response_status = 422 if outcome == "validation_failed" else 500
        entry.response_json = {"message": "Refused.", "errors": {"label": ["Taken."]}}
        entry.message = "Refused."


def first_look(client: Any, url: str) -> tuple[int, int]:
    """Request a page once; return its status and how many queries it made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    # Counted now: each later request empties the connection's query log.
    return status, len(queries)


def scenarios(entries: int) -> list[tuple[str, str, str]]:
    from channels_ui.models import AuditEntry

    depth = int(entries * DEEP_SHARE)
    deep = AuditEntry.objects.order_by("-created_at", "-id")[depth - 1]
    cursor = f"{deep.created_at.astimezone(UTC):%Y%m%dT%H%M%S%f}-{deep.id}"
    admin = "/admin/channels_ui/auditentry/"
    query = SEARCH.replace(" ", "+")
    return [
        ("first page", "/audit/", admin),
        (
            "company + outcome",
            "/audit/?company=co-07&outcome=created",
            f"{admin}?subdomain=co-07&outcome__exact=created",
        ),
        (
            f"deep page ({depth:,} in)",
            f"/audit/?older={cursor}",
            f"{admin}?p={depth // 50 + 1}",
        ),
        (f"label search {SEARCH!r}", f"/audit/?q={query}", f"{admin}?q={query}"),
    ]


def figures(entries: int = 100_000, runs: int = 60) -> list[Figure]:
    configure_django("audit")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(entries)
    print(f"  filled {entries:,} entries in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("verify_audit_log")
    print(f"  verify_audit_log took {time.perf_counter() - started:.1f} s")

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.create_superuser("bench", "", None))
    print(f"  median of {runs} runs; queries of one run")
    print(f"  {'page':<30}{'app ms':>9}{'q':>4}{'admin ms':>10}{'q':>4}{'ratio':>8}")
    results = []
    for name, ours, theirs in scenarios(entries):
        app_status, app_q = first_look(client, ours)
        admin_status, admin_q = first_look(client, theirs)
        app_times, admin_times = turn_about_ms(
            runs, partial(client.get, ours), partial(client.get, theirs)
        )
        app_ms, admin_ms = median(app_times), median(admin_times)
        if (app_status, admin_status) != (200, 200):
            raise SystemExit(f"{name}: status {app_status} / {admin_status}")
        results.append((name, app_ms, app_q, admin_ms))
        print(
            f"  {name:<30}{app_ms:>9.1f}{app_q:>4}{admin_ms:>10.1f}{admin_q:>4}"
            f"{app_ms / admin_ms:>7.2f}x"
        )
    constant = len({queries for _, _, queries, _ in results}) == 1
    print(f"  same number of queries on every page: {constant}")
    return [
        Figure(
            f"audit list: {name}",
            app_ms,
            "admin changelist",
            admin_ms,
            "ms",
            f"<= {TARGET_RATIO:.2f}x, < {TARGET_MS:.0f} ms, constant queries",
            app_ms / admin_ms <= TARGET_RATIO and app_ms < TARGET_MS and constant,
        )
        for name, app_ms, _, admin_ms in results
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    report(f"Audit list at {args.entries:,} entries", figures(args.entries, args.runs))
