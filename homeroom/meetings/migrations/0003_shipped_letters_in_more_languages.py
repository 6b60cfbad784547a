"""The shipped letters (data/letters.json) in Portuguese (Brazil), Haitian Creole and Arabic too."""

from django.db import migrations


def load_letters(apps, schema_editor):
    from homeroom.meetings.letters import load_letter_defaults

    load_letter_defaults(apps.get_model("meetings", "LetterTemplate"))


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0002_prepform_entered_from_paper"),
    ]

    operations = [
        migrations.RunPython(load_letters, migrations.RunPython.noop),
    ]
