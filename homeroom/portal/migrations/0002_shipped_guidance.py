from django.db import migrations


def load(apps, schema_editor):
    from homeroom.portal.shipped import load_shipped

    load_shipped(apps.get_model("portal", "GuideEntry"), apps.get_model("portal", "GlossaryTerm"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
