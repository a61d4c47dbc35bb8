"""`make prod` against PostgreSQL and Redis with two workers: /healthz and a login
round trip through gunicorn, then stopped (issue 10 §1). Logs are JSON lines."""

import base64
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import threading
import time
import uuid
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import connection

from .servers import free_port

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Prod2026ok"


class Server:
    def __init__(self, port, env):
        self.port = port
        self.lines = []
        self.process = subprocess.Popen(["make", "--no-print-directory", "prod"], cwd=ROOT,
                                        env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self):
        return "\n".join(self.lines)

    def request(self, method, path, body=None, headers=None):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{self.port}",
                                                           **(headers or {})})
            response = conn.getresponse()
            cookies = response.msg.get_all("Set-Cookie") or []
            return (response.status, dict(response.getheaders()), cookies,
                    response.read().decode())
        finally:
            conn.close()

    def wait_until_healthy(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("make prod exited:\n" + self.output())
            try:
                status, _, _, body = self.request("GET", "/healthz")
            except OSError:
                time.sleep(0.5)
                continue
            return status, body
        pytest.fail("make prod did not answer in time:\n" + self.output())

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.reader.join(timeout=5)


def _cookies(set_cookie_headers):
    return dict(re.match(r"([^=]+)=([^;]*)", h).groups() for h in set_cookie_headers)


@pytest.fixture
def prod_server(tmp_path, settings):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): the production "
                    "server shares the test database")
    db = connection.settings_dict
    port = free_port()
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "VIRTUAL_ENV", "TMPDIR", "LABOUR_TEST_PORTS")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({
        "ENV_FILE": str(tmp_path / "no.env"),  # not the checkout's .env
        "DJANGO_PRODUCTION": "1", "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        # the roster's keys (personal numbers), fresh for this server
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "LOOKUP_HMAC_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                         f"{db['PORT'] or 5432}/{db['NAME']}"),
        "REDIS_URL": os.environ["REDIS_URL"], "CACHE_KEY_PREFIX": f"prodtest-{uuid.uuid4().hex[:8]}",
        "SMS_BACKEND": "aliyun", "STATIC_ROOT": str(tmp_path / "static"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "PORT": str(port), "WEB_CONCURRENCY": "2", "LOG_FORMAT": "json",
    })
    server = Server(port, env)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_make_prod_serves_health_and_a_login_round_trip(prod_server, settings):
    from labour.accounts.services import save_authority_user

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user, _ = save_authority_user(actor=None, username="prod_reviewer", region_code="410100",
                                  name="郑州市城乡建设局", password=PASSWORD)
    server = prod_server
    status, body = server.wait_until_healthy()
    assert status == 200, body
    health = json.loads(body)
    assert health["status"] == "ok"
    assert set(health["checks"]) == {"database", "cache"}

    https = {"X-Forwarded-Proto": "https"}
    status, headers, _, _ = server.request("GET", "/")
    assert status == 301 and headers["Location"].startswith("https://")  # DEBUG off, HTTPS only
    status, _, cookies, html = server.request("GET", "/?part=authority", headers=https)
    assert status == 200 and "主管部门" in html
    assert "/static/core/app." in html  # the hashed name from collectstatic's manifest
    jar = _cookies(cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "kind": "authority",
                      "authority-username": "prod_reviewer", "authority-password": PASSWORD})
    origin = f"https://127.0.0.1:{server.port}"
    post = {**https, "Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
            "Referer": origin + "/", "X-Forwarded-For": "203.0.113.9"}
    status, headers, cookies, _ = server.request(
        "POST", "/", body=form, headers={**post, "Cookie": f"csrftoken={jar['csrftoken']}"})
    assert status == 302 and headers["Location"] == "/home/"
    jar.update(_cookies(cookies))
    assert any("Secure" in c and "HttpOnly" in c for c in cookies if c.startswith("sessionid="))
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    # the authority's home page (首页), in the platform's layout
    status, _, _, html = server.request("GET", "/home/", headers={**https, "Cookie": cookie})
    assert status == 200 and "郑州市城乡建设局" in html and "退出" in html
    status, _, _, html = server.request("GET", "/certification/review/",
                                        headers={**https, "Cookie": cookie})
    assert status == 200 and "企业账号认证审核" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, headers, _, _ = server.request(
        "POST", "/logout/", body=urlencode({"csrfmiddlewaretoken": token}),
        headers={**post, "Cookie": cookie})
    assert status == 302
    status, headers, _, _ = server.request("GET", "/certification/review/",
                                           headers={**https, "Cookie": cookie})
    # the session has ended: the page sends to the login page
    assert status == 302 and headers["Location"].startswith("/?next=")

    server.stop()
    output = server.output()
    # two workers booted
    log = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    boots = [r for r in log if r["logger"] == "gunicorn.error" and "Booting worker" in r["message"]]
    assert len(boots) == 2, output
    # one JSON access line per request, with request and user id; the password nowhere
    access = [r for r in log if r["logger"] == "labour.access"]
    review = [r for r in access if r["path"] == "/certification/review/" and r["status"] == 200]
    assert review and review[0]["user_id"] == user.pk and len(review[0]["request_id"]) == 32
    logins = [r for r in access if r["path"] == "/" and r["method"] == "POST"]
    assert logins and logins[0]["status"] == 302
    assert PASSWORD not in output


