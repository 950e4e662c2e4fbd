"""Take over the search index from the annotations app: state only, not a row is rebuilt."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import research.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("annotations", "0011_search_entry_moves_to_research"),
        ("articles", "0004_language_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
                    fields=[
                        (
                            "annotation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="search_entry",
                                serialize=False,
                                to="annotations.annotation",
                            ),
                        ),
                        ("start", models.PositiveIntegerField(null=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[("claim", "Claim"), ("source", "Source"), ("note", "Note")],
                                max_length=6,
                            ),
                        ),
                        ("language", models.CharField(blank=True, max_length=8)),
                        ("published_on", models.DateField(null=True)),
                        ("year", models.PositiveSmallIntegerField(null=True)),
                        ("tag_ids", research.fields.IdSetField(blank=True, default=list)),
                        (
                            "search_vector",
                            django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="articles.article",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="articles.author",
                            ),
                        ),
                        (
                            "outlet",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="articles.outlet",
                            ),
                        ),
                        (
                            "paragraph",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="articles.paragraph",
                            ),
                        ),
                        (
                            "rating",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="annotations.rating",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "search entries",
                        "default_permissions": (),
                        "db_table": "annotations_searchentry",
                    },
                ),
            ]
        )
    ]
