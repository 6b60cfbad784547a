"""Families can add Homeroom to a phone's home screen: a manifest, an SVG favicon and PNG icons."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from homeroom.core import icons

pytestmark = pytest.mark.django_db


def _static_path(url: str) -> str:
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return path


def test_the_manifest_is_served_as_a_manifest_with_icons_that_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Homeroom" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    assert {icon["sizes"] for icon in pngs} >= {"192x192", "512x512"}
    for icon in pngs:
        with Image.open(_static_path(icon["src"])) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"
    svg = next(icon for icon in manifest["icons"] if icon["type"] == "image/svg+xml")
    assert ElementTree.parse(_static_path(svg["src"])).getroot().tag.endswith("svg")  # noqa: S314 - our own file


def test_the_manifest_speaks_the_readers_language(client):
    manifest = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="es").content)
    assert manifest["lang"] == "es" and manifest["description"].startswith("Mensajes")


def test_every_page_links_the_favicon_and_manifest_within_the_content_security_policy(client):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'rel="icon" href="/static/homeroom/icon.svg"' in page
    assert 'rel="apple-touch-icon"' in page
    # Same-origin icons and manifest: default-src/img-src 'self' allow them without loosening the policy.
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_committed_icons_are_what_the_generator_draws():
    """`homeroom make_icons` is the source: a hand-edited PNG or SVG fails here."""
    with open(_static_path("/static/homeroom/icon.svg"), encoding="utf-8") as svg:
        assert svg.read() == icons.svg()
    for name, size in icons.PNG_SIZES.items():
        with Image.open(_static_path(f"/static/homeroom/{name}")) as committed:
            assert committed.size == (size, size)
            assert committed.convert("RGB").tobytes() == icons.png(size).tobytes()
