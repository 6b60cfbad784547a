"""The contact log in a real browser: log a contact from "My students", then download the month's XLSX."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.contacts.models import ContactLog

pytestmark = pytest.mark.e2e


def test_teacher_logs_a_contact_and_downloads_the_months_xlsx(world, context, page, sign_in, assert_accessible):
    sign_in(context, "teacher")
    page.goto(reverse("contacts:my_students"))
    page.get_by_role("link", name="Log a contact — Sofia Garcia").click()
    page.get_by_label("Ana Garcia").check()
    page.get_by_label("Method").select_option("phone")
    page.get_by_label("Purpose").select_option("positive")
    page.get_by_label("Notes").fill("Sofia read aloud to the class.")
    page.get_by_label("How often").select_option("weekly")
    assert_accessible(page)
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_url("**/contacts/*/")
    contact = ContactLog.objects.get()
    assert (contact.purpose, contact.staff_id) == ("positive", world.teacher.pk)

    page.goto(reverse("contacts:monthly_log"))
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][2:4] == ("Sofia Garcia", "Ana Garcia")
    assert rows[1][0].date() == timezone.localdate()
