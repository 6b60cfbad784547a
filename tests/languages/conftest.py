from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests import factories as f
from tests.languages.standins import LibreTranslateStandIn


@pytest.fixture
def haitian(world) -> Any:
    """Jean Pierre in 5A and on Mr. Chen's caseload; his mother Marie reads Haitian Creole (one household with
    his father Joseph, who reads it too: one family)."""
    jean = f.StudentFactory(district=world.district, school=world.lincoln, given_name="Jean", family_name="Pierre",
                            grade="05")
    f.EnrollmentFactory(section=world.section_5a, student=jean)
    f.CaseloadFactory(staff=world.case_manager, student=jean)
    household = f.HouseholdFactory(district=world.district)
    marie = f.GuardianFactory(district=world.district, given_name="Marie", family_name="Pierre", language="ht",
                              household=household, email="marie@family.example",
                              user=f.UserFactory(email="marie@family.example", language="ht"))
    joseph = f.GuardianFactory(district=world.district, given_name="Joseph", family_name="Pierre", language="ht",
                               household=household, email="joseph@family.example")
    f.StudentGuardianFactory(student=jean, guardian=marie, relationship="mother")
    f.StudentGuardianFactory(student=jean, guardian=joseph, relationship="father")
    return SimpleNamespace(jean=jean, marie=marie, joseph=joseph, household=household)


@pytest.fixture
def libretranslate(settings):
    """Machine translation configured against a LibreTranslate stand-in."""
    with LibreTranslateStandIn() as standin:
        settings.MESSAGING_TRANSLATION_PROVIDER = "libretranslate"
        settings.MESSAGING_TRANSLATION_URL = standin.url
        settings.MESSAGING_TRANSLATION_API_KEY = ""
        yield standin
