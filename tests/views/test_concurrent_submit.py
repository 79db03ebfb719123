"""Twenty browsers submit one confirmed form at the same moment."""

import threading

import pytest
from django.db import connection as db_connection
from django.test import Client
from result_page import result_address

from channels_ui.models import AuditEntry

SUBMITTERS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_form_send_one_post_and_share_its_result(
    simulator, acme, admin_user
):
    # A slow reply keeps the first request in flight while the others arrive.
    simulator.inject("POST", "/channels", latency=0.5)
    data = {"connection": acme.pk, "form_token": "one-form", "_action": "send",
            "channelType": "sales_channel", "label": "Once",
            "warehouseGroupId": "12"}  # fmt: skip
    browsers = []
    for _ in range(SUBMITTERS):
        browser = Client()
        browser.force_login(admin_user)
        browsers.append(browser)
    start = threading.Barrier(SUBMITTERS)
    answers: list[tuple[int, str]] = []

    def submit(browser: Client) -> None:
        try:
            start.wait()
            response = browser.post("/channels/new/", data)
            answers.append((response.status_code, result_address(response)))
        finally:
            db_connection.close()

    threads = [threading.Thread(target=submit, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    entry = AuditEntry.objects.get()
    posts = [r for r in simulator.requests if r.method == "POST"]
    assert (len(posts), entry.outcome) == (1, "created")
    assert answers == [(200, f"/channels/result/{entry.pk}/")] * SUBMITTERS
