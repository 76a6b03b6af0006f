"""A live Friendica double and a live gateway in front of it, driven by real client libraries."""

from __future__ import annotations

import html.parser
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
import requests
from mastodon import Mastodon

from friendica_double.app import build_app as build_double
from gateway.app import build_app as build_gateway
from gateway.settings import Settings
from tests.openapi import OpenAPIChecker
from tests.servers import ServerThread

PASSWORD = "demo"
SCOPES = ["read", "write", "follow", "push"]
OOB = "urn:ietf:wg:oauth:2.0:oob"


@dataclass(frozen=True)
class Upstream:
    """One upstream the end-to-end tests run against: its double profile and what the gateway lacks there.

    ``lacks`` names the features for which the gateway answers 422 on this
    upstream. ``ids_per_user`` is true where each person knows a post by an
    id of their own, so a test must ask for another person's id of it.
    """

    profile: str
    lacks: frozenset[str] = frozenset()
    ids_per_user: bool = False

    def has(self, feature: str) -> bool:
        return feature not in self.lacks

    def seen_by(self, api: Mastodon, status: Any) -> Any:
        """Return a status as another person's app knows it: by its id, or found in their home timeline."""
        if not self.ids_per_user:
            return api.status(status.id)
        for candidate in api.timeline_home(limit=40):
            if (
                candidate.account.id == status.account.id
                and candidate.created_at == status.created_at
                and candidate.content == status.content
            ):
                return candidate
        raise AssertionError(f"status {status.id} is not in the home timeline of {api.me().username}")


UPSTREAMS = {
    "modern": Upstream("modern"),
    # Friendica 3.5.4: no follows, blocks or mutes through the API, no search, no undoing a share,
    # no renaming of lists, no profile fields or profile text changes, and ids per person.
    "legacy": Upstream(
        "legacy",
        lacks=frozenset(
            {
                "follow",
                "unfollow",
                "block",
                "mute",
                "follow_requests",
                "blocks_list",
                "search",
                "unreblog",
                "reblogged_by",
                "rename_lists",
                "profile_fields",
                "profile_text",
            }
        ),
        ids_per_user=True,
    ),
    # GNU social 1.2 as the double serves it. It has no list of blocks and no mutes, follow
    # requests, lists, profile fields, content warnings or followers-only posts. It does not list
    # who faved a post, takes no post without text, and its direct messages have no threads
    # and cannot be deleted.
    "gnusocial": Upstream(
        "gnusocial",
        lacks=frozenset(
            {
                "mute",
                "follow_requests",
                "blocks_list",
                "lists",
                "rename_lists",
                "profile_fields",
                "picture_only_posts",
                "content_warnings",
                "private_posts",
                "favourited_by",
                "mail_threads",
                "mail_delete",
            }
        ),
        ids_per_user=False,
    ),
}


@pytest.fixture(scope="session", params=sorted(UPSTREAMS, reverse=True))
def upstream(request) -> Upstream:
    """The upstream of this run of the suite; every test that needs a double runs once for each."""
    return UPSTREAMS[request.param]


@pytest.fixture(scope="session")
def double(upstream, tmp_path_factory) -> Iterator[ServerThread]:
    server = ServerThread(f"friendica-double-{upstream.profile}")
    database = tmp_path_factory.mktemp("double") / "friendica.sqlite3"
    server.start(
        build_double(database=str(database), base_url=server.url, profile=upstream.profile, seed=True)
    )
    # Tests read it to see what reached the upstream, deleted items included.
    server.database = database
    yield server
    server.stop()


@pytest.fixture(scope="session")
def gateway(double, tmp_path_factory) -> Iterator[ServerThread]:
    server = ServerThread("gateway")
    settings = Settings(
        upstream_url=double.url,
        public_url=server.url,
        data_dir=tmp_path_factory.mktemp("gateway"),
        secret_key="end-to-end test secret key",
        max_characters=500,
    )
    server.start(build_gateway(settings))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def openapi() -> Iterator[OpenAPIChecker]:
    checker = OpenAPIChecker()
    yield checker


@pytest.fixture(autouse=True)
def responses_match_openapi(request, openapi):
    """Fail the test that received a response the Mastodon OpenAPI description does not allow."""
    before = len(openapi.failures)
    yield
    assert openapi.failures[before:] == []


