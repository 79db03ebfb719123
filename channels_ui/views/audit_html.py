"""The audit list's rows and filter controls, drawn in Python.

The list draws fifty rows, seven filter controls and a few dozen options on
every request. Drawn by the template engine, each cell was a variable node with
its own lookup and escape, and together they took longer than the query behind
the page. Escaping the same values here takes a fraction of that time. Every
value is a plain ``str``, so ``html.escape`` does what Django's ``escape`` does
without wrapping each one in a ``SafeString`` of its own.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from channels_ui.models import (
    NO_REPLY_RECORDED,
    OUTCOME_CHOICES,
    PENDING,
    Environment,
    no_reply_recorded,
    stale_pending_cutoff,
)
from channels_ui.rules import ChannelType

# The connection form's long label explains the choice; a table cell needs
# only the word.
ENVIRONMENTS = {**dict(Environment.choices), Environment.SANDBOX: "Sandbox"}
CHANNEL_TYPES = {kind.value: kind.title for kind in ChannelType}
OUTCOMES = dict(OUTCOME_CHOICES)

ROW_HTML = (
    '<tr><td><a href="{}"><time datetime="{}">{}</time></a></td>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    '<td><span class="badge {}">{}</span></td><td>{}</td></tr>\n'
)

CONTROL_HTML = (
    '<div class="col-sm-6 col-lg-3">\n'
    '<label class="form-label small mb-1" for="{}">{}</label>\n{}{}</div>\n'
)
SELECT_HTML = '<select class="form-select{}" name="{}" id="{}">{}</select>\n'
OPTION_HTML = '<option value="{}"{}>{}</option>'
INPUT_HTML = '<input class="form-control{}" type="{}" name="{}" id="{}" value="{}"{}>\n'
ERROR_HTML = '<div class="invalid-feedback d-block">{}</div>'
ERRORS_HTML = '<div id="{}-errors"{}>{}</div>\n'


@dataclass(frozen=True)
class AuditRow:
    """One entry's cells, as text; the row draws itself as a table row."""

    url: str
    time: str
    time_iso: str
    username: str
    company: str
    channel_type: str
    label: str
    outcome: str
    badge: str
    channel_id: str

    def __html__(self) -> SafeString:
        cells = (
            self.url,
            self.time_iso,
            self.time,
            self.username,
            self.company,
            self.channel_type,
            self.label,
            self.badge,
            self.outcome,
            self.channel_id,
        )
        return mark_safe(ROW_HTML.format(*map(html.escape, cells)))

    # The template engine calls str() before it looks for __html__.
    __str__ = __html__


def audit_rows(entries: Iterable[Any]) -> list[AuditRow]:
    """Format entries, or rows with the same attributes, in the current time zone."""
    zone = timezone.get_current_timezone()
    cutoff = stale_pending_cutoff()
    # Reversed once: the id is the only part that changes.
    url = reverse("channels_ui:audit-detail", args=[0]).removesuffix("0/")
    rows = []
    for entry in entries:
        local = entry.created_at.astimezone(zone)
        unknown = no_reply_recorded(entry.outcome, entry.created_at, cutoff)
        environment = ENVIRONMENTS.get(entry.environment, entry.environment)
        rows.append(
            AuditRow(
                url=f"{url}{entry.id}/",
                time=local.strftime("%Y-%m-%d %H:%M:%S %Z"),
                time_iso=local.isoformat(),
                username=entry.username,
                company=f"{entry.connection_name} ({entry.subdomain}, {environment})",
                channel_type=CHANNEL_TYPES.get(entry.channel_type, entry.channel_type),
                label=entry.label,
                outcome=(
                    NO_REPLY_RECORDED
                    if unknown
                    else OUTCOMES.get(entry.outcome, entry.outcome)
                ),
                badge=_badge(entry.outcome, unknown),
                channel_id="" if entry.channel_id is None else str(entry.channel_id),
            )
        )
    return rows


def _badge(outcome: str, unknown: bool) -> str:
    if unknown:
        return "text-bg-danger"
    if outcome == PENDING:
        return "text-bg-secondary"
    return "text-bg-success" if outcome == "created" else "text-bg-warning"


@dataclass(frozen=True)
class FilterControl:
    """One field of the filter form, drawn as a Bootstrap column."""

    name: str
    id: str
    label: str
    # The input's type; "select" for a field with choices.
    type: str
    value: str
    # (value, text, selected) for a select's options.
    options: list[tuple[str, str, bool]]
    errors: list[str]
    # Whether a change re-filters at once; the search box waits for typing.
    refilter_on_change: bool = True
    maxlength: int | None = None

    def __html__(self) -> SafeString:
        refilter = " refilter-on-change" if self.refilter_on_change else ""
        if self.type == "select":
            options = "".join(
                OPTION_HTML.format(
                    html.escape(value), " selected" if on else "", html.escape(text)
                )
                for value, text, on in self.options
            )
            field = SELECT_HTML.format(
                refilter, html.escape(self.name), html.escape(self.id), options
            )
        else:
            limit = "" if self.maxlength is None else f' maxlength="{self.maxlength}"'
            field = INPUT_HTML.format(
                refilter,
                html.escape(self.type),
                html.escape(self.name),
                html.escape(self.id),
                html.escape(self.value),
                limit,
            )
        return mark_safe(
            CONTROL_HTML.format(
                html.escape(self.id), html.escape(self.label), field, self.errors_html()
            )
        )

    __str__ = __html__

    def errors_html(self, *, out_of_band: bool = False) -> SafeString:
        """The field's messages, in a slot that is there even when empty.

        An htmx filter request swaps only the table; its response carries each
        slot out of band, so a refused value is named next to its field, and a
        corrected one loses its message.
        """
        messages = "".join(ERROR_HTML.format(html.escape(e)) for e in self.errors)
        oob = ' hx-swap-oob="true"' if out_of_band else ""
        return mark_safe(ERRORS_HTML.format(html.escape(self.id), oob, messages))

    @property
    def errors_out_of_band(self) -> SafeString:
        return self.errors_html(out_of_band=True)
