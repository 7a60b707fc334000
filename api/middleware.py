"""Every failure under /api/ answers the documented JSON error, `{"error": "..."}`.

The views answer their own errors (a bad filter, a page past the end) in JSON already; this
catches what they cannot: an address the API does not have, a method it does not take, and
an exception. Django still handles the exception first (its log with the traceback, the
`got_request_exception` signal, the 500 page), and the HTML that results is replaced here, so a
client never parses a web page and never sees a stack trace."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"

# How long a client should wait before retrying after a database outage (seconds).
RETRY_AFTER = 30

MESSAGES = {
    400: "the request was not understood",
    403: "the request was refused",
    404: "the API has nothing at this address; its index is /api/v1/",
    500: "an error on the server prevented an answer; it has been logged",
    503: "the archive's database cannot be reached just now; try again later",
}


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "the request failed"


class JsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response  # the view's own error, which says more than ours would
        status = response.status_code
        if status == 500 and isinstance(getattr(request, "api_exception", None), OperationalError):
            status = 503
        return self._json_error(response, status)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Only noted: Django's own handling (logging, signal, 500) goes on as for any page.
        if is_api(request):
            request.api_exception = exception

    @staticmethod
    def _json_error(original: HttpResponse, status: int) -> JsonResponse:
        if status == 405:
            message = f"this address only answers {original.get('Allow', 'GET')}"
        else:
            message = MESSAGES.get(status) or _phrase(status)
        response = JsonResponse({"error": message}, status=status)
        response["Access-Control-Allow-Origin"] = "*"
        for header in ("Allow", "Retry-After"):
            if header in original:
                response[header] = original[header]
        if status == 503:
            response["Retry-After"] = str(RETRY_AFTER)
        return response
