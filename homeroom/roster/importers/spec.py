"""Which OneRoster files and columns Homeroom reads, and which it knows and ignores."""

from __future__ import annotations

from dataclasses import dataclass

COMMON = ("status", "dateLastModified")


@dataclass(frozen=True)
class FileSpec:
    required: tuple[str, ...]  # an export without these columns is refused
    read: tuple[str, ...]  # used when present
    known: tuple[str, ...] = ()  # standard columns Homeroom has no use for

    @property
    def all_columns(self) -> frozenset[str]:
        return frozenset((*self.required, *self.read, *self.known))


RACE_COLUMNS = (
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
)
RELATIONSHIP_FLAGS = (
    "hasEducationalRights", "livesWith", "mayReceiveInformation", "emergencyContact", "primaryContact",
)

# Keys are file names without ".csv", lowercased (exports differ in capitalisation).
SPECS: dict[str, FileSpec] = {
    "manifest": FileSpec(required=("propertyName", "value"), read=()),
    "orgs": FileSpec(required=("sourcedId", "name", "type"), read=(*COMMON, "identifier", "parentSourcedId")),
    "academicsessions": FileSpec(
        required=("sourcedId", "title", "type"),
        read=(*COMMON, "startDate", "endDate", "parentSourcedId", "schoolYear"),
    ),
    "courses": FileSpec(
        required=("sourcedId", "title"),
        read=(*COMMON, "courseCode"),
        known=("schoolYearSourcedId", "grades", "orgSourcedId", "subjects", "subjectCodes", "resources"),
    ),
    "classes": FileSpec(
        required=("sourcedId", "title", "schoolSourcedId"),
        read=(*COMMON, "grades", "courseSourcedId", "classCode", "classType", "location", "termSourcedIds",
              "subjects", "periods"),
        known=("subjectCodes", "resources"),
    ),
    "users": FileSpec(
        required=("sourcedId", "givenName", "familyName"),
        read=(*COMMON, "enabledUser", "orgSourcedIds", "role", "username", "identifier", "email", "sms", "phone",
              "agentSourcedIds", "grades", "preferredFirstName", "primaryOrgSourcedId"),
        known=("userIds", "middleName", "password", "userMasterIdentifier", "preferredMiddleName",
               "preferredLastName", "pronouns", "resourceSourcedIds"),
    ),
    "roles": FileSpec(
        required=("userSourcedId", "role", "orgSourcedId"),
        read=("sourcedId", *COMMON, "roleType", "beginDate", "endDate"),
        known=("userProfileSourcedId",),
    ),
    "enrollments": FileSpec(
        required=("sourcedId", "classSourcedId", "userSourcedId", "role"),
        read=(*COMMON, "schoolSourcedId", "primary", "beginDate", "endDate"),
    ),
    "demographics": FileSpec(
        required=("sourcedId",),
        read=(*COMMON, "birthDate", "sex", *RACE_COLUMNS),
        known=("countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth", "publicSchoolResidenceStatus"),
    ),
    "relationships": FileSpec(
        required=("userSourcedId", "relationshipUserSourcedId"),
        read=("relationshipRole", *RELATIONSHIP_FLAGS, "custodyNotes", *COMMON),
        known=("sourcedId",),
    ),
    "caseloads": FileSpec(
        required=("staffSourcedId", "studentSourcedId"),
        read=("beginDate", "endDate", *COMMON),
        known=("sourcedId",),
    ),
    "categories": FileSpec(required=("sourcedId", "title"), read=(*COMMON, "weight")),
    "lineitems": FileSpec(
        required=("sourcedId", "title", "classSourcedId"),
        read=(*COMMON, "description", "assignDate", "dueDate", "categorySourcedId", "gradingPeriodSourcedId",
              "academicSessionSourcedId", "resultValueMin", "resultValueMax"),
        known=("schoolSourcedId", "scoreScaleSourcedId", "learningObjectiveSet"),
    ),
    "results": FileSpec(
        required=("sourcedId", "lineItemSourcedId", "studentSourcedId"),
        read=(*COMMON, "scoreStatus", "score", "textScore", "scoreDate", "comment"),
        known=("classSourcedId", "scoreScaleSourcedId", "learningObjectiveSet", "inProgress", "incomplete", "late",
               "missing"),
    ),
}

# Files a OneRoster export may carry that Homeroom does not read.
IGNORED_FILES = frozenset({
    "userprofiles", "resources", "classresources", "courseresources", "userresources", "scorescales",
    "lineitemscorescales", "resultscorescales", "lineitemlearningobjectiveids", "resultlearningobjectiveids",
})

CANONICAL_NAMES = {
    "academicsessions": "academicSessions.csv",
    "lineitems": "lineItems.csv",
    "userprofiles": "userProfiles.csv",
}


def display_name(key: str) -> str:
    return CANONICAL_NAMES.get(key, f"{key}.csv")


# Manifest keys (file.<name>) use OneRoster's capitalisation; map them to SPECS keys.
def manifest_key(property_name: str) -> str:
    return property_name.removeprefix("file.").lower()
