"""One settings module, configured by environment variables (see .env.example)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def refuse(message):
    """Stop at start with a message no operator can miss (settings are read by every
    command and by each application server process before it serves anything)."""
    sys.stderr.write(f"\n*** 拒绝启动 / refusing to start: {message}\n\n")
    raise ImproperlyConfigured(message)


DEBUG = env_bool("DJANGO_DEBUG", False)
# Production hardening (HTTPS only, secure cookies, HSTS, a real secret key).
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
# The repository's development key, and the placeholder of .env.example: public.
DEV_SECRET_KEYS = {
    "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
    "change-me-to-a-long-random-string",
}
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        refuse("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
elif PRODUCTION and SECRET_KEY in DEV_SECRET_KEYS:
    refuse("DJANGO_SECRET_KEY is the repository's public development key: generate one, e.g. "
           "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}
_non_local = [h for h in ALLOWED_HOSTS if h not in LOCAL_HOSTS and not h.endswith(".localhost")]
if _non_local and not PRODUCTION:
    if env_bool("DJANGO_INSECURE_OUTSIDE_LOCALHOST", False):
        sys.stderr.write(f"\n*** 警告 / WARNING: serving {', '.join(_non_local)} without "
                         "DJANGO_PRODUCTION=1: no HTTPS-only cookies, no HSTS. Never do this "
                         "with real data.\n\n")
    else:
        refuse(f"DJANGO_ALLOWED_HOSTS names {', '.join(_non_local)} but DJANGO_PRODUCTION is not "
               "set: set DJANGO_PRODUCTION=1 (or, for a throwaway demo on a closed network, "
               "DJANGO_INSECURE_OUTSIDE_LOCALHOST=1)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "labour.core",
    "labour.audit",
    "labour.reviews",
    "labour.accounts",
    "labour.notifications",
    "labour.attachments",
    "labour.enterprises",
    "labour.certification",
    "labour.projects",
    "labour.workforce",
    "labour.payroll",
    "labour.arrears",
]

MIDDLEWARE = [
    "labour.core.middleware.RequestContextMiddleware",
    "labour.core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "labour.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "labour.core.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "labour.core.middleware.RejectNulFormFieldsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "labour.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "labour.core.context_processors.platform",
            ],
            # {% url %} and |date, quicker for a list's rows, same output (quick.py)
            "builtins": ["labour.core.templatetags.quick"],
        },
    },
]
# widgets rendered in Python: the same HTML without a template per widget and per <option>
FORM_RENDERER = "labour.core.form_renderer.FastRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Optional read replica: only code inside labour.core.db.read_from_replica() reads
# from it (reports, exports); every write and every other read stays on the primary.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["labour.core.db.PrimaryReplicaRouter"]

REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "labour.core.cache.RedisCache",  # one redis client per pool, not per call
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "labour"),
        },
    }
else:
    # A database cache is shared by every process on the same database, so the
    # rate limits hold even with several development servers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "labour_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
# ModelBackend, loading an account's enterprise with it (one query per page, not two)
AUTHENTICATION_BACKENDS = ["labour.accounts.backends.AccountBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# seed 2.7: 密码长度6-20位,数字、字母的组合
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 6)
PASSWORD_MAX_LENGTH = env_int("PASSWORD_MAX_LENGTH", 20)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "labour.accounts.passwords.SeedPasswordValidator"},
]
LOGIN_URL = "/"
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 30)
# failed logins one address may make per hour, across all accounts
LOGIN_IP_HOURLY_FAILURES = env_int("LOGIN_IP_HOURLY_FAILURES", 30)

# Idle timeout: a session ends SESSION_IDLE_MINUTES after its last save, and
# SessionIdleMiddleware saves it again at most once per SESSION_REFRESH_SECONDS of
# activity (not on every request: that was one database write per page).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
# With Redis, sessions live there (no database write at login or refresh); else in
# the database. SESSION_STORE=db keeps them in the database even with Redis.
if REDIS_URL and env("SESSION_STORE", "cache") == "cache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# one date format everywhere: 2026-12-05, 2026-12-05 14:30 (labour/core/formats)
FORMAT_MODULE_PATH = ["labour.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploaded files live in private storage: no MEDIA_URL, never served publicly.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
if env("S3_BUCKET"):
    _files_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _files_storage = {
        "BACKEND": "labour.attachments.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _files_storage,
    "private": _files_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
# uploads of forms not sent yet that one address may leave per hour (a refused form
# keeps its files; this bounds what anonymous senders can store)
UPLOAD_DRAFTS_PER_IP_HOUR = env_int("UPLOAD_DRAFTS_PER_IP_HOUR", 40)
# the orphan-file sweep deletes files no row names once they are this old (far longer
# than any transaction: a file whose row is being committed is never taken)
ORPHAN_FILE_GRACE_HOURS = env_int("ORPHAN_FILE_GRACE_HOURS", 24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# SMS
SMS_SIGNATURE = "【郑州市建设劳务服务平台】"
SMS_BACKEND = env("SMS_BACKEND", "outbox")  # outbox | aliyun
if PRODUCTION and SMS_BACKEND == "outbox":
    refuse("SMS_BACKEND=outbox in production: no SMS would reach anyone, and the outbox keeps "
           "codes and passwords. Set SMS_BACKEND=aliyun and its ALIYUN_SMS_* variables")
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 6)
SMS_RETRY_BASE_SECONDS = env_int("SMS_RETRY_BASE_SECONDS", 30)
# a gateway call gives up after this long (then the message is retried later)
SMS_GATEWAY_TIMEOUT_SECONDS = float(env("SMS_GATEWAY_TIMEOUT_SECONDS", "5"))
ALIYUN_SMS = {
    "ACCESS_KEY_ID": env("ALIYUN_SMS_ACCESS_KEY_ID", ""),
    "ACCESS_KEY_SECRET": env("ALIYUN_SMS_ACCESS_KEY_SECRET", ""),
    "ENDPOINT": env("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"),
    "SIGN_NAME": env("ALIYUN_SMS_SIGN_NAME", "郑州市建设劳务服务平台"),
    "TEMPLATES": {
        "verify_code": env("ALIYUN_SMS_TEMPLATE_VERIFY_CODE", ""),
        "enterprise_approved": env("ALIYUN_SMS_TEMPLATE_ENTERPRISE_APPROVED", ""),
        "enterprise_returned": env("ALIYUN_SMS_TEMPLATE_ENTERPRISE_RETURNED", ""),
        "project_account_approved": env("ALIYUN_SMS_TEMPLATE_PROJECT_ACCOUNT_APPROVED", ""),
        "project_account_returned": env("ALIYUN_SMS_TEMPLATE_PROJECT_ACCOUNT_RETURNED", ""),
        "project_account_password_reset": env(
            "ALIYUN_SMS_TEMPLATE_PROJECT_ACCOUNT_PASSWORD_RESET", ""),
        "project_info_approved": env("ALIYUN_SMS_TEMPLATE_PROJECT_INFO_APPROVED", ""),
        "project_info_returned": env("ALIYUN_SMS_TEMPLATE_PROJECT_INFO_RETURNED", ""),
    },
}
VERIFY_CODE_TTL_SECONDS = env_int("VERIFY_CODE_TTL_SECONDS", 300)
VERIFY_CODE_RESEND_SECONDS = env_int("VERIFY_CODE_RESEND_SECONDS", 60)
VERIFY_CODE_MAX_TRIES = env_int("VERIFY_CODE_MAX_TRIES", 5)
VERIFY_CODE_PHONE_DAILY_LIMIT = env_int("VERIFY_CODE_PHONE_DAILY_LIMIT", 10)
VERIFY_CODE_IP_HOURLY_LIMIT = env_int("VERIFY_CODE_IP_HOURLY_LIMIT", 30)
# 项目账号认证: look-ups of a unit's projects (by name + credit code) per address per hour
UNIT_PROJECTS_PER_IP_HOUR = env_int("UNIT_PROJECTS_PER_IP_HOUR", 60)

# Celery: inline (eager) unless a broker is configured.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not env("CELERY_BROKER_URL"))
# inline tasks still pass through a producer: keep it in memory, off the network
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
# a broker that does not answer must not hold a web request
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sms-dispatch-due": {"task": "labour.notifications.tasks.dispatch_due_sms", "schedule": 60.0},
    "purge-draft-uploads": {"task": "labour.attachments.tasks.purge_draft_uploads",
                            "schedule": 6 * 3600.0},
    "sweep-orphan-files": {"task": "labour.attachments.tasks.sweep_orphan_files",
                           "schedule": 24 * 3600.0},
}

# scripts/bench_http.py starts its server with a random token: a floor view exists
# under a path containing it. Never set in normal operation.
BENCH_TOKEN = env("LABOUR_BENCH_TOKEN", "")
if BENCH_TOKEN and len(BENCH_TOKEN) < 32:
    refuse("LABOUR_BENCH_TOKEN must be at least 32 random characters (benchmark servers only)")

# 退回: common reasons a reviewer may tick besides typing one, per kind of review.
# REVIEW_RETURN_REASONS_CERTIFICATION / REVIEW_RETURN_REASONS_PROJECT_INFORMATION
# replace a list ("|" between reasons; each at most 200 characters).
def env_reasons(name, default):
    value = os.environ.get(name)
    return [r.strip() for r in value.split("|") if r.strip()] if value is not None else default


REVIEW_RETURN_REASONS = {
    "certification": env_reasons("REVIEW_RETURN_REASONS_CERTIFICATION", [
        "证书照片不清晰或不完整，请重新上传",
        "单位名称与证书不一致",
        "统一社会信用代码与证书不一致",
        "账号管理员授权书未加盖公章",
        "账号管理员授权书未按模板填写",
        "身份证照片不清晰或有遮挡，请上传横屏拍摄的清晰照片",
        "身份证姓名与账号管理员姓名不一致",
    ]),
    "project_information": env_reasons("REVIEW_RETURN_REASONS_PROJECT_INFORMATION", [
        "项目经理信息有误",
        "劳资专管员信息有误",
        "合同金额与施工合同不一致",
        "工资专用账户信息有误",
        "工资保证金金额或缴纳形式有误",
        "维权信息告示牌照片不清晰或内容不全",
        "参建单位信息有误",
    ]),
    "wage_sheet": env_reasons("REVIEW_RETURN_REASONS_WAGE_SHEET", [
        "出勤天数与考勤不符",
        "工资金额计算有误",
        "缺少在场人员的工资明细",
        "签字确认的工资支付表不清晰或缺少签字",
        "代扣项目缺少依据",
    ]),
}

# a menu badge (pending count) is counted at most once per this many seconds per user;
# the queue's own page always shows the exact count (0: count on every page)
MENU_PENDING_CACHE_SECONDS = env_int("MENU_PENDING_CACHE_SECONDS", 30)
# the rows of a list page are kept this long at most, and only until a table they were
# read from changes (labour.core.listcache; 0: render them on every request)
LIST_CACHE_SECONDS = env_int("LIST_CACHE_SECONDS", 300)
# entries one account may add a minute (searches and dates are free text: this bounds
# what one account can put in Redis to this many per minute of LIST_CACHE_SECONDS)
LIST_CACHE_STORES_PER_MINUTE = env_int("LIST_CACHE_STORES_PER_MINUTE", 60)

# Trust X-Forwarded-For only when the platform runs behind a known proxy.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# the portal's footer
PLATFORM_SPONSOR = env("PLATFORM_SPONSOR", "郑州市城乡建设局")
SERVICE_HOTLINE = env("SERVICE_HOTLINE", "12345（郑州市政务服务便民热线）")
# the city whose districts the pickers offer to applicants (注册地区编码)
PLATFORM_REGION = env("PLATFORM_REGION", "410100")

# Zhengzhou's functional zones, missing from GB/T 2260 tables.
EXTRA_REGION_CODES = {
    "410171": "郑州经济技术开发区",
    "410172": "郑州高新技术产业开发区",
    "410173": "郑州航空港经济综合实验区",
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Workforce (实名制用工): personal numbers encrypted at rest (PIPL §28)
# FIELD_ENCRYPTION_KEYS: Fernet keys, comma-separated; the first encrypts new values,
# every key is tried to read (rotation: put the new key first, run
# `manage.py rotate_field_keys`, then drop the old one). LOOKUP_HMAC_KEY keys the
# hash that finds and de-duplicates ID, card and phone numbers without decrypting.
# Production refuses to start without both; elsewhere they come from the file
# `make run` writes (var/dev-keys.json), else from random keys of this process only.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
LOOKUP_HMAC_KEY = env("LOOKUP_HMAC_KEY", "")
DEV_KEYS_FILE = BASE_DIR / "var" / "dev-keys.json"
if not FIELD_ENCRYPTION_KEYS or not LOOKUP_HMAC_KEY:
    if PRODUCTION:
        refuse("FIELD_ENCRYPTION_KEYS and LOOKUP_HMAC_KEY must be set in production (the keys of "
               "personal numbers: see .env.example)")
    import base64
    import json
    import secrets

    if DEV_KEYS_FILE.exists():
        _dev_keys = json.loads(DEV_KEYS_FILE.read_text(encoding="utf-8"))
    else:
        _dev_keys = {"FIELD_ENCRYPTION_KEYS": [base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()],
                     "LOOKUP_HMAC_KEY": secrets.token_hex(32)}
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or list(_dev_keys["FIELD_ENCRYPTION_KEYS"])
    LOOKUP_HMAC_KEY = LOOKUP_HMAC_KEY or _dev_keys["LOOKUP_HMAC_KEY"]
# May a person be 在场 on two projects at once? (default: refused, 「该人员在其他项目尚未退场」)
WORKFORCE_ALLOW_TWO_SITES = env_bool("WORKFORCE_ALLOW_TWO_SITES", False)
# age at 进场: under the minimum is refused; past the flag ages it is shown, not refused
WORKFORCE_MIN_AGE = env_int("WORKFORCE_MIN_AGE", 16)
WORKFORCE_AGE_FLAG_MALE = env_int("WORKFORCE_AGE_FLAG_MALE", 60)
WORKFORCE_AGE_FLAG_FEMALE = env_int("WORKFORCE_AGE_FLAG_FEMALE", 50)
# 批量导入: limits of one file, and the size above which it is checked as a background job
WORKFORCE_IMPORT_MAX_BYTES = env_int("WORKFORCE_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
WORKFORCE_IMPORT_MAX_ROWS = env_int("WORKFORCE_IMPORT_MAX_ROWS", 20_000)
WORKFORCE_IMPORT_BACKGROUND_BYTES = env_int("WORKFORCE_IMPORT_BACKGROUND_BYTES", 200 * 1024)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's checks come over HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # the attachment preview opts in per view
# Content-Security-Policy of every page (labour.core.middleware): every asset is local
# and no template has inline script, style attributes or on… handlers (data reaches
# scripts through json_script, code lives in static/*.js). A private file is served
# under its own policy (sandbox: a PDF or image never runs script).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-src": "'self'",
    "frame-ancestors": "'none'",
}
# 1: send it as Content-Security-Policy-Report-Only (browsers report, block nothing)
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
CSRF_FAILURE_VIEW = "labour.core.error_views.csrf_failure"

# Logs: one JSON object per line on stderr (LOG_FORMAT=text for a readable line),
# with request_id and user_id; personal numbers, codes and passwords are masked
# (labour.core.logging). Every logger goes through the root's one handler.
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "labour.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "labour.core.logging.JsonFormatter"},
        "text": {"()": "labour.core.logging.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_context"],
                    "formatter": "text" if env("LOG_FORMAT", "json") == "text" else "json"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "labour": {"level": LOG_LEVEL},
        # django.request logs every 500 with its traceback, 4xx as warnings
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "celery": {"level": "INFO"},
    },
}

# ------------------------------------------------------------------ payroll
# the workers confirm the printed 工资支付表 by signing it; its scan is uploaded before
# 「提交」 (0: a deployment that confirms by other means)
PAYROLL_SIGNED_SCAN_REQUIRED = env_bool("PAYROLL_SIGNED_SCAN_REQUIRED", True)
# 导入工资明细 (.xlsx): largest file (bytes), most rows, and the file size or the sheet's
# number of lines above which a Celery job checks and imports it (the page shows the
# progress; 「确认导入」 writes each line through save_lines)
PAYROLL_IMPORT_MAX_BYTES = env_int("PAYROLL_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
PAYROLL_IMPORT_MAX_ROWS = env_int("PAYROLL_IMPORT_MAX_ROWS", 5_000)
PAYROLL_IMPORT_BACKGROUND_BYTES = env_int("PAYROLL_IMPORT_BACKGROUND_BYTES", 200 * 1024)
PAYROLL_IMPORT_BACKGROUND_LINES = env_int("PAYROLL_IMPORT_BACKGROUND_LINES", 200)
# 约定发薪日: the day of month M+1 by which month M is paid, when the project's information
# does not name its own (条例 第十一条: pay on the agreed date; a holiday moves it earlier)
PAYROLL_DEFAULT_PAY_DAY = env_int("PAYROLL_DEFAULT_PAY_DAY", 15)
# 当地最低月工资标准 (元): a deployment setting, to be kept to the province's current
# 最低工资标准 for the city's class; shown on the 维权信息告示牌 and used by 欠薪预警
MINIMUM_MONTHLY_WAGE = env("MINIMUM_MONTHLY_WAGE", "2100.00")
# 投诉举报电话 on the 维权信息告示牌 ("|" between "名称：号码")
COMPLAINT_HOTLINES = env_reasons("COMPLAINT_HOTLINES", [
    "劳动保障监察举报投诉电话：12333",
    "郑州市政务服务便民热线：12345",
    "公共法律服务热线：12348",
])
# 工资查询 (a worker, no account): after the SMS code, the browser session may read the
# worker's own wage lines for this many minutes
WAGE_QUERY_GRANT_MINUTES = env_int("WAGE_QUERY_GRANT_MINUTES", 15)

# ------------------------------------------------------------------ 欠薪预警 (arrears)
# none is law: thresholds of the authority's warning, each a deployment setting.
# yellow when some workers 在场 in a month have no paid line after the pay day; red
# when more than this share of them have none (0.10 = 10 %)
ARREARS_UNPAID_RED_RATIO = env("ARREARS_UNPAID_RED_RATIO", "0.10")
# red when one worker's 实发 in a month is above this (wages funnelled through a team leader)
ARREARS_MAX_WORKER_MONTHLY_PAY = env("ARREARS_MAX_WORKER_MONTHLY_PAY", "50000.00")
# the minimum wage is compared with 实发 per statutory month of attendance: 月计薪天数
# (劳社部发〔2008〕3号); a line counts at most one month, a line without days one month
ARREARS_FULL_MONTH_DAYS = env("ARREARS_FULL_MONTH_DAYS", "21.75")
# the pay day moves to the last working day before it when it falls on a holiday; 1 =
# also when it falls on a weekend (工资支付暂行规定 第七条: 节假日或休息日 → 提前)
ARREARS_PAY_DAY_SKIPS_WEEKENDS = env_bool("ARREARS_PAY_DAY_SKIPS_WEEKENDS", True)
# 1: a month paid in full but after the pay day is a yellow warning (else only noted)
ARREARS_WARN_LATE_PAYMENT = env_bool("ARREARS_WARN_LATE_PAYMENT", False)
# 工资性工程款 ratio of the contract amount by 项目类别 (Zhengzhou: 20 % 建筑土建,
# 15 % 市政桥梁/排水, 10 % 安装/道路/地铁土建)
ARREARS_WAGE_RATIO_BUILDING = env("ARREARS_WAGE_RATIO_BUILDING", "0.20")
ARREARS_WAGE_RATIO_MUNICIPAL = env("ARREARS_WAGE_RATIO_MUNICIPAL", "0.15")
ARREARS_WAGE_RATIO_WATER = env("ARREARS_WAGE_RATIO_WATER", "0.15")
ARREARS_WAGE_RATIO_ROAD = env("ARREARS_WAGE_RATIO_ROAD", "0.10")
ARREARS_WAGE_RATIO_RAIL = env("ARREARS_WAGE_RATIO_RAIL", "0.10")
ARREARS_WAGE_RATIO_OTHER = env("ARREARS_WAGE_RATIO_OTHER", "0.10")
# 欠薪预警 list: rows per page; most rows of one 「导出」
ARREARS_PAGE_SIZE = env_int("ARREARS_PAGE_SIZE", 50)
ARREARS_EXPORT_MAX_ROWS = env_int("ARREARS_EXPORT_MAX_ROWS", 50000)
# months shown on the chart of paid vs due (the most recent ones)
ARREARS_CHART_MONTHS = env_int("ARREARS_CHART_MONTHS", 12)
# PostgreSQL work_mem of the rebuild_arrears transaction (its sorts and hashes)
ARREARS_REBUILD_WORK_MEM = env("ARREARS_REBUILD_WORK_MEM", "128MB")
