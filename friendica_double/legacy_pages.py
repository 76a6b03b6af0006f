"""Web pages of the legacy profile: the OAuth 1 authorize page, ``settings/oauth``, the login and 404.

They follow Friendica 3.5.4's ``mod/api.php``, ``mod/settings.php``,
``include/auth.php`` and ``boot.php``'s ``login()``; the wording is the
double's own.

- Any page logs a visitor in when its form posts ``auth-params=login`` with
  ``username`` (nickname or email) and ``password``: success redirects to
  the page that showed the login form, failure to the start page. The
  session cookie is ``PHPSESSID``.
- ``/api/oauth/authorize?oauth_token=...`` shows the login form to a
  visitor, and to a logged-in user the application's name and a form that
  posts back to the same URL with one button, ``oauth_yes``. There is no
  button to refuse. 3.5.4 accepts the ``oauth_yes`` post without a login
  and then grants the verifier to nobody, which the double repeats.
- ``/settings/oauth`` lists the logged-in user's consumers, and
  ``/settings/oauth/add`` registers one (``name``, ``key``, ``secret``,
  ``redirect``, ``icon``, ``form_security_token``, ``submit``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import quote, urlencode

from jinja2 import Environment
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from . import credentials, oauth1
from .context import Site, logger
from .legacy_routing import PHP_TEXT_TYPE
from .params import Params
from .sessions import BrowserSession, PageRequest, session_route

# 3.5.4 accepts a form security token for three hours.
FORM_TOKEN_SECONDS = 3 * 3600
SETTINGS_FORM = "settings_oauth"
# Submit values of the consumer form: the edit page's button updates, any other adds.
UPDATE_BUTTON = "Update"
SAVE_BUTTON = "Save Settings"

_TEMPLATES = Environment(autoescape=True)
_LAYOUT = _TEMPLATES.from_string("""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{{ title }} | {{ site_name }}</title>
<base href="{{ base_url }}/" />
</head>
<body>
<p><a href="{{ base_url }}/">{{ site_name }}</a></p>
{% if notice %}<div id="system-message"><p class="notice">{{ notice }}</p></div>{% endif %}
<div id="content">{{ content }}</div>
</body>
</html>
""")
_LOGIN_FORM = _TEMPLATES.from_string("""
<form id="login-form" action="{{ action }}" role="form" method="post">
<input type="hidden" name="auth-params" value="login" />
<div id="login_standard">
<label for="id_username">Nickname or email</label>
<input name="username" id="id_username" type="text" value="">
<label for="id_password">Password</label>
<input name="password" id="id_password" type="password" value="">
</div>
<input type="hidden" name="remember" value="0">
<label><input type="checkbox" name="remember" id="id_remember" value="1"> Stay logged in</label>
<div id="login-submit-wrapper">
<input type="submit" name="submit" id="login-submit-button" value="Login" />
</div>
{% for name, value in hiddens %}<input type="hidden" name="{{ name }}" value="{{ value }}" />
{% endfor %}</form>
""")
_CONSENT = _TEMPLATES.from_string("""
<h1>Connect an application</h1>
<div class="oauthapp">
<img src="{{ icon }}" alt="">
<h4>{{ name }}</h4>
</div>
<h3>May this application read your posts and contacts and post in your name?</h3>
<form method="POST">
<div class="settings-submit-wrapper">
<input class="settings-submit" type="submit" name="oauth_yes" value="Yes" />
</div>
</form>
""")
_VERIFIER = _TEMPLATES.from_string("""
<h1>Connect an application</h1>
<p>Enter this code in your application to finish connecting it:</p>
<code>{{ verifier }}</code>
""")
_CONSUMER_LIST = _TEMPLATES.from_string("""
<h1>Applications</h1>
<form action="settings/oauth" method="post" autocomplete="off">
<input type="hidden" name="form_security_token" value="{{ token }}">
<p><a id="add-application" href="{{ base_url }}/settings/oauth/add">Register an application</a></p>
{% for app in apps %}<div class="oauthapp">
<h4>{{ app.name or "(unnamed)" }}</h4>
{% if app.my and app.oauth_token %}
<button type="submit" name="remove" value="{{ app.oauth_token }}">Revoke access</button>
{% endif %}
{% if app.my %}<a class="edit" href="{{ base_url }}/settings/oauth/edit/{{ app.client_id }}">Edit</a>
<a class="delete" href="{{ base_url }}/settings/oauth/delete/{{ app.client_id }}?t={{ token }}">Delete</a>
{% endif %}
</div>
{% endfor %}</form>
""")
_CONSUMER_FORM = _TEMPLATES.from_string("""
<h1>Register an application</h1>
<form method="POST">
<input type="hidden" name="form_security_token" value="{{ token }}">
<label for="id_name">Name</label><input name="name" id="id_name" type="text" value="{{ name }}">
<label for="id_key">Consumer key (at most 20 characters)</label>
<input name="key" id="id_key" type="text" value="{{ key }}">
<label for="id_secret">Consumer secret (at most 20 characters)</label>
<input name="secret" id="id_secret" type="text" value="{{ secret }}">
<label for="id_redirect">Redirect URL</label>
<input name="redirect" id="id_redirect" type="text" value="{{ redirect }}">
<label for="id_icon">Icon URL</label><input name="icon" id="id_icon" type="text" value="{{ icon }}">
<input type="submit" name="submit" value="{{ button }}" />
</form>
""")


def build_routes(site: Site) -> list[Route]:
    """Return the routes of the legacy profile's pages (the 404 catch-all is ``not_found``)."""
    both = {"GET": authorize, "POST": authorize}
    return [
        session_route(site, "/api/oauth/authorize", both),
        session_route(site, "/login", {"GET": login_page, "POST": login_page}),
        session_route(site, "/settings/oauth", {"GET": settings_list, "POST": settings_list}),
        session_route(site, "/settings/oauth/add", {"GET": settings_add, "POST": settings_add}),
        session_route(site, "/settings/oauth/edit/{key}", {"GET": settings_edit, "POST": settings_edit}),
        session_route(
            site, "/settings/oauth/delete/{key}", {"GET": settings_delete, "POST": settings_delete}
        ),
    ]


