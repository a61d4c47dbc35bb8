"""工资查询 (issue 9 item 6): a worker with no account reads his own wage lines with his
证件号码, the phone on his roster record and an SMS code. Nobody learns from the page
who is on the roster; only the matching pair gets a code; the grant shows that person's
confirmed or paid lines on every project, nobody else's, for a few minutes."""

import json
import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from labour.audit.models import Action, AuditEvent
from labour.core.errors import ServiceError
from labour.factories import (
    ParticipantFactory,
    PersonFactory,
    ProjectFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageItemFactory,
    WageLineFactory,
    WageSheetFactory,
)
from labour.notifications.models import SmsMessage, VerificationCode
from labour.payroll import query
from labour.projects.choices import ParticipantRole
from labour.testing import latest_code
from labour.workforce.rules import make_resident_id

pytestmark = pytest.mark.django_db

ID_NUMBER = "41010219850307007X"  # a valid 居民身份证 number ending in X
PHONE = "15899990001"
OTHER_PHONE = "15899990002"
UNKNOWN_ID = make_resident_id("410102", date(1980, 1, 1), 11)  # on no roster
NOON = timezone.make_aware(timezone.datetime(2026, 11, 20, 12, 0))


@pytest.fixture
def clock(settings):
    """2026-11-20 12:00, moved by hand; a cache in local memory that follows the clock
    (Redis keeps its own time: the code cool-down would not)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "wage-query"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    from django.core.cache import cache

    cache.clear()
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def _sheet(team, month, status):
    return WageSheetFactory(team=team, month=month, status=status,
                            number=f"GZ{month:%Y%m}{team.pk:04d}{status[:2]}")


def _line(sheet, worker, net, **extra):
    """A line worth `net` (gross net + 100, 100 deducted), with its two items."""
    gross = Decimal(net) + 100
    line = WageLineFactory(sheet=sheet, worker=worker, gross_total=gross,
                           deduction_total=Decimal("100.00"), net_amount=Decimal(net), **extra)
    WageItemFactory(line=line, kind="gross", name="计时工资", amount=gross)
    WageItemFactory(line=line, kind="deduction", name="借支", amount=Decimal("100.00"))
    return line


@pytest.fixture
def wages(world):
    """The worker (his ID ends in X) on two projects: on the world's 木工班 and on a
    second project's 钢筋班; a workmate on the same sheets; sheets in every state."""
    person = PersonFactory(id_number=ID_NUMBER, phone=PHONE, name="王师傅")
    here = world["people"]["whole"]
    here.person = person
    here.save(update_fields=["person"])
    mate = world["people"]["part"]
    team = world["team"]
    elsewhere = ProjectFactory(name="第二个项目")
    unit = ParticipantFactory(project=elsewhere, role=ParticipantRole.LABOUR_SUBCONTRACTOR)
    there = ProjectWorkerFactory(person=person, participant=unit, project=elsewhere,
                                 team=TeamFactory(participant=unit, name="钢筋班"))
    lines = {
        "paid": _line(_sheet(team, date(2026, 9, 1), "paid"), here, "5101.00",
                      pay_status="paid"),
        "confirmed": _line(_sheet(team, date(2026, 10, 1), "confirmed"), here, "5102.00"),
        "draft": _line(_sheet(team, date(2026, 11, 1), "draft"), here, "5103.00"),
        "failed": _line(_sheet(there.team, date(2026, 10, 1), "paying"), there, "5104.00",
                        pay_status="failed", failure_reason="卡号已销户"),
        "submitted": _line(_sheet(there.team, date(2026, 9, 1), "submitted"), there, "5105.00"),
    }
    lines["mate"] = _line(lines["confirmed"].sheet, mate, "5106.00")
    return {"person": person, "here": here, "there": there, "lines": lines, "mate": mate}


def _code(client, id_number=ID_NUMBER, phone=PHONE, ip="10.1.0.1"):
    return client.post(reverse("payroll:query_code"), {"username": id_number, "phone": phone},
                       REMOTE_ADDR=ip)


def _ask(client, code, id_number=ID_NUMBER, phone=PHONE):
    return client.post(reverse("payroll:query"),
                       {"id_number": id_number, "phone": phone, "code": code})


def _granted(client):
    _code(client)
    response = _ask(client, latest_code(PHONE))
    assert response.status_code == 302 and response.url == reverse("payroll:query_result")
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ------------------------------------------------------------------ the code: no enumeration

