"""Every write of the roster: the participant's own teams, workers, contracts,
wage cards, 进场/退场 and 「查看完整信息」. Each service finds its object through
the visibility layer (`owned`: only the participant itself may edit; the general
contractor and the authority read), checks the rules, changes the rows in one
transaction and writes one audit event with its changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from labour.attachments.models import Attachment
from labour.attachments.services import claim, store_checked
from labour.attachments.validation import Checked
from labour.audit.models import Action
from labour.audit.services import model_update, record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.transitions import advance

from . import crypto
from .choices import ROSTER_FLOW, EventKind, RosterStatus
from .codes import RESIDENT_ID_CARD
from .models import Person, ProjectWorker, Team, WageCard, WorkerContract, WorkerEvent
from .permissions import own_participant
from .rules import (
    Errors,
    age_flag,
    check_card,
    check_contract,
    check_identity,
    check_person,
    check_project_part,
    check_team,
    today,
)
from .selectors import (
    CARD_PURPOSE,
    PHONE_PURPOSE,
    access_roster_project,
    access_team,
    access_worker,
    id_number_hash,
    last_event,
    person_by_id_number,
)

if TYPE_CHECKING:
    from labour.accounts.models import User
    from labour.projects.models import Participant, Project

TWO_SITES = "该人员在其他项目尚未退场"

# called with (project id, month) for every month whose 在场 workers a 进场, 退场 or
# import may have changed (欠薪预警 keeps its facts per project and month), inside
# the writing transaction: the facts commit or roll back with the event
RosterHook = Callable[[int, dt.date], None]
_ON_ROSTER_CHANGE: list[RosterHook] = []


def register_roster_hook(hook: RosterHook) -> None:
    if hook not in _ON_ROSTER_CHANGE:
        _ON_ROSTER_CHANGE.append(hook)


def roster_changed(project_id: int, since: dt.date) -> None:
    """Each month from `since` to this month (an event dated `since` changes who is 在场
    in each of them)."""
    month, last = since.replace(day=1), today().replace(day=1)
    while month <= last:
        for hook in _ON_ROSTER_CHANGE:
            hook(project_id, month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
HEAD_IMAGE_MAX_BYTES = 50 * 1024

PERSON_PLAIN_FIELDS = ("name", "gender", "birth_date", "nation", "grant_org", "id_valid_from",
                       "id_valid_until", "address", "politics_type", "culture_level",
                       "urgent_contact_name")
PROJECT_PART_FIELDS = ("team", "work_role", "work_type", "is_team_leader", "safety_training_date",
                       "has_insurance")


def first_error(errors: Errors) -> None:
    """Raise the first message of a check as a ServiceError naming its field."""
    for field, message in errors.items():
        raise ServiceError(message, field=field)


def _own_unit(actor: User, project: Project) -> Participant:
    participant = own_participant(actor, project)
    if participant is None:  # the general contractor or the authority reading: not theirs
        raise PermissionDenied404
    return participant


# ------------------------------------------------------------------ 班组管理

def _team_leader(team: Team, leader_id: int | None) -> ProjectWorker | None:
    if not leader_id:
        return None
    leader = team.workers.filter(pk=leader_id).select_related("person").first() if team.pk else None
    if leader is None:
        raise ServiceError("班组长须是本班组的人员", field="leader")
    return leader


@transaction.atomic
def save_team(*, actor: User, code: str, data: dict[str, Any], team_id: int | None = None,
              leader_id: int | None = None, ip: str | None = None) -> Team:
    """新建 or 修改 a team of the actor's own unit on the project. 班组名称 is unique
    within the project; the 班组长 is a worker of the team."""
    project = access_roster_project(actor, code)
    cleaned, errors = check_team(data)
    first_error(errors)
    if team_id is None:
        participant = _own_unit(actor, project)
        team = Team(project=project, participant=participant, created_by=actor)
    else:
        team = access_team(actor, project, team_id, owned=True, for_update=True)
    clash = Team.objects.filter(project=project, name=cleaned["name"]).exclude(pk=team.pk)
    if clash.exists():
        raise ServiceError("本项目已有同名班组，班组名称在同一项目内不能重复", field="name")
    leader = _team_leader(team, leader_id)
    created = team.pk is None
    try:
        with transaction.atomic():
            if created:
                for field, value in cleaned.items():
                    setattr(team, field, value)
                team.save()
                changes = {field: [None, _plain(value)] for field, value in cleaned.items()}
            else:
                changes = model_update(team, cleaned, fields=list(cleaned))
    except IntegrityError:
        raise ServiceError("本项目已有同名班组，班组名称在同一项目内不能重复", field="name") from None
    if not created:
        old_leader = team.leader
        if (old_leader.pk if old_leader else None) != (leader.pk if leader else None):
            if old_leader is not None:
                ProjectWorker.objects.filter(pk=old_leader.pk).update(is_team_leader=False)
            if leader is not None:
                ProjectWorker.objects.filter(pk=leader.pk).update(is_team_leader=True)
            changes.update(model_update(team, {"leader": leader}, fields=["leader"]))
    record(action=Action.TEAM_SAVED, actor=actor, ip=ip, obj=team, changes=changes,
           project_code=project.code, team=team.name, created=created)
    return team


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


# ------------------------------------------------------------------ persons

def derive_head_image(photo: Attachment, *, actor: User, ip: str | None = None) -> Attachment:
    """The ≤ 50 KB JPEG the national platform takes (headImage), derived from the
    uploaded photo with Pillow and kept as its own attachment."""
    with photo.file.open("rb") as handle:
        with Image.open(handle) as source:
            image = ImageOps.exif_transpose(source).convert("RGB")
    image.thumbnail((480, 640))
    data = b""
    for quality in (85, 75, 65, 55, 45, 35, 25):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        data = buffer.getvalue()
        if len(data) <= HEAD_IMAGE_MAX_BYTES:
            break
        if quality == 45:
            image.thumbnail((240, 320))
    if len(data) > HEAD_IMAGE_MAX_BYTES:
        raise ServiceError("本人照片无法压缩到50KB以内，请换一张照片", field="photo")
    checked = Checked(name="头像.jpg", content_type="image/jpeg", data=data,
                      sha256=hashlib.sha256(data).hexdigest())
    return store_checked(actor=actor, checked=checked, kind="head_image", ip=ip)


def _image_only(attachment: Attachment | None, label: str, field: str) -> None:
    if attachment is not None and not attachment.is_image:
        raise ServiceError(f"{label}须为JPG或PNG图片", field=field)


def _set_numbers(person: Person, cleaned: dict[str, Any]) -> dict[str, list[Any]]:
    """Store the phone numbers encrypted (and hashed); changes keyed so the audit
    masks them."""
    changes: dict[str, list[Any]] = {}
    old_phone = person.phone if person.phone_token else ""
    if cleaned["phone"] != old_phone:
        person.phone_token = crypto.encrypt(cleaned["phone"])
        person.phone_hmac = crypto.lookup_hash(cleaned["phone"], purpose=PHONE_PURPOSE)
        changes["phone"] = [old_phone or None, cleaned["phone"]]
    old_urgent = person.urgent_contact_phone if person.urgent_contact_phone_token else ""
    if cleaned.get("urgent_contact_phone", "") != old_urgent:
        person.urgent_contact_phone_token = crypto.encrypt(cleaned.get("urgent_contact_phone", ""))
        changes["urgent_contact_phone"] = [old_urgent or None, cleaned.get("urgent_contact_phone")]
    return changes


@dataclass
class Files:
    """The person's uploads (kept drafts of an UploadsForm)."""

    photo: Attachment | None = None
    id_card_front: Attachment | None = None
    id_card_back: Attachment | None = None

    def check(self) -> None:
        _image_only(self.photo, "本人照片", "photo")
        _image_only(self.id_card_front, "身份证正面", "id_card_front")
        _image_only(self.id_card_back, "身份证反面", "id_card_back")


