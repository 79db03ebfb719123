import io

import pytest
from django.core.management import CommandError, call_command

from channels_ui.models import Connection

pytestmark = pytest.mark.django_db


def run(token, **options):
    out = io.StringIO()
    call_command("connection_set", stdin=io.StringIO(token), stdout=out, **options)
    return out.getvalue()


def test_it_creates_a_connection_from_a_token_on_stdin():
    run("tok-from-stdin\n", subdomain="acme", name="Acme")
    connection = Connection.objects.get()
    assert (connection.get_token(), connection.environment) == (
        "tok-from-stdin",
        "production",
    )


def test_it_replaces_the_token_of_an_existing_connection(acme):
    run("replacement-token", subdomain="acme", name="Acme Corp", environment="staging")
    acme.refresh_from_db()
    assert (acme.get_token(), acme.name) == ("replacement-token", "Acme Corp")


def test_it_does_not_print_the_token():
    assert "secret-abcdef" not in run("secret-abcdef", subdomain="acme", name="Acme")


def test_it_refuses_an_empty_token():
    with pytest.raises(CommandError, match="empty"):
        run("  \n", subdomain="acme", name="Acme")


def test_it_refuses_a_hostile_subdomain():
    with pytest.raises(CommandError, match="subdomain"):
        run("tok", subdomain="evil.com/", name="Evil")


def test_it_has_no_option_that_takes_a_token():
    with pytest.raises(TypeError, match="token"):
        call_command("connection_set", subdomain="a", name="A", token="x")
