"""URL × role rules for the public pages and the district's editor (walked by tests/test_url_access.py).

Public pages: everyone gets 200, signed in or not. The editor: district administrators only (others 403,
anonymous to sign-in); another district's row is a 404 even for an administrator. The portal's community page
sends a family to its district's public search (302) and refuses staff."""

from __future__ import annotations

from typing import Any

from tests.access import Rule, expect_all
from tests.actors import World
from tests.website.helpers import announcement, other_district, public_file, resource

PUBLIC = expect_all(200)
ADMIN = expect_all(403, anonymous=302, admin=200)
ADMIN_WRITES = expect_all(403, anonymous=302, admin=302)
ELSEWHERE = expect_all(403, anonymous=302, admin=404)


def _district(w: World) -> dict[str, Any]:
    return {"district_slug": w.district.slug}


RULES = {
    "website:district": Rule(kwargs=_district, expect=PUBLIC),
    "website:community": Rule(kwargs=_district, expect=PUBLIC),
    "website:school": Rule(kwargs=lambda w: {**_district(w), "school_slug": "lincoln-elementary"}, expect=PUBLIC),
    "website:editor": Rule(expect=ADMIN),
    "website:publication": Rule(expect=ADMIN),
    "website:resources": Rule(expect=ADMIN),
    "website:resource_new": Rule(expect=ADMIN),
    "website:resource_edit": Rule(kwargs=lambda w: {"pk": resource(w).pk}, expect=ADMIN),
    "website:resource_delete": Rule(method="post", kwargs=lambda w: {"pk": resource(w).pk}, expect=ADMIN_WRITES),
    "website:files": Rule(expect=ADMIN),
    "website:file_delete": Rule(method="post", kwargs=lambda w: {"pk": public_file(w).pk}, expect=ADMIN_WRITES),
    "website:announcements": Rule(expect=ADMIN),
    "website:announcement_new": Rule(expect=ADMIN),
    "website:announcement_edit": Rule(kwargs=lambda w: {"pk": announcement(w).pk}, expect=ADMIN),
    "website:announcement_delete": Rule(method="post", kwargs=lambda w: {"pk": announcement(w).pk},
                                        expect=ADMIN_WRITES),
    "website:family_community": Rule(expect=expect_all(403, anonymous=302, ana=302, luis=302, paul=302)),
}

VARIANTS = {
    "website:school": [
        Rule(kwargs=lambda w: {**_district(w), "school_slug": "washington-middle"}, query=lambda w: {"lang": "ar"},
             expect=PUBLIC, hidden=lambda w: ["Liam", "Walsh", "Paul"]),
        Rule(kwargs=lambda w: {**_district(w), "school_slug": "nowhere"}, expect=expect_all(404)),
    ],
    "website:community": [
        Rule(kwargs=_district, query=lambda w: {"category": "computer_access", "serves": "es", "lang": "es"},
             expect=PUBLIC),
    ],
    "website:resource_edit": [
        Rule(kwargs=lambda w: {"pk": resource(w, district=other_district(), name="Hillside Library").pk},
             expect=ELSEWHERE),
    ],
    "website:resource_delete": [
        Rule(method="post", kwargs=lambda w: {"pk": resource(w, district=other_district(), name="Hill").pk},
             expect=ELSEWHERE),
    ],
    "website:announcement_edit": [
        Rule(kwargs=lambda w: {"pk": announcement(w, district=other_district()).pk}, expect=ELSEWHERE),
    ],
    "website:file_delete": [
        Rule(method="post", kwargs=lambda w: {"pk": public_file(w, district=other_district()).pk}, expect=ELSEWHERE),
    ],
}

RULES["website:file"] = Rule(kwargs=lambda w: {**_district(w), "pk": public_file(w).pk}, expect=PUBLIC)
VARIANTS["website:file"] = [
    Rule(kwargs=lambda w: {"district_slug": other_district().slug, "pk": public_file(w).pk}, expect=expect_all(404)),
]
