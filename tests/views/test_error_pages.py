"""The app's own pages for a missing address and a failed request."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_the_apps_layout(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<h1 class="h3">Not found</h1>' in html
    assert "Luminous Admin" in html


def test_a_failed_request_gets_a_page_that_needs_no_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "open the audit log before" in html
