"""Every view, for every role and for an anonymous visitor."""

import pytest

from channels_ui.models import AuditEntry
from channels_ui.roles import ADMINISTRATORS, AUDITORS, OPERATORS

pytestmark = pytest.mark.django_db

ADMIN, OPERATOR, AUDITOR = "admin", "operator", "auditor"
ROLES = {ADMIN: ADMINISTRATORS, OPERATOR: OPERATORS, AUDITOR: AUDITORS}

# (method, url, data, roles allowed, status when allowed)
VIEWS = [
    ("get", "/channels/new/", None, {ADMIN, OPERATOR}, 200),
    ("post", "/channels/new/", {"_action": "update"}, {ADMIN, OPERATOR}, 200),
    ("get", "/channels/result/{entry}/", None, {ADMIN, OPERATOR}, 200),
    ("get", "/connections/", None, {ADMIN}, 200),
    ("get", "/connections/add/", None, {ADMIN}, 200),
    ("get", "/connections/{connection}/", None, {ADMIN}, 200),
    ("post", "/connections/{connection}/", {"name": "Renamed",
                                            "environment": "staging"}, {ADMIN}, 302),
    ("post", "/connections/{connection}/token/", {"token": ""}, {ADMIN}, 200),
    ("post", "/connections/{connection}/verify/", {}, {ADMIN}, 302),
    ("get", "/connections/{connection}/revoke/", None, {ADMIN}, 200),
    ("post", "/connections/{connection}/revoke/", {"confirm": "yes"}, {ADMIN}, 302),
    ("get", "/audit/", None, {ADMIN, OPERATOR, AUDITOR}, 200),
    ("get", "/audit/{entry}/", None, {ADMIN, OPERATOR, AUDITOR}, 200),
]  # fmt: skip


@pytest.fixture
def targets(acme, admin_user):
    entry = AuditEntry.objects.create(
        user=admin_user, username="alice", connection=acme, connection_name="Acme",
        subdomain="acme", environment="staging", channel_type="sales_channel",
        label="L", request_json={}, outcome="created", response_json={"data": {}},
    )  # fmt: skip
    return {"entry": entry.pk, "connection": acme.pk}


def call(client, method, url, data, targets):
    return getattr(client, method)(url.format(**targets), data)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(("method", "url", "data", "allowed", "status"), VIEWS)
def test_each_role_gets_exactly_the_views_it_is_allowed(
    client, make_user, targets, simulator, role, method, url, data, allowed, status
):
    client.force_login(make_user(role, ROLES[role]))
    response = call(client, method, url, data, targets)
    assert response.status_code == (status if role in allowed else 403)


@pytest.mark.parametrize(("method", "url", "data", "allowed", "status"), VIEWS)
def test_an_anonymous_visitor_is_sent_to_sign_in(
    client, targets, method, url, data, allowed, status
):
    response = call(client, method, url, data, targets)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    ("role", "destination"),
    [(ADMIN, "/channels/new/"), (OPERATOR, "/channels/new/"), (AUDITOR, "/audit/")],
)
def test_home_sends_each_role_to_its_first_page(client, make_user, role, destination):
    client.force_login(make_user(role, ROLES[role]))
    assert client.get("/")["Location"] == destination


def test_a_user_without_a_role_is_refused_politely(client, make_user):
    client.force_login(make_user("nobody"))
    response = client.get("/")
    assert response.status_code == 403
    assert "Your role does not allow this page" in response.content.decode()
