"""What a hostile outsider and a bad day do to the production server (issue 10 §4),
measured: the production server (config.serve, as `make prod` starts it: gunicorn)
on PostgreSQL + Redis on this machine, each scenario bounded in count and time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python scripts/abuse.py

1. 500 concurrent 「获取验证码」 for one phone, each from its own forwarded address;
2. login guessing: wrong passwords for one enterprise account from many addresses
   (then its owner logs in), one address across many accounts, and the time of an
   answer for a known and an unknown account;
3. 50 parallel 通过/退回 POSTs on one application;
4. an upload flood: full 企业账号认证 forms with four 1 MB images, from one address
   and from many;
5. the database cut mid-submission: backends terminated (pg_terminate_backend) while
   applications are submitted; then each is sent again: nothing partial, no duplicate,
   and the files whose row never committed are what the orphan-file sweep finds;
6. the SMS gateway hanging for 30 s: codes asked for meanwhile, pages timed, and the
   time until every message is delivered.

SMS go to a local fake gateway this script starts (an HTTP server: it keeps the codes,
and hangs when told); the server reaches it through `LocalHttpGateway` below
(SMS_BACKEND may name a gateway class). There is no Celery broker: the server hands
each message to a thread of its own (as in production without a broker), and this
script runs dispatch_due_sms every 2 s in Celery beat's place.

The data live in a throwaway database, `<name>_bench` unless --database names one
(dropped at the end).
"""

import argparse
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from labour.notifications.gateways import SmsError, SmsGateway  # noqa: E402

PASSWORD = "Bench2026x"  # scripts/bench_http.py's Server.login uses it


# ------------------------------------------------------------------ the gateway

class LocalHttpGateway(SmsGateway):
    """The platform's side: POSTs the message as JSON to ABUSE_GATEWAY_URL, giving up
    after SMS_GATEWAY_TIMEOUT_SECONDS like the real gateway does."""

    name = "local-http"

    def send(self, message):
        from django.conf import settings

        body = json.dumps({"phone": message.phone, "template": message.template,
                           "params": message.params}).encode()
        request = urllib.request.Request(os.environ["ABUSE_GATEWAY_URL"], data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request,  # noqa: S310 (a local URL)
                                        timeout=settings.SMS_GATEWAY_TIMEOUT_SECONDS) as answer:
                return json.loads(answer.read())["id"]
        except (OSError, ValueError, KeyError) as exc:
            raise SmsError(f"{type(exc).__name__}: {exc}") from None


class FakeGateway:
    """The SMS provider: keeps what it receives; hangs until `hang_until` when told."""

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        self.hang_until = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length))
                wait = gateway.hang_until - time.monotonic()
                if wait > 0:
                    time.sleep(wait)  # the provider answers late: the caller gave up
                with gateway.lock:
                    gateway.received.append({**payload, "at": time.monotonic()})
                    number = len(gateway.received)
                body = json.dumps({"id": f"fake-{number}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, phone):
        with self.lock:
            return [m for m in self.received if m["phone"] == phone]

    def code_for(self, phone, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            codes = [m["params"].get("code") for m in self.to(phone) if m["params"].get("code")]
            if codes:
                return codes[-1]
            time.sleep(0.1)
        raise SystemExit(f"no code reached the gateway for {phone} in {timeout} s")


# ------------------------------------------------------------------ HTTP

class Client:
    """One browser: its cookies (sent over plain HTTP to the server, which believes it
    is behind TLS: X-Forwarded-Proto) and its forwarded address."""

    def __init__(self, base, ip="203.0.113.1", cookies=None):
        self.base = base
        self.ip = ip
        self.cookies = dict(cookies or {})

    def request(self, method, path, *, data=None, files=None, timeout=60):
        import requests

        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https",
                   "X-Forwarded-For": self.ip, "Referer": "https://127.0.0.1/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        started = time.monotonic()
        response = requests.request(method, self.base + path, data=data, files=files,
                                    headers=headers, allow_redirects=False, timeout=timeout)
        response.elapsed_s = time.monotonic() - started
        self.cookies.update(response.cookies.get_dict())
        return response

    def csrf(self, path="/"):
        """GET a page; returns its form's CSRF token (the cookie is kept)."""
        html = self.request("GET", path).text
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return found.group(1) if found else ""


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def timing(values):
    return (f"p50 {statistics.median(values) * 1000:.0f} ms, p95 {pct(values, 0.95) * 1000:.0f} ms, "
            f"max {max(values) * 1000:.0f} ms") if values else "-"


def statuses(responses):
    counts = {}
    for r in responses:
        key = r if isinstance(r, (str, int)) else r.status_code
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str))


def parallel(fn, items, workers):
    def safe(item):
        try:
            return fn(item)
        except Exception as exc:  # a refused connection, a timeout: counted, not fatal
            return f"error {type(exc).__name__}"
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(safe, items))


