"""Editing the channel form in Chromium: hidden sections, Luminous' 422s, products."""

from __future__ import annotations

import re

import pytest
from browser.steps import (
    ACCOUNT_NEEDING_STORE_ID,
    choose_type,
    confirm,
    fill,
    fill_sales_channel,
    htmx_quiet,
    paste_products,
    posts,
    product_rows,
    review,
    set_toggle,
    start_channel,
    submit,
)
from playwright.sync_api import expect

from channels_ui.rules import MAX_INTEGRATION_PRODUCTS, PRODUCT_FIELDS, ChannelType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRODUCT_ROWS = "#wrap-integrationProducts tbody tr"


def test_a_value_survives_its_toggle_hiding_and_showing_it(page, simulator, acme):
    start_channel(page, acme, ChannelType.END_TO_END)
    set_toggle(page, "pushOrdersToOms")
    htmx_quiet(page)
    fill(page, "pushOrderOmsStoreId", "store-9")
    set_toggle(page, "pushOrdersToOms", False)
    expect(page.locator("#wrap-pushOrderOmsStoreId")).to_be_hidden()
    set_toggle(page, "pushOrdersToOms")
    expect(page.locator("#wrap-pushOrderOmsStoreId")).to_be_visible()
    expect(page.locator("#id_pushOrderOmsStoreId")).to_have_value("store-9")


def test_a_value_survives_its_section_hiding_and_showing(page, simulator, acme):
    start_channel(page, acme, ChannelType.SALES)
    set_toggle(page, "pullOrdersFromOms")
    htmx_quiet(page)
    fill(page, "pullOrderOmsStoreId", "store-7")
    choose_type(page, ChannelType.FULFILLMENT)
    expect(page.locator("#section-pull")).to_be_hidden()
    choose_type(page, ChannelType.SALES)
    expect(page.locator("#section-pull")).to_be_visible()
    expect(page.locator("#id_pullOrderOmsStoreId")).to_have_value("store-7")


def test_a_422_puts_the_message_next_to_its_field(page, simulator, acme):
    fill_sales_channel(page, acme, "Needs a store ID")
    set_toggle(page, "pullOrdersFromOms")
    htmx_quiet(page)
    # The form cannot know which apps need a store ID; only Luminous' 422 says.
    fill(page, "pullOrderAppIntegrationAccountId", ACCOUNT_NEEDING_STORE_ID)
    review(page)
    submit(page, page.locator("#confirm"))
    expect(page.locator("#wrap-pullOrderOmsStoreId .invalid-feedback")).to_contain_text(
        "required when the app requires a store ID"
    )
    flagged = page.locator("[id^='wrap-']:has(.invalid-feedback)")
    expect(flagged).to_have_count(1)


def test_a_product_error_from_luminous_marks_its_row(page, simulator, acme):
    simulator.inject(
        "POST", "/channels", status=422, times=1,
        body={"message": "Invalid.",
              "errors": {f"integrationProducts.1.{PRODUCT_FIELDS[1]}": ["Unknown."]}},
    )  # fmt: skip
    fill_sales_channel(page, acme, "Products")
    paste_products(page, product_rows(3))
    review(page)
    submit(page, page.locator("#confirm"))
    marked = page.locator(f"{PRODUCT_ROWS}.product-row-refused")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("Unknown.")
    expect(marked.locator("th")).to_have_text("2")


def test_the_most_product_rows_allowed_are_all_sent(page, simulator, acme):
    rows = product_rows(MAX_INTEGRATION_PRODUCTS)
    fill_sales_channel(page, acme, "Big catalogue")
    paste_products(page, rows)
    review(page)
    confirm(page)
    sent = posts(simulator)[0].json["integrationProducts"]
    assert sent == [dict(zip(PRODUCT_FIELDS, row, strict=True)) for row in rows]


def test_one_product_row_too_many_is_refused_before_sending(page, simulator, acme):
    too_many = MAX_INTEGRATION_PRODUCTS + 1
    fill_sales_channel(page, acme, "Too big a catalogue")
    paste_products(page, product_rows(too_many))
    submit(page, page.get_by_role("button", name="Review", exact=True))
    refusal = re.compile(
        f"At most {MAX_INTEGRATION_PRODUCTS} integration products .* {too_many} were"
    )
    expect(page.locator("#wrap-integrationProducts")).to_contain_text(refusal)
    assert posts(simulator) == []


