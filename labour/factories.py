"""factory_boy factories for every model: rows built directly, valid by the
platform's rules (real check digits, dates in order), without walking the flows.

Use them where a test needs data, not a flow: a roster of 200 workers should not
walk four uploads and an SMS code per enterprise. Tests that mean to walk a flow
use the builders in labour.testing.

    gc = EnterpriseFactory(region_code="410102")
    project = ProjectFactory(units={"general_contractor": gc})   # + owner, supervisor
    account = ProjectAccountFactory(enterprise=gc, project=project)
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from labour.accounts.models import User
from labour.attachments.models import Attachment
from labour.audit.models import Action, AuditEvent
from labour.certification.choices import ProjectAccountStatus
from labour.certification.models import EnterpriseApplication, ProjectAccountApplication
from labour.core.roles import AccountKind
from labour.enterprises.choices import UnitType
from labour.enterprises.models import Enterprise
from labour.notifications.choices import CodePurpose, SmsStatus, SmsTemplate
from labour.notifications.models import SmsMessage, VerificationCode
from labour.projects.choices import FIRST_ROLES, InfoStatus, ParticipantRole
from labour.projects.models import Participant, Project, ProjectInformation, ProjectInfoSubmission
from labour.reviews.choices import ReviewStatus
from labour.testing import make_uscc, png_bytes

PASSWORD = "Test2026"
_PNG = png_bytes((8, 8))


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small real PNG in private storage (claimed: not a draft)."""

    class Meta:
        model = Attachment

    original_name = factory.Sequence(lambda n: f"附件{n}.png")
    content_type = "image/png"
    size = len(_PNG)
    sha256 = hashlib.sha256(_PNG).hexdigest()
    file = factory.LazyFunction(lambda: ContentFile(_PNG, name="factory.png"))


class UserFactory(factory.django.DjangoModelFactory):
    """An account that has changed its password (not forced to), password PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username: Any = factory.Sequence(lambda n: f"user{n:05d}")
    display_name: Any = factory.LazyAttribute(lambda u: u.username)
    kind = AccountKind.OPERATOR
    password = factory.django.Password(PASSWORD)


class AuthorityFactory(UserFactory):
    kind = AccountKind.AUTHORITY
    region_code = "410100"
    display_name = "郑州市城乡建设局"


class EnterpriseApplicationFactory(factory.django.DjangoModelFactory):
    """A pending 企业账号认证 (status=ReviewStatus.APPROVED etc. for decided ones)."""

    class Meta:
        model = EnterpriseApplication

    number = factory.Sequence(lambda n: f"QY20260101{n:05d}")
    name = factory.Sequence(lambda n: f"郑州测试{n}建设有限公司")
    unit_type = UnitType.CONSTRUCTION
    region_code = "410102"
    credit_code = factory.LazyAttributeSequence(lambda o, n: make_uscc(o.region_code, 10_000 + n))
    certificate_valid_until = date(2035, 12, 31)
    registered_on = date(2015, 6, 1)
    admin_name = "张三"
    admin_phone = factory.Sequence(lambda n: f"1380{n:07d}")
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    status = ReviewStatus.SUBMITTED
    return_reason = factory.LazyAttribute(
        lambda o: "材料不清晰" if o.status == ReviewStatus.RETURNED else "")
    certificate = factory.SubFactory(AttachmentFactory)
    authorisation_letter = factory.SubFactory(AttachmentFactory)
    id_card_front = factory.SubFactory(AttachmentFactory)
    id_card_back = factory.SubFactory(AttachmentFactory)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A certified enterprise with its approved application (no account: use
    EnterpriseAccountFactory)."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"郑州{n}建筑工程有限公司")
    unit_type = UnitType.CONSTRUCTION
    region_code = "410102"
    credit_code = factory.LazyAttributeSequence(lambda o, n: make_uscc(o.region_code, 20_000 + n))
    certificate_valid_until = None
    registered_on = date(2012, 3, 1)
    admin_name = "李四"
    admin_phone = factory.Sequence(lambda n: f"1390{n:07d}")
    certified_at = factory.LazyFunction(timezone.now)
    application = factory.SubFactory(
        EnterpriseApplicationFactory, status=ReviewStatus.APPROVED,
        name=factory.SelfAttribute("..name"), credit_code=factory.SelfAttribute("..credit_code"),
        region_code=factory.SelfAttribute("..region_code"),
        certificate=factory.SelfAttribute("..certificate"),
        authorisation_letter=factory.SelfAttribute("..authorisation_letter"),
        id_card_front=factory.SelfAttribute("..id_card_front"),
        id_card_back=factory.SelfAttribute("..id_card_back"))
    certificate = factory.SubFactory(AttachmentFactory)
    authorisation_letter = factory.SubFactory(AttachmentFactory)
    id_card_front = factory.SubFactory(AttachmentFactory)
    id_card_back = factory.SubFactory(AttachmentFactory)


class EnterpriseAccountFactory(UserFactory):
    kind = AccountKind.ENTERPRISE
    enterprise = factory.SubFactory(EnterpriseFactory)
    username = factory.LazyAttribute(lambda u: u.enterprise.credit_code)
    display_name = factory.LazyAttribute(lambda u: u.enterprise.name)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project created by the authority, with its general contractor, owner and
    supervisor (pass enterprises as general_contractor= / owner= / supervisor=)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"XM4101022026{n:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    region_code = "410102"
    address = "郑州市中原区某路1号"
    category = "building"
    nature = "new"
    total_investment = Decimal("10000")
    floor_area = Decimal("20000")
    planned_start = date(2026, 3, 1)
    planned_end = date(2028, 3, 1)
    info_status = InfoStatus.DRAFT
    created_by = factory.SubFactory(AuthorityFactory)

    @factory.post_generation
    def units(obj: Project, create: bool, extracted: Any, **kwargs: Any) -> None:
        """units={"general_contractor": enterprise, "owner": …, "supervisor": …}: the
        first participants; a role left out gets a made-up, uncertified unit."""
        if create:
            chosen = extracted or {}
            for role in FIRST_ROLES:
                ParticipantFactory(project=obj, role=role, enterprise=chosen.get(str(role)))


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A 参建单位 row; `enterprise=` takes its name and credit code."""

    class Meta:
        model = Participant
        exclude = ("enterprise",)

    project = factory.SubFactory(ProjectFactory)
    role = ParticipantRole.LABOUR_SUBCONTRACTOR
    enterprise: Enterprise | None = None
    unit_name = factory.LazyAttributeSequence(
        lambda o, n: o.enterprise.name if o.enterprise else f"未认证单位{n}")
    credit_code = factory.LazyAttributeSequence(
        lambda o, n: o.enterprise.credit_code if o.enterprise else make_uscc("410100", 40_000 + n))
    added_by = factory.LazyAttribute(lambda o: o.project.created_by)


class ProjectAccountApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectAccountApplication

    number = factory.Sequence(lambda n: f"XZ20260101{n:05d}")
    project = factory.SubFactory(ProjectFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    status = ProjectAccountStatus.SUBMITTED
    admin_name = "赵六"
    admin_phone = factory.Sequence(lambda n: f"1360{n:07d}")
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    return_reason = factory.LazyAttribute(
        lambda o: "授权书未盖章" if o.status in (ProjectAccountStatus.RETURNED,
                                            ProjectAccountStatus.ABANDONED) else "")
    authorisation_letter = factory.SubFactory(AttachmentFactory)
    id_card_front = factory.SubFactory(AttachmentFactory)
    id_card_back = factory.SubFactory(AttachmentFactory)


class ProjectAccountFactory(UserFactory):
    """A project account of (enterprise, project) with its approved application."""

    kind = AccountKind.PROJECT
    username = factory.Sequence(lambda n: f"XM{n:06d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    project = factory.SubFactory(ProjectFactory)
    display_name = factory.LazyAttribute(lambda u: f"{u.enterprise.name}（{u.project.name}）")

    @factory.post_generation
    def application(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            ProjectAccountApplicationFactory(project=obj.project, enterprise=obj.enterprise,
                                             status=ProjectAccountStatus.APPROVED, account=obj)


class ProjectInformationFactory(factory.django.DjangoModelFactory):
    """Every item of 项目信息完善 filled in."""

    class Meta:
        model = ProjectInformation

    project = factory.SubFactory(ProjectFactory)
    manager_name = "李经理"
    manager_phone = "13911110000"
    labour_manager_name = "王专管"
    labour_manager_phone = "13922220000"
    contract_amount = Decimal("28000.50")
    actual_start = date(2026, 3, 5)
    wage_bank = "中国建设银行郑州分行"
    wage_account_no = "41050100000000001"
    wage_account_name = factory.LazyAttribute(lambda o: f"{o.project.name}工资专用账户")
    guarantee_amount = Decimal("300")
    guarantee_form = "bank_guarantee"
    guarantee_date = date(2026, 2, 20)
    notice_board_photo = factory.SubFactory(AttachmentFactory)


class ProjectInfoSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectInfoSubmission

    project = factory.SubFactory(ProjectFactory, info_status=InfoStatus.SUBMITTED)
    snapshot = factory.LazyFunction(dict)
    status = ReviewStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    submitted_by = factory.SubFactory(UserFactory)


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = Action.PROJECT_INFO_SAVED
    actor_label = ""


class SmsMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmsMessage

    phone = factory.Sequence(lambda n: f"1370{n:07d}")
    template = SmsTemplate.PROJECT_INFO_APPROVED
    params = factory.LazyFunction(lambda: {"project": "测试项目", "code": "XM0"})
    text = "【郑州市建设劳务服务平台】项目信息已审核通过。"
    status = SmsStatus.QUEUED
    next_attempt_at = factory.LazyFunction(timezone.now)


class VerificationCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationCode

    phone = factory.Sequence(lambda n: f"1350{n:07d}")
    purpose = CodePurpose.PROGRESS
    code_hash = factory.LazyFunction(lambda: "0" * 64)
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=5))


# ------------------------------------------------------------------ workforce (实名制用工)

def _resident_id(n: int) -> str:
    from labour.workforce.rules import make_resident_id

    return make_resident_id("410102", date(1980, 1, 1) + timedelta(days=n % 7000), n % 1000)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with a valid 居民身份证 number (pass id_number= / phone= for chosen
    ones); numbers are stored encrypted with their look-up hashes."""

    class Meta:
        model = "workforce.Person"
        exclude = ("id_number", "phone")

    id_number = factory.Sequence(_resident_id)
    phone = factory.Sequence(lambda n: f"1581{n:07d}")
    name = factory.Sequence(lambda n: f"工人{n}")
    id_type = "01"
    id_number_token = factory.LazyAttribute(lambda o: _encrypt(o.id_number))
    id_number_hmac = factory.LazyAttribute(lambda o: _hash(o.id_number, "id_number"))
    gender = factory.LazyAttribute(lambda o: "0" if int(o.id_number[16]) % 2 else "1")
    birth_date = factory.LazyAttribute(
        lambda o: date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14])))
    nation = "汉"
    grant_org = "郑州市公安局中原分局"
    id_valid_from = date(2020, 1, 1)
    id_valid_until = date(2040, 1, 1)
    address = "河南省郑州市中原区建设路1号"
    phone_token = factory.LazyAttribute(lambda o: _encrypt(o.phone))
    phone_hmac = factory.LazyAttribute(lambda o: _hash(o.phone, "phone"))
    politics_type = "13"
    culture_level = "02"
    photo = factory.SubFactory(AttachmentFactory)
    created_by = factory.SubFactory(UserFactory)


def _encrypt(value: str) -> str:
    from labour.workforce.crypto import encrypt

    return encrypt(value)


def _hash(value: str, purpose: str) -> str:
    from labour.workforce.crypto import lookup_hash

    return lookup_hash(value, purpose=purpose)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team of `participant` (its project by default)."""

    class Meta:
        model = "workforce.Team"

    participant = factory.SubFactory(ParticipantFactory)
    project = factory.LazyAttribute(lambda o: o.participant.project)
    name = factory.Sequence(lambda n: f"班组{n}")
    created_by = factory.LazyAttribute(lambda o: o.project.created_by)


class ProjectWorkerFactory(factory.django.DjangoModelFactory):
    """A person on `participant`'s roster (a team of that participant by default)."""

    class Meta:
        model = "workforce.ProjectWorker"

    participant = factory.SubFactory(ParticipantFactory)
    project = factory.LazyAttribute(lambda o: o.participant.project)
    person = factory.SubFactory(PersonFactory)
    team = factory.LazyAttribute(lambda o: TeamFactory(participant=o.participant))
    work_role = "20"
    work_type = "020"
    safety_training_date = date(2026, 1, 5)
    created_by = factory.LazyAttribute(lambda o: o.project.created_by)


class WorkerContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.WorkerContract"

    worker = factory.SubFactory(ProjectWorkerFactory)
    agreement_kind = "labour_contract"
    period_type = "0"
    start_date = date(2026, 1, 1)
    end_date = date(2027, 12, 31)
    updated_by = factory.LazyAttribute(lambda o: o.worker.created_by)


class WageCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.WageCard"
        exclude = ("card_number",)

    worker = factory.SubFactory(ProjectWorkerFactory)
    card_number = factory.Sequence(lambda n: f"6217{n:012d}")
    bank_code = "105"
    bank_name = "中国建设银行"
    branch_name = "中国建设银行郑州中原路支行"
    card_number_token = factory.LazyAttribute(lambda o: _encrypt(o.card_number))
    card_number_hmac = factory.LazyAttribute(lambda o: _hash(o.card_number, "card_number"))
    updated_by = factory.LazyAttribute(lambda o: o.worker.created_by)


class WorkerEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.WorkerEvent"

    worker = factory.SubFactory(ProjectWorkerFactory)
    kind = "1"
    date = date(2026, 2, 1)
    recorded_by = factory.LazyAttribute(lambda o: o.worker.created_by)


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.ImportJob"

    participant = factory.SubFactory(ParticipantFactory)
    project = factory.LazyAttribute(lambda o: o.participant.project)
    file_name = "人员名单.xlsx"
    status = "queued"
    created_by = factory.LazyAttribute(lambda o: o.project.created_by)


# ------------------------------------------------------------------ payroll

class WageSheetFactory(factory.django.DjangoModelFactory):
    """A draft sheet of a team for a month (no lines: add WageLineFactory rows)."""

    class Meta:
        model = "payroll.WageSheet"

    team = factory.SubFactory(TeamFactory)
    project = factory.LazyAttribute(lambda o: o.team.project)
    participant = factory.LazyAttribute(lambda o: o.team.participant)
    number = factory.Sequence(lambda n: f"GZ202610{n:06d}")
    month = date(2026, 10, 1)
    created_by = factory.LazyAttribute(lambda o: o.project.created_by)


class SheetSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.SheetSubmission"

    sheet = factory.SubFactory(WageSheetFactory, status="submitted")
    project = factory.LazyAttribute(lambda o: o.sheet.project)
    participant = factory.LazyAttribute(lambda o: o.sheet.participant)
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    line_count = 0
    net_total = Decimal("0.00")
    return_reason = factory.LazyAttribute(lambda o: "金额有误" if o.status == "returned" else "")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.Payment"

    sheet = factory.SubFactory(WageSheetFactory, status="paying")
    paid_on = date(2026, 11, 10)
    batch_number = factory.Sequence(lambda n: f"PC{n:08d}")
    receipt = factory.SubFactory(AttachmentFactory)
    payer_bank = "中国建设银行郑州分行"
    payer_account_name = "测试项目工资专用账户"
    payer_account_token = factory.LazyFunction(lambda: _encrypt("41050100000000001"))
    recorded_by = factory.LazyAttribute(lambda o: o.sheet.created_by)


class WageLineFactory(factory.django.DjangoModelFactory):
    """A line of a worker of the sheet's team (amounts: gross_total / deduction_total)."""

    class Meta:
        model = "payroll.WageLine"

    sheet = factory.SubFactory(WageSheetFactory)
    worker = factory.LazyAttribute(lambda o: ProjectWorkerFactory(
        participant=o.sheet.participant, project=o.sheet.project, team=o.sheet.team))
    days = Decimal("22.0")
    gross_total = Decimal("0.00")
    deduction_total = Decimal("0.00")
    net_amount = factory.LazyAttribute(lambda o: o.gross_total - o.deduction_total)
    pay_status = "unpaid"

    class Params:
        is_paid = factory.LazyAttribute(lambda o: o.pay_status == "paid")

    payment = factory.Maybe("is_paid", factory.SubFactory(
        PaymentFactory, sheet=factory.SelfAttribute("..sheet")), None)
    paid_on = factory.Maybe("is_paid", factory.LazyAttribute(lambda o: o.sheet.month), None)
    card_number_token = factory.Maybe("is_paid", factory.LazyFunction(
        lambda: _encrypt("6217000000000001")), "")


class WageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.WageItem"

    line = factory.SubFactory(WageLineFactory)
    kind = "gross"
    name = "计时工资"
    amount = Decimal("6000.00")


# ------------------------------------------------------------------ arrears (欠薪预警)

class UnitMonthFactory(factory.django.DjangoModelFactory):
    """A participant's month of facts (normally computed: labour.arrears.facts)."""

    class Meta:
        model = "arrears.UnitMonth"

    participant = factory.SubFactory(ParticipantFactory)
    project = factory.LazyAttribute(lambda o: o.participant.project)
    month = date(2026, 10, 1)
    on_site = 2
    paid_workers = 1
    unpaid_workers = 1
    line_workers = 2
    due = Decimal("9000.00")
    paid = Decimal("6000.00")


class ProjectMonthFactory(factory.django.DjangoModelFactory):
    """A project's month of facts with its level (normally computed)."""

    class Meta:
        model = "arrears.ProjectMonth"

    project = factory.SubFactory(ProjectFactory)
    region_code = factory.LazyAttribute(lambda o: o.project.region_code)
    month = date(2026, 10, 1)
    on_site = 2
    paid_workers = 1
    unpaid_workers = 1
    line_workers = 2
    due = Decimal("9000.00")
    paid = Decimal("6000.00")
    pay_deadline = date(2026, 11, 13)
    level = "red"
