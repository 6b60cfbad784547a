from django.db import migrations


def load(apps, schema_editor):
    from homeroom.contacts.defaults import load_checklist_defaults

    load_checklist_defaults(apps.get_model("contacts", "ChecklistTemplate"), apps.get_model("contacts", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
