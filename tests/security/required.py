"""A pytest plugin for tests that CI must run.

A test marked ``postgres`` needs the suite's database to be PostgreSQL. Without
it the test is skipped on a developer's machine, but fails when CI=true, so a CI
run that lost its database cannot pass by skipping.
"""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(available: bool, what: str) -> None:
    """Skip the current test when ``what`` is missing; fail it instead in CI."""
    if available:
        return
    if in_ci():
        pytest.fail(f"CI must run this test, but {what} is not available.")
    pytest.skip(f"needs {what}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    require(
        connection.vendor == "postgresql",
        "PostgreSQL (DATABASE_URL=postgres://…)",
    )
