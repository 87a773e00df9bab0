"""Reads of public pages go to a replica; writes, admin and reads after a write do not."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.routers import PIN_COOKIE, PinPrimaryMiddleware, PrimaryReplicaRouter
from corpus.models import Article

ROOT = Path(__file__).resolve().parents[2]
router = PrimaryReplicaRouter(replicas=["replica"])


def read_alias_during(request) -> str:
    """The alias the router picks for a read made while the middleware handles ``request``."""
    seen = {}

    def view(request):
        seen["alias"] = router.db_for_read(Article)
        return HttpResponse("ok", status=201 if request.method == "POST" else 200)

    response = PinPrimaryMiddleware(view)(request)
    return seen["alias"], response


@override_settings(SITREP_REPLICA_PIN_SECONDS=10)
def test_public_get_reads_from_the_replica():
    alias, response = read_alias_during(RequestFactory().get("/timeline/"))
    assert alias == "replica"
    assert PIN_COOKIE not in response.cookies


@override_settings(SITREP_REPLICA_PIN_SECONDS=10)
def test_a_write_reads_the_primary_and_pins_the_browser_to_it():
    alias, response = read_alias_during(RequestFactory().post("/admin/corpus/entity/1/change/"))
    assert alias == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    pinned = RequestFactory().get("/timeline/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    assert read_alias_during(pinned)[0] == "default"


def test_admin_pages_read_the_primary_even_for_get():
    assert read_alias_during(RequestFactory().get("/admin/corpus/event/"))[0] == "default"


def test_outside_a_request_everything_uses_the_primary():
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "corpus") is True
    assert router.allow_migrate("replica", "corpus") is False


def test_without_replicas_reads_stay_on_the_primary():
    seen = {}

    def view(request):
        seen["alias"] = PrimaryReplicaRouter(replicas=[]).db_for_read(Article)
        return HttpResponse("ok")

    PinPrimaryMiddleware(view)(RequestFactory().get("/"))
    assert seen["alias"] == "default"


def _run(script: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.update(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="testserver", **env)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_add_one_mirrored_alias_per_replica_url():
    result = _run(
        "import config.settings as s, json; print(json.dumps([list(s.DATABASES), "
        "s.DATABASES['replica2']['TEST'], s.DATABASE_ROUTERS, s.MIDDLEWARE[1]]))",
        DATABASE_URL="postgres://u@127.0.0.1:1/main",
        DATABASE_REPLICA_URLS="postgres://u@10.0.0.2:5432/main,postgres://u@10.0.0.3:5432/main",
    )
    assert result.returncode == 0, result.stderr
    aliases, test, routers, middleware = json.loads(result.stdout)
    assert aliases == ["default", "replica", "replica2"]
    assert test == {"MIRROR": "default"}
    assert routers == ["config.routers.PrimaryReplicaRouter"]
    assert middleware == "config.routers.PinPrimaryMiddleware"


PAGE_SCRIPT = """
import json, django
django.setup()
from django.db import connections
from django.test import Client
counts = {}
def counter(alias):
    def wrapper(execute, sql, params, many, context):
        counts[alias] = counts.get(alias, 0) + 1
        return execute(sql, params, many, context)
    return wrapper
client = Client()
def run(method, path):
    counts.clear()
    wrappers = [connections[a].execute_wrapper(counter(a)) for a in connections]
    for w in wrappers: w.__enter__()
    response = getattr(client, method)(path)
    for w in wrappers: w.__exit__(None, None, None)
    return response.status_code, dict(counts)
out = {"home": run("get", "/"), "login": run("post", "/admin/login/"), "after": run("get", "/")}
print(json.dumps(out))
"""


@pytest.mark.django_db(transaction=True)
def test_two_aliases_on_one_server_route_real_page_reads():
    """A real page under real settings: its reads go to the replica alias until a write."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"
    result = _run(
        PAGE_SCRIPT,
        DATABASE_URL=url,
        DATABASE_REPLICA_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    status, counts = pages["home"]
    assert status == 200
    assert counts.get("replica", 0) > 0 and "default" not in counts
    assert pages["login"][0] in (200, 403)  # a POST (refused by CSRF or not) pins
    assert "replica" not in pages["after"][1]
