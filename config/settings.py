"""Settings, all from the environment.

With no environment the platform runs embedded: SQLite under ``var/`` and Celery tasks executed in-process,
so ``make run`` needs no server. Production sets ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``; every difference between the two is in this file.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # the embedded database, test databases and backups live here

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# The development key only ever exists with DEBUG on; production must provide its own.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-insecure-key")
# load_demo creates accounts with the public demo password: only where DEBUG was switched on. Kept apart from
# DEBUG because the test runner turns DEBUG off for every test, demo data included.
DEMO_DATA_ALLOWED = DEBUG
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The second-factor apps, then security, before django.contrib.auth: security's createsuperuser (password
    # rules, audit record) replaces auth's, and its admin module, loaded after the second-factor apps' own,
    # still removes their admin pages.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "security",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "orgs",
    "awards",
    "investment",
    "chiefservice",
    "sprouts",
    "bench",
]

MIDDLEWARE = [
    "orgs.stack.StackChunkMiddleware",  # first: the request's frames in one chunk of the frame stack
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "orgs.params.PageMiddleware",  # a wrong page or page size in a query string is a 404
    "security.middleware.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: the first to see a view's exception; a database failover or Redis restart is a retry page.
    "orgs.failover.FailoverMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orgs.context_processors.navigation",
                "security.context_processors.security_links",
            ],
            "builtins": ["orgs.templatetags.people"],  # {{ user|person }}: names, never login names
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several users write at once even in the embedded setup: a write transaction takes the lock when it
    # begins (IMMEDIATE) and waits for it, so two writers queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # Tests use a file, not shared-cache memory, whose table locks fail at once instead of waiting;
    # one file per test process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # A worker keeps its PostgreSQL connection between requests: a new one costs a server process and
    # cold catalog caches on every request. Checked before reuse, so a restarted database is no error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # With a standby, DATABASE_URL names both servers (postgres://u@primary:5432,standby:5432/platform
    # ?target_session_attrs=read-write): libpq connects to whichever accepts writes, so after a promotion
    # the health check drops the dead connection and the next one finds the new primary, no restart.
    # A dead server must fail a connection attempt quickly, not hold the request for the OS timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first, as Django recommends, at OWASP's recommended memory and passes (orgs.hashers). Older PBKDF2
# hashes still verify and are rewritten as Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "orgs.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# GB/T 22239-2019 8.1.4.1 a): at least 8 characters of three kinds, none of the last five, changed every 90 days
# and at the first login of an account an administrator created (security/passwords.py, security/middleware.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "security.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "security.passwords.CharacterClassValidator"},
    {"NAME": "security.passwords.PasswordHistoryValidator"},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
PASSWORD_HISTORY = env.int("PASSWORD_HISTORY", default=5)
# GB/T 22239-2019 8.1.4.1 b) / 8.1.4.2 c): idle sessions end; accounts unused this long are disabled (daily).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)  # seconds
ACCOUNT_INACTIVE_DAYS = env.int("ACCOUNT_INACTIVE_DAYS", default=90)
# GB/T 22239-2019 8.1.4.3 c), 网络安全法 第二十一条: audit records are kept at least 180 days; never lower.
AUDIT_RETENTION_DAYS = max(180, env.int("AUDIT_RETENTION_DAYS", default=180))
# GB/T 22239-2019 8.1.4.3 c): the key of the audit trail's HMAC chain (security/audit.py). Like SECRET_KEY it
# comes from the environment only and is never stored in the database, so whoever can write the audit table
# cannot recompute the chain; unlike SECRET_KEY it is never rotated in place (every record would fail).
# The development key only ever exists with DEBUG on; production must provide its own, of at least 32
# characters and not the SECRET_KEY.
AUDIT_HMAC_KEY = (
    env("AUDIT_HMAC_KEY") if not DEBUG else env("AUDIT_HMAC_KEY", default=f"dev-only-audit-key:{SECRET_KEY}")
)
if not DEBUG and (len(AUDIT_HMAC_KEY) < 32 or AUDIT_HMAC_KEY == SECRET_KEY):
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must have at least 32 characters and differ from SECRET_KEY.")
# Where the chain's head is anchored (security/anchors.py): outside the database and MEDIA_ROOT, on storage
# the database's host and its administrators cannot write (docs/security.md, "Audit trail: key and anchors").
AUDIT_ANCHOR_DIR = Path(env("AUDIT_ANCHOR_DIR", default=str(VAR_DIR / "audit-anchors")))
# GB/T 22239-2019 8.1.4.1 d): the second factor (security/otp.py); the name shown in the authenticator app.
OTP_TOTP_ISSUER = "双鸭山市政务管理平台"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock a user name on one address after 5 failures: an office shares one address, so locking by address
# alone would lock out a whole bureau (platform.md, "Bad input and safety").
# A history page shows an earlier version and never saves it back (orgs.admin.HistoryAdmin refuses the POST too).
SIMPLE_HISTORY_REVERT_DISABLED = True

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sessions live in the database, not in Redis or a node's memory: a user stays logged in when the node that
# logged them in dies or Redis restarts (GB/T 22239-2019 8.1.4.9 c); the standby holds them too).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]  # ISO dates first: what <input type="date"> accepts
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap comes from the xstatic package and Apache ECharts from npm (``make install`` puts it in
# node_modules/), both served by the app itself: the city network may be closed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: downloads go through views that check access


def s3_storage(url: str = "", *, bucket: str = "", endpoint: str = "") -> dict:
    """The default storage on an S3-compatible object store (GB/T 22239-2019 8.1.4.9 b): files off the web
    machines). ``url`` is the endpoint with the bucket as its path (``https://oss.example:9000/platform``);
    or ``bucket`` (and ``endpoint`` for a store other than AWS). Keys come from STORAGE_ACCESS_KEY and
    STORAGE_SECRET_KEY, else from boto3's own chain (AWS_ACCESS_KEY_ID, an instance role, ...)."""
    if url:
        endpoint, _, bucket = url.rstrip("/").rpartition("/")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": env("STORAGE_REGION", default="us-east-1"),
        "access_key": env("STORAGE_ACCESS_KEY", default=None),
        "secret_key": env("STORAGE_SECRET_KEY", default=None),
        # A private bucket: no ACL is set on an object, and an object is never reachable by a public URL;
        # the views stream every download after their access check.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        # Two uploads under one name keep both, as on the local disk (Django's available-name rule).
        "file_overwrite": False,
        "addressing_style": "path",
        "signature_version": "s3v4",
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Uploads, generated exports and documents go through Django's storage API (default_storage): the local
# disk under MEDIA_ROOT without configuration, the object store when STORAGE_URL or STORAGE_BUCKET is given.
if env("STORAGE_URL", default="") or env("STORAGE_BUCKET", default=""):
    STORAGES["default"] = s3_storage(
        env("STORAGE_URL", default=""),
        bucket=env("STORAGE_BUCKET", default=""),
        endpoint=env("STORAGE_ENDPOINT_URL", default=""),
    )

# Uploads: the platform-wide limits every app's upload checks use (orgs/uploads.py).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The years a URL or a form may name (orgs/params.py): anything else is a 404 or the form's error.
# 17号 第二十一条: a unit's monthly ledger report covers its month and is due by this day of the next month.
CHIEFSERVICE_REPORT_DUE_DAY = env.int("CHIEFSERVICE_REPORT_DUE_DAY", default=5)

YEAR_MIN = 2000
YEAR_MAX = 2100

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "orgs.renderers.FormRenderer"
FILTERS_EMPTY_CHOICE_LABEL = "全部"
DJANGO_TABLES2_TEMPLATE = "django_tables2/platform.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-striped table-hover align-middle"}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@shuangyashan.gov.cn")

