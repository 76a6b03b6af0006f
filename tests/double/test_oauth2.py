"""Friendica's OAuth 2 provider in the double: apps, the browser flow, tokens, revocation, costs.

The browser flow fills the HTML forms the double serves, keeping the
``PHPSESSID`` cookie between requests as a browser does.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from friendica_double.__main__ import parse_arguments
from friendica_double.context import AuthSettings
from friendica_double.seed import DEMO_PASSWORD

from .support import BASE_URL, Double, exception_message, fresh_double, html_kind

REDIRECT_URI = "https://client.example/callback"
OOB = "urn:ietf:wg:oauth:2.0:oob"
MISSING_SCOPE = {"error": "Token is not authorized with a valid user or is missing a required scope"}
TWITTER_PATH = "/api/account/verify_credentials.json"
NATIVE_PATH = "/api/v1/notifications"
HEX_64 = re.compile(r"^[0-9a-f]{64}$")


# A browser: cookies kept between requests, HTML forms filled and submitted


@dataclass
class Form:
    """An HTML form: where it posts, its filled-in fields and its submit buttons."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """Collects the forms of a page, with what a browser would submit for each."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get").upper()))
            return
        if tag not in ("input", "button") or not self.forms or "name" not in attributes:
            return
        kind = attributes.get("type", "text" if tag == "input" else "submit")
        pair = (attributes["name"], attributes.get("value", ""))
        if kind == "submit":
            self.forms[-1].buttons.append(pair)
        elif kind != "checkbox" or "checked" in attributes:
            self.forms[-1].fields.append(pair)


def forms_of(page: httpx.Response) -> list[Form]:
    parser = FormParser()
    parser.feed(page.text)
    return parser.forms


class Browser:
    """An in-process client of the double that keeps cookies, like a browser."""

    def __init__(self, app: Starlette):
        self.runner = asyncio.Runner()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        return self.runner.run(self.client.request(method, url, **options))

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    def submit(
        self, page: httpx.Response, button: str, values: dict[str, str] | None = None
    ) -> httpx.Response:
        """Fill the page's only form with ``values`` and submit it with the named button."""
        forms = forms_of(page)
        assert len(forms) == 1, page.text
        form = forms[0]
        data = dict(form.fields)
        data.update(values or {})
        data.update(pair for pair in form.buttons if pair[0] == button)
        target = urljoin(str(page.url), form.action) if form.action else str(page.url)
        return self.request(form.method, target, data=data)

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


@pytest.fixture
def browser(double: Double) -> Iterator[Browser]:
    with Browser(double.app) as opened:
        yield opened


# Steps of the flow


def register(double: Double, redirect_uris: str = REDIRECT_URI, **extra: str) -> dict[str, Any]:
    form = {"client_name": "Test client", "redirect_uris": redirect_uris, "scopes": "read write follow"}
    form.update(extra)
    response = double.client.post("/api/v1/apps", **form)
    assert response.status_code == 200, response.text
    client: dict[str, Any] = response.json()
    return client


def authorize_query(client: dict[str, Any], **overrides: str) -> dict[str, str]:
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": client["redirect_uri"],
        "scope": "read write follow",
        "state": "state-1",
    }
    query.update(overrides)
    return query


def log_in(browser: Browser, login_page: httpx.Response, user: str = "alice") -> httpx.Response:
    return browser.submit(login_page, "submit", {"username": user, "password": DEMO_PASSWORD})


def authorize(
    browser: Browser, client: dict[str, Any], user: str = "alice", **overrides: str
) -> httpx.Response:
    """Walk the browser from /oauth/authorize through login and consent; return the last response."""
    response = browser.get("/oauth/authorize", params=authorize_query(client, **overrides))
    if response.headers.get("location", "").startswith(f"{BASE_URL}/login"):
        response = log_in(browser, browser.get(response.headers["location"]), user)
        response = browser.get(response.headers["location"])
    if response.headers.get("location", "").startswith(f"{BASE_URL}/oauth/acknowledge"):
        consent_page = browser.get(response.headers["location"])
        response = browser.get(browser.submit(consent_page, "oauth_yes").headers["location"])
    return response


def code_from(response: httpx.Response) -> str:
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def exchange(double: Double, client: dict[str, Any], code: str, **overrides: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "redirect_uri": client["redirect_uri"],
    }
    form.update(overrides)
    return double.client.post("/oauth/token", **form)


