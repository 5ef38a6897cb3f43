"""PostgreSQL keeps exact counts for up to 1,000 people and tags (its default is 100).

A person's or tag's page is a newest-first walk when they have many articles and a lookup of
their own links when they have few; PostgreSQL picks by its estimate of how many they have.
Past the 100 it keeps counts for, every other person is guessed at the average: a contributor
with 34 articles among 100,000 was planned as a walk of the whole archive (0.46 s instead of
1 ms).
"""

from django.db import migrations

COLUMNS = (("articles_byline", "person_id"), ("taggit_taggeditem", "tag_id"))


def statistics_target(target):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STATISTICS {target}'
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_listing_index_covers_teaser_keys"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(statistics_target(1000), statistics_target(-1), elidable=True),
    ]
