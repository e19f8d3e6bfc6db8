"""Who may talk to the console: the agent's own browser on this machine, holding the token.

As notebook servers do: a random access token is printed at start; the first visit with
``?token=…`` sets an HttpOnly, SameSite=Strict cookie and redirects to the same address without
the token. Every request must then carry the cookie (or ``Authorization: token …``), and name
this console in its Host header (127.0.0.1:PORT or localhost:PORT: a DNS-rebinding page cannot).
Every POST also carries the page's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``),
and an Origin header, when sent, must be this console's.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from flask import Flask, Response, redirect, render_template, request

COOKIE = "console_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Security:
    """The token, the CSRF token and the allowed hosts of one console."""

    def __init__(self, token: str | None = None, port: int = 0):
        self.token = token or secrets.token_urlsafe(32)
        self.csrf = secrets.token_urlsafe(32)
        self.port = port

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def url(self, path: str = "/") -> str:
        """The address to open once (printed at start)."""
        return f"http://127.0.0.1:{self.port}{path}?{urlencode({'token': self.token})}"

    def _same(self, given: str | None, expected: str) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), expected.encode())

    def _refuse(self, status: int, reason: str) -> Response:
        return Response(render_template("refused.html", reason=reason), status=status,
                        content_type="text/html; charset=utf-8")

    def check(self) -> Response | None:
        """Run before every request: None lets it through, a response refuses it."""
        if request.host not in self.hosts:
            return self._refuse(403, "Adresse refusée : la console ne répond qu’à 127.0.0.1 ou localhost "
                                     "sur son propre port.")
        given = request.args.get("token")
        if given is not None:
            if not self._same(given, self.token):
                return self._refuse(403, "Jeton d’accès incorrect : ouvrez le lien affiché au démarrage de la console.")
            args = {k: v for k, v in request.args.items() if k != "token"}
            target = request.path + (f"?{urlencode(args)}" if args else "")
            response = redirect(target, 303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
            return response
        header = request.headers.get("Authorization", "")
        bearer = header[6:].strip() if header.lower().startswith("token ") else None
        if not (self._same(request.cookies.get(COOKIE), self.token) or self._same(bearer, self.token)):
            return self._refuse(403, "Accès refusé : ouvrez le lien avec le jeton affiché au démarrage de la console "
                                     "(assistant console).")
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("Origin")
            if origin is not None and origin not in {f"http://{h}" for h in self.hosts}:
                return self._refuse(403, "Requête refusée : elle ne vient pas de la console.")
            sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token")
            if not self._same(sent, self.csrf):
                return self._refuse(403, "Requête refusée : jeton de formulaire absent ou périmé ; rechargez la page.")
        return None

    def install(self, app: Flask) -> None:
        app.before_request(self.check)

        @app.after_request
        def harden(response: Response) -> Response:
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            # same-origin, not no-referrer: with no-referrer browsers send « Origin: null » on form POSTs
            response.headers.setdefault("Referrer-Policy", "same-origin")
            response.headers.setdefault("Content-Security-Policy",
                                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                        "frame-ancestors 'none'; form-action 'self'")
            response.headers.setdefault("Cache-Control", "no-store")
            return response
