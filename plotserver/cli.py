"""The `plotserver` command: the flags of `bokeh-server` 0.10 (PROTOCOL 12), and the
`plotserver user ...` administration commands, which share its backend flags."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys

import click

from .settings import DEFAULT_MAX_BODY, SettingsError, from_environment


# A group that runs the server when no command is named, so `plotserver [flags]` is what it
# always was, and `plotserver [backend flags] user ...` administers the same storage.
@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True, subcommand_metavar="[COMMAND [ARGS]...]")
@click.option("--ip", default=None, help="Listen address (default 127.0.0.1).")
@click.option("--port", "--bokeh-port", "port", type=int, default=None,
              help="Listen port (default 5006).")
@click.option("--url-prefix", default=None, help="Serve every route under this path, e.g. /plots.")
@click.option("--https", is_flag=True, default=False, help="Serve TLS (needs the two files below).")
@click.option("--https-certfile", default=None, help="TLS certificate file.")
@click.option("--https-keyfile", default=None, help="TLS private key file.")
@click.option("-m", "--multi-user", is_flag=True, default=False,
              help="Multi-user mode: accounts, logins and per-document permissions.")
@click.option("--script", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Import this Python file at start-up (applets).")
@click.option("--backend", default=None,
              help="Storage: memory (the default; documents last as long as the server "
                   "runs), sqlite (durable, in one file; shelve means the same) or redis "
                   "(shared by processes and hosts).")
@click.option("--sqlite-path", default=None, type=click.Path(dir_okay=False),
              help="The sqlite backend's database file (default ./plotserver.sqlite3).")
@click.option("--redis-port", type=int, default=None,
              help="Port of the redis backend's Redis on 127.0.0.1 (default 7001).")
@click.option("--start-redis/--no-start-redis", default=None,
              help="Start that Redis (data kept in ./appendonly files) and stop it on exit, "
                   "unless one answers there already (default: start).")
@click.option("--redis-url", default=None,
              help="Use the Redis at this URL instead (redis://[:password@]host:port/db, "
                   "rediss:// for TLS).")
@click.option("--redis-prefix", default=None,
              help="Prefix of every Redis key (default 'plotserver:'): one per plotserver "
                   "sharing a database.")
@click.option("--workers", type=int, default=None,
              help="Server processes sharing the port, e.g. one per core (default 1); more "
                   "than one needs --backend redis.")
@click.option("--ws-conn-string", default=None, help="WebSocket URL that /bokeh/wsurl/ returns.")
@click.option("-d", "--debug", is_flag=True, default=False, help="Debug logging, no banner.")
@click.option("--dev", is_flag=True, default=False, help="Development: --debugjs and memory backend.")
@click.option("--filter-logs", is_flag=True, default=False, help="Accepted; shown in the banner.")
@click.option("-j", "--debugjs", is_flag=True, default=False, help="Accepted; shown in the banner.")
@click.option("--robust-reload", is_flag=True, default=False, help="Accepted; no effect.")
@click.option("-v", "--verbose", is_flag=True, default=False, help="Accepted; shown in the banner.")
@click.option("--max-body-size", type=int, default=None,
              help=f"Largest request body in bytes (default {DEFAULT_MAX_BODY}).")
@click.pass_context
def main(ctx: click.Context, **options):
    """Run the plot server (compatible with bokeh-server 0.10).

    With a COMMAND, administer its storage instead (see `plotserver user --help`)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = options  # the subcommand builds its backend from these
        return
    # gevent must patch the standard library before anything else imports socket or threading.
    from gevent import monkey

    monkey.patch_all()

    try:
        settings = _settings_from(options)
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)

    from .server import banner, configure_logging, serve

    configure_logging(settings)
    if settings.workers > 1:
        from .workers import Supervisor

        if not settings.debug:
            print(banner(settings), flush=True)
        try:
            sys.exit(Supervisor(settings, sys.argv[1:]).run())
        except SettingsError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    if settings.script:
        _import_script(settings.script)
    try:
        serve(settings)
    except SettingsError as exc:  # e.g. a database file that cannot be opened
        click.echo(str(exc), err=True)
        sys.exit(1)


