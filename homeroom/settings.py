"""Homeroom settings: one module, configured by environment variables (SQLite by default)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("HOMEROOM_DEBUG", False)
SECRET_KEY = os.environ.get("HOMEROOM_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A published development key would let anyone forge sessions and sign-in links.
        raise ImproperlyConfigured(
            "HOMEROOM_SECRET_KEY is not set. Set it to a long random value "
            "(python3 -c \"import secrets; print(secrets.token_urlsafe(50))\"), or HOMEROOM_DEBUG=1 for development."
        )
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - development default only
ALLOWED_HOSTS = env_list("HOMEROOM_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("HOMEROOM_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("HOMEROOM_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "homeroom.core.admin_apps.HomeroomAdminConfig",  # the admin, signed in through allauth, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its templates and static files: the API docs load swagger-ui from our own /static/
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "homeroom.core",
    "homeroom.roster",
    "homeroom.access",
    "homeroom.schoolcalendar",
    "homeroom.contacts",
    "homeroom.messaging",
    "homeroom.languages",
    "homeroom.portal",
    "homeroom.meetings",
    "homeroom.attendance",
    "homeroom.surveys",
    "homeroom.reach",
    "homeroom.programs",
    "homeroom.website",
    "homeroom.api",
    "homeroom.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "homeroom.core.security.SecurityHeadersMiddleware",
    "homeroom.core.health.HealthzMiddleware",  # before sessions: /healthz makes no query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "homeroom.access.middleware.UserLanguageMiddleware",
    "homeroom.access.sessions.StaffSessionIdleMiddleware",
    "homeroom.core.security.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "homeroom.urls"
WSGI_APPLICATION = "homeroom.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Core's templates first, so they override allauth's (sign-in pages, code emails, two-factor).
        "DIRS": [BASE_DIR / "homeroom" / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "homeroom.access.context_processors.navigation",
                "homeroom.messaging.context_processors.provider_pauses",
                "homeroom.messaging.context_processors.inbox_unread",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATA_DIR = Path(os.environ.get("HOMEROOM_DATA_DIR", BASE_DIR / "var"))
_default_sqlite = f"sqlite:///{DATA_DIR / 'homeroom.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("HOMEROOM_TEST_SQLITE", "")} if os.environ.get(
        "HOMEROOM_TEST_SQLITE"
    ) else {}
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and not env_bool(
        "HOMEROOM_PG_JIT", False):
    # No JIT compilation: the web's queries are short, and PostgreSQL's JIT spent seconds compiling the
    # monthly log's counts (a 0.4 s query took 7.7 s at 100,000 students). HOMEROOM_PG_JIT=1 keeps the server's.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work ------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

# --- Cache: rate limits and lock-outs, shared by every web process ----------
# Redis when there is one; otherwise a table in the database (created by `migrate`, see core.apps).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": "homeroom"}
    if REDIS_URL
    # Room for every counter: a full table drops entries, and a dropped counter is a lifted limit.
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "homeroom_cache",
          "OPTIONS": {"MAX_ENTRIES": 1_000_000}}
}
TASK_BACKEND = os.environ.get("HOMEROOM_TASK_BACKEND", "rq" if REDIS_URL else "db")
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    _rq_queues = env_list("HOMEROOM_RQ_QUEUES", "default")
    RQ_QUEUES = {q: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600} for q in _rq_queues}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": _rq_queues}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Staff: email + password. Families: a code sent to their email or to the mobile number on the roster.
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_FORMS = {
    "login": "homeroom.access.forms.StaffLoginForm",
    "request_login_code": "homeroom.access.forms.FamilyCodeRequestForm",
}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
# Counters live in the shared cache above. "login_failed" is keyed by account + IP address (access.auth_adapter),
# so a stranger's wrong guesses do not lock the owner out; HOMEROOM_RATE_LIMITS adds one limit per account.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "10/m/ip,3/m/key",
}
HOMEROOM_RATE_LIMITS = {
    # Wrong passwords for one account from anywhere. Past it, only the right password followed by the
    # authenticator code gets in, or the owner unlocks the account by email (a password reset).
    "login_failed_account": "20/h/key",
}
ACCOUNT_ADAPTER = "homeroom.access.auth_adapter.HomeroomAccountAdapter"
ACCOUNT_SESSION_REMEMBER = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * int(os.environ.get("HOMEROOM_FAMILY_SESSION_DAYS", "60"))  # families' phones
# Staff are signed out after this long without a request (access.sessions).
HOMEROOM_STAFF_SESSION_IDLE_SECONDS = int(float(os.environ.get("HOMEROOM_STAFF_SESSION_IDLE_HOURS", "12")) * 3600)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Homeroom"
ACCOUNT_SIGNUP_ENABLED = False  # accounts come from the roster, never from open sign-up

# --- Email, SMS, voice ----------------------------------------------------
# The dev outbox keeps outgoing email, texts and calls in a table instead of sending them. It is for DEBUG
# (and tests, benchmarks) only: without it, a process configured with no provider refuses to start (core.checks).
HOMEROOM_DEV_OUTBOX = env_bool("HOMEROOM_DEV_OUTBOX", DEBUG)
EMAIL_BACKEND = os.environ.get("HOMEROOM_EMAIL_BACKEND", "homeroom.core.mail.DevOutboxEmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("HOMEROOM_FROM_EMAIL", "Homeroom <homeroom@localhost>")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
# A Messaging Service (sender pool or short code) sends the texts when set; calls still need TWILIO_FROM_NUMBER.
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_API_BASE = os.environ.get("TWILIO_API_BASE", "")  # only for a local stand-in
PHONE_DEFAULT_REGION = os.environ.get("HOMEROOM_PHONE_REGION", "US")

# --- Internationalization --------------------------------------------------
LANGUAGE_CODE = "en"
# The interface languages, each named in itself (the language picker shows these names). Families read every
# page, email, text and call in any of them (core.family_text defines what families read; the tests hold every
# catalogue to it); staff pages are complete in English and Spanish and fall back to English otherwise.
# A district may offer fewer (roster.District.family_languages). Guardian language codes from a roster
# ("pt", "zh-CN", "hat", "por") reach these through core.i18n.interface_language.
# More languages need no code: add a locale/<code>/ folder per app and list "code:Name" in
# HOMEROOM_EXTRA_LANGUAGES (e.g. "so:Soomaali"). Codes Django doesn't know get their display name from it.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("pt-br", "Português (Brasil)"),
    ("ht", "Kreyòl ayisyen"),
    ("ar", "العربية"),
    ("zh-hans", "中文（简体）"),
    ("vi", "Tiếng Việt"),
    ("pl", "Polski"),
]
from django.conf.locale import LANG_INFO  # noqa: E402

LANG_INFO.setdefault("ht", {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"})
for _item in env_list("HOMEROOM_EXTRA_LANGUAGES"):
    _code, _sep, _name = _item.partition(":")
    _code = _code.strip().lower()
    _name = _name.strip() or _code
    if _code in {code for code, _label in LANGUAGES}:
        continue
    LANGUAGES.append((_code, _name))
    LANG_INFO.setdefault(_code, {"bidi": _code in {"ar", "he", "fa", "ur"}, "code": _code, "name": _name,
                                 "name_local": _name})
LOCALE_PATHS: list[Path] = []  # each app keeps its own locale/ folder
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("HOMEROOM_TIME_ZONE", "America/New_York")

# --- Static ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "homeroom" / "static"]  # the shared stylesheet and htmx (homeroom is not an app)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("HOMEROOM_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True  # htmx reads the token from the page, never from the cookie
CSRF_FAILURE_VIEW = "homeroom.core.errors.csrf_failure"  # a friendly page in the reader's language
if SESSION_COOKIE_SECURE:
    # Served over HTTPS only: tell browsers to stay on it, and trust the proxy's scheme header.
    SECURE_SSL_REDIRECT = env_bool("HOMEROOM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("HOMEROOM_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HOMEROOM_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("HOMEROOM_HSTS_PRELOAD", False)
    # A district's other sub-domains (and the browsers' preload list) are the district's decision, not ours:
    # `check --deploy` stays quiet about them unless they are asked for (and then checks them).
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Roster imports (owned by the roster app; see docs/data-formats.md) -------
# A hostile export must not exhaust memory or time: every limit below refuses the export with a message.
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("HOMEROOM_IMPORT_MAX_UPLOAD_MB", "200"))  # the .zip as uploaded
IMPORT_MAX_FILE_MB = int(os.environ.get("HOMEROOM_IMPORT_MAX_FILE_MB", "512"))  # each CSV, uncompressed
IMPORT_MAX_TOTAL_MB = int(os.environ.get("HOMEROOM_IMPORT_MAX_TOTAL_MB", "2048"))  # all CSVs, uncompressed
IMPORT_MAX_RATIO = int(os.environ.get("HOMEROOM_IMPORT_MAX_RATIO", "100"))  # uncompressed ÷ compressed, per CSV
IMPORT_MAX_ENTRIES = int(os.environ.get("HOMEROOM_IMPORT_MAX_ENTRIES", "200"))  # entries in the .zip
IMPORT_MAX_ROW_KB = int(os.environ.get("HOMEROOM_IMPORT_MAX_ROW_KB", "1024"))  # one line of a CSV
IMPORT_MAX_PROBLEMS = int(os.environ.get("HOMEROOM_IMPORT_MAX_PROBLEMS", "1000"))  # listed per kind; more are counted
# A running import whose worker stopped signalling for this long is marked failed (and may be tried again).
IMPORT_LEASE_SECONDS = int(os.environ.get("HOMEROOM_IMPORT_LEASE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Query strings can hold names typed into search boxes; they never reach a log line.
    "filters": {"redact_query": {"()": "homeroom.core.log_filters.RedactQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_query"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOMEROOM_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request at INFO: a line per text of a 150,000-family send. Failures are recorded
        # on the attempt row of the delivery they belong to (messaging), or as the caller's own error.
        "httpx": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Messaging (owned by the messaging app; see docs/operations.md) ---------
# Email for messages: empty means EMAIL_BACKEND; the dev outbox default is swapped for one that records deliveries.
MESSAGING_EMAIL_BACKEND = os.environ.get("HOMEROOM_MESSAGING_EMAIL_BACKEND", "") or (
    "homeroom.messaging.providers.dev_outbox.DevOutboxEmailBackend"
    if EMAIL_BACKEND == "homeroom.core.mail.DevOutboxEmailBackend"
    else ""
)
MESSAGING_EMAIL_DOMAIN = os.environ.get("HOMEROOM_MESSAGING_EMAIL_DOMAIN", "homeroom.localhost")
MESSAGING_REPLY_TO = os.environ.get("HOMEROOM_MESSAGING_REPLY_TO", "")
# The dev outbox is the last hop in development: it reports the texts and emails it takes as delivered, as a
# provider's status webhook would (messaging.providers.dev_outbox), so the demo's reach and reports count them.
# On with debug; off in tests, which report outcomes through the providers' webhooks themselves.
MESSAGING_DEV_OUTBOX_REPORTS_DELIVERY = env_bool("HOMEROOM_DEV_OUTBOX_REPORTS_DELIVERY", DEBUG)
# "auto": Twilio when TWILIO_* are set, else the dev outbox; "twilio" or "dev_outbox" to force one.
MESSAGING_PHONE_PROVIDER = os.environ.get("HOMEROOM_PHONE_PROVIDER", "auto")
# Public base URL Twilio calls back (and signs); defaults to the site URL.
MESSAGING_WEBHOOK_BASE_URL = os.environ.get("HOMEROOM_WEBHOOK_BASE_URL", SITE_URL)

# --- Meetings ------------------------------------------------------------------
# Dotted path of the surveys app's `send(*, meeting_id) -> bool` for the post-PPT family survey (empty: none).
HOMEROOM_POST_PPT_SURVEY = os.environ.get("HOMEROOM_POST_PPT_SURVEY", "homeroom.surveys.post_ppt.send")
MESSAGING_HTTP_TIMEOUT = float(os.environ.get("HOMEROOM_MESSAGING_HTTP_TIMEOUT", "10"))
# Token bucket per sending number, shared by all workers: messages per second and burst size.
MESSAGING_PHONE_RATE_PER_SECOND = float(os.environ.get("HOMEROOM_PHONE_RATE_PER_SECOND", "10"))
MESSAGING_PHONE_RATE_BURST = float(os.environ.get("HOMEROOM_PHONE_RATE_BURST", "50"))
# Calls have their own ceiling (Twilio's calls per second, 1 unless the account was raised).
MESSAGING_CALLS_PER_SECOND = float(os.environ.get("HOMEROOM_CALLS_PER_SECOND", "1"))
MESSAGING_CALLS_BURST = float(os.environ.get("HOMEROOM_CALLS_BURST", "5"))
MESSAGING_BATCH_SIZE = int(os.environ.get("HOMEROOM_MESSAGING_BATCH_SIZE", "500"))
# A batch waits for the rate limit's next tokens this long in all before it gives the rest back (re-queued).
MESSAGING_PACE_SECONDS = float(os.environ.get("HOMEROOM_MESSAGING_PACE_SECONDS", "60"))
# Provider requests a worker keeps in flight at once (a thread each, with its own keep-alive HTTP client).
# Workers × this should exceed the ceiling × the provider's latency (100 texts/s × 0.3 s = 30: four workers at 8).
# Past about eight busy threads a process spends its CPU handing Python's interpreter lock between them: add
# worker processes rather than threads (docs/operations.md; bench/fanout.py: two workers at 16 took a third more
# CPU than four at 8 for the same send).
MESSAGING_SEND_CONCURRENCY = int(os.environ.get("HOMEROOM_MESSAGING_SEND_CONCURRENCY", "8"))
# A claimed delivery whose worker died is taken over after this many seconds.
MESSAGING_CLAIM_LEASE_SECONDS = int(os.environ.get("HOMEROOM_MESSAGING_CLAIM_LEASE", "300"))
# A provider paused for a configuration error (wrong token…) is probed this often; a good probe resumes the send.
MESSAGING_PROVIDER_PROBE_SECONDS = int(os.environ.get("HOMEROOM_PROVIDER_PROBE_SECONDS", "60"))
# When a channel fails for good, try the next: "sms:voice,email:sms" (district default; empty disables).
MESSAGING_FALLBACK = dict(
    pair.split(":", 1) for pair in env_list("HOMEROOM_MESSAGING_FALLBACK", "sms:voice,email:sms") if ":" in pair
)
# A call that meets a busy line or no answer is tried again this many times, this many minutes apart.
MESSAGING_CALL_RETRIES = int(os.environ.get("HOMEROOM_CALL_RETRIES", "2"))
MESSAGING_CALL_RETRY_MINUTES = float(os.environ.get("HOMEROOM_CALL_RETRY_MINUTES", "10"))
# TwiML <Say> language and voice per message language.
MESSAGING_VOICES = {
    "en": ("en-US", "Polly.Joanna"),
    "es": ("es-US", "Polly.Lupe"),
    "pt": ("pt-BR", "Polly.Camila"),
    "fr": ("fr-FR", "Polly.Lea"),
    "zh": ("cmn-CN", "Polly.Zhiyu"),
    "ar": ("arb", "Polly.Zeina"),
    "pl": ("pl-PL", "Polly.Ewa"),
    "vi": ("vi-VN", "Google.vi-VN-Standard-A"),
    # No text-to-speech voice speaks Haitian Creole; its spelling is close to French sounds, so a French voice
    # reads it intelligibly. Districts that can should record Kreyòl calls or call with an interpreter.
    "ht": ("fr-FR", "Polly.Lea"),
}
# Machine translation (homeroom.languages): "" (off), "libretranslate" or "deepl". When on, a non-urgent message
# is translated into every home language of its audience that has no text, families' replies are translated for
# staff and staff answers for the family. URL: LibreTranslate's base URL (required for it); for DeepL, empty picks
# api-free.deepl.com for a key ending in ":fx" and api.deepl.com otherwise. API key: LibreTranslate's (optional)
# or DeepL's auth key (required). Timeout: seconds to wait for one translation.
MESSAGING_TRANSLATION_PROVIDER = os.environ.get("HOMEROOM_TRANSLATION_PROVIDER", "")
MESSAGING_TRANSLATION_URL = os.environ.get("HOMEROOM_TRANSLATION_URL", "")
MESSAGING_TRANSLATION_API_KEY = os.environ.get("HOMEROOM_TRANSLATION_API_KEY", "")
MESSAGING_TRANSLATION_TIMEOUT = float(os.environ.get("HOMEROOM_TRANSLATION_TIMEOUT", "10"))
# anymail: pick an ESP with HOMEROOM_MESSAGING_EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend.
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": os.environ.get("POSTMARK_SERVER_TOKEN", ""),
    "SENDGRID_API_KEY": os.environ.get("SENDGRID_API_KEY", ""),
    "MAILGUN_API_KEY": os.environ.get("MAILGUN_API_KEY", ""),
    "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    "AMAZON_SES_CLIENT_PARAMS": {"region_name": os.environ.get("AWS_SES_REGION", "us-east-1")},
    # Basic-auth "user:password" the ESP must present on tracking webhooks.
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
}
# Sign-in codes by text go through the same phone provider as messages (Twilio, or the dev outbox).
HOMEROOM_LOGIN_CODE_SMS_SENDER = "homeroom.messaging.providers.send_sign_in_sms"
