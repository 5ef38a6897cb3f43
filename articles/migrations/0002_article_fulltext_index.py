"""A GIN index over the weighted Norwegian search vector, on PostgreSQL only.

The expression must stay identical to the one articles/search.py queries, or PostgreSQL stops
using the index; tests/test_search.py checks that it does. Other databases have no full-text
search and get no index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def fulltext_index():
    return GinIndex(
        SearchVector("title", weight="A", config="norwegian")
        + SearchVector("lead", weight="B", config="norwegian")
        + SearchVector("body", weight="C", config="norwegian"),
        name="article_fulltext_gin",
    )


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), fulltext_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), fulltext_index())


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