def _new_person(*, actor: User, identity: dict[str, Any], data: dict[str, Any], files: Files,
                ip: str | None) -> Person:
    cleaned, errors = check_person({**data, **identity})
    first_error(errors)
    if files.photo is None:
        raise ServiceError("请上传本人照片（全国平台要求每位工人有照片）", field="photo")
    files.check()
    person = Person(id_type=cleaned["id_type"], created_by=actor,
                    id_number_token=crypto.encrypt(cleaned["id_number"]),
                    id_number_hmac=id_number_hash(cleaned["id_number"]),
                    photo=files.photo, id_card_front=files.id_card_front,
                    id_card_back=files.id_card_back)
    for field in PERSON_PLAIN_FIELDS:
        setattr(person, field, cleaned.get(field, getattr(person, field)))
    _set_numbers(person, cleaned)
    claim([files.photo, files.id_card_front, files.id_card_back], actor=actor)
    person.head_image = derive_head_image(files.photo, actor=actor, ip=ip)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ServiceError("该证件号码的人员刚刚已由他人登记，请重新提交", field="id_number") from None
    return person


@dataclass
class Lookup:
    """What 新增人员's first step found for 姓名 + 证件类型 + 证件号码."""

    identity: dict[str, Any]
    person: Person | None


def find_person(*, actor: User, code: str, data: dict[str, Any]) -> Lookup:
    """新增人员, first step: is this person already on the platform? Only when the typed
    name matches the person of that ID number is it re-used (and its project part
    asked); a different name is refused without telling whose number it is."""
    project = access_roster_project(actor, code)
    participant = _own_unit(actor, project)
    identity, errors = check_identity(data)
    first_error(errors)
    person = person_by_id_number(identity["id_type"], identity["id_number"])
    if person is not None:
        if person.name != identity["name"]:
            raise ServiceError("姓名与证件号码不符，请核对", field="name")
        if ProjectWorker.objects.filter(participant=participant, person=person).exists():
            raise ServiceError("该人员已在本单位本项目的人员名单中", field="id_number")
    return Lookup(identity, person)


