"""Private storage for challenge-report attachments: outside MEDIA_ROOT, with no public address.

Files under MEDIA_ROOT are served by the web server to anyone who knows the name; a report's
attachment must never be. It lives under REPORT_ATTACHMENTS_ROOT (default var/private/...), is
written readable by the site's own user only, and reaches staff only through the permission-checked
download in the reports admin (censorship/admin/reports.py).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateReportStorage(FileSystemStorage):
    """A FileSystemStorage rooted at REPORT_ATTACHMENTS_ROOT, read at each use (tests move it)."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(settings.REPORT_ATTACHMENTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Report attachments have no public address: staff download them through the admin.")


private_report_storage = PrivateReportStorage()


def _inside(path, folder):
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


@checks.register(checks.Tags.security)
def check_attachments_are_private(app_configs=None, **kwargs):
    """The attachments' folder must not be one the web server publishes."""
    root = settings.REPORT_ATTACHMENTS_ROOT
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and (_inside(root, public) or _inside(public, root)):
            return [
                checks.Error(
                    f"REPORT_ATTACHMENTS_ROOT ({root}) overlaps {name} ({public}), which is served publicly.",
                    hint="Keep confidential report attachments in a folder of their own, e.g. var/private/.",
                    id="censorship.E001",
                )
            ]
    return []
