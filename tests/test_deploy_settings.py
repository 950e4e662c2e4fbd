"""Secure by default: a fresh production configuration passes Django's deployment checks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import config.views
from config.logging import JsonFormatter
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-production-secret-" + "k7Qz" * 12


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from a bare environment: only what an operator would set, nothing the test run set.
    keep = {"PATH", "HOME", "LANG", "DATABASE_URL", "VIRTUAL_ENV"}
    base = {key: value for key, value in os.environ.items() if key in keep}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    return run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="0", ALLOWED_HOSTS="glossa.example.org", **env
    )


def test_check_deploy_reports_nothing_with_only_the_required_settings():
    result = deploy_check(SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_passes_with_the_secret_key_in_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(SECRET)
    result = deploy_check(SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "setting, value, warning",
    [
        ("SECURE_SSL_REDIRECT", "0", "security.W008"),
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("SESSION_COOKIE_SECURE", "0", "security.W012"),
        ("CSRF_COOKIE_SECURE", "0", "security.W016"),
        ("SECURE_REFERRER_POLICY", "", "security.W022"),
        ("X_FRAME_OPTIONS", "SAMEORIGIN", "security.W019"),
        ("SECURE_CONTENT_TYPE_NOSNIFF", "0", "security.W006"),
    ],
)
def test_each_security_setting_can_be_overridden_by_its_name(setting, value, warning):
    result = deploy_check(SECRET_KEY=SECRET, **{setting: value})
    assert result.returncode != 0
    assert warning in result.stderr


def test_hsts_preload_is_an_explicit_choice():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)",
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="glossa.example.org",
        SECURE_HSTS_PRELOAD="1",
    )
    assert result.stdout.strip().splitlines()[-1] == "True"
    assert deploy_check(SECRET_KEY=SECRET, SECURE_HSTS_PRELOAD="1").returncode == 0


def lockout_settings(**env: str) -> list:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.AXES_LOCKOUT_PARAMETERS, settings.AXES_FAILURE_LIMIT, "
        "settings.GLOSSA_ACCOUNT_FAILURE_LIMIT]))"
    )
    result = run_manage("shell", "-c", code, DEBUG="1", **env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_logins_are_locked_per_account_and_address_and_per_account_by_default():
    assert lockout_settings() == [[["username", "ip_address"], "username"], 5, 20]


def test_the_login_lock_out_rules_and_limits_come_from_the_environment():
    assert lockout_settings(
        AXES_LOCKOUT_PARAMETERS="ip_address", AXES_FAILURE_LIMIT="3", GLOSSA_ACCOUNT_FAILURE_LIMIT="50"
    ) == [["ip_address"], 3, 50]
    assert lockout_settings(AXES_LOCKOUT_PARAMETERS="ip_address+user_agent, username")[0] == [
        ["ip_address", "user_agent"],
        "username",
    ]


def test_a_bad_log_format_is_named():
    result = run_manage("check", DEBUG="1", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr


def test_json_logs_are_one_object_per_line():
    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('glossa.test').warning('disk at %s%%', 93, extra={'disk': 'var'})",
        DEBUG="1",
        LOG_FORMAT="json",
    )
    line = [line for line in result.stderr.splitlines() if "glossa.test" in line][-1]
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "glossa.test"
    assert entry["message"] == "disk at 93%"
    assert entry["disk"] == "var"


def test_json_log_lines_carry_the_path_but_not_the_query_string():
    from django.test import RequestFactory

    request = RequestFactory().get("/articles/x/?token=secret")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",), None)
    record.request = request
    record.status_code = 404
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/articles/x/"
    assert entry["status_code"] == 404
    assert "secret" not in json.dumps(entry)


@pytest.mark.django_db
def test_healthz_is_exempt_from_the_ssl_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/healthz").status_code == 200
    redirected = client.get("/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_the_referrer_policy(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def request_records(caplog, status: int) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name.startswith("django.") and getattr(r, "status_code", 0) == status
    ]


def plain_line(record: logging.LogRecord) -> str:
    return logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(record)


@pytest.mark.django_db
def test_a_403_is_logged_on_one_line_without_a_traceback(client, caplog):
    checker = UserFactory(group="Fact-checkers")
    client.force_login(checker)
    with caplog.at_level(logging.WARNING):
        assert client.get("/admin/auth/user/").status_code == 403
    (record,) = request_records(caplog, 403)
    assert record.levelname == "WARNING"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text
    line = plain_line(record)
    assert "\n" not in line
    assert "/admin/auth/user/" in line
    assert f"(GET, status 403, user {checker.pk})" in line
    entry = json.loads(JsonFormatter().format(record))
    assert "exception" not in entry
    assert (entry["method"], entry["path"], entry["status_code"], entry["user_id"]) == (
        "GET",
        "/admin/auth/user/",
        403,
        checker.pk,
    )


@pytest.mark.django_db
def test_a_refused_csrf_token_is_logged_on_one_line_without_a_user(caplog):
    with caplog.at_level(logging.WARNING):
        response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    (record,) = request_records(caplog, 403)
    assert record.name == "django.security.csrf"
    assert plain_line(record).endswith("(POST, status 403, no user)")


@pytest.mark.django_db
def test_a_server_error_keeps_its_traceback(monkeypatch, caplog):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(config.views, "connection", BrokenConnection())
    with caplog.at_level(logging.WARNING):
        assert Client(raise_request_exception=False).get("/healthz").status_code == 500
    (record,) = request_records(caplog, 500)
    assert record.levelname == "ERROR"
    assert record.exc_info is not None
    assert "Traceback" in caplog.text
    assert "RuntimeError: the disk is on fire" in caplog.text
    assert "exception" in json.loads(JsonFormatter().format(record))


def test_the_wsgi_application_freezes_what_start_up_loaded():
    # In a process of its own, as a gunicorn worker loads it: every view module imported, and
    # everything loaded so far kept out of the collector's full collections.
    script = (
        "import gc, sys; import config.wsgi; "
        "print(gc.get_freeze_count(), 'research.views' in sys.modules, 'annotations.views' in sys.modules)"
    )
    keep = {"PATH", "HOME", "LANG", "DATABASE_URL", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    frozen, research_views, annotation_views = result.stdout.split()
    assert int(frozen) > 10_000
    assert research_views == annotation_views == "True"
