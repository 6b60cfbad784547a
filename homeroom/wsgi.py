import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
application = get_wsgi_application()

# gunicorn and uvicorn run no system checks: a site with no email or SMS provider must not start.
from homeroom.core.checks import refuse_to_serve_misconfigured  # noqa: E402

refuse_to_serve_misconfigured()
