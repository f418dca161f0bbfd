"""Errors as RFC 9457 problem details (application/problem+json), in the request's language."""

from http import HTTPStatus

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_TYPE = "application/problem+json"


def titles() -> dict[int, str]:
    return {
        400: _("リクエストの値が正しくありません"),
        404: _("見つかりません"),
        405: _("この操作はできません"),
        406: _("この形式では返せません"),
        429: _("リクエストが多すぎます"),
    }


def problem(status: int, detail: str, **extra) -> dict:
    title = titles().get(status) or HTTPStatus(status).phrase
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}


def _detail(exc) -> tuple[str, dict]:
    """One readable sentence, plus the per-parameter errors of a validation error."""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        flat = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()}
        return _("パラメータの値を確かめてください。"), {"errors": flat}
    if isinstance(exc, exceptions.Throttled):
        return _("しばらく待ってから（%(seconds)s秒後）もう一度お試しください。") % {
            "seconds": int(exc.wait or 0) + 1
        }, {}
    if isinstance(exc, exceptions.NotFound):
        return _("指定されたデータは公開されていないか、存在しません。"), {}
    return str(getattr(exc, "detail", exc)), {}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail, extra = _detail(exc)
    return Response(
        problem(response.status_code, detail, **extra),
        status=response.status_code,
        headers={k: v for k, v in response.items() if k in ("Retry-After", "Allow")},
        content_type=PROBLEM_TYPE,
    )


def not_found(request, *args, **kwargs):
    """Any /api/ path that names no endpoint."""
    return JsonResponse(
        problem(404, _("この URL の API はありません。/api/v1/ の説明をご覧ください。")),
        status=404,
        content_type=PROBLEM_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
