"""A stored, weighted Norwegian search vector on every article, kept current by PostgreSQL.

Search used to rank and match on a vector computed from title, lead and body at query time,
for every matching row, which grew with the archive. A trigger now writes the vector on every
insert and on every update of title, lead or body, so bulk inserts, loaddata's raw saves,
queryset updates and restored revisions stay searchable without any Python code remembering
to. The GIN index on the column replaces the expression index from 0002. Other databases get
the (always empty) column only: they have no full-text search.
"""

import django.contrib.postgres.search
from django.db import migrations

WEIGHTED_VECTOR = (
    "setweight(to_tsvector('norwegian', coalesce({row}title, '')), 'A')"
    " || setweight(to_tsvector('norwegian', coalesce({row}lead, '')), 'B')"
    " || setweight(to_tsvector('norwegian', coalesce({row}body, '')), 'C')"
)

FORWARD = [
    "DROP INDEX IF EXISTS article_fulltext_gin",
    f"""
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {WEIGHTED_VECTOR.format(row="NEW.")};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_vector
        BEFORE INSERT OR UPDATE OF title, lead, body, search_vector ON articles_article
        FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    # Touching the column makes the trigger compute it for the articles already there.
    "UPDATE articles_article SET search_vector = NULL",
    "CREATE INDEX article_search_vector_gin ON articles_article USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX article_search_vector_gin",
    "DROP TRIGGER articles_article_search_vector ON articles_article",
    "DROP FUNCTION articles_article_search_vector()",
    f"CREATE INDEX article_fulltext_gin ON articles_article USING gin (({WEIGHTED_VECTOR.format(row='')}))",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_editor_groups")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, serialize=False
            ),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False),
    ]
