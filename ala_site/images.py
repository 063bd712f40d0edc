"""Image renditions, made once when an image is saved rather than on each request."""

import base64
import contextlib
import io
import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageOps


def make_rendition(source, max_width, quality=82):
    """Return a ContentFile with `source` scaled down to `max_width` as WebP."""
    source.open("rb")
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        if image.width > max_width:
            height = round(image.height * max_width / image.width)
            image = image.resize((max_width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=quality)
    stem = PurePosixPath(source.name).stem
    return ContentFile(buffer.getvalue(), name=f"{stem}-{max_width}w.webp")


def refresh_rendition(image, rendition, max_width):
    """Keep a rendition field in step with its image field; call from the model's save().

    The rendition's name is derived from the image's, so an unchanged image is not
    rendered again, and a replaced one (storage gives it a new name) is.
    """
    if not image:
        if rendition:
            rendition.delete(save=False)
        return
    if not image._committed:
        # A new upload: store it now (as the model's save would) so the check below sees the
        # name storage gives it, which differs from the uploaded one when that name is taken.
        image.save(image.name, image.file, save=False)
    stem = PurePosixPath(image.name).stem
    if rendition and PurePosixPath(rendition.name).name.startswith(f"{stem}-{max_width}w"):
        return
    if rendition:
        rendition.delete(save=False)
    content = make_rendition(image, max_width)
    rendition.save(content.name, content, save=False)


def image_upload_path(instance, filename):
    return f"{instance.IMAGE_FOLDER}/{filename}"


def rendition_upload_path(instance, filename):
    return f"{instance.IMAGE_FOLDER}/renditions/{filename}"


# Uploads kept from an admin form that failed validation (see ala_site.admin.KeptImageWidget).
# The browser cannot be made to send a file again, so the file waits here, named by a signed
# token in the re-rendered form, until the next submission uses it or it is a day old.
KEPT_FOLDER = "tmp-uploads"
KEPT_FOR = timedelta(days=1)
_KEPT_SALT = "ala_site.images.kept-upload"


class KeptUpload(SimpleUploadedFile):
    """An upload read back from the temporary area; it validates and saves like a new upload."""

    def __init__(self, *, name, content, content_type, token, path):
        super().__init__(name, content, content_type)
        self.kept_token = token
        self.kept_path = path


def keep_upload(upload):
    """Store `upload` in the temporary area and return the signed token that brings it back."""
    sweep_kept_uploads()
    extension = "".join(ch for ch in PurePosixPath(upload.name).suffix.lower() if ch.isascii() and ch.isalnum())
    stored_name = secrets.token_hex(16) + (f".{extension[:10]}" if extension else "")
    # File() hides a large upload's temporary path, so storage copies it instead of moving it
    # away from under the request.
    path = default_storage.save(f"{KEPT_FOLDER}/{stored_name}", File(upload))
    upload.seek(0)
    return signing.dumps(
        {"path": path, "name": PurePosixPath(upload.name).name, "type": upload.content_type or ""}, salt=_KEPT_SALT
    )


def kept_upload(token):
    """The KeptUpload a token names, or None when the token is forged, too old, or its file is gone."""
    try:
        kept = signing.loads(token, salt=_KEPT_SALT, max_age=KEPT_FOR)
        path = kept["path"]
    except (signing.BadSignature, TypeError, KeyError):
        return None
    if not (path.startswith(f"{KEPT_FOLDER}/") and PurePosixPath(path).name == path[len(KEPT_FOLDER) + 1 :]):
        return None
    try:
        with default_storage.open(path, "rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        return None
    return KeptUpload(name=kept["name"], content=content, content_type=kept["type"], token=token, path=path)


def discard_kept_upload(path):
    with contextlib.suppress(FileNotFoundError):
        default_storage.delete(path)


def sweep_kept_uploads(now=None):
    """Delete kept uploads older than KEPT_FOR: forms that were abandoned after failing."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    try:
        _, names = default_storage.listdir(KEPT_FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{KEPT_FOLDER}/{name}"
        # Another request may sweep the same file at the same moment.
        with contextlib.suppress(FileNotFoundError):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)


def thumbnail_data_uri(file, size=320):
    """A small WebP of an image file as a data: URI, to show an image that has no public URL yet."""
    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((size, size))
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=75)
    file.seek(0)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
