from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


@pytest.mark.django_db
def test_no_model_changes_lack_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("a-long-secret-from-a-file-" + "x" * 40)
    result = run_manage("check", DEBUG="0", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_a_bad_boolean_is_named():
    result = run_manage("check", DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr
