from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_published_newest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="aboutpage",
            name="modified_at",
            # An existing page is dated to the migration: its earlier changes were not recorded.
            field=models.DateTimeField(auto_now=True, verbose_name="sist endret"),
        ),
    ]
