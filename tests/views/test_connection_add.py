import pytest

from channels_ui.models import Connection

pytestmark = pytest.mark.django_db

URL = "/connections/add/"
TOKEN = "canary-token-5f1e0c9d"


def add(client, **fields):
    data = {"name": "Acme", "subdomain": "acme", "environment": "staging",
            "token": TOKEN} | fields  # fmt: skip
    return client.post(URL, data, follow=True)


def test_it_saves_a_connection_with_an_encrypted_token(admin_client, simulator):
    add(admin_client)
    connection = Connection.objects.get()
    assert TOKEN not in connection.token_ciphertext
    assert connection.get_token() == TOKEN


def test_it_never_renders_the_token_but_shows_its_last_four(admin_client, simulator):
    response = add(admin_client)
    html = response.content.decode()
    assert TOKEN not in html
    assert "…0c9d" in html


def test_it_does_not_render_a_typed_token_back_on_error(admin_client):
    response = add(admin_client, subdomain="evil.com/")
    assert TOKEN not in response.content.decode()


@pytest.mark.parametrize(
    "subdomain",
    ["evil.com/", "x@evil.com", "a.b", "-a", "a-", "ünï", "%2e", "a b", "a" * 64,
     "localhost:80", "127.0.0.1"],
)  # fmt: skip
def test_it_refuses_a_subdomain_that_is_not_one_dns_label(admin_client, subdomain):
    response = add(admin_client, subdomain=subdomain)
    assert response.context["form"].errors["subdomain"]
    assert not Connection.objects.exists()


def test_it_says_what_a_subdomain_may_hold(admin_client):
    response = add(admin_client, subdomain="acme.example")
    assert "Enter the company&#x27;s subdomain only" in response.content.decode()


def test_it_lower_cases_the_subdomain(admin_client, simulator):
    add(admin_client, subdomain="ACME")
    assert Connection.objects.get().subdomain == "acme"


def test_it_trims_the_pasted_token(admin_client, simulator):
    add(admin_client, token=f"  {TOKEN}\n")
    assert Connection.objects.get().get_token() == TOKEN


def test_it_refuses_a_blank_token(admin_client):
    response = add(admin_client, token="   \n")
    assert response.context["form"].errors["token"]
    assert not Connection.objects.exists()


def test_it_tests_the_new_token_on_save(admin_client, simulator):
    response = add(admin_client, token="unknown-token")
    assert "Luminous rejected the token of Acme" in response.content.decode()
    assert Connection.objects.get().last_error.startswith("Token rejected")


@pytest.mark.parametrize("token", ["démo-token", "demo-token\u200b", "two words"])
def test_it_refuses_a_token_a_header_cannot_carry(admin_client, token):
    response = add(admin_client, token=token)
    assert "visible ASCII characters" in " ".join(
        response.context["form"].errors["token"]
    )
    assert not Connection.objects.exists()
