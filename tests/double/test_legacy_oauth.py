"""The legacy profile's OAuth 1.0a provider, driven end to end in-process like a client and a browser."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from authlib.oauth1 import SIGNATURE_PLAINTEXT, ClientAuth
from starlette.applications import Starlette

from friendica_double import oauth1
from friendica_double.__main__ import parse_arguments
from friendica_double.context import AuthSettings
from friendica_double.front_legacy import DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET

from .support import BASE_URL, Double, fresh_double

ALICE_UID = 2


class Browser:
    """A browser with a cookie jar that follows no redirects by itself."""

    def __init__(self, app: Starlette):
        self.app = app
        self.cookies = httpx.Cookies()

    def request(self, method: str, url: str, data: dict[str, str] | None = None) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url=BASE_URL, cookies=self.cookies
            ) as client:
                response = await client.request(method, url, data=data)
                self.cookies = client.cookies
                return response

        return asyncio.run(send())


def signed(
    app: Starlette,
    method: str,
    path: str,
    auth: ClientAuth,
    form: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> httpx.Response:
    """Send a request signed by ``auth`` (authlib's OAuth 1 client signer)."""
    url = BASE_URL + path + (f"?{urlencode(query)}" if query else "")
    # authlib reads form parameters for the signature from a str body only.
    body = urlencode(form) if form else ""
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    url, headers, body = auth.sign(method, url, headers, body)

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
            return await client.request(method, url, headers=headers, content=body.encode())

    return asyncio.run(send())


def request_token(double: Double, secret: str = DEMO_CONSUMER_SECRET) -> dict[str, str]:
    response = signed(double.app, "POST", "/api/oauth/request_token", ClientAuth(DEMO_CONSUMER_KEY, secret))
    assert response.status_code == 200
    assert response.text.startswith("oauth_token="), response.text
    return {key: values[0] for key, values in parse_qs(response.text).items()}


def logged_in_browser(double: Double, token: str) -> Browser:
    """Open the authorize page and log in as alice through its login form."""
    browser = Browser(double.app)
    page_url = f"/api/oauth/authorize?oauth_token={token}"
    login_page = browser.request("GET", page_url)
    assert login_page.status_code == 200
    assert 'name="auth-params" value="login"' in login_page.text
    assert f'name="oauth_token" value="{token}"' in login_page.text

    login = browser.request(
        "POST",
        page_url,
        {"username": "alice", "password": "demo", "auth-params": "login", "oauth_token": token},
    )
    assert login.status_code == 302
    assert login.headers["location"] == f"{BASE_URL}{page_url}"
    return browser


def log_in_and_consent(double: Double, token: str) -> tuple[Browser, httpx.Response]:
    """Log in on the authorize page, check the consent form, then press its only button, "Yes"."""
    browser = logged_in_browser(double, token)
    page_url = f"/api/oauth/authorize?oauth_token={token}"
    consent = browser.request("GET", page_url)
    assert consent.status_code == 200
    assert 'name="oauth_yes"' in consent.text
    assert consent.text.count('type="submit"') == 1
    return browser, browser.request("POST", page_url, {"oauth_yes": "Yes"})


def access_token(double: Double, token: dict[str, str], verifier: str | None) -> httpx.Response:
    auth = ClientAuth(
        DEMO_CONSUMER_KEY,
        DEMO_CONSUMER_SECRET,
        token=token["oauth_token"],
        token_secret=token["oauth_token_secret"],
        verifier=verifier,
    )
    return signed(double.app, "POST", "/api/oauth/access_token", auth)


def api_auth(access: dict[str, str], method: str = "HMAC-SHA1") -> ClientAuth:
    return ClientAuth(
        DEMO_CONSUMER_KEY,
        DEMO_CONSUMER_SECRET,
        token=access["oauth_token"],
        token_secret=access["oauth_token_secret"],
        signature_method=method,
    )


def test_full_flow_signed_calls(legacy: Double) -> None:
    token = request_token(legacy)
    assert re.fullmatch(r"[0-9a-f]{32}", token["oauth_token"])
    consent = logged_in_browser(legacy, token["oauth_token"]).request(
        "GET", f"/api/oauth/authorize?oauth_token={token['oauth_token']}"
    )
    assert "mastogate demo" in consent.text

    _, answer = log_in_and_consent(legacy, token["oauth_token"])
    assert answer.status_code == 200
    verifier = re.search(r"<code>([0-9a-f]+)</code>", answer.text)
    assert verifier is not None
    assert verifier.group(1) == hashlib.md5(str(ALICE_UID).encode()).hexdigest()

    exchanged = access_token(legacy, token, verifier.group(1))
    assert exchanged.status_code == 200
    assert exchanged.headers["content-type"].startswith("text/html")
    access = {key: values[0] for key, values in parse_qs(exchanged.text).items()}
    assert set(access) == {"oauth_token", "oauth_token_secret"}

    me = signed(
        legacy.app,
        "GET",
        "/api/account/verify_credentials.json",
        api_auth(access),
        query={"skip_status": "1"},
    )
    assert me.status_code == 200
    basic = legacy.client.get("/api/account/verify_credentials.json", "alice", skip_status="1")
    assert me.json() == basic.json()

    posted = signed(
        legacy.app, "POST", "/api/statuses/update.json", api_auth(access), form={"status": "signed post"}
    )
    assert posted.status_code == 200
    assert posted.json()["user"]["screen_name"] == "alice"
    assert posted.json()["text"] == "signed post"


def test_plaintext_signature(legacy: Double) -> None:
    token = request_token(legacy)
    _, answer = log_in_and_consent(legacy, token["oauth_token"])
    verifier = re.search(r"<code>([0-9a-f]+)</code>", answer.text)
    assert verifier is not None
    access = {
        key: values[0]
        for key, values in parse_qs(access_token(legacy, token, verifier.group(1)).text).items()
    }
    response = signed(
        legacy.app, "GET", "/api/statuses/home_timeline.json", api_auth(access, SIGNATURE_PLAINTEXT)
    )
    assert response.status_code == 200
    assert response.json()[0]["user"]["screen_name"] in ("alice", "bob")


def test_redirect_carries_verifier(legacy: Double) -> None:
    store = legacy.app.state.site.store
    oauth1.register_consumer(
        store,
        key=DEMO_CONSUMER_KEY,
        secret=DEMO_CONSUMER_SECRET,
        name="app",
        redirect_uri="https://app.test/cb?x=1",
    )
    token = request_token(legacy)
    _, answer = log_in_and_consent(legacy, token["oauth_token"])
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith("https://app.test/cb?x=1?oauth_token=")
    verifier = parse_qs(urlsplit(location.replace("?x=1?", "?x=1&")).query)["oauth_verifier"][0]
    assert access_token(legacy, token, verifier).text.startswith("oauth_token=")


def test_denied_authorization_grants_nothing(legacy: Double) -> None:
    token = request_token(legacy)
    browser = logged_in_browser(legacy, token["oauth_token"])
    page_url = f"/api/oauth/authorize?oauth_token={token['oauth_token']}"
    refused = browser.request("POST", page_url, {"submit": "No"})
    assert refused.status_code == 200
    assert 'name="oauth_yes"' in refused.text
    assert "<code>" not in refused.text

    guessed = access_token(legacy, token, "0" * 32)
    assert guessed.status_code == 200
    assert guessed.text == ""
    retried = access_token(legacy, token, hashlib.md5(b"2").hexdigest())
    assert retried.text == f"error=Invalid%20request%20token%3A%20{token['oauth_token']}"


def test_expired_request_token(tmp_path: Path) -> None:
    double = fresh_double(tmp_path, "recording", AuthSettings(request_token_lifetime_seconds=0.05), "legacy")
    token = request_token(double)
    time.sleep(0.1)

    browser = Browser(double.app)
    page_url = f"/api/oauth/authorize?oauth_token={token['oauth_token']}"
    browser.request("GET", page_url)
    browser.request("POST", page_url, {"username": "alice", "password": "demo", "auth-params": "login"})
    page = browser.request("GET", page_url)
    assert "oauth_yes" not in page.text
    assert "Unknown or expired request token." in page.text

    answer = access_token(double, token, hashlib.md5(b"2").hexdigest())
    assert answer.text == f"error=Invalid%20request%20token%3A%20{token['oauth_token']}"


def test_bad_signature_refused(legacy: Double) -> None:
    response = signed(legacy.app, "POST", "/api/oauth/request_token", ClientAuth(DEMO_CONSUMER_KEY, "wrong"))
    assert response.status_code == 200
    assert response.text == "error=Invalid%20signature"

    unknown = signed(legacy.app, "POST", "/api/oauth/request_token", ClientAuth("nobody", "x"))
    assert unknown.text == "error=Invalid%20consumer"


def test_bad_api_signature_needs_basic(legacy: Double) -> None:
    token = request_token(legacy)
    _, answer = log_in_and_consent(legacy, token["oauth_token"])
    verifier = re.search(r"<code>([0-9a-f]+)</code>", answer.text)
    assert verifier is not None
    access = {
        key: values[0]
        for key, values in parse_qs(access_token(legacy, token, verifier.group(1)).text).items()
    }
    forged = dict(access, oauth_token_secret="forged")
    response = signed(legacy.app, "GET", "/api/account/verify_credentials.json", api_auth(forged))
    assert response.status_code == 401
    assert response.json()["status"]["error"] == "This API requires login"


def test_access_token_without_verifier_has_no_user(legacy: Double) -> None:
    token = request_token(legacy)
    exchanged = access_token(legacy, token, None)
    assert exchanged.text.startswith("oauth_token=")
    access = {key: values[0] for key, values in parse_qs(exchanged.text).items()}
    response = signed(legacy.app, "GET", "/api/account/verify_credentials.json", api_auth(access))
    assert response.status_code == 401
    assert response.text == "This api requires login"


def test_basic_auth_still_works(legacy: Double) -> None:
    assert legacy.client.get("/api/account/verify_credentials.json", "bob").json()["screen_name"] == "bob"


def test_settings_page_registers_consumer(legacy: Double) -> None:
    browser = Browser(legacy.app)
    form_page = browser.request("GET", "/settings/oauth/add")
    assert 'name="auth-params"' in form_page.text
    logged_in = browser.request(
        "POST", "/settings/oauth/add", {"username": "bob", "password": "demo", "auth-params": "login"}
    )
    assert logged_in.headers["location"] == f"{BASE_URL}/settings/oauth/add"

    form_page = browser.request("GET", "/settings/oauth/add")
    token = re.search(r'name="form_security_token" value="([^"]+)"', form_page.text)
    assert token is not None
    key = "bob-consumer-key-that-is-long"
    saved = browser.request(
        "POST",
        "/settings/oauth/add",
        {
            "form_security_token": token.group(1),
            "name": "Bob's app",
            "key": key,
            "secret": "bob-secret",
            "redirect": "",
            "icon": "",
            "submit": "Save Settings",
        },
    )
    assert saved.status_code == 302
    stored = oauth1.consumer(legacy.app.state.site.store, key[:20])
    assert stored is not None
    assert stored["uid"] == 3
    assert stored["pw"] == "bob-secret"
    assert oauth1.consumer(legacy.app.state.site.store, key) is None
    assert "Bob&#39;s app" in browser.request("GET", "/settings/oauth").text


def test_settings_form_needs_token(legacy: Double) -> None:
    browser = Browser(legacy.app)
    browser.request("POST", "/login", {"username": "bob", "password": "demo", "auth-params": "login"})
    browser.request(
        "POST",
        "/settings/oauth/add",
        {"name": "x", "key": "forged-key", "secret": "s", "submit": "Save Settings"},
    )
    assert oauth1.consumer(legacy.app.state.site.store, "forged-key") is None


def test_consumer_option_needs_legacy() -> None:
    with pytest.raises(SystemExit):
        parse_arguments(["--oauth1-consumer", "key:secret"])
    arguments = parse_arguments(
        ["--profile", "legacy", "--oauth1-consumer", "key:secret:https://app.test/cb"]
    )
    assert arguments.oauth1_consumer == ["key:secret:https://app.test/cb"]
    with pytest.raises(SystemExit):
        parse_arguments(["--profile", "legacy", "--oauth1-consumer", "only-a-key"])


def test_old_timestamp_refused(legacy: Double, monkeypatch: pytest.MonkeyPatch) -> None:
    import authlib.oauth1.rfc5849.client_auth as client_auth

    monkeypatch.setattr(client_auth, "generate_timestamp", lambda: 1000)
    response = signed(
        legacy.app, "POST", "/api/oauth/request_token", ClientAuth(DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET)
    )
    assert response.text.startswith("error=Expired%20timestamp%2C%20yours%201000%2C%20ours%20")
