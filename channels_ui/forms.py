from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from functools import cached_property
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from channels_ui import rules
from channels_ui.form_fields import (
    IdListField,
    JsonObjectField,
    ProductRowsField,
    SuggestedIdsWidget,
)
from channels_ui.models import Connection
from channels_ui.plain_reads import read_one
from channels_ui.rules import FIELD_RULES, RULES_BY_NAME, SECTIONS, TOGGLES, Kind
from channels_ui.selectors import FormLookups
from channels_ui.suggestions import ACCOUNT_FIELDS, Suggestions
from channels_ui.tokens import normalize_token

# --- Company connections --------------------------------------------------------


class TokenField(forms.CharField):
    widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        try:
            return normalize_token(value or "")
        except ValueError as exc:
            raise ValidationError(str(exc), code="empty_token") from None


SUBDOMAIN_IN_USE = (
    "A connection to this subdomain is in use already; replace its token instead "
    "of adding it again."
)


class ConnectionForm(forms.ModelForm):
    token = TokenField(
        label="API token",
        help_text="Created in Luminous under Settings → API tokens. It is stored "
        "encrypted and never shown again.",
    )

    class Meta:
        model = Connection
        fields = ["name", "subdomain", "environment"]
        help_texts = {"subdomain": "acme for acme.api.joinluminous.com"}

    def clean_subdomain(self) -> str:
        subdomain = self.cleaned_data["subdomain"].lower()
        # The model's constraint is not checked by the form: its condition reads
        # revoked_at, which the form does not hold.
        in_use = Connection.objects.usable().filter(subdomain=subdomain)
        if in_use.exclude(pk=self.instance.pk).exists():
            raise ValidationError(SUBDOMAIN_IN_USE, code="subdomain_in_use")
        return subdomain

    def save(self, commit: bool = True) -> Connection:
        self.instance.set_token(self.cleaned_data["token"])
        return super().save(commit=commit)


class ConnectionEditForm(forms.ModelForm):
    class Meta:
        model = Connection
        fields = ["name", "environment"]


class TokenReplaceForm(forms.Form):
    token = TokenField(
        label="New API token", help_text="Tested as soon as it is saved."
    )


# --- Channel form ---------------------------------------------------------------


def _form_field(
    rule: rules.FieldRule, choices: list[tuple[int, str]] | None
) -> forms.Field:
    common = {"label": rule.label, "required": False, "help_text": rule.help}
    match rule.kind:
        case Kind.CHOICE:
            options = [("", "Choose a type…")] + [
                (kind.value, kind.title) for kind in rules.ChannelType
            ]
            return forms.ChoiceField(choices=options, **common)
        case Kind.TOGGLE:
            return forms.BooleanField(**common)
        case Kind.ID if choices is not None:
            return forms.TypedChoiceField(
                choices=[("", "Choose…"), *choices],
                coerce=int,
                empty_value=None,
                **common,
            )
        case Kind.ID:
            return forms.IntegerField(min_value=1, **common)
        case Kind.ID_LIST:
            return IdListField(**common)
        case Kind.JSON_OBJECT:
            return JsonObjectField(**common)
        case Kind.PRODUCTS:
            return ProductRowsField(**common)
        case Kind.TEXT if rule.name == "description":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    return forms.CharField(max_length=255, **common)


