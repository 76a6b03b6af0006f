"""Helpers for the photo and media tests: drawn pictures, uploads, posts and raw requests."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
from PIL import Image

from .support import BASE_URL, Double

ALICE_CONTACT_FOR_BOB = 11


def picture(size: tuple[int, int], image_format: str = "PNG", colour: str = "green") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, image_format)
    return output.getvalue()


def upload_media(
    double: Double, data: bytes, filename: str = "picture.png", content_type: str = "image/png"
) -> httpx.Response:
    return double.client.request(
        "POST", "/api/media/upload.json", user="alice", files={"media": (filename, data, content_type)}
    )


def uploaded_id(
    double: Double, data: bytes, filename: str = "picture.png", content_type: str = "image/png"
) -> int:
    response = upload_media(double, data, filename, content_type)
    assert response.status_code == 200, response.text[:300]
    media_id: int = response.json()["media_id"]
    return media_id


def create_photo(double: Double, data: bytes, **form: str) -> dict[str, Any]:
    response = double.client.request(
        "POST",
        "/api/friendica/photo/create.json",
        user="alice",
        data=form,
        files={"media": ("picture.png", data, "image/png")},
    )
    assert response.status_code == 200, response.text[:300]
    photo: dict[str, Any] = response.json()
    return photo


def photo_of(double: Double, media_id: int, user: str = "alice") -> dict[str, Any]:
    """Find the photo object of an uploaded media id through photos/list and friendica/photo."""
    listed = double.client.get("/api/friendica/photos/list.json", user).json()
    resource_id = next(
        photo["id"] for photo in listed if media_id in [scale["id"] for scale in photo["scales"]]
    )
    response = double.client.get("/api/friendica/photo.json", user, photo_id=resource_id)
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def post(double: Double, user: str = "alice", **form: Any) -> dict[str, Any]:
    response = double.client.post("/api/statuses/update.json", user, **form)
    assert response.status_code == 200, response.text[:300]
    status: dict[str, Any] = response.json()
    return status


def raw_post(double: Double, path: str, body: bytes, user: str = "alice") -> httpx.Response:
    """POST a raw body as application/json, which DoubleClient only sends for valid JSON values."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=double.app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            return await client.post(
                path, content=body, auth=(user, "demo"), headers={"Content-Type": "application/json"}
            )

    return asyncio.run(send())


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
