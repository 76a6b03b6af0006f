"""The browser side of Friendica's OAuth 2 flow: ``/oauth/authorize``, ``/login``, ``/oauth/acknowledge``.

It follows Friendica 2024.08's ``Module/OAuth/Authorize.php``,
``Module/OAuth/Acknowledge.php``, ``Module/Security/Login.php`` and
``Security/Authentication.php``:

1. ``GET /oauth/authorize`` checks the request and sends a browser that is
   not logged in to ``/login?return_authorize=<the authorize query>``.
2. The login form posts ``username``, ``password``, ``auth-params=login``
   and the hidden ``return_path`` to ``/login``. Success redirects to
   ``return_path``, and failure to the start page.
3. ``/oauth/authorize`` sends a user without a token for the client to
   ``/oauth/acknowledge``, whose form has a single button ``oauth_yes``.
   Friendica offers no way to deny consent: any POST there sets a session
   flag and redirects back, so it counts as consent.
4. ``/oauth/authorize`` then replaces the user's token for the client and
   redirects to the redirect URI with ``code`` and ``state``, or shows the
   code on a page for ``urn:ietf:wg:oauth:2.0:oob``.

Redirects are 302 with an empty body. Errors of ``/oauth/authorize`` are
JSON with status 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote_plus, urlsplit

from jinja2 import Environment
from markupsafe import Markup
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from . import credentials, errors, oauth
from .context import Site, logger
from .params import Params, ParamValue
from .sessions import PageRequest, session_route

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
<div id="content">{{ content }}</div>
</body>
</html>
""")
# The fields, ids and hidden inputs of Friendica's frio login form (login.tpl).
_LOGIN_FORM = _TEMPLATES.from_string("""
<form id="login-form" action="{{ action }}" role="form" method="post">
<div id="login-group" role="group" aria-labelledby="login-head">
<input type="hidden" name="auth-params" value="login" />
<div id="login-head" class="sr-only">Login</div>
<div id="login_standard">
<div id="id_username_wrapper" class="form-group field input">
<label for="id_username" id="label_username">Nickname or email address</label>
<input class="form-control" name="username" id="id_username" type="text" value="">
</div>
<div id="id_password_wrapper" class="form-group field input password">
<label for="id_password" id="label_password">Password</label>
<input class="form-control" name="password" id="id_password" type="password" value="">
</div>
</div>
<div id="login_openid">
<div id="id_openid_url_wrapper" class="form-group field input openid">
<label for="id_openid_url" id="label_openid_url">Or log in with OpenID</label>
<input class="form-control" name="openid_url" id="id_openid_url" type="text" value="">
</div>
</div>
<div class="field checkbox" id="div_id_remember">
<input type="hidden" name="remember" value="0">
<input type="checkbox" name="remember" id="id_remember" value="1">
<label for="id_remember">Keep me logged in</label>
</div>
<div id="login-submit-wrapper">
<button type="submit" name="submit" id="login-submit-button" class="btn btn-primary"
 value="Login">Login</button>
</div>
<input type="hidden" name="return_path" value="{{ return_path }}" />
</div>
</form>
""")
# Friendica's oauth_authorize.tpl: a form without action (it posts to the page's own URL).
_CONSENT_FORM = _TEMPLATES.from_string("""
<h2>Authorize an application</h2>
<div class="oauthapp">
<h3>{{ application }}</h3>
</div>
<p>Allow this application to read your posts and contacts and to post for you?</p>
<form method="POST">
<div class="settings-submit-wrapper">
<input class="settings-submit" type="submit" name="oauth_yes" value="Yes" />
</div>
</form>
""")


def build_routes(site: Site) -> list[Route]:
    """Return the routes of the authorize, login and consent pages."""
    return [
        session_route(site, "/oauth/authorize", {"GET": authorize}),
        session_route(site, "/login", {"GET": show_login, "POST": log_in}),
        session_route(site, "/oauth/acknowledge", {"GET": show_consent, "POST": consent}),
    ]


# /oauth/authorize


async def authorize(page: PageRequest) -> Response:
    """GET /oauth/authorize: check the client, then send the browser on or issue a code."""
    site, params, session = page.site, page.params, page.session
    if params.string("response_type") != "code":
        return _json_error("Unsupported or missing response type")
    client_id = params.string("client_id")
    redirect_uri = params.string("redirect_uri")
    if oauth.php_empty(client_id) or oauth.php_empty(redirect_uri):
        return _json_error("Incomplete request data")
    client = oauth.find_application(site.store, client_id, params.string("client_secret"), redirect_uri)
    if client is None:
        return _json_error("Unprocessable Entity")

    # Friendica passes the whole query on, unknown parameters included.
    query = Params.from_pairs(page.request.query_params.multi_items())
    authorize_query = http_build_query(query.values.items())
    uid = session.local_user_id()
    if not uid:
        return _redirect_inside(site, "login?" + http_build_query([("return_authorize", authorize_query)]))
    if not oauth.has_token(site.store, client["id"], uid) and not session.get("oauth_acknowledge"):
        consent_query = http_build_query(
            [("return_authorize", authorize_query), ("application", client["name"])]
        )
        return _redirect_inside(site, "oauth/acknowledge?" + consent_query)

    session.remove("oauth_acknowledge")
    token = oauth.grant(site.store, client, uid, params.string("scope", "read"))
    # Friendica decides by the registered URI, but redirects to the requested one.
    if client["redirect_uri"] != oauth.OOB_REDIRECT:
        separator = "&" if redirect_uri.find("?") > 0 else "?"
        code_query = http_build_query([("code", token["code"]), ("state", params.string("state"))])
        return _redirect(site, redirect_uri + separator + code_query)
    # The code ends the page's text, after a colon, as on Friendica's page.
    text = f"Enter this authorization code in your application: {token['code']}"
    return _page(site, "Authorization code", text)


