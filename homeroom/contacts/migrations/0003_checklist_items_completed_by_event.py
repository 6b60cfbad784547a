from django.db import migrations, models

# The PPT items of the shipped checklist complete from the meetings app's events, not from look-alike contacts.
EVENT_FOR_CODE = {"ppt-invitation": "ppt_invitation_sent", "ppt-follow-up": "ppt_follow_up"}


def complete_ppt_items_by_event(apps, schema_editor):
    from homeroom.contacts.defaults import load_checklist_defaults

    template_model = apps.get_model("contacts", "ChecklistTemplate")
    item_model = apps.get_model("contacts", "ChecklistItem")
    load_checklist_defaults(template_model, item_model)
    # Districts' own copies of the default get the same change, their other edits untouched.
    for code, event in EVENT_FOR_CODE.items():
        item_model.objects.filter(template__district__isnull=False, code=code).update(
            completed_by_event=event, match_purposes=[], match_outcomes=[], match_methods=[]
        )


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0002_checklist_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="checklistitem",
            name="completed_by_event",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "A matching contact"),
                    ("ppt_invitation_sent", "The PPT invitation is sent"),
                    ("ppt_follow_up", "The family is reached after the PPT"),
                ],
                default="",
                max_length=32,
                verbose_name="completed by the event",
            ),
        ),
        migrations.RunPython(complete_ppt_items_by_event, migrations.RunPython.noop),
    ]