def access_token(double: Double, browser: Browser, client: dict[str, Any], user: str = "alice") -> str:
    response = exchange(double, client, code_from(authorize(browser, client, user)))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def with_bearer(double: Double, method: str, path: str, token: str, **options: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return double.client.request(method, path, headers=headers, **options)


def revoke(double: Double, client: dict[str, Any], token: str) -> httpx.Response:
    return double.client.post(
        "/oauth/revoke",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        token=token,
    )


# POST /api/v1/apps


def test_app_registration_shape(double: Double) -> None:
    client = register(double, website="https://client.example/")

    assert list(client) == [
        "client_id",
        "client_secret",
        "id",
        "name",
        "redirect_uri",
        "website",
        "vapid_key",
    ]
    assert HEX_64.match(client["client_id"])
    assert HEX_64.match(client["client_secret"])
    assert client["id"] == "1"
    assert client["name"] == "Test client"
    assert client["redirect_uri"] == REDIRECT_URI
    assert client["website"] == "https://client.example/"
    assert re.fullmatch(r"B[A-Za-z0-9_-]{86}", client["vapid_key"])


def test_app_without_website_omits_it(double: Double) -> None:
    assert "website" not in register(double)


def test_app_keeps_first_redirect_uri_of_list(double: Double) -> None:
    body = {
        "client_name": "JSON client",
        "redirect_uris": [REDIRECT_URI, "https://other.example/"],
        "scopes": "read",
    }

    response = double.client.request("POST", "/api/v1/apps", json=body)

    assert response.status_code == 200, response.text
    assert response.json()["redirect_uri"] == REDIRECT_URI


@pytest.mark.parametrize("missing", ["client_name", "redirect_uris"])
def test_app_missing_field_is_403(double: Double, missing: str) -> None:
    form = {"client_name": "Test client", "redirect_uris": REDIRECT_URI}
    del form[missing]

    response = double.client.post("/api/v1/apps", **form)

    assert response.status_code == 403
    assert response.json() == {"error": "Missing parameters"}


def test_apps_get_is_405(double: Double) -> None:
    assert double.client.get("/api/v1/apps").status_code == 405


# The browser flow


def test_full_flow_gives_working_token(double: Double, browser: Browser) -> None:
    client = register(double)

    start = browser.get("/oauth/authorize", params=authorize_query(client))
    assert start.status_code == 302
    assert start.headers["location"].startswith(f"{BASE_URL}/login?return_authorize=")
    assert "PHPSESSID" in browser.client.cookies

    login_page = browser.get(start.headers["location"])
    assert login_page.status_code == 200
    login_form = forms_of(login_page)[0]
    assert login_form.action == f"{BASE_URL}/login"
    assert login_form.method == "POST"
    field_names = [name for name, _ in login_form.fields]
    assert {"auth-params", "username", "password", "return_path"} <= set(field_names)
    assert dict(login_form.fields)["auth-params"] == "login"
    assert dict(login_form.fields)["return_path"].startswith("oauth/authorize?response_type=code&")

    logged_in = log_in(browser, login_page)
    assert logged_in.status_code == 302
    assert logged_in.headers["location"].startswith(f"{BASE_URL}/oauth/authorize?")

    to_consent = browser.get(logged_in.headers["location"])
    assert to_consent.status_code == 302
    assert to_consent.headers["location"].startswith(f"{BASE_URL}/oauth/acknowledge?return_authorize=")
    assert "application=Test+client" in to_consent.headers["location"]

    consent_page = browser.get(to_consent.headers["location"])
    assert consent_page.status_code == 200
    assert "Test client" in consent_page.text
    assert forms_of(consent_page)[0].buttons == [("oauth_yes", "Yes")]

    consented = browser.submit(consent_page, "oauth_yes")
    assert consented.status_code == 302
    assert consented.headers["location"].startswith(f"{BASE_URL}/oauth/authorize?")

    finished = browser.get(consented.headers["location"])
    assert finished.status_code == 302
    target = urlsplit(finished.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == REDIRECT_URI
    answer = parse_qs(target.query)
    assert answer["state"] == ["state-1"]
    assert HEX_64.match(answer["code"][0])

    token = exchange(double, client, answer["code"][0])
    assert token.status_code == 200, token.text
    body = token.json()
    assert list(body) == ["access_token", "token_type", "scope", "created_at", "me"]
    assert HEX_64.match(body["access_token"])
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write follow"
    assert isinstance(body["created_at"], int)
    assert abs(body["created_at"] - time.time()) < 60
    assert body["me"] == f"{BASE_URL}/profile/alice"

    twitter = with_bearer(double, "GET", TWITTER_PATH, body["access_token"])
    assert twitter.status_code == 200
    assert twitter.json()["screen_name"] == "alice"

    native = with_bearer(double, "GET", NATIVE_PATH, body["access_token"])
    basic = double.client.get(NATIVE_PATH, "alice")
    assert native.status_code == 200
    assert native.json() == basic.json()


def test_state_empty_and_query_kept(double: Double, browser: Browser) -> None:
    client = register(double)

    finished = authorize(browser, client, redirect_uri=f"{REDIRECT_URI}?tab=2", state="")

    location = finished.headers["location"]
    assert location.startswith(f"{REDIRECT_URI}?tab=2&code=")
    assert location.endswith("&state=")


def test_oob_shows_code_on_page(double: Double, browser: Browser) -> None:
    client = register(double, redirect_uris=OOB)

    page = authorize(browser, client)

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    codes = re.findall(r"\b[0-9a-f]{64}\b", page.text)
    assert len(codes) == 1
    token = exchange(double, client, codes[0])
    assert token.status_code == 200, token.text


def test_consent_cannot_be_denied(double: Double, browser: Browser) -> None:
    client = register(double)
    start = browser.get("/oauth/authorize", params=authorize_query(client))
    logged_in = log_in(browser, browser.get(start.headers["location"]))
    to_consent = browser.get(logged_in.headers["location"])
    consent_page = browser.get(to_consent.headers["location"])

    # Without a POST to the consent page, no code is issued.
    again = browser.get(logged_in.headers["location"])
    assert again.headers["location"].startswith(f"{BASE_URL}/oauth/acknowledge?")

    # The page offers no "No" button, and any POST counts as consent.
    assert forms_of(consent_page)[0].buttons == [("oauth_yes", "Yes")]
    posted_without_yes = browser.post(str(consent_page.url), data={"oauth_no": "No"})
    finished = browser.get(posted_without_yes.headers["location"])
    assert finished.headers["location"].startswith(f"{REDIRECT_URI}?code=")


def test_wrong_password_goes_to_start_page(double: Double, browser: Browser) -> None:
    client = register(double)
    start = browser.get("/oauth/authorize", params=authorize_query(client))
    login_page = browser.get(start.headers["location"])

    failed = browser.submit(login_page, "submit", {"username": "alice", "password": "wrong"})

    assert failed.status_code == 302
    assert failed.headers["location"] == f"{BASE_URL}/"
    retry = browser.get("/oauth/authorize", params=authorize_query(client))
    assert retry.headers["location"].startswith(f"{BASE_URL}/login?")


def test_session_cookie_is_phpsessid(double: Double) -> None:
    response = double.client.get("/oauth/authorize", response_type="code")

    cookie = response.headers["set-cookie"]
    assert re.match(r"PHPSESSID=[0-9a-v]{26}; ", cookie)
    assert "HttpOnly" in cookie
    assert "Path=/" in cookie


def test_second_authorization_replaces_token(double: Double, browser: Browser) -> None:
    client = register(double)
    first = access_token(double, browser, client)

    # Consent is skipped when the user has a token for the client already.
    direct = browser.get("/oauth/authorize", params=authorize_query(client))
    second = exchange(double, client, code_from(direct)).json()["access_token"]

    assert second != first
    assert with_bearer(double, "GET", TWITTER_PATH, second).status_code == 200
    assert with_bearer(double, "GET", TWITTER_PATH, first).status_code == 401


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"response_type": "token"}, "Unsupported or missing response type"),
        ({"client_id": ""}, "Incomplete request data"),
        ({"redirect_uri": ""}, "Incomplete request data"),
        ({"client_id": "0" * 64}, "Unprocessable Entity"),
        ({"redirect_uri": "https://attacker.example/callback"}, "Unprocessable Entity"),
    ],
)
def test_authorize_errors_are_403_json(double: Double, query: dict[str, str], error: str) -> None:
    client = register(double)

    response = double.client.get("/oauth/authorize", **authorize_query(client, **query))

    assert response.status_code == 403
    assert response.json() == {"error": error}


