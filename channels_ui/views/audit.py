from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from channels_ui import selectors
from channels_ui.views._http import HtmxHttpRequest

PAGE_SIZE = 50


@require_GET
def audit_list(request: HtmxHttpRequest) -> HttpResponse:
    page = Paginator(selectors.audit_entry_list(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "channels_ui/audit_list.html", {"page": page})


@require_GET
def audit_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors.audit_entry_list(), pk=pk)
    return TemplateResponse(
        request,
        "channels_ui/audit_detail.html",
        {
            "entry": entry,
            "request_pretty": json.dumps(entry.request_json, indent=2),
            "response_pretty": (
                json.dumps(entry.response_json, indent=2)
                if entry.response_json is not None
                else entry.response_text
            ),
        },
    )
