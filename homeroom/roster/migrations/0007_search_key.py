"""The normalised search column of students and guardians, filled for existing rows, and on PostgreSQL a
trigram index over it (pg_trgm) so that a `contains` search uses the index. SQLite gets the column only."""

from django.db import migrations, models

from homeroom.roster.search_keys import GUARDIAN_FIELDS, STUDENT_FIELDS, guardian_search_key, student_search_key

BATCH = 2000
TABLES = ("roster_guardian", "roster_student")


def fill_search_keys(apps, schema_editor):
    for model_name, fields, key in (("Guardian", GUARDIAN_FIELDS, guardian_search_key),
                                    ("Student", STUDENT_FIELDS, student_search_key)):
        model = apps.get_model("roster", model_name)
        rows = model.objects.values("pk", *fields).order_by("pk").iterator(chunk_size=BATCH)
        batch = []
        for row in rows:
            batch.append(model(pk=row["pk"], search_key=key(row)))
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, ["search_key"])
                batch = []
        model.objects.bulk_update(batch, ["search_key"])


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_key_trgm ON {table} USING gin (search_key gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_key_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("roster", "0006_district_family_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="guardian",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="student",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
