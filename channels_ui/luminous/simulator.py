"""An in-memory simulator of the Luminous external API's channel endpoints.

A plain WSGI app: tests drive it in-process through ``httpx.WSGITransport`` or
over loopback HTTP through ``serve()``; the in-app Sandbox uses it with
``accept_any_token=True``. The endpoints live in ``simulator_endpoints``, the
seed data in ``simulator_data``; this module adds tenants, authentication,
request recording and fault injection.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from channels_ui import rules
from channels_ui.luminous.simulator_data import SEED, Tenant, render_channel
from channels_ui.luminous.simulator_endpoints import (
    ApiError,
    Call,
    Response,
    insert_channel,
    route,
)
from channels_ui.luminous.simulator_http import (
    DROP_CONNECTION_KEY,
    SimulatorServer,
    serve,
)

__all__ = [
    "BASE_PATH",
    "SANDBOX_TENANT",
    "SEED",
    "Fault",
    "RecordedRequest",
    "Simulator",
    "SimulatorServer",
    "serve",
]

BASE_PATH = "/external/api/v1"
SANDBOX_TENANT = "sandbox"
# Looks like a response cut off mid-stream, so a client's JSON parser must fail.
MALFORMED_BODY = b'{"data": {"id": '


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    # Relative to BASE_PATH, like the paths given to ``Simulator.inject``; the
    # full path when the request was outside BASE_PATH.
    path: str
    query: dict[str, str]
    json: Any
    # Lower-case names; the Authorization header is never recorded.
    headers: dict[str, str]
    body: bytes
    tenant: str | None
    # The client's port when served over HTTP: one port means one connection.
    remote_port: int | None = None


@dataclass
class Fault:
    latency: float = 0
    status: int | None = None
    body: bytes | str | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: float | None = None
    drop: bool = False
    # Handle the request (state changes), then drop the reply: the case where a
    # client cannot know that its request took effect.
    drop_reply: bool = False
    malformed: bool = False
    # Requests left before the fault expires; None never expires.
    times: int | None = None

    @property
    def answers_instead(self) -> bool:
        """Whether the fault replaces the real handling (state stays untouched)."""
        return self.drop or self.retry_after is not None or self.status is not None


class Simulator:
    """WSGI app simulating the Luminous API for one or more tenants.

    ``tokens`` maps a bearer token to a tenant name; each tenant has its own
    state. With ``accept_any_token`` every other non-empty token belongs to the
    ``"sandbox"`` tenant.
    """

    def __init__(
        self, *, tokens: Mapping[str, str] | None = None, accept_any_token: bool = False
    ) -> None:
        self._tokens = dict(tokens or {})
        self._accept_any_token = accept_any_token
        self._lock = threading.Lock()
        self._tenants = self._fresh_tenants()
        self._requests: list[RecordedRequest] = []
        self._faults: dict[tuple[str, str], list[Fault]] = {}
        # Seconds added to every request, on top of any fault latency.
        self.latency: float = 0.0

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        """Forget channels, recorded requests, faults and latency."""
        with self._lock:
            self._tenants = self._fresh_tenants()
            self._requests.clear()
            self._faults.clear()
            self.latency = 0.0

    def inject(
        self,
        method: str,
        path: str,
        *,
        latency: float = 0,
        status: int | None = None,
        body: bytes | str | dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
        drop: bool = False,
        drop_reply: bool = False,
        malformed: bool = False,
        times: int | None = None,
    ) -> Fault:
        """Add a fault for ``method`` on ``path`` (relative to BASE_PATH).

        Faults for the same method and path apply in the order they were added,
        each until its ``times`` run out. ``drop``, ``retry_after`` and ``status``
        answer instead of the API; ``latency``, ``drop_reply`` and ``malformed``
        let the request be handled, then delay it, lose the reply or garble it.
        Both drops need the simulator run by ``serve()``.
        """
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for no limit).")
        fault = Fault(
            latency=latency,
            status=status,
            body=body,
            headers=dict(headers or {}),
            retry_after=retry_after,
            drop=drop,
            drop_reply=drop_reply,
            malformed=malformed,
            times=times,
        )
        with self._lock:
            key = (method.upper(), path.removeprefix(BASE_PATH))
            self._faults.setdefault(key, []).append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def channels(self, tenant: str | None = None) -> list[dict[str, Any]]:
        """Return a tenant's channels as the API renders them.

        ``tenant`` may be left out when the simulator has only one.
        """
        with self._lock:
            state = self._tenant(tenant)
            return [render_channel(state, c) for c in state.channels.values()]

    def integration_products(
        self, channel_id: int, *, tenant: str | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            channel = self._tenant(tenant).channels[channel_id]
            return [dict(product) for product in channel.products.values()]

    def seed_channels(
        self,
        tenant: str | None = None,
        count: int = 0,
        *,
        labels: Iterable[str] = (),
        channel_type: str = rules.ChannelType.SALES,
    ) -> list[dict[str, Any]]:
        """Add existing channels: one per label in ``labels``, then ``count`` more
        labelled "Existing channel <id>". Returns them as the API renders them."""
        with self._lock:
            state = self._tenant(tenant)
            labels = list(labels)
            # IDs are handed out in order, so each generated label names its ID.
            first_id = state.next_channel_id + len(labels)
            labels += [f"Existing channel {first_id + n}" for n in range(count)]
            added = []
            for label in labels:
                values = {
                    "channelType": channel_type,
                    "label": label,
                    "warehouseGroupId": SEED["warehouse_groups"][0]["id"],
                }
                channel = insert_channel(state, rules.build_payload(values))
                added.append(render_channel(state, channel))
            return added

    def set_api_locked(
        self, channel_id: int, locked: bool, *, tenant: str | None = None
    ) -> None:
        """Lock or unlock a channel as the Luminous UI can (the API cannot unlock)."""
        with self._lock:
            self._tenant(tenant).channels[channel_id].api_locked = locked

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"].upper()
        full_path = environ.get("PATH_INFO", "")
        inside = full_path.startswith(BASE_PATH + "/")
        path = full_path.removeprefix(BASE_PATH) if inside else full_path
        call = Call(
            dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)),
            _read_body(environ),
        )
        tenant = self._tenant_name(environ.get("HTTP_AUTHORIZATION", ""))
        with self._lock:
            self._requests.append(_record(method, path, call, environ, tenant))
            fault = self._take_fault(method, path) if inside else None
        delay = self.latency + (fault.latency if fault else 0)
        if delay > 0:
            time.sleep(delay)
        if fault and fault.drop:
            return _drop(environ, start_response)
        if fault and fault.answers_instead:
            response = _fault_response(fault)
        else:
            response = self._handle(method, path if inside else None, call, tenant)
        if fault and fault.drop_reply:
            return _drop(environ, start_response)
        if fault and fault.malformed:
            # A 204 cannot carry a body, and a garbled body is the point here.
            status = HTTPStatus.OK if response.status == 204 else response.status
            response = replace(response, status=status, body=MALFORMED_BODY)
        return _send(response, start_response)

    def _fresh_tenants(self) -> dict[str, Tenant]:
        names = set(self._tokens.values())
        if self._accept_any_token:
            names.add(SANDBOX_TENANT)
        return {name: Tenant(name) for name in sorted(names)}

    def _tenant(self, name: str | None) -> Tenant:
        if name is None:
            if len(self._tenants) != 1:
                raise ValueError(f"Name a tenant, one of {sorted(self._tenants)}.")
            return next(iter(self._tenants.values()))
        if name not in self._tenants:
            raise ValueError(f"Unknown tenant {name!r}.")
        return self._tenants[name]

    def _tenant_name(self, authorization: str) -> str | None:
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        if token in self._tokens:
            return self._tokens[token]
        return SANDBOX_TENANT if self._accept_any_token else None

    def _take_fault(self, method: str, path: str) -> Fault | None:
        queue = self._faults.get((method, path))
        if not queue:
            return None
        fault = queue[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times == 0:
                queue.pop(0)
        return fault

    def _handle(
        self, method: str, path: str | None, call: Call, tenant: str | None
    ) -> Response:
        try:
            # As in Laravel, an unknown route is a 404 before authentication.
            handler, ids = route(method, path)
            if tenant is None:
                raise ApiError(HTTPStatus.UNAUTHORIZED, "Unauthenticated.")
            with self._lock:
                return handler(self._tenants[tenant], call, *ids)
        except ApiError as error:
            return error.response


def _drop(
    environ: Mapping[str, Any], start_response: Callable[..., Any]
) -> list[bytes]:
    drop = environ.get(DROP_CONNECTION_KEY)
    if drop is None:
        raise RuntimeError("A drop fault needs the simulator run by serve().")
    drop()
    start_response("200 OK", [])
    return []


def _read_body(environ: Mapping[str, Any]) -> bytes:
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if not length:
        return stream.read()
    return stream.read(int(length))


def _record(
    method: str, path: str, call: Call, environ: Mapping[str, Any], tenant: str | None
) -> RecordedRequest:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_") and key != "HTTP_AUTHORIZATION"
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    try:
        body_json = json.loads(call.body) if call.body.strip() else None
    except ValueError:
        body_json = None
    port = environ.get("REMOTE_PORT")
    return RecordedRequest(
        method,
        path,
        call.query,
        body_json,
        headers,
        call.body,
        tenant,
        int(port) if port else None,
    )


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.retry_after is not None:
        headers.setdefault("Retry-After", f"{fault.retry_after:g}")
        status = fault.status or HTTPStatus.TOO_MANY_REQUESTS
    else:
        status = fault.status or HTTPStatus.OK
    body = fault.body
    if body is None:
        body = {"message": _reason(status)}
    return Response(status, body, headers)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _send(response: Response, start_response: Callable[..., Any]) -> list[bytes]:
    body = response.body
    if body is None:
        payload = b""
    elif isinstance(body, bytes):
        payload = body
    elif isinstance(body, str):
        payload = body.encode()
    else:
        payload = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if payload else {}
    headers |= response.headers
    status = int(response.status)
    # A 204 or 304 must not carry a Content-Length (RFC 9110).
    if status not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
        headers["Content-Length"] = str(len(payload))
    start_response(f"{status} {_reason(status)}", list(headers.items()))
    return [payload]
