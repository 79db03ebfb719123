from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class HtmxAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Require sign-in everywhere; after a session expires mid-page, htmx requests
    get a full-page redirect to sign in instead of a login form swapped into a
    fragment, and come back to the page they were on."""

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse]
    ) -> HttpResponse:
        if getattr(request, "htmx", False):
            current = urlsplit(request.htmx.current_url or "")
            back_to = current.path or "/"
            if current.query:
                back_to += f"?{current.query}"
            login = redirect_to_login(back_to, resolve_url(settings.LOGIN_URL))
            return HttpResponseClientRedirect(login["Location"])
        return super().handle_no_permission(request, view_func)
