"""Settings shared by every mode. Everything secret or site-specific comes from the environment."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("EDUGOV_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # first: its createsuperuser and changepassword replace Django's (which write without a record)
    "edugov.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # in INSTALLED_APPS so /api/v1/docs serves Swagger UI from our static files, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "edugov.kernel",
    "edugov.audit",
    "edugov.notifications",
    "edugov.registries",
    "edugov.cases",
    "edugov.draws",
    "edugov.metrics",
    "edugov.documents",
    "edugov.services",
    "edugov.enrollment",
    "edugov.petitions",
    "edugov.enforcement",
    "edugov.schools",
    "edugov.oversight",
    "edugov.legality",
    "edugov.remedies",
    "edugov.leadership",
    "edugov.disclosure",
    "edugov.reports",
    "edugov.portal",
    "edugov.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "edugov.kernel.middleware.RequestIdMiddleware",
    "edugov.kernel.middleware.NullCharacterMiddleware",
    "edugov.kernel.cache.PublicPageCacheMiddleware",  # before the session: a cached page costs little more than a static file
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "edugov.accounts.middleware.StaffSecondFactorMiddleware",
    "edugov.kernel.middleware.ContentSecurityPolicyMiddleware",
    "edugov.kernel.query.BadQueryMiddleware",
    "edugov.kernel.replica.RecentWriteMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "edugov" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "edugov.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASE_URL: str = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'edugov.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's web process read while the generator or a request writes;
    # IMMEDIATE takes the write lock at BEGIN so concurrent writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT compilation: edugov's queries are short and indexed, and PostgreSQL's JIT, which starts
    # above a planner cost the workbench's counts reach at a million cases, spent 29 of their 58 ms
    # compiling (EXPLAIN ANALYZE, docs/performance.md). The yearly figures run in a batch and lose little.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a connection broken by a database restart is replaced
# A city's deployment (docs/operations.md, "A city on several machines"): a streaming replica that
# the figures, reports, open data and public listings read (edugov.kernel.replica), and PgBouncer
# in transaction mode in front of both, which keeps no cursor or prepared statement across transactions.
if _replica_url := env("EDUGOV_REPLICA_URL"):
    DATABASES["replica"] = {**dj_database_url.parse(_replica_url, conn_max_age=60),
                            "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
                            "ATOMIC_REQUESTS": False, "CONN_HEALTH_CHECKS": True, "TEST": {"MIRROR": "default"}}
if env("EDUGOV_DB_POOLER") == "transaction":
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        _db.setdefault("OPTIONS", {})["prepare_threshold"] = None
        _db["OPTIONS"].pop("options", None)  # PgBouncer passes no startup options: jit=off is set in postgresql.conf
DATABASE_ROUTERS = ["edugov.kernel.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "edugov.accounts.backends.PhoneCodeBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "edugov.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Idle sessions expire (等保 2.0: session timeout); every request renews the window.
SESSION_COOKIE_AGE = int(env("EDUGOV_IDLE_SECONDS", "1800") or 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = int(env("EDUGOV_LOCKOUT_FAILURES", "5") or 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a name locked from one address stays open from another
AXES_CLIENT_IP_CALLABLE = "edugov.kernel.ratelimit.client_ip"  # the one address function, behind the proxy too
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "edugov" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "edugov" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Celery with Redis in production; eager in the embedded default.
CELERY_BROKER_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Reminders by e-mail (notifications): the console in the demo; an SMTP server in production
# (EDUGOV_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with Django's EMAIL_HOST… settings).
EMAIL_BACKEND = env("EDUGOV_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EDUGOV_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EDUGOV_EMAIL_PORT") or "25")
EMAIL_USE_TLS = env_bool("EDUGOV_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("EDUGOV_EMAIL_FROM", "edugov@localhost")

CELERY_BEAT_SCHEDULE = {
    "audit-integrate": {"task": "edugov.audit.tasks.integrate", "schedule": 5.0},
    "cases-reminders": {"task": "edugov.cases.tasks.send_clock_reminders", "schedule": 600.0},
    "notifications-send": {"task": "edugov.notifications.tasks.send_messages", "schedule": 60.0},
    # duties opened as cases (issue 26): daily, each idempotent
    "oversight-ledger-duties": {"task": "edugov.oversight.tasks.open_ledger_duties", "schedule": 3600.0},
    "schools-hours-duties": {"task": "edugov.schools.tasks.open_hours_duties", "schedule": 3600.0},
    "reports-duties": {"task": "edugov.reports.tasks.open_report_duties", "schedule": 3600.0},
    "enforcement-take-down": {"task": "edugov.enforcement.tasks.take_down_expired", "schedule": 3600.0},
    "audit-witnesses": {"task": "edugov.audit.tasks.offer_to_witnesses", "schedule": 60.0},
    # issued documents signed soon after their act (the first read signs one the worker has not reached)
    "documents-seal": {"task": "edugov.documents.tasks.seal_pending", "schedule": 30.0},
}

# edugov's own settings
EDUGOV: dict[str, Any] = {
    # The district the public site speaks for, in its header and page titles ("江州区教育委员会").
    "DISTRICT_NAME": env("EDUGOV_DISTRICT_NAME", ""),
    # AES-GCM keys for personal data: "id:base64key,id:base64key"; the first is used to encrypt.
    "DATA_KEYS": env("EDUGOV_DATA_KEYS", env("EDUGOV_DATA_KEY", "")),
    # HMAC key for the blind index (exact lookups on encrypted fields); never rotated in place.
    "INDEX_KEY": env("EDUGOV_INDEX_KEY", ""),
    # Ed25519 private key (PEM) that signs the audit tree heads; kept outside the database.
    "SIGNING_KEY_FILE": env("EDUGOV_SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "tree-signing.pem")),
    # The bureau's document-signing key and certificate (PEM) and the CA chain above it, which sign
    # every issued PDF (PAdES); the demo makes its own CA on first use (documents.signing).
    "DOCUMENT_SIGNING": {
        "KEY_FILE": env("EDUGOV_DOCUMENT_KEY_FILE", str(VAR_DIR / "keys" / "document-signing-key.pem")),
        "CERT_FILE": env("EDUGOV_DOCUMENT_CERT_FILE", str(VAR_DIR / "keys" / "document-signing-cert.pem")),
        "CHAIN_FILE": env("EDUGOV_DOCUMENT_CHAIN_FILE", str(VAR_DIR / "keys" / "document-ca-chain.pem")),
    },
    # The public address printed on issued documents under their QR code (…/verify/<code>).
    "PUBLIC_BASE_URL": env("EDUGOV_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # Fingerprints (SHA-256 of the raw Ed25519 public key, hex, comma-separated) of the keys a tree
    # head may be signed by; `audit verify` fails on any other. Set it outside the data directory.
    "AUDIT_PINNED_KEYS": [k for k in (env("EDUGOV_AUDIT_PINNED_KEYS", "") or "").split(",") if k.strip()],
    # The ledger's name in its C2SP checkpoints (a schema-less URL, unique to this installation).
    "AUDIT_ORIGIN": env("EDUGOV_AUDIT_ORIGIN", "edugov.invalid/ledger"),
    # Witnesses that keep the newest tree head they cosigned, outside this database and data
    # directory (docs/operations.md, Witnesses): a JSON list of {"label", "vkey", "url"} (another
    # edugov instance or any C2SP tlog-witness) or {"label", "vkey", "dir"} (a folder an auditor
    # keeps). `audit verify` fails when the ledger no longer extends what a witness holds.
    "AUDIT_WITNESSES": json.loads(env("EDUGOV_AUDIT_WITNESSES", "[]") or "[]"),
    # This instance as a witness for other districts' ledgers (served under /witness/): its folder.
    "WITNESS_DIR": env("EDUGOV_WITNESS_DIR", ""),
    # An entry dated (by the database) earlier than the newest signed head by more than this is
    # quarantined rather than integrated: a backdated row (audit.ledger.integrate). Longer than any
    # legitimate transaction.
    "AUDIT_BACKDATE_TOLERANCE_SECONDS": int(env("EDUGOV_AUDIT_BACKDATE_TOLERANCE_SECONDS", "3600") or 3600),
    "SMS_BACKEND": env("EDUGOV_SMS_BACKEND", "edugov.kernel.sms.ConsoleBackend"),
    # EDUGOV_SMS_BACKEND=edugov.kernel.sms.GatewayBackend in production, with the gateway below.
    "SMS_GATEWAY": {
        "url": env("EDUGOV_SMS_URL", "https://dysmsapi.aliyuncs.com/"),
        "access_key_id": env("EDUGOV_SMS_ACCESS_KEY_ID", ""),
        "access_key_secret": env("EDUGOV_SMS_ACCESS_KEY_SECRET", ""),
        "sign_name": env("EDUGOV_SMS_SIGN_NAME", ""),
        "template_code": env("EDUGOV_SMS_TEMPLATE_CODE", ""),
        "template_param": env("EDUGOV_SMS_TEMPLATE_PARAM", "content"),
    },
    "SMS_CODE_TTL_SECONDS": 300,
    "SMS_MAX_PER_PHONE_PER_HOUR": 5,
    "SMS_MAX_PER_ADDRESS_PER_HOUR": 20,
    # The header the bureau's own proxy sets with the visitor's address (e.g. HTTP_X_REAL_IP);
    # empty: REMOTE_ADDR. Only ever a header that proxy overwrites, or anyone can claim any address.
    "CLIENT_ADDRESS_HEADER": env("EDUGOV_CLIENT_ADDRESS_HEADER", ""),
    # Anonymous visitors get the home page and the service guides from the cache (kernel.cache).
    "PAGE_CACHE": env_bool("EDUGOV_PAGE_CACHE", True),
    # django-ratelimit rates ("count/period", period s, m, h, d, optionally with a number: 30/10m).
    "RATE_LIMITS": {
        "complaint": "10/h",        # complaints filed from one address
        "complaint_phone": "5/h",   # complaints giving one mobile number
        "lookup": "30/10m",         # query-code look-ups and ratings (guessing a code is the abuse)
        "api": "600/m",             # the agency API, per key
        "open311_write": "120/m",   # Open311 POSTs, per key
        "open311_read": "300/m",    # Open311 GETs, per key or address
        "search": "120/m",          # public search, per address
        "proof": "120/m",           # inclusion proofs of the ledger (open to anyone), per address
        "sms_verify": "30/h",       # SMS sign-in codes tried from one address (any number)
        "sms_verify_phone": "10/h",  # SMS sign-in codes tried for one number (from any address)
    },

    "ATTACHMENT_MAX_BYTES": int(env("EDUGOV_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)) or 0),
    "ATTACHMENT_TYPES": ["application/pdf", "image/jpeg", "image/png", "image/webp",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "REQUIRE_STAFF_OTP": env_bool("EDUGOV_REQUIRE_STAFF_OTP", False),
    "AUDIT_BATCH": 5000,
    # A ledger entry recording a field its action did not declare: an error (development, tests,
    # the demo) or, in production, the field withheld and the error logged (audit.ledger._allowed).
    "LEDGER_STRICT": True,
    "DUE_SOON_WORKING_DAYS": 3,
    "PAGE_SIZE": 25,
    # Counts of local legal rules this installation sets (kernel.rules; a statute's cannot be set):
    # JSON, e.g. {"penalty.statement": 3, "penalty.legal_review": 7}.
    "LOCAL_RULES": json.loads(os.environ.get("EDUGOV_LOCAL_RULES", "{}")),
    # 告知承诺制: share of a month's commitments drawn for verification, and the fewest drawn.
    "COMMITMENT_SAMPLE_SHARE": 0.2,
    "COMMITMENT_SAMPLE_MIN": 3,
}

# A deployment may change any rate as JSON: EDUGOV_RATE_LIMITS='{"open311_write": "600/m"}'.
EDUGOV["RATE_LIMITS"].update(json.loads(env("EDUGOV_RATE_LIMITS", "{}") or "{}"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
