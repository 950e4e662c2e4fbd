"""Glossa settings: one file, every difference between machines comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envfloat(name: str, default: float) -> float:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env("SITE_NAME", "Glossa")
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "articles",
    "annotations",
    "research",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside everything that adds headers per response (security, CSP, frame options), so a cached
    # page gets them fresh; after authentication, so only anonymous requests are served from it.
    "config.middleware.AnonymousPageCacheMiddleware",
    # Last, as django-axes requires: it turns a lock-out into its own response.
    "axes.middleware.AxesMiddleware",
]

# django-axes watches every login; the standalone backend holds no sessions, so force_login and
# existing sessions keep using ModelBackend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
                "config.context_processors.site",
                "config.context_processors.canonical",
            ],
        },
    },
]

# Unset: an SQLite file under var/ (the local demo). postgres://...: PostgreSQL through psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'glossa.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Persistent connections rather than a pool: gunicorn's sync workers serve one request at a time, so
# one kept-open connection per worker is already a pool of the right size (docs/ARCHITECTURE.md).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with timestamps read by psycopg's C loader (config/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    # Behind PgBouncer in transaction mode, server-side cursors must be off (docs/DEPLOY.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DISABLE_SERVER_SIDE_CURSORS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # synchronous=NORMAL is safe from corruption in WAL mode and saves an fsync per commit (per import).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded originals are kept for provenance, outside the static tree.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))


def object_storage(bucket: str) -> dict:
    """STORAGES["default"] for a bucket on S3 or an S3-compatible store (django-storages, boto3)."""
    from botocore.config import Config  # here, so that sites on local disk never load botocore (0.1 s)

    timeout = envint("GLOSSA_S3_TIMEOUT", 5)
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("GLOSSA_S3_ENDPOINT_URL"),  # unset: AWS itself
        "region_name": env("GLOSSA_S3_REGION"),
        "addressing_style": env("GLOSSA_S3_ADDRESSING_STYLE"),  # "path" for most self-hosted stores
        # Unset: boto3's own chain (its environment variables, ~/.aws, an instance or task role).
        "access_key": env("AWS_ACCESS_KEY_ID"),
        "secret_key": env("AWS_SECRET_ACCESS_KEY"),
        "location": env("GLOSSA_S3_PREFIX", ""),  # a folder inside the bucket, when it is shared
        # Names are made unique as on disk: a second "index.html" this month must not replace the
        # first one's object, nor be deleted in its place if its import rolls back (and
        # config.storage writes only names that are still free when the write arrives).
        "file_overwrite": False,
        "default_acl": None,  # the bucket's own policy: private; files reach staff only through the admin
        # Fail an upload in seconds, inside the gunicorn timeout, rather than after boto3's minutes of retries.
        "client_config": Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    }
    return {
        "BACKEND": "config.storage.BucketStorage",
        "OPTIONS": {name: value for name, value in options.items() if value is not None},
    }


# Files (uploaded originals, corrected versions, later WARC records and exports) go through Django's
# storage API: local disk under MEDIA_ROOT by default; a bucket, shared by every app server, with
# GLOSSA_S3_BUCKET.
GLOSSA_S3_BUCKET = env("GLOSSA_S3_BUCKET")
STORAGES = {
    "default": (
        object_storage(GLOSSA_S3_BUCKET)
        if GLOSSA_S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Largest file an editor may upload for import, in bytes.
GLOSSA_MAX_UPLOAD_BYTES = envint("GLOSSA_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# Most records one export response (CSV, JSON, JSON-LD) carries; ?page=N gives the next slice.
GLOSSA_EXPORT_MAX_ROWS = envint("GLOSSA_EXPORT_MAX_ROWS", 100_000)
# Most URLs in one sitemap file; the sitemap protocol allows 50,000 (sitemaps.org).
GLOSSA_SITEMAP_LIMIT = envint("GLOSSA_SITEMAP_LIMIT", 50_000)
if not 1 <= GLOSSA_SITEMAP_LIMIT <= 50_000:
    raise ImproperlyConfigured(
        f"GLOSSA_SITEMAP_LIMIT must be between 1 and 50000 (the sitemap protocol's maximum), not {GLOSSA_SITEMAP_LIMIT}"
    )
# ClaimReviews in one page of /claims/claimreview.json; the next page is linked.
GLOSSA_CLAIMREVIEW_PAGE_SIZE = envint("GLOSSA_CLAIMREVIEW_PAGE_SIZE", 1000)
if GLOSSA_CLAIMREVIEW_PAGE_SIZE < 1:
    raise ImproperlyConfigured(
        f"GLOSSA_CLAIMREVIEW_PAGE_SIZE must be at least 1, not {GLOSSA_CLAIMREVIEW_PAGE_SIZE}"
    )
# Bounds on the work one import may do (articles/importing/limits.py): a file over any of them is
# refused with a message naming the setting. Unpacked size counts a .docx's zip members as declared
# (checked before anything is unpacked) and the content of gzip-compressed input.
GLOSSA_IMPORT_MAX_UNPACKED_BYTES = envint("GLOSSA_IMPORT_MAX_UNPACKED_BYTES", 20 * 1024 * 1024)
GLOSSA_IMPORT_MAX_PARAGRAPHS = envint("GLOSSA_IMPORT_MAX_PARAGRAPHS", 5_000)
GLOSSA_IMPORT_MAX_PARAGRAPH_CHARS = envint("GLOSSA_IMPORT_MAX_PARAGRAPH_CHARS", 20_000)
GLOSSA_IMPORT_MAX_SECONDS = envint("GLOSSA_IMPORT_MAX_SECONDS", 30)
GLOSSA_IMPORT_MAX_HTML_ELEMENTS = envint("GLOSSA_IMPORT_MAX_HTML_ELEMENTS", 30_000)
GLOSSA_IMPORT_MAX_HTML_DEPTH = envint("GLOSSA_IMPORT_MAX_HTML_DEPTH", 200)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(GLOSSA_MAX_UPLOAD_BYTES * 2, 2_621_440)

# Page furniture the importer drops: each a regular expression matched against a whole line,
# case-insensitively (an optional trailing ":" or "." is allowed). Extend it here for new sites.
GLOSSA_FURNITURE_PATTERNS = [
    # English
    r"x|×|✕|✖",
    r"a source|sources?(\s*:.{1,60})?",  # "Source: Reuters" on its own line
    r"comments?(\s*\(?\d+\)?)?|\d+\s+(comments?|replies|responses|thoughts on\b.{0,150})"
    r"|leave a (comment|reply)|add a comment|post a comment|join the (conversation|discussion)",
    r"read (on the topic|also|more|next)(\s*:.{0,150})?|see also(\s*:.{0,150})?|more on (this|the) topic"
    r"|related( articles| stories| posts)?(\s*:.{0,150})?|you may also like|recommended( for you)?",
    r"share( this( article| story| post| page)?| on \w+( \w+)?| via \w+)?(\s*:.{0,80})?|tweet|print|e-?mail( this)?"
    r"|copy link|like|restack|save",
    r"(share on )?(facebook|twitter|x|x\.com|telegram|vk|vkontakte|вконтакте|одноклассники|whatsapp|linkedin"
    r"|reddit|ok|tg|threads|bluesky|mastodon)",
    r"subscribe\b.{0,80}|follow (us|me|him|her|them)\b.{0,80}|sign up\b.{0,80}|get\b.{0,60}\bin your inbox\b.{0,60}"
    r"|(join|get) (our|the) newsletter.{0,60}|newsletter|sign in|log in|register",
    r"advertisement|sponsored( content)?|back to top|top|skip to (main )?content|listen to (this|the) (article|story).{0,40}",
    r"(spotted|found|see) (a|an) (error|mistake|typo)\b.{0,120}|report (an error|a typo|a correction)\b.{0,80}",
    r"(photo|image|illustration|picture)s?( caption| credit| by)?\s*:.{0,200}|(photo|image|picture) by\b.{0,120}"
    r"|(credit|courtesy)\s*:.{0,120}",
    r"tags?\s*:.{0,200}|topics?(\s*:.{0,200})?|filed (under|in)\s*:?.{0,120}|posted in\b.{0,120}|categor(y|ies)\s*:.{0,120}",
    r"\d[\d,. ]*\s*(views?|reads?|likes?|shares?)|(views?|visitors?|reads?|page views)\s*:?\s*[\d,. ]+",
    r"(last )?(updated|modified)\b.{0,60}|\d+\s*min(ute)?s?\s+read",
    r"explore more\b.{0,60}|more on (this|these) topics?|print version|printer-friendly( version)?",
    r"(have|got) a (news )?tip\b.{0,100}|contact (the|our) newsroom\b.{0,80}",
    r"(the )?views (and opinions )?expressed\b.{0,200}|this (article|column|piece) (is|reflects)\b.{0,40}\bopinion.{0,100}"
    r"|(reproduction|republication|republishing)\b.{0,80}\b(prohibited|permission|forbidden)\b.{0,60}",
    r"[^.]{0,50}\b(telegram|instagram|facebook|youtube|whatsapp|tiktok|вконтакте|дзен)\b[^.]{0,50}",
    r"(we|this (web)?site|our (web)?site) uses? cookies.{0,200}"
    r"|.{0,120}\bcookies?\b.{0,120}\b(accept|agree|consent|settings|preferences|policy)\b.{0,60}"
    r"|accept( all)?( cookies)?|(©|\(c\)|copyright\b).{0,150}|all rights reserved.{0,80}|made on tilda",
    r"previous (post|article|story)\b.{0,150}|next (post|article|story)\b.{0,150}|[←→]\s*.{0,150}",
    # Russian
    r"источники?(\s*:.{1,60})?",
    r"комментари[йиея]+(\s*\(?\d+\)?)?|\d+\s+комментари[йяев]+|оставить комментарий|написать комментарий",
    r"(читайте (также|по теме|еще|ещё)|по теме|смотрите также|связанные материалы|ещё по теме|еще по теме)(\s*:.{0,150})?",
    r"поделиться\b.{0,80}|поделитесь\b.{0,80}|распечатать|печать|копировать ссылку|(слушать|прослушать) (статью|новость|материал)",
    r"нашли ошибку\b.{0,120}|заметили ошибку\b.{0,120}",
    r"(обновлено|изменено|дата обновления)\b.{0,60}|версия для печати|материалы по теме",
    r"(счётчик|счетчик)?\s*посещений\s*:?\s*[\d\s]+|оставьте (свой )?комментарий\b.{0,60}",
    r"мнение (автора|редакции)\b.{0,100}\bсовпада.{0,100}|при (использовании|копировании|перепечатке) материалов\b.{0,120}",
    r"подпис(ывайтесь|аться|ка|ывайся|итесь)\b.{0,80}|присоединяйтесь\b.{0,80}",
    r"реклама|наверх|на главную",
    r"(фото(графия)?|иллюстрация)\s*:.{0,120}|фото\s+.{0,80}/.{0,60}",
    r"(теги|метки|рубрика|раздел)\s*:.{0,200}",
    r"просмотр(ов|ы|а)?\s*:?\s*[\d\s]+|[\d\s]+\s*просмотр(ов|а)?",
    r"(мы используем|сайт использует|этот сайт использует) (файлы )?cookie.{0,200}|.{0,100}\bcookie.{0,100}\bсоглашаетесь\b.{0,80}"
    r"|понятно|все права защищены.{0,120}|сделано на tilda|(← )?(предыдущая|следующая) (запись|статья|новость)\b.{0,150}",
    r"гостевая книга|главная",
    # Kazakh
    r"бөлісу(\s*:.{0,80})?|бөлісіңіз\b.{0,80}|қате тапсаңыз\b.{0,120}",
    r"пікірлер(\s*\(?\d+\)?)?|\d+\s+пікір|пікір (қалдыру|жазу|қалдырыңыз)",
    r".{0,60}\bжазылыңыз\b.{0,60}|жазылу",
    r"(тақырыпқа қатысты|тақырып бойынша|ұқсас (жаңалықтар|жазбалар|материалдар|мақалалар)|оқи отырыңыз|тағы оқыңыз)(\s*:.{0,150})?",
    r"(сурет|фото)\s*:.{0,120}|дереккөз(і|дер)?(\s*:.{1,120})?",
    r"пікір(іңізді|леріңізді)?\b.{0,40}\bқалдыр.{0,40}",
    r"(тегтер|тег|санат|айдар)\s*:.{0,200}",
    r"қарал(ды|ым|ым саны|ымдар)\s*:?\s*[\d\s]+|[\d\s]+\s*рет қаралды",
    r"барлық құқықтар қорғалған.{0,80}|басты бет|жаңартылды\b.{0,60}",
    r"материал(ды|дарды)? (көшіргенде|пайдаланғанда|көшірген кезде)\b.{0,120}|автордың пікірі\b.{0,150}",
]

# Security: safe by default when DEBUG is off; each setting can be overridden by name.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", "strict-origin-when-cross-origin") or None
SECURE_CONTENT_TYPE_NOSNIFF = envbool("SECURE_CONTENT_TYPE_NOSNIFF", True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = env("SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
SESSION_COOKIE_HTTPONLY = envbool("SESSION_COOKIE_HTTPONLY", True)
SESSION_COOKIE_SAMESITE = env("SESSION_COOKIE_SAMESITE", "Lax")
CSRF_COOKIE_SAMESITE = env("CSRF_COOKIE_SAMESITE", "Lax")
X_FRAME_OPTIONS = env("X_FRAME_OPTIONS", "DENY")
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# The HSTS preload directive asks browsers to hard-code HTTPS for the domain and every subdomain, and
# is slow to undo: an operator opts in with SECURE_HSTS_PRELOAD=1 rather than getting it by default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp): no inline script or style anywhere, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin login throttling (django-axes; config/throttling.py). Unlock: docs/DEPLOY.md.
# Locking an address alone would lock out every colleague behind the same NAT, and would never stop
# guesses spread over many addresses. So by default an account is locked at one address after
# AXES_FAILURE_LIMIT failures, and at every address after GLOSSA_ACCOUNT_FAILURE_LIMIT. The second
# limit is higher because anyone who knows a username can spend it to lock that account out.
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
GLOSSA_ACCOUNT_FAILURE_LIMIT = envint("GLOSSA_ACCOUNT_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
# Comma-separated rules, each one parameter or several joined by "+" (locked together).
AXES_LOCKOUT_PARAMETERS = [
    part.split("+") if "+" in part else part
    for part in envlist("AXES_LOCKOUT_PARAMETERS", "username+ip_address,username")
]
AXES_HANDLER = "config.throttling.PerRuleLimitHandler"
AXES_LOCKOUT_CALLABLE = "config.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.network.client_ip"
# A login refused or missing its next= lands on the admin, the one place staff log in to.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Fetching pages to import (articles/importing/fetch.py).
GLOSSA_FETCH_ALLOW_PRIVATE = envbool("GLOSSA_FETCH_ALLOW_PRIVATE", False)  # tests serve pages on loopback
GLOSSA_FETCH_MAX_BYTES = envint("GLOSSA_FETCH_MAX_BYTES", GLOSSA_MAX_UPLOAD_BYTES)
GLOSSA_FETCH_TIMEOUT = envint("GLOSSA_FETCH_TIMEOUT", 20)  # seconds to connect, and between bytes read
GLOSSA_FETCH_MAX_REDIRECTS = envint("GLOSSA_FETCH_MAX_REDIRECTS", 5)
GLOSSA_FETCH_USER_AGENT = env(
    "GLOSSA_FETCH_USER_AGENT", f"GlossaArchive/1.0 (+{env('SITE_URL', 'http://127.0.0.1:8000')})"
)
# Pages one import job fetches at the same time, and import jobs that split their items between workers.
GLOSSA_FETCH_CONCURRENCY = envint("GLOSSA_FETCH_CONCURRENCY", 4)
GLOSSA_IMPORT_WORKERS = envint("GLOSSA_IMPORT_WORKERS", 2)
# Uploads of at most this many files are imported while the editor waits; more become a background job.
GLOSSA_IMPORT_INLINE_FILES = envint("GLOSSA_IMPORT_INLINE_FILES", 10)

# Background tasks (django-tasks): the database backend, run by `manage.py db_worker`; with REDIS_URL,
# RQ (django-tasks-rq), run by `manage.py rqworker --job-class django_tasks_rq.Job`.
TASKS_BACKEND = env("TASKS_BACKEND", "rq" if env("REDIS_URL") else "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL"), "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database, rq or immediate, not {TASKS_BACKEND!r}")

# Caches. "default" holds rendered anonymous pages; "versions" holds the version of each page-cache
# key (config/pagecache.py), so it must be shared by every process (Redis, or a file on this machine).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "glossa"),
    }
    CACHES = {"default": redis_cache, "versions": redis_cache}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "glossa-pages",
            # Per worker process; bounded so that crawlers walking query strings cannot grow it forever.
            "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_MAX_ENTRIES", 1000)},
        },
        "versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        },
    }
# Seconds an anonymous page stays cached; 0 turns the page cache off (the default with DEBUG, so template
# changes show at once). Content edits invalidate it at once.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 0 if DEBUG else 600)
# A page that misses is rebuilt by one request; others asking for it wait up to this long for that copy.
PAGE_CACHE_WAIT_SECONDS = envfloat("PAGE_CACHE_WAIT_SECONDS", 5.0)
# The longest one rebuild may hold the others back (a worker that dies while building).
PAGE_CACHE_BUILD_SECONDS = envint("PAGE_CACHE_BUILD_SECONDS", 30)

# LOG_FORMAT=json: one JSON object per line, for log collectors.
LOG_FORMAT = env("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "filters": {"forbidden_on_one_line": {"()": "config.logging.ForbiddenOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # A logger's filters see only its own records, not its children's: each logger that reports
        # a 403 is named (PermissionDenied on django.request, CSRF refusals on django.security.csrf).
        "django.request": {"filters": ["forbidden_on_one_line"]},
        "django.security.csrf": {"filters": ["forbidden_on_one_line"]},
        "django.db.backends": {"level": "WARNING"},
        # The importer reports a page without main text itself; trafilatura's own warning is noise.
        "trafilatura": {"level": "ERROR"},
    },
}
