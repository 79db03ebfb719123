"""How sign-in attempts are counted and what a locked-out person sees."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """Return the address a request came from, past LUMINOUS_ADMIN_PROXY_COUNT proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For; anything further left was written by the client and could be
    forged, so it is never used.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.LUMINOUS_ADMIN_PROXY_COUNT
    if count == 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the sign-in page again, saying why it refuses and for how long."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        "form": AuthenticationForm(request),
        "lockout_minutes": minutes,
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=429)
