"""The only module that speaks HTTP to Luminous.

Reference: https://docs.joinluminous.com/api-reference (facts we rely on are
summarised in the project's API notes). Every call goes through one shared,
keep-alive ``httpx.Client`` per destination kind and ends as an ``Outcome``;
nothing here raises on a network fault or an error status.
"""

from __future__ import annotations

import email.utils
import logging
import math
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import httpx
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.views.decorators.debug import sensitive_variables

from channels_ui.luminous.outcomes import (
    LookupFailed,
    Outcome,
    OutcomeKind,
    normalize_errors,
)
from channels_ui.validators import validate_subdomain

logger = logging.getLogger(__name__)

try:
    VERSION = metadata.version("luminous-admin")
except metadata.PackageNotFoundError:
    VERSION = "dev"
USER_AGENT = f"luminous-admin/{VERSION}"

# Sandbox connections reach the built-in simulator in-process; this host name is
# never resolved.
SANDBOX_BASE_URL = "http://sandbox.invalid/external/api/v1"

# Reads are retried on these; POST /channels never is, since a lost reply does
# not mean the channel was not created.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_GET_RETRIES = 2
MAX_RETRY_WAIT = 10.0
DEFAULT_RETRY_WAIT = 1.0

# Checks a successful reply against what its endpoint documents.
Shape = Callable[[Outcome], Outcome]

LIST_PAGE_SIZE = 100
MAX_LIST_PAGES = 50
MAX_TEXT_CHARS = 2000
LOGGED_BODY_CHARS = 200


@dataclass(frozen=True)
class Target:
    """Whom a call is for. The token is left out of repr so it never gets logged."""

    subdomain: str
    token: str = field(repr=False)
    sandbox: bool = False


_clients: dict[bool, httpx.Client] = {}
_clients_lock = threading.Lock()
_sandbox_app: Any = None


def sandbox_app() -> Any:
    """Return the process's simulator, which every sandbox connection shares."""
    global _sandbox_app
    with _clients_lock:
        if _sandbox_app is None:
            from channels_ui.luminous.simulator import Simulator

            _sandbox_app = Simulator(accept_any_token=True)
            _seed_sandbox(_sandbox_app)
        return _sandbox_app


# Existing channels for the sandbox company, so that its form suggests app
# integration accounts and tags the way a real company's would.
SANDBOX_DEMO_CHANNELS = (
    {"channelType": "sales_channel", "label": "Demo - Shopify US storefront",
     "warehouseGroupId": 12, "pullOrdersFromOms": True,
     "pullOrderAppIntegrationAccountId": 41, "tagIds": [3]},
    {"channelType": "end_to_end_channel", "label": "Demo - Amazon marketplace",
     "warehouseGroupId": 12, "pullOrdersFromOms": True,
     "pullOrderAppIntegrationAccountId": 43, "pullOrderOmsStoreId": "amzn-us",
     "tagIds": [9]},
    {"channelType": "fulfillment_channel", "label": "Demo - 3PL East ShipStation",
     "warehouseGroupId": 15, "pushOrdersToOms": True,
     "pushOrderAppIntegrationAccountId": 52, "pushStocksToOms": True,
     "pushStocksAppIntegrationAccountId": 53, "tagIds": [7]},
)  # fmt: skip


def _seed_sandbox(app: Any) -> None:
    with httpx.Client(transport=httpx.WSGITransport(app=app)) as seeder:
        for channel in SANDBOX_DEMO_CHANNELS:
            seeder.post(
                f"{SANDBOX_BASE_URL}/channels",
                json=channel,
                headers={"Authorization": "Bearer sandbox-seed"},
            ).raise_for_status()


