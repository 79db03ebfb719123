import sys
from types import FrameType

import httpx
import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter
from security.canaries import ACME_TOKEN, leaks_in

from channels_ui import services
from channels_ui.luminous import client
from luminous_admin.reporting import SecretHidingFilter

pytestmark = pytest.mark.django_db

HIDDEN = SecretHidingFilter.cleansed_substitute
SALES = {"channelType": "sales_channel", "label": "Boom", "warehouseGroupId": 12}


class Boom(RuntimeError):
    pass


def explode(request: httpx.Request) -> httpx.Response:
    # A bug deep inside the HTTP stack: every frame on the way up still holds
    # the request and its Authorization header.
    raise Boom("the transport broke")


def report_of_failed_create(admin_user, acme) -> ExceptionReporter:
    client.replace_shared_client(
        client.build_client(transport=httpx.MockTransport(explode))
    )
    request = RequestFactory().post(
        "/connections/add/",
        {"token": ACME_TOKEN},
        headers={"Authorization": f"Bearer {ACME_TOKEN}"},
    )
    try:
        services.channel_create(user=admin_user, connection=acme, payload=SALES)
    except Boom:
        return ExceptionReporter(request, *sys.exc_info())
    raise AssertionError("channel_create did not fail")


def test_the_text_report_shows_no_token_or_key(admin_user, acme):
    report = report_of_failed_create(admin_user, acme)
    assert leaks_in(report.get_traceback_text()) == []


def test_the_html_report_shows_no_token_or_key(admin_user, acme):
    report = report_of_failed_create(admin_user, acme)
    assert leaks_in(report.get_traceback_html()) == []


def test_the_report_still_shows_the_error_and_the_service_frame(admin_user, acme):
    text = report_of_failed_create(admin_user, acme).get_traceback_text()
    assert ("the transport broke" in text, "channel_create" in text) == (True, True)


def frame_of(source: str, module: str, *args: object) -> FrameType:
    namespace: dict[str, object] = {"__name__": module, "sys": sys}
    exec(source, namespace)
    return namespace["here"](*args)


def test_the_filter_hides_every_variable_of_an_http_library_frame():
    source = "def here(headers):\n    status = 500\n    return sys._getframe()\n"
    frame = frame_of(source, "httpx._client", {"Authorization": ACME_TOKEN})
    variables = SecretHidingFilter().get_traceback_frame_variables(None, frame)
    assert dict(variables) == {"headers": HIDDEN, "status": HIDDEN}


def test_the_filter_hides_a_variable_named_like_a_secret_anywhere():
    source = "def here(api_token):\n    status = 500\n    return sys._getframe()\n"
    frame = frame_of(source, "channels_ui.anything", ACME_TOKEN)
    variables = SecretHidingFilter().get_traceback_frame_variables(None, frame)
    assert dict(variables) == {"api_token": HIDDEN, "status": 500}
