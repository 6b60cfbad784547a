"""URL × role rules for the contact log and the case manager checklist (see tests/test_url_access.py)."""

from tests.access import Rule, expect_all, staff_only
from tests.contacts.helpers import case_manager_task, district_item, teacher_contact

ADMIN_ONLY = expect_all(403, anonymous=302, admin=200)
SOFIA = staff_only(200, other_teacher=404, case_manager=404)

RULES = {
    "contacts:my_students": Rule(expect=staff_only(200)),
    "contacts:log_create": Rule(data=lambda w: {"student": w.sofia.pk}, expect=SOFIA),
    "contacts:detail": Rule(kwargs=lambda w: {"pk": teacher_contact(w).pk}, expect=SOFIA),
    "contacts:edit": Rule(
        kwargs=lambda w: {"pk": teacher_contact(w).pk},
        expect=staff_only(403, teacher=200, other_teacher=404, case_manager=404),
    ),
    "contacts:follow_up_done": Rule(
        method="post", kwargs=lambda w: {"pk": teacher_contact(w).pk}, expect=staff_only(404, teacher=302),
    ),
    "contacts:family_timeline": Rule(kwargs=lambda w: {"guardian_pk": w.ana.pk}, expect=SOFIA),
    "contacts:monthly_log": Rule(expect=staff_only(200)),
    "contacts:monthly_log_xlsx": Rule(expect=staff_only(200)),
    "contacts:monthly_log_csv": Rule(expect=staff_only(200)),
    "contacts:my_week": Rule(expect=staff_only(200)),
    "contacts:student_checklist": Rule(
        kwargs=lambda w: {"student_pk": w.mateo.pk}, expect=staff_only(200, other_teacher=404),
    ),
    "contacts:task_complete": Rule(
        method="post", kwargs=lambda w: {"pk": case_manager_task(w).pk}, expect=staff_only(404, case_manager=302),
    ),
    "contacts:task_undo": Rule(
        method="post", kwargs=lambda w: {"pk": case_manager_task(w).pk}, expect=staff_only(404, case_manager=302),
    ),
    "contacts:checklist_templates": Rule(expect=ADMIN_ONLY),
    "contacts:checklist_template_copy": Rule(method="post", expect=expect_all(403, anonymous=302, admin=302)),
    "contacts:checklist_item_edit": Rule(kwargs=lambda w: {"pk": district_item(w).pk}, expect=ADMIN_ONLY),
}