async def not_found(site: Site, request: Request) -> Response:
    """Return 3.5.4's themed 404 page for a path that no module serves, whatever the method."""
    return page(site, "Not found", "This page does not exist.", status=404)


# Page helpers


def page(site: Site, title: str, content: str | Markup, notice: str = "", status: int = 200) -> HTMLResponse:
    """Render a page; plain ``content`` is escaped, ``Markup`` is inserted as it is."""
    document = _LAYOUT.render(
        title=title, site_name=site.profile.site_name, base_url=site.base_url, content=content, notice=notice
    )
    return HTMLResponse(document, status_code=status)


def redirect(location: str) -> Response:
    """Redirect like 3.5.4's ``goaway()``: a Location header, status 302 and no body."""
    return Response(b"", status_code=302, headers={"Location": location, "Content-Type": PHP_TEXT_TYPE})


def current_path(request: Request) -> str:
    """Return 3.5.4's ``query_string``: the path without its leading slash, then the query."""
    path = request.url.path.lstrip("/")
    return path + (f"?{request.url.query}" if request.url.query else "")


def login_form(
    site: Site, request: Request, session: BrowserSession, notice: str, hiddens: Params
) -> Response:
    """Show the login form that posts back to the current page, which a login then returns to."""
    here = current_path(request)
    session.set("return_url", here)
    pairs = [(name, value) for name, value in hiddens.values.items() if isinstance(value, str)]
    form = _LOGIN_FORM.render(action=here, hiddens=pairs)
    return page(site, "Login", Markup(form), notice=notice)


