from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from channels_ui import services
from channels_ui.forms import ConnectionForm
from channels_ui.models import Connection
from channels_ui.views._http import HtmxHttpRequest, redirect_after_post


@require_GET
def connection_list(request: HtmxHttpRequest) -> HttpResponse:
    connections = Connection.objects.annotate(attempts=Count("auditentry"))
    return TemplateResponse(
        request, "channels_ui/connection_list.html", {"connections": connections}
    )


@require_http_methods(["GET", "POST"])
def connection_add(request: HtmxHttpRequest) -> HttpResponse:
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        connection = form.save()
        messages.success(request, f"Saved the connection to {connection.name}.")
        _report_verification(request, connection)
        return redirect_after_post(request, reverse("channels_ui:connection-list"))
    return TemplateResponse(request, "channels_ui/connection_form.html", {"form": form})


@require_POST
def connection_verify(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk)
    _report_verification(request, connection)
    return redirect_after_post(request, reverse("channels_ui:connection-list"))


def _report_verification(request: HtmxHttpRequest, connection: Connection) -> None:
    try:
        outcome = services.connection_verify(connection=connection)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return
    if outcome.succeeded:
        messages.success(
            request,
            f"Luminous accepted the token of {connection.name} "
            f"({outcome.duration_ms} ms).",
        )
    else:
        messages.warning(
            request,
            f"Testing {connection.name} failed: {outcome.kind.title} "
            f"({outcome.message}, {outcome.duration_ms} ms).",
        )
