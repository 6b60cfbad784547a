"""Every kind of mistake in an export is named by file, row and column, and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeroom.roster import models as m
from homeroom.roster.importers import Problem, import_oneroster
from tests.roster.test_import_helpers import files_11, make_zip

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (m.District, m.School, m.Staff, m.Student, m.Guardian,
                                                     m.StudentGuardian, m.Section, m.Enrollment, m.Result))


def edit(name: str, old: str, new: str) -> dict[str, str]:
    files = files_11()
    assert old in files[name]
    files[name] = files[name].replace(old, new, 1)
    return files


CASES = {
    "agent not in users": (
        edit("users.csv", '"g-1,t-1"', '"g-1,usr-9"'),
        Problem("users.csv", 5, "agentSourcedIds", "usr-9 is not in users.csv."),
    ),
    "date not ISO": (
        edit("enrollments.csv", "e-s1,active,2024-08-01T00:00:00Z,cls-1,sch-1,stu-1,student,false,2024-08-26",
             "e-s1,active,2024-08-01T00:00:00Z,cls-1,sch-1,stu-1,student,false,8/26/2024"),
        Problem("enrollments.csv", 3, "beginDate", "“8/26/2024” is not a date in the form YYYY-MM-DD."),
    ),
    "class of unknown school": (
        edit("classes.csv", "Room 12,sch-1", "Room 12,sch-9"),
        Problem("classes.csv", 2, "schoolSourcedId", "sch-9 is not in orgs.csv."),
    ),
    "enrollment in unknown class": (
        edit("enrollments.csv", "e-s2,active,2024-08-01T00:00:00Z,cls-1", "e-s2,active,2024-08-01T00:00:00Z,cls-7"),
        Problem("enrollments.csv", 4, "classSourcedId", "cls-7 is not in classes.csv."),
    ),
    "user in unknown org": (
        edit("users.csv", "stu-2,active,2024-08-01T00:00:00Z,true,sch-1",
             "stu-2,active,2024-08-01T00:00:00Z,true,x-1"),
        Problem("users.csv", 6, "orgSourcedIds", "x-1 is not in orgs.csv."),
    ),
    "misspelt header": (
        edit("enrollments.csv", "beginDate", "begniDate"),
        Problem("enrollments.csv", 1, "begniDate", "This column is not part of OneRoster; did you mean beginDate?"),
    ),
    "missing required column": (
        edit("classes.csv", "schoolSourcedId", "school"),
        Problem("classes.csv", 1, "schoolSourcedId", "The required column schoolSourcedId is missing."),
    ),
    "blank header": (
        edit("courses.csv", "subjects\n", "subjects,\n"),
        Problem("courses.csv", 1, "column 10", "This column has no name. Name it or delete it."),
    ),
    "duplicate sourcedId": (
        edit("enrollments.csv", "e-s2,", "e-s1,"),
        Problem("enrollments.csv", 4, "sourcedId", "e-s1 already appears on row 3."),
    ),
    "not a boolean": (
        edit("relationships.csv", "stu-1,g-1,mother,true", "stu-1,g-1,mother,maybe"),
        Problem("relationships.csv", 2, "hasEducationalRights", "“maybe” is not true or false."),
    ),
    "relationship to a non-guardian": (
        edit("relationships.csv", "stu-1,g-1,", "stu-1,t-1,"),
        Problem("relationships.csv", 2, "relationshipUserSourcedId",
                "t-1 is not a parent, guardian or relative in users.csv."),
    ),
    "caseload of a non-student": (
        edit("caseloads.csv", "cm-1,stu-2", "cm-1,g-2"),
        Problem("caseloads.csv", 2, "studentSourcedId", "g-2 is not a student in users.csv."),
    ),
    "score not a number": (
        edit("results.csv", "fully graded,93.5", "fully graded,A+"),
        Problem("results.csv", 2, "score", "“A+” is not a number."),
    ),
    "unknown role": (
        edit("users.csv", "sch-1,teacher,erivera", "sch-1,wizard,erivera"),
        Problem("users.csv", 2, "role", "“wizard” is not one of: administrator, aide, counselor, "
                "districtadministrator, guardian, parent, principal, proctor, relative, siteadministrator, student, "
                "systemadministrator, teacher."),
    ),
    "too many values": (
        edit("orgs.csv", "sch-2,active,2024-08-01T00:00:00Z,Washington Middle,school,WAS,dst-1",
             "sch-2,active,2024-08-01T00:00:00Z,Washington Middle,school,WAS,dst-1,extra"),
        Problem("orgs.csv", 4, "", "This row has 8 values but the header names 7 columns."),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_mistake_is_named_by_file_row_and_column(case):
    files, problem = CASES[case]
    report = import_oneroster(make_zip(files))
    assert problem in report.errors, [str(p) for p in report.errors]


@pytest.mark.parametrize("case", CASES)
def test_mistake_writes_nothing_but_the_rejected_run(case):
    import_oneroster(make_zip(files_11()))
    before = counts()
    report = import_oneroster(make_zip(CASES[case][0]))
    assert not report.ok
    assert counts() == before
    assert m.ImportRun.objects.get(pk=report.import_run_id).status == m.ImportRun.Status.REJECTED


def test_delta_row_without_status_is_an_error():
    files = {"orgs.csv": files_11()["orgs.csv"].replace("sch-2,active", "sch-2,")}
    report = import_oneroster(make_zip(files, mode="delta"))
    assert Problem("orgs.csv", 4, "status", "A delta file needs a status on every row (active or tobedeleted).") \
        in report.errors


def test_missing_manifest_is_an_error():
    report = import_oneroster(make_zip(files_11(), with_manifest=False))
    assert [p.file for p in report.errors] == ["manifest.csv"]


def test_file_listed_in_manifest_but_missing_is_an_error():
    out = io.BytesIO()
    with zipfile.ZipFile(make_zip(files_11())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "courses.csv":
                dst.writestr(info, src.read(info))
    out.seek(0)
    report = import_oneroster(out)
    assert Problem("manifest.csv", None, "file.courses",
                   "The manifest lists courses.csv as bulk but the file is not in the export.") in report.errors


def test_a_file_that_is_not_a_zip_is_an_error_not_a_crash():
    report = import_oneroster(io.BytesIO(b"not a zip"))
    assert not report.ok and report.errors[0].row is None


def test_text_that_is_not_utf8_is_an_error():
    files = files_11()
    users = files.pop("users.csv").replace("Garcia", "Garc\xeda").encode("latin-1")
    report = import_oneroster(make_zip(files, raw={"users.csv": users}))
    assert report.errors[0].file == "users.csv" and "UTF-8" in report.errors[0].message


FIELDS = [
    ("users.csv", "2024-08-01T00:00:00Z,true,sch-1,student,sgarcia", "2024-08-01T00:00:00Z,{},sch-1,student,sgarcia"),
    ("users.csv", ",Sofia,Garcia,", ",Sofia,{},"),
    ("users.csv", "ana@family.example,(203) 555-0142", "ana@family.example,{}"),
    ("enrollments.csv", "e-s1,active,2024-08-01T00:00:00Z", "e-s1,active,{}"),
    ("results.csv", "fully graded,93.5", "{},93.5"),
    ("results.csv", "fully graded,93.5", "fully graded,{}"),
    ("demographics.csv", "2024-08-01T00:00:00Z,2014-03-09,female", "2024-08-01T00:00:00Z,{},female"),
    ("classes.csv", '"Math,Reading"', "{}"),
    ("lineItems.csv", ",0,100", ",{},100"),
]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), garbage=st.text(max_size=60))
def test_garbage_in_any_field_gives_a_problem_never_an_exception(field, garbage):
    name, old, template = field
    files = files_11()
    files[name] = files[name].replace(old, template.format(_csv_cell(garbage)), 1)
    report = import_oneroster(make_zip(files), dry_run=True)
    assert report.ok or all(isinstance(p, Problem) and p.file and p.message for p in report.errors)


@pytest.mark.parametrize(("name", "old", "new", "column"), [
    ("classes.csv", '"Math,Reading"', '"Math,Rea\x00ding"', "subjects"),  # a list cell (stored as JSON)
    ("users.csv", ",Sofia,Garcia,", ",Sofia,Gar\x00cia,", "familyName"),  # a text cell
])
def test_a_nul_character_is_a_problem_naming_file_row_and_field(name, old, new, column):
    files = files_11()
    files[name] = files[name].replace(old, new, 1)
    report = import_oneroster(make_zip(files), dry_run=True)
    assert not report.ok
    assert [(p.file, p.column) for p in report.errors] == [(name, column)]
    assert "NUL" in report.errors[0].message and report.errors[0].row >= 2
