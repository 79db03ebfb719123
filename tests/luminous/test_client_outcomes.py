"""Every reply or fault of the Luminous API ends as one typed outcome.

Most cases run over real loopback HTTP against the simulator; MockTransport is
used only for faults loopback cannot produce (DNS, a connect timeout).
"""

from __future__ import annotations

import email.utils
import socket
import time

import httpx
import pytest
from client_helpers import ACME, SALES, closed_port, use_mock, wait_until

from channels_ui.luminous import client
from channels_ui.luminous.outcomes import OutcomeKind, error_location

INVALID = {
    "channelType": "sales_channel",
    "label": "No group",
    "tagIds": [3, 99],
    "integrationProducts": [
        {"channelSku": "CH-1", "sku": "LUM-1"},
        {"channelSku": "CH-1", "sku": "LUM-2"},
    ],
}


def create() -> client.Outcome:
    return client.channel_create(ACME, SALES)


def test_it_maps_a_201_with_a_channel_to_created(simulator) -> None:
    outcome = create()
    assert (outcome.kind, outcome.status) == (OutcomeKind.CREATED, 201)
    assert outcome.data["id"] == simulator.channels("acme")[0]["id"]


def test_it_maps_a_422_to_validation_failed(simulator) -> None:
    outcome = client.channel_create(ACME, INVALID)
    assert (outcome.kind, outcome.status) == (OutcomeKind.VALIDATION_FAILED, 422)


def test_it_keeps_the_message_and_errors_of_a_422(simulator) -> None:
    outcome = client.channel_create(ACME, INVALID)
    assert (
        outcome.message
        == "The warehouse group id field is required. (and 2 more errors)"
    )
    assert set(outcome.errors) == {
        "warehouseGroupId",
        "tagIds.1",
        "integrationProducts.1.channelSku",
    }


def test_it_locates_each_422_error_by_field_and_row(simulator) -> None:
    outcome = client.channel_create(ACME, INVALID)
    assert sorted(error_location(path) for path in outcome.errors) == [
        ("integrationProducts", 1, "channelSku"),
        ("tagIds", 1, None),
        ("warehouseGroupId", None, None),
    ]


def test_it_reads_a_bare_string_422_error_as_a_list(simulator) -> None:
    body = {"message": "Taken.", "errors": {"label": "Taken."}}
    simulator.inject("POST", "/channels", status=422, body=body)
    assert create().errors == {"label": ["Taken."]}


def test_it_maps_a_422_without_errors_to_validation_failed_with_none(
    simulator,
) -> None:
    simulator.inject("POST", "/channels", status=422, body="not json")
    outcome = create()
    assert (outcome.kind, outcome.errors) == (OutcomeKind.VALIDATION_FAILED, {})


def test_it_maps_a_401_to_unauthorized(simulator) -> None:
    outcome = client.channel_create(client.Target("acme", "not-a-token"), SALES)
    assert (outcome.kind, outcome.message) == (
        OutcomeKind.UNAUTHORIZED,
        "Unauthenticated.",
    )


def test_it_maps_a_put_on_a_locked_channel_to_forbidden(simulator) -> None:
    (channel,) = simulator.seed_channels("acme", 1)
    simulator.set_api_locked(channel["id"], True, tenant="acme")
    outcome = client.send(
        ACME, "PUT", f"/channels/{channel['id']}", json={"label": "Renamed"}
    )
    assert (outcome.kind, outcome.status) == (OutcomeKind.FORBIDDEN, 403)
    assert "locked" in outcome.message


def test_it_maps_a_403_on_create_to_forbidden(simulator) -> None:
    simulator.inject("POST", "/channels", status=403)
    assert create().kind is OutcomeKind.FORBIDDEN


def test_it_maps_a_404_to_not_found(simulator) -> None:
    outcome = client.get(ACME, "/channels/999")
    assert (outcome.kind, outcome.message) == (
        OutcomeKind.NOT_FOUND,
        "Channel not found.",
    )


def test_it_maps_a_409_to_conflict(simulator) -> None:
    simulator.inject("POST", "/channels", status=409, body={"message": "Duplicate."})
    outcome = create()
    assert (outcome.kind, outcome.message) == (OutcomeKind.CONFLICT, "Duplicate.")


def test_it_maps_another_4xx_to_rejected(simulator) -> None:
    outcome = client.send(ACME, "POST", "/channels", json=[SALES])
    assert (outcome.kind, outcome.status) == (OutcomeKind.REJECTED, 400)


def test_it_maps_a_429_to_rate_limited_with_retry_after(simulator) -> None:
    simulator.inject("POST", "/channels", retry_after=7)
    outcome = create()
    assert (outcome.kind, outcome.retry_after) == (OutcomeKind.RATE_LIMITED, 7.0)


def test_it_reads_a_retry_after_given_as_an_http_date(simulator) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    simulator.inject("POST", "/channels", status=429, headers={"Retry-After": when})
    assert 25 <= create().retry_after <= 31


def test_it_leaves_retry_after_empty_when_the_429_has_none(simulator) -> None:
    simulator.inject("POST", "/channels", status=429)
    assert create().retry_after is None


@pytest.mark.parametrize("raw", ["soon", "nan", "inf", ""])
def test_it_ignores_an_unusable_retry_after(raw) -> None:
    assert client.retry_after_seconds(raw) is None


def test_it_reads_a_past_retry_after_date_as_no_wait() -> None:
    assert client.retry_after_seconds("Mon, 01 Jan 2001 00:00:00 -0000") == 0.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_it_maps_a_5xx_to_server_error(simulator, status) -> None:
    simulator.inject("POST", "/channels", status=status)
    outcome = create()
    assert (outcome.kind, outcome.status) == (OutcomeKind.SERVER_ERROR, status)


