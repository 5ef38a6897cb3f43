# Tag and person pages: their listing walks the published articles newest first through an
# index, and their page count reads the tag's or person's links from an index alone.

from django.db import migrations, models

# taggit's own indexes lead with the content type or hold the tag alone.
TAG_LINKS_INDEX = "articles_taggeditem_tag_object_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_front_placements"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("status", "published")),
                fields=["-published_at", "-id"],
                name="article_published_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(fields=["person", "article"], name="byline_person_article_idx"),
        ),
        migrations.RunSQL(
            f"CREATE INDEX {TAG_LINKS_INDEX} ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            f"DROP INDEX {TAG_LINKS_INDEX}",
        ),
    ]