# Embedded mode: Celery runs tasks in-process (always eager), yet still opens a producer on the broker for
# each task; the in-memory broker's URL names its host, else kombu warns "No hostname was supplied" on the
# first task of every process (``load_demo``'s first notification printed it).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Every periodic job of the platform, in one place (each task is thin: it calls its app's service).
CELERY_BEAT_SCHEDULE = {
    "investment-self-evaluation-reminders": {
        "task": "investment.tasks.remind_self_evaluation_due",
        "schedule": crontab(hour=9, minute=0),
    },
    "chiefservice-monthly-ledger-reminders": {
        "task": "chiefservice.tasks.remind_monthly_ledger_due",
        "schedule": crontab(day_of_month="25", hour=9, minute=0),
    },
    "chiefservice-quarterly-reminders": {
        "task": "chiefservice.tasks.remind_quarterly_meeting_and_article_due",
        "schedule": crontab(day_of_month="15", month_of_year="3,6,9,12", hour=9, minute=0),
    },
    "chiefservice-assignment-reminders": {
        "task": "chiefservice.tasks.remind_assignment_due",
        "schedule": crontab(hour=9, minute=5),
    },
    "orgs-orphan-media-sweep": {
        "task": "orgs.tasks.sweep_orphan_media",
        "schedule": crontab(hour=3, minute=30),
    },
    # GB/T 22239-2019 8.1.4.3 c): the audit chain's head written outside the database every hour, and once a
    # day the 审计管理员's export of the day's records with that anchor (security/tasks.py).
    "security-audit-anchor": {
        "task": "security.tasks.anchor_audit_trail",
        "schedule": crontab(minute=7),
    },
    "security-audit-daily-export": {
        "task": "security.tasks.export_audit_day",
        "schedule": crontab(hour=1, minute=20),
    },
    "security-disable-inactive-accounts": {
        "task": "security.tasks.disable_inactive_accounts",
        "schedule": crontab(hour=2, minute=15),
    },
    "sprouts-overdue-handover-reminders": {
        "task": "sprouts.tasks.remind_overdue_handovers",
        "schedule": crontab(hour=8, minute=30),
    },
}

# Content Security Policy: scripts only from this site, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    # Off only for a plain-HTTP load test on loopback (scripts/loadtest.sh); never in a deployment.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# 发文字号 of the papers the platform issues (GB/T 9704-2012 7.2.4), one series per document type: the issuing
# office's 机关代字, its name as 印发机关 in the 版记 (7.4.3), and the 抄送机关 (7.4.2) of that type of paper.
DOCUMENT_SERIES = {
    # 双政办发〔2020〕15号: the 分配方案 notice goes out under the 市政府办公室's own series.
    "awards.notice": {
        "prefix": "双政办发",
        "printer": "双鸭山市人民政府办公室",
        "copy_to": "市委各部门，市人大常委会办公室，市政协办公室，市法院，市检察院。",
    },
    # 16号 附件1 第五条: the 通报 is the 市经合局's (考核组办公室).
    "investment.bulletin": {
        "prefix": "双经合发",
        "printer": "双鸭山市经合局",
        "copy_to": "市委办公室，市政府办公室，市统计局。",
    },
}
