"""A reverse proxy on 127.0.0.1 that routes like deploy/nginx-sidecar.conf.

It puts the gateway and the Friendica double on one origin, as the sidecar
layout puts mastogate on Friendica's own domain, so the end-to-end tests
can run that layout without nginx.
"""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.servers import ServerThread

# The locations of deploy/nginx-sidecar.conf that go to mastogate; the rest goes to Friendica.
GATEWAY_PATHS = re.compile(
    r"^/(api/v1|api/v2|tags|mastogate)/"
    r"|^/oauth/(authorize|token|revoke|userinfo|upstream)(/|$)"
    r"|^/\.well-known/oauth-authorization-server$"
)
UPSTREAM_AUTHORIZE = "/friendica-oauth/authorize"
# Headers that describe one hop, which a proxy does not pass on.
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}


class SidecarProxy:
    def __init__(self, gateway_url: str, upstream_url: str) -> None:
        self.server = ServerThread("sidecar")
        self.url = self.server.url
        self.gateway_url = gateway_url
        self.upstream_url = upstream_url

    def start(self) -> None:
        self.server.start(self._app())

    def stop(self) -> None:
        self.server.stop()

    def _target(self, path: str) -> str:
        if path == UPSTREAM_AUTHORIZE:
            return f"{self.upstream_url}/oauth/authorize"
        if GATEWAY_PATHS.search(path):
            return f"{self.gateway_url}{path}"
        return f"{self.upstream_url}{path}"

    def _app(self) -> Starlette:
        async def forward(request: Request) -> Response:
            headers = {name: value for name, value in request.headers.items() if name not in HOP_HEADERS}
            headers["x-forwarded-proto"] = request.url.scheme
            async with httpx.AsyncClient(timeout=30) as http:
                answer = await http.request(
                    request.method,
                    self._target(request.url.path),
                    params=request.url.query,
                    headers=headers,
                    content=await request.body(),
                )
            passed = [
                (name, value)
                for name, value in answer.headers.multi_items()
                if name.lower() not in HOP_HEADERS
            ]
            response = Response(answer.content, status_code=answer.status_code)
            response.raw_headers = [(name.encode(), value.encode()) for name, value in passed] + [
                (b"content-length", str(len(answer.content)).encode())
            ]
            return response

        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
        return Starlette(routes=[Route("/{path:path}", forward, methods=methods)])
