"""The `plotserver` command: the flags of `bokeh-server` 0.10 (PROTOCOL 12)."""

from __future__ import annotations

import importlib.util
import os
import sys

import click

from .settings import DEFAULT_MAX_BODY, SettingsError, from_environment

# Features of later versions: the flag is accepted by the parser but refused with a reason.
NOT_YET = {
    "multi_user": "multi-user mode (-m) is not available yet in this version of plotserver",
}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--ip", default=None, help="Listen address (default 127.0.0.1).")
@click.option("--port", "--bokeh-port", "port", type=int, default=None,
              help="Listen port (default 5006).")
@click.option("--url-prefix", default=None, help="Serve every route under this path, e.g. /plots.")
@click.option("--https", is_flag=True, default=False, help="Serve TLS (needs the two files below).")
@click.option("--https-certfile", default=None, help="TLS certificate file.")
@click.option("--https-keyfile", default=None, help="TLS private key file.")
# Hidden until it works (multi-user mode): accepted, as bokeh-server's
# flags, and refused at start with a message saying so; --help lists only what works.
@click.option("-m", "--multi-user", is_flag=True, default=False, hidden=True,
              help="Multi-user mode.")
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
def main(**options):
    """Run the plot server (compatible with bokeh-server 0.10)."""
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
    for name, reason in NOT_YET.items():
        if getattr(settings, name):
            raise SettingsError(reason)
    return settings.validate()


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
