"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

from doorstep.core.startup import require_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
application = get_wsgi_application()
require_keys()
