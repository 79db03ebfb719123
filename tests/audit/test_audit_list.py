import re
from datetime import UTC, datetime, timedelta

import pytest
from audit_helpers import created, failed
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels_ui.luminous.outcomes import OutcomeKind
from channels_ui.models import AuditEntry, Environment
from channels_ui.roles import AUDITORS

pytestmark = pytest.mark.django_db

URL = "/audit/"
HTMX = {"HX-Request": "true"}


def labels(response) -> list[str]:
    return [entry.label for entry in response.context["page"].entries]


def test_it_requires_sign_in(client):
    response = client.get(URL)
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_a_user_without_a_role(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(URL).status_code == 403


def test_an_auditor_can_read_it(client, make_user, make_entry):
    make_entry("Seen by auditor")
    client.force_login(make_user("audrey", AUDITORS))
    assert "Seen by auditor" in client.get(URL).content.decode()


def test_it_lists_newest_first(admin_client, make_entry):
    for label in ("First", "Second", "Third"):
        make_entry(label)
    assert labels(admin_client.get(URL)) == ["Third", "Second", "First"]


def test_it_filters_by_company(admin_client, make_entry, make_connection):
    globex = make_connection(name="Globex", subdomain="globex")
    make_entry("Acme one")
    make_entry("Globex one", connection=globex)
    assert labels(admin_client.get(URL, {"company": "globex"})) == ["Globex one"]


def test_it_filters_by_channel_type(admin_client, make_entry):
    make_entry("Sales")
    make_entry("Fulfil", channel_type="fulfillment_channel")
    response = admin_client.get(URL, {"channel_type": "fulfillment_channel"})
    assert labels(response) == ["Fulfil"]


def test_it_filters_by_outcome(admin_client, make_entry):
    make_entry("Made")
    make_entry("Refused", outcome=failed())
    response = admin_client.get(URL, {"outcome": "validation_failed"})
    assert labels(response) == ["Refused"]


def test_it_filters_by_user(admin_client, make_entry, make_user):
    bob = make_user("bob")
    make_entry("By alice")
    make_entry("By bob", user=bob)
    assert labels(admin_client.get(URL, {"user": bob.pk})) == ["By bob"]


def test_it_filters_by_date_range(admin_client, make_entry):
    for day in (1, 2, 3):
        make_entry(f"Day {day}", at=datetime(2026, 3, day, 12, tzinfo=UTC))
    response = admin_client.get(URL, {"since": "2026-03-02", "until": "2026-03-02"})
    assert labels(response) == ["Day 2"]


def test_the_date_range_is_read_in_the_viewers_time_zone(admin_client, make_entry):
    # 23:30 UTC on the 1st is already the 2nd in Auckland.
    make_entry("Late", at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    admin_client.cookies["tz"] = "Pacific/Auckland"
    response = admin_client.get(URL, {"since": "2026-03-02", "until": "2026-03-02"})
    assert labels(response) == ["Late"]


def test_it_searches_labels(admin_client, make_entry):
    make_entry("Wholesale EU")
    make_entry("Retail")
    assert labels(admin_client.get(URL, {"q": "sale e"})) == ["Wholesale EU"]


def test_it_searches_channel_ids(admin_client, make_entry):
    make_entry("Other", outcome=created(channel_id=41))
    make_entry("Wanted", outcome=created(channel_id=4242))
    assert labels(admin_client.get(URL, {"q": "4242"})) == ["Wanted"]


def test_an_invalid_filter_is_shown_and_ignored(admin_client, make_entry):
    make_entry("Still listed")
    response = admin_client.get(URL, {"since": "not a date"})
    assert labels(response) == ["Still listed"]
    assert "Enter a valid date." in response.content.decode()


def test_it_shows_a_pending_entry_past_every_timeout_as_outcome_unknown(
    admin_client, make_entry
):
    make_entry("Lost", pending=True, at=timezone.now() - timedelta(hours=1))
    html = admin_client.get(URL).content.decode()
    assert "Outcome unknown (no reply recorded)" in html


def test_a_recent_pending_entry_shows_as_pending(admin_client, make_entry):
    make_entry("Waiting", pending=True)
    html = admin_client.get(URL).content.decode()
    assert ">Pending</span>" in html
    assert "no reply recorded" not in html


def test_the_outcome_unknown_filter_finds_stale_pending_entries(
    admin_client, make_entry
):
    make_entry("Lost", pending=True, at=timezone.now() - timedelta(hours=1))
    make_entry("Waiting", pending=True)
    make_entry("Timed out", outcome=failed(OutcomeKind.OUTCOME_UNKNOWN))
    response = admin_client.get(URL, {"outcome": "outcome_unknown"})
    assert labels(response) == ["Timed out", "Lost"]


def test_an_htmx_request_gets_only_the_table(admin_client, make_entry):
    make_entry()
    response = admin_client.get(URL, {"company": "acme"}, headers=HTMX)
    assert response.content.decode().lstrip().startswith('<div id="audit-table">')


def test_a_history_restore_request_gets_the_whole_page(admin_client):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    response = admin_client.get(URL, headers=headers)
    assert response.content.decode().startswith("<!doctype html>")


def test_it_varies_on_hx_request(admin_client):
    assert "HX-Request" in admin_client.get(URL)["Vary"]


def test_the_filter_form_updates_the_table_and_the_address(admin_client):
    html = admin_client.get(URL).content.decode()
    form = re.search(r'<form id="audit-filters"[^>]*>', html)[0]
    assert 'method="get"' in form
    assert 'hx-target="#audit-table"' in form
    assert 'hx-push-url="true"' in form


@pytest.fixture
def sixty(make_entry) -> list[AuditEntry]:
    return [make_entry(f"Entry {n:02d}") for n in range(60)]


def test_it_pages_older_entries_by_cursor(admin_client, sixty):
    first = admin_client.get(URL)
    older = first.context["page"].older
    second = admin_client.get(URL, {"older": older})
    assert labels(first)[-1] == "Entry 10"
    assert labels(second) == [f"Entry {n:02d}" for n in range(9, -1, -1)]


def test_the_newer_link_leads_back(admin_client, sixty):
    older = admin_client.get(URL).context["page"].older
    newer = admin_client.get(URL, {"older": older}).context["page"].newer
    assert labels(admin_client.get(URL, {"newer": newer}))[0] == "Entry 59"


def test_page_links_keep_the_filters(admin_client, sixty):
    html = admin_client.get(URL, {"company": "acme"}).content.decode()
    assert re.search(r'href="\?company=acme&amp;older=[0-9T]+-[0-9]+"', html)


def test_every_page_costs_the_same_queries_without_offset_or_count(admin_client, sixty):
    with CaptureQueriesContext(connection) as first:
        older = admin_client.get(URL).context["page"].older
    with CaptureQueriesContext(connection) as deeper:
        admin_client.get(URL, {"older": older})
    sql = " ".join(query["sql"] for query in deeper.captured_queries).upper()
    assert len(first) == len(deeper) > 0
    assert ("OFFSET" in sql, "COUNT(" in sql) == (False, False)


def test_a_malformed_cursor_shows_the_first_page(admin_client, make_entry):
    make_entry("Newest")
    assert labels(admin_client.get(URL, {"older": "99999999T999999999999-1"})) == [
        "Newest"
    ]


def test_times_are_shown_in_the_viewers_time_zone(admin_client, make_entry):
    make_entry(at=datetime(2026, 1, 1, 0, 0, tzinfo=UTC))
    admin_client.cookies["tz"] = "Asia/Tokyo"
    html = admin_client.get(URL).content.decode()
    assert "2026-01-01 09:00:00 JST" in html
    assert "Time (Asia/Tokyo)" in html


def test_an_unknown_time_zone_falls_back_to_utc(admin_client, make_entry):
    make_entry(at=datetime(2026, 1, 1, 0, 0, tzinfo=UTC))
    admin_client.cookies["tz"] = "../../etc/passwd"
    assert "2026-01-01 00:00:00 UTC" in admin_client.get(URL).content.decode()


def test_it_links_the_exports_with_the_current_filters(admin_client):
    html = admin_client.get(URL, {"company": "acme", "older": "x"}).content.decode()
    assert 'href="/audit/export.csv?company=acme"' in html
    assert 'href="/audit/export.json?company=acme"' in html


def test_it_loads_scripts_only_from_static_files(admin_client, make_entry):
    make_entry()
    html = admin_client.get(URL).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_offers_no_write_method(admin_client, method):
    assert getattr(admin_client, method)(URL).status_code == 405


def test_markup_in_entries_and_filters_is_shown_as_text(
    admin_client, make_entry, make_connection, make_user
):
    hostile = '"><img src=x onerror=alert(1)>'
    connection = make_connection(name=f"Evil {hostile}", subdomain="evil")
    make_entry(f"Label {hostile}", connection=connection, user=make_user(hostile))
    html = admin_client.get(URL, {"q": hostile, "since": hostile}).content.decode()
    assert "<img" not in html
    escaped = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert f"<td>Label {escaped}</td>" in html
    assert f"<td>{escaped}</td>" in html
    assert f"Evil {escaped} (evil, Staging)" in html
    assert f'value="{escaped}"' in html
    assert f'<option value="evil">Evil {escaped} (evil)</option>' in html


def test_dates_use_the_date_picker_and_the_search_box_waits_for_typing(admin_client):
    html = admin_client.get(URL).content.decode()
    assert 'class="form-control refilter-on-change" type="date" name="since"' in html
    assert 'class="form-control refilter-on-change" type="date" name="until"' in html
    # A search box that re-filtered on "change" would search again on blur.
    assert 'class="form-control" type="search" name="q"' in html


def test_an_htmx_filter_request_names_a_refused_value_next_to_its_field(
    admin_client, make_entry
):
    make_entry("Still listed")
    response = admin_client.get(URL, {"since": "1999-12-31"}, headers=HTMX)
    html = response.content.decode()
    assert labels(response) == ["Still listed"]
    assert re.search(
        r'<div id="id_since-errors" hx-swap-oob="true">'
        r'<div class="invalid-feedback d-block">Ensure this value is greater',
        html,
    )
    # Every other field's slot comes too, empty, to clear an older message.
    assert '<div id="id_until-errors" hx-swap-oob="true"></div>' in html


def test_a_full_page_carries_no_out_of_band_slots(admin_client):
    html = admin_client.get(URL, {"since": "1999-12-31"}).content.decode()
    assert "hx-swap-oob" not in html
    assert "Ensure this value is greater than or equal to" in html


def test_a_to_date_before_the_from_date_is_named_and_neither_applies(
    admin_client, make_entry
):
    make_entry("Old", at=datetime(2026, 1, 1, tzinfo=UTC))
    response = admin_client.get(URL, {"since": "2026-12-05", "until": "2026-12-01"})
    html = response.content.decode()
    for field, message in (("since", "“From” is after “To”"), ("until", "“To” is")):
        assert re.search(
            rf'<div id="id_{field}-errors"><div class="invalid-feedback d-block">'
            rf"{message}",
            html,
        )
    assert labels(response) == ["Old"]


def test_a_sandbox_company_is_named_briefly(admin_client, make_entry, make_connection):
    sandbox = make_connection("Sandbox", "sandbox", environment=Environment.SANDBOX)
    make_entry(connection=sandbox)
    assert (
        "<td>Sandbox (sandbox, Sandbox)</td>" in admin_client.get(URL).content.decode()
    )
