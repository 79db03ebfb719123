"""What people do in the app, step by step, for the flow tests and the axe walk.

Each step waits for the page to show its result (an htmx swap settled, a page
loaded) rather than for a fixed time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Request, expect

from channels_ui import rules
from channels_ui.luminous.simulator import SEED

NEW_CHANNEL = "/channels/new/"

ACCOUNTS = SEED["app_integration_accounts"]
ACCOUNT_WITHOUT_STORE_ID = next(a["id"] for a in ACCOUNTS if not a["needs_store_id"])
ACCOUNT_NEEDING_STORE_ID = next(a["id"] for a in ACCOUNTS if a["needs_store_id"])
WAREHOUSE_GROUP = SEED["warehouse_groups"][0]["id"]
# A value the simulator accepts for each ID field. A required field added to the
# rule table without a value here fails the channel tests with a KeyError.
VALID_IDS = {
    "warehouseGroupId": WAREHOUSE_GROUP,
    "dropshipSupplierId": SEED["suppliers"][0]["id"],
    "pullOrderAppIntegrationAccountId": ACCOUNT_WITHOUT_STORE_ID,
    "pushOrderAppIntegrationAccountId": ACCOUNT_WITHOUT_STORE_ID,
    "pushStocksAppIntegrationAccountId": ACCOUNT_WITHOUT_STORE_ID,
}

# htmx marks the element of a request in flight, a target being swapped and new
# content that is settling; hidden attributes arrive at the end of settling.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"
SHOWN_WRAPS = """() => Array.from(document.querySelectorAll("[id^='wrap-']"))
  .filter((wrap) => wrap.checkVisibility())
  .map((wrap) => wrap.id.slice("wrap-".length))
  .sort()"""


def htmx_quiet(page: Page) -> None:
    page.wait_for_function(f"() => !document.querySelector({HTMX_BUSY!r})")


def shown_fields(page: Page) -> set[str]:
    """Return the rule-table fields whose ``#wrap-<field>`` a person can see."""
    return set(page.evaluate(SHOWN_WRAPS))


def expect_fields(page: Page, expected: frozenset[str]) -> None:
    """Wait until htmx is done and exactly ``expected`` fields show, or fail."""
    wanted = sorted(expected)
    # On a timeout the assertion below says which fields are wrong.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function(
            f"""(wanted) => !document.querySelector({HTMX_BUSY!r})
              && JSON.stringify(({SHOWN_WRAPS})()) === JSON.stringify(wanted)""",
            arg=wanted,
        )
    shown = shown_fields(page)
    assert {
        "shown but should be hidden": sorted(shown - expected),
        "hidden but should show": sorted(expected - shown),
    } == {"shown but should be hidden": [], "hidden but should show": []}


def choose_company(page: Page, connection: Any) -> None:
    page.select_option("#id_connection", str(connection.pk))
    # The company's lists come with the fields the server renders for it.
    group = page.locator(f"#id_warehouseGroupId option[value='{WAREHOUSE_GROUP}']")
    expect(group).to_have_count(1)
    htmx_quiet(page)


def choose_type(page: Page, channel_type: rules.ChannelType) -> None:
    page.select_option("#id_channelType", channel_type.value)


def set_toggle(page: Page, name: str, on: bool = True) -> None:
    box = page.locator(f"#id_{name}")
    if box.is_checked() != on:
        box.click()


def fill(page: Page, name: str, value: object) -> None:
    """Type or choose a value, whichever the field's widget takes."""
    if page.locator(f"select#id_{name}").count():
        page.select_option(f"#id_{name}", str(value))
    else:
        page.fill(f"#id_{name}", str(value))


def start_channel(page: Page, connection: Any, channel_type: rules.ChannelType) -> None:
    page.goto(NEW_CHANNEL)
    choose_company(page, connection)
    choose_type(page, channel_type)
    htmx_quiet(page)


def fill_sales_channel(page: Page, connection: Any, label: str) -> None:
    start_channel(page, connection, rules.ChannelType.SALES)
    fill(page, "label", label)
    fill(page, "warehouseGroupId", WAREHOUSE_GROUP)


def submit(page: Page, button: Locator) -> None:
    """Click a button that posts the whole page, and wait for the next page."""
    with page.expect_event("domcontentloaded"):
        button.click()


def review(page: Page) -> None:
    submit(page, page.get_by_role("button", name="Review", exact=True))
    expect(page.get_by_role("heading", name="Review before sending")).to_be_visible()


def confirm(page: Page) -> None:
    """Confirm on the review page; the result comes as the reply to that post."""
    submit(page, page.locator("#confirm"))
    expect(page.get_by_role("heading", name="Channel created")).to_be_visible()


def create_sales_channel(page: Page, connection: Any, label: str) -> None:
    fill_sales_channel(page, connection, label)
    review(page)
    confirm(page)


def paste_products(page: Page, rows: list[tuple[str, str]]) -> None:
    """Paste rows into the products table through the clipboard, tab-separated
    as a spreadsheet copies them."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    text = "\n".join("\t".join(row) for row in rows)
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.locator("#wrap-integrationProducts tbody input").first.focus()
    page.keyboard.press("ControlOrMeta+V")
    count = page.locator("#wrap-integrationProducts [data-count]")
    expect(count).to_have_text(str(len(rows)))


def recorded(page: Page, keep: Callable[[Request], bool]) -> list[Request]:
    """Return a list that collects, from now on, the page's requests that
    ``keep`` accepts."""
    requests: list[Request] = []

    def record(request: Request) -> None:
        if keep(request):
            requests.append(request)

    page.on("request", record)
    return requests


def product_rows(count: int) -> list[tuple[str, str]]:
    return [(f"CH-{n:04}", f"SKU-{n:04}") for n in range(1, count + 1)]


def posts(simulator: Any) -> list[Any]:
    """The create requests the simulated Luminous received."""
    return [
        r for r in simulator.requests if r.method == "POST" and r.path == "/channels"
    ]