def png(size_bytes, seed):
    """A valid PNG of noise, about `size_bytes` long."""
    import io

    from PIL import Image

    side = int((size_bytes / 3) ** 0.5)
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


# ------------------------------------------------------------------ scenarios

def codes_for_one_phone(base, fake, n=500, workers=50):
    from labour.notifications.models import SmsMessage

    phone = "13912340001"
    client = Client(base)
    client.csrf("/certification/enterprise/")
    cookies = client.cookies

    def ask(i):
        return Client(base, ip=f"10.1.{i // 250}.{i % 250 + 1}", cookies=cookies).request(
            "POST", "/sms/code/", data={"phone": phone, "purpose": "enterprise_cert"})
    started = time.monotonic()
    answers = parallel(ask, range(n), workers)
    elapsed = time.monotonic() - started
    time.sleep(3)
    ok = [r for r in answers if not isinstance(r, str)]
    print(f"1. {n} concurrent code requests for one phone ({workers} at a time, {n} addresses): "
          f"{elapsed:.1f} s; answers {statuses(answers)}; {timing([r.elapsed_s for r in ok])}")
    print(f"   SMS stored for the phone: {SmsMessage.objects.filter(phone=phone).count()}, "
          f"reached the gateway: {len(fake.to(phone))}")


def login_guessing(base, usernames, owner_ip="198.51.100.7"):
    from django.conf import settings

    target = usernames[0]

    def guess(i):
        client = Client(base, ip=f"10.2.{i // 250}.{i % 250 + 1}")
        token = client.csrf("/?part=enterprise")
        return client.request("POST", "/", data={
            "csrfmiddlewaretoken": token, "kind": "enterprise", "enterprise-username": target,
            "enterprise-password": f"Wrong{i:04d}x"})
    n = 200
    started = time.monotonic()
    answers = parallel(guess, range(n), 16)
    in_ = sum(1 for r in answers if not isinstance(r, str) and r.status_code == 302)
    print(f"2. {n} wrong passwords for one enterprise account from {n} addresses: "
          f"{time.monotonic() - started:.1f} s; answers {statuses(answers)}; logged in: {in_}")
    owner = Client(base, ip=owner_ip)
    token = owner.csrf("/?part=enterprise")
    answer = owner.request("POST", "/", data={
        "csrfmiddlewaretoken": token, "kind": "enterprise", "enterprise-username": target,
        "enterprise-password": PASSWORD})
    print(f"   then its owner from its own address: {answer.status_code} "
          f"({'logged in' if answer.status_code == 302 else 'refused'})")

    spray = Client(base, ip="10.3.0.1")
    refused = []
    for i, username in enumerate(usernames[1:41]):
        token = spray.csrf("/?part=enterprise")
        r = spray.request("POST", "/", data={
            "csrfmiddlewaretoken": token, "kind": "enterprise", "enterprise-username": username,
            "enterprise-password": f"Spray{i:04d}x"})
        refused.append("登录尝试过于频繁" in r.text or "稍后再试" in r.text)
    first = refused.index(True) + 1 if True in refused else None
    print(f"   one address trying {len(refused)} accounts: throttled from try {first} "
          f"(LOGIN_IP_HOURLY_FAILURES={settings.LOGIN_IP_HOURLY_FAILURES}); "
          f"{sum(refused)} refused")

    def timed(username, i):
        client = Client(base, ip=f"10.4.{i // 250}.{i % 250 + 1}")
        token = client.csrf("/?part=enterprise")
        return client.request("POST", "/", data={
            "csrfmiddlewaretoken": token, "kind": "enterprise", "enterprise-username": username,
            "enterprise-password": "Nope12345x"}).elapsed_s
    known = [timed(usernames[50 + i], i) for i in range(15)]
    unknown = [timed(f"91410100MA{i:08d}", 100 + i) for i in range(15)]
    print(f"   answer time, known account: {timing(known)}; unknown: {timing(unknown)}")


