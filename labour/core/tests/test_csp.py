"""Content-Security-Policy (issue 10 §3): every response carries the site's policy,
error pages included; no template has inline script, style or event handlers, which
the policy would block."""

import re
from pathlib import Path

import pytest
from django.test import Client

from labour.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

LABOUR = Path(__file__).resolve().parents[2]


def _policy(response):
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    return directives


@pytest.mark.parametrize("path", ["/", "/certification/enterprise/", "/help/", "/healthz"])
def test_pages_carry_the_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302), path
    directives = _policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_signed_in_pages_carry_the_policy(client):
    client.force_login(AuthorityFactory())
    response = client.get("/certification/review/")
    assert response.status_code == 200
    assert _policy(response)["default-src"] == "'self'"


def test_error_pages_carry_the_policy(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "labour.core.tests.test_error_pages"
    client = Client(raise_request_exception=False)
    for path, status in (("/no/such/page/", 404), ("/boom/", 500), ("/?unit=%00", 400)):
        response = client.get(path)
        assert response.status_code == status, path
        assert _policy(response)["default-src"] == "'self'", path
    csrf = Client(enforce_csrf_checks=True).post("/", {"username": "x"})
    assert csrf.status_code == 403 and _policy(csrf)["script-src"] == "'self'"


def test_report_only_when_asked(settings):
    settings.CSP_REPORT_ONLY = True
    response = Client().get("/")
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:",
                    re.IGNORECASE)


def test_no_template_has_inline_script_or_style():
    """json_script's <script type="application/json"> is data, not code: allowed."""
    found = []
    for template in LABOUR.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in INLINE.finditer(text):
            if 'type="application/json"' in match.group(0):
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{template.relative_to(LABOUR)}:{line}: {match.group(0)}")
    assert not found, "\n".join(found)
