"""Creating a channel: edit, review, confirm, result.

The form posts to one URL; ``_action`` says which step the user asked for. Every
step re-validates on the server, so a review page cannot be tampered into
sending something the form would refuse.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from channels_ui import rules, selectors, services
from channels_ui.audit import as_recorded
from channels_ui.form_fields import check_uploaded_rows
from channels_ui.forms import (
    ChannelForm,
    initial_from_payload,
    new_form_token,
    usable_connection,
)
from channels_ui.luminous.outcomes import LookupFailed, OutcomeKind
from channels_ui.models import AuditEntry, Connection
from channels_ui.roles import CREATE_CHANNELS, READ_AUDIT_LOG
from channels_ui.rules import TOGGLES
from channels_ui.suggestions import suggestions_for
from channels_ui.uploads import read_text_upload
from channels_ui.views._http import HtmxHttpRequest, redirect_after_post

create_channels = permission_required(CREATE_CHANNELS, raise_exception=True)

FORM_TEMPLATE = "channels_ui/channel_form.html"
REVIEW_TEMPLATE = "channels_ui/channel_review.html"

# Inputs the review page's hidden copy of the form leaves out, besides the
# step buttons' "_" names.
NOT_CARRIED = {"csrfmiddlewaretoken", "productsFile"}

OUTCOME_HELP = {
    OutcomeKind.VALIDATION_FAILED: "Luminous refused some fields; see the messages "
    "next to them, correct them and review again.",
    OutcomeKind.UNAUTHORIZED: "Luminous rejected this company's API token. An "
    "administrator must replace the token on the company's connection page; "
    "then send again.",
    OutcomeKind.FORBIDDEN: "Luminous says this operation is forbidden for this "
    "company's token.",
    OutcomeKind.NOT_FOUND: "Luminous answered 'not found'. Check the company's "
    "subdomain on its connection page.",
    OutcomeKind.CONFLICT: "Luminous reported a conflict with an existing channel.",
    OutcomeKind.REJECTED: "Luminous rejected the request.",
    OutcomeKind.RATE_LIMITED: "Luminous is rate limiting this company. Nothing was "
    "created.",
    OutcomeKind.SERVER_ERROR: "Luminous had a server error. Your input is kept; "
    "you can send again.",
    OutcomeKind.UNREACHABLE: "Luminous could not be reached, so nothing was sent. "
    "Your input is kept; you can send again.",
    OutcomeKind.OUTCOME_UNKNOWN: "The request was sent but no reply came back, so "
    "the channel may or may not exist.",
    OutcomeKind.BAD_RESPONSE: "Luminous answered with something other than the "
    "documented reply, so the channel may or may not exist.",
}

# After these the channel may exist: never resend by ourselves, look it up first.
UNCERTAIN = {OutcomeKind.OUTCOME_UNKNOWN, OutcomeKind.BAD_RESPONSE}


def _form_data(request: HtmxHttpRequest) -> QueryDict:
    """The posted form, with an uploaded CSV file's text in the products box."""
    data = request.POST.copy()
    upload = request.FILES.get("productsFile")
    if upload is not None:
        try:
            text = read_text_upload(upload)
            check_uploaded_rows(text)
            data["integrationProducts"] = text
        except ValidationError as exc:
            data["_upload_error"] = " ".join(exc.messages)
    return data


def _build_form(
    data: QueryDict | None = None,
    *,
    initial: dict[str, Any] | None = None,
    refresh: bool = False,
) -> ChannelForm:
    url = reverse("channels_ui:channel-new")
    source = data if data is not None else (initial or {})
    connection = usable_connection(source.get("connection"))
    return ChannelForm(
        data,
        initial=initial,
        rerender_url=url,
        visibility_url=reverse("channels_ui:channel-visibility"),
        label_check_url=reverse("channels_ui:channel-label-check"),
        lookups=selectors.form_lookups(connection=connection, refresh=refresh),
        existing_channels=selectors.channel_labels(
            connection=connection, refresh=refresh
        ),
        company=connection,
        suggestions=(lambda: suggestions_for(connection=connection))
        if connection
        else None,
    )


def _render_form(
    request: HtmxHttpRequest, form: ChannelForm, **extra: Any
) -> TemplateResponse:
    template = FORM_TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{FORM_TEMPLATE}#channel-fields"
    return TemplateResponse(request, template, {"form": form, **extra})


