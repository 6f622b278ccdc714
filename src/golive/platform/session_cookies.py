"""The pair of cookies a browser sign-in sets: the session token (HttpOnly) and its CSRF token (readable by the
page, which sends it back in the X-CSRF-Token header). The admin console and the audience's accounts each have
their own pair of names."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response


@dataclass(frozen=True)
class SessionCookies:
    session: str
    csrf: str

    def set(self, response: Response, *, token: str, csrf_token: str, max_age: int, secure: bool) -> None:
        response.set_cookie(
            self.session, token, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/"
        )
        response.set_cookie(
            self.csrf, csrf_token, max_age=max_age, httponly=False, samesite="lax", secure=secure, path="/"
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(self.session, path="/")
        response.delete_cookie(self.csrf, path="/")
