"""axe-core on every page of the browser flows: no serious or critical violation.

axe is injected as a script tag, which the app's Content Security Policy would
block (scripts from the app's own origin only), so these pages open in a context
with Playwright's ``bypass_csp``. Only here: the flow tests keep the policy on,
and tests/security checks the pages against it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser.steps import (
    NEW_CHANNEL,
    create_sales_channel,
    fill_sales_channel,
    htmx_quiet,
    paste_products,
    product_rows,
    review,
    set_toggle,
    start_channel,
    submit,
)
from playwright.sync_api import Page, expect

from channels_ui.rules import TOGGLES, ChannelType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page: Page) -> list[str]:
    """Run axe on the page; describe each serious or critical violation."""
    page.add_script_tag(path=AXE)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}) at "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


def every_section(page: Page, connection, simulator) -> None:
    start_channel(page, connection, ChannelType.END_TO_END)
    for name in TOGGLES:
        set_toggle(page, name)
        htmx_quiet(page)


def with_errors(page: Page, connection, simulator) -> None:
    page.goto(NEW_CHANNEL)
    submit(page, page.get_by_role("button", name="Review", exact=True))
    expect(page.locator("#error-summary")).to_be_visible()


def luminous_refused(page: Page, connection, simulator) -> None:
    simulator.inject(
        "POST", "/channels", status=422, times=1,
        body={"message": "Invalid.",
              "errors": {"label": ["Taken."], "integrationProducts.1.sku": ["No."]}},
    )  # fmt: skip
    fill_sales_channel(page, connection, "Refused")
    paste_products(page, product_rows(2))
    review(page)
    submit(page, page.locator("#confirm"))
    expect(
        page.locator("#wrap-integrationProducts tr.product-row-refused")
    ).to_have_count(1)


def outcome_unknown(page: Page, connection, simulator) -> None:
    simulator.inject("POST", "/channels", drop=True, times=1)
    fill_sales_channel(page, connection, "Lost reply")
    review(page)
    submit(page, page.locator("#confirm"))
    expect(page.locator("#lookup-result")).to_be_visible()


def audit_detail(page: Page, connection, simulator) -> None:
    create_sales_channel(page, connection, "Audited")
    page.get_by_role("link", name="Audit entry").click()
    expect(page.locator("#field-label")).to_have_text("Audited")


def audit_list(page: Page, connection, simulator) -> None:
    create_sales_channel(page, connection, "Listed")
    page.goto("/audit/")
    expect(page.locator("#audit-table tbody tr")).to_contain_text("Listed")


def review_page(page: Page, connection, simulator) -> None:
    fill_sales_channel(page, connection, "Reviewed")
    review(page)


def goto(path: str) -> Callable[..., None]:
    return lambda page, connection, simulator: page.goto(path)


def company(page: Page, connection, simulator) -> None:
    page.goto(f"/connections/{connection.pk}/")


def result(page: Page, connection, simulator) -> None:
    create_sales_channel(page, connection, "Result")


PAGES: dict[str, Callable[..., None]] = {
    "empty channel form": goto(NEW_CHANNEL),
    "channel form, every section": every_section,
    "channel form with errors": with_errors,
    "channel form after a 422": luminous_refused,
    "review": review_page,
    "outcome unknown": outcome_unknown,
    "result": result,
    "connections": goto("/connections/"),
    "add a company": goto("/connections/add/"),
    "company": company,
    "audit log": audit_list,
    "audit entry": audit_detail,
}


@pytest.fixture
def axe_page(open_context, admin_user) -> Page:
    return open_context(signed_in_as=admin_user, bypass_csp=True).new_page()


def test_the_sign_in_page_has_no_serious_violation(open_context):
    page = open_context(bypass_csp=True).new_page()
    page.goto("/accounts/login/")
    assert violations(page) == []


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_has_no_serious_violation(axe_page, simulator, acme, name):
    PAGES[name](axe_page, acme, simulator)
    assert violations(axe_page) == []
