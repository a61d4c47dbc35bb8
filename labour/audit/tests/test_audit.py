import pytest
from django.contrib.auth import get_user_model

from labour.audit.models import Action, AuditEvent
from labour.audit.services import record

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
