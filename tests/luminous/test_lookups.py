"""The lists the channel form offers: every page, cached per company."""

from __future__ import annotations

import logging
import time

import httpx
import pytest
from client_helpers import ACME, use_mock
from django.http import HttpResponse
from security.canaries import GLOBEX_TOKEN

from channels_ui import lookup_store, selectors
from channels_ui.luminous import client
from channels_ui.luminous.outcomes import LookupFailed, OutcomeKind
from channels_ui.services import connection_revoke

pytestmark = pytest.mark.django_db

LOOKUP_PATHS = ["/warehouse-groups", "/suppliers", "/warehouses", "/channels"]


def fetches(simulator, path: str) -> int:
    return sum(1 for r in simulator.requests if (r.method, r.path) == ("GET", path))


def pages(simulator, path: str) -> list[tuple[str, str]]:
    return [
        (r.query["page"], r.query["per_page"])
        for r in simulator.requests
        if (r.method, r.path) == ("GET", path)
    ]


def simulator_list(path: str) -> list[dict]:
    response = httpx.get(
        f"{client.base_url(ACME)}{path}",
        headers={"Authorization": f"Bearer {ACME.token}"},
    )
    return response.json()["data"]


def endless(request: httpx.Request) -> httpx.Response:
    page = int(request.url.params["page"])
    return httpx.Response(
        200, json={"data": [{"id": page}], "meta": {"last_page": 1000}}
    )


@pytest.fixture
def later(monkeypatch):
    """Move the cache's clock forward by a number of seconds."""

    def move(seconds: float) -> None:
        now = time.monotonic() + seconds
        monkeypatch.setattr(lookup_store, "_now", lambda: now)

    return move


# --- every page -------------------------------------------------------------------


def test_it_fetches_every_page_of_a_list(simulator) -> None:
    simulator.seed_channels("acme", count=250)
    items = client.list_all(ACME, "/channels")
    assert [item["id"] for item in items] == list(range(1, 251))


def test_it_asks_for_pages_of_100(simulator) -> None:
    simulator.seed_channels("acme", count=250)
    client.list_all(ACME, "/channels")
    assert pages(simulator, "/channels") == [("1", "100"), ("2", "100"), ("3", "100")]


@pytest.mark.parametrize("path", LOOKUP_PATHS)
def test_it_lists_each_lookup_the_form_uses(simulator, path) -> None:
    assert client.list_all(ACME, path) == simulator_list(path)


def test_it_stops_after_50_pages() -> None:
    seen = use_mock(endless)
    items = client.list_all(ACME, "/channels")
    assert (len(seen), len(items)) == (50, 50)


def test_it_warns_when_it_stops_at_the_page_limit(caplog) -> None:
    use_mock(endless)
    client.list_all(ACME, "/channels")
    assert "GET /channels company=acme stopped after 50 pages" in [
        r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    ]


def test_it_stops_when_the_reply_has_no_meta() -> None:
    seen = use_mock(lambda request: httpx.Response(200, json={"data": [{"id": 1}]}))
    client.list_all(ACME, "/channels")
    assert len(seen) == 1


def test_it_raises_lookup_failed_when_a_page_fails(simulator) -> None:
    simulator.inject("GET", "/suppliers", status=401)
    with pytest.raises(LookupFailed) as failed:
        client.list_all(ACME, "/suppliers")
    assert failed.value.outcome.kind is OutcomeKind.UNAUTHORIZED


def test_it_raises_lookup_failed_when_a_list_is_not_a_list(simulator) -> None:
    simulator.inject("GET", "/suppliers", status=200, body={"data": {"id": 42}})
    with pytest.raises(LookupFailed) as failed:
        client.list_all(ACME, "/suppliers")
    assert failed.value.outcome.kind is OutcomeKind.BAD_RESPONSE


# --- cached per company --------------------------------------------------------


def test_a_second_lookup_is_read_from_the_cache(simulator, acme) -> None:
    selectors.lookup_list(connection=acme, path="/warehouse-groups")
    selectors.lookup_list(connection=acme, path="/warehouse-groups")
    assert fetches(simulator, "/warehouse-groups") == 1


def test_the_cache_is_kept_per_company(simulator, acme, make_connection) -> None:
    globex = make_connection("Globex", "globex", GLOBEX_TOKEN)
    simulator.seed_channels("acme", count=2)
    selectors.lookup_list(connection=acme, path="/channels")
    assert selectors.lookup_list(connection=globex, path="/channels") == []


def test_the_cache_holds_for_under_five_minutes(simulator, acme, later) -> None:
    selectors.lookup_list(connection=acme, path="/suppliers")
    later(299)
    selectors.lookup_list(connection=acme, path="/suppliers")
    assert fetches(simulator, "/suppliers") == 1


