from __future__ import annotations

import csv
import functools
import json
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from channels_ui import selectors
from channels_ui.models import (
    OUTCOME_CHOICES,
    AuditEntry,
)
from channels_ui.roles import READ_AUDIT_LOG
from channels_ui.rules import ChannelType
from channels_ui.views._http import HtmxHttpRequest
from channels_ui.views.audit_html import FilterControl, audit_rows

LIST_TEMPLATE = "channels_ui/audit_list.html"
TZ_COOKIE = "tz"
# Dates outside this range would overflow once moved to UTC; nothing is logged
# there anyway.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(9000, 1, 1)

# Exported columns. The form token is left out: it is an internal key that
# stops a double submit, with no meaning to a reader.
EXPORT_FIELDS = [
    "id", "created_at", "completed_at", "user_id", "username", "connection_id",
    "connection_name", "subdomain", "environment", "channel_type", "label",
    "outcome", "no_reply_recorded", "response_status", "message", "channel_id",
    "channel_uuid", "duration_ms", "retry_after", "request_json", "response_json",
    "response_text", "response_truncated", "chain_seq", "entry_hash",
    "completion_seq", "completion_hash",
]  # fmt: skip
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

read_audit_log = permission_required(READ_AUDIT_LOG, raise_exception=True)


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def viewer_timezone(request: HtmxHttpRequest) -> zoneinfo.ZoneInfo:
    """Return the zone the browser reported in the ``tz`` cookie, or UTC."""
    name = request.COOKIES.get(TZ_COOKIE, "")
    return zoneinfo.ZoneInfo(name if name in _known_zones() else "UTC")


def in_viewer_timezone(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Run a view, and render its template, in the viewer's time zone."""

    @functools.wraps(view)
    def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(viewer_timezone(request)):
            response = view(request, *args, **kwargs)
            # A TemplateResponse renders after the view returns, which would be
            # outside the zone.
            if isinstance(response, SimpleTemplateResponse):
                response.render()
        return response

    return wrapper


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        validators=[MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AuditFilterForm(forms.Form):
    company = forms.ChoiceField(required=False)
    channel_type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Any type")] + [(kind.value, kind.title) for kind in ChannelType],
    )
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any outcome"), *OUTCOME_CHOICES]
    )
    user = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    since = _date_field("From")
    until = _date_field("To")
    q = forms.CharField(
        label="Label or channel id",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, data: Any, *, choices: selectors.AuditChoices) -> None:
        super().__init__(data)
        self.fields["company"].choices = [("", "Any company")] + [
            (subdomain, f"{name} ({subdomain})")
            for subdomain, name in choices.companies
        ]
        self.fields["user"].choices = [("", "Any user"), *choices.users]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            # Both are shown as refused, and so neither narrows the list.
            self.add_error("since", "“From” is after “To”; neither date is applied.")
            self.add_error("until", "“To” is before “From”; neither date is applied.")
        return data

    def controls(self) -> list[FilterControl]:
        """Describe each field for the page, which draws them as HTML."""
        controls = []
        for bound in self:
            value = bound.value()
            value = "" if value is None else str(value)
            choices = getattr(bound.field, "choices", None)
            widget_type = getattr(bound.field.widget, "input_type", "text")
            controls.append(
                FilterControl(
                    name=bound.html_name,
                    id=bound.auto_id,
                    label=str(bound.label),
                    type="select" if choices else widget_type,
                    value=value,
                    options=[
                        (str(key), text, str(key) == value)
                        for key, text in choices or []
                    ],
                    errors=list(bound.errors),
                    refilter_on_change=widget_type != "search",
                    maxlength=getattr(bound.field, "max_length", None),
                )
            )
        return controls

    def filters(self) -> selectors.AuditFilters:
        """Return the valid filters; an invalid one is shown and ignored."""
        self.is_valid()
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        since, until = data.get("since"), data.get("until")
        return selectors.AuditFilters(
            company=data.get("company") or "",
            channel_type=data.get("channel_type") or "",
            outcome=data.get("outcome") or "",
            user_id=data.get("user"),
            since=datetime.combine(since, time.min, zone) if since else None,
            until=(
                datetime.combine(until + timedelta(days=1), time.min, zone)
                if until
                else None
            ),
            search=data.get("q") or "",
        )


