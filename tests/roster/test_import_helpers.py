"""Building small OneRoster exports for the importer tests (no tests in this module)."""
# ruff: noqa: E501 - CSV fixtures read best one record per line

from __future__ import annotations

import io
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata" / "oneroster"

MANIFEST_FILES = ["academicSessions", "categories", "classes", "courses", "demographics", "enrollments",
                  "lineItems", "orgs", "results", "users", "roles"]

ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
dst-1,active,2024-08-01T00:00:00Z,Riverside Public Schools,district,RPS,
sch-1,active,2024-08-01T00:00:00Z,Lincoln Elementary,school,LIN,dst-1
sch-2,active,2024-08-01T00:00:00Z,Washington Middle,school,WAS,dst-1
"""
SESSIONS = """sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
term-1,active,2024-08-01T00:00:00Z,Fall 2024,term,2024-08-26,2024-12-20,,2025
"""
COURSES = """sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects
crs-1,active,2024-08-01T00:00:00Z,,Grade 5 Homeroom,HR5,05,sch-1,Homeroom
"""
CLASSES = """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
cls-1,active,2024-08-01T00:00:00Z,5A,05,crs-1,5A,homeroom,Room 12,sch-1,term-1,"Math,Reading",,"1,2"
"""
USERS_11 = """sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,metadata.language,metadata.householdSourcedId,metadata.staffRole,metadata.smsConsent
t-1,active,2024-08-01T00:00:00Z,true,sch-1,teacher,erivera,,Elena,Rivera,,T1,Rivera@Riverside.example,,,,,,,,,
adm-1,active,2024-08-01T00:00:00Z,true,dst-1,administrator,dadmin,,Dana,Admin,,A1,admin@riverside.example,,,,,,,,,
cm-1,active,2024-08-01T00:00:00Z,true,sch-1,teacher,wchen,,Wei,Chen,,C1,chen@riverside.example,,,,,,,,case_manager,
stu-1,active,2024-08-01T00:00:00Z,true,sch-1,student,sgarcia,,Sofia,Garcia,,100001,,,,"g-1,t-1",05,,es,hh-1,,
stu-2,active,2024-08-01T00:00:00Z,true,sch-1,student,mlopez,,Mateo,Lopez,,100002,,,,,05,,,hh-2,,
g-1,active,2024-08-01T00:00:00Z,true,sch-1,parent,agarcia,,Ana,Garcia,,,ana@family.example,(203) 555-0142,203-555-0143,,,,es,hh-1,,true
g-2,active,2024-08-01T00:00:00Z,true,sch-1,guardian,rlopez,,Rosa,Lopez,,,rosa@family.example,,,stu-2,,,pt-BR,hh-2,,
"""
USERS_12 = """sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredFirstName,preferredMiddleName,preferredLastName,primaryOrgSourcedId,pronouns,metadata.language,metadata.householdSourcedId,metadata.staffRole,metadata.smsConsent
t-1,active,2024-08-01T00:00:00Z,true,erivera,,Elena,Rivera,,T1,rivera@riverside.example,,,,,,,,,,sch-1,,,,,
adm-1,active,2024-08-01T00:00:00Z,true,dadmin,,Dana,Admin,,A1,admin@riverside.example,,,,,,,,,,dst-1,,,,,
cm-1,active,2024-08-01T00:00:00Z,true,wchen,,Wei,Chen,,C1,chen@riverside.example,,,,,,,,,,sch-1,,,,case_manager,
stu-1,active,2024-08-01T00:00:00Z,true,sgarcia,,Sofia,Garcia,,100001,,,,"g-1,t-1",05,,,Sofi,,,sch-1,,es,hh-1,,
stu-2,active,2024-08-01T00:00:00Z,true,mlopez,,Mateo,Lopez,,100002,,,,,05,,,,,,sch-1,,,hh-2,,
g-1,active,2024-08-01T00:00:00Z,true,agarcia,,Ana,Garcia,,,ana@family.example,(203) 555-0142,203-555-0143,,,,,,,,sch-1,,es,hh-1,,true
g-2,active,2024-08-01T00:00:00Z,true,rlopez,,Rosa,Lopez,,,rosa@family.example,,,stu-2,,,,,,,sch-1,,pt-BR,hh-2,,
"""
ROLES_12 = """sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId
r-1,active,2024-08-01T00:00:00Z,t-1,primary,teacher,,,sch-1,
r-2,active,2024-08-01T00:00:00Z,adm-1,primary,districtAdministrator,,,dst-1,
r-3,active,2024-08-01T00:00:00Z,cm-1,primary,teacher,,,sch-1,
r-4,active,2024-08-01T00:00:00Z,stu-1,primary,student,,,sch-1,
r-5,active,2024-08-01T00:00:00Z,stu-2,primary,student,,,sch-1,
r-6,active,2024-08-01T00:00:00Z,g-1,primary,parent,,,sch-1,
r-7,active,2024-08-01T00:00:00Z,g-2,primary,guardian,,,sch-1,
"""
ENROLLMENTS = """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e-t1,active,2024-08-01T00:00:00Z,cls-1,sch-1,t-1,teacher,true,2024-08-26,2025-06-15
e-s1,active,2024-08-01T00:00:00Z,cls-1,sch-1,stu-1,student,false,2024-08-26,2025-06-15
e-s2,active,2024-08-01T00:00:00Z,cls-1,sch-1,stu-2,student,false,2024-08-26,2025-06-15
"""
DEMOGRAPHICS = """sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus,metadata.englishLearner,metadata.iep,metadata.section504,metadata.freeReducedMeals
stu-1,active,2024-08-01T00:00:00Z,2014-03-09,female,false,false,false,false,true,false,true,,,,,true,false,false,true
stu-2,active,2024-08-01T00:00:00Z,2014-07-21,male,false,false,false,false,false,false,true,,,,,false,true,false,false
"""
RELATIONSHIPS = """userSourcedId,relationshipUserSourcedId,relationshipRole,hasEducationalRights,livesWith,mayReceiveInformation,emergencyContact,primaryContact,custodyNotes
stu-1,g-1,mother,true,true,true,true,true,
stu-2,g-1,relative,false,false,false,false,false,"No contact, per court order"
"""
CASELOADS = """staffSourcedId,studentSourcedId,beginDate,endDate
cm-1,stu-2,2024-08-26,
"""
CATEGORIES = """sourcedId,status,dateLastModified,title,weight
cat-1,active,2024-08-01T00:00:00Z,Homework,0.4
"""
LINE_ITEMS = """sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax
li-1,active,2024-09-01T00:00:00Z,Fractions worksheet,Pages 4-5,2024-09-02,2024-09-09T15:00:00Z,cls-1,cat-1,term-1,0,100
"""
RESULTS = """sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment
res-1,active,2024-09-10T00:00:00Z,li-1,stu-1,fully graded,93.5,2024-09-10,Great work
res-2,active,2024-09-10T00:00:00Z,li-1,stu-2,not submitted,,2024-09-10,
"""


def files_11() -> dict[str, str]:
    return {"orgs.csv": ORGS, "academicSessions.csv": SESSIONS, "courses.csv": COURSES, "classes.csv": CLASSES,
            "users.csv": USERS_11, "enrollments.csv": ENROLLMENTS, "demographics.csv": DEMOGRAPHICS,
            "relationships.csv": RELATIONSHIPS, "caseloads.csv": CASELOADS, "categories.csv": CATEGORIES,
            "lineItems.csv": LINE_ITEMS, "results.csv": RESULTS}


def files_12() -> dict[str, str]:
    return files_11() | {"users.csv": USERS_12, "roles.csv": ROLES_12}


def manifest(files: dict[str, str], version: str, mode: str) -> str:
    lines = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    present = {name.removesuffix(".csv") for name in files}
    for name in MANIFEST_FILES:
        lines.append(f"file.{name},{mode if name in present else 'absent'}")
    return "\n".join(lines) + "\n"


def make_zip(files: dict[str, str], *, version: str = "1.1", mode: str = "bulk", raw: dict[str, bytes] | None = None,
             with_manifest: bool = True) -> io.BytesIO:
    """A .zip export in memory; `raw` adds files byte-for-byte (for BOM and CRLF tests)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_manifest:
            archive.writestr("manifest.csv", manifest({**files, **(raw or {})}, version, mode))
        for name, text in files.items():
            archive.writestr(name, text)
        for name, data in (raw or {}).items():
            archive.writestr(name, data)
    buffer.seek(0)
    buffer.name = "export.zip"  # type: ignore[attr-defined]
    return buffer


def replace_line(text: str, starts_with: str, new_line: str | None) -> str:
    """The CSV text with the line starting `starts_with` replaced (or removed when new_line is None)."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(starts_with))
    if new_line is None:
        del lines[index]
    else:
        lines[index] = new_line
    return "\n".join(lines) + "\n"
