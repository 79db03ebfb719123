"""The shared HTTP client: one per process, kept alive, configured from settings."""

from __future__ import annotations

import re
import threading

from client_helpers import ACME, SALES

from channels_ui.luminous import client
from channels_ui.luminous.outcomes import OutcomeKind


def test_calls_share_one_client(simulator) -> None:
    assert client.shared_client() is client.shared_client()


def test_threads_share_one_client() -> None:
    start = threading.Barrier(8)
    seen: list[int] = []

    def fetch() -> None:
        start.wait()
        seen.append(id(client.shared_client()))

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1


def test_consecutive_calls_reuse_one_connection(simulator) -> None:
    for _ in range(3):
        client.get(ACME, "/warehouses")
    client.channel_create(ACME, SALES)
    assert len({r.remote_port for r in simulator.requests}) == 1


def test_concurrent_creates_through_the_shared_client_all_succeed(simulator) -> None:
    kinds: list[OutcomeKind] = []

    def create(n: int) -> None:
        kinds.append(client.channel_create(ACME, SALES | {"label": f"T{n}"}).kind)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (kinds.count(OutcomeKind.CREATED), len(simulator.channels("acme"))) == (
        8,
        8,
    )


def test_it_times_out_connecting_after_5_seconds_by_default() -> None:
    assert client.shared_client().timeout.connect == 5.0


def test_it_times_out_reading_after_30_seconds_by_default() -> None:
    assert client.shared_client().timeout.read == 30.0


def test_it_takes_the_timeouts_from_settings(settings) -> None:
    settings.LUMINOUS_CONNECT_TIMEOUT = 2.5
    settings.LUMINOUS_READ_TIMEOUT = 12.0
    timeout = client.shared_client().timeout
    assert (timeout.connect, timeout.read) == (2.5, 12.0)


def test_it_does_not_follow_redirects() -> None:
    assert client.shared_client().follow_redirects is False


def test_it_asks_for_and_sends_json(simulator) -> None:
    client.channel_create(ACME, SALES)
    (request,) = simulator.requests
    assert (request.headers["accept"], request.headers["content-type"]) == (
        "application/json",
        "application/json",
    )


def test_it_names_the_app_and_its_version_in_the_user_agent(simulator) -> None:
    client.get(ACME, "/warehouses")
    (request,) = simulator.requests
    assert re.fullmatch(
        r"luminous-admin/\d+\.\d+\.\d+\S*", request.headers["user-agent"]
    )


def test_it_sends_the_token_as_a_bearer_token(simulator) -> None:
    client.get(ACME, "/warehouses")
    assert [r.tenant for r in simulator.requests] == ["acme"]


def test_sandbox_calls_reach_the_in_process_simulator() -> None:
    target = client.Target("play", "any-token", sandbox=True)
    outcome = client.channel_create(target, SALES)
    assert (outcome.kind, len(client.sandbox_app().channels("sandbox"))) == (
        OutcomeKind.CREATED,
        1,
    )


def test_sandbox_and_real_calls_use_separate_clients() -> None:
    assert client.shared_client(sandbox=True) is not client.shared_client()
