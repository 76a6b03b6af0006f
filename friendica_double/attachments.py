"""Pictures attached to a new status: ``media_ids`` or an uploaded ``media`` file.

Friendica 2024.08's statuses/update (and update_with_media) reads
``media_ids`` as a comma list of photo row ids of the caller. Only when that
is empty does it upload a multipart ``media`` file to "Wall Photos". Each
picture is attached in the order given: the widest row is the attachment
(scale 0) and the next widest (scale 1, else 2) its preview. The picture's
ACL becomes the post's, so a private post makes its pictures private.
Unknown ids, other users' pictures and failed uploads are skipped without
an error.
"""

from __future__ import annotations

from dataclasses import replace

from . import photos
from .context import Site, logger
from .db import Row
from .imaging import extension_for
from .post_media import Attachment
from .posts import Acl


def attachments_for_post(
    site: Site,
    user: Row,
    media_ids: str,
    upload: photos.Upload | None,
    acl: Acl,
    created: str | None = None,
) -> list[Attachment]:
    """Return the attachments of a new post and give their pictures the post's ACL.

    ``created`` is the post's time (default: now), used for the upload and the ACL change.
    """
    if media_ids:
        ids = media_ids.split(",")
    elif upload is not None:
        try:
            ids = [str(photos.upload(site, user, upload, created=created).media_id)]
        except photos.UploadFailed as error:
            logger.info("status by %s posted without its picture: %s", user["nickname"], error)
            ids = []
    else:
        ids = []

    attachments = []
    for media_id in ids:
        found = attachment_for(site, int(user["uid"]), media_id)
        if found is None:
            continue
        resource_id, attachment = found
        photos.set_permissions(site.store, int(user["uid"]), resource_id, acl, edited=created)
        attachments.append(attachment)
    return attachments


def attachment_for(site: Site, uid: int, media_id: str) -> tuple[str, Attachment] | None:
    """Return the resource id and attachment for one ``media_ids`` entry of a user, or None.

    Any row id of a picture names the whole picture. Another user's picture
    or a non-numeric id gives None.
    """
    row_id = media_id.strip()
    if not row_id.isdigit():
        return None
    rows = site.store.query(
        "SELECT * FROM photo WHERE uid = ? AND resource_id IN "
        "(SELECT resource_id FROM photo WHERE id = ?) ORDER BY width DESC, scale ASC LIMIT 2",
        [uid, int(row_id)],
    )
    if not rows:
        return None

    original = rows[0]
    extension = extension_for(original["type"])
    attachment = Attachment(
        url=photos.photo_url(site, original["resource_id"], original["scale"], extension),
        mimetype=original["type"],
        size=original["datasize"],
        name=original["filename"] or original["resource_id"],
        description=original["description"],
        width=original["width"],
        height=original["height"],
        blurhash=original["blurhash"],
    )
    if len(rows) > 1:
        preview = rows[1]
        attachment = replace(
            attachment,
            preview=photos.photo_url(site, preview["resource_id"], preview["scale"], extension),
            preview_width=preview["width"],
            preview_height=preview["height"],
        )
    return str(original["resource_id"]), attachment
