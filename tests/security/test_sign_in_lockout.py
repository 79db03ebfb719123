from datetime import timedelta

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from luminous_admin.signin import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(
    client, username: str, password: str, address: str = "10.0.0.1"
) -> HttpResponse:
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, username: str = "alice", address: str = "10.0.0.1") -> None:
    for _ in range(5):
        sign_in(client, username, "wrong", address)


def test_four_failures_still_let_the_right_password_in(client, admin_user):
    for _ in range(4):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", "pw-alice-1").status_code == 302


def test_five_failures_lock_the_user_name_even_for_the_right_password(
    client, admin_user
):
    fail_five_times(client)
    assert sign_in(client, "alice", "pw-alice-1", "10.9.9.9").status_code == 429


def test_five_failures_lock_the_address_for_every_user_name(
    client, admin_user, make_user
):
    make_user("bob")
    fail_five_times(client, username="mallory")
    assert sign_in(client, "bob", "pw-1-bob").status_code == 429


def test_the_locked_page_says_why_and_for_how_long(client, admin_user):
    fail_five_times(client)
    page = sign_in(client, "alice", "pw-alice-1").content.decode()
    assert "Too many failed sign-ins" in page and "try again in 15 minutes" in page


def test_the_lock_ends_after_the_cool_off(client, admin_user):
    fail_five_times(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "alice", "pw-alice-1").status_code == 302


def test_the_lock_holds_just_before_the_cool_off_ends(client, admin_user):
    fail_five_times(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert sign_in(client, "alice", "pw-alice-1").status_code == 429


def test_a_success_clears_earlier_failures(client, admin_user):
    for _ in range(4):
        sign_in(client, "alice", "wrong")
    sign_in(client, "alice", "pw-alice-1")
    client.logout()
    for _ in range(4):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", "pw-alice-1").status_code == 302


def request_from(remote: str, forwarded: str | None = None) -> HttpRequest:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_a_proxy_the_socket_address_counts(settings):
    settings.LUMINOUS_ADMIN_PROXY_COUNT = 0
    assert client_ip(request_from("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.LUMINOUS_ADMIN_PROXY_COUNT = 1
    request = request_from("10.0.0.1", "198.51.100.7, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_ignored(settings):
    settings.LUMINOUS_ADMIN_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.1", "203.0.113.9")) == "10.0.0.1"