def test_unknown_id_wrong_phone_and_the_right_pair_get_the_same_answer(client, wages, clock):
    answers = []
    for id_number, phone in ((UNKNOWN_ID, PHONE), (ID_NUMBER, OTHER_PHONE), (ID_NUMBER, PHONE)):
        response = _code(client, id_number, phone)
        answers.append((response.status_code, response.content))
        clock.shift(timedelta(seconds=61))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200 and json.loads(answers[0][1])["message"] == query.sent_message()
    # only the matching pair gets an SMS; every request made a code (the same limits)
    assert list(SmsMessage.objects.values_list("phone", flat=True)) == [PHONE]
    assert VerificationCode.objects.filter(purpose="wage_query").count() == 3


def test_a_worker_no_longer_on_any_roster_gets_no_code(client, clock):
    PersonFactory(id_number=ID_NUMBER, phone=PHONE)  # a person row without a roster row
    assert _code(client).status_code == 200
    assert not SmsMessage.objects.exists()


def test_a_wrong_code_is_refused_beside_the_field(client, wages, clock):
    _code(client)
    wrong = f"{(int(latest_code(PHONE)) + 1) % 1_000_000:06d}"
    response = _ask(client, wrong)
    page = response.content.decode()
    assert response.status_code == 200 and "验证码错误，请重新输入（还可尝试4次）" in page
    assert 'id="id_code_error"' in page
    assert query.SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action=Action.WAGE_QUERIED).exists()


def test_a_code_answers_once(client, wages, clock):
    _code(client)
    code = latest_code(PHONE)
    assert _ask(client, code).status_code == 302
    client.post(reverse("payroll:query_end"))
    response = _ask(client, code)  # the same code again (a double submit, a replay)
    assert response.status_code == 200 and "请先获取验证码" in response.content.decode()
    assert query.SESSION_KEY not in client.session


def test_a_code_of_ones_own_phone_does_not_open_another_id(client, wages, clock):
    """Someone with his own phone on the roster cannot try other ID numbers with it:
    the pair is matched again, and the code is used up by the attempt."""
    other = PersonFactory(phone=OTHER_PHONE)
    ProjectWorkerFactory(person=other)
    _code(client, phone=OTHER_PHONE, id_number=other.id_number)
    code = latest_code(OTHER_PHONE)
    response = _ask(client, code, id_number=ID_NUMBER, phone=OTHER_PHONE)
    assert response.status_code == 200 and query.NOT_MATCHED in response.content.decode()
    assert query.SESSION_KEY not in client.session
    response = _ask(client, code, id_number=other.id_number, phone=OTHER_PHONE)
    assert "请先获取验证码" in response.content.decode()


def test_the_certification_codes_limits_hold(client, wages, clock, settings):
    settings.VERIFY_CODE_IP_HOURLY_LIMIT = 2
    assert _code(client).status_code == 200
    again = _code(client, ip="10.1.0.2")  # the same phone within 60 s
    assert again.status_code == 429 and "60秒" in again.json()["message"]
    # per address: the unknown and the known answer alike once the limit is reached
    assert _code(client, UNKNOWN_ID, "15899990003").status_code == 200
    for id_number, phone in ((UNKNOWN_ID, "15899990004"), (ID_NUMBER, OTHER_PHONE)):
        refused = _code(client, id_number, phone)
        assert refused.status_code == 429 and "过于频繁" in refused.json()["message"]
    assert SmsMessage.objects.count() == 1


def test_per_phone_daily_limit(client, wages, clock, settings):
    settings.VERIFY_CODE_PHONE_DAILY_LIMIT = 2
    for n in range(2):
        assert _code(client, ip=f"10.2.0.{n}").status_code == 200
        clock.shift(timedelta(seconds=61))
    refused = _code(client, ip="10.2.0.9")
    assert refused.status_code == 429 and "今日" in refused.json()["message"]


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize(("id_number", "phone", "field"), [
    ("4" * 100_000, PHONE, "id_number"),
    ("410102198503070071", PHONE, "id_number"),  # wrong check digit
    ("<script>", PHONE, "id_number"),
    (ID_NUMBER, "1589999000１2", "phone"),
    ("", "", "id_number"),
])
def test_bad_input_is_refused_by_the_code_endpoint_never_a_500(client, clock, id_number, phone,
                                                              field):
    response = _code(client, id_number, phone)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not VerificationCode.objects.exists()


def test_nul_bytes_are_refused_never_a_500(client, wages, clock):
    for response in (_code(client, "4101\x00021985"), _code(client, ID_NUMBER, "158\x009999000"),
                     _ask(client, "123456", id_number="41\x0001")):
        assert response.status_code == 400
    assert not VerificationCode.objects.exists()
    with pytest.raises(ServiceError) as refused:  # the service on its own refuses them too
        query.send_query_code(id_number="4101\x00021985", phone=PHONE)
    assert refused.value.field == "id_number"