def _project_part(actor: User, participant: Participant, data: dict[str, Any],
                  team_id: Any) -> dict[str, Any]:
    cleaned, errors = check_project_part(data)
    if not team_id:
        errors = {"team": "请选择班组", **errors}
    first_error(errors)
    team = Team.objects.owned_by(actor).filter(participant=participant, pk=team_id).first() \
        if str(team_id).isdigit() else None
    if team is None:
        raise ServiceError("请选择本单位在本项目的班组", field="team")
    cleaned["team"] = team
    return cleaned


def _lead_team(worker: ProjectWorker, *, was_leading: Team | None) -> None:
    """Keep 是否班组长 and the team's 班组长 the same: one leader per team."""
    team = Team.objects.select_for_update().get(pk=worker.team_id)
    if was_leading is not None and was_leading.pk != team.pk:
        Team.objects.filter(pk=was_leading.pk, leader=worker).update(leader=None)
    if worker.is_team_leader:
        if team.leader_id not in (None, worker.pk):
            raise ServiceError("该班组已有班组长，请先在班组管理中更换班组长", field="is_team_leader")
        if team.leader_id != worker.pk:
            Team.objects.filter(pk=team.pk).update(leader=worker)
    elif team.leader_id == worker.pk:
        Team.objects.filter(pk=team.pk).update(leader=None)


