"""Loads the shipped instruments again: the family-facing ones (family partnership, post-PPT feedback) now come in
Portuguese (Brazil), Kreyòl, Arabic, Chinese (Simplified), Vietnamese and Polish as well as English and Spanish.

Each row is updated in place (same key and version): only translations were added, every section, item, option
and scale point keeps its key, so the surveys already sent from them, and the answers already collected, stay
as they are and their families can now answer in these languages too."""

from django.db import migrations


def load(apps, schema_editor):
    from homeroom.surveys.shipped import load_shipped

    load_shipped(apps.get_model("surveys", "Instrument"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_response_home_language_staff_answered")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
