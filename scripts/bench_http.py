"""HTTP benchmark: the production server (gunicorn, as `make prod` starts it) on
PostgreSQL + Redis, driven by wrk, on a floor view and on the key logged-in pages,
in alternating rounds. Prints req/s per page and its ratio to the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python scripts/bench_http.py --scale 1 --rounds 3 --duration 10

Data (scale 1, the figures of issue 10 §5): 20,000 certified enterprises with their
accounts and approved applications, 2,000 pending applications, 5,000 projects with
general contractor, owner and supervisor, 15,000 project accounts, 436,000 audit
rows. It is written into a throwaway database `<name>_bench` (dropped at the end
unless --keep) with bulk inserts (the models' fields: update `fill()` when they
change). The floor view exists only in the benchmark's own server (a random
LABOUR_BENCH_TOKEN in its URL): the whole middleware stack with a logged-in session
and one query (the user). The list pages keep their rows in the list cache
(labour.core.listcache) while their data is unchanged, so wrk's repeated requests
measure them on a hit; beside them, the review queue rendered afresh on every
request (labour.certification.bench) measures a miss. Each page is first fetched
once to check it answers 200 for its user, and profiled in-process (queries, SQL
time) to show where time goes.

Needs: wrk (Debian package `wrk`), PostgreSQL, Redis. Ports: a free one, or one from
LABOUR_TEST_PORTS (e.g. 8300-8399), or --port.
"""

import argparse
import base64
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "Bench2026x"
ZHENGZHOU = ["410102", "410103", "410104", "410105", "410106", "410108", "410122", "410171",
             "410172", "410173"]
ELSEWHERE = ["410302", "410305", "410702", "410802", "411002"]
# names vary as real ones do: a search for a place (2 characters) finds about 1/20 of
# them, a name's own number one
PLACES = ["中原", "二七", "金水", "管城", "惠济", "上街", "中牟", "巩义", "荥阳", "新密", "新郑",
          "登封", "航空港", "经开", "高新", "郑东", "洛阳", "开封", "新乡", "许昌"]
TRADES = ["建设工程", "建筑劳务", "路桥", "市政工程", "建工集团", "安装工程", "装饰工程"]


def unit_name(i):
    return f"河南{PLACES[i % len(PLACES)]}{TRADES[i // len(PLACES) % len(TRADES)]}有限公司{i:05d}"


