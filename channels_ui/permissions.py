"""Reading the signed-in user and their permissions: Django's model backend,
in plain SQL.

Django's backend reads the user with the ORM and the user's own permissions and
their groups' in two more ORM queries, on every request. Every page and every
htmx re-render checks a role, and for the small requests of the channel form
building those queries took longer than the rest of the request. Here the user
is one plain read (``plain_reads``) and the permissions one plain statement;
the tests compare both with Django's answers.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from channels_ui.plain_reads import read_one


@functools.cache
def _permissions_sql() -> str:
    quote = connection.ops.quote_name
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    groups = user_model.groups.through._meta
    granted = Permission.group_set.through._meta
    return (
        f"SELECT ct.{quote('app_label')}, p.{quote('codename')} "
        f"FROM {quote(Permission._meta.db_table)} p "
        f"JOIN {quote(ContentType._meta.db_table)} ct "
        f"ON ct.{quote('id')} = p.{quote('content_type_id')} "
        f"WHERE p.{quote('id')} IN ("
        f"SELECT {quote('permission_id')} FROM {quote(own.db_table)} "
        f"WHERE {quote('user_id')} = %s "
        f"UNION SELECT gp.{quote('permission_id')} "
        f"FROM {quote(granted.db_table)} gp "
        f"JOIN {quote(groups.db_table)} ug ON ug.{quote('group_id')} = gp."
        f"{quote('group_id')} WHERE ug.{quote('user_id')} = %s)"
    )


class RolePermissionsBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = read_one(get_user_model(), pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj)
            with connection.cursor() as cursor:
                cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{name}" for app, name in cursor}
        return user_obj._perm_cache