def test_an_18_digit_number_of_another_kind_with_its_check_digit_is_looked_up(client, clock):
    from stdnum.cn import ric

    first17 = "83000019900101001"  # 台湾居民居住证: a region the 身份证 table does not know
    number = first17 + ric.calc_check_digit(first17 + "0")
    ProjectWorkerFactory(person=PersonFactory(id_type="12", id_number=number, phone=PHONE))
    assert query.clean_id_number(number) == number
    with pytest.raises(ServiceError, match="校验位"):  # a typo is still caught
        query.clean_id_number(number[:17] + str((int(number[17]) + 1) % 10)
                              if number[17].isdigit() else number[:17] + "0")
    assert _code(client, number, PHONE).status_code == 200
    assert SmsMessage.objects.filter(phone=PHONE).exists()


def test_full_width_digits_and_a_lower_case_x_are_the_same_number(client, wages, clock):
    full_width = "４１０１０２１９８５０３０７００７ｘ"
    assert _code(client, full_width, "１５８ ９９９９ ０００１").status_code == 200
    assert SmsMessage.objects.filter(phone=PHONE).count() == 1
    code = "".join(chr(ord(c) + 0xFEE0) for c in latest_code(PHONE))  # typed full width
    response = _ask(client, code, id_number=ID_NUMBER.lower(), phone=PHONE)
    assert response.status_code == 302


