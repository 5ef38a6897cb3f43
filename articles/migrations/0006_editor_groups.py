from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = "Journalist"
EDITOR = "Redaktør"

JOURNALIST_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_byline"),
    ("articles", "change_byline"),
    ("articles", "delete_byline"),
    ("articles", "view_byline"),
    ("articles", "add_relatedlink"),
    ("articles", "change_relatedlink"),
    ("articles", "delete_relatedlink"),
    ("articles", "view_relatedlink"),
    ("articles", "add_articleupdate"),
    ("articles", "view_articleupdate"),
    ("articles", "view_publicationevent"),
    ("articles", "view_section"),
    ("articles", "add_person"),
    ("articles", "change_person"),
    ("articles", "view_person"),
    ("taggit", "add_tag"),
    ("taggit", "view_tag"),
]
EDITOR_PERMISSIONS = [
    *JOURNALIST_PERMISSIONS,
    ("articles", "delete_article"),
    ("articles", "publish_article"),
    ("articles", "edit_any_article"),
    ("articles", "change_articleupdate"),
    ("articles", "delete_articleupdate"),
    ("articles", "add_section"),
    ("articles", "change_section"),
    ("articles", "delete_person"),
    ("taggit", "change_tag"),
    ("taggit", "delete_tag"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for label in ("articles", "taggit"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ((JOURNALIST, JOURNALIST_PERMISSIONS), (EDITOR, EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[JOURNALIST, EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_newsroom_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