def parallel_decisions(base, server, number, n=50):
    from labour.audit.models import Action, AuditEvent
    from labour.certification.models import EnterpriseApplication
    from labour.enterprises.models import Enterprise

    cookie = server.login("authority", "abuse_authority")
    cookies = dict(part.split("=", 1) for part in cookie.split("; "))
    client = Client(base, ip="198.51.100.20", cookies=cookies)
    path = f"/certification/review/{number}/"
    token = client.csrf(path)

    def decide(i):
        data = {"csrfmiddlewaretoken": token, "decision": "approve" if i % 2 else "return",
                "reason": "证书照片不清晰"}
        return Client(base, ip="198.51.100.20", cookies=client.cookies).request(
            "POST", path, data=data)
    answers = parallel(decide, range(n), n)
    application = EnterpriseApplication.objects.get(number=number)
    decisions = AuditEvent.objects.filter(
        object_id=str(application.pk),
        action__in=[Action.APPLICATION_APPROVED, Action.APPLICATION_RETURNED]).count()
    print(f"3. {n} parallel 通过/退回 POSTs on one application: answers {statuses(answers)}; "
          f"decisions recorded: {decisions}; status: {application.get_status_display()}; "
          f"enterprises created: {Enterprise.objects.filter(credit_code=application.credit_code).count()}")


def application_form(token, *, phone, code, credit_code, name, files):
    data = {"csrfmiddlewaretoken": token, "name": name, "unit_type": "construction",
            "credit_code": credit_code, "certificate_valid_until": "2035-12-31",
            "registered_on": "2015-06-01", "region_code": "410102", "admin_name": "张三",
            "admin_phone": phone, "code": code}
    return data, {field: (f"{field}.png", content, "image/png") for field, content in files.items()}


def upload_flood(base, private_root):
    from labour.attachments.models import Attachment
    from labour.testing import make_uscc

    def stored():
        return sum(p.stat().st_size for p in Path(private_root).rglob("*") if p.is_file())

    image = png(1_000_000, 1)
    files = dict.fromkeys(("certificate", "authorisation_letter", "id_card_front",
                           "id_card_back"), image)
    before, drafts_before = stored(), Attachment.objects.exclude(draft_key="").count()

    def post(i, ip):
        client = Client(base, ip=ip)
        token = client.csrf("/certification/enterprise/")
        data, upload = application_form(token, phone=f"1370000{i:04d}", code="123456",
                                        credit_code=make_uscc("410102", 50_000 + i),
                                        name=f"郑州洪水建设有限公司{i}", files=files)
        return client.request("POST", "/certification/enterprise/", data=data, files=upload)
    started = time.monotonic()
    one = [post(i, "10.5.0.1") for i in range(25)]
    one_s = time.monotonic() - started
    after_one, drafts_one = stored(), Attachment.objects.exclude(draft_key="").count()
    started = time.monotonic()
    many = parallel(lambda i: post(100 + i, f"10.6.0.{i + 1}"), range(20), 4)
    many_s = time.monotonic() - started
    after_many, drafts_many = stored(), Attachment.objects.exclude(draft_key="").count()
    print(f"4. upload flood, {len(image) / 1e6:.1f} MB x 4 files per form:")
    print(f"   25 forms from one address in {one_s:.1f} s: answers {statuses(one)}; kept "
          f"{drafts_one - drafts_before} files, {(after_one - before) / 1e6:.0f} MB")
    print(f"   20 forms from 20 addresses in {many_s:.1f} s: answers {statuses(many)}; kept "
          f"{drafts_many - drafts_one} files, {(after_many - after_one) / 1e6:.0f} MB")