@transaction.atomic
def add_worker(*, actor: User, code: str, identity: dict[str, Any], person: dict[str, Any] | None,
               project_part: dict[str, Any], team_id: Any, files: Files | None = None,
               ip: str | None = None) -> ProjectWorker:
    """新增人员: the person (re-used when the platform knows its ID number and the name
    matches; else created from `person`) and the project part, on the actor's own
    unit's roster of the project."""
    project = access_roster_project(actor, code)
    participant = _own_unit(actor, project)
    cleaned_identity, errors = check_identity(identity)
    first_error(errors)
    part = _project_part(actor, participant, project_part, team_id)
    existing = person_by_id_number(cleaned_identity["id_type"], cleaned_identity["id_number"])
    if existing is not None:
        if existing.name != cleaned_identity["name"]:
            raise ServiceError("姓名与证件号码不符，请核对", field="name")
        the_person, reused = existing, True
    else:
        if person is None:
            raise ServiceError("请填写人员信息", field="name")
        the_person = _new_person(actor=actor, identity=identity, data=person,
                                 files=files or Files(), ip=ip)
        reused = False
    if ProjectWorker.objects.filter(participant=participant, person=the_person).exists():
        raise ServiceError("该人员已在本单位本项目的人员名单中", field="id_number")
    worker = ProjectWorker(project=project, participant=participant, person=the_person,
                           created_by=actor, **part)
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        raise ServiceError("该人员已在本单位本项目的人员名单中", field="id_number") from None
    _lead_team(worker, was_leading=None)
    record(action=Action.WORKER_ADDED, actor=actor, ip=ip, obj=worker,
           changes={field: [None, _plain(value if field != "team" else value.name)]
                    for field, value in part.items()},
           project_code=project.code, person_reused=reused, name=the_person.name,
           id_number=cleaned_identity["id_number"])
    return worker


@transaction.atomic
def update_worker(*, actor: User, code: str, worker_id: int, person: dict[str, Any],
                  project_part: dict[str, Any], team_id: Any, files: Files | None = None,
                  ip: str | None = None) -> ProjectWorker:
    """修改 a worker of the actor's own roster: the person part (a person is one record
    platform-wide: every roster that holds it sees the change; its 证件类型 and
    证件号码 do not change) and the project part."""
    project = access_roster_project(actor, code)
    worker = access_worker(actor, project, worker_id, owned=True, for_update=True)
    the_person = Person.objects.select_for_update().get(pk=worker.person_id)
    data = {**person, "id_type": the_person.id_type}
    if the_person.id_type == RESIDENT_ID_CARD:
        data.update(birth_date=the_person.birth_date, gender=the_person.gender)
    cleaned, errors = check_person(data, identity=False)
    first_error(errors)
    files = files or Files()
    files.check()
    values = {field: cleaned[field] for field in PERSON_PLAIN_FIELDS if field in cleaned}
    changes = _set_numbers(the_person, cleaned)
    for field in ("photo", "id_card_front", "id_card_back"):
        new = getattr(files, field)
        if new is not None and new.pk != getattr(the_person, f"{field}_id"):
            values[field] = new
    claim([files.photo, files.id_card_front, files.id_card_back], actor=actor)
    if "photo" in values:
        values["head_image"] = derive_head_image(values["photo"], actor=actor, ip=ip)
    if changes:
        the_person.save(update_fields=["phone_token", "phone_hmac", "urgent_contact_phone_token",
                                       "updated_at"])
    changes.update(model_update(the_person, values, fields=list(values)))

    participant = worker.participant
    part = _project_part(actor, participant, project_part, team_id)
    was_leading = Team.objects.filter(leader=worker).first()
    old_team_name = worker.team.name
    changes.update(model_update(worker, part, fields=list(PROJECT_PART_FIELDS)))
    if "team" in changes:
        changes["team"] = [old_team_name, part["team"].name]
    _lead_team(worker, was_leading=was_leading)
    record(action=Action.WORKER_UPDATED, actor=actor, ip=ip, obj=worker, changes=changes,
           project_code=project.code, name=the_person.name)
    return worker


@transaction.atomic
def reveal_worker(*, actor: User, code: str, worker_id: int, ip: str | None = None) -> ProjectWorker:
    """「查看完整信息」: the owning participant only; written in the audit log."""
    project = access_roster_project(actor, code)
    worker = access_worker(actor, project, worker_id, owned=True)
    record(action=Action.WORKER_REVEALED, actor=actor, ip=ip, obj=worker,
           project_code=project.code, name=worker.person.name)
    return worker


