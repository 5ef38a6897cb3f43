"""A byline's article and person are each looked up through a two-column index (the unique
(article, person) and the person's own); an index on either alone only added work to writes,
and PostgreSQL probed the article's for a person's page, reading each byline's row.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0020_planner_statistics_for_people_and_tags'),
    ]

    operations = [
        migrations.AlterField(
            model_name='byline',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='articles.article'),
        ),
        migrations.AlterField(
            model_name='byline',
            name='person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='articles.person', verbose_name='person'),
        ),
    ]