async def process_login(page_request: PageRequest) -> Response | None:
    """Handle a posted login form (``auth-params=login``) like 3.5.4's ``include/auth.php``.

    Returns the redirect, or None when the request carries no login.
    """
    site, params, session = page_request.site, page_request.params, page_request.session
    if page_request.request.method != "POST" or params.string("auth-params") != "login":
        return None
    return_url = str(session.get("return_url", "") or "")
    session.clear()
    user = await credentials.check_password(
        site, params.string("username").strip(), params.string("password").strip()
    )
    if user is None:
        logger.info("legacy web login failed for %r", params.string("username"))
        return redirect(f"{site.base_url}")
    session.set("uid", user["uid"])
    session.set("authenticated", 1)
    logger.info("legacy web login of user %d", user["uid"])
    # NOTE: 3.5.4 sends a user's very first login to profile_photo/new instead; the double does not.
    return redirect(f"{site.base_url}/{return_url}" if return_url else site.base_url)


# /login


async def login_page(page_request: PageRequest) -> Response:
    """``/login``: the login form; after logging in, the page that sent the visitor here."""
    done = await process_login(page_request)
    if done is not None:
        return done
    if page_request.session.local_user_id():
        return redirect(page_request.site.base_url)
    return login_form(page_request.site, page_request.request, page_request.session, "", Params())


# /api/oauth/authorize


async def authorize(page_request: PageRequest) -> Response:
    """``/api/oauth/authorize``: log in, then ask to connect the request token's application.

    Posting ``oauth_yes`` grants the verifier (to nobody without a login)
    and redirects to the consumer's registered redirect URL with
    ``?oauth_token=...&oauth_verifier=...``, or shows the verifier.
    """
    done = await process_login(page_request)
    if done is not None:
        return done
    site, params, session = page_request.site, page_request.params, page_request.session
    token = params.string("oauth_token")
    uid = session.local_user_id()

    if params.non_empty("oauth_yes"):
        client = oauth1.consumer_of_request_token(site, token)
        if client is None:
            return page(site, "Connect an application", "Unknown or expired request token.")
        verifier = oauth1.grant_verifier(site.store, uid)
        logger.info("user %d authorized OAuth 1 consumer %s", uid, client["client_id"])
        if client["redirect_uri"]:
            # 3.5.4 always adds "?", even to a redirect URL that has a query already.
            query = f"oauth_token={quote(token, safe='~')}&oauth_verifier={quote(verifier, safe='~')}"
            return redirect(f"{client['redirect_uri']}?{query}")
        return page(site, "Connect an application", Markup(_VERIFIER.render(verifier=verifier)))

    if not uid:
        return login_form(site, page_request.request, session, "Log in to connect the application.", params)
    client = oauth1.consumer_of_request_token(site, token)
    if client is None:
        return page(site, "Connect an application", "Unknown or expired request token.")
    consent = _CONSENT.render(icon=client["icon"] or "", name=client["name"] or "")
    return page(site, "Connect an application", Markup(consent))


# /settings/oauth


def form_token(site: Site, session: BrowserSession, form: str, moment: int | None = None) -> str:
    """Return a form security token bound to the session, the form and the time (3.5.4's scheme)."""
    secret = site.store.scalar("SELECT v FROM config WHERE cat = 'system' AND k = 'form_secret'")
    if secret is None:
        secret = secrets.token_hex(16)
        site.store.execute("INSERT INTO config (cat, k, v) VALUES ('system', 'form_secret', ?)", [secret])
    stamp = int(time.time()) if moment is None else moment
    digest = hmac.new(str(secret).encode(), f"{session.session_id}.{stamp}.{form}".encode(), hashlib.sha256)
    return f"{stamp}.{digest.hexdigest()}"


def form_token_valid(site: Site, session: BrowserSession, form: str, value: str) -> bool:
    """Return whether a posted form security token is valid and at most three hours old."""
    stamp, _, _ = value.partition(".")
    if not stamp.isdigit() or time.time() - int(stamp) > FORM_TOKEN_SECONDS:
        return False
    return hmac.compare_digest(form_token(site, session, form, int(stamp)), value)


