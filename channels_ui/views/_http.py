from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def redirect_after_post(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """A 302 for a plain post; htmx gets HX-Redirect so it loads a full page."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
