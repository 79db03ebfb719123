"""The permissions backend returns what Django's own does, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels_ui.permissions import RolePermissionsBackend
from channels_ui.roles import AUDITORS, OPERATORS

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def mixed(make_user):
    """A user with two roles and a permission of their own."""
    user = make_user("mixed", OPERATORS)
    user.groups.add(Group.objects.get(name=AUDITORS))
    user.user_permissions.add(Permission.objects.get(codename="add_connection"))
    return user


def test_it_returns_what_djangos_backend_returns(mixed, make_user, admin_user):
    for user in (mixed, make_user("plain"), make_user("audrey", AUDITORS), admin_user):
        ours = RolePermissionsBackend().get_all_permissions(fresh(user))
        django = ModelBackend().get_all_permissions(fresh(user))
        assert ours == django


def test_it_holds_role_and_own_permissions(mixed):
    perms = RolePermissionsBackend().get_all_permissions(fresh(mixed))
    assert {
        "channels_ui.use_connection",
        "channels_ui.view_auditentry",
        "channels_ui.add_connection",
    } <= perms
    assert "channels_ui.change_connection" not in perms


def test_an_inactive_user_has_none(mixed):
    mixed.is_active = False
    mixed.save()
    assert RolePermissionsBackend().get_all_permissions(fresh(mixed)) == set()


def test_it_reads_them_in_one_query_per_request(mixed):
    user = fresh(mixed)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("channels_ui.use_connection")
        assert not user.has_perm("channels_ui.change_connection")
    assert len(queries) == 1
