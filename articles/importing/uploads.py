"""How files come in and are kept: one size check for every upload, and stored files that go
with their rows when a transaction rolls back."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from .base import ImportProblem

logger = logging.getLogger(__name__)


def read_upload(source: UploadedFile | Path) -> bytes:
    """The bytes of an uploaded file or a file on disk, refused before reading if over the limit.

    The one place the upload limit (``GLOSSA_MAX_UPLOAD_BYTES``) is checked: the admin's import and
    corrected-version forms and ``import_articles`` all read their files through it.
    """
    size = source.size if isinstance(source, UploadedFile) else source.stat().st_size
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportProblem(
            f"The file is {human_size(size)}, over the {human_size(limit)} limit for imports."
        )
    if isinstance(source, UploadedFile):
        return b"".join(source.chunks())
    return source.read_bytes()


def human_size(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")  # plain spaces: messages go to terminals and JSON too


def stored_name(filename: str) -> str:
    """The name a file is stored under: its last path component (the storage cleans the rest)."""
    # No hidden files (.htaccess): leading dots go too.
    name = PurePosixPath(filename.replace("\\", "/")).name.lstrip(".")
    try:
        return default_storage.get_valid_name(name)
    except SuspiciousFileOperation:  # nothing usable left, such as "★" or ".."
        return "upload"


@contextmanager
def files_kept_with_rows() -> Iterator[list[str]]:
    """A transaction whose stored files share its fate: names added to the list are deleted from
    storage if it rolls back, so a failed import leaves neither rows nor files behind."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        # The storage may be what failed (a bucket out of reach): the rows are gone all the same,
        # and the error that stopped the import is the one to raise, not a failed delete.
        delete_stored(stored, after="its import failed")
        raise


def delete_stored(names: Iterable[str], *, after: str = "it was no longer needed") -> None:
    """Delete files from storage, logging (never raising) a delete the storage refuses."""
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not delete %s from storage after %s", name, after)
