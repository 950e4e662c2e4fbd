"""Files in an S3 bucket that, like files on disk, are never written over.

Django finds a free name first (``get_available_name``) and writes it next. On disk the write
itself refuses a name taken in between (``O_EXCL``); django-storages' ``S3Storage`` writes over it.
With several app servers, two editors importing an ``index.html`` in the same month at the same
moment would both find ``originals/2026/12/index.html`` free, and the second upload would replace
the first article's original, whose recorded SHA-256 would then be false. A failed import would
also delete, on rollback, an object that the other article owns.

``BucketStorage`` writes with ``If-None-Match: *`` (S3 conditional writes), so a taken name is
refused by the store and a name with a random suffix is tried instead, as on disk.
"""

from __future__ import annotations

import posixpath

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# What S3 answers a conditional write whose name is taken, or that raced another write of it.
TAKEN = {"PreconditionFailed", "ConditionalRequestConflict"}


class BucketStorage(S3Storage):
    attempts = 10

    def _save(self, name: str, content) -> str:
        for _attempt in range(self.attempts):
            try:
                return self._create(name, content)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in TAKEN:
                    raise
            name = self._another_name(name)
        raise FileExistsError(f"No free name like {name} in the bucket after {self.attempts} tries.")

    def _another_name(self, name: str) -> str:
        """``name`` with a random suffix, as Django's ``get_available_name`` makes them."""
        directory, filename = posixpath.split(name)
        root, extension = posixpath.splitext(filename)
        return posixpath.join(directory, self.get_alternative_name(root, extension))

    def _create(self, name: str, content) -> str:
        """Write ``content`` under ``name`` only if nothing is there: one PUT (uploads are at most
        GLOSSA_MAX_UPLOAD_BYTES, far below S3's 5 GB for one PUT)."""
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        content.seek(0)
        self.bucket.Object(key).put(
            Body=content.read(), IfNoneMatch="*", **self._get_write_parameters(key, content)
        )
        return cleaned
