"""The ``mastogate`` command: serve, demo and check."""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import getpass
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr, ValidationError

from gateway.app import build_app
from gateway.auth.scopes import TOP_LEVEL
from gateway.auth.vault import Vault, new_token
from gateway.capabilities import Capabilities, probe
from gateway.errors import GatewayError, UpstreamTimeout, UpstreamUnreachable
from gateway.settings import Settings, load_settings
from gateway.store.base import TokenRecord
from gateway.store.sqlite import SQLiteStore
from gateway.upstream import BasicCredential, FriendicaClient, UpstreamCredentialRejected
from mappings.instance import MASTOGATE_VERSION

# What the double plays with each --profile, for the demo's banner.
DEMO_UPSTREAMS = {
    "modern": "Friendica 2024.08",
    "legacy": "Friendica 3.5.4",
    "gnusocial": "GNU social 1.2",
}
# The users the bundled Friendica double is seeded with, all with the password "demo".
DEMO_USERS = ("alice", "bob", "carol", "dave", "erin")
DEMO_PASSWORD = "demo"
# The OAuth 1 consumer the demo registers on a legacy double (Friendica cuts both to 20 characters).
DEMO_OAUTH1_KEY = "mastogate-demo-app"
DEMO_OAUTH1_SECRET = "demo-oauth1-secret"
DOUBLE_START_TIMEOUT = 20.0


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL; mastogate.upstream already logs each call without the query.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _settings_or_exit(config: str | None, **overrides: object) -> Settings:
    try:
        return load_settings(config, **overrides)
    except ValidationError as error:
        problems = "; ".join(_problem(problem) for problem in error.errors())
        sys.exit(f"mastogate: invalid settings: {problems}")


def _problem(problem: Any) -> str:
    """Name a settings problem by its environment variable, as operators set them."""
    message = str(problem["msg"]).removeprefix("Value error, ")
    names = [f"MASTOGATE_{str(part).upper()}" for part in problem["loc"]]
    return f"{'.'.join(names)}: {message}" if names else message


