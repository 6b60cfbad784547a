"""The API docs load their assets from our own static files (the CSP allows no CDN), for signed-in staff only."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.urls import reverse

DOCS = "/api/v1/docs"


def _assets(html: str) -> list[str]:
    return re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", html)


def test_the_docs_page_loads_swagger_from_our_own_static_files(world, client_for):
    response = client_for("teacher").get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among our static files"


def test_the_docs_page_has_no_inline_script_the_policy_would_block(world, client_for):
    response = client_for("teacher").get(DOCS)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", response.content.decode(), flags=re.S)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes or not body.strip(), attributes
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "cdn" not in policy


def test_the_docs_and_the_schema_need_a_staff_sign_in(world, client_for):
    schema = reverse("api:openapi-json")
    for url in (DOCS, schema):
        anonymous = client_for("anonymous").get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
        assert client_for("ana").get(url).status_code == 403
    assert client_for("teacher").get(schema).status_code == 200
