"""The search index moves to the research app (research migration 0001 takes it over).

State only: the table and its rows stay where they are; research 0002 renames the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0010_search_entries_fill")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SearchEntry")])
    ]
