"""A person's page reads their newest articles in order from their bylines alone.

Each byline carries a copy of its article's published_at (kept by articles/freshness.py). The
person's page walked the newest articles and checked each against the person's bylines: some
thousands of checks for its first page at 100,000 articles, and every article for a deep page.
It now reads the page's bylines from one index and finds the articles they name.
"""

from django.db import migrations, models


def copy_published_at(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    article = Article.objects.filter(pk=models.OuterRef("article_id"))
    Byline.objects.update(article_published_at=models.Subquery(article.values("published_at")))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_byline_keys_indexed_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="byline",
            name="article_published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_published_at, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name="byline",
            name="byline_person_article_idx",
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                fields=["person", "-article_published_at", "-article"],
                name="byline_person_newest_idx",
            ),
        ),
    ]
