"""Import jobs: a batch of URLs, a feed, a zip or uploaded files, imported in the background one
item at a time (``importing/jobs.py`` runs them, ``tasks.py`` puts them on the task queue)."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse


class ImportJobQuerySet(models.QuerySet):
    def delete(self):
        """Delete the jobs, their items and, once that is committed, the files kept for them (a zip,
        uploads waiting for a retry, offered versions); the articles they created stay."""
        from .importing.uploads import delete_stored

        names = [
            *self.values_list("source_file", flat=True),
            *ImportItem.objects.filter(job__in=self).values_list("stored_name", flat=True),
        ]  # empty names (nothing kept) are skipped by delete_stored
        deleted = super().delete()
        transaction.on_commit(lambda: delete_stored(names, after="its import job was deleted"))
        return deleted


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        URLS = "urls", "Web addresses"
        FEED = "feed", "Feed"
        FILES = "files", "Uploaded files"
        ZIP = "zip", "Zip archive"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_status = models.CharField("status of new articles", max_length=10, default="draft")
    outlet = models.ForeignKey(
        "articles.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outlet_name = models.CharField(max_length=200, blank=True)
    source_url = models.CharField("feed address", max_length=1000, blank=True)
    # A zip archive, kept through the storage API until the job is deleted.
    source_file = models.FileField(upload_to="imports/%Y/%m/", blank=True, max_length=300)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED, db_index=True)
    error = models.TextField(blank=True)
    expanded = models.BooleanField(default=False, editable=False)  # the feed or zip has been listed
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk}: {self.get_kind_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_importjob_change", args=[self.pk])

    def counts(self) -> dict[str, int]:
        """Items in each state, and ``total`` and ``done`` (items no longer pending)."""
        states = [state for state, _label in ImportItem.State.choices]
        counts = self.items.aggregate(
            total=Count("pk"), **{state: Count("pk", filter=Q(state=state)) for state in states}
        )
        counts["done"] = counts["total"] - counts[ImportItem.State.PENDING]
        return counts

    def delete(self, *args, **kwargs):
        return ImportJob.objects.filter(pk=self.pk).delete()

    @property
    def is_active(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.RUNNING}


class ImportItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        CREATED = "created", "Created"
        DUPLICATE = "duplicate", "Duplicate"
        REPLACED = "replaced", "Applied as a corrected version"
        OFFERED = "offered", "New version offered"
        ERROR = "error", "Error"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=1000, help_text="The web address, or the file's name.")
    # The item's bytes in storage: an uploaded file waiting to be imported, or a new version offered.
    stored_name = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=9, choices=State.choices, default=State.PENDING)
    message = models.TextField(blank=True)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job_id", "position"]  # by the column: ordering by "job" would join (and lock) the job
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="importitem_unique_position")]
        indexes = [models.Index(fields=["job", "state"], name="importitem_job_state")]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_state_display().lower()})"