def database_cut(base, fake, database, n=12):
    import psycopg
    from django.conf import settings

    from labour.attachments.models import Attachment
    from labour.attachments.sweep import sweep_orphan_files
    from labour.certification.models import EnterpriseApplication
    from labour.testing import make_uscc

    db = settings.DATABASES["default"]
    killer = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                             user=db["USER"], dbname="postgres", autocommit=True)
    image = png(300_000, 2)
    files = dict.fromkeys(("certificate", "authorisation_letter", "id_card_front",
                           "id_card_back"), image)
    rng = random.Random(7)
    first, retried, killed = [], [], 0
    codes = []
    for i in range(n):
        phone = f"1360000{i:04d}"
        client = Client(base, ip=f"10.7.0.{i + 1}")
        client.csrf("/certification/enterprise/")
        asked = client.request("POST", "/sms/code/", data={"phone": phone,
                                                          "purpose": "enterprise_cert"})
        if asked.status_code != 200:
            raise SystemExit(f"code request refused: {asked.status_code} {asked.text[:200]}")
        codes.append((client, phone, make_uscc("410102", 60_000 + i)))
    for i, (client, phone, credit_code) in enumerate(codes):
        code = fake.code_for(phone)
        token = client.csrf("/certification/enterprise/")
        data, upload = application_form(token, phone=phone, code=code, credit_code=credit_code,
                                        name=f"郑州断电建设有限公司{i}", files=files)
        delay = rng.uniform(0.02, 0.4)

        def cut(delay=delay):
            nonlocal killed
            time.sleep(delay)
            with killer.cursor() as cursor:
                cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE datname = %s AND pid <> pg_backend_pid()", [database])
                killed += cursor.fetchone()[0]
        cutter = threading.Thread(target=cut)
        cutter.start()
        try:
            answer = client.request("POST", "/certification/enterprise/", data=data, files=upload)
            first.append(answer.status_code)
        except Exception as exc:
            first.append(f"error {type(exc).__name__}")
        cutter.join()
        # the applicant sends the same form again (a worker may answer 500 once more
        # for its own dead connection: up to three tries)
        for _ in range(3):
            token = client.csrf("/certification/enterprise/")
            data["csrfmiddlewaretoken"] = token
            try:
                again = client.request("POST", "/certification/enterprise/", data=data,
                                       files=upload)
            except Exception:
                continue
            if again.status_code < 500:
                retried.append(again.status_code if again.status_code != 200 else
                               ("200 (already pending)" if "待审核" in again.text
                                or "已提交" in again.text else "200 (form again)"))
                break
        else:
            retried.append("gave up")
    killer.close()
    from django.db import connection
    connection.close()
    credit_codes = [c for _, _, c in codes]
    rows = EnterpriseApplication.objects.filter(credit_code__in=credit_codes)
    per_code = {c: rows.filter(credit_code=c).count() for c in credit_codes}
    partial = [a.number for a in rows if not all(
        getattr(a, f"{f}_id") and getattr(a, f).file.storage.exists(getattr(a, f).file.name)
        for f in ("certificate", "authorisation_letter", "id_card_front", "id_card_back"))]
    orphans = sweep_orphan_files(older_than_hours=0, dry_run=True)
    print(f"5. database cut mid-submission, {n} applications, backends terminated "
          f"{killed} times at 20-400 ms:")
    print(f"   first sends: {statuses(first)}; sent again: {statuses(retried)}")
    print(f"   applications per credit code: {sorted(set(per_code.values()))} "
          f"(0 = none stored, 1 = one; never 2); incomplete: {len(partial)}; "
          f"attachments stored: {Attachment.objects.count()}")
    print(f"   files no row names (the orphan-file sweep's, after its grace period): "
          f"{orphans.removed} ({orphans.removed_bytes / 1e6:.1f} MB)")
    # no application for a code: did the retry say why?
    missing = [c for c, k in per_code.items() if k == 0]
    if missing:
        print(f"   credit codes with no application after the retry: {len(missing)}")


def gateway_hangs(base, fake, hang=30.0, n=10):
    from labour.notifications.models import SmsMessage

    phones = [f"1350000{i:04d}" for i in range(n)]
    fake.hang_until = time.monotonic() + hang
    started = time.monotonic()
    asked = []
    for i, phone in enumerate(phones):
        client = Client(base, ip=f"10.8.0.{i + 1}")
        client.csrf("/certification/enterprise/")
        asked.append(client.request("POST", "/sms/code/", data={
            "phone": phone, "purpose": "enterprise_cert"}))
    pages = []
    while time.monotonic() - started < hang - 2:
        for path in ("/", "/certification/enterprise/", "/help/"):
            pages.append(Client(base, ip="10.8.1.1").request("GET", path))
        time.sleep(0.5)
    deadline = started + hang + 150
    delivered_at = None
    while time.monotonic() < deadline:
        if SmsMessage.objects.filter(phone__in=phones, status="sent").count() == n:
            delivered_at = time.monotonic() - started
            break
        time.sleep(0.5)
    attempts = list(SmsMessage.objects.filter(phone__in=phones).values_list("attempts", flat=True))
    states = list(SmsMessage.objects.filter(phone__in=phones).values_list("status", flat=True))
    print(f"6. the SMS gateway hangs {hang:.0f} s: {n} code requests meanwhile answered "
          f"{statuses(asked)}, {timing([r.elapsed_s for r in asked])}")
    print(f"   pages meanwhile ({len(pages)} GETs): {statuses(pages)}, "
          f"{timing([r.elapsed_s for r in pages])}")
    print(f"   delivered: {states.count('sent')}/{n}"
          + (f", all {delivered_at:.0f} s after the hang began" if delivered_at else "")
          + f"; attempts per message {sorted(attempts)}")


