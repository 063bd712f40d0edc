from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.http import url_has_allowed_host_and_scheme

_absolute = URLValidator(schemes=["http", "https"])


def validate_link(value):
    """A link is a site path ("/news/", "/news/#latest") or a full http(s) address.

    Browsers read "/\\evil.example/" (and "//", or "/<tab>/") as another host, so a path counts
    only when Django's own redirect check agrees it stays on this site.
    """
    if value.startswith(("/", "\\")):
        if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ValidationError("A path cannot contain spaces, tabs or line breaks.")
        if "\\" in value or not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
            raise ValidationError(
                "That is not a path on this site: start with a single / (like /news/) and use no backslashes."
            )
        return
    try:
        _absolute(value)
    except ValidationError:
        raise ValidationError(
            "Enter a path on this site starting with / (like /news/) or a full address starting with https://."
        ) from None
