"""Demo data: the small demo project of `make run` (through the services), and the
generated city of `generate_demo_data` (bulk inserts) for the benchmarks.

Neither is used by the platform itself; both make rows that are valid by its
rules (real check digits, encrypted numbers, dates in order)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from stdnum.cn import uscc

from labour.accounts.services import save_authority_user
from labour.attachments.models import Attachment
from labour.attachments.services import store_checked
from labour.attachments.validation import Checked
from labour.certification.choices import ProjectAccountStatus
from labour.certification.models import EnterpriseApplication, ProjectAccountApplication
from labour.core import listcache
from labour.core.roles import AccountKind
from labour.core.validators import organisation_check_digit
from labour.enterprises.models import Enterprise
from labour.projects import information
from labour.projects.choices import InfoStatus, ParticipantRole
from labour.projects.models import Participant, Project, ProjectInformation
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.reviews.choices import ReviewStatus

from . import crypto, services
from .choices import EventKind, RosterStatus
from .codes import WORK_TYPES
from .models import Person, ProjectWorker, Team, WageCard, WorkerContract, WorkerEvent
from .rules import make_resident_id
from .selectors import CARD_PURPOSE, PHONE_PURPOSE, id_number_hash

if TYPE_CHECKING:
    from labour.accounts.models import User

AUTHORITY_USERNAME = "zzjsj"
AUTHORITY_REGION = "410100"
AUTHORITY_NAME = "郑州市城乡建设局"
DEMO_PROJECT = "郑州市中原区建设路保障性住房（演示）项目"
GC_NAME, LAB_NAME = "郑州建工集团有限公司（演示）", "河南豫安劳务有限公司（演示）"
GC_PROJECT_ACCOUNT, LAB_PROJECT_ACCOUNT = "XM900001", "XM900002"
ROLES = ("主管部门", "总包企业", "总包项目账号", "劳务分包企业", "劳务分包项目账号")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志文斌海波鹏飞林峰辉宇浩凯亮"


def make_uscc(region: str, seq: int) -> str:
    """A valid 18-character unified social credit code (demo enterprises)."""
    body = f"{seq:08d}"
    first17 = f"91{region}{body}{organisation_check_digit(body)}"
    return first17 + uscc.calc_check_digit(first17)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _image(text: str, color: tuple[int, int, int], size: tuple[int, int] = (360, 480)) -> bytes:
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).text((20, 20), text, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def demo_attachment(*, actor: User | None, kind: str, text: str = "demo",
                    color: tuple[int, int, int] = (40, 90, 160)) -> Attachment:
    data = _image(text, color)
    return store_checked(actor=actor, checked=Checked(name=f"{kind}.jpg", content_type="image/jpeg",
                                                      data=data, sha256=hashlib.sha256(data).hexdigest()),
                         kind=kind)


def _enterprise(name: str, credit_code: str, region: str, phone: str, paper: Attachment) -> Enterprise:
    now = timezone.now()
    application = EnterpriseApplication.objects.create(
        number=f"QYDEMO{credit_code[-8:]}", name=name, unit_type="construction", credit_code=credit_code,
        certificate=paper, certificate_valid_until=None, registered_on=dt.date(2010, 5, 1),
        region_code=region, authorisation_letter=paper, admin_name="演示管理员", admin_phone=phone,
        id_card_front=paper, id_card_back=paper, status=ReviewStatus.APPROVED, submitted_at=now,
        reviewed_at=now)
    return Enterprise.objects.create(
        name=name, unit_type="construction", credit_code=credit_code, certificate=paper,
        registered_on=dt.date(2010, 5, 1), region_code=region, authorisation_letter=paper,
        admin_name="演示管理员", admin_phone=phone, id_card_front=paper, id_card_back=paper,
        certified_at=now, application=application)


def _account(*, kind: str, username: str, display_name: str, enterprise: Enterprise,
             project: Project | None, password: str) -> User:
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username, password=password, kind=kind, display_name=display_name,
        enterprise=enterprise, project=project, must_change_password=False)
    return user


def _project_account(*, username: str, enterprise: Enterprise, project: Project, password: str,
                     paper: Attachment) -> User:
    user = _account(kind=AccountKind.PROJECT, username=username, enterprise=enterprise, project=project,
                    display_name=f"{enterprise.name}（{project.name}）", password=password)
    now = timezone.now()
    ProjectAccountApplication.objects.create(
        number=f"XZDEMO{username[-6:]}", status=ProjectAccountStatus.APPROVED, project=project,
        enterprise=enterprise, authorisation_letter=paper, admin_name="演示管理员",
        admin_phone=enterprise.admin_phone, id_card_front=paper, id_card_back=paper,
        submitted_at=now, reviewed_at=now, account=user)
    return user


def demo_accounts() -> list[tuple[str, str]]:
    """(角色, 账号) of the demo accounts that exist."""
    users = get_user_model().objects
    project = Project.objects.filter(name=DEMO_PROJECT).first()
    if project is None:
        exists = users.filter(username=AUTHORITY_USERNAME).exists()
        return [("主管部门", AUTHORITY_USERNAME)] if exists else []
    gc = Enterprise.objects.get(name=GC_NAME)
    lab = Enterprise.objects.get(name=LAB_NAME)
    return [("主管部门", AUTHORITY_USERNAME), ("总包企业", gc.credit_code),
            ("总包项目账号", GC_PROJECT_ACCOUNT), ("劳务分包企业", lab.credit_code),
            ("劳务分包项目账号", LAB_PROJECT_ACCOUNT)]


# what the apps above the roster add to the demo project (payroll: its paid months),
# registered from their AppConfig.ready(); each step is idempotent itself
DemoStep = Callable[[Callable[[str], None]], None]
_DEMO_STEPS: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if step not in _DEMO_STEPS:
        _DEMO_STEPS.append(step)


def prepare(*, password: str, workers: int = 36, say: Callable[[str], None] = print) -> None:
    """The demo of `make run` (idempotent): the authority; a project whose information
    is approved, with a general contractor and a labour subcontractor, each with an
    enterprise account and a project account (no forced password change); two teams
    of the subcontractor and a few dozen workers with contracts, cards and events,
    在场 since several months ago; then the registered steps (payroll)."""
    authority, _ = save_authority_user(actor=None, username=AUTHORITY_USERNAME,
                                       region_code=AUTHORITY_REGION, name=AUTHORITY_NAME,
                                       password=password)
    if Project.objects.filter(name=DEMO_PROJECT).exists():
        say("演示项目已存在，未重复创建。")
    else:
        _prepare_project(authority, password=password, workers=workers, say=say)
    for step in _DEMO_STEPS:
        step(say)


def _prepare_project(authority: User, *, password: str, workers: int,
                     say: Callable[[str], None]) -> None:
    with transaction.atomic():
        paper = demo_attachment(actor=None, kind="demo_document", text="DEMO")
        gc = _enterprise(GC_NAME, make_uscc("410102", 90000001), "410102", "13700009001", paper)
        lab = _enterprise(LAB_NAME, make_uscc("410105", 90000002), "410105", "13700009002", paper)
        gc_user = _account(kind=AccountKind.ENTERPRISE, username=gc.credit_code, display_name=gc.name,
                           enterprise=gc, project=None, password=password)
        lab_user = _account(kind=AccountKind.ENTERPRISE, username=lab.credit_code, display_name=lab.name,
                            enterprise=lab, project=None, password=password)
        today = timezone.localdate()
        project = create_project(actor=authority, data=ProjectData(
            name=DEMO_PROJECT, region_code="410102", address="郑州市中原区建设路88号", category="building",
            nature="new", total_investment=Decimal("52000"), floor_area=Decimal("128000"),
            planned_start=today - dt.timedelta(days=300), planned_end=today + dt.timedelta(days=700)),
            first_participants={
                ParticipantRole.GENERAL_CONTRACTOR: UnitRef(gc.name, gc.credit_code),
                ParticipantRole.OWNER: UnitRef("郑州城建投资有限公司（演示）",
                                               make_uscc("410102", 90000003)),
                ParticipantRole.SUPERVISOR: UnitRef("河南工程监理有限公司（演示）",
                                                    make_uscc("410105", 90000004)),
            })
        gc_project_user = _project_account(username=GC_PROJECT_ACCOUNT, enterprise=gc, project=project,
                                           password=password, paper=paper)
        information.save_information(actor=gc_project_user, code=project.code, data={
            "manager_name": "李经理", "manager_phone": "13911110000", "labour_manager_name": "王专管",
            "labour_manager_phone": "13922220000", "contract_amount": Decimal("48000"),
            "actual_start": today - dt.timedelta(days=280), "wage_bank": "中国建设银行郑州中原路支行",
            "wage_account_no": "41050100000000009", "wage_account_name": f"{gc.name}农民工工资专用账户",
            "guarantee_amount": Decimal("300"), "guarantee_form": "bank_guarantee",
            "guarantee_date": today - dt.timedelta(days=290)},
            notice_board_photo=demo_attachment(actor=gc_project_user, kind="notice_board", text="BOARD"))
        information.submit_information(actor=gc_project_user, code=project.code)
        information.approve_information(actor=authority, code=project.code)
        information.add_participant(actor=gc_project_user, code=project.code,
                                    role=ParticipantRole.LABOUR_SUBCONTRACTOR, unit_name=lab.name,
                                    credit_code=lab.credit_code, subcontract_content="主体结构劳务")
        lab_project_user = _project_account(username=LAB_PROJECT_ACCOUNT, enterprise=lab, project=project,
                                            password=password, paper=paper)
        _demo_roster(project, lab_project_user, workers=workers, today=today)
    del gc_user, lab_user
    say(f"演示项目：{project.name}（{project.code}），劳务分包单位 {workers} 名人员。")


def _demo_roster(project: Project, actor: User, *, workers: int, today: dt.date) -> None:
    rng = random.Random(8)  # noqa: S311 - demo names
    code = project.code
    teams = [services.save_team(actor=actor, code=code, data={
        "name": name, "responsible_name": "赵责任", "responsible_phone": "13600006000",
        "entry_date": today - dt.timedelta(days=250)}) for name in ("钢筋一班", "木工二班")]
    banks = ["中国建设银行", "郑州银行", "中原银行", "中国农业银行", "中国工商银行"]
    for i in range(workers):
        team = teams[i % 2]
        born = dt.date(1968 + (i * 7) % 35, 1 + i % 12, 1 + (i * 5) % 28)
        number = make_resident_id(["410102", "410105", "411323", "410922"][i % 4], born, 11 + 2 * i)
        photo = demo_attachment(actor=actor, kind="photo", text=f"{i}", color=(60 + i, 120, 90))
        worker = services.add_worker(
            actor=actor, code=code,
            identity={"name": person_name(rng), "id_type": "01", "id_number": number},
            person={"nation": "汉" if i % 9 else "回", "grant_org": "郑州市公安局",
                    "id_valid_from": dt.date(2018, 3, 1), "id_valid_until": dt.date(2038, 3, 1),
                    "address": "河南省郑州市中原区某村", "phone": f"1357000{i:04d}",
                    "politics_type": "13", "culture_level": "02",
                    "urgent_contact_name": "家属", "urgent_contact_phone": f"1367000{i:04d}"},
            project_part={"work_role": "20", "work_type": ["020", "240", "040", "050"][i % 4],
                          "is_team_leader": i < 2, "safety_training_date": today - dt.timedelta(days=230),
                          "has_insurance": True},
            team_id=team.pk, files=services.Files(photo=photo))
        if i % 6 == 5:
            continue  # a few not yet signed: they cannot enter
        services.save_contract(actor=actor, code=code, worker_id=worker.pk, data={
            "agreement_kind": "labour_contract", "period_type": "0",
            "start_date": today - dt.timedelta(days=240), "end_date": today + dt.timedelta(days=400)})
        services.save_wage_card(actor=actor, code=code, worker_id=worker.pk, data={
            "bank": banks[i % len(banks)], "branch_name": f"{banks[i % len(banks)]}郑州分行",
            "card_number": f"62284800{i:08d}{i % 10}"})
        services.record_entry(actor=actor, code=code, worker_id=worker.pk,
                              date=today - dt.timedelta(days=185 - (2 * i) % 90))
        if i % 5 == 4:
            services.record_exit(actor=actor, code=code, worker_id=worker.pk,
                                 date=today - dt.timedelta(days=10))


# ------------------------------------------------------------------ a generated city

REGIONS = ["410102", "410103", "410104", "410105", "410106", "410108", "410122", "410181", "410182",
           "410183", "410184", "410185", "410171", "410172", "410173"]
BIRTH_FROM = dt.date(1966, 1, 1)
BIRTH_DAYS = 40 * 365


def generated_id_number(index: int) -> str:
    """The index-th person's 居民身份证 number: unique for index < 15 × 14600 × 900."""
    region = REGIONS[index % len(REGIONS)]
    rest = index // len(REGIONS)
    born = BIRTH_FROM + dt.timedelta(days=rest % BIRTH_DAYS)
    return make_resident_id(region, born, 100 + (rest // BIRTH_DAYS) % 900)


@dataclass
class CityPlan:
    projects: int
    workers: int
    seed: int = 1
    counts: dict[str, int] = field(default_factory=dict)
    # months of wages before the current one (the payroll step of the generated city)
    payroll_months: int = 12


# what the apps above the roster add to the generated city (payroll: 12 months of
# sheets), registered from their AppConfig.ready(): called with the plan, the ids
# of the projects just made and `say`; each adds its counts to plan.counts
CityStep = Callable[[CityPlan, list[int], Callable[[str], None]], None]
_CITY_STEPS: list[CityStep] = []


def register_city_step(step: CityStep) -> None:
    if step not in _CITY_STEPS:
        _CITY_STEPS.append(step)


def generate_city(plan: CityPlan, *, say: Callable[[str], None] = print, chunk: int = 50) -> dict[str, int]:
    """Enterprises, projects (information approved) with participants, teams, persons
    with valid check digits, project workers, contracts, cards and events, by bulk
    inserts, `chunk` projects per transaction."""
    rng = random.Random(plan.seed)  # noqa: S311 - generated demo data
    user_model = get_user_model()
    creator, _ = user_model.objects.get_or_create(
        username="generator", defaults={"kind": AccountKind.OPERATOR, "display_name": "演示数据生成"})
    paper = demo_attachment(actor=None, kind="demo_document", text="GEN")
    photo = demo_attachment(actor=None, kind="photo", text="GEN", color=(90, 90, 90))
    start = Person.objects.filter(created_by=creator).count()
    start_projects = Project.objects.filter(created_by=creator).count()
    enterprises = _generate_enterprises(max(10, plan.projects // 5), paper, start_projects)
    gcs = enterprises[: len(enterprises) // 3]
    labs = enterprises[len(enterprises) // 3:]
    per_project = plan.workers // plan.projects
    extra = plan.workers - per_project * plan.projects
    counts = {"enterprises": len(enterprises), "projects": 0, "persons": 0, "workers": 0, "teams": 0,
              "contracts": 0, "cards": 0, "events": 0}
    index = start
    today = timezone.localdate()
    made: list[int] = []
    for first in range(0, plan.projects, chunk):
        with transaction.atomic():
            batch = min(chunk, plan.projects - first)
            projects = Project.objects.bulk_create([
                Project(code=f"XM{REGIONS[(start_projects + first + i) % len(REGIONS)]}"
                             f"{9000000 + start_projects + first + i:07d}",
                        name=f"郑州市生成项目{start_projects + first + i + 1}号",
                        region_code=REGIONS[(start_projects + first + i) % len(REGIONS)],
                        address="郑州市某区某路", category="building", nature="new",
                        total_investment=Decimal("10000"), floor_area=Decimal("30000"),
                        planned_start=today - dt.timedelta(days=1000),
                        planned_end=today + dt.timedelta(days=400),
                        info_status=InfoStatus.APPROVED, created_by=creator)
                for i in range(batch)])
            made.extend(p.pk for p in projects)
            ProjectInformation.objects.bulk_create([
                ProjectInformation(project=p, manager_name="项目经理", labour_manager_name="劳资专管员",
                                   notice_board_photo=paper) for p in projects])
            parts: list[Participant] = []
            units: list[tuple[Participant, int]] = []  # (participant, workers)
            for p in projects:
                gc = rng.choice(gcs)
                subs = rng.sample(labs, rng.choice((1, 2)))
                parts.append(Participant(project=p, role=ParticipantRole.GENERAL_CONTRACTOR,
                                         unit_name=gc.name, credit_code=gc.credit_code, added_by=creator))
                parts.append(Participant(project=p, role=ParticipantRole.OWNER, unit_name="某建设单位",
                                         credit_code=make_uscc("410100", 50_000_000 + p.pk % 40_000_000),
                                         added_by=creator))
                parts.append(Participant(project=p, role=ParticipantRole.SUPERVISOR, unit_name="某监理单位",
                                         credit_code=make_uscc("410100", 60_000_000 + p.pk % 30_000_000),
                                         added_by=creator))
                for sub in subs:
                    parts.append(Participant(project=p, role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                             unit_name=sub.name, credit_code=sub.credit_code,
                                             added_by=creator))
            parts = Participant.objects.bulk_create(parts)
            by_project: dict[int, list[Participant]] = {}
            for part in parts:
                if part.role in (ParticipantRole.GENERAL_CONTRACTOR, ParticipantRole.LABOUR_SUBCONTRACTOR):
                    by_project.setdefault(part.project_id, []).append(part)
            for p in projects:
                n = per_project + (1 if extra > 0 else 0)
                extra -= 1
                keepers = by_project[p.pk]
                gc_share = max(1, n // 10)
                units.append((keepers[0], gc_share))
                sub_parts = keepers[1:]
                for k, sub_part in enumerate(sub_parts):
                    share = ((n - gc_share) // len(sub_parts)
                             + (1 if k < (n - gc_share) % len(sub_parts) else 0))
                    units.append((sub_part, share))
            index = _generate_rosters(units, index=index, creator=creator, photo=photo, rng=rng,
                                      today=today, counts=counts)
            counts["projects"] += batch
        if (first // chunk) % 10 == 9 or first + chunk >= plan.projects:
            say(f"  {counts['projects']} 个项目，{counts['workers']} 名人员")
    plan.counts = counts
    for step in _CITY_STEPS:
        step(plan, made, say)
    return counts


def _generate_enterprises(count: int, paper: Attachment, offset: int) -> list[Enterprise]:
    now = timezone.now()
    made = []
    base = 70_000_000 + offset * 10
    applications = EnterpriseApplication.objects.bulk_create([
        EnterpriseApplication(
            number=f"QYGEN{base + i:010d}", name=f"郑州生成{base + i}建筑劳务有限公司",
            unit_type="construction",
            credit_code=make_uscc(REGIONS[i % len(REGIONS)], base + i), certificate=paper,
            registered_on=dt.date(2012, 1, 1), region_code=REGIONS[i % len(REGIONS)],
            authorisation_letter=paper, admin_name="管理员", admin_phone=f"137{(base + i) % 10**8:08d}",
            id_card_front=paper, id_card_back=paper, status=ReviewStatus.APPROVED,
            submitted_at=now, reviewed_at=now) for i in range(count)])
    for application in applications:
        made.append(Enterprise(
            name=application.name, unit_type="construction", credit_code=application.credit_code,
            certificate=paper, registered_on=application.registered_on, region_code=application.region_code,
            authorisation_letter=paper, admin_name="管理员", admin_phone=application.admin_phone,
            id_card_front=paper, id_card_back=paper, certified_at=now, application=application))
    return Enterprise.objects.bulk_create(made)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the table's sequence (PostgreSQL), for rows copied in."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [model._meta.db_table, count])
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    """COPY rows into the model's table (PostgreSQL's bulk load)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    listcache.changed(model._meta.db_table)  # COPY bypasses Django's cursor (and its tracking)


PERSON_COLUMNS = ["id", "name", "id_type", "id_number_token", "id_number_hmac", "gender", "birth_date",
                  "nation", "grant_org", "id_valid_from", "id_valid_until", "address", "phone_token",
                  "phone_hmac", "politics_type", "culture_level", "photo_id", "urgent_contact_name",
                  "urgent_contact_phone_token", "created_by_id", "created_at", "updated_at"]
WORKER_COLUMNS = ["id", "project_id", "participant_id", "person_id", "team_id", "work_role", "work_type",
                  "is_team_leader", "safety_training_date", "has_insurance", "status", "last_event_date",
                  "created_by_id", "created_at"]
CONTRACT_COLUMNS = ["worker_id", "agreement_kind", "period_type", "start_date", "end_date", "unit",
                    "updated_by_id", "updated_at"]
CARD_COLUMNS = ["worker_id", "bank_code", "bank_name", "branch_name", "link_number", "card_number_token",
                "card_number_hmac", "updated_by_id", "updated_at"]
EVENT_COLUMNS = ["worker_id", "kind", "date", "recorded_by_id", "recorded_at"]


def _generate_rosters(units: list[tuple[Participant, int]], *, index: int, creator: User, photo: Attachment,
                      rng: random.Random, today: dt.date, counts: dict[str, int]) -> int:
    """Teams of ≤ 20 for each unit's workers, and everything of each worker. On
    PostgreSQL the big tables are loaded with COPY; elsewhere with bulk_create."""
    teams: list[Team] = []
    plan: list[tuple[Participant, Team, int]] = []
    for part, n in units:
        for t in range(max(1, (n + 19) // 20)):
            team = Team(project_id=part.project_id, participant=part, name=f"{part.pk}-班组{t + 1}",
                        created_by=creator)
            teams.append(team)
            plan.append((part, team, max(0, min(20, n - t * 20))))
    Team.objects.bulk_create(teams)
    total = sum(n for _part, _team, n in plan)
    copying = connection.vendor == "postgresql"
    # ids from the sequences (COPY), or positions that _bulk maps to the rows it made
    person_ids = _reserve_ids(Person, total) if copying else list(range(total))
    worker_ids = _reserve_ids(ProjectWorker, total) if copying else list(range(total))
    now = timezone.now()
    work_types = [c for c in WORK_TYPES.codes() if c != "900"]
    persons, workers, contracts, cards, events = [], [], [], [], []
    k = 0
    for part, team, n in plan:
        for _ in range(n):
            number = generated_id_number(index)
            phone = f"13{index % 10**9:09d}"
            index += 1
            born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            persons.append((person_ids[k], person_name(rng), "01", crypto.encrypt(number),
                            id_number_hash(number), "0" if int(number[16]) % 2 else "1", born, "汉",
                            "郑州市公安局", dt.date(2018, 1, 1), dt.date(2038, 1, 1), "河南省郑州市",
                            crypto.encrypt(phone), crypto.lookup_hash(phone, purpose=PHONE_PURPOSE), "13",
                            "02", photo.pk, "", "", creator.pk, now, now))
            roll = rng.random()
            status = (RosterStatus.ON_SITE if roll < 0.7 else RosterStatus.EXITED if roll < 0.9
                      else RosterStatus.REGISTERED)
            # most workers have been on site for many months (a year of wages to pay)
            entered = today - dt.timedelta(days=rng.randint(20, 900))
            exited = entered + dt.timedelta(days=min(rng.randint(15, 300), (today - entered).days - 5))
            last = {RosterStatus.ON_SITE: entered, RosterStatus.EXITED: exited}.get(status)
            worker_id = worker_ids[k]
            workers.append((worker_id, part.project_id, part.pk, person_ids[k], team.pk, "20",
                            rng.choice(work_types), False, entered - dt.timedelta(days=2), True,
                            str(status), last, creator.pk, now))
            if status != RosterStatus.REGISTERED or rng.random() < 0.5:
                start = entered - dt.timedelta(days=30)
                end = max(start + dt.timedelta(days=730), today + dt.timedelta(days=100))
                contracts.append((worker_id, "labour_contract", "0", start, end,
                                  "", creator.pk, now))
            if status != RosterStatus.REGISTERED or rng.random() < 0.5:  # paid to a card
                card = f"6228{rng.randrange(10**14, 10**15)}"
                cards.append((worker_id, "313", "郑州银行", "郑州银行某支行", "", crypto.encrypt(card),
                              crypto.lookup_hash(card, purpose=CARD_PURPOSE), creator.pk, now))
            if status != RosterStatus.REGISTERED:
                events.append((worker_id, EventKind.ENTRY.value, entered, creator.pk, now))
            if status == RosterStatus.EXITED:
                events.append((worker_id, EventKind.EXIT.value, exited, creator.pk, now))
            k += 1
    if copying:
        copy_rows(Person, PERSON_COLUMNS, persons)
        copy_rows(ProjectWorker, WORKER_COLUMNS, workers)
        copy_rows(WorkerContract, CONTRACT_COLUMNS, contracts)
        copy_rows(WageCard, CARD_COLUMNS, cards)
        copy_rows(WorkerEvent, EVENT_COLUMNS, events)
    else:
        _bulk(persons, workers, contracts, cards, events)
    counts["teams"] += len(teams)
    counts["persons"] += len(persons)
    counts["workers"] += len(workers)
    counts["contracts"] += len(contracts)
    counts["cards"] += len(cards)
    counts["events"] += len(events)
    return index


def _bulk(persons: list[tuple], workers: list[tuple], contracts: list[tuple], cards: list[tuple],
          events: list[tuple]) -> None:
    """The same rows through the ORM (SQLite: tests and small demos); the first item of
    each person and worker row is its position, the first of the others their
    worker's."""
    made = Person.objects.bulk_create(
        [Person(**dict(zip(PERSON_COLUMNS[1:], row[1:], strict=True))) for row in persons], batch_size=500)
    rows = [dict(zip(WORKER_COLUMNS[1:], row[1:], strict=True)) for row in workers]
    for row in rows:
        row["person_id"] = made[row["person_id"]].pk
    made_workers = ProjectWorker.objects.bulk_create([ProjectWorker(**row) for row in rows], batch_size=500)

    def build(model: type, columns: list[str], data: list[tuple]) -> list:
        return [model(**{**dict(zip(columns, row, strict=True)), "worker_id": made_workers[row[0]].pk})
                for row in data]

    WorkerContract.objects.bulk_create(build(WorkerContract, CONTRACT_COLUMNS, contracts), batch_size=500)
    WageCard.objects.bulk_create(build(WageCard, CARD_COLUMNS, cards), batch_size=500)
    WorkerEvent.objects.bulk_create(build(WorkerEvent, EVENT_COLUMNS, events), batch_size=500)
