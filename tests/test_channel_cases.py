"""One table of create cases, judged by the form and by the simulator alike."""

import json

import httpx
import pytest
from channel_cases import CASES
from security.canaries import ACME_TOKEN

from channels_ui.forms import ChannelForm
from channels_ui.rules import FIELD_RULES, Kind

KINDS = {rule.name: rule.kind for rule in FIELD_RULES}


def as_form_data(payload, connection):
    data = {"connection": str(connection.pk)}
    for name, value in payload.items():
        # A field the form does not have is posted as is; the form ignores it.
        match KINDS.get(name):
            case Kind.TOGGLE:
                if value:
                    data[name] = "on"
            case Kind.ID_LIST:
                data[name] = ", ".join(str(item) for item in value)
            case Kind.JSON_OBJECT:
                data[name] = json.dumps(value)
            case Kind.PRODUCTS:
                data[name] = "\n".join(f"{p['channelSku']}\t{p['sku']}" for p in value)
            case _:
                data[name] = str(value)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_form_gives_the_tables_verdict(case, acme):
    form = ChannelForm(as_form_data(case.payload, acme))
    form.is_valid()
    expected = {path.split(".")[0] for path in case.error_fields}
    assert set(form.errors) == expected


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_simulator_gives_the_tables_verdict(case, simulator, settings):
    response = httpx.post(
        f"{settings.LUMINOUS_API_BASE_URL}/channels",
        json=case.payload,
        headers={"Authorization": f"Bearer {ACME_TOKEN}"},
    )
    errors = response.json().get("errors", {}) if response.status_code == 422 else {}
    assert (response.status_code, set(errors)) == (
        (201, set()) if case.valid else (422, set(case.error_fields))
    )
