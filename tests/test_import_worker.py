"""A real worker: the database task backend and ``manage.py db_worker --batch`` run an import job
split into parts, as the workers ``make run`` and docs/DEPLOY.md start do."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles.importing import jobs
from articles.models import Article, ImportJob
from tests.webserver import Server, page


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_an_import_job_in_parts(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.GLOSSA_FETCH_ALLOW_PRIVATE = True
    settings.GLOSSA_IMPORT_WORKERS = 2
    with Server() as web:
        urls = [
            web.serve(
                f"/columns/{n}",
                page(f"Worker column {n}", f"Paragraph of column {n} on the budget and the bridge."),
            )
            for n in range(1, 6)
        ]
        job = jobs.create_job(ImportJob.Kind.URLS, urls=urls)
        jobs.start(job)
        job.refresh_from_db()
        assert job.state == ImportJob.State.QUEUED and Article.objects.count() == 0
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0",
            stdout=StringIO(),
            stderr=StringIO(),
        )

    job.refresh_from_db()
    assert job.state == ImportJob.State.FINISHED
    assert sorted(job.items.values_list("state", flat=True)) == ["created"] * 5
    assert Article.objects.count() == 5
    # The job's task and the task of its second part, both run to the end.
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("articles.importing.jobs.run_import_job", "SUCCESSFUL"),
        ("articles.importing.jobs.run_import_part", "SUCCESSFUL"),
    ]
