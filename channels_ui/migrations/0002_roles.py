from django.contrib.auth.management import create_permissions
from django.db import migrations

from channels_ui.roles import ROLE_PERMISSIONS


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups
    # need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="channels_ui", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("channels_ui", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="connection",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("use_connection", "Can create channels through a connection")
                ],
            },
        ),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
