"""The reviewer's queue (企业账号认证审核) and the application detail page."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum.cn import uscc

from labour.accounts.services import save_authority_user
from labour.attachments.services import store_upload
from labour.audit.models import Action, AuditEvent
from labour.certification.models import EnterpriseApplication
from labour.certification.services import return_application
from labour.core.roles import AccountKind
from labour.core.validators import organisation_check_digit
from labour.enterprises.choices import ENTERPRISE_DOCUMENTS
from labour.enterprises.models import Enterprise
from labour.notifications.choices import SmsStatus, SmsTemplate
from labour.notifications.models import SmsMessage
from labour.reviews.choices import ReviewStatus
from labour.testing import application_data, make_uscc, password_from_sms, submit, upload

pytestmark = pytest.mark.django_db

QUEUE = "/certification/review/"
NUMBER_CELL = re.compile(r"<td[^>]*>(QY\d{13})</td>")


def _detail(number):
    return f"/certification/review/{number}/"


def _reviewer(username, region):
    user, _ = save_authority_user(actor=None, username=username, region_code=region, name=f"主管部门{region}",
                                  password="Review2026")
    return user


def _uscc_with_letters(region, body8):
    """A valid USCC whose body has letters, e.g. 91410105MA4FXK2B…"""
    org = body8 + organisation_check_digit(body8)
    first17 = f"91{region}{org}"
    return first17 + uscc.calc_check_digit(first17)


@pytest.fixture
def attachments(db):
    """Four stored PNG attachments, shared by the rows created with the ORM."""
    return {field: store_upload(actor=None, uploaded=upload(f"{field}.png"), kind=field)
            for field in ENTERPRISE_DOCUMENTS}


_BASE_TIME = timezone.now() - timedelta(days=30)


def _row(attachments, seq, *, region="410102", name=None, credit_code=None, minutes=None,
         status=ReviewStatus.SUBMITTED):
    """An application row built directly (for listing and rendering only)."""
    return EnterpriseApplication(
        number=f"QY20260101{seq:05d}", status=status,
        name=name or f"郑州测试{seq}建筑有限公司", unit_type="construction",
        credit_code=credit_code or make_uscc(region, seq), certificate_valid_until=None,
        registered_on=date(2015, 6, 1), region_code=region, admin_name="李四",
        admin_phone=f"1370000{seq:04d}",
        submitted_at=_BASE_TIME + timedelta(minutes=seq if minutes is None else minutes),
        return_reason="材料不清晰" if status == ReviewStatus.RETURNED else "",
        **attachments,
    )


def _rows(attachments, specs):
    return EnterpriseApplication.objects.bulk_create(
        [_row(attachments, seq, **kwargs) for seq, kwargs in specs])


def _listed(response):
    assert response.status_code == 200
    return NUMBER_CELL.findall(response.content.decode())


# ------------------------------------------------------------------ (a) the queue


@pytest.fixture
def spread(attachments):
    """Pending applications across regions, saved in an order that is not the
    order of submission; plus decided ones that never appear in a queue."""
    specs = [
        (1, {"region": "410105", "minutes": 50, "name": "金水路桥工程有限公司",
             "credit_code": _uscc_with_letters("410105", "MA4FXK2B")}),
        (2, {"region": "410102", "minutes": 10, "name": "郑州中原建设集团有限公司"}),
        (3, {"region": "410173", "minutes": 30, "name": "航空港劳务有限公司"}),
        (4, {"region": "410100", "minutes": 40, "name": "郑州市ABC建设有限公司"}),
        (5, {"region": "410302", "minutes": 20, "name": "洛阳老城建设有限公司"}),
        (6, {"region": "411002", "minutes": 60, "name": "许昌魏都建设有限公司"}),
        (7, {"region": "420102", "minutes": 5, "name": "武汉江岸建设有限公司"}),
        (8, {"region": "410102", "minutes": 1, "name": "郑州已通过建设有限公司",
             "status": ReviewStatus.APPROVED}),
        (9, {"region": "410105", "minutes": 2, "name": "郑州已退回建设有限公司",
             "status": ReviewStatus.RETURNED}),
    ]
    rows = _rows(attachments, specs)
    return {seq: row.number for seq, row in zip((s for s, _ in specs), rows, strict=True)}


@pytest.mark.parametrize(("region", "expected"), [
    # oldest first; only pending; only the reviewer's jurisdiction
    ("410100", [2, 3, 4, 1]),        # 4101xx, including the functional zone 410173
    ("410000", [2, 5, 3, 4, 1, 6]),  # the whole province 41xxxx, not 420102
    ("410102", [2]),                 # a district sees only itself
    ("410300", [5]),
    ("420000", [7]),
    ("410200", []),
])
def test_queue_lists_pending_of_jurisdiction_oldest_first(client, spread, region, expected):
    client.force_login(_reviewer(f"reviewer_{region}", region))
    response = client.get(QUEUE)
    assert _listed(response) == [spread[seq] for seq in expected]
    html = response.content.decode()
    assert f"共 {len(expected)} 条" in html
    if not expected:
        assert "暂无待审核的企业账号认证申请" in html


@pytest.mark.parametrize(("query", "expected"), [
    ("航空港", [3]),                 # part of a name
    ("  航空港 ", [3]),              # surrounding spaces ignored
    ("建设", [2, 4]),                # several matches, still oldest first
    ("abc", [4]),                    # Latin letters of a name, any case
    ("ma4fxk", [1]),                 # part of a credit code, lower case
    ("MA4FXK2B", [1]),
    ("91410173", [3]),               # credit code prefix
    ("洛阳", []),                     # matches, but outside the jurisdiction
    ("已通过", []),                   # matches, but already decided
    ("不存在的企业", []),
])
def test_queue_search_by_name_and_credit_code(client, authority, spread, query, expected):
    client.force_login(authority)
    response = client.get(QUEUE, {"q": query})
    assert _listed(response) == [spread[seq] for seq in expected]
    assert f'value="{query}"' in response.content.decode()  # the query stays in the box


def test_queue_is_paginated_oldest_first(client, authority, attachments):
    # 25 matching and 3 not matching the search, inserted newest first
    rows = _rows(attachments, [(seq, {"region": "410102", "name": f"中原{seq}号建设有限公司"})
                               for seq in range(25, 0, -1)])
    _rows(attachments, [(seq, {"region": "410105", "name": f"金水{seq}号劳务有限公司"})
                        for seq in (101, 102, 103)])
    by_age = [r.number for r in sorted(rows, key=lambda r: r.submitted_at)]
    client.force_login(authority)

    first = client.get(QUEUE, {"q": "中原"})
    assert _listed(first) == by_age[:20]
    html = first.content.decode()
    assert "第 1 / 2 页，共 25 条" in html
    assert "?q=%E4%B8%AD%E5%8E%9F&page=2" in html  # the next page keeps the search

    second = client.get(QUEUE, {"q": "中原", "page": 2})
    assert _listed(second) == by_age[20:]
    assert "第 2 / 2 页，共 25 条" in second.content.decode()

    # out of range or not a number: the nearest real page, never an error
    assert _listed(client.get(QUEUE, {"q": "中原", "page": 99})) == by_age[20:]
    assert _listed(client.get(QUEUE, {"q": "中原", "page": "x"})) == by_age[:20]

    everything = client.get(QUEUE)
    assert "共 28 条" in everything.content.decode()
    assert len(_listed(everything)) == 20


# ------------------------------------------------------------------ (b) queries


def _queue_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE)
    return response, len(ctx.captured_queries)


def test_queue_query_count_does_not_grow(client, authority, attachments):
    regions = ("410102", "410105", "410173", "410100")
    _rows(attachments, [(seq, {"region": regions[seq % 4]}) for seq in range(1, 11)])
    client.force_login(authority)
    client.get(QUEUE)  # warm up (session, content types)

    small, small_count = _queue_queries(client)
    assert len(_listed(small)) == 10

    _rows(attachments, [(seq, {"region": regions[seq % 4]}) for seq in range(11, 201)])
    large, large_count = _queue_queries(client)
    assert len(_listed(large)) == 20
    assert "共 200 条" in large.content.decode()

    assert small_count == large_count
    assert large_count <= 10


def test_detail_query_count_does_not_depend_on_history(client, authority, attachments):
    """The history table is one query, whatever its length."""
    code = make_uscc("410102", 500)
    previous = None
    for seq in range(1, 7):
        row = _row(attachments, seq, credit_code=code, status=ReviewStatus.RETURNED)
        row.return_reason = f"第{seq}次退回原因"
        row.previous = previous
        row.save()
        previous = row
    (alone,) = _rows(attachments, [(7, {})])
    client.force_login(authority)
    client.get(_detail(previous.number))
    with CaptureQueriesContext(connection) as few:
        assert client.get(_detail(alone.number)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(_detail(previous.number))
    assert response.content.decode().count("次退回原因") == 6
    assert len(few.captured_queries) == len(many.captured_queries)


# ------------------------------------------------------------------ (c) detail and decisions


@pytest.fixture
def resubmitted(authority):
    """A returned first application and its resubmission (PDF certificate)."""
    code = _uscc_with_letters("410102", "MA9GW3C7")
    first = submit(application_data(credit_code=code, region="410102", phone="13912345678",
                                    name="郑州中原建工有限公司"))
    return_application(actor=authority, number=first.number, reason="营业执照照片模糊，请重新上传")
    files = {field: store_upload(actor=None, uploaded=upload(f"新{label}.png"), kind=field)
             for field, label in ENTERPRISE_DOCUMENTS.items()}
    files["certificate"] = store_upload(actor=None, uploaded=upload("营业执照.pdf"), kind="certificate")
    data = application_data(credit_code=code, region="410102", phone="13912345678",
                            name="郑州中原建设工程有限公司", attachments=files)
    data.certificate_valid_until = date(2031, 3, 15)
    data.registered_on = date(2012, 8, 20)
    data.unit_type = "labour"
    data.admin_name = "王五"
    second = submit(data, previous_number=first.number)
    return first, second


def test_detail_shows_fields_attachments_and_history(client, authority, resubmitted):
    first, second = resubmitted
    client.force_login(authority)
    response = client.get(_detail(second.number))
    assert response.status_code == 200
    html = response.content.decode()
    submitted = timezone.localtime(second.submitted_at).strftime("%Y-%m-%d %H:%M")
    for text in (second.number, "郑州中原建设工程有限公司", "劳务企业", second.credit_code,
                 "2031-03-15", "2012-08-20", "410102（河南省 郑州市 中原区）", "王五",
                 "13912345678", submitted, "待审核"):
        assert text in html, text
    for field, label in ENTERPRISE_DOCUMENTS.items():
        att = getattr(second, field)
        url = f"/files/{att.pk}/"
        assert label in html
        assert att.original_name in html
        assert f'href="{url}?download=1"' in html
        if field == "certificate":
            assert f'<iframe src="{url}"' in html
            assert f'<img src="{url}thumb/"' not in html
        else:  # an image: its thumbnail, linking to the full file
            assert f'<a class="thumb" href="{url}"' in html
            assert f'<img src="{url}thumb/"' in html
            assert f'<img src="{url}"' not in html
    # the earlier application of the same credit code, with its reason; not itself
    history = html.split("同一统一社会信用代码的历史申请", 1)[1]
    assert first.number in history
    assert "已退回" in history
    assert "营业执照照片模糊，请重新上传" in history
    assert second.number not in history
    # the decision forms are there
    assert 'value="approve"' in html and 'value="return"' in html


def test_detail_long_term_certificate_and_no_history(client, authority, attachments):
    (row,) = _rows(attachments, [(1, {"region": "410173"})])
    client.force_login(authority)
    html = client.get(_detail(row.number)).content.decode()
    assert "长期" in html
    assert "郑州航空港经济综合实验区" in html
    history = html.split("同一统一社会信用代码的历史申请", 1)[1].split("</div>", 1)[0]
    assert '<p class="muted">无</p>' in history


def _counts(application):
    return {
        "enterprises": Enterprise.objects.count(),
        "users": get_user_model().objects.count(),
        "approved_sms": SmsMessage.objects.filter(template=SmsTemplate.ENTERPRISE_APPROVED).count(),
        "returned_sms": SmsMessage.objects.filter(template=SmsTemplate.ENTERPRISE_RETURNED).count(),
        "decisions": AuditEvent.objects.filter(
            action__in=[Action.APPLICATION_APPROVED, Action.APPLICATION_RETURNED],
            object_id=str(application.pk)).count(),
        "application": EnterpriseApplication.objects.filter(pk=application.pk).values(
            "status", "reviewer", "reviewed_at", "return_reason").get(),
    }


def test_approve_through_the_view(client, authority, resubmitted,
                                  django_capture_on_commit_callbacks):
    _first, application = resubmitted
    client.force_login(authority)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail(application.number), {"decision": "approve"},
                               REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == QUEUE

    application.refresh_from_db()
    assert application.status == ReviewStatus.APPROVED
    assert application.reviewer == authority
    assert application.reviewed_at is not None
    enterprise = Enterprise.objects.get(credit_code=application.credit_code)
    assert (enterprise.name, enterprise.region_code, enterprise.admin_phone) == (
        "郑州中原建设工程有限公司", "410102", "13912345678")
    assert enterprise.certificate_id == application.certificate_id
    user = get_user_model().objects.get(username=application.credit_code)
    assert user.kind == AccountKind.ENTERPRISE
    assert user.enterprise == enterprise
    assert user.must_change_password
    message = SmsMessage.objects.get(phone="13912345678", template=SmsTemplate.ENTERPRISE_APPROVED)
    assert message.status == SmsStatus.SENT
    assert application.credit_code in message.text
    assert user.check_password(password_from_sms(message.text))
    event = AuditEvent.objects.get(action=Action.APPLICATION_APPROVED, object_id=str(application.pk))
    assert event.actor == authority
    assert event.ip == "10.1.2.3"

    queue = client.get(QUEUE).content.decode()
    assert "已通过 郑州中原建设工程有限公司 的企业账号认证" in queue
    assert application.number not in queue
    # the decided application no longer offers the decision forms
    detail = client.get(_detail(application.number)).content.decode()
    assert "已通过" in detail
    assert 'value="approve"' not in detail and 'value="return"' not in detail


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_return_without_reason_changes_nothing(client, authority, resubmitted, reason):
    _first, application = resubmitted
    before = _counts(application)
    client.force_login(authority)
    response = client.post(_detail(application.number), {"decision": "return", "reason": reason})
    assert response.status_code == 200
    assert "请填写退回原因" in response.content.decode()
    assert _counts(application) == before
    assert before["application"]["status"] == ReviewStatus.SUBMITTED


def test_return_with_too_long_reason_changes_nothing(client, authority, resubmitted):
    _first, application = resubmitted
    before = _counts(application)
    client.force_login(authority)
    response = client.post(_detail(application.number), {"decision": "return", "reason": "字" * 201})
    assert response.status_code == 200
    assert re.search(r'<p class="error" id="id_reason_error">[^<]*200[^<]*</p>', response.content.decode())
    assert _counts(application) == before


def test_return_with_reason_through_the_view(client, authority, resubmitted,
                                             django_capture_on_commit_callbacks):
    _first, application = resubmitted
    reason = "授权书未加盖单位公章，请盖章后重新上传"
    client.force_login(authority)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail(application.number),
                               {"decision": "return", "reason": f"  {reason}  "})
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    application.refresh_from_db()
    assert application.status == ReviewStatus.RETURNED
    assert application.return_reason == reason
    assert application.reviewer == authority
    assert not Enterprise.objects.filter(credit_code=application.credit_code).exists()
    assert not get_user_model().objects.filter(username=application.credit_code).exists()
    message = SmsMessage.objects.filter(phone="13912345678",
                                        template=SmsTemplate.ENTERPRISE_RETURNED).latest("id")
    assert reason in message.text
    assert application.number in message.text
    assert message.status == SmsStatus.SENT
    assert AuditEvent.objects.get(action=Action.APPLICATION_RETURNED,
                                  object_id=str(application.pk)).actor == authority
    assert "已退回 郑州中原建设工程有限公司 的企业账号认证" in client.get(QUEUE).content.decode()


@pytest.mark.parametrize(("first", "second", "shown"), [
    ("approve", "approve", "该申请已通过，不能重复审核"),
    ("approve", "return", "该申请已通过，不能重复审核"),
    ("return", "approve", "该申请已退回，不能重复审核"),
    ("return", "return", "该申请已退回，不能重复审核"),
])
def test_second_decision_is_refused(client, authority, resubmitted, first, second, shown):
    _first, application = resubmitted
    client.force_login(authority)
    url = _detail(application.number)
    assert client.post(url, {"decision": first, "reason": "资料不全"}).status_code == 302
    before = _counts(application)

    response = client.post(url, {"decision": second, "reason": "另一个原因"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert shown in html
    assert "另一个原因" not in html
    assert _counts(application) == before


def test_unknown_decision_changes_nothing(client, authority, resubmitted):
    _first, application = resubmitted
    before = _counts(application)
    client.force_login(authority)
    response = client.post(_detail(application.number), {"decision": "delete"})
    assert response.status_code == 200
    assert _counts(application) == before