def build_client(*, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """Return a new client with the app's headers, timeouts and redirect policy."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(
            settings.LUMINOUS_READ_TIMEOUT, connect=settings.LUMINOUS_CONNECT_TIMEOUT
        ),
        follow_redirects=False,
        headers={
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        },
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
    )


def shared_client(*, sandbox: bool = False) -> httpx.Client:
    """Return the process's client for real or sandbox calls, building it once."""
    client = _clients.get(sandbox)
    if client is None:
        transport = httpx.WSGITransport(app=sandbox_app()) if sandbox else None
        built = build_client(transport=transport)
        with _clients_lock:
            client = _clients.setdefault(sandbox, built)
        if client is not built:
            built.close()
    return client


def replace_shared_client(http: httpx.Client, *, sandbox: bool = False) -> None:
    """Install ``http`` as the shared client (tests, benchmarks); close the old one."""
    with _clients_lock:
        old = _clients.get(sandbox)
        _clients[sandbox] = http
    if old is not None and old is not http:
        old.close()


def reset_clients() -> None:
    """Close the shared clients; the next call builds them from current settings."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.close()


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs: Any) -> None:
    if setting.startswith("LUMINOUS_"):
        reset_clients()


def base_url(target: Target) -> str:
    if target.sandbox:
        return SANDBOX_BASE_URL
    # Checked again here because the host name is built from it.
    validate_subdomain(target.subdomain)
    return settings.LUMINOUS_API_BASE_URL.format(company=target.subdomain).rstrip("/")


def retry_after_seconds(raw: str | None) -> float | None:
    """Read a Retry-After value, in seconds or as an HTTP date; None if unusable."""
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        # A date without a zone ("-0000") is UTC by RFC 5322.
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _from_response(
    method: str, path: str, response: httpx.Response, duration_ms: int
) -> Outcome:
    status = response.status_code
    try:
        body = response.json()
        text = ""
    except ValueError:
        body = None
        text = response.text[:MAX_TEXT_CHARS]
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        message = response.reason_phrase
    common = dict(
        method=method,
        path=path,
        status=status,
        body=body,
        text=text,
        message=message,
        duration_ms=duration_ms,
    )
    if 200 <= status < 300:
        if not isinstance(body, dict) or "data" not in body:
            return Outcome(
                OutcomeKind.BAD_RESPONSE,
                **common | {"message": "The reply was not the documented JSON."},
            )
        return Outcome(OutcomeKind.OK, **common)
    if status == 422:
        errors = normalize_errors(
            body.get("errors") if isinstance(body, dict) else None
        )
        return Outcome(OutcomeKind.VALIDATION_FAILED, errors=errors, **common)
    # A 503 may carry Retry-After too; the GET retry loop honours it.
    if status in RETRY_STATUSES:
        common["retry_after"] = retry_after_seconds(response.headers.get("Retry-After"))
    if status == 429:
        return Outcome(OutcomeKind.RATE_LIMITED, **common)
    kind = {
        401: OutcomeKind.UNAUTHORIZED,
        403: OutcomeKind.FORBIDDEN,
        404: OutcomeKind.NOT_FOUND,
        409: OutcomeKind.CONFLICT,
    }.get(status)
    if kind is None:
        if status >= 500:
            kind = OutcomeKind.SERVER_ERROR
        elif status >= 400:
            kind = OutcomeKind.REJECTED
        else:
            kind = OutcomeKind.BAD_RESPONSE
    return Outcome(kind, **common)


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """Find an exception of ``kind`` in the chain httpx and httpcore wrap around."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _connect_message(exc: httpx.ConnectError) -> str:
    if (cause := _cause(exc, socket.gaierror)) is not None:
        return f"Could not resolve the API host name: {cause}"
    if (cause := _cause(exc, ssl.SSLError)) is not None:
        return f"The TLS handshake with the API failed: {cause}"
    if _cause(exc, ConnectionRefusedError) is not None:
        return "The API host refused the connection."
    return f"Could not connect: {exc}"


def _from_exception(
    method: str, path: str, exc: Exception, duration_ms: int
) -> Outcome:
    # Faults before the request left this machine cannot have had an effect;
    # anything later might have, and is reported as unknown.
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        kind, message = OutcomeKind.UNREACHABLE, "Timed out connecting."
    elif isinstance(exc, httpx.ConnectError):
        kind, message = OutcomeKind.UNREACHABLE, _connect_message(exc)
    elif isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        kind, message = OutcomeKind.UNREACHABLE, f"Bad API address: {exc}"
    elif isinstance(exc, httpx.TimeoutException):
        kind, message = OutcomeKind.OUTCOME_UNKNOWN, "Timed out waiting for a reply."
    else:
        kind = OutcomeKind.OUTCOME_UNKNOWN
        message = f"The connection failed after the request was sent: {exc}"
    return Outcome(kind, method=method, path=path, message=message,
                   duration_ms=duration_ms)  # fmt: skip


@sensitive_variables("headers")
def send(
    target: Target,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: Mapping[str, Any] | None = None,
    shape: Shape | None = None,
) -> Outcome:
    """Make one request, log one line about it, and return its outcome.

    ``shape`` checks a successful reply against what the endpoint documents and
    may turn it into another outcome (created, bad response) before it is logged.
    """
    client = shared_client(sandbox=target.sandbox)
    url = base_url(target) + path
    headers = {"Authorization": f"Bearer {target.token}"}
    started = time.perf_counter()
    try:
        response = client.request(
            method, url, json=json, params=params, headers=headers
        )
    # InvalidURL is not an HTTPError; it comes from a bad LUMINOUS_API_BASE_URL.
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        outcome = _from_exception(method, path, exc, _elapsed_ms(started))
    else:
        outcome = _from_response(method, path, response, _elapsed_ms(started))
        if shape is not None and outcome.kind is OutcomeKind.OK:
            outcome = shape(outcome)
    _log(target, outcome)
    return outcome


def _log(target: Target, outcome: Outcome) -> None:
    line = "%s %s company=%s outcome=%s status=%s duration_ms=%d"
    args: list[Any] = [
        outcome.method,
        outcome.path,
        target.subdomain,
        outcome.kind,
        outcome.status if outcome.status is not None else "-",
        outcome.duration_ms,
    ]
    if outcome.kind is OutcomeKind.BAD_RESPONSE:
        # An undocumented reply is an anomaly worth a look at what came back.
        excerpt = outcome.text or repr(outcome.body)
        logger.warning(line + " body=%r", *args, excerpt[:LOGGED_BODY_CHARS])
    else:
        logger.info(line, *args)


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def get(
    target: Target,
    path: str,
    params: Mapping[str, Any] | None = None,
    *,
    shape: Shape | None = None,
) -> Outcome:
    """GET with up to two retries on 429/502/503/504, honouring Retry-After."""
    for attempt in range(MAX_GET_RETRIES + 1):
        outcome = send(target, "GET", path, params=params, shape=shape)
        if outcome.status not in RETRY_STATUSES or attempt == MAX_GET_RETRIES:
            return outcome
        wait = outcome.retry_after
        _sleep(min(DEFAULT_RETRY_WAIT if wait is None else wait, MAX_RETRY_WAIT))
    return outcome


def _created_channel(outcome: Outcome) -> Outcome:
    channel = outcome.data
    channel_id = channel.get("id") if isinstance(channel, dict) else None
    if not isinstance(channel_id, int) or isinstance(channel_id, bool):
        return replace(
            outcome,
            kind=OutcomeKind.BAD_RESPONSE,
            message="The API accepted the request but did not return a channel.",
        )
    return replace(outcome, kind=OutcomeKind.CREATED)


def channel_create(target: Target, payload: Mapping[str, Any]) -> Outcome:
    """POST /channels, once: a lost reply does not mean nothing was created.

    Reference: https://docs.joinluminous.com/api-reference/channels/create-channel
    """
    return send(target, "POST", "/channels", json=dict(payload), shape=_created_channel)


def _page(outcome: Outcome) -> Outcome:
    if isinstance(outcome.data, list):
        return outcome
    return replace(
        outcome, kind=OutcomeKind.BAD_RESPONSE, message="The list was not a list."
    )


def list_all(
    target: Target, path: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Fetch every page of a list endpoint; raise LookupFailed if any page fails."""
    items: list[dict[str, Any]] = []
    for page in range(1, MAX_LIST_PAGES + 1):
        query = {**(params or {}), "page": page, "per_page": LIST_PAGE_SIZE}
        outcome = get(target, path, query, shape=_page)
        if not outcome.succeeded:
            raise LookupFailed(outcome)
        items.extend(item for item in outcome.data if isinstance(item, dict))
        meta = outcome.body.get("meta")
        last_page = meta.get("last_page") if isinstance(meta, dict) else None
        # Without a usable last_page there is no way to know more pages exist.
        if not isinstance(last_page, int) or page >= last_page:
            return items
    logger.warning(
        "GET %s company=%s stopped after %d pages", path, target.subdomain, page
    )
    return items


def warehouses_probe(target: Target) -> Outcome:
    """GET /warehouses?per_page=1: the cheapest call that proves a token works."""
    return get(target, "/warehouses", {"per_page": 1}, shape=_page)