def test_the_cache_expires_after_five_minutes(simulator, acme, later) -> None:
    selectors.lookup_list(connection=acme, path="/suppliers")
    later(301)
    selectors.lookup_list(connection=acme, path="/suppliers")
    assert fetches(simulator, "/suppliers") == 2


def test_refresh_fetches_again(simulator, acme) -> None:
    selectors.lookup_list(connection=acme, path="/warehouses")
    selectors.lookup_list(connection=acme, path="/warehouses", refresh=True)
    assert fetches(simulator, "/warehouses") == 2


def test_a_replaced_token_does_not_read_the_old_tokens_lists(simulator, acme) -> None:
    selectors.lookup_list(connection=acme, path="/warehouses")
    acme.set_token(GLOBEX_TOKEN)
    acme.save()
    selectors.lookup_list(connection=acme, path="/warehouses")
    assert [r.tenant for r in simulator.requests] == ["acme", "globex"]


def test_a_failed_lookup_is_remembered_briefly_without_asking_again(
    simulator, acme
) -> None:
    simulator.inject("GET", "/suppliers", status=500, times=1)
    for _ in range(2):
        with pytest.raises(LookupFailed):
            selectors.lookup_list(connection=acme, path="/suppliers")
    assert len([r for r in simulator.requests if r.path == "/suppliers"]) == 1


def test_a_refresh_asks_again_after_a_failure(simulator, acme) -> None:
    simulator.inject("GET", "/suppliers", status=500, times=1)
    with pytest.raises(LookupFailed):
        selectors.lookup_list(connection=acme, path="/suppliers")
    items = selectors.lookup_list(connection=acme, path="/suppliers", refresh=True)
    assert len(items) == 3


# --- what the form gets ------------------------------------------------------------


def test_form_lookups_offer_warehouse_groups_by_name(simulator, acme) -> None:
    lookups = selectors.form_lookups(connection=acme)
    assert lookups.choices["warehouseGroupId"][0] == (12, "Main DC group (#12)")


def test_form_lookups_offer_suppliers_by_name(simulator, acme) -> None:
    lookups = selectors.form_lookups(connection=acme)
    assert (42, "Acme Supply (#42)") in lookups.choices["dropshipSupplierId"]


def test_form_lookups_explain_a_list_that_failed(simulator, acme) -> None:
    simulator.inject("GET", "/suppliers", status=401)
    lookups = selectors.form_lookups(connection=acme)
    assert lookups.failures["dropshipSupplierId"].startswith(
        "Could not load the list from Luminous (Token rejected"
    )


def test_form_lookups_of_a_revoked_connection_fetch_nothing(simulator, acme) -> None:
    connection_revoke(connection=acme)
    lookups = selectors.form_lookups(connection=acme)
    assert (lookups.choices, simulator.requests) == ({}, [])


def test_form_lookups_refresh_fetches_again(simulator, acme) -> None:
    selectors.form_lookups(connection=acme)
    selectors.form_lookups(connection=acme, refresh=True)
    assert fetches(simulator, "/warehouse-groups") == 2


# --- the form's "refresh lists" action -------------------------------------------


def post_form(admin_client, acme, action: str) -> HttpResponse:
    response = admin_client.post(
        "/channels/new/", {"connection": acme.pk, "_action": action}
    )
    assert response.status_code == 200
    return response


def test_re_rendering_the_form_reads_the_cached_lists(
    simulator, admin_client, acme
) -> None:
    post_form(admin_client, acme, "update")
    post_form(admin_client, acme, "update")
    assert fetches(simulator, "/warehouse-groups") == 1


def test_the_refresh_lists_action_fetches_the_lists_again(
    simulator, admin_client, acme
) -> None:
    post_form(admin_client, acme, "update")
    post_form(admin_client, acme, "refresh")
    assert (
        fetches(simulator, "/warehouse-groups"),
        fetches(simulator, "/suppliers"),
    ) == (
        2,
        2,
    )


def test_refreshing_the_lists_says_so(simulator, admin_client, acme) -> None:
    assert (
        'id="lists-refreshed"'
        not in post_form(admin_client, acme, "update").content.decode()
    )
    html = post_form(admin_client, acme, "refresh").content.decode()
    assert "Warehouse groups, suppliers and channels read again" in html


def test_a_refresh_that_fails_says_which_lists_did_not_load(
    simulator, admin_client, acme
) -> None:
    simulator.inject("GET", "/suppliers", status=500, body={"message": "Down"})
    html = post_form(admin_client, acme, "refresh").content.decode()
    assert "some could not be loaded" in html
    assert "Could not load the list from Luminous" in html
