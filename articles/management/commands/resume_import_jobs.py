from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.importing import jobs
from articles.models import ImportJob


class Command(BaseCommand):
    help = (
        "Queue unfinished import jobs again, after a worker was stopped or killed (its task stays "
        "RUNNING in the task queue). Items already finished are not repeated. Without JOB ids, every "
        "queued or running job is resumed: run it when the workers start."
    )

    def add_arguments(self, parser):
        parser.add_argument("job_ids", nargs="*", type=int, metavar="JOB", help="import job ids")
        parser.add_argument("--retry-failed", action="store_true", help="also retry the items that failed")

    def handle(self, *args, job_ids: list[int], retry_failed: bool, **options):
        selected = (
            ImportJob.objects.filter(pk__in=job_ids)
            if job_ids
            else ImportJob.objects.filter(state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING])
        )
        found = list(selected.order_by("pk"))
        if job_ids and len(found) != len(set(job_ids)):
            missing = sorted(set(job_ids) - {job.pk for job in found})
            raise CommandError(f"No import job has the id {', '.join(map(str, missing))}.")
        for job in found:
            pending = job.counts()["pending"]
            retried = jobs.retry_failed(job) if retry_failed else 0
            if retried or jobs.resume(job):
                self.stdout.write(f"Import job #{job.pk} queued again ({pending + retried} items to do).")
            else:
                self.stdout.write(f"Import job #{job.pk} has nothing left to do.")