def serve(arguments: argparse.Namespace) -> int:
    settings = _settings_or_exit(arguments.config)
    if not settings.public_url:
        settings = settings.model_copy(update={"public_url": f"http://{arguments.host}:{arguments.port}"})
    if not settings.upstream_url:
        sys.exit("mastogate: MASTOGATE_UPSTREAM_URL is not set; give the base URL of your Friendica server")
    _configure_logging(settings.log_level)
    uvicorn.run(
        build_app(settings),
        host=arguments.host,
        port=arguments.port,
        log_level=settings.log_level,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=arguments.forwarded_allow_ips,
    )
    return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe_socket:
        # As uvicorn binds: connections of a just-stopped demo still waiting to close do not count.
        probe_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe_socket.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:
    """Have Linux stop the double when the demo process dies, however it dies."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _start_double(
    work_dir: Path, profile: str, extra: Sequence[str] = ()
) -> tuple[subprocess.Popen[bytes], str, Path]:
    """Start the Friendica double on a loopback port and wait until it responds.

    The port is kept in the data directory and used again when it is free.
    The double's answers carry its address in their links, and the gateway
    keeps some answers (bookmarks, notifications), so a kept demo would
    otherwise show links to a port nobody listens on.
    """
    port_file = work_dir / "friendica-double.port"
    kept = port_file.read_text().strip() if port_file.exists() else ""
    port = int(kept) if kept.isdigit() and _port_is_free("127.0.0.1", int(kept)) else _free_port()
    port_file.write_text(str(port))
    url = f"http://127.0.0.1:{port}"
    log_path = work_dir / "friendica-double.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "friendica_double",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database",
                str(work_dir / "friendica-double.sqlite3"),
                "--profile",
                profile,
                *extra,
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )

    deadline = time.monotonic() + DOUBLE_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(
                f"mastogate: the Friendica double exited with status {process.returncode}; see {log_path}"
            )
        try:
            if httpx.get(f"{url}/api/help/test.json", timeout=1.0).status_code == 200:
                return process, url, log_path
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.terminate()
    sys.exit(
        f"mastogate: the Friendica double did not start within {DOUBLE_START_TIMEOUT:.0f} s; see {log_path}"
    )


async def _demo_token(settings: Settings) -> str:
    """Log alice in and store a token with every scope, as an app would get one."""
    vault = Vault(settings.secret_key_bytes())
    credential = BasicCredential("alice", DEMO_PASSWORD)
    async with httpx.AsyncClient(timeout=10.0) as http:
        user = await FriendicaClient(settings.upstream_url, http).verify_credentials(credential)

    store = SQLiteStore(settings.database_path)
    await store.open()
    try:
        app = await store.create_app(
            client_id=new_token(),
            client_secret_hash=vault.hash_token(new_token()),
            name="mastogate demo",
            website=None,
            redirect_uris=("urn:ietf:wg:oauth:2.0:oob",),
            scopes=TOP_LEVEL,
        )
        token = new_token()
        await store.create_token(
            TokenRecord(
                token_hash=vault.hash_token(token),
                app_id=app.id,
                scopes=TOP_LEVEL,
                created_at=datetime.now(UTC),
                user_id=int(user["id"]),
                username=str(user["screen_name"]),
                credential_blob=vault.seal(credential, token),
            )
        )
    finally:
        await store.close()
    return token


def demo(arguments: argparse.Namespace) -> int:
    if not _port_is_free(arguments.host, arguments.port):
        sys.exit(f"mastogate: {arguments.host}:{arguments.port} is in use; pick another with --port")

    temporary = None if arguments.data_dir else tempfile.TemporaryDirectory(prefix="mastogate-demo-")
    work_dir = Path(arguments.data_dir or temporary.name)  # type: ignore[union-attr]
    work_dir.mkdir(parents=True, exist_ok=True)
    public_url = f"http://{arguments.host}:{arguments.port}"
    consumer_key, consumer_secret = "", None
    extra: list[str] = []
    if arguments.profile == "legacy":
        # Friendica 3.5 logs people in with OAuth 1 through a consumer registered for the gateway.
        consumer_key, consumer_secret = DEMO_OAUTH1_KEY, SecretStr(DEMO_OAUTH1_SECRET)
        extra = [
            "--oauth1-consumer",
            f"{DEMO_OAUTH1_KEY}:{DEMO_OAUTH1_SECRET}:{public_url}/oauth/upstream/callback",
        ]
    process, upstream_url, double_log = _start_double(work_dir, arguments.profile, extra)
    try:
        settings = Settings(
            upstream_url=upstream_url,
            public_url=public_url,
            data_dir=work_dir,
            log_level=arguments.log_level,
            instance_title="mastogate demo",
            upstream_oauth1_consumer_key=consumer_key,
            upstream_oauth1_consumer_secret=consumer_secret,
        )
        token = asyncio.run(_demo_token(settings))
        print(
            f"\nmastogate {MASTOGATE_VERSION} demo\n"
            f"  gateway:         {public_url}  (point a Mastodon app here)\n"
            f"  upstream:        {upstream_url}  (the double as {DEMO_UPSTREAMS[arguments.profile]})\n"
            f"  upstream log:    {double_log}\n"
            f"  logins:          {', '.join(DEMO_USERS)}, password '{DEMO_PASSWORD}' for all\n"
            f"  alice's token:   {token}\n"
            f"  data:            {work_dir}{' (deleted on exit)' if temporary else ''}\n\n"
            f"  try: curl -H 'Authorization: Bearer {token}' {public_url}/api/v1/timelines/home\n",
            flush=True,
        )
        _configure_logging(arguments.log_level)
        # uvicorn raises SIGTERM again after its shutdown; exit through the cleanup below instead.
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
        uvicorn.run(
            build_app(settings),
            host=arguments.host,
            port=arguments.port,
            log_level=arguments.log_level,
            access_log=False,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if temporary is not None:
            temporary.cleanup()
    return 0


def _login_ways(settings: Settings, capabilities: Capabilities) -> str:
    ways = []
    if settings.upstream_login and capabilities.oauth2:
        ways.append("log in on the upstream (OAuth 2)")
    elif settings.upstream_login and settings.oauth1_consumer and capabilities.generation == "legacy":
        ways.append("log in on the upstream (OAuth 1)")
    elif settings.upstream_login and capabilities.generation == "legacy":
        ways.append("no login on the upstream (set MASTOGATE_UPSTREAM_OAUTH1_CONSUMER_KEY and _SECRET)")
    elif settings.upstream_login:
        ways.append("no login on the upstream (it has no OAuth provider)")
    if settings.password_login:
        ways.append("password")
    return ", ".join(ways) or "nothing"


def _report(label: str, value: str) -> None:
    print(f"  {label + ':':<26} {value}")


async def _check(settings: Settings, user: str | None, password: str | None) -> int:
    print(f"upstream: {settings.upstream_url}")
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(settings.upstream_timeout, connect=settings.upstream_connect_timeout)
    ) as http:
        client = FriendicaClient(settings.upstream_url, http)
        try:
            capabilities = await probe(client)
        except (UpstreamUnreachable, UpstreamTimeout) as error:
            _report("reachable", f"no ({error.message}: {error.detail or 'no detail'})")
            return 1
        except GatewayError as error:
            _report("reachable", "yes")
            reason = error.detail or error.message
            _report("usable", f"no, it does not serve the Friendica or GNU Social API ({reason})")
            return 1
        _report("reachable", "yes")
        for name, value in capabilities.describe():
            _report(name, value)
        _report("login page offers", _login_ways(settings, capabilities))

        if user is None:
            return 0
        try:
            account = await client.verify_credentials(BasicCredential(user, password or ""))
        except UpstreamCredentialRejected:
            _report(f"login as {user}", "rejected (wrong username or password)")
            return 1
        except GatewayError as error:
            _report(f"login as {user}", f"failed ({error.message})")
            return 1
        _report(f"login as {user}", f"yes (@{account['screen_name']}, id {account['id']})")
    return 0


def check(arguments: argparse.Namespace) -> int:
    settings = _settings_or_exit(arguments.config)
    if not settings.upstream_url:
        sys.exit("mastogate: MASTOGATE_UPSTREAM_URL is not set; give the base URL of your Friendica server")

    password = arguments.password or os.environ.get("MASTOGATE_CHECK_PASSWORD")
    if arguments.user and password is None:
        if not sys.stdin.isatty():
            sys.exit("mastogate: --user needs a password: give --password or set MASTOGATE_CHECK_PASSWORD")
        password = getpass.getpass(f"password of {arguments.user}: ")
    return asyncio.run(_check(settings, arguments.user, password))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mastogate",
        description="A Mastodon client API in front of a Friendica (or GNU Social) server.",
        epilog="Settings come from MASTOGATE_* environment variables and an optional TOML file; "
        "see `mastogate serve --help`.",
    )
    parser.add_argument("--version", action="version", version=f"mastogate {MASTOGATE_VERSION}")
    commands = parser.add_subparsers(dest="command", required=True)

    settings_help = "\n".join(
        f"  MASTOGATE_{name.upper():<26} {field.description}" for name, field in Settings.model_fields.items()
    )
    serve_parser = commands.add_parser(
        "serve",
        help="run the gateway",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run the gateway in front of the upstream named by MASTOGATE_UPSTREAM_URL.",
        epilog=f"environment variables (or TOML keys in lower case without the prefix):\n{settings_help}\n"
        "  MASTOGATE_CONFIG               path of the TOML file\n\n"
        "Replicas behind one load balancer must share MASTOGATE_SECRET_KEY and the database.",
    )
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8080, help="TCP port to listen on (default: 8080)")
    serve_parser.add_argument("--config", help="TOML settings file (the same as MASTOGATE_CONFIG)")
    serve_parser.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies whose X-Forwarded-* headers are trusted (default: 127.0.0.1)",
    )
    serve_parser.set_defaults(run=serve)

    demo_parser = commands.add_parser(
        "demo",
        help="run the gateway in front of the bundled Friendica double with sample data",
        description="Start the bundled Friendica double on a free loopback port, seeded with sample "
        "users and posts, and the gateway in front of it. Prints the URL, the logins and a token.",
    )
    demo_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    demo_parser.add_argument("--port", type=int, default=8080, help="TCP port to listen on (default: 8080)")
    demo_parser.add_argument("--data-dir", help="keep the databases here instead of a temporary directory")
    demo_parser.add_argument(
        "--profile",
        default="modern",
        choices=["modern", "legacy", "gnusocial"],
        help="which upstream the double plays (default: modern)",
    )
    demo_parser.add_argument(
        "--log-level", default="info", help="debug, info, warning or error (default: info)"
    )
    demo_parser.set_defaults(run=demo)

    check_parser = commands.add_parser(
        "check",
        help="probe the configured upstream and say what it can do",
        description="Probe MASTOGATE_UPSTREAM_URL with read-only requests and print whether it is "
        "reachable, its software, version, API generation and capabilities. Exits 1 when the "
        "upstream cannot be used.",
    )
    check_parser.add_argument("--config", help="TOML settings file (the same as MASTOGATE_CONFIG)")
    check_parser.add_argument("--user", help="also check that this upstream account can log in")
    check_parser.add_argument(
        "--password",
        help="the account's password (default: the MASTOGATE_CHECK_PASSWORD variable, else a prompt)",
    )
    check_parser.set_defaults(run=check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    return int(arguments.run(arguments))


if __name__ == "__main__":
    sys.exit(main())