# POST /oauth/token


def test_code_reuse_returns_same_token(double: Double, browser: Browser) -> None:
    client = register(double)
    code = code_from(authorize(browser, client))

    first = exchange(double, client, code)
    second = exchange(double, client, code)

    assert first.status_code == 200
    assert second.status_code == 200
    assert second.json()["access_token"] == first.json()["access_token"]


def test_expired_code_is_rejected(tmp_path: Path) -> None:
    double = fresh_double(tmp_path, "recording", AuthSettings(code_lifetime_seconds=0))
    with Browser(double.app) as browser:
        client = register(double)
        code = code_from(authorize(browser, client))

    response = exchange(double, client, code)

    assert response.status_code == 403
    assert response.json() == {"error": "Unauthorized"}


def test_wrong_client_secret_is_rejected(double: Double, browser: Browser) -> None:
    client = register(double)
    code = code_from(authorize(browser, client))

    response = exchange(double, client, code, client_secret="f" * 64)

    assert response.status_code == 403
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Invalid data or unknown client",
    }
    assert response.headers["access-control-allow-origin"] == "*"


def test_unknown_code_is_rejected(double: Double) -> None:
    client = register(double)

    response = exchange(double, client, "0" * 64)

    assert response.status_code == 403
    assert response.json() == {"error": "Unauthorized"}


