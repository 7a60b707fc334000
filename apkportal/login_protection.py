"""Who is locked out after failed logins, and what they are told (django-axes; see settings).

An account is locked for one address only: locking it for everyone would let anyone lock every
editor out from a single machine just by typing their names. An address that fails on many
accounts (guessing one common password across names) is locked whatever name it tries next."""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _address(request_or_attempt) -> str | None:
    if isinstance(request_or_attempt, AccessBase):
        return request_or_attempt.ip_address
    return getattr(request_or_attempt, "axes_ip_address", None) or get_client_ip_address(
        request_or_attempt
    )


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """An account from one address; and the address alone once it has failed too often."""
    parameters: list = [["username", "ip_address"]]
    address = _address(request_or_attempt)
    if address:
        since = timezone.now() - (get_cool_off() or timedelta(0))
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=since
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (failures or 0) >= settings.APK_LOGIN_ADDRESS_FAILURE_LIMIT:
            parameters.append("ip_address")
    return parameters


def client_address(request: HttpRequest) -> str | None:
    """The reader's address: behind DJANGO_PROXY_COUNT trusted proxies, the address the
    outermost of them saw (what a client writes into X-Forwarded-For itself is ignored)."""
    count = settings.APK_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The page shown instead of the login form while locked out: 429, in the page's language,
    saying how long to wait (also in Retry-After)."""
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(
        request,
        "admin/locked_out.html",
        {"minutes": minutes, "title": ""},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
