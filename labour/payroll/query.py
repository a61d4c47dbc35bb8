"""工资查询 (issue 9 item 6): a worker with no account reads his own wage lines.

He types his 证件号码 and 手机号; an SMS code goes to that phone only when the two
belong to one person on the roster (Person.phone, kept by his employer on the
roster), and the answer is the same whether they do or not, so that nobody learns
from this page who is on the roster. Once the code checks, the browser session holds
a *grant* for settings.WAGE_QUERY_GRANT_MINUTES: the ids of the matched person, his
name and his masked ID number, nothing else. 「退出查询」 ends it.

What a grant reads: the person's lines of every project whose sheet is 已确认 or
later (a draft or a sheet waiting for the general contractor is not yet a wage
statement), with their items; no other worker, no card number beyond its last 4.

The ID number and the phone are never written to a log, the session or the audit
log in clear (look-ups compare keyed hashes; the audit event keeps the masked ID).
The SMS code uses notifications' send_code / check_code with its own purpose, so the
certification codes' limits hold here too (cool-down, per phone and per address).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from stdnum.cn import ric

from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.http import client_ip
from labour.core.masking import mask_id_number
from labour.core.validators import validate_phone
from labour.notifications import services as sms
from labour.notifications.choices import CodePurpose
from labour.workforce import crypto
from labour.workforce.models import Person, ProjectWorker
from labour.workforce.rules import Invalid, compact, other_id_number, resident_id
from labour.workforce.selectors import PHONE_PURPOSE, id_number_hash

from .choices import SheetStatus
from .models import WageItem, WageLine

SESSION_KEY = "wage_query"
PURPOSE = CodePurpose.WAGE_QUERY
# the sheets whose lines a worker reads: confirmed by the general contractor, or paid
SHOWN_SHEETS = (SheetStatus.CONFIRMED, SheetStatus.PAYING, SheetStatus.PAID)
NOT_MATCHED = "证件号码与手机号不匹配，请核对后重新获取验证码"


def sent_message() -> str:
    """The one answer to 「获取验证码」, whether or not the pair is on the roster."""
    minutes = settings.VERIFY_CODE_TTL_SECONDS // 60
    return f"如证件号码与手机号和用工登记的信息一致，验证码已发送至该手机号，{minutes}分钟内有效"


@dataclass(frozen=True)
class QueryGrant:
    """What the session holds after the SMS code: whose lines it may read, and until when."""

    person_ids: tuple[int, ...]
    name: str
    masked_id_number: str
    expires_at: dt.datetime

    @property
    def minutes_left(self) -> int:
        return max(0, int((self.expires_at - timezone.now()).total_seconds() + 59) // 60)


# ------------------------------------------------------------------ input

def clean_id_number(value: Any) -> str:
    """证件号码 as typed: full-width digits, spaces, dashes and a lower-case x are
    folded; an 18-digit number is checked as a 居民身份证 (GB 11643), any other
    as another 证件 (letters and digits). Only the format is judged here."""
    number = compact(value)
    try:
        if len(number) == 18 and number[:17].isdigit():
            try:
                return resident_id(number).number
            except Invalid:
                # the check digit right: another 证件 numbered the same way (a region or a
                # date the 居民身份证 rules do not know) may still be on the roster
                if number[17] == ric.calc_check_digit(number):
                    return number
                raise
        return other_id_number(number)
    except Invalid as exc:
        raise ServiceError(exc.message, field="id_number") from None


def clean_phone(value: Any) -> str:
    try:
        return validate_phone(str(value or ""))
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field="phone") from None


def _people(id_number: str, phone: str) -> QuerySet[Person]:
    """The people on some roster with this ID number and this phone (by keyed hash;
    the same number under two ID types is one natural person)."""
    return Person.objects.filter(
        Exists(ProjectWorker.objects.filter(person=OuterRef("pk"))),
        id_number_hmac=id_number_hash(id_number),
        phone_hmac=crypto.lookup_hash(phone, purpose=PHONE_PURPOSE),
    ).order_by("id")


# ------------------------------------------------------------------ services

@sensitive_variables("id_number", "phone", "number", "mobile")
def send_query_code(*, id_number: str, phone: str, ip: str | None = None) -> int:
    """「获取验证码」: sent only when the pair matches a person on the roster; the
    answer (and every limit) is the same when it does not. Returns the cool-down."""
    number, mobile = clean_id_number(id_number), clean_phone(phone)
    matched = _people(number, mobile).exists()
    return sms.send_code(phone=mobile, purpose=PURPOSE, ip=ip, deliver_to_phone=matched)


@sensitive_variables("id_number", "phone", "code", "number", "mobile")
def start_query(*, actor: None, request: HttpRequest, id_number: str, phone: str,
                code: str) -> QueryGrant:
    """The code checked (a wrong one counts a try, outside the transaction), the pair
    matched again, the code used up: the session holds the grant (a new session key,
    so that a session id known before cannot read it). One audit event, actor None."""
    number, mobile = clean_id_number(id_number), clean_phone(phone)
    ip = client_ip(request)
    sms.check_code(phone=mobile, purpose=PURPOSE, code=code, ip=ip)
    grant: QueryGrant | None = None
    with transaction.atomic():
        people = list(_people(number, mobile))
        # the code is used up either way: one code answers one question
        sms.use_code(phone=mobile, purpose=PURPOSE, code=code, ip=ip)
        if people:
            minutes = settings.WAGE_QUERY_GRANT_MINUTES
            grant = QueryGrant(person_ids=tuple(p.pk for p in people), name=people[0].name,
                               masked_id_number=mask_id_number(number),
                               expires_at=timezone.now() + dt.timedelta(minutes=minutes))
            record(action=Action.WAGE_QUERIED, actor=actor, request=request, obj=people[0],
                   id_number=grant.masked_id_number, people=len(people), minutes=minutes)
    if grant is None:
        raise ServiceError(NOT_MATCHED, field="id_number")
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "people": list(grant.person_ids), "name": grant.name, "id": grant.masked_id_number,
        "until": grant.expires_at.isoformat()}
    return grant


def end_query(*, request: HttpRequest) -> None:
    """「退出查询」: the grant is gone from the session."""
    request.session.pop(SESSION_KEY, None)


# ------------------------------------------------------------------ selectors

def current_grant(request: HttpRequest) -> QueryGrant | None:
    """The session's grant while it lasts; an expired or malformed one is dropped."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    try:
        grant = QueryGrant(person_ids=tuple(int(i) for i in data["people"]), name=str(data["name"]),
                           masked_id_number=str(data["id"]),
                           expires_at=dt.datetime.fromisoformat(data["until"]))
    except (KeyError, TypeError, ValueError):
        grant = None
    if grant is None or not grant.person_ids or grant.expires_at <= timezone.now():
        request.session.pop(SESSION_KEY, None)
        return None
    return grant


def lines_of_grant(grant: QueryGrant) -> QuerySet[WageLine]:
    """The grant's person's lines of confirmed or paid sheets, every project, newest
    month first (the project, team and participant with them: one query a page)."""
    return (WageLine.objects
            .filter(worker__person_id__in=grant.person_ids, sheet__status__in=SHOWN_SHEETS)
            .select_related("sheet__project", "sheet__team", "sheet__participant")
            .order_by("-sheet__month", "sheet__project__name", "is_back_pay", "id"))


def access_query_line(grant: QueryGrant, line_id: int) -> WageLine:
    """One line of the grant with its items, else 404 (another worker's, a draft's)."""
    line = (lines_of_grant(grant)
            .prefetch_related(Prefetch("items", queryset=WageItem.objects.order_by("kind", "id")))
            .filter(pk=line_id).first())
    if line is None:
        raise PermissionDenied404
    return line
