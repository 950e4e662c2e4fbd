"""Admin login throttling on top of django-axes: a limit per lock-out rule, and the lock-out page.

The rules are AXES_LOCKOUT_PARAMETERS. By default an account at one address is locked after
AXES_FAILURE_LIMIT failures, and an account at every address after GLOSSA_ACCOUNT_FAILURE_LIMIT.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince


def rule_limit(rule: dict, failure_limit: int) -> int:
    """The account rule (username alone) has its own limit; every other rule has AXES_FAILURE_LIMIT."""
    return settings.GLOSSA_ACCOUNT_FAILURE_LIMIT if list(rule) == ["username"] else failure_limit


class PerRuleLimitHandler(AxesDatabaseHandler):
    """axes' database handler, with each lock-out rule measured against its own limit.

    axes counts failures per rule but compares only the largest count with one limit,
    AXES_FAILURE_LIMIT, so an account rule would lock an account everywhere as soon as one address
    is locked. Here each rule reports how close it is to its own limit, on the scale of
    AXES_FAILURE_LIMIT: the number reaches AXES_FAILURE_LIMIT exactly when some rule reaches its
    own limit, which is when axes locks.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        rules = get_client_parameters(
            username, request.axes_ip_address, request.axes_user_agent, request, credentials
        )
        failure_limit = get_failure_limit(request, credentials)
        closest = 0
        for rule, attempts in zip(rules, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            closest = max(closest, failures + failure_limit - rule_limit(rule, failure_limit))
        return closest

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful login proves the password at this address only. axes would clear every rule
        # it matches, the account rule included, so the owner logging in from home would lift a
        # stranger's lock-out and the account's count of guesses from everywhere else.
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        count, _ = attempts.delete()
        return count


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): what is locked, for how long."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    context = {
        "username": get_client_username(request, credentials) or "",
        "cool_off": timesince(now - cool_off, now) if cool_off else "",
    }
    return render(request, "429.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
