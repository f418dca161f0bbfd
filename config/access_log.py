"""gunicorn's access log without the one-time secrets some URLs carry (password-reset keys, e-mail
confirmation keys, invitation tokens): whoever reads the log must not be able to use them."""

import re

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(r"(/accounts/password/reset/key/|/accounts/confirm-email/|/invitations/)[^/\s?]+")


def redact(value: str) -> str:
    return SECRET_IN_PATH.sub(r"\1[redacted]", value)


class RedactingLogger(Logger):
    """Every text atom (request line, path, referer, headers) passes through `redact`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
