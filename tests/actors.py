"""Named actors shared by every test module (like healthchecks' Alice and Bob).

One district, two schools. At Lincoln Elementary:
- Ms. Rivera (teacher) teaches section "5A" with Sofia and Mateo.
- Mr. Chen (case manager) has Mateo on his caseload.
- Dr. Okafor is Lincoln's principal.
- Sofia's mother Ana (Spanish, educational rights) and father Luis (non-custodial:
  no educational rights, may not receive information).
- Mateo's grandmother Rosa (guardian with rights).
At Washington Middle:
- Mr. Baker teaches section "7B" with Liam; Liam's father Paul (guardian with rights).
District-wide: Ms. Admin (district administrator).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeroom.core.models import Role
from tests import factories as f


@dataclass
class World:
    district: Any
    lincoln: Any
    washington: Any
    section_5a: Any
    section_7b: Any
    sofia: Any
    mateo: Any
    liam: Any
    ana: Any
    luis: Any
    rosa: Any
    paul: Any
    ana_link: Any
    luis_link: Any
    teacher: Any  # Ms. Rivera (Staff)
    other_teacher: Any  # Mr. Baker at Washington (Staff)
    case_manager: Any  # Mr. Chen
    principal: Any  # Dr. Okafor at Lincoln
    admin: Any  # district administrator

    def user(self, actor: str) -> Any:
        """The User behind an actor name ('teacher', 'ana', 'anonymous' → None)."""
        if actor == "anonymous":
            return None
        return getattr(self, actor).user


ACTORS = ["anonymous", "admin", "principal", "teacher", "other_teacher", "case_manager", "ana", "luis", "paul"]


def build_world() -> World:
    district = f.DistrictFactory()
    lincoln = f.SchoolFactory(district=district, name="Lincoln Elementary", sourced_id="sch-lincoln")
    washington = f.SchoolFactory(district=district, name="Washington Middle", sourced_id="sch-washington")

    def staff(email: str, given: str, family: str, role: str, school: Any) -> Any:
        user = f.UserFactory(email=email)
        member = f.StaffFactory(district=district, user=user, given_name=given, family_name=family)
        f.StaffRoleFactory(staff=member, role=role, school=school)
        return member

    admin = staff("admin@riverside.example", "Dana", "Admin", Role.DISTRICT_ADMIN, None)
    principal = staff("okafor@riverside.example", "Grace", "Okafor", Role.PRINCIPAL, lincoln)
    teacher = staff("rivera@riverside.example", "Elena", "Rivera", Role.TEACHER, lincoln)
    other_teacher = staff("baker@riverside.example", "Tom", "Baker", Role.TEACHER, washington)
    case_manager = staff("chen@riverside.example", "Wei", "Chen", Role.CASE_MANAGER, lincoln)

    section_5a = f.SectionFactory(district=district, school=lincoln, title="5A", sourced_id="cls-5a")
    section_7b = f.SectionFactory(district=district, school=washington, title="7B", sourced_id="cls-7b")
    sofia = f.StudentFactory(district=district, school=lincoln, given_name="Sofia", family_name="Garcia", grade="05")
    mateo = f.StudentFactory(district=district, school=lincoln, given_name="Mateo", family_name="Lopez", grade="05",
                             has_iep=True)
    liam = f.StudentFactory(district=district, school=washington, given_name="Liam", family_name="Walsh", grade="07")
    f.EnrollmentFactory(section=section_5a, role="teacher", staff=teacher)
    f.EnrollmentFactory(section=section_5a, student=sofia)
    f.EnrollmentFactory(section=section_5a, student=mateo)
    f.EnrollmentFactory(section=section_7b, role="teacher", staff=other_teacher)
    f.EnrollmentFactory(section=section_7b, student=liam)
    f.CaseloadFactory(staff=case_manager, student=mateo)

    def guardian(email: str, given: str, family: str, language: str = "en") -> Any:
        return f.GuardianFactory(district=district, user=f.UserFactory(email=email, language=language),
                                 given_name=given, family_name=family, email=email, language=language)

    ana = guardian("ana@family.example", "Ana", "Garcia", "es")
    luis = guardian("luis@family.example", "Luis", "Garcia", "es")
    rosa = guardian("rosa@family.example", "Rosa", "Lopez", "es")
    paul = guardian("paul@family.example", "Paul", "Walsh")
    ana_link = f.StudentGuardianFactory(student=sofia, guardian=ana, relationship="mother", is_primary=True)
    luis_link = f.StudentGuardianFactory(student=sofia, guardian=luis, relationship="father",
                                         has_educational_rights=False, may_receive_information=False,
                                         lives_with=False, custody_notes="Court order on file: no contact.")
    f.StudentGuardianFactory(student=mateo, guardian=rosa, relationship="grandparent")
    f.StudentGuardianFactory(student=liam, guardian=paul, relationship="father")
    return World(district=district, lincoln=lincoln, washington=washington, section_5a=section_5a,
                 section_7b=section_7b, sofia=sofia, mateo=mateo, liam=liam, ana=ana, luis=luis, rosa=rosa,
                 paul=paul, ana_link=ana_link, luis_link=luis_link, teacher=teacher, other_teacher=other_teacher,
                 case_manager=case_manager, principal=principal, admin=admin)
