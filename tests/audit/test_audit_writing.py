import json

import pytest
from audit_helpers import created, failed, payload, reply
from django.db import IntegrityError

from channels_ui import services
from channels_ui.audit import (
    MAX_STORED_BYTES,
    audit_entry_complete,
    audit_entry_start,
    stored_reply,
)
from channels_ui.luminous.outcomes import Outcome
from channels_ui.models import AuditEntry

pytestmark = pytest.mark.django_db

CANARY = "canary-token-must-never-be-stored-0001"


def test_it_writes_the_entry_before_the_request_is_sent(admin_user, acme, monkeypatch):
    seen = []

    def send(target, sent) -> Outcome:
        seen.append(list(AuditEntry.objects.values_list("outcome", "label")))
        return created()

    monkeypatch.setattr(services.client, "channel_create", send)
    services.channel_create(user=admin_user, connection=acme, payload=payload())
    assert seen == [[("pending", "Wholesale")]]


def test_a_crash_mid_request_leaves_a_pending_entry(admin_user, acme, monkeypatch):
    def crash(target, sent) -> Outcome:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services.client, "channel_create", crash)
    with pytest.raises(RuntimeError):
        services.channel_create(user=admin_user, connection=acme, payload=payload())
    assert list(AuditEntry.objects.values_list("outcome", flat=True)) == ["pending"]


def test_it_completes_the_entry_with_the_reply(admin_user, acme, simulator):
    entry = services.channel_create(user=admin_user, connection=acme, payload=payload())
    stored = AuditEntry.objects.get(pk=entry.pk)
    channel = simulator.channels("acme")[0]
    assert (stored.outcome, stored.response_status, stored.channel_id) == (
        "created",
        201,
        channel["id"],
    )
    assert stored.channel_uuid == channel["uuid"]
    assert stored.completed_at is not None


@pytest.mark.parametrize("outcome", [created, failed], ids=["created", "refused"])
def test_the_stored_row_reads_back_as_written(admin_user, acme, outcome):
    # The entry is written in plain SQL; the ORM must read back every field.
    entry = audit_entry_start(
        user=admin_user, connection=acme, payload=payload(), form_token="f-1"
    )
    audit_entry_complete(entry, outcome())
    stored = AuditEntry.objects.get(pk=entry.pk)
    fields = [field.attname for field in AuditEntry._meta.concrete_fields]
    assert {name: getattr(stored, name) for name in fields} == {
        name: getattr(entry, name) for name in fields
    }
    assert stored.retry_after == entry.retry_after and stored.response_json


def test_it_copies_the_company_as_it_was_at_the_time(make_entry, acme):
    entry = make_entry()
    acme.name = "Acme Renamed"
    acme.environment = "production"
    acme.save()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.connection_name, stored.subdomain, stored.environment) == (
        "Acme",
        "acme",
        "staging",
    )


def test_it_never_stores_the_token(admin_user, make_connection, simulator):
    connection = make_connection(name="Canary", subdomain="canary", token=CANARY)
    services.channel_create(user=admin_user, connection=connection, payload=payload())
    stored = AuditEntry.objects.values().get()
    assert CANARY not in json.dumps(stored, default=str)


def test_a_reused_form_token_returns_the_first_attempt(admin_user, acme, simulator):
    first = services.channel_create(
        user=admin_user, connection=acme, payload=payload(), form_token="t-1"
    )
    again = services.channel_create(
        user=admin_user, connection=acme, payload=payload(), form_token="t-1"
    )
    assert (again.pk, AuditEntry.objects.count()) == (first.pk, 1)


def test_a_form_token_is_refused_twice_by_the_database(admin_user, acme):
    audit_entry_start(user=admin_user, connection=acme, payload={}, form_token="t")
    with pytest.raises(IntegrityError):
        audit_entry_start(user=admin_user, connection=acme, payload={}, form_token="t")


def test_it_keeps_a_json_reply_under_1_mb_whole():
    body = {"message": "x" * 1000}
    assert stored_reply(body, "") == (body, "", False)


def test_it_truncates_a_json_reply_over_1_mb_and_marks_it():
    body = {"data": ["é" * 100] * 10_000}
    response_json, text, truncated = stored_reply(body, "")
    assert (response_json, truncated) == (None, True)
    assert len(text.encode()) <= MAX_STORED_BYTES
    assert json.dumps(body, ensure_ascii=False).startswith(text)


def test_it_truncates_a_text_reply_over_1_mb_and_marks_it():
    response_json, text, truncated = stored_reply(None, "<html>" + "y" * 2_000_000)
    assert (response_json, len(text), truncated) == (None, MAX_STORED_BYTES, True)


def test_it_stores_the_truncation_flag_on_the_entry(make_entry):
    entry = make_entry(outcome=reply(body={"data": "z" * 1_500_000}))
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.response_truncated, len(stored.response_text)) == (
        True,
        MAX_STORED_BYTES,
    )


@pytest.mark.parametrize(
    "body",
    [{"text": "nul\x00char"}, {"n": float("nan")}, {"s": "\ud800"}],
    ids=["nul", "nan", "lone-surrogate"],
)
def test_it_stores_a_reply_that_jsonb_would_refuse_as_text(make_entry, body):
    entry = make_entry(outcome=reply(body=body))
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.response_json, stored.response_text) == (
        None,
        json.dumps(body, ensure_ascii=True),
    )


def test_it_stores_a_text_reply_with_nul_characters(make_entry):
    entry = make_entry(outcome=reply(text="a\x00b"))
    assert AuditEntry.objects.get(pk=entry.pk).response_text == "a\ufffdb"


def test_completing_an_entry_twice_is_refused(make_entry):
    entry = make_entry()
    with pytest.raises(IntegrityError):
        audit_entry_complete(entry, created())
