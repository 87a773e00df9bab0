"""WSGI entry point for gunicorn: ``gunicorn config.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Django and the project are loaded: their ~75,000 objects live as long as the worker, so keep
# them out of the garbage collector's full collections, which otherwise walk them all (~35 ms
# on the benchmark's pages, a whole request's budget, every few hundred requests; ~10 ms with
# them frozen). The cost: a frozen object that later becomes cyclic garbage is never freed,
# which for imported modules, classes and functions is what happens anyway.
gc.freeze()
