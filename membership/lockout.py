"""Which account a failed login counts against, for django-axes (AXES_USERNAME_CALLABLE).

Django's login form passes the email as `username`, but axes looks under the user model's
USERNAME_FIELD ("email") by default, finds nothing, and so counts failures against no
account: five wrong passwords never locked anyone out. The address is lower-cased because
"Ana@x.org" and "ANA@X.ORG" log in to the same account, so they must share one count.
"""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from ala_site.ratelimit import client_address


def lockout_username(request, credentials=None):
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return str(value).strip().lower() if value else None


def lockout_address(request):
    """The client address axes records: the rate limits' one, or None when it is not an address.

    Axes stores it in an IP address column, which PostgreSQL checks (a test client has none).
    """
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _address_key(request):
    return f"login-failures:{client_address(request)}"


def address_failures(request):
    return cache.get(_address_key(request), 0)


class AddressLockoutBackend:
    """Refuses every login from an address with too many failures, whatever emails it tried.

    django-axes counts failures per email and address, so credential stuffing (one guess for
    each of many emails) never reaches its limit. Axes has one limit for all the parameters it
    counts, and an address-wide limit of 5 would lock a whole library branch behind one shared
    address after five typos; so the address-wide count has its own, higher limit here.
    It has no get_user() on purpose: logins it never grants must not be recorded as its own.
    """

    def authenticate(self, request, **credentials):
        if request is not None and address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # AxesMiddleware turns this into the same lockout page as axes' own.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            raise PermissionDenied("Too many failed logins from this address.")
        return None


@receiver(user_login_failed)
def count_address_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _address_key(request)
    period = int(settings.AXES_COOLOFF_TIME * 3600)
    cache.add(key, 0, period)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)


# The login page warns once this few failed logins are left before the lock (after 3 of 5).
WARN_WHEN_LEFT = 2


def attempts_left(request):
    """Failed logins left before axes locks the email just tried from this address, if few.

    None when there is nothing to warn about. Axes keeps a count for any email typed, whether or
    not an account has it, so the warning never tells whether an account exists.
    """
    if request is None or request.method != "POST" or lockout_username(request) is None:
        return None
    left = get_failure_limit(request, None) - AxesProxyHandler.get_failures(request)
    return left if 0 < left <= WARN_WHEN_LEFT else None


def attempts_left_warning(request):
    left = attempts_left(request)
    if left is None:
        return ""
    minutes = round(get_cool_off(request).total_seconds() / 60)
    attempts = "1 attempt" if left == 1 else f"{left} attempts"
    return f"{attempts} left before the account is locked for {minutes} minutes."