def test_a_csv_file_with_quoted_cells_keeps_every_row_whole(page, simulator, acme):
    fill_sales_channel(page, acme, "Quoted CSV")
    csv_text = 'ch_sku,lum_sku\nA1,"SKU,10"\nA2,"SKU ""big"""\nA3,plain\n'
    page.set_input_files(
        "#id_productsFile",
        files=[{"name": "p.csv", "mimeType": "text/csv",
                "buffer": ("\ufeff" + csv_text).encode()}],
    )  # fmt: skip
    expect(page.locator(PRODUCT_ROWS)).to_have_count(3)
    review(page)
    confirm(page)
    body = posts(simulator)[0].json
    assert body["integrationProducts"] == [
        dict(zip(PRODUCT_FIELDS, pair, strict=True))
        for pair in [("A1", "SKU,10"), ("A2", 'SKU "big"'), ("A3", "plain")]
    ]


def test_a_file_without_rows_is_refused_beside_the_file_input(page, simulator, acme):
    fill_sales_channel(page, acme, "Header only")
    paste_products(page, product_rows(2))
    page.set_input_files(
        "#id_productsFile",
        files=[{"name": "p.csv", "mimeType": "text/csv",
                "buffer": b"channel sku,luminous sku\n"}],
    )  # fmt: skip
    refusal = "The file holds no product rows; the rows above are kept."
    expect(page.locator("#div_id_productsFile")).to_contain_text(refusal)
    expect(page.get_by_text(refusal)).to_have_count(2)  # Beside it, and in the summary.
    expect(page.locator(PRODUCT_ROWS)).to_have_count(2)
    page.screenshot(path="/tmp/prof/upload.png", full_page=True)


def test_rows_edited_as_text_come_back_to_the_table(page, simulator, acme):
    fill_sales_channel(page, acme, "Text and back")
    paste_products(page, product_rows(2))
    page.get_by_role("button", name="Edit as text").click()
    text = page.locator("#id_integrationProducts")
    text.fill("T-1\tL-1\nT-2\tL-2\nT-3\tL-3")
    page.get_by_role("button", name="Edit as a table").click()
    expect(page.locator(PRODUCT_ROWS)).to_have_count(3)
    expect(page.locator(f"{PRODUCT_ROWS} input").first).to_have_value("T-1")
    expect(text).to_be_hidden()
    review(page)
    confirm(page)
    assert posts(simulator)[0].json["integrationProducts"] == [
        dict(zip(PRODUCT_FIELDS, (f"T-{n}", f"L-{n}"), strict=True)) for n in (1, 2, 3)
    ]


def test_a_column_pasted_into_luminous_skus_fills_that_column(page, simulator, acme):
    fill_sales_channel(page, acme, "Columns")
    paste_column(page, "A1\nA2\nA3", column=0)
    paste_column(page, "L1\nL2\nL3", column=1)
    expect(page.locator("#wrap-integrationProducts [data-count]")).to_have_text("3")
    review(page)
    confirm(page)
    assert posts(simulator)[0].json["integrationProducts"] == [
        dict(zip(PRODUCT_FIELDS, (f"A{n}", f"L{n}"), strict=True)) for n in (1, 2, 3)
    ]


def paste_column(page, text: str, *, column: int) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    row = page.locator(PRODUCT_ROWS).first
    row.locator("input").nth(column).focus()
    page.keyboard.press("ControlOrMeta+V")


def test_a_semicolon_csv_fills_both_columns(page, simulator, acme):
    fill_sales_channel(page, acme, "Semicolons")
    page.set_input_files(
        "#id_productsFile",
        files=[{"name": "p.csv", "mimeType": "text/csv",
                "buffer": b"channel sku;sku\r\nS1;L1\r\nS2;L2\r\n"}],
    )  # fmt: skip
    expect(page.locator(PRODUCT_ROWS)).to_have_count(2)
    review(page)
    confirm(page)
    assert posts(simulator)[0].json["integrationProducts"] == [
        dict(zip(PRODUCT_FIELDS, (f"S{n}", f"L{n}"), strict=True)) for n in (1, 2)
    ]