def test_it_maps_a_dns_failure_to_unreachable() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        raise httpx.ConnectError("Name or service not known", request=request) from (
            cause
        )

    use_mock(fail)
    outcome = create()
    assert outcome.kind is OutcomeKind.UNREACHABLE
    assert outcome.message.startswith("Could not resolve the API host name")


def test_it_maps_a_refused_connection_to_unreachable(settings) -> None:
    settings.LUMINOUS_API_BASE_URL = f"http://127.0.0.1:{closed_port()}/api"
    outcome = create()
    assert (outcome.kind, outcome.message) == (
        OutcomeKind.UNREACHABLE,
        "The API host refused the connection.",
    )


def test_it_maps_a_tls_failure_to_unreachable(simulator, settings) -> None:
    plain_http = settings.LUMINOUS_API_BASE_URL
    settings.LUMINOUS_API_BASE_URL = plain_http.replace("http://", "https://")
    outcome = create()
    assert outcome.kind is OutcomeKind.UNREACHABLE
    assert outcome.message.startswith("The TLS handshake with the API failed")


def test_a_tls_failure_never_reaches_the_api(simulator, settings) -> None:
    plain_http = settings.LUMINOUS_API_BASE_URL
    settings.LUMINOUS_API_BASE_URL = plain_http.replace("http://", "https://")
    create()
    assert simulator.requests == []


def test_it_maps_a_connect_timeout_to_unreachable() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    use_mock(slow)
    assert create().kind is OutcomeKind.UNREACHABLE


@pytest.mark.parametrize("url", ["http://127.0.0.1:no-port/api", "ftp://127.0.0.1/api"])
def test_it_maps_a_bad_base_url_to_unreachable(settings, url) -> None:
    settings.LUMINOUS_API_BASE_URL = url
    outcome = create()
    assert outcome.kind is OutcomeKind.UNREACHABLE
    assert outcome.message.startswith("Bad API address")


def test_it_maps_a_read_timeout_to_outcome_unknown(simulator, settings) -> None:
    settings.LUMINOUS_READ_TIMEOUT = 0.2
    simulator.inject("POST", "/channels", latency=0.5)
    outcome = create()
    # The simulator finishes the request after the client gave up on it.
    assert wait_until(lambda: len(simulator.channels("acme")) == 1)
    assert (outcome.kind, outcome.message) == (
        OutcomeKind.OUTCOME_UNKNOWN,
        "Timed out waiting for a reply.",
    )


def test_it_maps_a_dropped_connection_to_outcome_unknown(simulator) -> None:
    simulator.inject("POST", "/channels", drop=True)
    assert create().kind is OutcomeKind.OUTCOME_UNKNOWN


def test_a_reply_lost_after_the_channel_was_created_is_outcome_unknown(
    simulator,
) -> None:
    simulator.inject("POST", "/channels", drop_reply=True)
    outcome = create()
    assert (outcome.kind, len(simulator.channels("acme"))) == (
        OutcomeKind.OUTCOME_UNKNOWN,
        1,
    )


def test_it_maps_a_2xx_that_is_not_json_to_bad_response(simulator) -> None:
    simulator.inject("POST", "/channels", malformed=True)
    outcome = create()
    assert (outcome.kind, outcome.status) == (OutcomeKind.BAD_RESPONSE, 201)
    assert outcome.text.startswith('{"data"')


def test_it_maps_a_2xx_without_data_to_bad_response(simulator) -> None:
    simulator.inject("POST", "/channels", status=201, body={"channel": {"id": 5}})
    outcome = create()
    assert (outcome.kind, outcome.message) == (
        OutcomeKind.BAD_RESPONSE,
        "The reply was not the documented JSON.",
    )


@pytest.mark.parametrize(
    "data", [{"uuid": "x"}, {"id": "5"}, {"id": True}, [{"id": 5}], None]
)
def test_it_maps_a_created_reply_without_a_channel_to_bad_response(
    simulator, data
) -> None:
    simulator.inject("POST", "/channels", status=201, body={"data": data})
    outcome = create()
    assert (outcome.kind, outcome.message) == (
        OutcomeKind.BAD_RESPONSE,
        "The API accepted the request but did not return a channel.",
    )


def test_it_maps_a_redirect_to_bad_response_without_following_it(
    simulator, settings
) -> None:
    elsewhere = f"{settings.LUMINOUS_API_BASE_URL}/warehouses"
    simulator.inject("POST", "/channels", status=302, headers={"Location": elsewhere})
    outcome = create()
    assert outcome.kind is OutcomeKind.BAD_RESPONSE
    assert [r.path for r in simulator.requests] == ["/channels"]


def test_it_maps_a_list_that_is_not_a_list_to_bad_response(simulator) -> None:
    simulator.inject("GET", "/warehouses", status=200, body={"data": {"id": 1}})
    assert client.warehouses_probe(ACME).kind is OutcomeKind.BAD_RESPONSE


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("label", ("label", None, None)),
        ("tagIds.1", ("tagIds", 1, None)),
        ("integrationProducts.3.channelSku", ("integrationProducts", 3, "channelSku")),
        ("integrationProducts.3", ("integrationProducts", 3, None)),
        ("pullOrdersFromOmsOptions.since", ("pullOrdersFromOmsOptions", None, "since")),
    ],
)
def test_error_location_splits_a_dotted_error_key(path, location) -> None:
    assert error_location(path) == location
