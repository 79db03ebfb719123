"""Tags and app integration accounts to suggest, from channels and our history."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from client_helpers import ACME, SALES, use_mock
from security.canaries import GLOBEX_TOKEN

from channels_ui import services
from channels_ui.luminous import client
from channels_ui.suggestions import Suggestion, suggestions_for

pytestmark = pytest.mark.django_db

E2E = {
    "channelType": "end_to_end_channel",
    "label": "EDI - Retailer X",
    "warehouseGroupId": 12,
    "pullOrdersFromOms": True,
    "pullOrderAppIntegrationAccountId": 43,
    "pullOrderOmsStoreId": "A1",
    "pushOrdersToOms": True,
    "pushOrderAppIntegrationAccountId": 52,
    "pushStocksToOms": True,
    "pushStocksAppIntegrationAccountId": 53,
}


def channel_list(*channels: dict[str, Any]) -> None:
    """Answer GET /channels with these channel objects, as one page."""
    body = {"data": list(channels), "meta": {"last_page": 1}}
    use_mock(lambda request: httpx.Response(200, json=body))


def attempt(user, connection, payload: dict[str, Any]) -> None:
    """Record a create attempt in the audit history, as the form would."""
    services.channel_create(user=user, connection=connection, payload=payload)


def failed_attempt(simulator, user, connection, payload: dict[str, Any]) -> None:
    """An attempt that created nothing, so its IDs exist only in our history."""
    simulator.inject("POST", "/channels", status=500, times=1)
    attempt(user, connection, payload)


# --- from the company's channels ----------------------------------------------


def test_it_suggests_the_tags_of_existing_channels_by_name(simulator, acme) -> None:
    client.channel_create(ACME, SALES | {"tagIds": [3, 7]})
    assert suggestions_for(connection=acme).tags == [
        Suggestion(7, "priority"),
        Suggestion(3, "wholesale"),
    ]


def test_it_suggests_the_accounts_of_existing_channels_by_name(simulator, acme) -> None:
    client.channel_create(ACME, E2E)
    assert suggestions_for(connection=acme).accounts == [
        Suggestion(53, "3PL Central"),
        Suggestion(43, "Amazon Seller"),
        Suggestion(52, "ShipStation"),
    ]


def test_it_reads_the_push_stocks_account_id_of_a_channel(acme) -> None:
    channel_list({"id": 1, "pushStocksAppIntegrationAccountId": 61})
    assert suggestions_for(connection=acme).accounts == [Suggestion(61)]


def test_it_reads_a_mapping_that_names_only_an_account_id(acme) -> None:
    channel_list(
        {"id": 1, "pullOrderIntegrationMapping": {"appIntegrationAccountId": 70}}
    )
    assert suggestions_for(connection=acme).accounts == [Suggestion(70)]


def test_it_reads_accounts_in_the_channel_integration_mapping_list(acme) -> None:
    mapping = {"appIntegrationAccount": {"id": 80, "name": "Etsy shop"}}
    channel_list({"id": 1, "channelIntegrationMapping": [mapping]})
    assert suggestions_for(connection=acme).accounts == [Suggestion(80, "Etsy shop")]


def test_it_ignores_values_that_are_not_ids(acme) -> None:
    channel_list(
        {
            "id": 1,
            "tags": [{"id": "3"}, {"id": True}, {"id": 0}, "priority", None],
            "pushStocksAppIntegrationAccountId": -4,
            "pushOrderIntegrationMapping": ["52"],
            "channelIntegrationMapping": {"appIntegrationAccountId": 41},
        }
    )
    suggestions = suggestions_for(connection=acme)
    assert (suggestions.tags, suggestions.accounts) == ([], [])


def test_it_gives_no_notice_when_the_channels_were_read(simulator, acme) -> None:
    assert suggestions_for(connection=acme).notice == ""


# --- from this app's audit history ------------------------------------------------


def test_it_suggests_tag_ids_from_the_history(simulator, acme, admin_user) -> None:
    failed_attempt(simulator, admin_user, acme, SALES | {"tagIds": [9]})
    assert suggestions_for(connection=acme).tags == [Suggestion(9)]


def test_it_suggests_account_ids_from_the_history(simulator, acme, admin_user) -> None:
    failed_attempt(simulator, admin_user, acme, E2E)
    assert suggestions_for(connection=acme).accounts == [
        Suggestion(43),
        Suggestion(52),
        Suggestion(53),
    ]


def test_names_from_channels_win_over_bare_ids_from_history(
    simulator, acme, admin_user
) -> None:
    failed_attempt(simulator, admin_user, acme, SALES | {"label": "A", "tagIds": [3]})
    client.channel_create(ACME, SALES | {"label": "B", "tagIds": [3]})
    assert suggestions_for(connection=acme).tags == [Suggestion(3, "wholesale")]


def test_it_lists_named_suggestions_first_then_bare_ids(
    simulator, acme, admin_user
) -> None:
    failed_attempt(simulator, admin_user, acme, SALES | {"label": "A", "tagIds": [1]})
    client.channel_create(ACME, SALES | {"label": "B", "tagIds": [9, 3]})
    assert [tag.id for tag in suggestions_for(connection=acme).tags] == [9, 3, 1]


def test_it_leaves_out_a_tag_id_a_422_rejected(simulator, acme, admin_user) -> None:
    attempt(admin_user, acme, SALES | {"tagIds": [3, 99]})
    assert suggestions_for(connection=acme).tags == [Suggestion(3)]


def test_it_leaves_out_an_account_id_a_422_rejected(
    simulator, acme, admin_user
) -> None:
    payload = SALES | {
        "pullOrdersFromOms": True,
        "pullOrderAppIntegrationAccountId": 99,
    }
    attempt(admin_user, acme, payload)
    assert suggestions_for(connection=acme).accounts == []


def test_it_reads_only_the_connections_own_history(
    simulator, acme, admin_user, make_connection
) -> None:
    globex = make_connection("Globex", "globex", GLOBEX_TOKEN)
    failed_attempt(simulator, admin_user, globex, SALES | {"tagIds": [9]})
    assert suggestions_for(connection=acme).tags == []


# --- when the channels cannot be read ---------------------------------------------


def test_a_failed_channel_list_still_gives_the_history(
    simulator, acme, admin_user
) -> None:
    failed_attempt(simulator, admin_user, acme, SALES | {"tagIds": [9]})
    simulator.inject("GET", "/channels", status=500)
    assert suggestions_for(connection=acme).tags == [Suggestion(9)]


def test_a_failed_channel_list_is_explained_in_a_notice(simulator, acme) -> None:
    simulator.inject("GET", "/channels", status=500)
    assert suggestions_for(connection=acme).notice.startswith(
        "Could not read the company's channels from Luminous (Server error"
    )


def test_a_revoked_connection_gives_the_history_and_a_notice(
    simulator, acme, admin_user
) -> None:
    failed_attempt(simulator, admin_user, acme, SALES | {"tagIds": [9]})
    services.connection_revoke(connection=acme)
    suggestions = suggestions_for(connection=acme)
    assert (suggestions.tags, "revoked" in suggestions.notice) == (
        [Suggestion(9)],
        True,
    )


# --- caching -----------------------------------------------------------------------


def channel_fetches(simulator) -> int:
    return sum(
        1 for r in simulator.requests if (r.method, r.path) == ("GET", "/channels")
    )


def test_it_reads_the_channels_from_the_lookup_cache(simulator, acme) -> None:
    suggestions_for(connection=acme)
    suggestions_for(connection=acme)
    assert channel_fetches(simulator) == 1


def test_refresh_reads_the_channels_again(simulator, acme) -> None:
    suggestions_for(connection=acme)
    client.channel_create(ACME, SALES | {"tagIds": [7]})
    assert suggestions_for(connection=acme, refresh=True).tags == [
        Suggestion(7, "priority")
    ]
