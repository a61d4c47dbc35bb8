"""The roster pages as a user walks them: 新增人员 in two steps with the photo,
masking everywhere, 查看完整信息, filters and search, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labour.audit.models import Action, AuditEvent
from labour.factories import ProjectWorkerFactory, TeamFactory, WageCardFactory
from labour.testing import jpeg_bytes, pdf_bytes, upload
from labour.workforce.models import Person, ProjectWorker

from .helpers import TODAY, add, contract_for, id_number

pytestmark = pytest.mark.django_db


def _login(client, world, actor):
    client.force_login(world["users"][actor])
    return client


def _step2(world, number, **extra):
    data = {
        "step": "2", "name": "孙九", "id_type": "01", "id_number": number,
        "nation": "回", "grant_org": "郑州市公安局", "id_valid_from": "2019-05-01",
        "id_valid_until": "", "id_long_term": "on", "address": "郑州市金水区某路2号",
        "phone": "13811112222", "politics_type": "13", "culture_level": "03",
        "urgent_contact_name": "", "urgent_contact_phone": "",
        "team": str(world["lab_team"].pk), "work_role": "20", "work_type": "010",
        "safety_training_date": (TODAY - dt.timedelta(days=2)).isoformat(),
    }
    data.update(extra)
    return data


def test_new_worker_in_two_steps_keeps_the_photo_of_a_refused_form(client, world):
    client = _login(client, world, "lab_project")
    url = f"/workforce/roster/{world['project'].code}/workers/new/"
    number = id_number(77)
    page = client.post(url, {"step": "1", "name": "孙九", "id_type": "01", "id_number": number[:-1] + "0"
                             if number[-1] != "0" else number[:-1] + "1"}).content.decode()
    assert "校验位不正确" in page
    page = client.post(url, {"step": "1", "name": "孙九", "id_type": "01",
                             "id_number": number}).content.decode()
    assert "人员信息" in page and "本项目信息" in page and 'name="photo"' in page
    assert 'name="gender"' not in page  # from the number
    # a wrong phone: refused, the accepted photo is kept
    photo = upload("本人.jpg", jpeg_bytes((640, 800)))
    page = client.post(url, {**_step2(world, number, phone="12345"), "photo": photo}).content.decode()
    assert "请输入正确的11位手机号" in page and "已上传：本人.jpg" in page
    kept = page.split('name="photo_kept" value="')[1].split('"')[0]
    response = client.post(url, {**_step2(world, number), "photo_kept": kept})
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.nation == "回" and person.id_valid_until is None and str(person.photo_id) == kept
    assert person.head_image.size <= 50 * 1024


def test_a_pdf_is_not_a_photo(client, world):
    client = _login(client, world, "lab")
    url = f"/workforce/roster/{world['project'].code}/workers/new/"
    number = id_number(78)
    page = client.post(url, {**_step2(world, number),
                             "photo": upload("照片.pdf", pdf_bytes())}).content.decode()
    assert "本人照片须为JPG或PNG图片" in page and not ProjectWorker.objects.exists()


def test_pages_mask_numbers_and_reveal_shows_them_to_the_owner_only(client, world):
    worker = add(world, seq=5)
    card = WageCardFactory(worker=worker, card_number="6222020200112233445")
    number, phone = worker.person.id_number, worker.person.phone
    code = world["project"].code
    for actor in ("lab_project", "gc", "city"):
        c = _login(client, world, actor)
        for url in (f"/workforce/roster/{code}/", f"/workforce/roster/{code}/workers/{worker.pk}/",
                    f"/workforce/teams/{code}/"):
            body = c.get(url).content.decode()
            assert number not in body and phone not in body and card.card_number not in body
        body = c.get(f"/workforce/roster/{code}/").content.decode()
        assert f"{number[:6]}********{number[-4:]}" in body and "****3445" in body
        assert f"{phone[:3]}****{phone[-4:]}" in body
    c = _login(client, world, "lab_project")
    body = c.post(f"/workforce/roster/{code}/workers/{worker.pk}/reveal/").content.decode()
    assert number in body and phone in body and "6222020200112233445" in body
    assert AuditEvent.objects.filter(action=Action.WORKER_REVEALED).count() == 1
    c = _login(client, world, "gc")
    assert c.post(f"/workforce/roster/{code}/workers/{worker.pk}/reveal/").status_code == 404
    page = c.get(f"/workforce/roster/{code}/workers/{worker.pk}/").content.decode()
    assert "/reveal/" not in page and "/edit/" not in page and "/entry/" not in page


def test_filters_and_search(client, world):
    a = add(world, seq=1, name="张三")
    b = add(world, seq=2, name="李四", work_type="030")
    contract_for(world, b)
    from labour.workforce import services
    services.record_entry(actor=world["users"]["lab"], code=world["project"].code, worker_id=b.pk,
                          date=TODAY)
    gc_worker = ProjectWorkerFactory(participant=world["gc_part"], team=world["gc_team"])
    c = _login(client, world, "gc")
    url = f"/workforce/roster/{world['project'].code}/"

    def names(**query):
        body = c.get(url, query).content.decode()
        table = body.split('id="roster"')[1].split("</table>")[0]
        return {n for n in ("张三", "李四", gc_worker.person.name) if f">{n}<" in table}

    assert names() == {"张三", "李四", gc_worker.person.name}
    assert names(unit=world["lab_part"].pk) == {"张三", "李四"}
    assert names(work_type="030") == {"李四"}
    assert names(status="on_site") == {"李四"}
    assert names(status="registered", unit=world["lab_part"].pk) == {"张三"}
    assert names(q="张") == {"张三"}
    assert names(q=a.person.id_number) == {"张三"}
    assert names(q=a.person.id_number.lower()[:-2]) == set()  # only the full number finds
    assert names(team=world["gc_team"].pk) == {gc_worker.person.name}
    # the labour subcontractor reads only its own roster
    c = _login(client, world, "lab_project")
    assert names() == {"张三", "李四"}


def test_roster_query_count_does_not_grow_with_the_rows(client, world):
    c = _login(client, world, "gc")
    url = f"/workforce/roster/{world['project'].code}/"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        WageCardFactory(worker=ProjectWorkerFactory(participant=world["lab_part"], team=world["lab_team"]))
    queries()  # the session's first request also writes the session
    few = queries()
    team = TeamFactory(participant=world["lab_part"])
    for _ in range(25):
        WageCardFactory(worker=ProjectWorkerFactory(participant=world["lab_part"], team=team))
    assert queries() == few


def test_overview_lists_the_enterprises_workers_across_projects(client, world):
    add(world, seq=1, name="张三")
    far_team = TeamFactory(participant=world["far_part"])
    ProjectWorkerFactory(participant=world["far_part"], team=far_team, person__name="洛阳工人")
    c = _login(client, world, "lab")
    body = c.get("/workforce/overview/").content.decode()
    assert "张三" in body and "洛阳工人" not in body
    c = _login(client, world, "far")
    body = c.get("/workforce/overview/").content.decode()
    assert "洛阳工人" in body and "张三" not in body


def test_event_form_refuses_a_future_date_next_to_the_field(client, world):
    worker = add(world, seq=9)
    contract_for(world, worker)
    c = _login(client, world, "lab_project")
    url = f"/workforce/roster/{world['project'].code}/workers/{worker.pk}/entry/"
    body = c.post(url, {"date": (TODAY + dt.timedelta(days=1)).isoformat()}).content.decode()
    assert "进场日期不能晚于今天" in body
    assert c.post(url, {"date": TODAY.isoformat()}).status_code == 302
    worker.refresh_from_db()
    assert worker.status == "on_site"


def test_contract_template_is_a_docx(client, world):
    c = _login(client, world, "lab_project")
    response = c.get("/workforce/contract-template/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
