"""Section and person slugs may be left empty in the admin (made from the name on save).

Mends rows saved before articles/text.py guarded every save: text with characters readers
cannot be shown (feeds and sitemaps broke on them), the same text in stored revisions (a
restore would now be refused), and empty slugs (pages showing the object broke on them)."""

import json

from django.db import migrations, models

from articles.text import mend_text, reader_text_fields, unique_slug

SLUG_SOURCES = {
    ("articles", "Section"): ("name", "seksjon"),
    ("articles", "Person"): ("name", "person"),
    ("articles", "Article"): ("title", "artikkel"),
    ("taggit", "Tag"): ("name", "stikkord"),
}
BATCH = 500
TEXT_MODELS = [
    ("articles", "Section"),
    ("articles", "Person"),
    ("articles", "Article"),
    ("articles", "ArticleUpdate"),
    ("articles", "Image"),
    ("taggit", "Tag"),
]


def mend_text_fields(apps, schema_editor):
    for label in TEXT_MODELS:
        model = apps.get_model(*label)
        fields = reader_text_fields(model)
        if label == ("articles", "Article"):
            fields.append(model._meta.get_field("body_html"))
        names = [field.attname for field in fields]
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        # In batches, and not while a cursor reads the table (SQLite does not isolate them).
        for start in range(0, len(pks), BATCH):
            rows = model._default_manager.filter(pk__in=pks[start : start + BATCH]).only(*names)
            for row in rows:
                mend_row(model, row, fields)


def mend_row(model, row, fields):
    mended = {
        field.attname: mend_text(
            getattr(row, field.attname), multiline=isinstance(field, models.TextField)
        )
        for field in fields
    }
    changed = {name: value for name, value in mended.items() if value != getattr(row, name)}
    if changed:
        model._default_manager.filter(pk=row.pk).update(**changed)


def mend_revisions(apps, schema_editor):
    Version = apps.get_model("reversion", "Version")
    guarded = {f"{app}.{name}".lower(): apps.get_model(app, name) for app, name in TEXT_MODELS}
    pks = list(Version.objects.filter(format="json").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        for version in Version.objects.filter(pk__in=pks[start : start + BATCH]):
            objects = json.loads(version.serialized_data)
            if any([mend_serialized(item, guarded) for item in objects]):
                Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(objects))


def mend_serialized(item, guarded):
    """Mend one serialized object's text in place; True if anything changed."""
    model = guarded.get(item.get("model"))
    if model is None:
        return False
    changed = False
    for field in reader_text_fields(model):
        value = item["fields"].get(field.name)
        if isinstance(value, str):
            mended = mend_text(value, multiline=isinstance(field, models.TextField))
            changed |= mended != value
            item["fields"][field.name] = mended
    return changed


def fill_empty_slugs(apps, schema_editor):
    for label, (source, fallback) in SLUG_SOURCES.items():
        model = apps.get_model(*label)
        max_length = model._meta.get_field("slug").max_length
        for row in list(model._default_manager.filter(slug="").only(source)):
            slug = unique_slug(
                model, getattr(row, source), fallback=fallback, max_length=max_length
            )
            model._default_manager.filter(pk=row.pk).update(slug=slug)


def mend(apps, schema_editor):
    mend_text_fields(apps, schema_editor)
    mend_revisions(apps, schema_editor)
    fill_empty_slugs(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_review_workflow_pending_changes_and_bin"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Adressen. La stå tom for å lage den av navnet.",
                max_length=150,
                unique=True,
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="section",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Adressen. La stå tom for å lage den av navnet.",
                max_length=100,
                unique=True,
                verbose_name="slug",
            ),
        ),
        migrations.RunPython(mend, migrations.RunPython.noop),
    ]