def _require_login(page_request: PageRequest) -> Response | int:
    uid = page_request.session.local_user_id()
    if uid:
        return uid
    return login_form(
        page_request.site, page_request.request, page_request.session, "Log in first.", Params()
    )


async def settings_list(page_request: PageRequest) -> Response:
    """``/settings/oauth``: the user's and site-wide consumers; a posted ``remove`` revokes a token."""
    done = await process_login(page_request)
    if done is not None:
        return done
    uid = _require_login(page_request)
    if isinstance(uid, Response):
        return uid
    site, session, params = page_request.site, page_request.session, page_request.params
    if page_request.request.method == "POST" and params.non_empty("remove"):
        if form_token_valid(site, session, SETTINGS_FORM, params.string("form_security_token")):
            oauth1.revoke_token(site.store, params.string("remove"), uid)
        return redirect(f"{site.base_url}/settings/oauth/")
    apps = oauth1.consumers_listed_for(site.store, uid)
    listing = _CONSUMER_LIST.render(
        apps=apps, token=form_token(site, session, SETTINGS_FORM), base_url=site.base_url
    )
    return page(site, "Applications", Markup(listing))


async def settings_add(page_request: PageRequest) -> Response:
    """``/settings/oauth/add``: the consumer form; posting it registers the consumer for the user."""
    return await _consumer_form(page_request, None)


async def settings_edit(page_request: PageRequest) -> Response:
    """``/settings/oauth/edit/<key>``: the form for one of the user's consumers."""
    return await _consumer_form(page_request, page_request.request.path_params["key"])


async def _consumer_form(page_request: PageRequest, key: str | None) -> Response:
    done = await process_login(page_request)
    if done is not None:
        return done
    uid = _require_login(page_request)
    if isinstance(uid, Response):
        return uid
    site, session, params = page_request.site, page_request.session, page_request.params

    if page_request.request.method == "POST" and params.non_empty("submit"):
        if not form_token_valid(site, session, SETTINGS_FORM, params.string("form_security_token")):
            return redirect(f"{site.base_url}/settings/oauth")
        name, new_key, secret = params.string("name"), params.string("key"), params.string("secret")
        if not (name and new_key and secret):
            logger.info("consumer form of user %d lacked a name, key or secret", uid)
        else:
            if params.string("submit") == UPDATE_BUTTON and key is not None:
                oauth1.delete_consumer(site.store, key, uid)
            oauth1.register_consumer(
                site.store,
                key=new_key,
                secret=secret,
                name=name,
                redirect_uri=params.string("redirect"),
                icon=params.string("icon"),
                uid=uid,
            )
        return redirect(f"{site.base_url}/settings/oauth/")

    values = {"name": "", "key": "", "secret": "", "redirect": "", "icon": "", "button": SAVE_BUTTON}
    if key is not None:
        found = oauth1.consumer(site.store, key)
        if found is None or found["uid"] != uid:
            return page(site, "Register an application", "You cannot edit this application.")
        values = {
            "name": found["name"] or "",
            "key": found["client_id"],
            "secret": found["pw"],
            "redirect": found["redirect_uri"],
            "icon": found["icon"] or "",
            "button": UPDATE_BUTTON,
        }
    form = _CONSUMER_FORM.render(token=form_token(site, session, SETTINGS_FORM), **values)
    return page(site, "Register an application", Markup(form))


async def settings_delete(page_request: PageRequest) -> Response:
    """``/settings/oauth/delete/<key>?t=<form token>``: delete one of the user's consumers."""
    uid = _require_login(page_request)
    if isinstance(uid, Response):
        return uid
    site, session = page_request.site, page_request.session
    if form_token_valid(site, session, SETTINGS_FORM, page_request.params.string("t")):
        oauth1.delete_consumer(site.store, page_request.request.path_params["key"], uid)
    return redirect(f"{site.base_url}/settings/oauth/")


def oauth_query(token: str) -> str:
    """Return the query of the authorize page for a request token."""
    return urlencode({"oauth_token": token})
