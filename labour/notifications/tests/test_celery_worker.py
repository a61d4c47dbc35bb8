"""Production path: the SMS goes through Redis to a real Celery worker process."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from labour.notifications import services
from labour.notifications.choices import SmsStatus
from labour.notifications.models import SmsMessage

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def celery_worker_process(settings):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): a worker process "
                    "must share the test database and the broker")
    from config.celery import app

    broker = os.environ["REDIS_URL"]
    queue = f"labour-test-{uuid.uuid4().hex[:12]}"  # no other run can take these tasks
    db = connection.settings_dict
    database_url = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                    f"/{db['NAME']}")
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker,
           "CELERY_TASK_ALWAYS_EAGER": "0", "SMS_BACKEND": "outbox"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "--loglevel=warning", "--without-gossip", "--without-mingle",
         "-Q", queue],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    old = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    _reset_connections(app)  # eager calls earlier in this process cached a producer pool
    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield worker
    finally:
        _reset_connections(app)
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = old
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def _reset_connections(app):
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sms_is_sent_by_a_celery_worker_through_redis(celery_worker_process, capsys):
    message = services.queue_sms(phone="13800000000", template="enterprise_returned",
                                 params={"name": "某公司", "number": "QY1", "reason": "不清晰"})
    deadline = time.monotonic() + 60
    status = None
    while time.monotonic() < deadline:
        status = SmsMessage.objects.get(pk=message.pk).status
        if status == SmsStatus.SENT:
            break
        if celery_worker_process.poll() is not None:
            pytest.fail("worker exited: " + celery_worker_process.stdout.read())
        time.sleep(0.3)
    assert status == SmsStatus.SENT
    assert "[短信]" not in capsys.readouterr().out  # not sent inline by this process
    celery_worker_process.terminate()
    output, _ = celery_worker_process.communicate(timeout=15)
    assert "[短信] 13800000000: 【郑州市建设劳务服务平台】" in output
