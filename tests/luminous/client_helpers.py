"""Shared pieces of the API client's tests."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import httpx
from security.canaries import ACME_TOKEN

from channels_ui.luminous import client

ACME = client.Target(subdomain="acme", token=ACME_TOKEN)
SALES = {
    "channelType": "sales_channel",
    "label": "Phone orders",
    "warehouseGroupId": 12,
}


def closed_port() -> int:
    """Return a loopback port that nothing listens on (it was just released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_mock(
    handler: Callable[[httpx.Request], httpx.Response],
) -> list[httpx.Request]:
    """Send the shared client's requests to ``handler``; return those it saw.

    The settings fixture resets the shared clients after each test.
    """
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    mock = client.build_client(transport=httpx.MockTransport(record))
    client.replace_shared_client(mock)
    return seen


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``condition`` until it holds, for work the simulator finishes late."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
