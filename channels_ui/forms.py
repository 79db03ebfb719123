from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from channels_ui import rules
from channels_ui.models import Connection, Environment
from channels_ui.rules import FIELD_RULES, RULES_BY_NAME, SECTIONS, TOGGLES, Kind
from channels_ui.selectors import FormLookups
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
        return self.cleaned_data["subdomain"].lower()

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


class IdListField(forms.CharField):
    """A list of positive integer IDs typed as "3, 7 9"."""

    def to_python(self, value: Any) -> list[int]:
        text = super().to_python(value)
        ids: list[int] = []
        for part in re.split(r"[\s,;]+", text):
            if not part:
                continue
            if not part.isdigit() or int(part) < 1:
                raise ValidationError(
                    f"{part!r} is not a positive whole number.", code="invalid_id"
                )
            if int(part) not in ids:
                ids.append(int(part))
        return ids


class JsonObjectField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def to_python(self, value: Any) -> dict[str, Any] | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
                code="invalid_json",
            ) from None
        if not isinstance(parsed, dict):
            raise ValidationError("Enter a JSON object: {...}.", code="not_object")
        return parsed


HEADER_WORDS = {"channel sku", "channelsku", "channel_sku", "sku", "lum sku",
                "luminous sku", "luminoussku", "luminous_sku"}  # fmt: skip


class ProductRowsField(forms.CharField):
    """Integration products pasted as rows of "channel SKU, Luminous SKU".

    Rows may be separated by tabs (a spreadsheet paste) or commas; a header row and
    blank rows are skipped.
    """

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def to_python(self, value: Any) -> list[dict[str, str]]:
        text = super().to_python(value)
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            return []
        delimiter = "\t" if "\t" in lines[0] else ","
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        if {cell.strip().lower() for cell in rows[0]} <= HEADER_WORDS:
            rows = rows[1:]
        products: list[dict[str, str]] = []
        problems: list[str] = []
        for number, row in enumerate(rows, start=1):
            cells = [cell.strip() for cell in row]
            if len(cells) != len(rules.PRODUCT_FIELDS):
                problems.append(f"Row {number}: expected 2 values, found {len(cells)}.")
                continue
            products.append(dict(zip(rules.PRODUCT_FIELDS, cells, strict=True)))
        if problems:
            raise ValidationError(problems, code="bad_rows")
        return products


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


class ChannelForm(forms.Form):
    """Every field of ``POST /channels``, shown and checked by the rule table."""

    connection = forms.ModelChoiceField(
        queryset=Connection.objects.usable(), empty_label="Choose a company…",
        label="Company",
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        lookups: FormLookups | None = None,
        rerender_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lookups = lookups or FormLookups()
        self.payload: dict[str, Any] = {}
        for rule in FIELD_RULES:
            self.fields[rule.name] = _form_field(
                rule, self.lookups.choices.get(rule.name)
            )
        for name, notice in self.lookups.failures.items():
            self.fields[name].help_text = notice
        if rerender_url:
            # Changing one of these can show or hide fields: ask the server for the
            # re-rendered fields, which hold every value typed so far.
            for name in ("connection", "channelType", *TOGGLES):
                self.fields[name].widget.attrs.update({
                    "hx-post": rerender_url,
                    "hx-trigger": "change",
                    "hx-target": "#channel-fields",
                    "hx-select": "#channel-fields",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                    "hx-vals": '{"_action": "update"}',
                    "hx-sync": "closest form:replace",
                })  # fmt: skip
        self.visible = self.visible_fields_now()
        self.helper = self._helper()

    def suppress_errors(self) -> None:
        """Render the values typed so far without judging them (mid-edit)."""
        self._errors = ErrorDict()

    def _value(self, name: str) -> Any:
        return self[name].value()

    def selected_connection(self) -> Connection | None:
        value = self._value("connection")
        if isinstance(value, Connection):
            return value
        try:
            return Connection.objects.usable().get(pk=int(value))
        except (TypeError, ValueError, Connection.DoesNotExist):
            return None

    def visible_fields_now(self) -> frozenset[str]:
        """The fields that apply to what is selected in the form right now."""
        channel_type = rules.parse_channel_type(self._value("channelType"))
        toggles = {
            name: self.fields[name].to_python(self._value(name)) for name in TOGGLES
        }
        return rules.visible_fields(channel_type, toggles)

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        parts: list[Any] = [Field("connection")]
        for section in SECTIONS:
            names = [rule.name for rule in FIELD_RULES if rule.section == section.name]
            wrapped = [
                Div(Field(name), css_id=f"wrap-{name}", hidden=name not in self.visible)
                for name in names
            ]
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

    @property
    def is_production(self) -> bool:
        connection = self.selected_connection()
        return bool(connection and connection.environment == Environment.PRODUCTION)


def _row_message(path: str, message: str) -> str:
    """Prefix messages about one integration product with its row number."""
    match = re.fullmatch(r"integrationProducts\.(\d+)(?:\.\w+)?", path)
    if match:
        return f"Row {int(match.group(1)) + 1}: {message}"
    return message