@pytest.fixture(scope="session")
def session(openapi) -> requests.Session:
    """A requests session that checks every JSON response it receives."""

    def check(response: requests.Response, *args, **kwargs) -> None:
        if response.headers.get("content-type", "").startswith("application/json") and response.content:
            openapi.check(response.request.method, response.url, response.status_code, response.json())

    http = requests.Session()
    http.hooks["response"].append(check)
    return http


@pytest.fixture(scope="session")
def app_credentials(gateway, session) -> tuple[str, str]:
    return Mastodon.create_app(
        "mastogate e2e", scopes=SCOPES, redirect_uris=OOB, api_base_url=gateway.url, session=session
    )


def password_login(
    gateway: ServerThread, session: requests.Session, credentials: tuple[str, str], username: str
) -> Mastodon:
    client_id, client_secret = credentials
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )
    api.log_in(username=username, password=PASSWORD, scopes=SCOPES, allow_http=True)
    return api


@pytest.fixture(scope="session")
def alice(gateway, session, app_credentials) -> Mastodon:
    return password_login(gateway, session, app_credentials, "alice")


@pytest.fixture(scope="session")
def bob(gateway, session, app_credentials) -> Mastodon:
    return password_login(gateway, session, app_credentials, "bob")


class FormReader(html.parser.HTMLParser):
    """Collect the forms of a page with their fields, as a browser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.code: str | None = None
        # A page's <base href>, against which a browser resolves relative form actions.
        self.base: str | None = None
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "base" and attributes.get("href"):
            self.base = attributes["href"]
        elif tag == "form":
            self.forms.append({"action": attributes.get("action", ""), "fields": {}, "buttons": []})
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value", "")
        elif tag == "button" and self.forms and attributes.get("name"):
            self.forms[-1]["buttons"].append((attributes["name"], attributes.get("value", "")))
        elif tag == "code" and attributes.get("id") == "authorization-code":
            self._in_code = True

    def handle_data(self, data):
        if self._in_code:
            self.code = (self.code or "") + data.strip()

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False


def read_page(response: httpx.Response) -> FormReader:
    reader = FormReader()
    reader.feed(response.text)
    return reader


def form_target(response: httpx.Response, form: dict) -> str:
    """Resolve a form's action as a browser does: against the page's <base href>, else its URL."""
    base = read_page(response).base or str(response.url)
    return urljoin(base, form["action"]) if form["action"] else str(response.url)


class Browser:
    """A person in a browser: opens the authorization URL, fills the login form, consents."""

    def __init__(self) -> None:
        self.visited: list[str] = []
        self.http = httpx.Client(
            follow_redirects=False,
            timeout=15,
            event_hooks={"request": [lambda request: self.visited.append(str(request.url))]},
        )

    def log_in(self, authorize_url: str, username: str, password: str) -> httpx.Response:
        page = self.http.get(authorize_url)
        assert page.status_code == 200, page.text
        form = next(form for form in read_page(page).forms if form["action"].endswith("/oauth/authorize"))
        fields = {**form["fields"], "username": username, "password": password}
        return self.http.post(urljoin(authorize_url, form["action"]), data=fields)

    def decide(self, consent_page: httpx.Response, decision: str) -> httpx.Response:
        form = read_page(consent_page).forms[0]
        assert ("decision", decision) in form["buttons"]
        fields = {**form["fields"], "decision": decision}
        return self.http.post(urljoin(str(consent_page.url), form["action"]), data=fields)

    def authorize(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """Log in and consent; return the code shown on the page or sent to the redirect URI."""
        consent = self.log_in(authorize_url, username, password)
        assert consent.status_code == 200, consent.text
        result = self.decide(consent, "approve")
        if result.status_code == 302:
            return parse_qs(urlsplit(result.headers["location"]).query)["code"][0]
        code = read_page(result).code
        assert code, result.text
        return code


@pytest.fixture
def browser() -> Iterator[Browser]:
    person = Browser()
    yield person
    person.http.close()


def unique(text: str) -> str:
    """Make a status text that no other test or seed post contains."""
    return f"{text} {uuid.uuid4().hex[:10]}"
