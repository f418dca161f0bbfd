"""The API's documentation page, rendered on the server from the same OpenAPI document the API serves."""

from functools import cache

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language, override
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get",)


@cache
def schema_for(language: str) -> dict:
    with override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict) -> list[dict]:
    """Each operation with its path, summary and parameters, in the document's order."""
    out = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op:
                params = [p for p in op.get("parameters", []) if p.get("in") in ("path", "query")]
                out.append({"path": path, "method": method.upper(), "op": op, "params": params})
    return out


def documentation(request):
    schema = schema_for(get_language())
    return render(
        request,
        "api/docs.html",
        {
            "operations": operations(schema),
            "site_url": settings.SITE_URL.rstrip("/"),
            "license": settings.OPEN_DATA_LICENSE,
            "rate_limit": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"],
        },
    )
