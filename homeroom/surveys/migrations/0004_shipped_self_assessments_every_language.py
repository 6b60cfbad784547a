"""Loads the shipped instruments again: the two school self-assessments (bridging differences, families as
advocates) now come in Portuguese (Brazil), Kreyòl, Arabic, Chinese (Simplified), Vietnamese and Polish as well,
because a partnership team's family members rate them in the portal, in their own language.

The same reload as 0003 (in place, same key and version, every key unchanged): assessments already started keep
their ratings, consensus and plans, and their family members can now read them in these languages."""

from importlib import import_module

from django.db import migrations

load = import_module("homeroom.surveys.migrations.0003_shipped_instruments_every_language").load


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_shipped_instruments_every_language")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
