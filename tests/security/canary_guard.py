"""A pytest plugin that fails any test whose pages or logs show a secret.

For the whole run the encryption key is a canary key and the connection fixtures
use canary tokens. Every response the Django test client gets and every log
record that reaches the root logger is scanned; a test during which a canary
shows up fails, naming where it was seen. The only place a canary may live is
the encrypted column, which holds ciphertext, never the canary itself.

It is always on: scanning costs a substring search per response and record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.test.client import ClientHandler
from security.canaries import CANARY_KEY, leaks_in

findings: list[str] = []


def _note(where: str, text: str) -> None:
    findings.extend(f"{name} in {where}" for name in leaks_in(text))


def _response_text(response: HttpResponse | StreamingHttpResponse) -> str:
    parts = [
        response.serialize_headers().decode("latin-1"),
        response.cookies.output(),
    ]
    # A streamed body can be read only once, by the test itself.
    if not response.streaming:
        parts.append(response.content.decode("utf-8", "replace"))
    return "\n".join(parts)


def _scanning(call: Callable[..., Any]) -> Callable[..., Any]:
    def handle(self: ClientHandler, environ: dict[str, Any]) -> Any:
        response = call(self, environ)
        where = f"the response to {environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
        _note(where, _response_text(response))
        return response

    return handle


class ScanningHandler(logging.Handler):
    """Look for canaries in each record as any handler would write it."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        _note(f"the log record of {record.name}", self.format(record))


@pytest.fixture(scope="session", autouse=True)
def _canary_secrets() -> Iterator[None]:
    original_key = settings.LUMINOUS_ADMIN_ENCRYPTION_KEY
    original_call = ClientHandler.__call__
    handler = ScanningHandler()
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = CANARY_KEY
    ClientHandler.__call__ = _scanning(original_call)
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)
    ClientHandler.__call__ = original_call
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = original_key


@pytest.fixture(autouse=True)
def _no_canary_seen() -> Iterator[None]:
    findings.clear()
    yield
    seen, findings[:] = list(findings), []
    if seen:
        pytest.fail("A secret leaked: " + "; ".join(dict.fromkeys(seen)))