def test_the_form_refuses_a_missing_code_and_a_bad_phone_beside_the_fields(client, clock):
    response = client.post(reverse("payroll:query"),
                           {"id_number": ID_NUMBER, "phone": "12345", "code": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code_error"' in page
    response = _ask(client, "123456", phone="12345")
    page = response.content.decode()
    assert "请输入正确的11位手机号" in page and 'id="id_phone_error"' in page
    assert client.get(reverse("payroll:query_code")).status_code == 405


# ------------------------------------------------------------------ the grant

def test_the_grant_shows_only_that_persons_confirmed_or_paid_lines_on_every_project(
        client, wages):  # the real clock and cache (Redis with REDIS_URL): sessions there too
    page = _page(_granted(client), reverse("payroll:query_result"))
    for shown in ("5101.00", "5102.00", "5104.00"):
        assert shown in page
    for hidden in ("5103.00", "5105.00", "5106.00"):  # a draft, a submitted sheet, the workmate
        assert hidden not in page
    assert world_project_name(wages) in page and "第二个项目" in page
    assert "木工班" in page and "钢筋班" in page
    for label in ("工资月份", "项目", "班组", "应发合计", "代扣合计", "实发", "发放状态", "发放日期"):
        assert f"{label}</th>" in page
    assert '<span class="status status-paid">已发放</span>' in page
    assert '<span class="status status-unpaid">未发放</span>' in page
    assert '<span class="status status-failed">发放失败</span>' in page
    assert "已确认或已发放" in page  # the page says what it lists
    assert "王师傅" in page and "410102********007X" in page
    assert ID_NUMBER not in page and PHONE not in page
    assert wages["mate"].person.name not in page


def world_project_name(wages):
    return wages["here"].project.name


def test_the_items_of_a_line_on_demand_and_nobody_elses(client, wages):
    _granted(client)
    lines = wages["lines"]
    page = _page(client, reverse("payroll:query_line", args=[lines["paid"].pk]))
    assert "计时工资" in page and "5201.00" in page and "借支" in page and "100.00" in page
    assert "****0001" in page and "6217000000000001" not in page  # the card: its last 4 only
    failed = _page(client, reverse("payroll:query_line", args=[lines["failed"].pk]))
    assert "卡号已销户" in failed
    for key in ("mate", "draft", "submitted"):
        url = reverse("payroll:query_line", args=[lines[key].pk])
        assert client.get(url).status_code == 404, key
    assert client.get("/payroll/query/wages/99999999/").status_code == 404


def _pdf_text(response):
    import io

    from pypdf import PdfReader

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_worker_downloads_his_own_slips_and_nobody_elses(client, wages):
    """「下载工资清单」: one page per shown line (confirmed or paid), masked numbers; one
    month's slip by ?line=; a line that is not his (a workmate's, a draft's) is 404."""
    _granted(client)
    lines = wages["lines"]
    assert "下载工资清单" in _page(client, reverse("payroll:query_result"))
    pages, text = _pdf_text(client.get(reverse("payroll:query_slips")))
    assert pages == 3  # paid, confirmed, failed: not the draft, the submitted one or the mate's
    assert "5101.00" in text and "5104.00" in text and "5106.00" not in text and "5103.00" not in text
    assert ID_NUMBER not in text and PHONE not in text
    one = reverse("payroll:query_slips") + f"?line={lines['paid'].pk}"
    assert "下载本月工资清单" in _page(client, reverse("payroll:query_line", args=[lines["paid"].pk]))
    pages, text = _pdf_text(client.get(one))
    assert pages == 1 and "5101.00" in text and "计时工资" in text
    for key in ("mate", "draft", "submitted"):
        response = client.get(reverse("payroll:query_slips") + f"?line={lines[key].pk}")
        assert response.status_code == 404, key
    for bad in ("abc", "1%00", "9" * 40, "１"):
        assert client.get(reverse("payroll:query_slips"), {"line": bad}).status_code == 404, bad


def test_without_a_grant_no_slips(client, wages, clock):
    response = client.get(reverse("payroll:query_slips"))
    assert response.status_code == 302 and response.url == reverse("payroll:query")


def test_without_a_grant_the_wages_are_not_shown(client, wages, clock):
    for url in (reverse("payroll:query_result"),
                reverse("payroll:query_line", args=[wages["lines"]["paid"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("payroll:query")


def test_the_grant_expires(client, wages, clock, settings):
    settings.WAGE_QUERY_GRANT_MINUTES = 15
    _granted(client)
    clock.shift(timedelta(minutes=14, seconds=50))
    assert "5102.00" in _page(client, reverse("payroll:query_result"))
    clock.shift(timedelta(seconds=20))
    response = client.get(reverse("payroll:query_result"))
    assert response.status_code == 302 and response.url == reverse("payroll:query")
    assert "查询已超时" in _page(client, response.url)
    assert query.SESSION_KEY not in client.session


def test_ending_the_query(client, wages, clock):
    _granted(client)
    response = client.post(reverse("payroll:query_end"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("payroll:query_result")).status_code == 302
    assert client.get(reverse("payroll:query_end")).status_code == 405


def test_the_grant_lives_in_a_new_session_and_is_not_cached(client, wages, clock):
    client.get(reverse("payroll:query"))
    before = client.session.session_key
    _granted(client)
    assert client.session.session_key != before
    response = client.get(reverse("payroll:query_result"))
    assert "no-store" in response["Cache-Control"]


def test_each_grant_is_audited_with_the_masked_id_only(client, wages, clock):
    _granted(client)
    event = AuditEvent.objects.get(action=Action.WAGE_QUERIED)
    assert event.actor is None and event.object_id == str(wages["person"].pk)
    assert event.detail["id_number"] == "410102********007X"
    everything = json.dumps(list(AuditEvent.objects.values("detail", "changes")), ensure_ascii=False)
    assert ID_NUMBER not in everything and PHONE not in everything


def test_no_personal_number_in_the_logs(client, wages, clock, caplog):
    caplog.set_level(logging.DEBUG)
    _code(client, UNKNOWN_ID, OTHER_PHONE)
    clock.shift(timedelta(seconds=61))
    _code(client)
    _ask(client, "000000")  # wrong (or, one in a million, right)
    clock.shift(timedelta(seconds=61))
    _granted(client)
    client.get(reverse("payroll:query_result"))
    client.post(reverse("payroll:query"), {"id_number": "\x00", "phone": "x", "code": "1"})
    text = caplog.text
    for number in (ID_NUMBER, ID_NUMBER[:17], PHONE, OTHER_PHONE, UNKNOWN_ID):
        assert number not in text
    session = json.dumps(dict(client.session.items()), ensure_ascii=False)
    assert ID_NUMBER not in session and PHONE not in session


# ------------------------------------------------------------------ services without the pages

def test_start_query_refuses_a_pair_not_on_the_roster(rf, wages, clock):
    from django.contrib.sessions.backends.db import SessionStore

    query.send_query_code(id_number=UNKNOWN_ID, phone=PHONE, ip="10.3.0.1")
    request = rf.post("/payroll/query/")
    request.session = SessionStore()
    with pytest.raises(ServiceError, match="验证码错误"):  # no code was sent: none is known
        query.start_query(actor=None, request=request, id_number=UNKNOWN_ID, phone=PHONE,
                          code="123456")


# ------------------------------------------------------------------ where a worker finds it

def test_the_login_page_and_the_header_lead_to_the_query(client):
    url = reverse("payroll:query")
    login = _page(client, reverse("login"))
    assert login.count(f'href="{url}"') == 2  # the header's anonymous links and the page
    form = _page(client, url)
    assert "工资查询" in form and 'data-username-field="id_id_number"' in form
    assert 'maxlength="40"' in form


def test_the_help_page_explains_the_query(client):
    page = _page(client, reverse("help"))
    assert 'id="wage-query"' in page and f'href="{reverse("payroll:query")}"' in page
