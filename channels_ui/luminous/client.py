"""The only module that speaks HTTP to Luminous.

Reference: https://docs.joinluminous.com/api-reference (facts we rely on are
summarised in the project's API notes). Every call goes through one shared,
keep-alive ``httpx.Client`` per destination kind and ends as an ``Outcome``;
nothing here raises on a network fault or an error status.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import httpx
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

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

LIST_PAGE_SIZE = 100
MAX_LIST_PAGES = 50
MAX_TEXT_CHARS = 2000


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
        return _sandbox_app


def _build_client(sandbox: bool) -> httpx.Client:
    transport = httpx.WSGITransport(app=sandbox_app()) if sandbox else None
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
    client = _clients.get(sandbox)
    if client is None:
        built = _build_client(sandbox)
        with _clients_lock:
            client = _clients.setdefault(sandbox, built)
        if client is not built:
            built.close()
    return client


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


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


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
    if status == 429:
        retry_after = _retry_after(response)
        return Outcome(OutcomeKind.RATE_LIMITED, retry_after=retry_after, **common)
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


def _from_exception(
    method: str, path: str, exc: httpx.HTTPError, duration_ms: int
) -> Outcome:
    # Faults before the request left this machine cannot have had an effect;
    # anything later might have, and is reported as unknown.
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        kind, message = OutcomeKind.UNREACHABLE, "Timed out connecting."
    elif isinstance(exc, httpx.ConnectError):
        kind, message = OutcomeKind.UNREACHABLE, f"Could not connect: {exc}"
    elif isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        kind, message = OutcomeKind.UNREACHABLE, f"Bad API address: {exc}"
    elif isinstance(exc, httpx.TimeoutException):
        kind, message = OutcomeKind.OUTCOME_UNKNOWN, "Timed out waiting for a reply."
    else:
        kind = OutcomeKind.OUTCOME_UNKNOWN
        message = f"The connection failed after the request was sent: {exc}"
    return Outcome(kind, method=method, path=path, message=message,
                   duration_ms=duration_ms)  # fmt: skip


def send(
    target: Target,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: Mapping[str, Any] | None = None,
) -> Outcome:
    """Make one request, log one line about it, and return its outcome."""
    client = shared_client(sandbox=target.sandbox)
    url = base_url(target) + path
    headers = {"Authorization": f"Bearer {target.token}"}
    started = time.perf_counter()
    try:
        response = client.request(
            method, url, json=json, params=params, headers=headers
        )
    except httpx.HTTPError as exc:
        outcome = _from_exception(method, path, exc, _elapsed_ms(started))
    else:
        outcome = _from_response(method, path, response, _elapsed_ms(started))
    log = logger.warning if outcome.kind is OutcomeKind.BAD_RESPONSE else logger.info
    log(
        "%s %s company=%s outcome=%s status=%s duration_ms=%d",
        method,
        path,
        target.subdomain,
        outcome.kind,
        outcome.status if outcome.status is not None else "-",
        outcome.duration_ms,
    )
    return outcome


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def get(target: Target, path: str, params: Mapping[str, Any] | None = None) -> Outcome:
    """GET with up to two retries on 429/502/503/504, honouring Retry-After."""
    for attempt in range(MAX_GET_RETRIES + 1):
        outcome = send(target, "GET", path, params=params)
        if outcome.status not in RETRY_STATUSES or attempt == MAX_GET_RETRIES:
            return outcome
        wait = (
            outcome.retry_after
            if outcome.retry_after is not None
            else (DEFAULT_RETRY_WAIT)
        )
        _sleep(min(wait, MAX_RETRY_WAIT))
    return outcome


def channel_create(target: Target, payload: Mapping[str, Any]) -> Outcome:
    """POST /channels, once. Reference: api-reference/channels/create-channel."""
    outcome = send(target, "POST", "/channels", json=dict(payload))
    if outcome.kind is not OutcomeKind.OK:
        return outcome
    channel = outcome.data
    if not isinstance(channel, dict) or not isinstance(channel.get("id"), int):
        return Outcome(
            OutcomeKind.BAD_RESPONSE,
            method=outcome.method,
            path=outcome.path,
            status=outcome.status,
            body=outcome.body,
            message="The API accepted the request but did not return a channel.",
            duration_ms=outcome.duration_ms,
        )
    return Outcome(
        OutcomeKind.CREATED,
        method=outcome.method,
        path=outcome.path,
        status=outcome.status,
        body=outcome.body,
        message=outcome.message,
        duration_ms=outcome.duration_ms,
    )


def list_all(
    target: Target, path: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Fetch every page of a list endpoint; raise LookupFailed if any page fails."""
    items: list[dict[str, Any]] = []
    for page in range(1, MAX_LIST_PAGES + 1):
        query = {**(params or {}), "page": page, "per_page": LIST_PAGE_SIZE}
        outcome = get(target, path, query)
        if not outcome.succeeded:
            raise LookupFailed(outcome)
        data = outcome.data
        if not isinstance(data, list):
            raise LookupFailed(
                Outcome(OutcomeKind.BAD_RESPONSE, method="GET", path=path,
                        status=outcome.status, message="The list was not a list.")
            )  # fmt: skip
        items.extend(item for item in data if isinstance(item, dict))
        meta = outcome.body.get("meta")
        last_page = meta.get("last_page") if isinstance(meta, dict) else None
        if not isinstance(last_page, int) or page >= last_page:
            return items
    logger.warning(
        "GET %s company=%s stopped after %d pages", path, target.subdomain, page
    )
    return items


def warehouses_probe(target: Target) -> Outcome:
    """GET /warehouses?per_page=1: the cheapest call that proves a token works."""
    return get(target, "/warehouses", {"per_page": 1})
