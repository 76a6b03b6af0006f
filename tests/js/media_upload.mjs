// Upload a picture through masto.js, as Elk and Phanpy do, and post it.
// Usage: node media_upload.mjs GATEWAY_URL ACCESS_TOKEN PICTURE_FILE
// Prints one JSON object: the attachment masto.js got back after polling
// GET /api/v1/media/:id, and the status that carries it.
import { readFile } from "node:fs/promises";
import { createRestAPIClient } from "masto";

const [url, accessToken, path] = process.argv.slice(2);
const masto = createRestAPIClient({ url, accessToken, mediaTimeout: 30_000 });

const bytes = await readFile(path);
const file = new Blob([bytes], { type: "image/png" });
const attachment = await masto.v2.media.create({ file, description: "Uploaded with masto.js" });
const status = await masto.v1.statuses.create({ status: "Posted with masto.js", mediaIds: [attachment.id] });
const fetched = await masto.v1.statuses.$select(status.id).fetch();

console.log(JSON.stringify({ attachment, status: fetched }));
