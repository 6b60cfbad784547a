"""factory_boy factories for the roster and users."""

from __future__ import annotations

import factory

from homeroom.core.models import Role, User
from homeroom.roster import models as r


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.django.Password("correct-horse-battery")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.District
        django_get_or_create = ("slug",)

    name = "Riverside Public Schools"
    slug = "riverside"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.School

    district = factory.SubFactory(DistrictFactory)
    sourced_id = factory.Sequence(lambda n: f"sch-{n}")
    name = factory.Sequence(lambda n: f"School {n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Staff

    district = factory.SubFactory(DistrictFactory)
    user = factory.SubFactory(UserFactory)
    sourced_id = factory.Sequence(lambda n: f"stf-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    email = factory.SelfAttribute("user.email")


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.StaffRole

    staff = factory.SubFactory(StaffFactory)
    school = None
    role = Role.TEACHER


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Household

    district = factory.SubFactory(DistrictFactory)
    sourced_id = factory.Sequence(lambda n: f"hh-{n}")
    name = factory.Faker("last_name")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Student

    district = factory.SubFactory(DistrictFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..district"))
    sourced_id = factory.Sequence(lambda n: f"stu-{n}")
    identifier = factory.Sequence(lambda n: f"{100000 + n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    grade = "05"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Guardian

    district = factory.SubFactory(DistrictFactory)
    sourced_id = factory.Sequence(lambda n: f"grd-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"family{n}@example.net")
    # Another exchange than the +1203555… numbers tests write by hand, so a hand-written number never collides
    # with a factory family created earlier in the same process.
    mobile_phone = factory.Sequence(lambda n: f"+1475555{n % 10000:04d}")
    language = "en"


class StudentGuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.StudentGuardian

    student = factory.SubFactory(StudentFactory)
    guardian = factory.SubFactory(GuardianFactory, district=factory.SelfAttribute("..student.district"))
    relationship = r.Relationship.PARENT


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Section

    district = factory.SubFactory(DistrictFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..district"))
    sourced_id = factory.Sequence(lambda n: f"cls-{n}")
    title = factory.Sequence(lambda n: f"Grade 5 Homeroom {n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Enrollment

    district = factory.SelfAttribute("section.district")
    section = factory.SubFactory(SectionFactory)
    sourced_id = factory.Sequence(lambda n: f"enr-{n}")
    role = r.EnrollmentRole.STUDENT


class CaseloadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = r.Caseload

    staff = factory.SubFactory(StaffFactory)
    student = factory.SubFactory(StudentFactory)
