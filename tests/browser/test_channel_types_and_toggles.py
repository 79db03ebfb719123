"""Every channel type and toggle combination of the rule table, made in Chromium.

After each click the fields a person sees must be exactly those that
``rules.visible_fields`` names; at the end the simulator must have received the
JSON that ``rules.build_payload`` makes of what was typed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from browser.steps import (
    VALID_IDS,
    choose_company,
    choose_type,
    confirm,
    expect_fields,
    fill,
    posts,
    review,
    set_toggle,
)

from channels_ui.rules import (
    FIELD_RULES,
    TOGGLES,
    ChannelType,
    Kind,
    build_payload,
    visible_fields,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Toggles that show a field or excuse one from being required. The others
# (isCustomerSpecific, pushCostsToOms today) change no field, only the JSON.
DECIDING = tuple(
    name
    for name in TOGGLES
    if any(name == rule.shown_by or name in rule.exempt_when for rule in FIELD_RULES)
)
PLAIN = tuple(name for name in TOGGLES if name not in DECIDING)

Case = tuple[ChannelType, dict[str, bool]]


def combinations() -> Iterator[Case]:
    """Yield each type with every reachable setting of the deciding toggles.

    A toggle can be switched on only while it shows, so a setting that needs a
    hidden toggle on cannot be reached and is left out. Every combination also
    switches on the plain toggles that show; the one-per-type test leaves them off.
    Both keep the run short: every setting of every toggle would be 160 channels;
    these are 40, and still show and hide each field and send each toggle both
    ways.
    """
    for channel_type in ChannelType:
        for bits in itertools.product((False, True), repeat=len(DECIDING)):
            toggles = dict(zip(DECIDING, bits, strict=True))
            shown = visible_fields(channel_type, toggles)
            if any(on and name not in shown for name, on in toggles.items()):
                continue
            yield channel_type, toggles | {name: name in shown for name in PLAIN}


def case_id(case: Case) -> str:
    channel_type, toggles = case
    on = [name for name in DECIDING if toggles[name]]
    return f"{channel_type.value}:{'+'.join(on) or 'none'}"


def required_ids(channel_type: ChannelType, toggles: dict[str, bool]) -> dict:
    """Return a valid value for each required ID field that shows and that no
    toggle excuses."""
    shown = visible_fields(channel_type, toggles)
    return {
        rule.name: VALID_IDS[rule.name]
        for rule in FIELD_RULES
        if rule.kind is Kind.ID
        and rule.required
        and rule.name in shown
        and not (rule.exempt_when and all(toggles[n] for n in rule.exempt_when))
    }


def make_channel(page, connection, case: Case, label: str) -> dict[str, Any]:
    """Create the channel click by click, checking the fields after each click;
    return the values typed."""
    channel_type, toggles = case
    page.goto("/channels/new/")
    choose_company(page, connection)
    expect_fields(page, visible_fields(None, {}))
    choose_type(page, channel_type)
    # In table order, so a toggle is clicked only once the one that shows it is on.
    clicked = dict.fromkeys(TOGGLES, False)
    expect_fields(page, visible_fields(channel_type, clicked))
    for name in TOGGLES:
        if toggles.get(name):
            set_toggle(page, name)
            clicked[name] = True
            expect_fields(page, visible_fields(channel_type, clicked))
    ids = required_ids(channel_type, clicked)
    fill(page, "label", label)
    for name, value in ids.items():
        fill(page, name, value)
    review(page)
    confirm(page)
    return {"channelType": channel_type.value, "label": label, **clicked, **ids}


@pytest.mark.parametrize("channel_type", list(ChannelType), ids=str)
def test_one_channel_of_each_type_sends_what_the_table_says(
    page, simulator, acme, channel_type
):
    values = make_channel(page, acme, (channel_type, {}), f"Plain {channel_type}")
    assert [request.json for request in posts(simulator)] == [build_payload(values)]


@pytest.mark.parametrize("case", list(combinations()), ids=case_id)
def test_each_toggle_combination_shows_its_fields_and_sends_them(
    page, simulator, acme, case
):
    values = make_channel(page, acme, case, f"Combination {case_id(case)}")
    assert [request.json for request in posts(simulator)] == [build_payload(values)]
