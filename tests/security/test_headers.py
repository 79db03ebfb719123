import pytest

pytestmark = pytest.mark.django_db


def csp_of(response) -> dict[str, list[str]]:
    directives = response["Content-Security-Policy"].split(";")
    return {
        name: values for name, *values in (d.split() for d in directives if d.strip())
    }


def test_pages_allow_scripts_from_this_site_only(client):
    policy = csp_of(client.get("/accounts/login/"))
    assert policy["script-src"] == ["'self'"]


def test_pages_allow_styles_from_this_site_only(client):
    policy = csp_of(client.get("/accounts/login/"))
    assert policy["style-src"] == ["'self'"]


def test_pages_may_not_be_framed(client):
    response = client.get("/accounts/login/")
    assert (response["X-Frame-Options"], csp_of(response)["frame-ancestors"]) == (
        "DENY",
        ["'none'"],
    )


def test_pages_send_a_same_origin_referrer_policy(client):
    assert client.get("/accounts/login/")["Referrer-Policy"] == "same-origin"


def test_pages_forbid_content_type_sniffing(client):
    assert client.get("/accounts/login/")["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_http_only(client, admin_user):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "pw-alice-1"}
    )
    assert response.cookies["sessionid"]["httponly"] is True


def test_the_csrf_cookie_is_http_only(client):
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"] is True


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    response = client.get("/accounts/login/")
    assert '"includeIndicatorStyles": false' in response.content.decode()
