from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_absolute = URLValidator(schemes=["http", "https"])


def validate_link(value):
    """A link is a site path ("/news/", "/news/#latest") or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        if any(ch.isspace() for ch in value):
            raise ValidationError("A path cannot contain spaces.")
        return
    try:
        _absolute(value)
    except ValidationError:
        raise ValidationError(
            "Enter a path on this site starting with / (like /news/) or a full address starting with https://."
        ) from None