def usable_connection(value: Any) -> Connection | None:
    """The connection a form value names, if it exists and may be used."""
    if isinstance(value, Connection):
        return value
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    # Connection.objects.usable(), read in plain SQL: the form reads it on
    # every post.
    return read_one(Connection, pk=pk, revoked_at=None)


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def initial_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Turn a sent payload back into form values ("create another like this")."""
    initial: dict[str, Any] = {}
    for rule in FIELD_RULES:
        value = payload.get(rule.name)
        if value is None:
            continue
        match rule.kind:
            case Kind.ID_LIST:
                value = ", ".join(str(item) for item in value)
            case Kind.JSON_OBJECT:
                value = json.dumps(value, indent=2)
            case Kind.PRODUCTS:
                value = "\n".join(
                    "\t".join(str(item.get(key, "")) for key in rules.PRODUCT_FIELDS)
                    for item in value
                    if isinstance(item, dict)
                )
        initial[rule.name] = value
    return initial


# Attributes that make a field ask the server for re-rendered fields on change.
def _rerender_attrs(url: str) -> dict[str, str]:
    return {
        "hx-post": url,
        "hx-trigger": "change",
        "hx-target": "#channel-fields",
        "hx-select": "#channel-fields",
        "hx-swap": "outerHTML",
        "hx-include": "closest form",
        "hx-vals": '{"_action": "update"}',
        "hx-sync": "closest form:replace",
    }


class CompanyField(forms.ModelChoiceField):
    """The company select; it reuses the connection the view looked up already
    instead of reading the same row again."""

    known: Connection | None = None

    def to_python(self, value: Any) -> Connection | None:
        known = self.known
        if known is not None and str(value) == str(known.pk):
            return known
        return super().to_python(value)


class ChannelForm(forms.Form):
    """Every field of ``POST /channels``, shown and checked by the rule table."""

    connection = CompanyField(
        queryset=Connection.objects.usable(), empty_label="Choose a company…",
        label="Company",
    )  # fmt: skip
    # One per filled-in form: the server sends at most one request per token.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    productsFile = forms.FileField(
        required=False,
        label="Or load a CSV file",
        help_text="UTF-8; channel SKU, then Luminous SKU, split by commas or "
        "semicolons; a header row is optional. It replaces the rows above.",
    )

    def __init__(
        self,
        *args: Any,
        lookups: FormLookups | None = None,
        existing_channels: list[dict[str, Any]] | None = None,
        suggestions: Callable[[], Suggestions] | None = None,
        company: Connection | None = None,
        rerender_url: str = "",
        visibility_url: str = "",
        label_check_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if company is not None:
            # The caller looked the chosen company up already.
            self._selected = company
            self.fields["connection"].known = company
        self.lookups = lookups or FormLookups()
        # None when the company's channels could not be listed.
        self.existing_channels = existing_channels
        self.payload: dict[str, Any] = {}
        for rule in FIELD_RULES:
            self.fields[rule.name] = _form_field(
                rule, self.lookups.choices.get(rule.name)
            )
        for name, notice in self.lookups.failures.items():
            self.fields[name].help_text = notice
        # Fetched only if the form is rendered: sending needs no suggestions.
        self._suggest = suggestions or Suggestions
        self.fields["tagIds"].widget = SuggestedIdsWidget(lambda: self.suggestions)
        for name in ACCOUNT_FIELDS:
            self.fields[name].widget.attrs["list"] = "account-suggestions"
        self.fields["integrationProducts"].widget.attrs["data-products-table"] = ""
        if rerender_url:
            # A new company brings its own lists: the fields are rendered anew.
            self.fields["connection"].widget.attrs.update(_rerender_attrs(rerender_url))
        if visibility_url:
            # Type and toggles only show or hide fields that are already on the
            # page; the server answers which, from the rule table.
            for name in ("channelType", *TOGGLES):
                self.fields[name].widget.attrs.update({
                    "hx-post": visibility_url,
                    "hx-trigger": "change",
                    "hx-swap": "none",
                    "hx-include": "#id_channelType, .rule-toggle",
                    "hx-sync": "closest form:replace",
                })  # fmt: skip
            for name in TOGGLES:
                self.fields[name].widget.attrs["class"] = "rule-toggle"
            upload = _rerender_attrs(rerender_url) | {
                "hx-encoding": "multipart/form-data"
            }
            self.fields["productsFile"].widget.attrs.update(upload)
        if label_check_url:
            self.fields["label"].widget.attrs.update({
                "hx-post": label_check_url,
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#label-check",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
                "hx-sync": "this:replace",
                "aria-describedby": "label-check",
            })  # fmt: skip
        self.visible = self.visible_fields_now()

    @cached_property
    def suggestions(self) -> Suggestions:
        return self._suggest()

    def suppress_errors(self) -> None:
        """Render the values typed so far without judging them (mid-edit)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def _value(self, name: str) -> Any:
        return self[name].value()

    def selected_connection(self) -> Connection | None:
        # The company field's own clean() found it already, once the form is valid.
        cleaned = getattr(self, "cleaned_data", {}).get("connection")
        if isinstance(cleaned, Connection):
            return cleaned
        if not hasattr(self, "_selected"):
            self._selected = usable_connection(self._value("connection"))
        return self._selected

    def visible_fields_now(self) -> frozenset[str]:
        """The fields that apply to what is selected in the form right now."""
        channel_type = rules.parse_channel_type(self._value("channelType"))
        toggles = {
            name: self.fields[name].to_python(self._value(name)) for name in TOGGLES
        }
        return rules.visible_fields(channel_type, toggles)

    @cached_property
    def helper(self) -> FormHelper:
        """The crispy layout; built only when the form is rendered."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        parts: list[Any] = [Field("form_token"), Field("connection")]
        for section in SECTIONS:
            names = [rule.name for rule in FIELD_RULES if rule.section == section.name]
            wrapped: list[Any] = []
            for name in names:
                inner: list[Any] = [Field(name)]
                if name == "label":
                    inner.append(HTML('{% include "channels_ui/_label_check.html" %}'))
                if name == "integrationProducts":
                    inner.append(Field("productsFile"))
                hidden = name not in self.visible
                wrapped.append(Div(*inner, css_id=f"wrap-{name}", hidden=hidden))
            parts.append(
                Fieldset(
                    section.title,
                    *wrapped,
                    css_id=f"section-{section.name}",
                    hidden=not any(name in self.visible for name in names),
                )
            )
        helper.layout = Layout(*parts)
        return helper

    def label_feedback(self) -> tuple[str, str] | None:
        """Compare the typed label with the company's channels: (level, message)."""
        label = (self._value("label") or "").strip()
        if not label or self.selected_connection() is None:
            return None
        if self.existing_channels is None:
            return ("warning", LABEL_UNCHECKED)
        for channel in self.existing_channels:
            if channel.get("label") == label:
                return ("error", LABEL_TAKEN.format(label=label, id=channel.get("id")))
        folded = label.casefold()
        for channel in self.existing_channels:
            other = str(channel.get("label") or "")
            if other.strip().casefold() == folded:
                return (
                    "warning",
                    LABEL_SIMILAR.format(label=other, id=channel.get("id")),
                )
        return ("ok", LABEL_FREE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        toggles = {name: bool(cleaned.get(name)) for name in TOGGLES}
        visible = rules.visible_fields(
            rules.parse_channel_type(cleaned.get("channelType")), toggles
        )
        # A field that does not apply is never checked nor sent, whatever it holds.
        for name in RULES_BY_NAME:
            if name not in visible:
                self._errors.pop(name, None)
                cleaned.pop(name, None)
        self.payload = rules.build_payload(cleaned)
        for path, messages in rules.validate_payload(self.payload).items():
            name = path.split(".", 1)[0]
            if name not in self._errors:
                self.add_error(name, [_row_message(path, m) for m in messages])
        feedback = self.label_feedback()
        if feedback and feedback[0] == "error" and "label" not in self._errors:
            self.add_error("label", feedback[1])
        self._note_product_rows()
        return cleaned

    def add_api_errors(self, errors: dict[str, list[str]]) -> None:
        """Put a 422's messages on the fields they name; the rest on the form."""
        for path, messages in errors.items():
            name = path.split(".", 1)[0]
            texts = [_row_message(path, message) for message in messages]
            if name in RULES_BY_NAME and name in self.visible:
                self.add_error(name, texts)
            else:
                self.add_error(None, [f"{path}: {text}" for text in texts])
        self._note_product_rows()

    def summary(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """What will be sent, by section, in words: for the review step."""
        sections = []
        for section in SECTIONS:
            rows = []
            for rule in FIELD_RULES:
                if rule.section == section.name and rule.name in self.payload:
                    rows.append((rule.label, self._describe(rule, self.payload)))
            if rows:
                sections.append((section.title, rows))
        return sections

    def _describe(self, rule: rules.FieldRule, payload: dict[str, Any]) -> str:
        value = payload[rule.name]
        match rule.kind:
            case Kind.TOGGLE:
                return "Yes" if value else "No"
            case Kind.CHOICE:
                return rules.ChannelType(value).title
            case Kind.ID:
                names = dict(self.lookups.choices.get(rule.name, []))
                return names.get(value, f"#{value}")
            case Kind.ID_LIST:
                return ", ".join(f"#{item}" for item in value)
            case Kind.JSON_OBJECT:
                return json.dumps(value)
            case Kind.PRODUCTS:
                return f"{len(value)} row{'s' if len(value) != 1 else ''}"
        return str(value)

    @property
    def payload_json(self) -> str:
        return json.dumps(self.payload, indent=2, ensure_ascii=False)

    def _note_product_rows(self) -> None:
        """Hand per-row errors to the products table (see static/js/app.js)."""
        rows: dict[str, list[str]] = {}
        for error in self.errors.get("integrationProducts", []):
            match = re.match(r"Row (\d+): (.*)", error)
            if match:
                rows.setdefault(str(int(match.group(1)) - 1), []).append(match.group(2))
        widget = self.fields["integrationProducts"].widget
        widget.attrs["data-row-errors"] = json.dumps(rows)


LABEL_TAKEN = "Channel #{id} is already labelled “{label}”. Choose another label."
LABEL_SIMILAR = (
    "Channel #{id} is labelled “{label}”, which differs only in case or spaces."
)
LABEL_FREE = "No channel of this company has this label."
LABEL_UNCHECKED = (
    "The company's channels could not be listed, so the label was not checked."
)


def _row_message(path: str, message: str) -> str:
    """Prefix messages about one integration product with its row number."""
    match = re.fullmatch(r"integrationProducts\.(\d+)(?:\.\w+)?", path)
    if match:
        return f"Row {int(match.group(1)) + 1}: {message}"
    return message