def free_port():
    spec = os.environ.get("LABOUR_TEST_PORTS", "")
    if spec:
        low, high = (int(part) for part in spec.split("-"))
        candidates = range(low, high + 1)
    else:
        candidates = [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise SystemExit(f"no free port in {spec}")


# ------------------------------------------------------------------ data

def fill(scale):
    """Bulk-insert the data set; returns the users whose pages are measured."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from labour.accounts.models import User
    from labour.accounts.services import save_authority_user
    from labour.attachments.services import store_upload
    from labour.audit.models import Action, AuditEvent
    from labour.certification.models import EnterpriseApplication, ProjectAccountApplication
    from labour.core.roles import AccountKind
    from labour.enterprises.models import Enterprise
    from labour.projects.models import Participant, Project, ProjectInfoSubmission
    from labour.testing import make_uscc, upload

    n_enterprises = int(20_000 * scale)
    n_pending = int(2_000 * scale)
    n_projects = int(5_000 * scale)
    n_audit = int(436_000 * scale)
    rng = random.Random(2026)
    now = timezone.now()
    password = make_password(PASSWORD)
    authority, _ = save_authority_user(actor=None, username="bench_authority", region_code="410100",
                                       name="郑州市城乡建设局", password=PASSWORD)
    files = {f: store_upload(actor=None, uploaded=upload(f"{f}.png"), kind=f)
             for f in ("certificate", "authorisation_letter", "id_card_front", "id_card_back")}

    def details(i, region):
        return dict(name=unit_name(i), unit_type="construction",
                    credit_code=make_uscc(region, i + 1), certificate_valid_until=None,
                    registered_on=date(2015, 1, 1) + timedelta(days=i % 3000),
                    region_code=region, admin_name="张三", admin_phone=f"139{i:08d}", **files)

    started = time.perf_counter()
    regions = [rng.choice(ZHENGZHOU) if i % 4 else rng.choice(ELSEWHERE)
               for i in range(n_enterprises + n_pending)]
    approved = EnterpriseApplication.objects.bulk_create([
        EnterpriseApplication(number=f"QYB{i:09d}", status="approved",
                              submitted_at=now - timedelta(days=400, minutes=i),
                              reviewed_at=now - timedelta(days=399, minutes=i), reviewer=authority,
                              **details(i, regions[i]))
        for i in range(n_enterprises)], batch_size=2000)
    EnterpriseApplication.objects.bulk_create([
        EnterpriseApplication(number=f"QYP{i:09d}", status="submitted",
                              submitted_at=now - timedelta(minutes=n_pending - k),
                              **details(i, regions[i]))
        for k, i in enumerate(range(n_enterprises, n_enterprises + n_pending))], batch_size=2000)
    enterprises = Enterprise.objects.bulk_create([
        Enterprise(application=a, certified_at=a.reviewed_at,
                   **{f: getattr(a, f) for f in ("name", "unit_type", "credit_code",
                                                 "certificate_valid_until", "registered_on",
                                                 "region_code", "admin_name", "admin_phone")},
                   **files)
        for a in approved], batch_size=2000)
    User.objects.bulk_create([
        User(username=e.credit_code, kind=AccountKind.ENTERPRISE, display_name=e.name,
             enterprise=e, password=password) for e in enterprises], batch_size=2000)
    print(f"  {n_enterprises} enterprises, {n_pending} pending applications "
          f"({time.perf_counter() - started:.0f} s)", flush=True)

    started = time.perf_counter()
    # the measured enterprise account is the general contractor of 40 projects
    mine = enterprises[0]
    projects = Project.objects.bulk_create([
        Project(code=f"XMB{i:09d}", name=f"郑州{PLACES[i % len(PLACES)]}住宅项目{i:05d}",
                region_code=rng.choice(ZHENGZHOU) if i % 5 else rng.choice(ELSEWHERE),
                address=f"郑州市某路{i}号", category="building", nature="new",
                total_investment=Decimal("30000"), floor_area=Decimal("90000"),
                planned_start=date(2026, 1, 1), planned_end=date(2028, 1, 1),
                info_status="approved" if i % 3 == 0 else "submitted" if i % 10 == 1 else "draft",
                created_by=authority)
        for i in range(n_projects)], batch_size=2000)
    # 项目信息审核: a decided submission of every approved project, a pending one of 1 in 10
    ProjectInfoSubmission.objects.bulk_create([
        ProjectInfoSubmission(project=p, snapshot={}, status=p.info_status,
                              submitted_at=now - timedelta(days=60, minutes=i),
                              reviewed_at=now - timedelta(days=59, minutes=i),
                              reviewer=authority)
        for i, p in enumerate(projects) if p.info_status == "approved"]
        + [ProjectInfoSubmission(project=p, snapshot={}, submitted_at=now - timedelta(minutes=i))
           for i, p in enumerate(projects) if p.info_status == "submitted"], batch_size=2000)
    roles = ("general_contractor", "owner", "supervisor")
    participants, pairs = [], []
    for i, project in enumerate(projects):
        units = [enterprises[(i * 3 + k + 1) % len(enterprises)] for k in range(3)]
        if i % max(n_projects // 40, 1) == 0:
            units[0] = mine
        for role, unit in zip(roles, units, strict=True):
            participants.append(Participant(project=project, role=role, unit_name=unit.name,
                                            credit_code=unit.credit_code, added_by=authority))
            pairs.append((project, unit))
    Participant.objects.bulk_create(participants, batch_size=5000)
    accounts = User.objects.bulk_create([
        User(username=f"XM{k:09d}", kind=AccountKind.PROJECT, display_name=unit.name,
             enterprise=unit, project=project, password=password)
        for k, (project, unit) in enumerate(pairs)], batch_size=5000)
    ProjectAccountApplication.objects.bulk_create([
        ProjectAccountApplication(
            number=f"XMSQ{k:09d}", status="approved", project=project, enterprise=unit,
            authorisation_letter=files["authorisation_letter"], admin_name="李四",
            admin_phone=f"137{k:08d}", id_card_front=files["id_card_front"],
            id_card_back=files["id_card_back"], submitted_at=now - timedelta(days=30),
            reviewed_at=now - timedelta(days=29), reviewer=None, account=account)
        for k, ((project, unit), account) in enumerate(zip(pairs, accounts, strict=True))],
        batch_size=5000)
    print(f"  {n_projects} projects, {len(participants)} participants, {len(accounts)} project "
          f"accounts ({time.perf_counter() - started:.0f} s)", flush=True)

    started = time.perf_counter()
    actions = [Action.LOGIN_SUCCESS, Action.FILE_DOWNLOADED, Action.SMS_SENT, Action.CODE_SENT,
               Action.APPLICATION_SUBMITTED]
    batch = 10_000
    for offset in range(0, n_audit, batch):
        AuditEvent.objects.bulk_create([
            AuditEvent(action=actions[i % len(actions)], actor_label="bench", ip="127.0.0.1",
                       object_type="enterprises.Enterprise", object_id=str(i % 20_000),
                       detail={"n": i})
            for i in range(offset, min(offset + batch, n_audit))])
    print(f"  {n_audit} audit rows ({time.perf_counter() - started:.0f} s)", flush=True)
    return {"authority": "bench_authority", "enterprise": mine.credit_code,
            "code": enterprises[len(enterprises) // 2].credit_code,
            "number": f"{len(enterprises) // 2:05d}"}


# ------------------------------------------------------------------ server and HTTP

class Server:
    def __init__(self, port, env):
        self.port = port
        self.lines = []
        self.process = subprocess.Popen([sys.executable, "-m", "config.serve"], cwd=ROOT,
                                        env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def request(self, method, path, body=None, headers=None):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers={
                "Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.msg, response.read().decode(errors="replace")
        finally:
            conn.close()

    def wait(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("server exited:\n" + "\n".join(self.lines[-40:]))
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("server did not start:\n" + "\n".join(self.lines[-40:]))

    def login(self, kind, username):
        status, headers, html = self.request("GET", f"/?part={kind}")
        csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = urlencode({"csrfmiddlewaretoken": token, "kind": kind,
                          f"{kind}-username": username, f"{kind}-password": PASSWORD})
        status, headers, _ = self.request("POST", "/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
            "Referer": "https://127.0.0.1/"})
        if status != 302:
            raise SystemExit(f"login of {username} failed ({status})")
        cookies = dict(re.match(r"([^=]+)=([^;]*)", c).groups()
                       for c in headers.get_all("Set-Cookie"))
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wrk(port, path, cookie, duration, connections):
    result = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "--latency",
         "-H", "Host: 127.0.0.1", "-H", "X-Forwarded-Proto: https", "-H", f"Cookie: {cookie}",
         f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    out = result.stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out and "timeout" in out:
        raise SystemExit(f"wrk saw errors on {path}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = re.search(r"^\s*50%\s+(\S+)", out, re.M)
    return rate, latency.group(1) if latency else "?"


# ------------------------------------------------------------------ profile

def profile(pages, users, repeat=20):
    """In-process, through Django's test client on the same database: queries, SQL time
    and total time per page (median of `repeat`), to show where the time goes."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    for label, (who, path) in pages.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(get_user_model().objects.get(username=users[who]))
        totals, sqls, count = [], [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                totals.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            count = len(queries.captured_queries)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        rows.append((label, count, statistics.median(sqls), statistics.median(totals),
                     float(slowest["time"]) * 1000, slowest["sql"][:160], _split(client, path)))
    return rows


CATEGORIES = [("templates", ("django/template", "django/templatetags")),
              ("ORM", ("django/db",)), ("psycopg+PostgreSQL", ("psycopg",)),
              ("redis", ("redis",)), ("stdnum", ("stdnum",)), ("platform code", ("/labour/",)),
              ("middleware+other Django", ("django/",))]


def _split(client, path, repeat=20):
    """Share of the Python profile's own time by where the code lives."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path, secure=True)
    profiler.disable()
    shares = dict.fromkeys([name for name, _ in CATEGORIES] + ["other"], 0.0)
    for (filename, _, _), (_, _, tottime, _, _) in pstats.Stats(profiler).stats.items():
        name = next((n for n, parts in CATEGORIES if any(p in filename for p in parts)), "other")
        shares[name] += tottime
    total = sum(shares.values()) or 1
    return ", ".join(f"{name} {value / total:.0%}" for name, value in shares.items()
                     if value / total >= 0.03)


# ------------------------------------------------------------------ main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="data size relative to issue 10 §5 (1 = 20,000 enterprises)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--session-store", choices=["cache", "db"], default="cache")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--pages", default="", help="numbers of the pages to measure besides "
                        "the floor (0), e.g. 1,2,3 (default: all)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk)")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
            "REDIS_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL")

    import django
    from django.conf import settings

    private = tempfile.mkdtemp(prefix="bench-private-")
    os.environ["PRIVATE_MEDIA_ROOT"] = private
    token = secrets.token_urlsafe(32)
    os.environ["LABOUR_BENCH_TOKEN"] = token  # the floor view, here (profile) and in the server
    os.environ["LOG_LEVEL"] = "WARNING"  # no access lines from the profile pass
    django.setup()
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    bench_db = connection.settings_dict["NAME"]
    server = None
    try:
        print(f"data (scale {args.scale}) into {bench_db}:", flush=True)
        users = fill(args.scale)
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        port = args.port or free_port()
        user_part = f"{db['USER']}@" if db.get("USER") else ""
        env = {**os.environ,
               "ENV_FILE": os.devnull, "DJANGO_PRODUCTION": "1", "DJANGO_DEBUG": "0",
               "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
               "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS")
               or base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
               "LOOKUP_HMAC_KEY": os.environ.get("LOOKUP_HMAC_KEY") or secrets.token_hex(32),
               "DATABASE_URL": f"postgres://{user_part}{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{bench_db}",
               "DATABASE_CONN_MAX_AGE": "60", "SMS_BACKEND": "aliyun",
               "SESSION_STORE": args.session_store,
               "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
               "PORT": str(port), "WEB_CONCURRENCY": str(args.workers),
               "LABOUR_BENCH_TOKEN": token, "LOG_LEVEL": "WARNING"}
        server = Server(port, env)
        server.wait()
        cookies = {"authority": server.login("authority", users["authority"]),
                   "enterprise": server.login("enterprise", users["enterprise"])}
        pages = {
            "floor (one query, session)": ("authority", f"/__bench__/{token}/floor/"),
            "企业账号认证审核 (review queue)": ("authority", "/certification/review/"),
            "审核队列, rows not cached (a miss)": ("authority",
                                             f"/__bench__/{token}/queue-uncached/"),
            "项目管理": ("authority", "/projects/manage/"),
            "我的项目": ("enterprise", "/projects/my/"),
            "项目信息审核": ("authority", "/projects/review/"),
            "审核队列 全部 搜「荥阳」(2 字)": ("authority", "/certification/review/?tab=all&q="
                                        + quote("荥阳")),
            "审核队列 全部 搜名称编号 (5 位)": ("authority",
                                       f"/certification/review/?tab=all&q={users['number']}"),
            "审核队列 全部 搜完整信用代码": ("authority",
                                    f"/certification/review/?tab=all&q={users['code']}"),
            "项目管理 搜「荥阳」(2 字)": ("authority", "/projects/manage/?q=" + quote("荥阳")),
            "项目管理 搜完整信用代码": ("authority", f"/projects/manage/?q={users['code']}"),
        }
        if args.pages:
            wanted = [int(n) for n in args.pages.split(",")]
            pages = {label: page for n, (label, page) in enumerate(pages.items())
                     if n == 0 or n in wanted}
        for label, (who, path) in pages.items():
            status, _, body = server.request("GET", path, headers={"Cookie": cookies[who]})
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}")
        results = {label: [] for label in pages}
        for round_no in range(1, args.rounds + 1):
            for label, (who, path) in pages.items():
                rate, median = wrk(port, path, cookies[who], args.duration, args.connections)
                results[label].append(rate)
                print(f"round {round_no}  {label:32s} {rate:8.1f} req/s  (median latency "
                      f"{median})", flush=True)
        floor_rate = statistics.median(results[next(iter(pages))])
        print(f"\ngunicorn {args.workers} workers, wrk {args.connections} connections, "
              f"{args.duration} s x {args.rounds} rounds, sessions: {args.session_store}")
        print(f"{'page':34s} {'req/s (median)':>15s} {'of floor':>9s}")
        summary = {}
        for label, rates in results.items():
            rate = statistics.median(rates)
            summary[label] = {"rates": rates, "median": rate, "ratio": rate / floor_rate}
            print(f"{label:34s} {rate:15.1f} {rate / floor_rate:8.0%}")
        print("\nwhere the time goes (in-process, median of 20):")
        print(f"{'page':34s} {'queries':>7s} {'SQL ms':>7s} {'total ms':>9s}  slowest query")
        for label, count, sql, total, slowest_ms, slowest, split in profile(pages, users):
            print(f"{label:34s} {count:7d} {sql:7.1f} {total:9.1f}  {slowest_ms:.1f} ms: {slowest}")
            print(f"{'':34s} Python time: {split}")
        print(json.dumps({"scale": args.scale, "results": summary}, ensure_ascii=False))
    finally:
        if server:
            server.stop()
        shutil.rmtree(private, ignore_errors=True)
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