# ------------------------------------------------------------------ nginx in front

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def nginx(prod_server, tmp_path):
    """deploy/nginx/labour.conf as shipped, with this machine's ports, a self-signed
    certificate and log paths substituted, in front of the `make prod` server."""
    if not Path(NGINX).exists():
        pytest.skip("nginx not installed (Debian package nginx-light): the site file is not tested")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=laowu.example.gov.cn"],
                   check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    site = (ROOT / "deploy" / "nginx" / "labour.conf").read_text()
    site = re.sub(r"server 10\.0\.1\.11:8000 [^;]*;\s*server 10\.0\.1\.12:8000 [^;]*;",
                  f"server 127.0.0.1:{prod_server.port};", site)
    assert str(prod_server.port) in site
    site = (site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
            .replace("listen [::]:80;\n", "").replace("listen [::]:443 ssl http2;\n", "")
            .replace("/etc/ssl/labour/fullchain.pem", str(cert))
            .replace("/etc/ssl/labour/privkey.pem", str(key))
            .replace("/var/log/nginx", str(tmp_path)))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf;\n}}\n")
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
               str(tmp_path / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        yield SimpleNamespace(http_port=http_port, https_port=https_port)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _https(port, method, path, body=None, headers=None, source="127.0.0.5"):
    """A request from `source` (another loopback address: the 'client')."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = HTTPSConnection("127.0.0.1", port, timeout=30, context=context,
                           source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.msg, response.read().decode(errors="replace")
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nginx_site_tls_real_client_ip_upload_limit_and_request_id(prod_server, nginx):
    from labour.audit.models import Action, AuditEvent

    prod_server.wait_until_healthy()
    conn = HTTPConnection("127.0.0.1", nginx.http_port, timeout=10)
    conn.request("GET", "/certification/enterprise/", headers={"Host": "laowu.example.gov.cn"})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://laowu.example.gov.cn/certification/enterprise/"
    conn.close()

    status, headers, body = _https(nginx.https_port, "GET", "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id

    # the login page and a wrong password, from 127.0.0.5 with a forged X-Forwarded-For
    status, headers, html = _https(nginx.https_port, "GET", "/?part=authority")
    assert status == 200 and "Strict-Transport-Security" in headers
    csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "kind": "authority",
                      "authority-username": "nobody-here", "authority-password": "Wrong123"})
    status, _, html = _https(nginx.https_port, "POST", "/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
        "Referer": "https://127.0.0.1/", "X-Forwarded-For": "203.0.113.7"})
    assert status == 200 and "账号或密码错误" in html
    failure = AuditEvent.objects.filter(action=Action.LOGIN_FAILURE).latest("id")
    assert failure.ip == "127.0.0.5"  # the client nginx saw; not the forged one, not nginx

    # a body over client_max_body_size stops at nginx
    big = b"x" * (46 * 1024 * 1024)
    status, _, _ = _https(nginx.https_port, "POST", "/certification/enterprise/", body=big,
                          headers={"Content-Type": "application/octet-stream"})
    assert status == 413
    # private files: only through the application, which asks for a login first, and
    # then answers 404 for a file nobody may see
    status, _, _ = _https(nginx.https_port, "GET", f"/files/{uuid.uuid4()}/")
    assert status == 302
