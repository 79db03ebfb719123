from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from channels_ui import services
from channels_ui.forms import ConnectionEditForm, ConnectionForm, TokenReplaceForm
from channels_ui.luminous.outcomes import OutcomeKind
from channels_ui.models import Connection
from channels_ui.roles import MANAGE_CONNECTIONS
from channels_ui.views._http import HtmxHttpRequest, redirect_after_post

manage_connections = permission_required(MANAGE_CONNECTIONS, raise_exception=True)


@require_GET
@manage_connections
def connection_list(request: HtmxHttpRequest) -> HttpResponse:
    connections = Connection.objects.annotate(
        channels_created=Count("auditentry", filter=Q(auditentry__outcome="created"))
    )
    return TemplateResponse(
        request, "channels_ui/connection_list.html", {"connections": connections}
    )


@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
@manage_connections
def connection_add(request: HtmxHttpRequest) -> HttpResponse:
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        connection = form.save()
        messages.success(request, f"Saved the connection to {connection.name}.")
        _report_verification(request, connection)
        return redirect_after_post(request, _edit_url(connection))
    return TemplateResponse(request, "channels_ui/connection_add.html", {"form": form})


@require_http_methods(["GET", "POST"])
@manage_connections
def connection_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk)
    form = ConnectionEditForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {connection.name}.")
        return redirect_after_post(request, _edit_url(connection))
    return _render_edit(request, connection, form=form)


@sensitive_post_parameters("token")
@require_POST
@manage_connections
def connection_token(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk)
    if connection.is_revoked:
        messages.error(request, "A revoked connection cannot take a new token.")
        return redirect_after_post(request, _edit_url(connection))
    token_form = TokenReplaceForm(request.POST)
    if not token_form.is_valid():
        return _render_edit(request, connection, token_form=token_form)
    services.connection_replace_token(
        connection=connection, token=token_form.cleaned_data["token"]
    )
    messages.success(request, f"Replaced the token of {connection.name}.")
    _report_verification(request, connection)
    return redirect_after_post(request, _edit_url(connection))


@require_http_methods(["GET", "POST"])
@manage_connections
def connection_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Ask first: revoking cannot be undone (the company can be added again)."""
    connection = get_object_or_404(Connection, pk=pk)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return TemplateResponse(
            request, "channels_ui/connection_revoke.html", {"connection": connection}
        )
    services.connection_revoke(connection=connection)
    messages.success(
        request,
        f"Revoked {connection.name}. It stays in the history but can no longer be "
        "used; add the company again to connect it with a new token.",
    )
    return redirect_after_post(request, _edit_url(connection))


@require_POST
@manage_connections
def connection_verify(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk)
    _report_verification(request, connection)
    return redirect_after_post(
        request, request.POST.get("next") or _edit_url(connection)
    )


def _edit_url(connection: Connection) -> str:
    return reverse("channels_ui:connection-edit", args=[connection.pk])


def _render_edit(
    request: HtmxHttpRequest,
    connection: Connection,
    *,
    form: ConnectionEditForm | None = None,
    token_form: TokenReplaceForm | None = None,
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "channels_ui/connection_edit.html",
        {
            "connection": connection,
            "form": form or ConnectionEditForm(instance=connection),
            "token_form": token_form or TokenReplaceForm(),
        },
    )


def _report_verification(request: HtmxHttpRequest, connection: Connection) -> None:
    try:
        outcome = services.connection_verify(connection=connection)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return
    took = f"({outcome.duration_ms} ms)"
    if outcome.succeeded:
        messages.success(
            request, f"Luminous accepted the token of {connection.name} {took}."
        )
    elif outcome.kind is OutcomeKind.UNAUTHORIZED:
        messages.error(
            request,
            f"Luminous rejected the token of {connection.name} {took}. "
            "Replace it with a valid one.",
        )
    elif outcome.kind is OutcomeKind.UNREACHABLE:
        messages.error(
            request,
            f"The subdomain {connection.subdomain!r} cannot be reached {took}: "
            f"{outcome.message}",
        )
    else:
        messages.warning(
            request,
            f"Testing {connection.name} failed: {outcome.kind.title} "
            f"{took}: {outcome.message}",
        )