# ------------------------------------------------------------------ contract and card

@transaction.atomic
def save_contract(*, actor: User, code: str, worker_id: int, data: dict[str, Any],
                  file_1: Attachment | None = None, file_2: Attachment | None = None,
                  ip: str | None = None) -> WorkerContract:
    """劳动合同 / 用工书面协议 of a worker (up to 2 files; a new file replaces the one
    in its place)."""
    project = access_roster_project(actor, code)
    worker = access_worker(actor, project, worker_id, owned=True, for_update=True)
    cleaned, errors = check_contract(data)
    first_error(errors)
    contract = WorkerContract.objects.filter(worker=worker).first()
    created = contract is None
    if contract is None:
        contract = WorkerContract(worker=worker, updated_by=actor, **cleaned)
    values: dict[str, Any] = {**cleaned, "updated_by": actor}
    for field, attachment in (("file_1", file_1), ("file_2", file_2)):
        if attachment is not None:
            values[field] = attachment
    claim([file_1, file_2], actor=actor)
    if created:
        for field, value in values.items():
            setattr(contract, field, value)
        contract.save()
        changes = {field: [None, _plain(value)] for field, value in values.items()
                   if field != "updated_by"}
    else:
        changes = model_update(contract, values, fields=[*cleaned, "file_1", "file_2", "updated_by"])
        changes.pop("updated_by", None)
    record(action=Action.CONTRACT_SAVED, actor=actor, ip=ip, obj=worker, changes=changes,
           project_code=project.code, name=worker.person.name, created=created)
    return contract


@transaction.atomic
def save_wage_card(*, actor: User, code: str, worker_id: int, data: dict[str, Any],
                   ip: str | None = None) -> WageCard:
    """工资卡: the holder is the worker (nobody else's name can stand as holder); one
    card per person per project. A card number already held by another person is
    refused."""
    project = access_roster_project(actor, code)
    worker = access_worker(actor, project, worker_id, owned=True, for_update=True)
    cleaned, errors = check_card(data)
    first_error(errors)
    number = cleaned.pop("card_number")
    digest = crypto.lookup_hash(number, purpose=CARD_PURPOSE)
    if WageCard.objects.filter(card_number_hmac=digest).exclude(
            worker__person_id=worker.person_id).exists():
        raise ServiceError("该卡号已登记在其他人员名下，工资卡须为本人名下的银行卡", field="card_number")
    card = WageCard.objects.filter(worker=worker).first()
    created = card is None
    old_number = "" if card is None else card.card_number
    if card is None:
        card = WageCard(worker=worker, updated_by=actor)
    changes = {field: [getattr(card, field) or None, value] for field, value in cleaned.items()
               if getattr(card, field) != value}
    for field, value in cleaned.items():
        setattr(card, field, value)
    if number != old_number:
        card.card_number_token = crypto.encrypt(number)
        card.card_number_hmac = digest
        changes["card_number"] = [old_number or None, number]
    card.updated_by = actor
    card.save()
    record(action=Action.WAGE_CARD_SAVED, actor=actor, ip=ip, obj=worker, changes=changes,
           project_code=project.code, name=worker.person.name, created=created)
    return card


# ------------------------------------------------------------------ 进场 / 退场

@dataclass
class Recorded:
    event: WorkerEvent
    note: str = ""  # e.g. an age past the configured flag (not a refusal)


def _check_date(worker: ProjectWorker, day: dt.date | None, label: str) -> dt.date:
    if day is None:
        raise ServiceError(f"请填写{label}日期", field="date")
    if day > today():
        raise ServiceError(f"{label}日期不能晚于今天", field="date")
    previous = last_event(worker)
    if previous is not None and day < previous.date:
        raise ServiceError(f"{label}日期不能早于上一次{previous.get_kind_display()}日期"
                           f"（{previous.date:%Y-%m-%d}）", field="date")
    return day


