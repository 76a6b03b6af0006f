"""Logging in on the upstream itself: Mastodon.py and a browser through Friendica's own OAuth 2 pages.

The person's browser goes from the gateway's login page to the double's
authorize, login and consent pages and back; the gateway then holds an
upstream bearer token and never the password.
"""

from __future__ import annotations

import sqlite3
import time
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from mastodon import Mastodon, MastodonUnauthorizedError

from friendica_double import oauth1
from friendica_double.app import build_app as build_double
from friendica_double.context import AuthSettings
from gateway.app import build_app as build_gateway
from gateway.auth.upstream_login import SECRET_PURPOSE
from gateway.auth.vault import Vault
from gateway.settings import Settings
from tests.e2e.conftest import OOB, PASSWORD, SCOPES, Browser, form_target, read_page, unique
from tests.servers import ServerThread
from tests.sidecar import SidecarProxy

SECRET_KEY = "upstream login secret key"
OAUTH1_KEY, OAUTH1_SECRET = "mastogate-tests", "oauth1-secret"


class Stack:
    """A double and a gateway in front of it, with what a test needs to look inside both."""

    def __init__(
        self,
        tmp_path_factory,
        *,
        code_lifetime: int = 300,
        sidecar: bool = False,
        profile: str = "modern",
        request_token_lifetime: float = 300.0,
    ) -> None:
        self.double = ServerThread("double")
        self.gateway = ServerThread("gateway")
        self.proxy = SidecarProxy(self.gateway.url, self.double.url) if sidecar else None
        public_url = self.proxy.url if self.proxy else None

        self.double_database = str(tmp_path_factory.mktemp("double") / "friendica.sqlite3")
        double = build_double(
            database=self.double_database,
            base_url=public_url or self.double.url,
            profile=profile,
            seed=True,
            auth=AuthSettings(
                code_lifetime_seconds=code_lifetime, request_token_lifetime_seconds=request_token_lifetime
            ),
        )
        if profile == "legacy":
            # As an operator does on Friendica 3.5's settings/oauth page.
            oauth1.register_consumer(
                double.state.site.store,
                key=OAUTH1_KEY,
                secret=OAUTH1_SECRET,
                name="mastogate",
                redirect_uri=f"{self.gateway.url}/oauth/upstream/callback",
            )
        self.double.start(double)
        self.settings = Settings(
            upstream_url=self.double.url,
            public_url=public_url or self.gateway.url,
            data_dir=tmp_path_factory.mktemp("gateway"),
            secret_key=SECRET_KEY,
            # In the sidecar layout the web server maps this path to Friendica's own page.
            upstream_authorize_url=f"{public_url}/friendica-oauth/authorize" if public_url else "",
            upstream_oauth1_consumer_key=OAUTH1_KEY,
            upstream_oauth1_consumer_secret=OAUTH1_SECRET,
        )
        self.gateway.start(build_gateway(self.settings))
        if self.proxy:
            self.proxy.start()
        self.url = public_url or self.gateway.url

    def stop(self) -> None:
        if self.proxy:
            self.proxy.stop()
        self.gateway.stop()
        self.double.stop()

    def gateway_rows(self, query: str, *args) -> list[sqlite3.Row]:
        with sqlite3.connect(self.settings.database_path) as connection:
            connection.row_factory = sqlite3.Row
            return connection.execute(query, args).fetchall()

    def upstream_tokens(self) -> int:
        with sqlite3.connect(self.double_database) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM application_token").fetchone()[0])

    def credential_of(self, access_token: str):
        """Open the upstream credential the gateway keeps for one of its tokens."""
        vault = Vault(SECRET_KEY.encode())
        row = self.gateway_rows(
            "SELECT credential_blob FROM tokens WHERE token_hash = ?", vault.hash_token(access_token)
        )[0]
        return vault.open(row["credential_blob"], access_token)

    def upstream_client_secret(self, client_id: str) -> str:
        row = self.gateway_rows(
            "SELECT client_secret_blob FROM upstream_clients WHERE client_id = ?", client_id
        )[0]
        return Vault(SECRET_KEY.encode()).open_secret(row["client_secret_blob"], SECRET_PURPOSE)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def app_credentials(stack) -> tuple[str, str]:
    return Mastodon.create_app("upstream login", scopes=SCOPES, redirect_uris=OOB, api_base_url=stack.url)