# ------------------------------------------------------------------ main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--only", default="", help="scenario numbers, e.g. 1,3 (default: all)")
    parser.add_argument("--hang", type=float, default=30.0, help="seconds the gateway hangs")
    parser.add_argument("--database", default="", help="the throwaway database (default: "
                        "DATABASE_URL's name + _bench); created and dropped")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
            "REDIS_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL")
    only = {int(n) for n in args.only.split(",") if n} or set(range(1, 7))

    fake = FakeGateway()
    private = tempfile.mkdtemp(prefix="abuse-private-")
    import base64
    shared = {
        "PRIVATE_MEDIA_ROOT": private, "SMS_BACKEND": "scripts.abuse.LocalHttpGateway",
        "ABUSE_GATEWAY_URL": fake.url, "SMS_GATEWAY_TIMEOUT_SECONDS": "2",
        # rate-limit counters of this run only (a previous run's stay in Redis for an hour)
        "CACHE_KEY_PREFIX": f"abuse-{secrets.token_hex(4)}",
        "SMS_RETRY_BASE_SECONDS": "3", "SMS_MAX_ATTEMPTS": "10", "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING", "CELERY_BROKER_URL": "", "CELERY_TASK_ALWAYS_EAGER": "1",
        "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS")
        or base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "LOOKUP_HMAC_KEY": os.environ.get("LOOKUP_HMAC_KEY") or secrets.token_hex(32),
    }
    os.environ.update(shared)
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    from scripts.bench_http import Server, free_port

    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})["NAME"] = args.database or f"{db['NAME']}_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = connection.settings_dict["NAME"]
    server = None
    stop_beat = threading.Event()
    try:
        from labour.accounts.services import save_authority_user
        from labour.factories import (
            EnterpriseAccountFactory,
            EnterpriseApplicationFactory,
            EnterpriseFactory,
        )

        save_authority_user(actor=None, username="abuse_authority", region_code="410100",
                            name="郑州市城乡建设局", password=PASSWORD)
        from django.contrib.auth.hashers import make_password
        from django.test.utils import override_settings

        from labour.accounts.models import User

        # the factories hash with MD5 (fast), then every account gets one hash of PASSWORD
        # made by the server's default hasher (Argon2), as every real account's is: an
        # unknown account's answer costs one check with that hasher, so the comparison of
        # answer times (scenario 2) holds only if the known accounts use it too.
        # (override_settings, not an assignment: Django keeps its hashers until told.)
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            usernames = [EnterpriseAccountFactory(enterprise=EnterpriseFactory(
                name=f"郑州账号测试建设有限公司{i:02d}", region_code="410102")).username
                for i in range(80)]
        User.objects.filter(username__in=usernames).update(password=make_password(PASSWORD))
        assert User.objects.get(username=usernames[0]).password.startswith("argon2")
        pending = EnterpriseApplicationFactory(region_code="410102")
        connection.close()

        port = free_port()
        user_part = f"{db['USER']}@" if db.get("USER") else ""
        env = {**os.environ, **shared,
               "ENV_FILE": os.devnull, "DJANGO_PRODUCTION": "1", "DJANGO_DEBUG": "0",
               "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
               "DATABASE_URL": f"postgres://{user_part}{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{database}",
               "DATABASE_CONN_MAX_AGE": "60", "STATIC_ROOT": tempfile.mkdtemp(prefix="abuse-static-"),
               "PORT": str(port), "WEB_CONCURRENCY": str(args.workers)}
        env.pop("LABOUR_BENCH_TOKEN", None)
        server = Server(port, env)
        server.wait()
        base = f"http://127.0.0.1:{port}"

        def beat():  # Celery beat's place: dispatch_due_sms every 2 s
            from django.db import close_old_connections

            from labour.notifications.tasks import dispatch_due_sms
            while not stop_beat.wait(2):
                try:
                    dispatch_due_sms()
                except Exception:  # the database cut: next time
                    pass
                finally:
                    close_old_connections()
                    connection.close()
        threading.Thread(target=beat, daemon=True).start()

        print(f"production server (gunicorn, {args.workers} workers) on PostgreSQL + Redis, "
              f"port {port}\n")
        if 1 in only:
            codes_for_one_phone(base, fake)
        if 2 in only:
            login_guessing(base, usernames)
        if 3 in only:
            parallel_decisions(base, server, pending.number)
        if 4 in only:
            upload_flood(base, private)
        if 5 in only:
            database_cut(base, fake, database)
        if 6 in only:
            gateway_hangs(base, fake, hang=args.hang)
        errors = [line for line in server.lines if '"level": "ERROR"' in line]
        print(f"\nserver log: {len(server.lines)} lines, {len(errors)} errors")
    finally:
        stop_beat.set()
        if server:
            server.stop()
        fake.server.shutdown()
        import shutil
        shutil.rmtree(private, ignore_errors=True)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
