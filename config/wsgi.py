import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm_up():
    """Import every view and build the URL map while the server starts, not in the first request each worker
    answers (about half a second of CPU each); under ``gunicorn --preload`` the workers inherit both."""
    from django.db import connections
    from django.urls import reverse

    reverse("home")
    connections.close_all()  # nothing opened here may be shared by the workers gunicorn forks


_warm_up()
