from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from channels_ui import selectors, services
from channels_ui.forms import ChannelForm
from channels_ui.luminous.outcomes import OutcomeKind
from channels_ui.models import AuditEntry
from channels_ui.roles import CREATE_CHANNELS, READ_AUDIT_LOG
from channels_ui.views._http import HtmxHttpRequest, redirect_after_post

create_channels = permission_required(CREATE_CHANNELS, raise_exception=True)

FORM_TEMPLATE = "channels_ui/channel_form.html"

OUTCOME_HELP = {
    OutcomeKind.VALIDATION_FAILED: "Luminous refused some fields; see the messages "
    "next to them.",
    OutcomeKind.UNAUTHORIZED: "Luminous rejected this company's API token. An "
    "administrator must replace the token on the connection.",
    OutcomeKind.FORBIDDEN: "Luminous says this operation is forbidden for this token.",
    OutcomeKind.NOT_FOUND: "Luminous answered 'not found'. Check the company's "
    "subdomain.",
    OutcomeKind.CONFLICT: "Luminous reported a conflict with an existing channel.",
    OutcomeKind.REJECTED: "Luminous rejected the request.",
    OutcomeKind.RATE_LIMITED: "Luminous is rate limiting this company. Wait, then "
    "send again.",
    OutcomeKind.SERVER_ERROR: "Luminous had a server error. Nothing was created; "
    "you can send again.",
    OutcomeKind.UNREACHABLE: "Luminous could not be reached. Nothing was sent; you "
    "can send again.",
    OutcomeKind.OUTCOME_UNKNOWN: "The request was sent but no reply came back, so "
    "the channel may or may not exist. Check the company's channels before "
    "sending again.",
    OutcomeKind.BAD_RESPONSE: "Luminous answered with something other than the "
    "documented reply. Check the company's channels before sending again.",
}


def _render_form(
    request: HtmxHttpRequest, form: ChannelForm, *, status: int = 200, **extra
) -> TemplateResponse:
    template = FORM_TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{FORM_TEMPLATE}#channel-fields"
    context = {"form": form, **extra}
    return TemplateResponse(request, template, context, status=status)


def _bound_form(request: HtmxHttpRequest, *, refresh: bool = False) -> ChannelForm:
    url = reverse("channels_ui:channel-new")
    probe = ChannelForm(request.POST, rerender_url=url)
    lookups = selectors.form_lookups(
        connection=probe.selected_connection(), refresh=refresh
    )
    return ChannelForm(request.POST, lookups=lookups, rerender_url=url)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@create_channels
def channel_new(request: HtmxHttpRequest) -> HttpResponse:
    url = reverse("channels_ui:channel-new")
    if request.method == "GET":
        form = ChannelForm(initial=request.GET.dict(), rerender_url=url)
        lookups = selectors.form_lookups(connection=form.selected_connection())
        form = ChannelForm(initial=request.GET.dict(), lookups=lookups,
                           rerender_url=url)  # fmt: skip
        return _render_form(request, form)

    action = request.POST.get("_action", "send")
    form = _bound_form(request, refresh=action == "refresh")
    if action in ("update", "refresh"):
        form.suppress_errors()
        return _render_form(request, form)
    if not form.is_valid():
        return _render_form(request, form)

    connection = form.cleaned_data["connection"]
    try:
        entry = services.channel_create(
            user=request.user, connection=connection, payload=form.payload
        )
    except services.ServiceError as exc:
        form.add_error(None, str(exc))
        return _render_form(request, form)
    if entry.outcome == OutcomeKind.CREATED:
        messages.success(request, f"Channel “{entry.label}” was created.")
        return redirect_after_post(
            request, reverse("channels_ui:channel-result", args=[entry.pk])
        )
    form.add_api_errors(entry.field_errors)
    return _render_form(
        request,
        form,
        failed_entry=entry,
        failure_help=OUTCOME_HELP.get(OutcomeKind(entry.outcome), ""),
    )


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Send each role to the first page it may use."""
    if request.user.has_perm(CREATE_CHANNELS):
        return redirect("channels_ui:channel-new")
    if request.user.has_perm(READ_AUDIT_LOG):
        return redirect("channels_ui:audit-list")
    raise PermissionDenied


@require_GET
@create_channels
def channel_result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry, pk=pk)
    channel = entry.response_json.get("data") if entry.response_json else None
    return TemplateResponse(
        request,
        "channels_ui/channel_result.html",
        {"entry": entry, "channel": channel if isinstance(channel, dict) else {}},
    )