def test_missing_client_credentials(double: Double) -> None:
    response = double.client.post("/oauth/token", grant_type="client_credentials")

    assert response.status_code == 403
    assert response.json() == {"error": "invalid_client", "error_description": "Incomplete request data"}


def test_client_credentials_by_basic_header(double: Double) -> None:
    client = register(double)
    form = {"grant_type": "client_credentials", "redirect_uri": REDIRECT_URI}

    response = double.client.request(
        "POST", "/oauth/token", user=client["client_id"], password=client["client_secret"], data=form
    )

    assert response.status_code == 200, response.text
    assert list(response.json()) == ["access_token", "token_type", "scope", "created_at"]


def test_token_needs_redirect_uri(double: Double) -> None:
    client = register(double)
    form = {
        "grant_type": "client_credentials",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }

    response = double.client.post("/oauth/token", **form)

    assert response.status_code == 403
    assert response.json()["error_description"] == "Invalid data or unknown client"


def test_client_credentials_token_has_no_scopes(double: Double) -> None:
    client = register(double)
    form = {
        "grant_type": "client_credentials",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "redirect_uri": REDIRECT_URI,
    }

    body = double.client.post("/oauth/token", **form).json()

    assert body["scope"] == "read write follow"
    assert "me" not in body
    response = with_bearer(double, "GET", TWITTER_PATH, body["access_token"])
    assert response.status_code == 403
    assert response.json() == MISSING_SCOPE
    instance = with_bearer(double, "GET", "/api/v1/instance", body["access_token"])
    assert instance.status_code == 200


@pytest.mark.parametrize("grant_type", ["password", "refresh_token", ""])
def test_other_grant_types_are_rejected(double: Double, grant_type: str) -> None:
    client = register(double)
    form = {
        "grant_type": grant_type,
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "redirect_uri": REDIRECT_URI,
        "username": "alice",
        "password": DEMO_PASSWORD,
    }

    response = double.client.post("/oauth/token", **form)

    assert response.status_code == 403
    assert response.json() == {"error": "Unsupported or missing grant type"}


def test_code_of_multi_uri_client_fails(double: Double, browser: Browser) -> None:
    client = register(double, redirect_uris=f"{REDIRECT_URI} {OOB}")
    code = code_from(authorize(browser, client, redirect_uri=REDIRECT_URI))

    response = exchange(double, client, code, redirect_uri=REDIRECT_URI)

    assert response.status_code == 403
    assert response.json() == {"error": "Unauthorized"}


# Bearer tokens on the API


def test_read_token_cannot_write(double: Double, browser: Browser) -> None:
    client = register(double)
    token = exchange(double, client, code_from(authorize(browser, client, scope="read"))).json()[
        "access_token"
    ]

    posted = with_bearer(double, "POST", "/api/statuses/update.json", token, data={"status": "hi"})
    followed = with_bearer(double, "POST", "/api/v1/accounts/5/follow", token)

    assert with_bearer(double, "GET", TWITTER_PATH, token).status_code == 200
    assert posted.status_code == 403
    assert posted.json() == MISSING_SCOPE
    assert followed.status_code == 403
    assert followed.json() == MISSING_SCOPE


