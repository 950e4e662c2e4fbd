"""The paragraph's copy of its article's date of publication (``search_date``): the column alone.

Its own migration, so that the ALTER TABLE's exclusive lock (which stops reads too) lasts only
as long as adding an empty column does; migration 0010 fills it and installs the triggers
that keep it, with reads going on.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_change_time_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="paragraph",
            name="search_date",
            field=models.DateField(editable=False, null=True),
        ),
    ]
