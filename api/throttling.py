from rest_framework.throttling import SimpleRateThrottle

from accounts.security import client_ip


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address (the proxy-aware one the lockout uses), counted in the shared cache
    so the limit holds across workers and instances."""

    scope = "api"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
