"""Review, confirm, result: the safe path from a filled-in form to a channel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from result_page import result_address

from channels_ui.models import AuditEntry, Connection, Environment
from channels_ui.services import connection_revoke

pytestmark = pytest.mark.django_db

URL = "/channels/new/"
SALES = {"channelType": "sales_channel", "label": "Flow", "warehouseGroupId": "12"}


def form_data(connection, action, token="token-1", **fields):
    return {"connection": connection.pk, "form_token": token, "_action": action,
            **SALES, **fields}  # fmt: skip


def posts(simulator):
    return [r for r in simulator.requests if r.method == "POST"]


def test_review_shows_the_summary_and_exact_json_without_sending(
    admin_client, simulator, acme
):
    response = admin_client.post(URL, form_data(acme, "review", tagIds="3"))
    html = response.content.decode()
    assert "Review before sending" in html
    assert "3PL East group" not in html and "Main DC group (#12)" in html
    assert "&quot;warehouseGroupId&quot;: 12" in html
    assert posts(simulator) == []


def test_review_names_a_production_company_in_a_banner(
    admin_client, simulator, make_connection
):
    prod = make_connection(name="Prod Co", environment=Environment.PRODUCTION)
    response = admin_client.post(URL, form_data(prod, "review"))
    assert "Production company: Prod Co (acme)" in response.content.decode()


def test_review_carries_every_input_for_back_and_confirm(admin_client, simulator, acme):
    response = admin_client.post(
        URL, form_data(acme, "review", integrationProducts="A\tB\nC\tD")
    )
    hidden = response.context["hidden"]
    assert ("integrationProducts", "A\tB\nC\tD") in hidden
    assert ("form_token", "token-1") in hidden


def test_back_returns_to_the_form_with_everything_kept(admin_client, simulator, acme):
    response = admin_client.post(
        URL, form_data(acme, "edit", description="kept", pullOrdersFromOms="on",
                       pullOrderAppIntegrationAccountId="41")
    )  # fmt: skip
    html = response.content.decode()
    assert "kept" in html and 'value="41"' in html
    assert "is-invalid" not in html


def test_confirm_creates_the_channel_once_and_shows_the_result(
    admin_client, simulator, acme
):
    response = admin_client.post(URL, form_data(acme, "send"))
    channel = simulator.channels("acme")[0]
    assert len(posts(simulator)) == 1
    assert result_address(response) == (
        f"/channels/result/{AuditEntry.objects.get().pk}/"
    )
    html = response.content.decode()
    assert channel["uuid"] in html and 'id="channel-locked">no<' in html


def test_a_double_submit_sends_one_post_and_shows_the_same_result(
    admin_client, simulator, acme
):
    first = admin_client.post(URL, form_data(acme, "send"))
    second = admin_client.post(URL, form_data(acme, "send"))
    assert len(posts(simulator)) == 1
    assert result_address(first) == result_address(second) != ""


def test_a_resubmitted_failure_shows_the_same_failure_without_sending(
    admin_client, simulator, acme
):
    simulator.inject("POST", "/channels", status=503, body={"message": "Down"})
    admin_client.post(URL, form_data(acme, "send"))
    simulator.clear_faults()
    again = admin_client.post(URL, form_data(acme, "send"))
    assert len(posts(simulator)) == 1
    assert "Down" in again.content.decode()


def test_a_second_send_after_a_failure_uses_a_new_token(admin_client, simulator, acme):
    simulator.inject("POST", "/channels", status=502, times=1)
    failed = admin_client.post(URL, form_data(acme, "send"))
    new_token = dict(failed.context["hidden"])["form_token"]
    assert new_token != "token-1"
    admin_client.post(URL, form_data(acme, "send", token=new_token))
    assert [e.outcome for e in AuditEntry.objects.order_by("pk")] == [
        "server_error",
        "created",
    ]


def test_a_server_error_keeps_the_input_and_offers_to_send_again(
    admin_client, simulator, acme
):
    simulator.inject("POST", "/channels", status=500)
    html = admin_client.post(URL, form_data(acme, "send")).content.decode()
    assert "Your input is kept; you can send again." in html
    assert "Send again" in html and 'value="Flow"' in html


def test_unreachable_says_nothing_was_sent(admin_client, acme):
    html = admin_client.post(URL, form_data(acme, "send")).content.decode()
    assert "could not be reached, so nothing was sent" in html


def test_a_rejected_token_says_who_can_fix_it(admin_client, simulator, make_connection):
    bad = make_connection(subdomain="bad", token="unknown")
    html = admin_client.post(URL, form_data(bad, "send")).content.decode()
    assert "An administrator must replace the token" in html


def test_forbidden_says_so(admin_client, simulator, acme):
    simulator.inject("POST", "/channels", status=403, body={"message": "Locked."})
    html = admin_client.post(URL, form_data(acme, "send")).content.decode()
    assert "forbidden for this company" in html


def test_rate_limited_says_when_to_try_again(admin_client, simulator, acme):
    simulator.inject("POST", "/channels", retry_after=30)
    html = admin_client.post(URL, form_data(acme, "send")).content.decode()
    assert "Try again in 30 seconds." in html
    assert len(posts(simulator)) == 1


def test_a_422_lands_on_its_field_with_a_summary_at_the_top(
    admin_client, simulator, acme
):
    simulator.inject(
        "POST", "/channels", status=422,
        body={"message": "Invalid.", "errors": {"description": ["Too fancy."]}},
    )  # fmt: skip
    response = admin_client.post(URL, form_data(acme, "send", description="x"))
    assert response.context["form"].errors["description"] == ["Too fancy."]
    assert 'id="error-summary"' in response.content.decode()


def test_a_422_about_a_store_id_lands_on_the_store_field(admin_client, simulator, acme):
    response = admin_client.post(
        URL, form_data(acme, "send", pullOrdersFromOms="on",
                       pullOrderAppIntegrationAccountId="43")
    )  # fmt: skip
    assert "pullOrderOmsStoreId" in response.context["form"].errors


def test_a_422_on_a_product_row_is_shown_on_that_row(admin_client, simulator, acme):
    simulator.inject(
        "POST", "/channels", status=422,
        body={"message": "Invalid.",
              "errors": {"integrationProducts.1.sku": ["Unknown SKU."]}},
    )  # fmt: skip
    response = admin_client.post(
        URL, form_data(acme, "send", integrationProducts="A\tB\nC\tD")
    )
    assert response.context["form"].errors["integrationProducts"] == [
        "Row 2: Unknown SKU."
    ]
    assert 'data-row-errors="{&quot;1&quot;: [&quot;Unknown SKU.&quot;]}"' in (
        response.content.decode()
    )


def test_outcome_unknown_never_resends_and_records_a_channel_found_by_label(
    admin_client, simulator, acme
):
    # The channel is created, then the connection drops before the reply.
    simulator.inject("POST", "/channels", drop_reply=True, times=1)
    response = admin_client.post(URL, form_data(acme, "send"), follow=True)
    outcomes = [e.outcome for e in AuditEntry.objects.order_by("pk")]
    assert outcomes == ["outcome_unknown", "created"]
    assert len(posts(simulator)) == 1
    assert "nothing was sent again" in response.content.decode()


def test_outcome_unknown_with_no_such_channel_offers_a_knowing_resend(
    admin_client, simulator, acme
):
    simulator.inject("POST", "/channels", drop=True, times=1)
    response = admin_client.post(URL, form_data(acme, "send"))
    html = response.content.decode()
    assert "You can send again knowingly." in html
    assert dict(response.context["hidden"])["form_token"] != "token-1"
    assert len(posts(simulator)) == 1


def test_a_failed_look_up_offers_to_look_again_not_to_send(
    admin_client, simulator, acme
):
    simulator.inject("POST", "/channels", drop=True, times=1)
    simulator.inject("GET", "/channels", status=500)
    html = admin_client.post(URL, form_data(acme, "send")).content.decode()
    assert 'value="lookup"' in html and 'value="send"' not in html


def test_create_another_like_this_copies_all_but_the_label(
    admin_client, simulator, acme
):
    admin_client.post(URL, form_data(acme, "send", tagIds="3, 7",
                                     integrationProducts="A\tB"))  # fmt: skip
    entry = AuditEntry.objects.get()
    form = admin_client.get(URL, {"from": entry.pk}).context["form"]
    assert form["label"].value() in ("", None)
    assert (form["tagIds"].value(), form["integrationProducts"].value()) == (
        "3, 7",
        "A\tB",
    )
    assert form["connection"].value() == acme.pk


def test_a_label_just_created_counts_as_taken_without_listing_again(
    admin_client, simulator, acme
):
    admin_client.post(URL, form_data(acme, "send"))
    listed = len([r for r in simulator.requests if r.path == "/channels"])
    response = admin_client.post(URL, form_data(acme, "review", token="token-2"))
    assert "is already labelled “Flow”" in response.content.decode()
    assert len([r for r in simulator.requests if r.path == "/channels"]) == listed


def test_a_knowing_resend_reviews_the_same_payload(admin_client, simulator, acme):
    simulator.inject("POST", "/channels", drop=True, times=1)
    response = admin_client.post(URL, form_data(acme, "send"))
    assert response.context["form"].payload["label"] == "Flow"
    assert "&quot;label&quot;: &quot;Flow&quot;" in response.content.decode()


def test_looking_up_again_then_finding_nothing_reviews_the_same_payload(
    admin_client, simulator, make_connection
):
    prod = make_connection(name="Prod Co", environment=Environment.PRODUCTION)
    simulator.inject("POST", "/channels", drop=True, times=1)
    simulator.inject("GET", "/channels", status=500, times=1)
    admin_client.post(URL, form_data(prod, "send"))
    response = admin_client.post(URL, form_data(prod, "lookup"))
    html = response.content.decode()
    assert "You can send again knowingly." in html
    assert "Production company: Prod Co (acme)" in html
    assert "&quot;label&quot;: &quot;Flow&quot;" in html


def test_confirm_reads_the_company_once(admin_client, simulator, acme):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(URL, form_data(acme, "send"))
    assert "Channel created" in response.content.decode()
    table = Connection._meta.db_table
    reads = [q for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]
    assert len(reads) == 1


def test_a_company_revoked_since_the_review_is_refused(admin_client, simulator, acme):
    connection_revoke(connection=acme)
    response = admin_client.post(URL, form_data(acme, "send"))
    assert "Select a valid choice" in response.content.decode()
    assert posts(simulator) == []


def test_a_form_sent_already_reviews_changes_under_a_new_token(
    admin_client, simulator, acme
):
    # Created, then back through the history to the form, with a new label.
    admin_client.post(URL, form_data(acme, "send"))
    first = AuditEntry.objects.get()
    review = admin_client.post(URL, form_data(acme, "review", label="Flow 2"))
    html = review.content.decode()
    assert "This form was sent already" in html
    assert f'href="/channels/result/{first.pk}/">attempt #{first.pk}</a>' in html
    token = dict(review.context["hidden"])["form_token"]
    assert token != "token-1"
    admin_client.post(URL, form_data(acme, "send", token=token, label="Flow 2"))
    labels = [channel["label"] for channel in simulator.channels("acme")]
    assert labels == ["Flow", "Flow 2"]


def test_reviewing_a_form_sent_already_names_the_attempt_beside_the_taken_label(
    admin_client, simulator, acme
):
    admin_client.post(URL, form_data(acme, "send"))
    html = admin_client.post(URL, form_data(acme, "review")).content.decode()
    assert "is already labelled “Flow”" in html
    assert "This form was sent already" in html and "(Created, “Flow”)" in html


def test_a_spent_token_with_other_input_sends_nothing_and_reviews_that_input(
    admin_client, simulator, acme
):
    # Two copies of one form, reviewed apart: the second confirm must not show
    # the first one's channel as its own.
    admin_client.post(URL, form_data(acme, "send", label="First copy"))
    response = admin_client.post(URL, form_data(acme, "send", label="Second copy"))
    html = response.content.decode()
    assert len(posts(simulator)) == 1
    assert "Review before sending" in html and "This form was sent already" in html
    assert "&quot;label&quot;: &quot;Second copy&quot;" in html
    assert dict(response.context["hidden"])["form_token"] != "token-1"


def test_looking_up_again_finds_the_channel_whose_label_now_looks_taken(
    admin_client, simulator, acme
):
    # Created, reply lost, and the first look-up failed; since then the lists
    # were read again and hold the new channel's label.
    admin_client.get(URL, {"connection": acme.pk})  # The lists, read once.
    simulator.inject("POST", "/channels", drop_reply=True, times=1)
    simulator.inject("GET", "/channels", status=500, times=1)
    admin_client.post(URL, form_data(acme, "send"))
    admin_client.post(URL, form_data(acme, "refresh"))
    response = admin_client.post(URL, form_data(acme, "lookup"), follow=True)
    html = response.content.decode()
    assert "Channel created" in html and "nothing was sent again" in html
    outcomes = [e.outcome for e in AuditEntry.objects.order_by("pk")]
    assert outcomes == ["outcome_unknown", "created"]
    assert len(posts(simulator)) == 1


def test_looking_up_a_channel_recorded_already_records_it_once(
    admin_client, simulator, acme
):
    simulator.inject("POST", "/channels", drop_reply=True, times=1)
    admin_client.post(URL, form_data(acme, "send"))  # Found by its label.
    again = admin_client.post(URL, form_data(acme, "lookup"), follow=True)
    found = AuditEntry.objects.get(outcome="created")
    assert again.redirect_chain[-1][0] == f"/channels/result/{found.pk}/"
    assert AuditEntry.objects.count() == 2