def _render_review(
    request: HtmxHttpRequest, form: ChannelForm, **extra: Any
) -> TemplateResponse:
    hidden = [
        (name, value)
        for name, values in form.data.lists()
        if name not in NOT_CARRIED and not name.startswith("_")
        for value in values
    ]
    context = {"form": form, "hidden": hidden, "summary": form.summary(), **extra}
    return TemplateResponse(request, REVIEW_TEMPLATE, context)


def _with_new_token(form: ChannelForm) -> ChannelForm:
    """The same input under a fresh one-time token, for a knowing second send."""
    data = form.data.copy()
    data["form_token"] = new_form_token()
    fresh = _build_form(data)
    # Judged at once: the review and the form show its payload and verdict.
    fresh.is_valid()
    return fresh


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@create_channels
@sensitive_post_parameters()
def channel_new(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_form(request, _build_form(initial=_initial(request)))

    action = request.POST.get("_action", "review")
    data = _form_data(request)
    if not data.get("form_token"):
        # Nothing is sent without a one-time token; a form that lost its token
        # gets a new one and goes through review first.
        data["form_token"] = new_form_token()
        if action == "send":
            action = "review"
    earlier = None
    if action == "review" and (earlier := _sent_with(data)) is not None:
        # This form was sent already, and the user came back to it through the
        # history. What is reviewed now is a new attempt, under a new token;
        # the old one would only show the earlier attempt again.
        data["form_token"] = new_form_token()
    form = _build_form(data, refresh=action == "refresh")
    if action in ("update", "refresh", "edit") or "_upload_error" in data:
        form.suppress_errors()
        if "_upload_error" in data:
            # Beside the file input; the rows typed before stay as they were.
            form.add_error("productsFile", data["_upload_error"])
        return _render_form(request, form, lists_refreshed=action == "refresh")
    if action == "lookup":
        # Asked for after an uncertain outcome. The attempt on record says what
        # to look for, even when the form now refuses its label as taken: taken,
        # perhaps, by the very channel looked for.
        return _lookup(request, form)
    if not form.is_valid():
        # A form sent already (double click, reload, another tab) shows that
        # attempt's result, though its own channel now makes its label look
        # taken. A valid one reaches channel_create, which sends a token once.
        if action == "send" and (sent := _sent_with(data)) is not None:
            return _show_sent(request, form, services.attempt_settled(entry=sent))
        return _render_form(request, form, earlier_entry=earlier)
    if action == "review":
        return _render_review(request, form, earlier_entry=earlier)
    return _send(request, form)


def _sent_with(data: QueryDict) -> AuditEntry | None:
    """The attempt already made with this form's one-time token, if any."""
    token = data.get("form_token", "")
    return AuditEntry.objects.filter(form_token=token).first() if token else None


def _initial(request: HtmxHttpRequest) -> dict[str, Any]:
    """Start values: a chosen company, or a copy of an earlier attempt."""
    initial: dict[str, Any] = {"form_token": new_form_token()}
    source = request.GET.get("from", "")
    if source.isdigit():
        entry = AuditEntry.objects.filter(pk=int(source)).first()
        if entry is not None:
            initial |= initial_from_payload(entry.request_json)
            initial["label"] = ""
            if entry.connection_id:
                initial["connection"] = entry.connection_id
    if request.GET.get("connection", "").isdigit():
        initial["connection"] = int(request.GET["connection"])
    return initial


def _send(request: HtmxHttpRequest, form: ChannelForm) -> HttpResponse:
    connection: Connection = form.cleaned_data["connection"]
    try:
        entry = services.channel_create(
            user=request.user,
            connection=connection,
            payload=form.payload,
            form_token=form.cleaned_data["form_token"] or None,
        )
    except services.ServiceError as exc:
        form.add_error(None, str(exc))
        return _render_form(request, form)
    if entry.request_json != as_recorded(form.payload):
        # The token was spent on other input (two copies of one form reviewed
        # apart): show what was asked for, under a new token, not that attempt.
        return _render_review(request, _with_new_token(form), earlier_entry=entry)
    entry = services.attempt_settled(entry=entry)
    return _show_attempt(request, form, entry)


def _show_sent(
    request: HtmxHttpRequest, form: ChannelForm, entry: AuditEntry
) -> HttpResponse:
    if entry.outcome != OutcomeKind.CREATED and not form.is_valid():
        return _render_form(request, form, failed_entry=entry)
    return _show_attempt(request, form, entry)


def _show_attempt(
    request: HtmxHttpRequest, form: ChannelForm, entry: AuditEntry
) -> HttpResponse:
    if entry.outcome == OutcomeKind.CREATED:
        # The new label must count as taken for the next form at once.
        channel = (entry.response_json or {}).get("data")
        if entry.connection is not None and isinstance(channel, dict):
            selectors.channel_remember(connection=entry.connection, channel=channel)
        if request.htmx:
            return redirect_after_post(
                request, reverse("channels_ui:channel-result", args=[entry.pk])
            )
        # The result comes in this reply, not after a redirect: a redirect would
        # cost the user another round trip. The page names its own address
        # (link rel=canonical), which app.js puts in the address bar, so a reload
        # asks for the result page; a reload without JavaScript posts the same
        # one-time token again and is shown this same result.
        return _render_result(request, entry)
    if entry.is_pending:
        return _render_review(request, form, failed_entry=entry, still_pending=True)
    kind = OutcomeKind(entry.outcome)
    extra = {"failed_entry": entry, "failure_help": OUTCOME_HELP.get(kind, "")}
    if kind is OutcomeKind.VALIDATION_FAILED:
        form = _with_new_token(form)
        form.add_api_errors(entry.field_errors)
        return _render_form(request, form, **extra)
    if kind in UNCERTAIN:
        return _lookup(request, form, unknown_entry=entry, **extra)
    return _render_review(request, _with_new_token(form), **extra)


def _lookup(
    request: HtmxHttpRequest,
    form: ChannelForm,
    *,
    unknown_entry: AuditEntry | None = None,
    **extra: Any,
) -> HttpResponse:
    """After an uncertain outcome, find out whether the channel exists."""
    if unknown_entry is None:
        unknown_entry = _sent_with(form.data)
    if unknown_entry is None or unknown_entry.connection is None:
        # Nothing on record to look for: the form as it stands.
        return _review_or_form(request, form)
    try:
        found = services.channel_find_by_label(
            user=request.user,
            connection=unknown_entry.connection,
            label=unknown_entry.label,
            after=unknown_entry,
        )
    except (LookupFailed, services.ServiceError) as exc:
        message = exc.outcome.kind.title if isinstance(exc, LookupFailed) else str(exc)
        return _review_or_form(
            request, form, lookup_failed=message, unknown_entry=unknown_entry, **extra
        )
    if found is not None:
        messages.info(
            request,
            "The channel exists in Luminous; it was recorded from a look-up of "
            "its label, and nothing was sent again.",
        )
        return redirect_after_post(
            request, reverse("channels_ui:channel-result", args=[found.pk])
        )
    return _review_or_form(
        request,
        _with_new_token(form),
        lookup_not_found=True,
        unknown_entry=unknown_entry,
        **extra,
    )


def _review_or_form(
    request: HtmxHttpRequest, form: ChannelForm, **extra: Any
) -> TemplateResponse:
    """The review page for input that passes; otherwise the form, with why."""
    if form.is_valid():
        return _render_review(request, form, **extra)
    return _render_form(request, form, **extra)


@require_POST
@create_channels
def channel_visibility(request: HtmxHttpRequest) -> HttpResponse:
    """Say which fields and sections apply to the posted type and toggles."""
    toggles = {name: request.POST.get(name) in ("on", "true") for name in TOGGLES}
    visible = rules.visible_fields(
        rules.parse_channel_type(request.POST.get("channelType")), toggles
    )
    response = HttpResponse(status=204)
    return trigger_client_event(
        response,
        "channel-fields:visibility",
        {
            "fields": sorted(visible),
            "sections": sorted(rules.visible_sections(visible)),
        },
    )


@require_http_methods(["POST"])
@create_channels
def channel_label_check(request: HtmxHttpRequest) -> HttpResponse:
    form = _build_form(request.POST.copy())
    return TemplateResponse(
        request,
        "channels_ui/_label_check.html",
        {"form": form, "label_feedback": form.label_feedback()},
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
    entry = get_object_or_404(AuditEntry, pk=pk, outcome=OutcomeKind.CREATED)
    return _render_result(request, entry)


def _render_result(request: HtmxHttpRequest, entry: AuditEntry) -> HttpResponse:
    body = entry.response_json if isinstance(entry.response_json, dict) else {}
    channel = body.get("data") if isinstance(body.get("data"), dict) else {}
    if isinstance(channel, list):
        channel = channel[0] if channel else {}
    return TemplateResponse(
        request,
        "channels_ui/channel_result.html",
        {"entry": entry, "channel": channel},
    )
