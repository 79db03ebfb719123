"""What the channel form accepts, refuses and shows while editing."""

import io
import re

import pytest

from channels_ui.forms import ChannelForm

pytestmark = pytest.mark.django_db

URL = "/channels/new/"
NO_ROWS = "The file holds no product rows; the rows above are kept."
TOO_MANY = "The file holds 501 rows; at most 500 can be sent. The rows above are kept."


def bound(connection, existing=None, **fields):
    data = {"connection": connection.pk, "channelType": "sales_channel",
            "label": "L", "warehouseGroupId": "12", **fields}  # fmt: skip
    form = ChannelForm(data, existing_channels=existing)
    form.is_valid()
    return form


def test_an_exact_duplicate_label_blocks_naming_the_channel(acme):
    form = bound(acme, existing=[{"id": 9, "label": "Web"}], label="Web")
    assert form.errors["label"] == [
        "Channel #9 is already labelled “Web”. Choose another label."
    ]


def test_a_label_differing_only_in_case_or_spaces_warns(acme):
    form = bound(acme, existing=[{"id": 9, "label": "Web "}], label="web")
    assert "label" not in form.errors
    assert form.label_feedback()[0] == "warning"


def test_the_label_check_answers_as_the_user_types(admin_client, simulator, acme):
    simulator.seed_channels("acme", labels=["Taken"])
    response = admin_client.post(
        "/channels/new/label/", {"connection": acme.pk, "label": "Taken"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    html = response.content.decode()
    assert html.startswith('<div id="label-check"')
    assert "is already labelled “Taken”" in html


def test_invalid_json_is_shown_back_as_typed_with_its_position(acme):
    typed = '{"a": 1,, }'
    form = bound(acme, pullOrdersFromOms="on", pullOrderAppIntegrationAccountId="41",
                 pullOrdersFromOmsOptions=typed)  # fmt: skip
    assert form.errors["pullOrdersFromOmsOptions"] == [
        "Not valid JSON: Expecting property name enclosed in double quotes at line 1,"
        " column 9."
    ]
    assert form["pullOrdersFromOmsOptions"].value() == typed


def test_json_that_is_not_an_object_is_refused(acme):
    form = bound(acme, pullOrdersFromOms="on", pullOrderAppIntegrationAccountId="41",
                 pullOrdersFromOmsOptions="[1, 2]")  # fmt: skip
    assert form.errors["pullOrdersFromOmsOptions"] == ["Enter a JSON object: {...}."]


@pytest.mark.parametrize(
    "text",
    ["CH-1\tLUM-1\nCH-2\tLUM-2", "Channel SKU,SKU\nCH-1,LUM-1\n\n\nCH-2,LUM-2\n",
     "\ufeffchannel sku\tluminous sku\r\nCH-1\tLUM-1\r\nCH-2\tLUM-2",
     "channel sku;sku\nCH-1;LUM-1\nCH-2;LUM-2\n"],
)  # fmt: skip
def test_products_paste_as_tab_comma_or_semicolon_rows_with_an_optional_header(
    acme, text
):
    form = bound(acme, integrationProducts=text)
    assert form.payload["integrationProducts"] == [
        {"channelSku": "CH-1", "sku": "LUM-1"},
        {"channelSku": "CH-2", "sku": "LUM-2"},
    ]


def test_duplicate_channel_skus_are_flagged_on_their_rows(acme):
    form = bound(acme, integrationProducts="A\t1\nB\t2\nA\t3")
    assert form.errors["integrationProducts"] == [
        "Row 3: Duplicate channel SKU (also on row 1)."
    ]


def test_more_than_500_products_are_refused_with_the_count(acme):
    rows = "\n".join(f"C{n}\tL{n}" for n in range(501))
    form = bound(acme, integrationProducts=rows)
    assert form.errors["integrationProducts"] == [
        "At most 500 integration products may be sent at once; 501 were given."
    ]


def test_500_products_submit_within_the_request_field_limits(
    admin_client, simulator, acme
):
    rows = "\n".join(f"C{n}\tL{n}" for n in range(500))
    admin_client.post(URL, {"connection": acme.pk, "_action": "send",
                            "form_token": "t500", "channelType": "sales_channel",
                            "label": "Big", "warehouseGroupId": "12",
                            "integrationProducts": rows})  # fmt: skip
    body = [r.json for r in simulator.requests if r.method == "POST"][0]
    assert len(body["integrationProducts"]) == 500


def test_a_csv_upload_with_a_byte_order_mark_fills_the_rows(
    admin_client, simulator, acme
):
    upload = io.BytesIO("\ufeffchannel sku,sku\nCH-1,LUM-1\n".encode())
    upload.name = "products.csv"
    response = admin_client.post(URL, {"connection": acme.pk, "_action": "update",
                                       "productsFile": upload})  # fmt: skip
    assert (
        response.context["form"]["integrationProducts"].value().endswith("CH-1,LUM-1\n")
    )


def test_a_binary_upload_is_refused_with_a_message(admin_client, acme):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00")
    upload.name = "picture.png"
    response = admin_client.post(URL, {"connection": acme.pk, "_action": "update",
                                       "productsFile": upload})  # fmt: skip
    assert "not text" in response.context["form"].errors["productsFile"][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty; the rows above are kept."),
        (b"\xef\xbb\xbf\r\n \n", "The file is empty; the rows above are kept."),
        (b"channel sku,luminous sku\n", NO_ROWS),
        (b",\n ,\n", NO_ROWS),
        (b",,\n,,,\n", NO_ROWS),
        (b"CH-1,LUM-1\n" * 501, TOO_MANY),
    ],
)
def test_an_upload_that_would_empty_or_overfill_the_table_keeps_the_typed_rows(
    admin_client, acme, content, message
):
    upload = io.BytesIO(content)
    upload.name = "empty.csv"
    response = admin_client.post(URL, {"connection": acme.pk, "_action": "update",
                                       "integrationProducts": "CH-1\tLUM-1",
                                       "productsFile": upload})  # fmt: skip
    form = response.context["form"]
    assert form["integrationProducts"].value() == "CH-1\tLUM-1"
    assert form.errors["productsFile"] == [message]
    assert not form.non_field_errors()


def test_every_input_has_a_label(admin_client, simulator, acme):
    html = admin_client.get(URL, {"connection": acme.pk}).content.decode()
    tags = re.findall(r"<(?:input|select|textarea)[^>]*>", html)
    visible = [tag for tag in tags if 'type="hidden"' not in tag]
    ids = [re.search(r' id="([^"]+)"', tag).group(1) for tag in visible]
    assert ids
    assert [i for i in ids if f'for="{i}"' not in html] == []


def test_errors_are_linked_to_their_inputs(admin_client, simulator, acme):
    response = admin_client.post(URL, {"connection": acme.pk, "_action": "review",
                                       "channelType": "sales_channel"})  # fmt: skip
    html = response.content.decode()
    assert 'aria-describedby="id_label_error"' in html or (
        "id_label_error" in html and 'aria-invalid="true"' in html
    )


def test_tags_seen_on_the_companys_channels_are_offered_by_name(
    admin_client, simulator, acme
):
    admin_client.post(URL, {"connection": acme.pk, "_action": "send",
                            "form_token": "t-tag", "channelType": "sales_channel",
                            "label": "Tagged", "warehouseGroupId": "12",
                            "tagIds": "3"})  # fmt: skip
    html = admin_client.get(URL, {"connection": acme.pk}).content.decode()
    assert 'type="checkbox" name="tagIds" value="3"' in html
    assert "wholesale (#3)" in html


def test_checked_and_typed_tag_ids_are_sent_together(admin_client, simulator, acme):
    admin_client.post(URL, {"connection": acme.pk, "_action": "send",
                            "form_token": "t-tags", "channelType": "sales_channel",
                            "label": "Two tags", "warehouseGroupId": "12",
                            "tagIds": ["3", "7, 9"]})  # fmt: skip
    body = [r.json for r in simulator.requests if r.method == "POST"][0]
    assert body["tagIds"] == [3, 7, 9]


def test_accounts_used_before_are_suggested_for_the_account_fields(
    admin_client, simulator, acme
):
    admin_client.post(URL, {"connection": acme.pk, "_action": "send",
                            "form_token": "t-acc", "channelType": "sales_channel",
                            "label": "Pulling", "warehouseGroupId": "12",
                            "pullOrdersFromOms": "on",
                            "pullOrderAppIntegrationAccountId": "41"})  # fmt: skip
    html = admin_client.get(URL, {"connection": acme.pk}).content.decode()
    assert '<option value="41">' in html
    assert 'list="account-suggestions"' in html


def test_a_failed_channel_list_is_noticed_and_typed_tags_still_work(
    admin_client, simulator, acme
):
    simulator.inject("GET", "/channels", status=500)
    admin_client.post(URL, {"connection": acme.pk, "_action": "send",
                            "form_token": "t-f", "channelType": "sales_channel",
                            "label": "Typed", "warehouseGroupId": "12",
                            "tagIds": "7"})  # fmt: skip
    html = admin_client.get(URL, {"connection": acme.pk}).content.decode()
    body = [r.json for r in simulator.requests if r.method == "POST"][0]
    assert body["tagIds"] == [7]
    assert "Could not read the company&#x27;s channels" in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [('{"retries": NaN}', "NaN is not a JSON number"),
     ('{"retries": 1e999}', "1e999 is too large a number"),
     ("[" * 3000 + "]" * 3000, "nested too deeply"),
     ('{"a":' * 3000 + "1" + "}" * 3000, "nested too deeply"),
     ('{"a":' * 25 + "1" + "}" * 25, "nested more than 20 levels deep")],
)  # fmt: skip
def test_json_options_that_are_not_plain_json_are_refused(acme, typed, message):
    form = bound(acme, pullOrdersFromOms="on", pullOrderAppIntegrationAccountId="41",
                 pullOrdersFromOmsOptions=typed)  # fmt: skip
    assert message in " ".join(form.errors["pullOrdersFromOmsOptions"])


def test_typed_tag_ids_come_back_as_typed_after_an_error(admin_client, acme):
    response = admin_client.post(URL, {"connection": acme.pk, "_action": "review",
                                       "channelType": "sales_channel",
                                       "tagIds": "abc, -1, 3;7"})  # fmt: skip
    assert 'value="abc, -1, 3, 7"' in response.content.decode()
    assert response.context["form"].errors["tagIds"]


def test_the_sandbox_suggests_accounts_from_its_demo_channels(
    admin_client, monkeypatch
):
    from channels_ui.luminous import client as luminous_client
    from channels_ui.models import Connection

    # As in a fresh process: the sandbox starts with its demo channels.
    monkeypatch.setattr(luminous_client, "_sandbox_app", None)
    sandbox = Connection(name="Sandbox", subdomain="sandbox", environment="sandbox")
    sandbox.set_token("any")
    sandbox.save()
    html = admin_client.get(URL, {"connection": sandbox.pk}).content.decode()
    assert '<option value="41">Shopify - US (#41)</option>' in html