def consent_first(browser: Browser, authorize_url: str) -> httpx.Response:
    """Choose "log in on your server" on the gateway's login page; return its consent page."""
    page = browser.http.get(authorize_url)
    assert page.status_code == 200, page.text
    form = next(form for form in read_page(page).forms if form["action"].endswith("/oauth/upstream"))
    consent = browser.http.post(urljoin(authorize_url, form["action"]), data=form["fields"])
    assert consent.status_code == 200, consent.text
    return consent


def upstream_login(browser: Browser, authorize_url: str, username: str = "alice") -> httpx.Response:
    """Consent on the gateway, pass the upstream's login and consent pages; return where it lands."""
    response = follow(browser, browser.decide(consent_first(browser, authorize_url), "approve"))

    login = next((form for form in read_page(response).forms if "auth-params" in form["fields"]), None)
    if login is not None:
        fields = {**login["fields"], "username": username, "password": PASSWORD, "remember": "0"}
        response = follow(browser, browser.http.post(form_target(response, login), data=fields))

    acknowledge = next((form for form in read_page(response).forms if "oauth_yes" in form["fields"]), None)
    if acknowledge is not None:
        fields = {**acknowledge["fields"], "oauth_yes": "Yes"}
        response = follow(browser, browser.http.post(form_target(response, acknowledge), data=fields))
    return response


def follow(browser: Browser, response: httpx.Response) -> httpx.Response:
    """Follow redirects as a browser does, across the gateway and the upstream."""
    for _ in range(10):
        if response.status_code not in (301, 302, 303, 307):
            return response
        response = browser.http.get(urljoin(str(response.url), response.headers["location"]))
    raise AssertionError("too many redirects")


def code_from(response: httpx.Response) -> str:
    code = read_page(response).code
    assert code, response.text
    return code


def authorize_url(api: Mastodon) -> str:
    return api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, allow_http=True)


def log_in_upstream(api: Mastodon, browser: Browser) -> None:
    """Log ``api`` in as alice: consent on the gateway, then the upstream's own pages."""
    code = code_from(upstream_login(browser, authorize_url(api)))
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)


def test_log_in_on_the_upstream_without_a_password(stack, app_credentials, browser):
    client_id, client_secret = app_credentials
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)

    consent = consent_first(browser, authorize_url(api))
    code = code_from(upstream_login(browser, authorize_url(api)))
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    posted = api.status_post(unique("posted with an upstream token"))
    credential = stack.credential_of(api.access_token)

    assert "Authorize and log in" in consent.text
    assert api.me().username == "alice"
    assert api.status(posted.id).account.username == "alice"
    assert type(credential).__name__ == "BearerCredential"
    assert PASSWORD not in repr(credential.to_dict().values())
    assert stack.gateway_rows("SELECT COUNT(*) AS n FROM upstream_clients")[0]["n"] == 1


def test_login_page_offers_both_ways(stack, app_credentials, browser):
    client_id, client_secret = app_credentials
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)

    page = browser.http.get(authorize_url(api))
    actions = [urlsplit(form["action"]).path for form in read_page(page).forms]

    assert actions == ["/oauth/upstream", "/oauth/authorize"]


def test_denied_consent_never_reaches_the_upstream(stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "denied app", scopes=SCOPES, redirect_uris=OOB, api_base_url=stack.url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)
    before = stack.upstream_tokens()

    denied = browser.decide(consent_first(browser, authorize_url(api)), "deny")

    assert denied.status_code == 403
    assert "You denied access" in denied.text
    assert stack.upstream_tokens() == before
    assert [visited for visited in browser.visited if stack.double.url in visited] == []


