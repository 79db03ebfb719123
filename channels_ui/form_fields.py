"""Form fields for the channel form's JSON-shaped values."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from channels_ui import rules


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
            parsed = json.loads(
                text, parse_constant=_refuse_constant, parse_float=_finite_float
            )
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
                code="invalid_json",
            ) from None
        except RecursionError:
            raise ValidationError(
                "The JSON is nested too deeply.", code="too_deep"
            ) from None
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid_json") from None
        if _depth(parsed) > MAX_JSON_DEPTH:
            raise ValidationError(
                f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.",
                code="too_deep",
            )
        if not isinstance(parsed, dict):
            raise ValidationError("Enter a JSON object: {...}.", code="not_object")
        return parsed


# Deeper than any real options object, and far from Python's recursion limit.
MAX_JSON_DEPTH = 20


# JSON has no NaN or Infinity, though Python's parser accepts them.
def _refuse_constant(name: str) -> None:
    raise ValueError(f"Not valid JSON: {name} is not a JSON number.")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"Not valid JSON: {text} is too large a number.")
    return number


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    return 0


# The same header names as the products table in static/js/app.js.
HEADER_WORDS = {"channel sku", "channelsku", "channel_sku", "ch sku", "ch_sku",
                "sku", "lum sku", "lum_sku", "luminous sku", "luminoussku",
                "luminous_sku"}  # fmt: skip


def cell_separator(first_line: str) -> str:
    """Tabs for a spreadsheet paste, semicolons for a CSV file from a spreadsheet
    set to a language that writes decimal commas, else commas; the same rule as
    ``cellSeparator`` in static/js/app.js."""
    if "\t" in first_line:
        return "\t"
    if ";" in first_line and "," not in first_line:
        return ";"
    return ","


def product_cells(text: str) -> list[list[str]]:
    """Split pasted or uploaded rows into stripped cells, without a header row.

    Cells are separated as ``cell_separator`` says; blank lines are skipped.
    """
    # A spreadsheet's "CSV UTF-8" export starts with a byte-order mark.
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not lines:
        return []
    rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=cell_separator(lines[0]))
    cells = [[cell.strip() for cell in row] for row in rows]
    if {cell.lower() for cell in cells[0]} <= HEADER_WORDS:
        cells = cells[1:]
    return cells


class ProductRowsField(forms.CharField):
    """Integration products pasted as rows of "channel SKU, Luminous SKU".

    Rows may be separated by tabs (a spreadsheet paste), semicolons or commas; a
    header row and blank rows are skipped.
    """

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def to_python(self, value: Any) -> list[dict[str, str]]:
        products: list[dict[str, str]] = []
        problems: list[str] = []
        for number, cells in enumerate(product_cells(super().to_python(value)), 1):
            if len(cells) != len(rules.PRODUCT_FIELDS):
                problems.append(f"Row {number}: expected 2 values, found {len(cells)}.")
                continue
            products.append(dict(zip(rules.PRODUCT_FIELDS, cells, strict=True)))
        if problems:
            raise ValidationError(problems, code="bad_rows")
        return products


def check_uploaded_rows(text: str) -> None:
    """Refuse a products file that would empty the table or overfill it.

    Either way the rows typed before are kept. A file with malformed rows is
    let in: the form then names each bad row, which the user can correct.
    """
    rows = [cells for cells in product_cells(text) if any(cells)]
    if not rows:
        raise ValidationError(
            "The file holds no product rows; the rows above are kept.",
            code="no_rows",
        )
    if len(rows) > rules.MAX_INTEGRATION_PRODUCTS:
        raise ValidationError(
            f"The file holds {len(rows)} rows; at most "
            f"{rules.MAX_INTEGRATION_PRODUCTS} can be sent. The rows above are kept.",
            code="too_many_rows",
        )


class SuggestedIdsWidget(forms.Widget):
    """Checkboxes for the IDs we know of, and a text box for any other ID.

    Both inputs share the field's name, so the posted values are simply joined.
    """

    def __init__(
        self, suggest: Callable[[], Any], attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        # Called at render time; returns an object with ``tags`` and ``notice``.
        self.suggest = suggest

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return " ".join(str(value) for value in values if value and str(value).strip())

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> str:  # fmt: skip
        suggestions = self.suggest()
        known = {suggestion.id for suggestion in suggestions.tags}
        # What was typed comes back as typed, mistakes included, less the IDs
        # that a ticked box shows.
        parts = _parts(value)
        chosen = {int(part) for part in parts if part.isdigit()}
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id", f"id_{name}")
        boxes = [
            format_html(
                '<div class="form-check form-check-inline">'
                '<input class="form-check-input" type="checkbox" name="{}" value="{}"'
                ' id="{}_{}"{}><label class="form-check-label" for="{}_{}">{}</label>'
                "</div>",
                name,
                suggestion.id,
                base_id,
                suggestion.id,
                mark_safe(" checked") if suggestion.id in chosen else "",
                base_id,
                suggestion.id,
                f"{suggestion.name} (#{suggestion.id})"
                if suggestion.name
                else f"#{suggestion.id}",
            )  # fmt: skip
            for suggestion in suggestions.tags
        ]
        others = ", ".join(
            part for part in parts if not (part.isdigit() and int(part) in known)
        )
        attrs.setdefault("class", "form-control")
        attrs["placeholder"] = "Other tag IDs, e.g. 3, 7" if boxes else "e.g. 3, 7"
        text = format_html(
            '<input type="text" name="{}" value="{}"{}>', name, others, flatatt(attrs)
        )
        group = format_html('<div class="mb-1">{}</div>', mark_safe("".join(boxes)))
        notice = format_html(
            '<div class="form-text text-warning-emphasis">{}</div>', suggestions.notice
        )
        return mark_safe(
            (group if boxes else "") + text + (notice if suggestions.notice else "")
        )


def _parts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [part for part in re.split(r"[\s,;]+", str(value or "")) if part]