def _filter_form(request: HtmxHttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET, choices=selectors.audit_filter_choices())


@require_GET
@vary_on_headers("HX-Request")
@read_audit_log
@in_viewer_timezone
def audit_list(request: HtmxHttpRequest) -> HttpResponse:
    form = _filter_form(request)
    page = selectors.audit_entry_page(
        filters=form.filters(),
        older=request.GET.get("older"),
        newer=request.GET.get("newer"),
    )
    template = LIST_TEMPLATE
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    if partial:
        template = f"{LIST_TEMPLATE}#audit-table"
    context = {
        "controls": form.controls(),
        "partial": partial,
        "page": page,
        "rows": audit_rows(page.entries),
        "tz_name": timezone.get_current_timezone_name(),
    }
    return TemplateResponse(request, template, context)


@require_GET
@read_audit_log
@in_viewer_timezone
def audit_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors.audit_entries(), pk=pk)
    row = audit_rows([entry])[0]
    response_pretty = (
        _pretty(entry.response_json)
        if entry.response_json is not None
        else entry.response_text
    )
    return TemplateResponse(
        request,
        "channels_ui/audit_detail.html",
        {
            "entry": entry,
            "row": row,
            # The API's own word for success only repeats the badge.
            "outcome_message": (
                ""
                if entry.message.rstrip(".").casefold() == row.outcome.casefold()
                else entry.message
            ),
            "request_pretty": _pretty(entry.request_json),
            "response_pretty": response_pretty,
            "tz_name": timezone.get_current_timezone_name(),
        },
    )


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@require_GET
@read_audit_log
@in_viewer_timezone
def audit_export_csv(request: HtmxHttpRequest) -> HttpResponse:
    return _export(request, _csv_lines, "text/csv; charset=utf-8", "csv")


@require_GET
@read_audit_log
@in_viewer_timezone
def audit_export_json(request: HtmxHttpRequest) -> HttpResponse:
    return _export(request, _json_array, "application/json", "json")


def _export(
    request: HtmxHttpRequest,
    encode: Callable[[Iterable[AuditEntry]], Iterator[str]],
    content_type: str,
    extension: str,
) -> HttpResponse:
    form = _filter_form(request)
    if not form.is_valid():
        # The list shows each refused value next to its field; an export that
        # ignored them would hand over more than the user asked for.
        messages.error(
            request,
            "Nothing was exported: correct the filters marked below, then export "
            "again.",
        )
        return redirect(
            f"{reverse('channels_ui:audit-list')}?{request.GET.urlencode()}"
        )
    entries = selectors.audit_entry_export(filters=form.filters())
    return _download(encode(entries), content_type, extension)


def _download(
    chunks: Iterable[str], content_type: str, extension: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-log-{stamp}.{extension}"'
    )
    return response


def _export_record(entry: AuditEntry) -> dict[str, Any]:
    record = {name: getattr(entry, name, None) for name in EXPORT_FIELDS}
    record["no_reply_recorded"] = entry.no_reply_recorded
    for name in ("created_at", "completed_at"):
        if record[name] is not None:
            record[name] = record[name].astimezone(UTC).isoformat()
    return record


class _Echo:
    """A file-like object whose write returns the line, for streaming csv."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for entry in entries:
        record = _export_record(entry)
        yield writer.writerow([_csv_cell(record[name]) for name in EXPORT_FIELDS])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _json_array(entries: Iterable[AuditEntry]) -> Iterator[str]:
    yield "["
    separator = "\n"
    for entry in entries:
        yield separator + json.dumps(_export_record(entry), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
