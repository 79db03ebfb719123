import pytest
from security.canaries import ACME_TOKEN

from channels_ui.luminous import client as luminous_client
from channels_ui.models import Connection, Environment

pytestmark = pytest.mark.django_db


def url(connection, action=""):
    return f"/connections/{connection.pk}/{action}"


def test_it_marks_a_connection_verified_when_luminous_accepts_it(
    admin_client, simulator, acme
):
    response = admin_client.post(url(acme, "verify/"), follow=True)
    acme.refresh_from_db()
    assert acme.verified_at is not None
    assert "Luminous accepted the token of Acme (" in response.content.decode()


def test_it_says_the_token_was_rejected_on_401(admin_client, simulator, acme):
    acme.set_token("wrong-token")
    acme.save()
    response = admin_client.post(url(acme, "verify/"), follow=True)
    acme.refresh_from_db()
    assert "Luminous rejected the token of Acme" in response.content.decode()
    assert acme.verified_at is None


def test_it_says_the_subdomain_cannot_be_reached(admin_client, acme):
    response = admin_client.post(url(acme, "verify/"), follow=True)
    assert "The subdomain &#x27;acme&#x27; cannot be reached (" in (
        response.content.decode()
    )


def test_it_probes_with_one_warehouse(admin_client, simulator, acme):
    admin_client.post(url(acme, "verify/"))
    request = simulator.requests[-1]
    assert (request.method, request.path, request.query) == (
        "GET",
        "/warehouses",
        {"per_page": "1"},
    )


def test_it_replaces_the_token_and_tests_the_new_one(admin_client, simulator, acme):
    acme.set_token("old-wrong-token")
    acme.save()
    response = admin_client.post(
        url(acme, "token/"), {"token": ACME_TOKEN}, follow=True
    )
    acme.refresh_from_db()
    assert acme.get_token() == ACME_TOKEN
    assert acme.verified_at is not None
    assert "Replaced the token of Acme" in response.content.decode()


def test_it_refuses_an_empty_replacement_and_keeps_the_old_token(admin_client, acme):
    response = admin_client.post(url(acme, "token/"), {"token": " "})
    acme.refresh_from_db()
    assert response.context["token_form"].errors["token"]
    assert acme.get_token() != ""


def test_it_edits_the_name_and_environment_only(admin_client, acme):
    admin_client.post(
        url(acme), {"name": "Acme Corp", "environment": "production", "subdomain": "x"}
    )
    acme.refresh_from_db()
    assert (acme.name, acme.environment, acme.subdomain) == (
        "Acme Corp",
        "production",
        "acme",
    )


def test_a_revoked_connection_stays_and_says_so(admin_client, acme):
    admin_client.post(url(acme, "revoke/"), {"confirm": "yes"})
    response = admin_client.get(url(acme))
    assert Connection.objects.get().is_revoked
    assert 'id="revoked-notice"' in response.content.decode()


def test_a_revoked_connection_cannot_create_channels(admin_client, simulator, acme):
    admin_client.post(url(acme, "revoke/"), {"confirm": "yes"})
    response = admin_client.post(
        "/channels/new/",
        {"connection": acme.pk, "_action": "send", "channelType": "sales_channel",
         "label": "L", "warehouseGroupId": "12"},
    )  # fmt: skip
    assert "connection" in response.context["form"].errors
    assert simulator.requests == []


def test_a_revoked_connection_cannot_take_a_new_token(admin_client, acme):
    admin_client.post(url(acme, "revoke/"), {"confirm": "yes"})
    response = admin_client.post(url(acme, "token/"), {"token": "new-tok"}, follow=True)
    assert "A revoked connection cannot take a new token." in response.content.decode()


def test_a_sandbox_connection_uses_the_built_in_simulator(
    admin_client, simulator, make_connection
):
    sandbox = make_connection(
        name="Sandbox",
        subdomain="sandbox",
        token="any",
        environment=Environment.SANDBOX,
    )
    admin_client.post(
        "/channels/new/",
        {"connection": sandbox.pk, "_action": "send", "form_token": "t-sandbox",
         "channelType": "sales_channel",
         "label": "In the sandbox", "warehouseGroupId": "12"},
    )  # fmt: skip
    labels = [c["label"] for c in luminous_client.sandbox_app().channels("sandbox")]
    assert (labels, simulator.requests) == (["In the sandbox"], [])


def test_the_form_names_a_production_company_in_a_banner(admin_client, acme):
    acme.environment = Environment.PRODUCTION
    acme.save()
    response = admin_client.get("/channels/new/", {"connection": acme.pk})
    assert "Production company: Acme (acme)" in response.content.decode()


def test_a_stored_token_a_header_cannot_carry_is_reported_not_sent(
    admin_client, simulator, acme
):
    from channels_ui.tokens import encrypt_token

    acme.token_ciphertext = encrypt_token("démo")
    acme.save()
    response = admin_client.post(url(acme, "verify/"), follow=True)
    assert "cannot be sent to Luminous" in response.content.decode()
    assert simulator.requests == []


def test_revoking_asks_first_and_changes_nothing_until_confirmed(admin_client, acme):
    page = admin_client.get(url(acme, "revoke/"))
    admin_client.post(url(acme, "revoke/"))
    assert "This cannot be undone." in page.content.decode()
    assert not Connection.objects.get().is_revoked


def test_a_revoked_company_can_be_added_again_with_a_new_token(
    admin_client, simulator, acme
):
    admin_client.post(url(acme, "revoke/"), {"confirm": "yes"})
    admin_client.post(
        "/connections/add/",
        {"name": "Acme", "subdomain": "acme", "environment": "staging",
         "token": ACME_TOKEN},
    )  # fmt: skip
    assert Connection.objects.filter(subdomain="acme").count() == 2
    assert Connection.objects.usable().get().verified_at is not None


def test_a_company_in_use_cannot_be_added_twice(admin_client, acme):
    response = admin_client.post(
        "/connections/add/",
        {"name": "Acme 2", "subdomain": "acme", "environment": "staging",
         "token": "another-token"},
    )  # fmt: skip
    assert "is in use already" in response.content.decode()
