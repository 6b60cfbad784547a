"""A staff member's sex from demographics.csv (OneRoster keys it by any user's sourcedId, staff included): kept on
Staff so job titles agree with the person (core.words.job_title); blank means the roster does not say."""

from __future__ import annotations

import zipfile

import pytest

from homeroom.roster import models as m
from homeroom.roster.importers import Problem, import_oneroster
from tests.roster.test_import_helpers import DEMOGRAPHICS, SAMPLES, files_11, files_12, make_zip

pytestmark = pytest.mark.django_db
SLUG = "riverside-public-schools"
HEADER = DEMOGRAPHICS.splitlines()[0]
BLANKS = ",false,false,false,false,false,false,false,,,,,,,,"


def _row(sourced_id: str, sex: str, status: str = "active", when: str = "2024-08-01T00:00:00Z") -> str:
    return f"{sourced_id},{status},{when},,{sex}{BLANKS}"


def _with_staff(files: dict[str, str], *rows: str) -> dict[str, str]:
    return files | {"demographics.csv": DEMOGRAPHICS + "".join(row + "\n" for row in rows)}


def _sex(sourced_id: str) -> str:
    return m.Staff.objects.get(sourced_id=sourced_id).sex


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_demographics_rows_of_staff_give_their_sex(version):
    files = _with_staff(files_11() if version == "1.1" else files_12(), _row("t-1", "female"), _row("cm-1", "Male"))
    report = import_oneroster(make_zip(files, version=version))
    assert report.ok, [str(p) for p in report.errors]
    assert (_sex("t-1"), _sex("cm-1"), _sex("adm-1")) == ("female", "male", "")  # adm-1: not said, unknown
    assert m.Student.objects.get(sourced_id="stu-1").sex == "female"  # students' rows as before
    assert not m.Guardian.objects.filter(sourced_id__in=["t-1", "cm-1"]).exists()


def test_a_delta_demographics_file_alone_changes_only_the_staff_members_sex():
    import_oneroster(make_zip(_with_staff(files_11(), _row("t-1", "female"))))
    m.Staff.objects.filter(sourced_id="cm-1").update(is_active=False)
    delta = HEADER + "\n" + _row("t-1", "male", when="2024-09-01T00:00:00Z") + "\n" + _row("cm-1", "female") + "\n"
    report = import_oneroster(make_zip({"demographics.csv": delta}, mode="delta"), district_slug=SLUG)
    assert report.ok, [str(p) for p in report.errors]
    assert (_sex("t-1"), _sex("cm-1")) == ("male", "female")
    assert not m.Staff.objects.get(sourced_id="cm-1").is_active  # nothing else about them moved
    assert m.Student.objects.get(sourced_id="stu-1").sex == "female"


def test_a_deleted_demographics_row_withdraws_the_sex():
    import_oneroster(make_zip(_with_staff(files_11(), _row("t-1", "female"))))
    delta = HEADER + "\n" + _row("t-1", "female", status="tobedeleted", when="2024-09-01T00:00:00Z") + "\n"
    import_oneroster(make_zip({"demographics.csv": delta}, mode="delta"), district_slug=SLUG)
    assert _sex("t-1") == ""


def test_a_staff_members_sex_not_in_the_list_is_an_error_naming_file_row_and_column_and_nothing_is_written():
    report = import_oneroster(make_zip(_with_staff(files_11(), _row("t-1", "female"), _row("cm-1", "woman"))))
    assert not report.ok
    assert Problem("demographics.csv", 5, "sex", "“woman” is not one of: female, male, other, unspecified.") \
        in report.errors
    assert not m.Staff.objects.exists() and not m.District.objects.exists()


def test_a_demographics_row_for_nobody_in_users_is_still_an_error():
    report = import_oneroster(make_zip(_with_staff(files_11(), _row("t-9", "female"))))
    assert Problem("demographics.csv", 4, "sourcedId", "t-9 is not in users.csv.") in report.errors
    assert not m.Staff.objects.exists()


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"OneRoster samples not found at {SAMPLES}")
def test_the_real_1_1_sample_as_it_is_leaves_staff_sex_unknown_and_a_later_demographics_file_sets_it():
    """The sample has no demographics.csv: its teachers' sex is unknown (blank). The district's next export may
    bring one: a delta with demographics.csv alone, keyed by the sample's own staff sourcedIds."""
    sample = SAMPLES / "Test_full_data_set.zip"
    with zipfile.ZipFile(sample) as archive:
        assert "demographics.csv" not in archive.namelist()
    report = import_oneroster(sample)
    assert report.ok, [str(p) for p in report.errors]
    assert set(m.Staff.objects.values_list("sex", flat=True)) == {""}
    slug = m.District.objects.get().slug
    delta = HEADER + "\n" + _row("usr-222-123456", "male") + "\n" + _row("usr-222-987654", "female") + "\n"
    report = import_oneroster(make_zip({"demographics.csv": delta}, mode="delta"), district_slug=slug)
    assert report.ok, [str(p) for p in report.errors]
    assert dict(m.Staff.objects.values_list("given_name", "sex")) == {"John": "male", "Jim": "female"}
