"""Nothing on our pages needs what the Content Security Policy forbids."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from channels_ui.rules import TOGGLES, ChannelType

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    """Collect inline scripts, style elements or attributes and event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and "src" not in dict(attrs):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith(("on", "hx-on")):
                self.found.append(f"{name}= on <{tag}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_a_style_attribute():
    assert inline_parts('<p style="color: red">') == ["style= on <p>"]


@pytest.mark.parametrize(
    "template",
    sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")),
    ids=lambda path: path.name,
)
def test_no_template_has_inline_script_or_style(template):
    assert inline_parts(template.read_text()) == []


def test_the_sign_in_page_has_no_inline_script_or_style(client):
    assert inline_parts(client.get("/accounts/login/").content.decode()) == []


@pytest.mark.parametrize("channel_type", list(ChannelType))
def test_the_channel_form_with_every_field_has_no_inline_style(
    admin_client, simulator, acme, channel_type
):
    data = {"connection": acme.pk, "channelType": channel_type, "_action": "update"}
    data |= dict.fromkeys(TOGGLES, "on")
    response = admin_client.post("/channels/new/", data)
    assert inline_parts(response.content.decode()) == []


@pytest.mark.parametrize(
    "url", ["/audit/", "/connections/", "/connections/add/", "/admin/"]
)
def test_other_pages_have_no_inline_script_or_style(admin_client, acme, url):
    assert inline_parts(admin_client.get(url).content.decode()) == []


def test_the_connection_page_has_no_inline_script_or_style(admin_client, acme):
    page = admin_client.get(f"/connections/{acme.pk}/").content.decode()
    assert inline_parts(page) == []
