import csv
import io
import json
from datetime import UTC, datetime

import pytest
from audit_helpers import payload
from django.http import StreamingHttpResponse

from channels_ui import services

pytestmark = pytest.mark.django_db

CANARY = "canary-token-must-never-be-exported-01"


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response))))


def test_the_csv_export_is_streamed(admin_client, make_entry):
    make_entry()
    assert isinstance(admin_client.get("/audit/export.csv"), StreamingHttpResponse)


def test_the_csv_export_holds_the_filtered_entries(admin_client, make_entry):
    make_entry("Keep")
    make_entry("Drop", channel_type="fulfillment_channel")
    response = admin_client.get("/audit/export.csv", {"channel_type": "sales_channel"})
    assert [row["label"] for row in csv_rows(response)] == ["Keep"]


def test_the_csv_export_is_a_download(admin_client):
    response = admin_client.get("/audit/export.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')


def test_the_json_export_is_a_streamed_array(admin_client, make_entry):
    make_entry("One")
    make_entry("Two")
    response = admin_client.get("/audit/export.json")
    assert [entry["label"] for entry in json.loads(body(response))] == ["Two", "One"]


def test_the_json_export_of_nothing_is_an_empty_array(admin_client):
    assert json.loads(body(admin_client.get("/audit/export.json"))) == []


def test_exports_give_times_in_utc(admin_client, make_entry):
    make_entry(at=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC))
    admin_client.cookies["tz"] = "Asia/Tokyo"
    entry = json.loads(body(admin_client.get("/audit/export.json")))[0]
    assert entry["created_at"] == "2026-02-03T04:05:06+00:00"


def test_exports_keep_the_request_and_response_json(admin_client, make_entry):
    make_entry()
    entry = json.loads(body(admin_client.get("/audit/export.json")))[0]
    assert entry["request_json"] == payload()
    assert entry["response_json"]["data"]["id"] == 7


def test_exports_leave_out_the_form_token(admin_client, admin_user, acme, simulator):
    services.channel_create(
        user=admin_user, connection=acme, payload=payload(), form_token="ft-secret"
    )
    csv_text = body(admin_client.get("/audit/export.csv"))
    json_text = body(admin_client.get("/audit/export.json"))
    assert ("ft-secret" in csv_text, "ft-secret" in json_text) == (False, False)


def test_exports_never_include_a_connection_token(
    admin_client, admin_user, make_connection, simulator
):
    canary = make_connection(name="Canary", subdomain="canary", token=CANARY)
    services.channel_create(user=admin_user, connection=canary, payload=payload())
    csv_text = body(admin_client.get("/audit/export.csv"))
    json_text = body(admin_client.get("/audit/export.json"))
    assert "canary" in csv_text
    assert (CANARY in csv_text, CANARY in json_text) == (False, False)


def test_the_csv_export_defuses_spreadsheet_formulas(admin_client, make_entry):
    make_entry('=HYPERLINK("http://example.invalid")')
    label = csv_rows(admin_client.get("/audit/export.csv"))[0]["label"]
    assert label == '\'=HYPERLINK("http://example.invalid")'


def test_exports_need_the_audit_permission(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get("/audit/export.json").status_code == 403


@pytest.mark.parametrize("path", ["/audit/export.csv", "/audit/export.json"])
@pytest.mark.parametrize(
    "query", [{"user": "abc"}, {"since": "1999-01-01"}, {"company": "nope"}]
)
def test_an_export_with_a_refused_filter_exports_nothing(
    admin_client, make_entry, path, query
):
    make_entry("Secret-ish")
    response = admin_client.get(path, query, follow=True)
    assert not isinstance(response, StreamingHttpResponse)
    assert response.redirect_chain[0][0].startswith("/audit/?")
    html = response.content.decode()
    assert "Nothing was exported: correct the filters marked below" in html
    assert 'class="invalid-feedback d-block"' in html
