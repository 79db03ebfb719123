"""POST /channels is sent once, whatever comes back; GET lookups may retry."""

from __future__ import annotations

import httpx
import pytest
from client_helpers import ACME, SALES, use_mock, wait_until

from channels_ui.luminous import client
from channels_ui.luminous.outcomes import OutcomeKind


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """Record the retry waits instead of sleeping through them."""
    recorded: list[float] = []
    monkeypatch.setattr(client, "_sleep", recorded.append)
    return recorded


def sent(simulator, method: str, path: str) -> int:
    return sum(1 for r in simulator.requests if (r.method, r.path) == (method, path))


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 503},
        {"retry_after": 0},
        {"status": 502},
        {"status": 504},
        {"drop": True},
        {"malformed": True},
    ],
    ids=["503", "429", "502", "504", "drop", "malformed"],
)
def test_a_create_is_sent_exactly_once(simulator, waits, fault) -> None:
    simulator.inject("POST", "/channels", **fault)
    client.channel_create(ACME, SALES)
    assert sent(simulator, "POST", "/channels") == 1


def test_a_create_never_waits_to_retry(simulator, waits) -> None:
    simulator.inject("POST", "/channels", retry_after=3)
    client.channel_create(ACME, SALES)
    assert waits == []


def test_a_timed_out_create_is_not_sent_again(simulator, settings, waits) -> None:
    settings.LUMINOUS_READ_TIMEOUT = 0.1
    simulator.inject("POST", "/channels", latency=0.3)
    client.channel_create(ACME, SALES)
    # Let the simulator finish, so nothing it does lands in the next test.
    assert wait_until(lambda: len(simulator.channels("acme")) == 1)
    assert sent(simulator, "POST", "/channels") == 1


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_a_get_is_retried_after_a_passing_failure(simulator, waits, status) -> None:
    simulator.inject("GET", "/warehouses", status=status, times=1)
    outcome = client.get(ACME, "/warehouses")
    assert (outcome.kind, sent(simulator, "GET", "/warehouses")) == (
        OutcomeKind.OK,
        2,
    )


def test_a_get_waits_one_second_without_retry_after(simulator, waits) -> None:
    simulator.inject("GET", "/warehouses", status=503, times=1)
    client.get(ACME, "/warehouses")
    assert waits == [1.0]


def test_a_get_honours_retry_after(simulator, waits) -> None:
    simulator.inject("GET", "/warehouses", retry_after=2.5, times=1)
    client.get(ACME, "/warehouses")
    assert waits == [2.5]


def test_a_get_honours_retry_after_on_a_503(simulator, waits) -> None:
    simulator.inject(
        "GET", "/warehouses", status=503, headers={"Retry-After": "4"}, times=1
    )
    client.get(ACME, "/warehouses")
    assert waits == [4.0]


def test_a_get_waits_at_most_ten_seconds(simulator, waits) -> None:
    simulator.inject("GET", "/warehouses", retry_after=30, times=1)
    client.get(ACME, "/warehouses")
    assert waits == [10.0]


def test_a_get_retries_at_most_twice(simulator, waits) -> None:
    simulator.inject("GET", "/warehouses", status=503)
    outcome = client.get(ACME, "/warehouses")
    assert (outcome.kind, sent(simulator, "GET", "/warehouses"), waits) == (
        OutcomeKind.SERVER_ERROR,
        3,
        [1.0, 1.0],
    )


@pytest.mark.parametrize("status", [500, 401, 404, 422])
def test_a_get_is_not_retried_after_other_failures(simulator, waits, status) -> None:
    simulator.inject("GET", "/warehouses", status=status)
    client.get(ACME, "/warehouses")
    assert sent(simulator, "GET", "/warehouses") == 1


@pytest.mark.parametrize(
    "error", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError]
)
def test_a_get_is_not_retried_after_a_network_fault(waits, error) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error("fault", request=request)

    seen = use_mock(fail)
    client.get(ACME, "/warehouses")
    assert len(seen) == 1
