"""Plain SQL reads return the instance the ORM would, for sessions, users and
companies, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels_ui.forms import usable_connection
from channels_ui.permissions import RolePermissionsBackend
from channels_ui.plain_reads import read_one
from channels_ui.services import connection_revoke, connection_verify
from luminous_admin.sessions import SessionStore

pytestmark = pytest.mark.django_db


def fields_of(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_a_user_reads_as_the_orm_reads_it(admin_user, client):
    client.force_login(admin_user)  # Sets last_login, a date and time.
    ours = read_one(type(admin_user), pk=admin_user.pk)
    assert fields_of(ours) == fields_of(type(admin_user).objects.get())
    assert ours.is_superuser is True and ours.last_login.tzinfo is not None
    assert ours._state.adding is False


def test_a_company_reads_as_the_orm_reads_it(acme, simulator):
    connection_verify(connection=acme)  # Sets verified_at.
    ours = read_one(type(acme), pk=acme.pk, revoked_at=None)
    assert fields_of(ours) == fields_of(type(acme).objects.get())
    assert ours.verified_at is not None and ours.get_token()


def test_none_asks_for_an_empty_column(acme):
    connection_revoke(connection=acme)
    assert read_one(type(acme), pk=acme.pk, revoked_at=None) is None
    assert usable_connection(acme.pk) is None
    assert read_one(type(acme), pk=acme.pk) is not None


@pytest.mark.parametrize("value", [0, -1, 10**30, "12"])
def test_a_missing_row_is_none(acme, value):
    assert read_one(type(acme), pk=value) is None


def test_a_number_given_as_text_is_read_as_a_number(acme):
    assert usable_connection(str(acme.pk)) == acme
    assert usable_connection("nope") is None


def test_it_is_one_query(acme):
    with CaptureQueriesContext(connection) as queries:
        read_one(type(acme), pk=acme.pk, revoked_at=None)
    assert len(queries) == 1


def saved_session(data, expire_date=None):
    store = DjangoSessionStore()
    store.update(data)
    store.save()
    if expire_date is not None:
        Session.objects.filter(pk=store.session_key).update(expire_date=expire_date)
    return store.session_key


def test_a_session_loads_as_djangos_store_loads_it():
    key = saved_session({SESSION_KEY: "7", "seen": [1, "two"]})
    assert SessionStore(key).load() == DjangoSessionStore(key).load()
    assert SessionStore(key)["seen"] == [1, "two"]


def test_an_expired_session_is_empty_and_loses_its_key():
    key = saved_session({SESSION_KEY: "7"}, timezone.now() - timedelta(seconds=1))
    ours, django = SessionStore(key), DjangoSessionStore(key)
    assert ours.load() == django.load() == {}
    assert ours.session_key is None and django.session_key is None


def test_an_unknown_session_is_empty():
    assert SessionStore("k" * 32).load() == {}


def test_the_app_uses_this_store(admin_user, client):
    client.force_login(admin_user)
    assert isinstance(client.session, SessionStore)
    assert client.get("/channels/new/").status_code == 200


def test_the_backend_finds_users_as_djangos_does(admin_user, django_user_model):
    away = django_user_model.objects.create_user("away", is_active=False)
    for user_id in (admin_user.pk, str(admin_user.pk), away.pk, 999):
        ours = RolePermissionsBackend().get_user(user_id)
        django = ModelBackend().get_user(user_id)
        assert (ours and fields_of(ours)) == (django and fields_of(django))
    assert RolePermissionsBackend().get_user(away.pk) is None
