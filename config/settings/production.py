"""Production: refuses to start without a real secret key and data keys."""

import sys

from .base import *  # noqa: F403
from .base import EDUGOV, env, env_bool


def _require(name: str, value: str | None) -> None:
    if not value or value.startswith("demo-") or value.startswith("test-"):
        sys.stderr.write(f"edugov: production settings need {name} in the environment\n")
        raise SystemExit(2)


_require("SECRET_KEY", env("SECRET_KEY"))
_require("EDUGOV_DATA_KEYS", EDUGOV["DATA_KEYS"])
_require("EDUGOV_INDEX_KEY", EDUGOV["INDEX_KEY"])

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
EDUGOV["REQUIRE_STAFF_OTP"] = env_bool("EDUGOV_REQUIRE_STAFF_OTP", True)
EDUGOV["DEMO"] = False
EDUGOV["LEDGER_STRICT"] = False  # withhold an undeclared field and log it, rather than lose the clerk's work
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": env("REDIS_URL", "redis://127.0.0.1:6379/1"),
                      # a cache that does not answer is skipped (kernel.cache), quickly
                      "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}

# Attachments on S3-compatible object storage (MinIO, OSS, COS …) when a bucket is configured;
# needs `pip install "edugov[s3]"`. Otherwise they stay on the local disk under MEDIA_ROOT.
if env("EDUGOV_S3_BUCKET"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("EDUGOV_S3_BUCKET"),
            "endpoint_url": env("EDUGOV_S3_ENDPOINT"),
            "access_key": env("EDUGOV_S3_ACCESS_KEY"),
            "secret_key": env("EDUGOV_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
