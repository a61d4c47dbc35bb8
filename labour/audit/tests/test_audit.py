from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from labour.audit.models import Action, AuditEvent
from labour.audit.services import Scope, model_update, record
from labour.factories import (
    AuditEventFactory,
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseFactory,
    ProjectFactory,
    ProjectInformationFactory,
)

pytestmark = pytest.mark.django_db


def test_events_are_append_only():
    event = record(action=Action.LOGIN_FAILURE, actor=None, ip="10.1.1.1", username="x")
    event.detail = {"changed": True}
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.get().detail == {"username": "x"}


def test_event_records_time_actor_ip_action_object(authority, rf):
    request = rf.get("/", REMOTE_ADDR="10.2.3.4")
    event = record(action=Action.LOGIN_SUCCESS, actor=authority, request=request, obj=authority)
    assert event.at and event.actor == authority and event.actor_label == "zz_reviewer"
    assert event.ip == "10.2.3.4" and event.object_type == "accounts.User"
    assert event.object_id == str(authority.pk)


def test_forwarded_for_is_trusted_only_behind_a_configured_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.9")
    assert record(action=Action.LOGOUT, actor=None, request=request).ip == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert record(action=Action.LOGOUT, actor=None, request=request).ip == "10.9.9.9"


def test_operators_see_the_log_read_only_in_chinese(client):
    admin = get_user_model().objects.create_superuser("ops", password="Ops12345")
    record(action=Action.LOGIN_FAILURE, actor=None, ip="10.1.1.1")
    client.force_login(admin)
    listing = client.get("/ops/audit/auditevent/")
    html = listing.content.decode()
    assert listing.status_code == 200 and "审计事件" in html and "登录失败" in html
    event = AuditEvent.objects.get()
    assert client.get("/ops/audit/auditevent/add/").status_code == 403
    detail = client.get(f"/ops/audit/auditevent/{event.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/ops/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.count() == 1


# ------------------------------------------------------------------ scope, changes, 操作日志

def test_an_event_takes_its_scope_from_the_object_then_the_actor():
    gc = EnterpriseAccountFactory(enterprise=EnterpriseFactory(region_code="410105"))
    project = ProjectFactory(region_code="410102")
    event = record(action=Action.PROJECT_INFO_SAVED, actor=gc, obj=project)
    # the project's region and id; the enterprise of the account that acted
    assert (event.region_code, event.project_id, event.enterprise_id) == (
        "410102", project.pk, gc.enterprise_id)
    login = record(action=Action.LOGIN_SUCCESS, actor=gc, obj=gc)
    assert (login.region_code, login.enterprise_id, login.project_id) == (
        "410105", gc.enterprise_id, None)
    explicit = record(action=Action.LOGOUT, actor=None, scope=Scope(region_code="410302"))
    assert explicit.region_code == "410302" and explicit.enterprise_id is None


def test_changes_are_kept_old_and_new_with_personal_numbers_masked():
    info = ProjectInformationFactory(manager_phone="13911110000", manager_name="李经理")
    changes = model_update(info, {"manager_phone": "13833334444", "manager_name": "李经理",
                                  "wage_account_no": "6222020200001234567"})
    info.refresh_from_db()
    assert info.manager_phone == "13833334444"  # saved
    assert set(changes) == {"manager_phone", "wage_account_no"}  # only what differed
    event = record(action=Action.PROJECT_INFO_SAVED, actor=None, obj=info.project,
                   changes=changes, admin_phone="13812345678", new_password="Secret123")
    assert event.changes == {"manager_phone": ["139****0000", "138****4444"],
                             "wage_account_no": ["****0001", "****4567"]}
    assert event.detail == {"admin_phone": "138****5678", "new_password": "******"}
    assert "13833334444" not in str(event.changes) + str(event.detail)


def test_the_log_page_shows_the_own_jurisdiction_filtered_and_paged(client):
    city = AuthorityFactory(region_code="410100")
    mine = EnterpriseFactory(region_code="410102")
    other = EnterpriseFactory(region_code="410302")
    old = timezone.now() - timedelta(days=10)
    for i in range(55):
        AuditEventFactory(region_code="410102", enterprise=mine, action=Action.LOGIN_SUCCESS,
                          actor_label=f"user{i % 2}", object_id=f"obj{i}")
    AuditEventFactory(region_code="410302", enterprise=other, action=Action.LOGIN_SUCCESS,
                      object_id="luoyang-event")
    AuditEvent.objects.filter(object_id="obj0").update(at=old)
    client.force_login(city)
    page = client.get("/audit/").content.decode()
    assert "操作日志" in page and "第 1 / 2 页，共 55 条" in page and "luoyang-event" not in page
    assert "obj54" in page and "obj0" not in page  # newest first, 50 a page
    filtered = client.get("/audit/", {"actor": "user1", "action": Action.LOGIN_SUCCESS}).content.decode()
    assert "共 27 条" in filtered
    by_object = client.get("/audit/", {"object_ref": "obj0"}).content.decode()
    assert "共 1 条" in by_object
    dated = client.get("/audit/", {"since": (timezone.localdate() - timedelta(days=11)).isoformat(),
                                   "until": (timezone.localdate() - timedelta(days=9)).isoformat()})
    assert "共 1 条" in dated.content.decode()
    wrong = client.get("/audit/", {"since": "2026-12-05", "until": "2026-12-01"}).content.decode()
    assert "结束日期不能早于开始日期" in wrong
    assert client.get("/audit/luoyang-event/").status_code == 404


def test_an_enterprise_reads_its_own_log_only(client):
    account = EnterpriseAccountFactory()
    AuditEventFactory(region_code="410102", enterprise=account.enterprise, object_id="mine")
    AuditEventFactory(region_code="410102", enterprise=EnterpriseFactory(), object_id="theirs")
    client.force_login(account)
    page = client.get("/audit/").content.decode()
    assert "mine" in page and "theirs" not in page
    client.logout()
    assert client.get("/audit/")["Location"].startswith("/?next=%2Faudit%2F")
