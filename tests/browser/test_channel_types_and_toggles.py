"""Every channel type and toggle combination of the rule table, made in Chromium.

After each click the fields a person sees must be exactly those that
``rules.visible_fields`` names; at the end the simulator must have received the
JSON that ``rules.build_payload`` makes of what was typed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from browser.steps import (
    VALID_IDS,
    choose_company,
    choose_type,
    confirm,
    expect_fields,
    fill,
    payload_for,
    posts,
    review,
    set_toggle,
)

from channels_ui.rules import (
    FIELD_RULES,
    TOGGLES,
    ChannelType,
    Kind,
    visible_fields,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Toggles that show a field or excuse one; the others only travel in the JSON.
DECIDING = tuple(
    name
    for name in TOGGLES
    if any(name == rule.shown_by or name in rule.exempt_when for rule in FIELD_RULES)
)
PLAIN = tuple(name for name in TOGGLES if name not in DECIDING)


def combinations() -> Iterator[tuple[ChannelType, dict[str, bool]]]:
    """Each type with every reachable setting of the deciding toggles.

    A toggle can be switched on only where it shows, so settings that need a
    hidden toggle on are skipped. The plain toggles are on in every combination
    (the one-per-type test sends them off), which halves nothing the table decides.
    """
    for channel_type in ChannelType:
        for bits in itertools.product((False, True), repeat=len(DECIDING)):
            toggles = dict(zip(DECIDING, bits, strict=True))
            shown = visible_fields(channel_type, toggles)
            if any(on and name not in shown for name, on in toggles.items()):
                continue
            plain = {name: name in shown for name in PLAIN}
            yield channel_type, toggles | plain


def combination_id(case: tuple[ChannelType, dict[str, bool]]) -> str:
    channel_type, toggles = case
    on = [name for name in DECIDING if toggles[name]]
    return f"{channel_type.value}:{'+'.join(on) or 'none'}"


def required_ids(channel_type: ChannelType, toggles: dict[str, bool]) -> dict:
    """A valid value for every required ID field that shows and is not excused."""
    shown = visible_fields(channel_type, toggles)
    return {
        rule.name: VALID_IDS[rule.name]
        for rule in FIELD_RULES
        if rule.kind is Kind.ID
        and rule.required
        and rule.name in shown
        and not (rule.exempt_when and all(toggles[n] for n in rule.exempt_when))
    }


def make_channel(page, acme, channel_type, toggles, label) -> dict:
    """Fill the form click by click, checking the fields after each; return the
    values typed."""
    page.goto("/channels/new/")
    choose_company(page, acme)
    expect_fields(page, visible_fields(None, {}))
    choose_type(page, channel_type)
    current = dict.fromkeys(TOGGLES, False)
    expect_fields(page, visible_fields(channel_type, current))
    for name in TOGGLES:
        if toggles.get(name):
            set_toggle(page, name)
            current[name] = True
            expect_fields(page, visible_fields(channel_type, current))
    ids = required_ids(channel_type, current)
    fill(page, "label", label)
    for name, value in ids.items():
        fill(page, name, value)
    review(page)
    confirm(page)
    return {"channelType": channel_type.value, "label": label, **current, **ids}


@pytest.mark.parametrize("channel_type", list(ChannelType), ids=str)
def test_one_channel_of_each_type_sends_what_the_table_says(
    page, simulator, acme, channel_type
):
    values = make_channel(page, acme, channel_type, {}, f"Plain {channel_type}")
    assert [request.json for request in posts(simulator)] == [payload_for(values)]


@pytest.mark.parametrize("case", list(combinations()), ids=combination_id)
def test_each_toggle_combination_shows_its_fields_and_sends_them(
    page, simulator, acme, case
):
    channel_type, toggles = case
    label = f"Combination {combination_id(case)}"
    values = make_channel(page, acme, channel_type, toggles, label)
    assert [request.json for request in posts(simulator)] == [payload_for(values)]
