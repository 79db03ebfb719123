"""Figures, not a test: what a toggle costs the server, against a full form.

A type change or a toggle asks the server which fields apply (an htmx request);
the reference is Django's plain renderer rendering and validating the complete
channel form with the same data; the three are timed turn about. A company
change, which re-renders the fields with that company's lists, is measured too.

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_form_toggle.py
"""

from __future__ import annotations

from urllib.parse import urlencode

from benchkit import (
    Figure,
    configure_django,
    expect_status,
    median,
    prepared_app,
    report,
    turn_about_ms,
)

RUNS = 200
TARGET_RATIO = 0.3
TOKEN = "bench-token"
HTMX = {"HX-Request": "true"}
FORM_ENCODED = "application/x-www-form-urlencoded"


def form_data(connection_pk: int) -> dict[str, str]:
    products = "\n".join(f"CH-{n}\tLUM-{n}" for n in range(100))
    return {
        "connection": str(connection_pk),
        "form_token": "bench",
        "channelType": "end_to_end_channel",
        "label": "Bench channel",
        "description": "Benchmark",
        "tagIds": "3, 7",
        "warehouseGroupId": "12",
        "pullOrdersFromOms": "on",
        "pullOrderAppIntegrationAccountId": "41",
        "pullOrdersFromOmsOptions": '{"since": "2026-01-01"}',
        "pushOrdersToOms": "on",
        "pushOrderAppIntegrationAccountId": "52",
        "pushStocksToOms": "on",
        "pushStocksAppIntegrationAccountId": "41",
        "pushCostsToOms": "on",
        "integrationProducts": products,
    }


def figures() -> list[Figure]:
    configure_django("toggle")
    from django.conf import settings

    from channels_ui import selectors
    from channels_ui.forms import ChannelForm
    from channels_ui.luminous import client as luminous_client
    from channels_ui.luminous.simulator import BASE_PATH, Simulator, serve

    _user, connection, browser = prepared_app(token=TOKEN)
    data = form_data(connection.pk)
    toggles = {
        key: data[key] for key in data if key == "channelType" or data[key] == "on"
    }

    with serve(Simulator(tokens={TOKEN: "bench"})) as server:
        settings.LUMINOUS_API_BASE_URL = server.url + BASE_PATH
        luminous_client.reset_clients()
        # Fill the lookup cache, as the first page view of a session does.
        browser.get("/channels/new/", {"connection": connection.pk})

        def htmx_post(url: str, fields: dict[str, str], status: int) -> None:
            # URL-encoded, as htmx sends a request from a select or a checkbox.
            response = browser.post(
                url, urlencode(fields), content_type=FORM_ENCODED, headers=HTMX
            )
            expect_status(response, status)

        def toggle() -> None:
            htmx_post("/channels/new/visibility/", toggles, 204)

        def type_change() -> None:
            htmx_post(
                "/channels/new/visibility/",
                {**toggles, "channelType": "fulfillment_channel"},
                204,
            )

        def company_change() -> None:
            htmx_post("/channels/new/", {**data, "_action": "update"}, 200)

        lookups = selectors.form_lookups(connection=connection)
        existing = selectors.channel_labels(connection=connection)

        def plain_render_and_validate() -> None:
            form = ChannelForm(data, lookups=lookups, existing_channels=existing)
            form.is_valid()
            form.render()

        reference, toggle_ms, type_ms = map(
            median, turn_about_ms(RUNS, plain_render_and_validate, toggle, type_change)
        )
        (company_times,) = turn_about_ms(RUNS // 4, company_change)
        company_ms = median(company_times)

    def figure(name: str, value: float, target: float | None) -> Figure:
        return Figure(
            name,
            value,
            "plain form render+validate",
            reference,
            "ms",
            f"<= {target:.2f}x" if target else "(for information)",
            value / reference <= target if target else True,
        )

    return [
        figure("toggle change (htmx, server)", toggle_ms, TARGET_RATIO),
        figure("type change (htmx, server)", type_ms, TARGET_RATIO),
        figure("company change re-render (htmx)", company_ms, None),
    ]


if __name__ == "__main__":
    report(f"Form re-render, median of {RUNS} requests", figures())
