"""The search index's table takes the research app's name: a rename, not a copy."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [migrations.AlterModelTable(name="searchentry", table=None)]
