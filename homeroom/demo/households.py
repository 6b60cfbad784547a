"""Synthetic families: households, guardians and their children, with plausible Connecticut proportions."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from homeroom.demo.names import POOLS, ascii_slug, family_name_for

# Home languages (BCP 47) with the naming tradition of their families; English is the majority.
LANGUAGES: tuple[tuple[str, float], ...] = (
    ("en", 70.0), ("es", 19.0), ("pt-BR", 3.2), ("ht", 1.9), ("zh-Hans", 1.6), ("ar", 1.6), ("pl", 1.6),
)
DEMO_LANGUAGES = tuple(tag for tag, _ in LANGUAGES)
_TRADITION = {"es": "hispanic", "pt-BR": "brazilian", "ht": "haitian", "zh-Hans": "chinese", "ar": "arab",
              "pl": "polish"}
_BIRTH_COUNTRY = {"es": ("PR", "DO", "MX", "EC", "CO", "GT", "SV", "PE"), "pt-BR": ("BR",), "ht": ("HT",),
                  "zh-Hans": ("CN",), "ar": ("SY", "EG", "IQ", "YE", "MA", "LB"), "pl": ("PL",)}
# English-speaking families: (group, weight, naming tradition). Hispanic families often speak English at home.
_ENGLISH_GROUPS = (("white", 56.0, "english"), ("black", 16.0, "english"), ("hispanic", 15.0, "hispanic"),
                   ("south_asian", 3.0, "south_asian"), ("east_asian", 3.0, "east_asian_english"),
                   ("multi", 7.0, "english"))
_GROUP_FOR_LANGUAGE = {"es": "hispanic", "pt-BR": "brazilian", "ht": "black", "zh-Hans": "asian", "ar": "white",
                       "pl": "white"}

STRUCTURES = (("two_parent", 50.0), ("single_parent", 24.0), ("separated", 12.0), ("grandparent", 7.0),
              ("stepparent", 3.0), ("foster", 4.0))
_CHILD_COUNTS = ((1, 42.0), (2, 36.0), (3, 16.0), (4, 6.0))
AREA_CODES = ("203", "860", "475")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
GRADES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")

NO_RIGHTS_NOTE = "Court order on file: no access to education records and no school contact."
PROTECTIVE_NOTE = "Protective order: do not share the student's schedule or whereabouts; may attend meetings."
FOSTER_NOTE = "DCF placement; the DCF caseworker consents to evaluations. Foster parent handles day-to-day matters."
GRANDPARENT_NOTE = "Grandparent holds guardianship (probate court)."


@dataclass
class Guardian:
    number: int
    given: str
    family: str
    sex: str
    language: str
    relationship: str  # contract relationshipRole
    household: str
    email: str = ""
    mobile: str = ""
    home_phone: str = ""
    sms_consent: bool = False
    has_rights: bool = True
    lives_with: bool = True
    may_receive: bool = True
    emergency: bool = False
    primary: bool = False
    custody_notes: str = ""
    in_agents: bool = True  # listed in agentSourcedIds (an emergency contact appears only in relationships.csv)

    @property
    def sourced_id(self) -> str:
        return f"gdn-{self.number:06d}"

    @property
    def oneroster_role(self) -> str:
        if self.relationship in {"mother", "father", "parent", "stepparent"}:
            return "parent"
        return "relative" if self.relationship == "relative" else "guardian"


@dataclass
class Child:
    number: int
    given: str
    family: str
    sex: str
    grade: int  # 0 = kindergarten
    birth_date: date
    race: frozenset[str]
    hispanic: bool
    birth_country: str
    english_learner: bool
    iep: bool
    section_504: bool
    free_reduced_meals: bool
    school_index: int = -1

    @property
    def sourced_id(self) -> str:
        return f"stu-{self.number:06d}"

    @property
    def grade_code(self) -> str:
        return GRADES[self.grade]


@dataclass
class Family:
    number: int
    language: str
    structure: str
    zone: float  # where the family lives: decides the feeder pattern of its children's schools
    links_on_student_row: bool  # agentSourcedIds on the student's row, or on the guardians' rows
    write_relationships: bool
    children: list[Child] = field(default_factory=list)
    guardians: list[Guardian] = field(default_factory=list)

    @property
    def sourced_id(self) -> str:
        return f"hh-{self.number:06d}"


@dataclass(frozen=True)
class Showcase:
    """A family the demo always contains, so every language and custody case exists even for small districts."""

    language: str
    structure: str
    grades: tuple[int, ...]
    iep_first: bool = False
    no_contact: bool = False  # the guardian has neither email nor mobile phone
    custody: str = ""  # "no_rights" or "protective" for the absent parent


SHOWCASE = (
    Showcase("es", "two_parent", (3, 7), iep_first=True),
    Showcase("en", "single_parent", (1, 10)),
    Showcase("pt-BR", "two_parent", (4,)), Showcase("ht", "single_parent", (8, 11)),
    Showcase("zh-Hans", "two_parent", (2,)), Showcase("ar", "two_parent", (5, 0)),
    Showcase("pl", "two_parent", (9,)), Showcase("es", "separated", (6,), custody="no_rights"),
    Showcase("en", "grandparent", (2, 4), no_contact=True), Showcase("en", "foster", (7,)),
    Showcase("en", "separated", (12,), custody="protective"),
)


def _weighted(options: tuple[tuple[object, float], ...]) -> tuple[list, list[float]]:
    values = [value for value, _ in options]
    cumulative = list(itertools.accumulate(weight for _, weight in options))
    return values, cumulative


class FamilyMaker:
    """Makes one family at a time from one random stream, so the same seed gives the same district."""

    def __init__(self, rng: random.Random, school_year_start: int) -> None:
        self.rng = rng
        self.year = school_year_start
        self.languages = _weighted(LANGUAGES)
        self.structures = _weighted(STRUCTURES)
        self.child_counts = _weighted(_CHILD_COUNTS)
        self.english_groups = _weighted(tuple((g, w) for g, w, _ in _ENGLISH_GROUPS))
        self.english_tradition = {g: t for g, _, t in _ENGLISH_GROUPS}
        self.family_count = 0
        self.child_count = 0
        self.guardian_count = 0
        self.phone_count = 0

    def _pick(self, weighted: tuple[list, list[float]]):
        values, cumulative = weighted
        return self.rng.choices(values, cum_weights=cumulative)[0]

    def make(self, remaining_students: int) -> Family:
        rng = self.rng
        show = SHOWCASE[self.family_count] if self.family_count < len(SHOWCASE) else None
        self.family_count += 1
        language = show.language if show else self._pick(self.languages)
        structure = show.structure if show else self._pick(self.structures)
        if language == "en":
            group = self._pick(self.english_groups)
            tradition = self.english_tradition[group]
        else:
            group, tradition = _GROUP_FOR_LANGUAGE[language], _TRADITION[language]
        pool = POOLS[tradition]
        family_name = rng.choice(pool.family)
        if tradition == "hispanic" and rng.random() < 0.2:
            family_name = f"{family_name} {rng.choice(pool.family)}"  # two surnames, as many families write them
        family = Family(
            number=self.family_count, language=language, structure=structure, zone=rng.random(),
            links_on_student_row=rng.random() < 0.5,
            write_relationships=structure not in {"two_parent", "single_parent"} or rng.random() < 0.6,
        )
        grades = list(show.grades) if show else self._sibling_grades()
        for index, grade in enumerate(grades[:remaining_students]):
            family.children.append(self._child(family, grade, family_name, tradition, group,
                                               iep=bool(show and show.iep_first and index == 0)))
        self._guardians(family, family_name, tradition, show)
        # Flags other than the defaults, and emergency contacts, can only come from relationships.csv.
        family.write_relationships = family.write_relationships or any(not g.in_agents for g in family.guardians)
        return family

    def _sibling_grades(self) -> list[int]:
        # Distinct grades drawn uniformly keep every grade the same size, whatever the family sizes.
        return self.rng.sample(range(13), self._pick(self.child_counts))

    def _child(self, family: Family, grade: int, family_name: str, tradition: str, group: str, *, iep: bool) -> Child:
        rng = self.rng
        self.child_count += 1
        sex = "female" if rng.random() < 0.49 else "male"
        pool = POOLS[tradition]
        if family.language == "en" and tradition == "hispanic" and rng.random() < 0.5:
            given = rng.choice(POOLS["english"].given(sex, adult=False))
        else:
            given = rng.choice(pool.given(sex, adult=False))
        # Born between September 2 and September 1 before the grade's cut-off (Connecticut: age 5 by September 1).
        born = date(self.year - 6 - grade, 9, 2) + timedelta(days=rng.randrange(365))
        race, hispanic = self._race(group)
        non_english = family.language != "en"
        abroad = non_english and rng.random() < (0.35 if grade >= 3 else 0.15)
        country = rng.choice(_BIRTH_COUNTRY[family.language]) if abroad else "US"
        # Most English learners speak another language at home, more of them in the early grades and newcomers.
        el_rate = (0.75 if abroad else 0.4 - 0.025 * grade) if non_english else 0.006
        iep = iep or rng.random() < 0.15
        return Child(
            number=self.child_count, given=given, family=family_name_for(family_name, sex, tradition), sex=sex,
            grade=grade, birth_date=born, race=race, hispanic=hispanic, birth_country=country,
            english_learner=rng.random() < el_rate, iep=iep, section_504=not iep and rng.random() < 0.035,
            free_reduced_meals=rng.random() < (0.6 if non_english or group in {"black", "hispanic"} else 0.22),
        )

    def _race(self, group: str) -> tuple[frozenset[str], bool]:
        rng = self.rng
        if group == "hispanic":
            roll = rng.random()
            if roll < 0.19:
                return frozenset({"white", rng.choice(("black", "black", "aian"))}), True
            return frozenset({"black" if roll < 0.26 else "aian" if roll < 0.27 else "white"}), True
        if group == "multi":
            other = rng.choices(("black", "asian", "aian", "nhpi"), weights=(6, 3, 1, 0.5))[0]
            return frozenset({"white", other}), rng.random() < 0.2
        if group in {"south_asian", "east_asian", "asian"}:
            return frozenset({"nhpi" if rng.random() < 0.03 else "asian"}), False
        if group == "brazilian":
            return frozenset({"white" if rng.random() < 0.75 else "black"}), False
        if group == "white" and rng.random() < 0.01:
            return frozenset({"aian"}), False
        return frozenset({group}), False

    def _guardians(self, family: Family, family_name: str, tradition: str, show: Showcase | None) -> None:
        rng = self.rng
        household = family.sourced_id
        structure = family.structure

        def add(sex: str, relationship: str, **flags) -> Guardian:
            self.guardian_count += 1
            surname = family_name
            if relationship in {"stepparent", "foster_parent", "relative"} and rng.random() < 0.6:
                surname = rng.choice(POOLS[tradition].family)
            guardian = Guardian(
                number=self.guardian_count, given=rng.choice(POOLS[tradition].given(sex, adult=True)),
                family=family_name_for(surname, sex, tradition), sex=sex, language=family.language,
                relationship=relationship, household=flags.pop("household", household), **flags,
            )
            family.guardians.append(guardian)
            return guardian

        mother_first = rng.random() < 0.8
        first_sex, second_sex = ("female", "male") if mother_first else ("male", "female")
        parent = {"female": "mother", "male": "father"}
        if structure in {"two_parent", "stepparent"}:
            add(first_sex, parent[first_sex], primary=True)
            if structure == "stepparent":
                add(second_sex, "stepparent")
            elif rng.random() < 0.03:
                add(first_sex, "parent")  # two mothers or two fathers
            else:
                add(second_sex, parent[second_sex])
        elif structure in {"single_parent", "separated"}:
            add(first_sex, parent[first_sex], primary=True)
            if structure == "separated":
                self._absent_parent(add, second_sex, parent[second_sex], show.custody if show else "")
        elif structure == "grandparent":
            add("female", "grandparent", primary=True, custody_notes=GRANDPARENT_NOTE)
            if rng.random() < 0.4:
                add("male", "grandparent")
        else:
            add(first_sex, "foster_parent", primary=True, custody_notes=FOSTER_NOTE)
        if rng.random() < 0.25 or structure == "foster":
            add(rng.choice(("female", "male")), "relative", household=f"{household}-r", has_rights=False,
                lives_with=False, may_receive=False, emergency=True, in_agents=False)
        # Bilingual homes: the second adult sometimes prefers English.
        if family.language != "en" and len(family.guardians) > 1 and rng.random() < 0.2:
            family.guardians[1].language = "en"
        for guardian in family.guardians:
            self._contacts(guardian, older=guardian.relationship == "grandparent",
                           no_contact=bool(show and show.no_contact and guardian.primary))

    def _absent_parent(self, add, sex: str, relationship: str, custody: str) -> None:
        roll = self.rng.random()
        custody = custody or ("no_rights" if roll < 0.2 else "protective" if roll < 0.3 else "")
        absent_household = f"hh-{self.family_count:06d}-b"
        if custody == "no_rights":
            add(sex, relationship, household=absent_household, lives_with=False, has_rights=False,
                may_receive=False, custody_notes=NO_RIGHTS_NOTE)
        elif custody == "protective":
            add(sex, relationship, household=absent_household, lives_with=False, may_receive=False,
                custody_notes=PROTECTIVE_NOTE)
        else:
            add(sex, relationship, household=absent_household, lives_with=False)

    def _contacts(self, guardian: Guardian, *, older: bool, no_contact: bool) -> None:
        rng = self.rng
        if not no_contact and rng.random() < (0.6 if older else 0.91):
            domain = EMAIL_DOMAINS[guardian.number % len(EMAIL_DOMAINS)]
            guardian.email = f"{ascii_slug(guardian.given)}.{ascii_slug(guardian.family)}{guardian.number}@{domain}"
        if not no_contact and rng.random() < (0.7 if older else 0.9):
            guardian.mobile = self.phone()
            guardian.sms_consent = rng.random() < 0.75
        if rng.random() < (0.8 if older or no_contact else 0.3):
            guardian.home_phone = self.phone()

    def phone(self) -> str:
        """A fictional Connecticut number (555 exchange), unique for the first ~29,000, in varied SIS formats."""
        self.phone_count += 1
        k = self.phone_count
        area = AREA_CODES[k % len(AREA_CODES)]
        line = f"{(k // len(AREA_CODES) * 7919 + 100) % 9900 + 100:04d}"
        style = k % 4
        if style == 0:
            return f"({area}) 555-{line}"
        if style == 1:
            return f"{area}-555-{line}"
        if style == 2:
            return f"{area}.555.{line}"
        return f"+1{area}555{line}"
