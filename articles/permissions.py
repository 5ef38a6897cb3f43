"""Norwegian names for the add/change/delete/view permissions Django makes for every model.

Django names them in English from the raw verbose name («Can add artikkel»), once, when the
permission is created. After every migrate (``post_migrate``, which also runs after a test
database flush) the names are rewritten from the verbose names in Norwegian, so permissions of
models added later are covered too.
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Permission
from django.utils import translation

VERBS = {
    "add": "Kan legge til",
    "change": "Kan endre",
    "delete": "Kan slette",
    "view": "Kan se",
}
NAME_MAX_LENGTH = Permission._meta.get_field("name").max_length


def norwegian_name(action, model):
    with translation.override("nb"):
        return f"{VERBS[action]} {model._meta.verbose_name}"[:NAME_MAX_LENGTH]


def name_permissions_in_norwegian(sender=None, using="default", **kwargs):
    renamed = []
    for permission in Permission.objects.using(using).select_related("content_type"):
        action, _, model_name = permission.codename.partition("_")
        content_type = permission.content_type
        if action not in VERBS or model_name != content_type.model:
            continue
        try:
            model = global_apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        name = norwegian_name(action, model)
        if permission.name != name:
            permission.name = name
            renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
