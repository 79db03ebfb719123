import pytest
from django.core.exceptions import ImproperlyConfigured

from luminous_admin.env import env_header, env_int


def test_a_proxy_header_becomes_a_request_meta_name(monkeypatch):
    monkeypatch.setenv("PROXY_HEADER", "X-Forwarded-Proto=https")
    assert env_header("PROXY_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_no_proxy_header_means_none(monkeypatch):
    monkeypatch.delenv("PROXY_HEADER", raising=False)
    assert env_header("PROXY_HEADER") is None


def test_a_proxy_header_without_a_value_stops_the_app(monkeypatch):
    monkeypatch.setenv("PROXY_HEADER", "X-Forwarded-Proto")
    with pytest.raises(ImproperlyConfigured, match="X-Forwarded-Proto=https"):
        env_header("PROXY_HEADER")


def test_a_whole_number_is_read(monkeypatch):
    monkeypatch.setenv("SOME_COUNT", " 3 ")
    assert env_int("SOME_COUNT", 0) == 3


def test_a_number_below_the_minimum_stops_the_app(monkeypatch):
    monkeypatch.setenv("SOME_COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("SOME_COUNT", 15, minimum=1)


def test_a_word_for_a_number_stops_the_app(monkeypatch):
    monkeypatch.setenv("SOME_COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SOME_COUNT", 0)
