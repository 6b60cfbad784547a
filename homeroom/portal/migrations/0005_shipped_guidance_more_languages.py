"""Loads the shipped guidance again: some entries now come in Portuguese, Kreyòl, Arabic, Chinese, Vietnamese
and Polish too (the entries the public school pages show)."""

from django.db import migrations


def load(apps, schema_editor):
    from homeroom.portal.shipped import load_shipped

    load_shipped(apps.get_model("portal", "GuideEntry"), apps.get_model("portal", "GlossaryTerm"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_sectionnote_public")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
