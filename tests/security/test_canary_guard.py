import logging

import pytest
from cryptography.fernet import Fernet
from security import canary_guard
from security.canaries import ACME_TOKEN, CANARY_KEY, TOKEN_MARK, leaks_in


def taken_findings() -> list[str]:
    """Return what the guard saw, and clear it so this test itself passes."""
    seen, canary_guard.findings[:] = list(canary_guard.findings), []
    return seen


def test_it_recognises_a_token_shown_in_part():
    assert leaks_in(f"…{ACME_TOKEN[2:20]}…") == ["canary token"]


def test_it_lets_the_last_four_characters_through():
    assert leaks_in(f"Token …{ACME_TOKEN[-4:]}") == []


def test_the_run_encrypts_with_the_canary_key(settings):
    assert settings.LUMINOUS_ADMIN_ENCRYPTION_KEY == CANARY_KEY


def test_the_canary_key_is_a_working_fernet_key():
    box = Fernet(CANARY_KEY)
    assert box.decrypt(box.encrypt(b"x")) == b"x"


@pytest.mark.django_db
def test_the_connection_fixture_holds_a_canary_token(acme):
    assert TOKEN_MARK in acme.get_token()


@pytest.mark.django_db
def test_the_ciphertext_does_not_contain_the_canary(acme):
    assert leaks_in(acme.token_ciphertext) == []


def test_a_log_record_with_a_token_is_caught():
    logging.getLogger("channels_ui.example").warning("token=%s", ACME_TOKEN)
    assert taken_findings() == ["canary token in the log record of channels_ui.example"]


def test_a_logged_traceback_with_the_key_is_caught():
    try:
        raise ValueError(CANARY_KEY)
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error")
    assert taken_findings() == [
        "canary encryption key in the log record of django.request"
    ]


@pytest.mark.django_db
def test_a_page_showing_a_token_is_caught(client):
    client.get("/accounts/login/", {"next": ACME_TOKEN})
    assert taken_findings() == ["canary token in the response to GET /accounts/login/"]
