"""The S3-compatible storage path (issue 10 §1) against a real S3 server started for
the test (moto in server mode): uploads land private, downloads go through the
platform's permission check, and no bucket URL reaches a page."""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from labour.enterprises.choices import ENTERPRISE_DOCUMENTS
from labour.testing import application_data, png_bytes, submit

from .servers import free_port

pytestmark = pytest.mark.django_db

BUCKET = "labour-private-test"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret",
        "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the S3 server (moto) did not start")
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, settings):
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, **KEYS)
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    # the settings config/settings.py builds from S3_* variables
    storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
        "access_key": KEYS["aws_access_key_id"], "secret_key": KEYS["aws_secret_access_key"],
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False}}
    settings.STORAGES = {**settings.STORAGES, "default": storage, "private": storage}
    return client


def test_the_settings_build_this_storage_from_the_environment(monkeypatch):
    import importlib

    import config.settings as module

    monkeypatch.setenv("S3_BUCKET", BUCKET)
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:9")
    try:
        options = importlib.reload(module).STORAGES["private"]
        assert options["BACKEND"] == "storages.backends.s3.S3Storage"
        assert options["OPTIONS"]["default_acl"] == "private"
        assert options["OPTIONS"]["bucket_name"] == BUCKET
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_uploads_land_private_and_are_served_only_through_the_app(s3, s3_endpoint, client,
                                                                  authority, other_authority):
    application = submit(application_data(region="410102", seq=71, phone="13800000071"))
    attachments = [getattr(application, field) for field in ENTERPRISE_DOCUMENTS]
    for attachment in attachments:
        key = attachment.file.name
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ContentLength"] == attachment.size
        grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
        assert all(g["Grantee"]["Type"] == "CanonicalUser" for g in grants)
        # the object's address, asked without a signature: refused by the S3 server
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/{key}", timeout=5)  # noqa: S310
        assert refused.value.code == 403

    # control: the same server does serve an object that is public (so the 403 means private)
    s3.put_object(Bucket=BUCKET, Key="control/public.txt", Body=b"public", ACL="public-read")
    assert urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/control/public.txt",  # noqa: S310
                                  timeout=5).read() == b"public"

    first = attachments[0]
    url = f"/files/{first.pk}/"
    assert client.get(url)["Location"].startswith("/?next=")  # anonymous: log in first
    client.force_login(other_authority)  # another jurisdiction
    assert client.get(url).status_code == 404
    client.force_login(authority)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()

    page = client.get(f"/certification/review/{application.number}/")
    html = page.content.decode()
    assert page.status_code == 200 and url in html
    for leak in (s3_endpoint, "127.0.0.1:", BUCKET, "X-Amz-", "AWSAccessKeyId", first.file.name):
        assert leak not in html
