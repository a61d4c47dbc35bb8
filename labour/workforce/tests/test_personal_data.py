"""Personal data at rest (issue 8, Rules; PIPL §28): a raw read of every table finds
no readable ID, card or worker phone number, after every path that writes them
(the form, the import, the audit log, an export, 查看完整信息); keys rotate; the
platform refuses to start in production without its keys."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook

from labour.workforce import crypto, exporting, importing, services
from labour.workforce.models import Person, WageCard
from labour.workforce.selectors import RosterFilter

from .helpers import add, id_number
from .sheets import good_row, workbook_bytes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _every_value():
    """Every cell of every table, as text (a raw SQL read, past the ORM)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                found.extend(bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                             for v in row if v is not None)
    return "\n".join(found)


def test_no_table_holds_a_readable_id_card_or_phone_number(world, client):
    by_hand = add(world, seq=1)
    services.save_wage_card(actor=world["users"]["lab"], code=world["project"].code, worker_id=by_hand.pk,
                            data={"bank": "中原银行", "branch_name": "中原银行郑州分行",
                                  "card_number": "6231234567890123456"})
    services.update_worker(actor=world["users"]["lab"], code=world["project"].code, worker_id=by_hand.pk,
                           person={"name": "王五", "nation": "汉", "grant_org": "郑州市公安局",
                                   "id_valid_from": "2020-01-01", "id_long_term": True,
                                   "address": "郑州", "phone": "13900001234", "politics_type": "13",
                                   "culture_level": "02", "urgent_contact_phone": "13700005678"},
                           project_part={"work_role": "20", "work_type": "020"}, team_id=by_hand.team_id)
    imported_number = id_number(2)
    job = importing.start_import(actor=world["users"]["lab"], code=world["project"].code,
                                 upload=SimpleUploadedFile("a.xlsx", workbook_bytes([good_row(
                                     imported_number, "导入人", phone="13511112222", bank="中国银行",
                                     branch_name="中国银行郑州分行", card_number="6216600000000099")])))
    importing.schedule(job, "check")
    importing.schedule(importing.confirm_import(actor=world["users"]["lab"], code=world["project"].code,
                                                job_id=job.pk), "import")
    client.force_login(world["users"]["lab"])
    client.post(f"/workforce/roster/{world['project'].code}/workers/{by_hand.pk}/reveal/")
    exporting.export_roster(actor=world["users"]["lab"], code=world["project"].code, filters=RosterFilter())
    # a search by the full number leaves no trace of it either
    client.get(f"/workforce/roster/{world['project'].code}/", {"q": imported_number})

    assert Person.objects.count() == 2 and WageCard.objects.count() == 2
    secrets = [id_number(1), imported_number, "6231234567890123456", "6216600000000099",
               "13900001234", "13700005678", "13511112222", "15900000001"]
    everything = _every_value()
    for secret in secrets:
        assert secret not in everything, secret
    assert id_number(1)[:6] + "********" + id_number(1)[-4:] in everything  # audit: masked


def test_export_has_text_numbers_full_for_the_owner_and_masked_for_the_contractor(world):
    worker = add(world, seq=3)
    number = worker.person.id_number

    def rows(actor):
        data, name = exporting.export_roster(actor=world["users"][actor], code=world["project"].code,
                                             filters=RosterFilter())
        sheet = load_workbook(io.BytesIO(data)).active
        header = [c.value for c in sheet[1]]
        row = {h: c for h, c in zip(header, sheet[2], strict=True)}
        return name, row

    name, own = rows("lab_project")
    assert name.endswith(".xlsx") and own["证件号码"].value == number
    assert own["证件号码"].data_type == "s" and own["证件号码"].number_format == "@"
    assert own["手机号"].value == worker.person.phone
    _name, other = rows("gc")
    assert other["证件号码"].value == f"{number[:6]}********{number[-4:]}"
    assert other["手机号"].value.count("*") == 4


def test_keys_rotate_new_writes_first_key_reads_all(world, settings):
    worker = add(world, seq=4)
    old_token = Person.objects.get(pk=worker.person_id).id_number_token
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    person = Person.objects.get(pk=worker.person_id)
    assert person.id_number == id_number(4)  # the old key still reads
    call_command("rotate_field_keys", stdout=io.StringIO())
    person = Person.objects.get(pk=worker.person_id)
    assert person.id_number_token != old_token
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key dropped
    assert Person.objects.get(pk=worker.person_id).id_number == id_number(4)
    assert Fernet(new_key.encode()).decrypt(person.id_number_token.encode()).decode() == id_number(4)


def test_the_lookup_hash_has_its_own_key(settings):
    digest = crypto.lookup_hash("410102198506010011", purpose="id_number")
    assert len(digest) == 64 and "410102" not in digest
    assert digest != crypto.lookup_hash("410102198506010011", purpose="card_number")
    settings.LOOKUP_HMAC_KEY = "another-key"
    assert crypto.lookup_hash("410102198506010011", purpose="id_number") != digest


def test_production_refuses_to_start_without_the_keys(tmp_path):
    from config.serve import read_env_file

    base = {k: v for k, v in os.environ.items()
            if k not in ("FIELD_ENCRYPTION_KEYS", "LOOKUP_HMAC_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE",
                         "DATABASE_URL", "REDIS_URL") and not k.startswith(("DJANGO_", "SMS_"))}
    env = {**base, **read_env_file(ROOT / ".env.example"), "DJANGO_SECRET_KEY": "x7!kq2" * 10 + "Zq9#pL",
           "STATIC_ROOT": str(tmp_path / "static"), "REDIS_URL": "",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    assert env["DJANGO_PRODUCTION"] == "1" and env["FIELD_ENCRYPTION_KEYS"] == ""
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in result.stderr
    assert "拒绝启动" in result.stderr
