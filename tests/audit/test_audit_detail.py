import re
from datetime import UTC, datetime, timedelta

import pytest
from audit_helpers import failed, reply
from django.utils import timezone

from channels_ui.roles import AUDITORS

pytestmark = pytest.mark.django_db


def detail(client, entry) -> str:
    return client.get(f"/audit/{entry.pk}/").content.decode()


def field(html: str, name: str) -> str:
    return re.search(rf'id="field-{name}">(.*?)</dd>', html, re.S)[1].strip()


def test_it_shows_every_recorded_field(admin_client, make_entry):
    entry = make_entry("Wholesale", at=datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC))
    html = detail(admin_client, entry)
    assert "2026-05-06 07:08:09.000000 UTC" in field(html, "created-at")
    assert field(html, "user").startswith("alice")
    assert field(html, "company").startswith("Acme (acme, Staging)")
    assert field(html, "channel-type") == "Sales channel"
    assert field(html, "label") == "Wholesale"
    assert (field(html, "status"), field(html, "channel-id")) == ("201", "7")
    assert (field(html, "channel-uuid"), field(html, "duration")) == ("uuid-7", "42 ms")
    assert entry.entry_hash in field(html, "chain")


def test_it_pretty_prints_the_request(admin_client, make_entry):
    html = detail(admin_client, make_entry())
    assert "\n  &quot;channelType&quot;: &quot;sales_channel&quot;" in html


def test_it_offers_a_copy_button_for_each_body(admin_client, make_entry):
    html = detail(admin_client, make_entry())
    targets = re.findall(r'data-copy-target="([a-z-]+)"', html)
    assert targets == ["request-json", "response-json"]
    assert all(f'id="{target}"' in html for target in targets)


def test_it_links_to_create_another_like_this(admin_client, make_entry):
    entry = make_entry()
    assert f'href="/channels/new/?from={entry.pk}"' in detail(admin_client, entry)


def test_an_auditor_is_not_offered_to_create_another(client, make_user, make_entry):
    entry = make_entry()
    client.force_login(make_user("audrey", AUDITORS))
    assert "Create another like this" not in detail(client, entry)


def test_it_marks_a_truncated_response(admin_client, make_entry):
    entry = make_entry(outcome=reply(text="x" * 1_200_000))
    assert 'id="response-truncated"' in detail(admin_client, entry)


def test_it_shows_a_stale_pending_entry_as_outcome_unknown(admin_client, make_entry):
    entry = make_entry(pending=True, at=timezone.now() - timedelta(minutes=10))
    assert "Outcome unknown (no reply recorded)" in field(
        detail(admin_client, entry), "outcome"
    )


def test_times_are_shown_in_the_viewers_time_zone(admin_client, make_entry):
    entry = make_entry(at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    admin_client.cookies["tz"] = "Europe/Paris"
    html = detail(admin_client, entry)
    assert "2026-07-01 14:00:00.000000 CEST" in field(html, "created-at")


def test_it_loads_scripts_only_from_static_files(admin_client, make_entry):
    html = detail(admin_client, make_entry())
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_an_unknown_entry_is_not_found(admin_client):
    assert admin_client.get("/audit/999/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_offers_no_write_method(admin_client, make_entry, method):
    entry = make_entry()
    response = getattr(admin_client, method)(f"/audit/{entry.pk}/")
    assert response.status_code == 405


def test_a_viewer_in_another_zone_also_sees_the_utc_time(admin_client, make_entry):
    entry = make_entry("Wholesale", at=datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC))
    admin_client.cookies["tz"] = "Asia/Tokyo"
    html = detail(admin_client, entry)
    assert "2026-05-06 16:08:09.000000 JST" in field(html, "created-at")
    assert "2026-05-06 07:08:09.000000 UTC" in field(html, "created-at-utc")


def test_the_outcome_shows_the_apis_message_only_when_it_says_more(
    admin_client, make_entry
):
    assert field(detail(admin_client, make_entry()), "outcome").endswith(
        ">Created</span>"
    )
    refused = make_entry("Refused", outcome=failed())
    assert field(detail(admin_client, refused), "outcome").endswith("</span> Invalid.")
