from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportProblem, jobs, parse_file
from articles.importing.replace import replace_article_text
from articles.importing.save import ImportResult, import_file_reporting_failures
from articles.importing.uploads import read_upload
from articles.models import Article, ImportItem, ImportJob

PROGRESS_EVERY = 25  # files; batches shorter than this print no progress lines (unless on a terminal)


def is_address(given: str) -> bool:
    return given.lower().startswith(("http://", "https://"))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def files_in(paths: list[str]) -> list[tuple[str, Path | None]]:
    """(name as given or found, path) for every file; a missing path is kept with None to be reported."""
    found = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                (str(child), child)
                for child in sorted(path.rglob("*"))
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        elif path.is_file():
            found.append((given, path))
        else:
            found.append((given, None))
    return found


class Command(BaseCommand):
    help = (
        "Import article files (text, HTML, Markdown, .docx) and web pages. A PATH may be a directory: every "
        "file in it, recursively; a URL is fetched; --feed imports every entry of an RSS or Atom feed. "
        "Exits 1 when any file or page could not be imported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", metavar="PATH_OR_URL", help="a file, a directory of files, or a web address"
        )
        parser.add_argument("--feed", metavar="URL", help="import every entry of this RSS or Atom feed")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the web pages as an import job for the workers instead of importing them now",
        )
        parser.add_argument(
            "--outlet", metavar="NAME", help="outlet of every imported article (created if new)"
        )
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.DRAFT,
            help="status of new articles (default: draft)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object per file, one per line"
        )
        parser.add_argument(
            "--replace",
            metavar="SLUG",
            help="replace the text of the existing article SLUG with this corrected version (one file) "
            "and re-anchor its annotations",
        )

    def handle(self, *args, paths: list[str], **options):
        as_json = options["json"]
        if options["replace"]:
            return self.replace(options["replace"], paths, as_json=as_json)
        urls = [given for given in paths if is_address(given)]
        if not paths and not options["feed"]:
            raise CommandError("Name at least one file, directory or web address, or a feed with --feed.")
        files = files_in([given for given in paths if not is_address(given)])
        self.terminal = self.stderr.isatty()
        results = []
        for number, (name, path) in enumerate(files, start=1):
            result = self.import_one(name, path, options)
            results.append(result)
            self.show(result, as_json=as_json)
            self.progress(number, len(files), "files", as_json=as_json)
        for kind, sources in ((ImportJob.Kind.URLS, urls), (ImportJob.Kind.FEED, [options["feed"]])):
            if sources and sources[0]:
                results.extend(self.import_pages(kind, sources, options))
        errors = sum(1 for result in results if not result.ok)
        if not as_json and results:
            self.summarise(results)
        if errors:
            raise CommandError(f"{errors} of {len(results)} files could not be imported.", returncode=1)

    def progress(self, number: int, total: int, noun: str, *, as_json: bool) -> None:
        """Progress on stderr: every item on a terminal, else every PROGRESS_EVERY in long batches."""
        if self.terminal or (not as_json and total >= PROGRESS_EVERY and number % PROGRESS_EVERY == 0):
            self.stderr.write(f"… {number}/{total} {noun}")

    def import_pages(self, kind: str, sources: list[str], options: dict) -> list[ImportResult]:
        """Web pages (or a feed's) go through an import job, so a new text of a known page waits in
        the admin as an offered corrected version, and a stopped import can be resumed."""
        job = jobs.create_job(
            kind,
            status=options["status"],
            outlet_name=options["outlet"] or "",
            urls=sources if kind == ImportJob.Kind.URLS else (),
            feed_url=sources[0] if kind == ImportJob.Kind.FEED else "",
        )
        if options["background"]:
            jobs.start(job)
            self.stderr.write(f"Import job #{job.pk} queued: {job.get_absolute_url()}")
            return []
        results = []

        def on_result(item: ImportItem, result: ImportResult) -> None:
            results.append(result)
            self.show(result, as_json=options["json"], job=job)
            total = job.items.count() if self.terminal else 0
            self.progress(len(results), total, "pages", as_json=options["json"])

        jobs.run(job.pk, on_result=on_result)
        job.refresh_from_db()
        if job.state == ImportJob.State.FAILED:
            result = ImportResult(job.source_url or sources[0], ImportResult.ERROR, error=job.error)
            self.show(result, as_json=options["json"])
            results.append(result)
        return results

    def replace(self, slug: str, paths: list[str], *, as_json: bool) -> None:
        files = files_in(paths)
        if len(files) != 1 or files[0][1] is None:
            raise CommandError("--replace takes exactly one existing file.")
        name, path = files[0]
        article = Article.objects.select_related("author").filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article has the slug {slug!r}.")
        anchors, error = None, None
        try:
            data = read_upload(path)
            anchors = replace_article_text(article, parse_file(name, data), filename=path.name, data=data)
        except (ImportProblem, OSError) as problem:
            error = str(problem)
        line = ImportResult(
            name,
            ImportResult.ERROR if error else ImportResult.REPLACED,
            article=article,
            error=error,
            paragraph_count=article.paragraphs.count(),
        ).as_json()
        line["anchors"] = anchors
        if as_json:
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        elif error:
            self.stdout.write(self.style.ERROR(f"error      {name}: {error}"))
        else:
            self.stdout.write(
                f"replaced   {name} → #{article.pk} “{article.title}”: annotations kept {anchors['kept']}, "
                f"moved {anchors['moved']}, orphaned {anchors['orphaned']}."
            )
        if error:
            raise CommandError(f"{name} could not replace the text of {slug!r}.", returncode=1)

    def import_one(self, name: str, path: Path | None, options: dict) -> ImportResult:
        if path is None:
            return ImportResult(name, ImportResult.ERROR, error="No such file or directory.")
        try:
            data = read_upload(path)
        except ImportProblem as problem:
            return ImportResult(name, ImportResult.ERROR, error=str(problem))
        except OSError as error:
            return ImportResult(
                name, ImportResult.ERROR, error=f"The file could not be read: {error.strerror}."
            )
        return import_file_reporting_failures(
            name, data, status=options["status"], outlet_name=options["outlet"] or ""
        )

    def show(self, result: ImportResult, *, as_json: bool, job: ImportJob | None = None) -> None:
        if as_json:
            line = result.as_json()
            if job is not None and result.status == ImportResult.OFFERED:
                line["job"] = job.pk
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        elif result.status == ImportResult.ERROR:
            self.stdout.write(self.style.ERROR(f"error      {result.filename}: {result.error}"))
        else:
            article = result.article
            line = f"{result.status:<10} {result.filename} → #{article.pk} “{article.title}”"
            if result.status == ImportResult.OFFERED:
                where = f"import job #{job.pk} in the admin" if job else f"--replace {article.slug}"
                line += f": the text has changed; apply it as a corrected version with {where}"
            self.stdout.write(line)

    def summarise(self, results: list[ImportResult]) -> None:
        counts = dict.fromkeys((ImportResult.CREATED, ImportResult.DUPLICATE, ImportResult.OFFERED), 0)
        counts[ImportResult.ERROR] = 0
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
        offered = f", {counts['offered']} new version{'' if counts['offered'] == 1 else 's'} offered"
        self.stdout.write(
            f"{plural(len(results), 'file')}: {counts['created']} created, "
            f"{plural(counts['duplicate'], 'duplicate')}{offered if counts['offered'] else ''}, "
            f"{plural(counts['error'], 'error')}."
        )
