"""What the benchmarks share: logging a person in to a gateway."""

from __future__ import annotations

import httpx

OOB = "urn:ietf:wg:oauth:2.0:oob"


async def password_token(
    client: httpx.AsyncClient, username: str, password: str = "demo", scopes: str = "read write follow"
) -> str:
    """Register an app on the gateway behind ``client`` and return a person's token (password grant)."""
    app = await client.post(
        "/api/v1/apps", data={"client_name": "bench", "redirect_uris": OOB, "scopes": scopes}
    )
    app.raise_for_status()
    token = await client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app.json()["client_id"],
            "client_secret": app.json()["client_secret"],
            "username": username,
            "password": password,
            "scope": scopes,
        },
    )
    token.raise_for_status()
    return str(token.json()["access_token"])
