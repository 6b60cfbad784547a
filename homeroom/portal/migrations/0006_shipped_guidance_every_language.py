"""Loads the shipped guidance again: every glossary term, expectation and resource now comes in Portuguese,
Kreyòl, Arabic, Chinese, Vietnamese and Polish as well as English and Spanish."""

from django.db import migrations


def load(apps, schema_editor):
    from homeroom.portal.shipped import load_shipped

    load_shipped(apps.get_model("portal", "GuideEntry"), apps.get_model("portal", "GlossaryTerm"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_shipped_guidance_more_languages")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
