"""403, 404, 500 and a refused form are friendly pages in the reader's language that say what to do next."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.views.defaults import server_error

from homeroom import urls as homeroom_urls


def _boom(request: HttpRequest):
    raise RuntimeError("the database went away")


# A URL that fails, in front of the real ones (the error page links back to them).
urlpatterns = [path("boom/", _boom), *homeroom_urls.urlpatterns]


@pytest.mark.django_db
def test_a_missing_page_says_so_and_offers_the_home_page(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We can't find this page" in body and 'href="/"' in body and 'class="skip-link"' in body


@pytest.mark.django_db
def test_a_missing_page_speaks_the_family_language(world, client_for):
    body = client_for("ana").get("/no-such-page/").content.decode()  # Ana reads Spanish
    assert "No encontramos esta página" in body and '<html lang="es">' in body


@pytest.mark.django_db
def test_a_refused_page_is_a_friendly_page_not_a_bare_403(world, client_for):
    response = client_for("teacher").get(reverse("access_log"))
    body = response.content.decode()
    assert response.status_code == 403
    assert len(response.content) > 1000  # Django's bare page is 135 bytes
    assert "You can't open this page" in body and "What you can do" in body


@pytest.mark.django_db
def test_a_refused_page_in_spanish(world, client_for):
    client = client_for("teacher")
    client.post(reverse("set_language"), {"language": "es"})
    response = client.get(reverse("access_log"))
    assert response.status_code == 403 and "No puede abrir esta página" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_explains_what_to_do_in_the_readers_language():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "es"}, HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Este formulario ha caducado" in body and "recargue la página" in body


@pytest.mark.django_db
def test_a_server_error_is_a_friendly_page(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 500
    assert "Algo falló de nuestro lado" in response.content.decode()


def test_the_server_error_page_needs_no_database():
    """No django_db mark: any query while rendering would fail this test."""
    request = RequestFactory().get("/anything/")
    with translation.override("es"):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Algo falló de nuestro lado" in body and "llame a la oficina de su escuela" in body