def test_second_login_of_the_same_app_ends_the_first(stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "twice app", scopes=SCOPES, redirect_uris=OOB, api_base_url=stack.url
    )
    first = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)
    second = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)
    log_in_upstream(first, browser)
    log_in_upstream(second, browser)
    upstream = stack.credential_of(second.access_token)

    revoked = httpx.post(
        f"{stack.url}/oauth/revoke",
        data={"client_id": client_id, "client_secret": client_secret, "token": second.access_token},
    )
    after = httpx.get(
        f"{stack.double.url}/api/account/verify_credentials.json",
        headers={"Authorization": f"Bearer {upstream.token}"},
    )

    with pytest.raises(MastodonUnauthorizedError):
        first.me()
    assert revoked.status_code == 200
    assert after.status_code == 401


def callback_url(browser: Browser, authorize_url: str) -> str:
    """Consent, then walk the upstream's pages by hand; return the URL that would return to the gateway."""
    response = browser.decide(consent_first(browser, authorize_url), "approve")
    while not urlsplit(response.headers.get("location", "")).path.endswith("/oauth/upstream/callback"):
        if response.status_code in (301, 302, 303):
            response = browser.http.get(urljoin(str(response.url), response.headers["location"]))
            continue
        login = next((f for f in read_page(response).forms if "auth-params" in f["fields"]), None)
        if login is not None:
            fields = {**login["fields"], "username": "alice", "password": PASSWORD, "remember": "0"}
            response = browser.http.post(form_target(response, login), data=fields)
        else:
            response = browser.http.post(
                form_target(response, read_page(response).forms[0]), data={"oauth_yes": "Yes"}
            )
    return urljoin(str(response.url), response.headers["location"])


def test_finished_login_cannot_be_replayed(stack, app_credentials, browser):
    client_id, client_secret = app_credentials
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)
    callback = callback_url(browser, authorize_url(api))

    first = browser.http.get(callback)
    second = browser.http.get(callback)

    assert first.status_code == 200
    assert read_page(first).code
    assert second.status_code == 400
    assert "already finished" in second.text


def test_revoked_upstream_token_makes_the_app_log_in_again(stack, app_credentials, browser):
    client_id, client_secret = app_credentials
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)
    log_in_upstream(api, browser)
    credential = stack.credential_of(api.access_token)
    assert api.me().username == "alice"

    revoked = httpx.post(
        f"{stack.double.url}/oauth/revoke",
        data={
            "client_id": credential.client_id,
            "client_secret": stack.upstream_client_secret(credential.client_id),
            "token": credential.token,
        },
    )

    assert revoked.status_code == 200
    with pytest.raises(MastodonUnauthorizedError):
        api.timeline_home()


def test_revoking_the_gateway_token_revokes_the_upstream_token(stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "revoking app", scopes=SCOPES, redirect_uris=OOB, api_base_url=stack.url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=stack.url)
    log_in_upstream(api, browser)
    credential = stack.credential_of(api.access_token)
    upstream = {"Authorization": f"Bearer {credential.token}"}
    before = httpx.get(f"{stack.double.url}/api/account/verify_credentials.json", headers=upstream)

    revoked = httpx.post(
        f"{stack.url}/oauth/revoke",
        data={"client_id": client_id, "client_secret": client_secret, "token": api.access_token},
    )
    after = httpx.get(f"{stack.double.url}/api/account/verify_credentials.json", headers=upstream)

    assert before.status_code == 200
    assert revoked.status_code == 200
    assert after.status_code == 401


def test_expired_upstream_code_ends_on_a_clear_page(tmp_path_factory, browser):
    expiring = Stack(tmp_path_factory, code_lifetime=0)
    try:
        client_id, client_secret = Mastodon.create_app(
            "slow app", scopes=SCOPES, redirect_uris=OOB, api_base_url=expiring.url
        )
        api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=expiring.url)

        landed = upstream_login(browser, authorize_url(api))
        pending = expiring.gateway_rows("SELECT COUNT(*) AS n FROM pending_logins")[0]["n"]
    finally:
        expiring.stop()

    assert landed.status_code == 401
    assert "took too long or was already used" in landed.text
    assert pending == 0


