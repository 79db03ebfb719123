"""One INFO line per call, with what an operator needs and never the token."""

from __future__ import annotations

import logging
import re

import pytest
from client_helpers import ACME, SALES
from security.canaries import TOKEN_MARK

from channels_ui.luminous import client

# Checked by its mark, so that even part of a token in a log fails the test.
CANARY_MARK = "7f3a9c"
CANARY = f"canary-{CANARY_MARK}-token"
LOGGER = "channels_ui.luminous.client"


def client_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER]


@pytest.fixture
def info(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def test_it_logs_one_line_per_call(simulator, info) -> None:
    client.channel_create(ACME, SALES)
    assert len(client_records(info)) == 1


def test_the_line_names_method_path_company_outcome_status_and_duration(
    simulator, info
) -> None:
    client.channel_create(ACME, SALES)
    (record,) = client_records(info)
    assert re.fullmatch(
        r"POST /channels company=acme outcome=created status=201 duration_ms=\d+",
        record.getMessage(),
    )


def test_the_line_is_at_info(simulator, info) -> None:
    client.channel_create(ACME, SALES)
    assert [r.levelno for r in client_records(info)] == [logging.INFO]


def test_a_network_fault_is_logged_with_its_outcome_and_no_status(info) -> None:
    client.channel_create(ACME, SALES)
    (record,) = client_records(info)
    assert " outcome=unreachable status=- " in record.getMessage()


def test_each_attempt_of_a_retried_get_is_logged(simulator, info, monkeypatch) -> None:
    monkeypatch.setattr(client, "_sleep", lambda seconds: None)
    simulator.inject("GET", "/warehouses", status=503, times=1)
    client.get(ACME, "/warehouses")
    assert [r.getMessage().split(" duration_ms")[0] for r in client_records(info)] == [
        "GET /warehouses company=acme outcome=server_error status=503",
        "GET /warehouses company=acme outcome=ok status=200",
    ]


def test_a_bad_response_is_logged_as_a_warning_with_the_start_of_the_body(
    simulator, info
) -> None:
    simulator.inject("POST", "/channels", malformed=True)
    client.channel_create(ACME, SALES)
    (record,) = client_records(info)
    assert record.levelno == logging.WARNING
    assert record.getMessage().endswith("""body='{"data": {"id": '""")


def test_the_token_never_reaches_the_log(simulator, caplog, monkeypatch) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(client, "_sleep", lambda seconds: None)
    canary = client.Target("acme", CANARY)
    client.channel_create(canary, SALES)
    client.channel_create(ACME, SALES)
    client.channel_create(ACME, SALES)
    simulator.inject("POST", "/channels", drop=True, times=1)
    client.channel_create(ACME, SALES | {"label": "Other"})
    simulator.inject("GET", "/warehouses", retry_after=1, times=1)
    client.get(ACME, "/warehouses")
    text = caplog.text + "".join(repr(r.__dict__) for r in caplog.records)
    assert (CANARY_MARK in text, TOKEN_MARK in text, "Bearer" in text) == (
        False,
        False,
        False,
    )


def test_a_sandbox_token_never_reaches_the_log(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client.channel_create(client.Target("play", CANARY, sandbox=True), SALES)
    assert CANARY_MARK not in caplog.text


def test_a_target_never_shows_its_token() -> None:
    assert CANARY_MARK not in repr(client.Target("acme", CANARY))


@pytest.mark.parametrize("name", ["httpx", "httpcore"])
def test_http_library_loggers_stay_at_warning(name) -> None:
    assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING


def test_http_libraries_log_nothing_about_a_normal_call(simulator, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client.channel_create(ACME, SALES)
    assert [r.name for r in caplog.records if r.name.startswith("http")] == []
