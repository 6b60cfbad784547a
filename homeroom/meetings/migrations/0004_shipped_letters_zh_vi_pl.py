"""The shipped letters (data/letters.json) in Chinese (Simplified), Vietnamese and Polish too."""

from django.db import migrations


def load_letters(apps, schema_editor):
    from homeroom.meetings.letters import load_letter_defaults

    load_letter_defaults(apps.get_model("meetings", "LetterTemplate"))


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0003_shipped_letters_in_more_languages"),
    ]

    operations = [
        migrations.RunPython(load_letters, migrations.RunPython.noop),
    ]