def test_sidecar_layout_on_one_domain(tmp_path_factory, browser):
    sidecar = Stack(tmp_path_factory, sidecar=True)
    try:
        client_id, client_secret = Mastodon.create_app(
            "sidecar app", scopes=SCOPES, redirect_uris=OOB, api_base_url=sidecar.url
        )
        api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=sidecar.url)

        log_in_upstream(api, browser)
        me = api.me()
        home = api.timeline_home(limit=5)
        visited = {urlsplit(url).netloc for url in browser.visited}
    finally:
        sidecar.stop()

    assert me.username == "alice"
    assert len(home) == 5
    assert visited == {urlsplit(sidecar.url).netloc}


# OAuth 1 on Friendica 3.5


@pytest.fixture(scope="module")
def legacy_stack(tmp_path_factory):
    running = Stack(tmp_path_factory, profile="legacy")
    yield running
    running.stop()


def test_oauth1_login_on_friendica_3_5(legacy_stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "oauth1 app", scopes=SCOPES, redirect_uris=OOB, api_base_url=legacy_stack.url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=legacy_stack.url)

    log_in_upstream(api, browser)
    home = api.timeline_home(limit=5)
    credential = legacy_stack.credential_of(api.access_token)

    assert api.me().username == "alice"
    assert home
    assert type(credential).__name__ == "OAuth1Credential"
    assert PASSWORD not in repr(credential.to_dict().values())


def test_oauth1_denied_consent_asks_the_upstream_for_nothing(legacy_stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "oauth1 denied", scopes=SCOPES, redirect_uris=OOB, api_base_url=legacy_stack.url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=legacy_stack.url)

    denied = browser.decide(consent_first(browser, authorize_url(api)), "deny")

    assert denied.status_code == 403
    assert [visited for visited in browser.visited if legacy_stack.double.url in visited] == []


def test_oauth1_expired_request_token(tmp_path_factory, browser):
    expiring = Stack(tmp_path_factory, profile="legacy", request_token_lifetime=1.0)
    try:
        client_id, client_secret = Mastodon.create_app(
            "slow oauth1 app", scopes=SCOPES, redirect_uris=OOB, api_base_url=expiring.url
        )
        api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=expiring.url)
        callback = callback_url(browser, authorize_url(api))

        time.sleep(1.2)  # the person came back too late: the request token expired upstream
        landed = browser.http.get(callback)
        pending = expiring.gateway_rows("SELECT COUNT(*) AS n FROM pending_logins")[0]["n"]
    finally:
        expiring.stop()

    assert landed.status_code == 401
    assert "took too long or was already used" in landed.text
    assert pending == 0


# GNU social: the password form only


@pytest.fixture(scope="module")
def gnusocial_stack(tmp_path_factory):
    running = Stack(tmp_path_factory, profile="gnusocial")
    yield running
    running.stop()


def test_gnu_social_login_page_offers_the_password_only(gnusocial_stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "gnu social app", scopes=SCOPES, redirect_uris=OOB, api_base_url=gnusocial_stack.url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=gnusocial_stack.url)

    page = browser.http.get(authorize_url(api))
    actions = [urlsplit(form["action"]).path for form in read_page(page).forms]
    code = browser.authorize(authorize_url(api), "alice")
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    credential = gnusocial_stack.credential_of(api.access_token)

    # The double serves none of GNU social's OAuth 1 provider, and the gateway offers no login there.
    assert actions == ["/oauth/authorize"]
    assert api.me().username == "alice"
    assert type(credential).__name__ == "BasicCredential"


def test_gnu_social_refuses_the_upstream_login(gnusocial_stack, browser):
    client_id, client_secret = Mastodon.create_app(
        "gnu social refused", scopes=SCOPES, redirect_uris=OOB, api_base_url=gnusocial_stack.url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=gnusocial_stack.url)
    page = browser.http.get(authorize_url(api))
    fields = read_page(page).forms[0]["fields"]

    refused = browser.http.post(urljoin(str(page.url), "/oauth/upstream"), data=fields)

    assert refused.status_code == 404
    assert "not available here" in refused.text
    assert [visited for visited in browser.visited if gnusocial_stack.double.url in visited] == []
