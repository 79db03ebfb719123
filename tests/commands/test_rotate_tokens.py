import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from channels_ui.tokens import TokenDecryptError

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def old_connections(settings, make_connection):
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = OLD_KEY
    return [
        make_connection(name="Acme", subdomain="acme", token="acme-tok"),
        make_connection(name="Globex", subdomain="globex", token="globex-tok"),
    ]


def test_old_and_new_tokens_decrypt_while_both_keys_are_set(
    settings, old_connections, make_connection
):
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    fresh = make_connection(name="Initech", subdomain="initech", token="initech-tok")
    tokens = [c.get_token() for c in [*old_connections, fresh]]
    assert tokens == ["acme-tok", "globex-tok", "initech-tok"]


def test_rotation_reports_how_many_and_frees_the_old_key(settings, old_connections):
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    out = io.StringIO()
    call_command("rotate_tokens", stdout=out)
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = NEW_KEY
    for connection in old_connections:
        connection.refresh_from_db()
    assert [c.get_token() for c in old_connections] == ["acme-tok", "globex-tok"]
    assert out.getvalue().strip() == "Re-encrypted 2 token(s) with the first key."


def test_a_wrong_key_raises_an_error_naming_the_connection(settings, old_connections):
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(TokenDecryptError, match=r"'Acme' \(acme\)"):
        old_connections[0].get_token()


def test_rotation_with_a_wrong_key_changes_nothing(settings, old_connections):
    before = [c.token_ciphertext for c in old_connections]
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(CommandError, match="Acme \\(acme\\), Globex"):
        call_command("rotate_tokens", stdout=io.StringIO())
    for connection in old_connections:
        connection.refresh_from_db()
    assert [c.token_ciphertext for c in old_connections] == before