# /login


async def show_login(page: PageRequest) -> Response:
    """GET /login: the login form, or a redirect to the return path when already logged in."""
    site, params, session = page.site, page.params, page.session
    return_authorize = params.string("return_authorize")
    if not oauth.php_empty(return_authorize):
        return_path = "oauth/authorize?" + return_authorize
    elif "return_path" in params:
        return_path = params.string("return_path")
    else:
        return_path = str(session.pop("return_path", "") or "")

    if session.local_user_id():
        return _redirect_inside(site, return_path)
    form = _LOGIN_FORM.render(action=f"{site.base_url}/login", return_path=return_path)
    return _page(site, "Login", Markup(form))


async def log_in(page: PageRequest) -> Response:
    """POST /login: log out, then log in with nickname (or email) and password."""
    site, params, session = page.site, page.params, page.session
    session.clear()
    username = params.string("username").strip()
    password = params.string("password").strip()

    if oauth.php_empty(params.string("password")) and not (
        oauth.php_empty(params.string("openid_url")) and oauth.php_empty(params.string("username"))
    ):
        # NOTE: Friendica tries an OpenID login here; the double fails it like an invalid OpenID URL.
        logger.info("web login without password (OpenID) for %r failed", username)
        return _redirect_inside(site, "")

    if params.string("auth-params") != "login":
        return _page(site, "Login", "")

    user = await credentials.check_password(site, username, password)
    if user is None:
        logger.info("web login failed for %r", username)
        return _redirect_inside(site, "")
    session.set("uid", user["uid"])
    session.set("authenticated", 1)
    session.set("nickname", user["nickname"])
    session.set("my_url", site.profile_url(user["nickname"]))
    logger.info("web login of user %d", user["uid"])
    return _redirect_inside(site, params.string("return_path"))


# /oauth/acknowledge


async def show_consent(page: PageRequest) -> Response:
    """GET /oauth/acknowledge: show the consent form, which needs no login, as in Friendica."""
    page.session.set("return_path", "oauth/authorize?" + page.params.string("return_authorize"))
    form = _CONSENT_FORM.render(application=page.params.string("application"))
    return _page(page.site, "Authorize an application", Markup(form))


async def consent(page: PageRequest) -> Response:
    """POST /oauth/acknowledge: record consent, whatever was posted, and return to the authorize page."""
    page.session.set("oauth_acknowledge", True)
    return_path = page.session.get("return_path")
    if return_path is None:
        # Friendica passes null to App::redirect(string), which fails with a TypeError.
        raise errors.ApiError(500)
    return _redirect(page.site, str(return_path))


# Responses and PHP helpers


def php_urlencode(value: str) -> str:
    """Return PHP's ``urlencode(value)``: like ``quote_plus`` but ``~`` is encoded too."""
    return quote_plus(value, safe="").replace("~", "%7E")


def http_build_query(pairs: Iterable[tuple[str, ParamValue]]) -> str:
    """Return PHP's ``http_build_query()`` of flat values, lists (``k[0]``) and mappings (``k[x]``)."""
    encoded = []
    for key, value in pairs:
        if isinstance(value, list):
            items = [(f"{key}[{index}]", item) for index, item in enumerate(value)]
        elif isinstance(value, dict):
            items = [(f"{key}[{name}]", item) for name, item in value.items()]
        else:
            items = [(key, value)]
        encoded += [f"{php_urlencode(name)}={php_urlencode(item)}" for name, item in items]
    return "&".join(encoded)


def _json_error(message: str) -> Response:
    logger.info("GET /oauth/authorize responded 403: %s", message)
    # Friendica's logAndJsonError() always sends 403, whatever status its caller names.
    return JSONResponse({"error": message}, status_code=403)


def _redirect_inside(site: Site, path: str) -> Response:
    """Redirect to a path of the site, like Friendica's ``BaseURL::redirect()``."""
    if urlsplit(path).scheme:
        # Friendica throws an internal server error for a full URL here.
        raise errors.ApiError(500, f"Redirect target {path} is not a path inside the site.")
    return _found(f"{site.base_url}/{path.lstrip('/')}")


def _redirect(site: Site, target: str) -> Response:
    """Redirect like Friendica's ``App::redirect()``: a URL with a scheme as is, else inside the site."""
    if urlsplit(target).scheme:
        return _found(target)
    return _redirect_inside(site, target)


def _found(location: str) -> Response:
    return Response(
        b"", status_code=302, headers={"Location": location, "Content-Type": "text/html; charset=utf-8"}
    )


def _page(site: Site, title: str, content: str | Markup) -> HTMLResponse:
    """Render a page; plain ``content`` is escaped, ``Markup`` is inserted as it is."""
    document = _LAYOUT.render(
        title=title, site_name=site.profile.site_name, base_url=site.base_url, content=content
    )
    return HTMLResponse(document)
