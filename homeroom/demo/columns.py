"""The header of every file the demo district writes, for OneRoster 1.1 and 1.2 (plus Homeroom's extensions)."""

from __future__ import annotations

VERSIONS = ("1.1", "1.2")
_COMMON = ["sourcedId", "status", "dateLastModified"]
_RACE = ["americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander",
         "white", "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity"]
USER_EXTENSIONS = ["metadata.language", "metadata.householdSourcedId", "metadata.staffRole", "metadata.smsConsent"]
DEMOGRAPHIC_EXTENSIONS = ["metadata.englishLearner", "metadata.iep", "metadata.section504",
                          "metadata.freeReducedMeals"]

_USERS_11 = [*_COMMON, "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName",
             "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"]
_USERS_12 = [*_COMMON, "enabledUser", "username", "userIds", "givenName", "familyName", "middleName", "identifier",
             "email", "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier",
             "resourceSourcedIds", "preferredFirstName", "preferredMiddleName", "preferredLastName",
             "primaryOrgSourcedId", "pronouns"]

_SHARED: dict[str, list[str]] = {
    "orgs": [*_COMMON, "name", "type", "identifier", "parentSourcedId"],
    "academicSessions": [*_COMMON, "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"],
    "courses": [*_COMMON, "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects",
                "subjectCodes"],
    "classes": [*_COMMON, "title", "grades", "courseSourcedId", "classCode", "classType", "location",
                "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"],
    "enrollments": [*_COMMON, "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                    "endDate"],
    "demographics": [*_COMMON, "birthDate", "sex", *_RACE, "countryOfBirthCode", "stateOfBirthAbbreviation",
                     "cityOfBirth", "publicSchoolResidenceStatus", *DEMOGRAPHIC_EXTENSIONS],
    # Homeroom's own files (SDS-style), described in the shared contract.
    "relationships": ["userSourcedId", "relationshipUserSourcedId", "relationshipRole", "hasEducationalRights",
                      "livesWith", "mayReceiveInformation", "emergencyContact", "primaryContact", "custodyNotes"],
    "caseloads": ["staffSourcedId", "studentSourcedId", "beginDate", "endDate"],
}

_BY_VERSION: dict[str, dict[str, list[str]]] = {
    "1.1": {
        "users": [*_USERS_11, *USER_EXTENSIONS],
        "categories": [*_COMMON, "title"],
        "lineItems": [*_COMMON, "title", "description", "assignDate", "dueDate", "classSourcedId",
                      "categorySourcedId", "gradingPeriodSourcedId", "resultValueMin", "resultValueMax"],
        "results": [*_COMMON, "lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "scoreDate",
                    "comment"],
    },
    "1.2": {
        "users": [*_USERS_12, *USER_EXTENSIONS],
        "roles": [*_COMMON, "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId",
                  "userProfileSourcedId"],
        "categories": [*_COMMON, "title", "weight"],
        "lineItems": [*_COMMON, "title", "description", "assignDate", "dueDate", "classSourcedId",
                      "categorySourcedId", "gradingPeriodSourcedId", "academicSessionSourcedId",
                      "resultValueMin", "resultValueMax", "schoolSourcedId"],
        "results": [*_COMMON, "lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "textScore",
                    "scoreDate", "comment", "inProgress", "incomplete", "late", "missing"],
    },
}

# Files OneRoster defines that the demo district leaves out, declared "absent" in the manifest.
_ABSENT = {
    "1.1": ["classResources", "courseResources", "resources"],
    "1.2": ["classResources", "courseResources", "resources", "userProfiles", "scoreScales",
            "lineItemLearningObjectiveIds", "resultLearningObjectiveIds", "lineItemScoreScales",
            "resultScoreScales"],
}


def headers(version: str) -> dict[str, list[str]]:
    """{file name without .csv: columns} for every file the demo district writes, manifest excluded."""
    if version not in VERSIONS:
        raise ValueError(f"OneRoster version must be one of {', '.join(VERSIONS)}")
    return {**_SHARED, **_BY_VERSION[version]}


def manifest_rows(version: str, system_name: str) -> list[tuple[str, str]]:
    rows = [("manifest.version", "1.0"), ("oneroster.version", version)]
    files = sorted([*headers(version), *_ABSENT[version]], key=str.lower)
    rows += [(f"file.{name}", "absent" if name in _ABSENT[version] else "bulk") for name in files]
    rows += [("source.systemName", system_name), ("source.systemCode", "homeroom-demo")]
    return rows
