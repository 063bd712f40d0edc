"""Image renditions, made once when an image is saved rather than on each request."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
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