def test_write_token_needs_follow_scope(double: Double, browser: Browser) -> None:
    client = register(double)
    code = code_from(authorize(browser, client, scope="read write"))
    token = exchange(double, client, code).json()["access_token"]

    posted = with_bearer(double, "POST", "/api/statuses/update.json", token, data={"status": "hi"})
    followed = with_bearer(double, "POST", "/api/v1/accounts/20/follow", token)

    assert posted.status_code == 200
    assert posted.json()["user"]["screen_name"] == "alice"
    assert followed.status_code == 403
    assert followed.json() == MISSING_SCOPE


def test_unknown_bearer_is_anonymous(double: Double) -> None:
    twitter = with_bearer(double, "GET", TWITTER_PATH, "0" * 64)
    instance = with_bearer(double, "GET", "/api/v1/instance", "0" * 64)

    assert twitter.status_code == 401
    assert exception_message(twitter.text) == "This API requires login"
    assert instance.status_code == 200


def test_basic_auth_still_works(double: Double) -> None:
    assert double.client.get(TWITTER_PATH, "alice").json()["screen_name"] == "alice"
    wrong = double.client.request("GET", TWITTER_PATH, user="alice", password="wrong")

    assert wrong.status_code == 401


def test_app_verify_credentials(double: Double, browser: Browser) -> None:
    client = register(double)
    token = access_token(double, browser, client)

    by_token = with_bearer(double, "GET", "/api/v1/apps/verify_credentials", token)
    by_password = double.client.get("/api/v1/apps/verify_credentials", "alice")

    assert by_token.status_code == 200
    assert by_token.json()["client_secret"] == client["client_secret"]
    assert by_password.status_code == 403
    assert by_password.json() == {"error": "Unauthorized"}


# POST /oauth/revoke


def test_revoked_token_is_rejected(double: Double, browser: Browser) -> None:
    client = register(double)
    token = access_token(double, browser, client)

    revoked = revoke(double, client, token)
    twitter = with_bearer(double, "GET", TWITTER_PATH, token)
    native = with_bearer(double, "GET", NATIVE_PATH, token)
    again = revoke(double, client, token)

    assert revoked.status_code == 200
    assert revoked.json() == []
    for response in (twitter, native):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Basic realm="Friendica"'
        assert html_kind(response.text) == "exception page"
        assert exception_message(response.text) == "This API requires login"
    assert again.status_code == 403
    assert again.json() == {"error": "Unauthorized"}


def test_revoke_ends_all_users_tokens(double: Double, browser: Browser) -> None:
    client = register(double)
    alice = access_token(double, browser, client, "alice")
    with Browser(double.app) as other_browser:
        bob = access_token(double, other_browser, client, "bob")

    assert revoke(double, client, alice).status_code == 200

    assert with_bearer(double, "GET", TWITTER_PATH, bob).status_code == 401


# Cost of password checks


def timed(send: Any) -> float:
    started = time.perf_counter()
    response = send()
    assert response.status_code == 200, response.text[:300]
    return time.perf_counter() - started


def test_password_check_cost_applies_to_basic_only(tmp_path: Path) -> None:
    cost = 0.3
    double = fresh_double(tmp_path, "recording", AuthSettings(password_check_seconds=cost))
    with Browser(double.app) as browser:
        client = register(double)
        token = access_token(double, browser, client)

    basic = timed(lambda: double.client.get(TWITTER_PATH, "alice"))
    bearer = timed(lambda: with_bearer(double, "GET", TWITTER_PATH, token))

    assert basic >= cost
    assert bearer < cost


def test_password_check_cost_defaults_to_zero(double: Double) -> None:
    assert timed(lambda: double.client.get(TWITTER_PATH, "alice")) < 0.25


def test_command_line_sets_auth_settings() -> None:
    arguments = parse_arguments(["--password-check-seconds", "0.07", "--oauth-code-lifetime", "30"])

    assert arguments.password_check_seconds == 0.07
    assert arguments.oauth_code_lifetime == 30
