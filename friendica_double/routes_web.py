"""Non-API pages so that links and images in API responses work in a demo client.

Served: ``/photo/contact/{size}/{id}`` (avatars by contact id or guid),
``/photo/header/{guid}`` (both show an uploaded picture, see ``avatars``,
or else a drawn stand-in), ``/images/{name}``, ``/profile/{nick}``,
``/display/{guid}``, ``/objects/{guid}`` (redirects to the display page),
``/search?tag=…`` and a start page listing the local users. Pages show
public posts only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from . import avatars, dates, images, people
from .bbcode import FRIENDICA, RenderOptions
from .context import Site
from .db import GRAVITY_PARENT, PRIVATE, Row
from .text import status_html

PAGE_LIMIT = 30
IMAGE_HEADERS = {"Cache-Control": "public, max-age=86400"}

_TEMPLATES = Environment(autoescape=True)
_PAGE = _TEMPLATES.from_string("""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{{ title }} | {{ site_name }}</title>
<style>
body { font-family: sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em }
article { border-bottom: 1px solid #ddd; padding: .8em 0 }
.meta { color: #666; font-size: .85em }
img.avatar { vertical-align: middle; border-radius: 4px }
</style>
</head>
<body>
<p><a href="{{ base_url }}/">{{ site_name }}</a></p>
{% if heading %}<h1>{{ heading }}</h1>{% endif %}
{% if intro %}<p>{{ intro }}</p>{% endif %}
{% if users %}<ul>{% for user in users %}
<li><a href="{{ user.url }}">{{ user.nickname }}</a></li>{% endfor %}
</ul>{% endif %}
{% for post in posts %}<article>
<div class="meta"><img class="avatar" src="{{ post.avatar }}" width="24" height="24" alt="">
<a href="{{ post.profile }}">{{ post.name }}</a>
· <a href="{{ post.link }}">{{ post.date }}</a></div>
<div class="content">{{ post.content }}</div>
</article>
{% endfor %}</body>
</html>
""")


def _page(site: Site, title: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("heading", title)
    document = _PAGE.render(title=title, site_name=site.profile.site_name, base_url=site.base_url, **context)
    return HTMLResponse(document, status_code=status)


def _post(site: Site, item: Row) -> dict[str, Any]:
    person = site.store.public_contact(item["author_id"])
    nick = person["nick"] if person is not None else "?"
    content = status_html(item["title"], item["body"], RenderOptions(FRIENDICA, site.base_url))
    return {
        "avatar": f"{site.base_url}/photo/contact/48/{item['author_id']}",
        "profile": site.profile_url(nick),
        "name": person["name"] if person is not None else "?",
        "link": site.display_url(item["guid"]),
        "date": dates.twitter(item["created"]),
        # The renderer escapes all text itself.
        "content": Markup(content),
    }


def _public_items(site: Site, where: str, args: list[object]) -> list[Row]:
    return site.store.query(
        f"SELECT * FROM item WHERE deleted = 0 AND gravity IN (0, 6) AND private != {PRIVATE} "
        f"AND {where} ORDER BY uri_id DESC LIMIT {PAGE_LIMIT}",
        args,
    )


def _image(data: bytes, mimetype: str = "image/png") -> Response:
    return Response(data, media_type=mimetype, headers=IMAGE_HEADERS)


def build_routes(site: Site) -> list[Route]:
    """Return the Starlette routes of the web pages and images."""

    async def contact_photo(request: Request) -> Response:
        size = int(request.path_params["size"])
        uploaded = avatars.contact_picture(site, request.path_params["ident"], size)
        if uploaded is not None:
            return _image(uploaded.data, uploaded.mimetype)
        key = _avatar_key(site, request.path_params["ident"])
        return _image(images.avatar(key, size))

    async def header_photo(request: Request) -> Response:
        uploaded = avatars.header_picture(site, request.path_params["guid"])
        if uploaded is not None:
            return _image(uploaded.data, uploaded.mimetype)
        return _image(images.banner(request.path_params["guid"]))

    async def site_image(request: Request) -> Response:
        name = request.path_params["name"]
        if "banner" in name:
            return _image(images.banner(name, 1200, 400))
        return _image(images.avatar(name, 64))

    async def profile(request: Request) -> Response:
        person = site.store.public_contact_by_nick(request.path_params["nick"])
        if person is None:
            return _page(site, "Not found", 404, intro="No such profile.")
        items = _public_items(site, "author_id = ?", [person["id"]])
        return _page(
            site,
            person["name"],
            intro=f"@{person['nick']}@{site.netloc} {person['about']}".strip(),
            posts=[_post(site, item) for item in items],
        )

    async def display(request: Request) -> Response:
        item = site.store.item_by_guid(request.path_params["guid"])
        if item is None or item["deleted"] or item["private"] == PRIVATE:
            return _page(site, "Not found", 404, intro="No such public post.")
        shown = [item]
        if item["gravity"] == GRAVITY_PARENT:
            thread = _public_items(site, "parent_uri_id = ?", [item["uri_id"]])
            shown += [reply for reply in reversed(thread) if reply["uri_id"] != item["uri_id"]]
        return _page(site, "Post", heading="", posts=[_post(site, entry) for entry in shown])

    async def objects(request: Request) -> Response:
        return RedirectResponse(site.display_url(request.path_params["guid"]), status_code=302)

    async def search(request: Request) -> Response:
        tag = request.query_params.get("tag", "")
        condition = "uri_id IN (SELECT uri_id FROM tag WHERE type = 'hashtag' AND lower(name) = lower(?))"
        items = _public_items(site, condition, [tag])
        return _page(site, f"#{tag}", posts=[_post(site, item) for item in items])

    async def home(request: Request) -> Response:
        users = [
            {"url": site.profile_url(user["nickname"]), "nickname": user["nickname"]}
            for user in site.store.users()
        ]
        profile_name = f"{site.profile.platform} {site.profile.version}"
        return _page(
            site,
            site.profile.site_name,
            intro=f"A stand-in for a {profile_name} server.",
            users=users,
        )

    handlers: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        ("/photo/contact/{size:int}/{ident}", contact_photo),
        ("/photo/header/{guid}", header_photo),
        ("/images/{name}", site_image),
        ("/profile/{nick}", profile),
        ("/display/{guid}", display),
        ("/objects/{guid}", objects),
        ("/search", search),
        ("/", home),
    ]
    return [Route(path, handler, methods=["GET", "HEAD"]) for path, handler in handlers]


def _avatar_key(site: Site, ident: str) -> str:
    """Return a stable key for an avatar requested by contact id or guid."""
    if ident.isdigit():
        public_id = people.public_id_for(site.store, int(ident))
        person = site.store.public_contact(public_id) if public_id else None
        if person is not None:
            return str(person["guid"])
    return ident
