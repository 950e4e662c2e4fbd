"""Import jobs in the admin: the list, each job's page (progress, every item's outcome, links to
what was created, new versions to apply), and the actions Resume and Retry failed items.

Jobs are created on the import page; editors may follow, restart and delete them (the
``importjob`` permissions of the Editors group).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from .importing import ImportProblem, jobs
from .models import ImportItem, ImportJob

ITEMS_PER_PAGE = 200
REFRESH_SECONDS = 3


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["created_by"]
    show_full_result_count = False
    actions = ["resume_jobs", "retry_failed_items"]

    def has_add_permission(self, request) -> bool:
        return False  # jobs are made on the import page

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_active)

    @admin.display(description="items done")
    def progress(self, job: ImportJob) -> str:
        counts = job.counts()
        return f"{counts['done']} of {counts['total']}"

    @admin.action(description="Resume selected jobs (after a worker stopped)")
    def resume_jobs(self, request, queryset):
        resumed = sum(1 for job in queryset if jobs.resume(job))
        self.message_user(
            request, f"{resumed} job{'' if resumed == 1 else 's'} queued again.", messages.SUCCESS
        )

    @admin.action(description="Retry failed items of selected jobs")
    def retry_failed_items(self, request, queryset):
        retried = sum(jobs.retry_failed(job) for job in queryset)
        self.message_user(
            request, f"{retried} failed item{'' if retried == 1 else 's'} queued again.", messages.SUCCESS
        )

    def get_urls(self):
        site = self.admin_site
        return [
            path("<int:job_id>/", site.admin_view(self.job_view), name="articles_importjob_change"),
            path("<int:job_id>/resume/", site.admin_view(self.resume_view), name="articles_importjob_resume"),
            path("<int:job_id>/retry/", site.admin_view(self.retry_view), name="articles_importjob_retry"),
            path(
                "<int:job_id>/apply/<int:item_id>/",
                site.admin_view(self.apply_view),
                name="articles_importjob_apply",
            ),
            # The job page above stands for the default change form.
            *(url for url in super().get_urls() if url.name != "articles_importjob_change"),
        ]

    def job_view(self, request, job_id: int):
        job = get_object_or_404(ImportJob.objects.select_related("created_by", "outlet"), pk=job_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        items = job.items.select_related("article").order_by("position")
        state = request.GET.get("state", "")
        if state in ImportItem.State.values:
            items = items.filter(state=state)
        page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
        counts = job.counts()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(job),
            "job": job,
            "counts": counts,
            "states": [(value, label, counts[value]) for value, label in ImportItem.State.choices],
            "state": state,
            "page": page,
            "refresh": REFRESH_SECONDS if job.is_active else None,
            "may_apply": request.user.has_perm("articles.change_article")
            and request.user.has_perm("articles.change_paragraph"),
        }
        return TemplateResponse(request, "admin/articles/importjob/job.html", context)

    def _post_on_job(self, request, job_id: int) -> ImportJob:
        job = get_object_or_404(ImportJob, pk=job_id)
        if request.method != "POST" or not self.has_change_permission(request, job):
            raise PermissionDenied
        return job

    def resume_view(self, request, job_id: int):
        job = self._post_on_job(request, job_id)
        if jobs.resume(job):
            messages.success(request, "The job is queued again; finished items are not repeated.")
        else:
            messages.info(request, "Nothing is left to do in this job.")
        return redirect(job.get_absolute_url())

    def retry_view(self, request, job_id: int):
        job = self._post_on_job(request, job_id)
        retried = jobs.retry_failed(job)
        messages.success(request, f"{retried} failed item{'' if retried == 1 else 's'} queued again.")
        return redirect(job.get_absolute_url())

    def apply_view(self, request, job_id: int, item_id: int):
        job = self._post_on_job(request, job_id)
        item = get_object_or_404(ImportItem.objects.select_related("article"), pk=item_id, job=job)
        if not (
            request.user.has_perm("articles.change_article")
            and request.user.has_perm("articles.change_paragraph")
        ):
            raise PermissionDenied
        if (
            item.article is not None
            and item.article.is_live()
            and not request.user.has_perm("articles.publish_article")
        ):
            raise PermissionDenied  # changing a published article's text is publishing
        try:
            counts = jobs.apply_offered(item, user=request.user)
        except ImportProblem as problem:
            messages.error(request, str(problem))
        else:
            messages.success(
                request,
                f"“{item.article.title}” now has the new text. Annotations kept: {counts['kept']}, "
                f"moved: {counts['moved']}, orphaned: {counts['orphaned']}.",
            )
        return redirect(f"{job.get_absolute_url()}#item-{item.position}")
