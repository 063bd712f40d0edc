"""Which account a failed login counts against, for django-axes (AXES_USERNAME_CALLABLE).

Django's login form passes the email as `username`, but axes looks under the user model's
USERNAME_FIELD ("email") by default, finds nothing, and so counts failures against no
account: five wrong passwords never locked anyone out. The address is lower-cased because
"Ana@x.org" and "ANA@X.ORG" log in to the same account, so they must share one count.
"""


def lockout_username(request, credentials=None):
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return str(value).strip().lower() if value else None
