"""Run the Friendica double: ``python -m friendica_double --port 8089``."""

from __future__ import annotations

import argparse
import logging
import os
import tempfile

import uvicorn

from . import front_legacy, oauth1
from .app import build_app
from .context import AuthSettings, MediaSettings
from .profiles import PROFILES
from .seed import CREDENTIALS


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m friendica_double",
        description="Serve a stand-in for a Friendica server's Twitter-compatible API, "
        "backed by SQLite and seeded with demo users.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8089, help="TCP port to listen on (default: 8089)")
    parser.add_argument(
        "--database",
        metavar="PATH",
        help="SQLite file to use; an existing file keeps its data "
        "(default: a fresh temporary file, deleted on exit)",
    )
    parser.add_argument(
        "--profile",
        default="modern",
        choices=sorted(PROFILES),
        help="upstream release to imitate: modern = Friendica 2024.08, legacy = Friendica 3.5.4, "
        "gnusocial = GNU social 1.2 (default: modern)",
    )
    parser.add_argument(
        "--no-seed",
        action="store_true",
        help="start with an empty database instead of the demo users and posts",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="public URL written into returned links, e.g. profile and avatar URLs "
        "(default: http://HOST:PORT)",
    )
    defaults = MediaSettings()
    parser.add_argument(
        "--max-upload-bytes",
        type=int,
        default=defaults.max_upload_bytes,
        metavar="BYTES",
        help="largest uploaded file in bytes, like PHP's upload_max_filesize; larger files are "
        f"dropped and the upload fails; 0 = no limit (default: {defaults.max_upload_bytes})",
    )
    parser.add_argument(
        "--max-image-bytes",
        type=int,
        default=defaults.max_image_bytes,
        metavar="BYTES",
        help="Friendica's maximagesize in bytes: larger pictures are scaled down until they fit; "
        f"0 = no limit (default: {defaults.max_image_bytes})",
    )

    auth_defaults = AuthSettings()
    parser.add_argument(
        "--password-check-seconds",
        type=float,
        default=auth_defaults.password_check_seconds,
        metavar="SECONDS",
        help="time added to every password check (HTTP Basic and the web login), as a sleep that "
        "imitates Friendica's password hashing; bearer tokens skip it "
        f"(default: {auth_defaults.password_check_seconds})",
    )
    parser.add_argument(
        "--oauth-code-lifetime",
        type=int,
        default=auth_defaults.code_lifetime_seconds,
        metavar="SECONDS",
        help="how long an OAuth 2 authorization code can be exchanged for a token "
        f"(default: {auth_defaults.code_lifetime_seconds}, Friendica's 5 minutes)",
    )
    parser.add_argument(
        "--request-token-lifetime",
        type=float,
        default=auth_defaults.request_token_lifetime_seconds,
        metavar="SECONDS",
        help="how long an OAuth 1 request token of the legacy profile can be authorized and exchanged "
        f"(default: {auth_defaults.request_token_lifetime_seconds:g})",
    )
    parser.add_argument(
        "--oauth1-consumer",
        action="append",
        default=[],
        metavar="KEY:SECRET[:REDIRECT_URL]",
        help="register a site-wide OAuth 1 consumer at start (legacy profile only; key and secret are cut "
        "to 20 characters); without a redirect URL the authorize page shows the verifier; repeatable",
    )
    arguments = parser.parse_args(argv)
    if arguments.oauth1_consumer and arguments.profile != "legacy":
        parser.error("--oauth1-consumer needs --profile legacy")
    for value in arguments.oauth1_consumer:
        key, _, rest = value.partition(":")
        secret, _, _ = rest.partition(":")
        if not key or not secret:
            parser.error(f"--oauth1-consumer {value!r}: expected KEY:SECRET or KEY:SECRET:REDIRECT_URL")
    return arguments


def main(argv: list[str] | None = None) -> None:
    """Start the double with uvicorn and stop it on Ctrl-C."""
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    log = logging.getLogger("friendica_double")

    temporary = None
    database = arguments.database
    if database is None:
        handle, temporary = tempfile.mkstemp(prefix="friendica-double-", suffix=".sqlite")
        os.close(handle)
        database = temporary

    base_url = arguments.base_url or f"http://{arguments.host}:{arguments.port}"
    try:
        media = MediaSettings(arguments.max_upload_bytes, arguments.max_image_bytes)
        auth = AuthSettings(
            arguments.password_check_seconds, arguments.oauth_code_lifetime, arguments.request_token_lifetime
        )
        app = build_app(
            database,
            base_url,
            profile=arguments.profile,
            seed=not arguments.no_seed,
            media=media,
            auth=auth,
        )
        for value in arguments.oauth1_consumer:
            key, _, rest = value.partition(":")
            secret, _, redirect = rest.partition(":")
            stored = oauth1.register_consumer(
                app.state.site.store, key=key, secret=secret, name=key, redirect_uri=redirect
            )
            log.info("OAuth 1 consumer %s registered with redirect URL %r", stored, redirect)
        log.info("serving profile %s at %s with database %s", arguments.profile, base_url, database)
        if not arguments.no_seed:
            users = ", ".join(name for name, _ in CREDENTIALS)
            log.info("demo users: %s; password for all: %s", users, CREDENTIALS[0][1])
            if arguments.profile == "legacy":
                log.info(
                    "demo OAuth 1 consumer: key %s, secret %s (no redirect URL: the verifier is shown)",
                    front_legacy.DEMO_CONSUMER_KEY,
                    front_legacy.DEMO_CONSUMER_SECRET,
                )
        uvicorn.run(app, host=arguments.host, port=arguments.port, log_level="info")
    finally:
        if temporary is not None:
            os.unlink(temporary)
            log.info("deleted temporary database %s", temporary)


if __name__ == "__main__":
    main()