@transaction.atomic
def record_entry(*, actor: User, code: str, worker_id: int, date: dt.date | None,
                 voucher: Attachment | None = None, ip: str | None = None) -> Recorded:
    """进场: refused without a contract on file and a safety-training date (条例 第二十八条,
    办法 第八条), under the minimum age, or — unless the platform allows it — while
    the person is 在场 on another project."""
    project = access_roster_project(actor, code)
    worker = access_worker(actor, project, worker_id, owned=True, for_update=True)
    person = Person.objects.select_for_update().get(pk=worker.person_id)
    day = _check_date(worker, date, "进场")
    if worker.status == RosterStatus.ON_SITE:
        raise ServiceError("该人员已在场，请先登记退场")
    contract = WorkerContract.objects.filter(worker=worker).first()
    if contract is None:
        raise ServiceError("未签订劳动合同或用工书面协议，不能进场（保障农民工工资支付条例第二十八条）")
    if not contract.start_date <= day <= contract.end_date:
        raise ServiceError(f"进场日期不在合同期限内（{contract.start_date:%Y-%m-%d} 至 "
                           f"{contract.end_date:%Y-%m-%d}）", field="date")
    if worker.safety_training_date is None:
        raise ServiceError("未登记基本安全培训日期，不能进场（建筑工人实名制管理办法第八条）")
    if worker.safety_training_date > day:
        raise ServiceError("基本安全培训日期晚于进场日期：须先培训后进场", field="date")
    age = person.age_on(day)
    if age < settings.WORKFORCE_MIN_AGE:
        raise ServiceError(f"进场时未满{settings.WORKFORCE_MIN_AGE}周岁，不得进场", field="date")
    elsewhere = ProjectWorker.objects.filter(person=person, status=RosterStatus.ON_SITE).exclude(
        pk=worker.pk)
    if elsewhere.filter(project=project).exists():
        raise ServiceError("该人员在本项目其他参建单位尚未退场")
    if not settings.WORKFORCE_ALLOW_TWO_SITES and elsewhere.exists():
        raise ServiceError(TWO_SITES)
    claim([voucher], actor=actor)
    event = WorkerEvent.objects.create(worker=worker, kind=EventKind.ENTRY, date=day,
                                       voucher=voucher, recorded_by=actor)
    old = advance(worker, RosterStatus.ON_SITE, flow=ROSTER_FLOW, last_event_date=day)
    note = age_flag(age=age, gender=person.gender)
    record(action=Action.WORKER_ENTERED, actor=actor, ip=ip, obj=worker,
           changes={"status": [old, worker.status]}, project_code=project.code,
           name=person.name, date=day.isoformat(), age_flag=note)
    roster_changed(project.pk, day)
    return Recorded(event, note)


@transaction.atomic
def record_exit(*, actor: User, code: str, worker_id: int, date: dt.date | None,
                voucher: Attachment | None = None, ip: str | None = None) -> Recorded:
    """退场: only from 在场, dated no later than today and no earlier than the entry."""
    project = access_roster_project(actor, code)
    worker = access_worker(actor, project, worker_id, owned=True, for_update=True)
    day = _check_date(worker, date, "退场")
    if worker.status != RosterStatus.ON_SITE:
        raise ServiceError("该人员不在场，不能登记退场")
    claim([voucher], actor=actor)
    event = WorkerEvent.objects.create(worker=worker, kind=EventKind.EXIT, date=day,
                                       voucher=voucher, recorded_by=actor)
    old = advance(worker, RosterStatus.EXITED, flow=ROSTER_FLOW, last_event_date=day)
    record(action=Action.WORKER_EXITED, actor=actor, ip=ip, obj=worker,
           changes={"status": [old, worker.status]}, project_code=project.code,
           name=worker.person.name, date=day.isoformat())
    roster_changed(project.pk, day)
    return Recorded(event)
