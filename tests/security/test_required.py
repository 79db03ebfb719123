import pytest
from django.db import connection
from security.required import require


def test_a_missing_service_skips_the_test_on_a_developer_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require(False, "PostgreSQL")


def test_a_missing_service_fails_the_test_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require(False, "PostgreSQL")


def test_an_available_service_lets_the_test_run(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require(True, "PostgreSQL") is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_marked_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"