def _settings_from(options: dict):
    settings = from_environment()
    mapping = {"max_body_size": "max_body_bytes"}
    for name, value in options.items():
        if value is None or value is False:
            continue  # not given: keep the environment's or the default value
        setattr(settings, mapping.get(name, name), value)
    if options.get("start_redis") is False:
        settings.start_redis = False
    if settings.worker_process:  # started by `--workers`: one process, on the shared port
        settings.workers = 1
        settings.start_redis = False
    if settings.dev:
        settings.debugjs = True
        settings.backend = "memory"
    return settings.validate()


# --- plotserver user ... ---------------------------------------------------------------------

@main.group()
def user():
    """Manage the accounts of multi-user mode (in a durable backend: sqlite or redis).

    Name the backend as for the server, e.g.
    `plotserver --backend sqlite --sqlite-path plots.sqlite3 user add alice`."""


password_stdin = click.option(
    "--password-stdin", is_flag=True, default=False,
    help="Read the password from the first line of standard input (for scripts) "
         "instead of prompting.")


@user.command("add")
@click.argument("name")
@password_stdin
@click.pass_obj
def user_add(options: dict, name: str, password_stdin: bool):
    """Create user NAME and print their API key."""
    from . import accounts

    with _admin_backend(options) as backend:
        accounts.check_username(name)
        # Refused before asking for a password; create_user below still settles a race.
        if backend.get_user(name) is not None:
            raise _Refused(f"user {name!r} exists already")
        made = accounts.new_user(name, _read_password(password_stdin))
        if not backend.create_user(made):
            raise _Refused(f"user {name!r} exists already")
        # What a client passes as output_server(..., username=NAME, userapikey=KEY).
        click.echo(made.apikey)


@user.command("passwd")
@click.argument("name")
@password_stdin
@click.pass_obj
def user_passwd(options: dict, name: str, password_stdin: bool):
    """Set a new password for user NAME."""
    from . import accounts

    with _admin_backend(options) as backend:
        if backend.get_user(name) is None:
            raise _Refused(f"no user {name!r}")
        passhash = accounts.hash_password(_read_password(password_stdin))
        # Read again after the slow hash, so the record saved is as fresh as can be (a
        # document the server added to the user's list meanwhile is kept).
        found = backend.get_user(name)
        if found is None:
            raise _Refused(f"no user {name!r}")
        found.passhash = passhash
        found.session_epoch += 1  # browsers logged in with the old password must log in again
        backend.save_user(found)


@user.command("list")
@click.pass_obj
def user_list(options: dict):
    """Print every username, one a line."""
    with _admin_backend(options) as backend:
        for name in backend.list_users():
            click.echo(name)


@user.command("delete")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, default=False, help="Do not ask for confirmation.")
@click.pass_obj
def user_delete(options: dict, name: str, yes: bool):
    """Delete user NAME (the documents they made stay)."""
    with _admin_backend(options) as backend:
        if backend.get_user(name) is None:
            raise _Refused(f"no user {name!r}")
        if not yes:
            click.confirm(f"Delete user {name!r}?", abort=True, err=True)
        if not backend.delete_user(name):
            raise _Refused(f"no user {name!r}")


class _Refused(Exception):
    """An administration command that cannot be done; the message is for the user."""


@contextlib.contextmanager
def _admin_backend(options: dict):
    """The backend the server flags and PLOTSERVER_* variables name, closed afterwards. Any
    refusal or storage failure inside becomes one line on stderr and exit status 1."""
    import sqlite3

    import redis

    from .accounts import AccountError
    from .backends import create_backend

    backend = None
    try:
        settings = _settings_from(options)
        if settings.backend == "memory":
            raise _Refused("the memory backend keeps no users between processes: name a "
                           "durable one, e.g. --backend sqlite --sqlite-path FILE, or "
                           "--backend redis --redis-url URL")
        # Connect to the configured Redis only: starting one here would administer an empty
        # store, not the server's.
        settings.start_redis = False
        backend = create_backend(settings)
        yield backend
    except (_Refused, SettingsError, AccountError) as exc:
        _fail(str(exc))
    except redis.RedisError as exc:
        _fail(f"Redis failed: {exc}")
    except sqlite3.Error as exc:
        _fail(f"the sqlite database failed: {exc}")
    finally:
        if backend is not None:
            backend.close()


def _fail(message: str) -> None:
    click.echo(f"plotserver: {message}", err=True)
    sys.exit(1)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line; only its line ending is dropped (spaces may belong to the password).
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)


def _import_script(path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    print(f"adding {directory} to python path")
    sys.path.append(directory)
    print(f"importing {path}")
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


if __name__ == "__main__":
    main()
