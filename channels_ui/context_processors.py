"""What every page's layout needs besides the request's own data."""

from __future__ import annotations

import functools

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse


def links(request: HttpRequest) -> dict[str, dict[str, str]]:
    """The addresses of the top bar's links, for base.html."""
    return {"links": _links(get_script_prefix())}


# Every page shows the same links, and working each address out from the URL
# patterns took longer than the rest of the top bar; they only change with the
# prefix the app is served under.
@functools.cache
def _links(prefix: str) -> dict[str, str]:
    return {
        "home": reverse("channels_ui:home"),
        "channel_new": reverse("channels_ui:channel-new"),
        "audit_list": reverse("channels_ui:audit-list"),
        "connection_list": reverse("channels_ui:connection-list"),
        "logout": reverse("logout"),
    }
