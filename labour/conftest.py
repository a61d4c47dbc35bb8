import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: its own private storage, an empty cache, inline SMS, fast hashing.
    With REDIS_URL the cache is the real Redis (flushed); otherwise local memory
    (the database cache is tested on its own in the rate-limit tests)."""
    private = {"BACKEND": "labour.attachments.storage.PrivateFileSystemStorage",
               "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}
    settings.STORAGES = {
        **settings.STORAGES, "default": private, "private": private,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": f"test-{tmp_path.name}"}}
    settings.SMS_BACKEND = "outbox"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def authority(db):
    from labour.accounts.services import save_authority_user

    user, _ = save_authority_user(actor=None, username="zz_reviewer", region_code="410100",
                                  name="郑州市城乡建设局", password="Review2026")
    return user


@pytest.fixture
def other_authority(db):
    from labour.accounts.services import save_authority_user

    user, _ = save_authority_user(actor=None, username="ly_reviewer", region_code="410300",
                                  name="洛阳市住房和城乡建设局", password="Review2026")
    return user


@pytest.fixture
def setup(authority):
    """A project with a certified general contractor and owner (see labour.testing)."""
    from labour.testing import project_setup

    return project_setup(authority)
