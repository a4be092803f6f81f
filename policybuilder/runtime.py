"""`make run`: the web server, a Celery worker, Celery beat and the embedded Redis under supervisord.

    python -m policybuilder.runtime check     # can it start? one clear line and exit 1 when not
    python -m policybuilder.runtime start     # write DATA_DIR/supervisord.conf and become supervisord
    python -m policybuilder.runtime beat-healthy   # docker-compose's health check of beat

supervisord (in the foreground) restarts whatever exits, so one crashed process never takes the others
down; SIGTERM or Ctrl-C stops them all, each with its process group. Redis starts first and stops last;
web, worker and beat wait for it to answer (`after-redis`) before they start. With REDIS_URL set, that
Redis is used and none is started. Imports nothing from Django: it runs before the first migration.
"""

import getpass
import os
import secrets
import socket
import sys
import time
from glob import escape, glob
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import embedded_redis
from .embedded_redis import RedisUnavailable

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class CannotStart(Exception):
    """One line, in Dutch and English, saying what to do."""


def settings_from_env():
    data = embedded_redis.data_dir()
    return {
        "port": int(os.environ.get("PORT") or 8000),
        "data": data,
        "redis_url": os.environ.get("REDIS_URL", ""),
        "web_workers": int(os.environ.get("WEB_WORKERS") or 3),
        "worker_concurrency": int(os.environ.get("WORKER_CONCURRENCY") or 2),
    }


def masked(url):
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def check_port(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            raise CannotStart(
                f"Poort {port} is al in gebruik ({e.strerror}): kies een andere, bijvoorbeeld `PORT=8123 make run`. "
                f"/ Port {port} is already in use: choose another with PORT=..."
            ) from None


def check_data_dir(data):
    try:
        data.mkdir(parents=True, exist_ok=True)
        probe = data / f".schrijftest-{os.getpid()}"
        probe.write_bytes(b"x" * 4096)
        probe.unlink()
    except OSError as e:
        raise CannotStart(
            f"De datamap {data} is niet bruikbaar ({e.strerror}): zorg voor schrijfrecht en vrije ruimte, of kies "
            f"een andere met DATA_DIR=... / The data folder is not writable or full."
        ) from None


def check_redis(conf):
    """A configured REDIS_URL must answer; the embedded Redis must be able to start (tried, then stopped)."""
    if conf["redis_url"]:
        if not embedded_redis.ping(conf["redis_url"], timeout=2):
            raise CannotStart(
                f"Geen Redis op REDIS_URL={masked(conf['redis_url'])}: start die Redis, verbeter het adres, of laat "
                "REDIS_URL weg voor de ingebouwde Redis. / No Redis answers at REDIS_URL: start it, fix the URL, "
                "or unset REDIS_URL to use the embedded one."
            )
        return
    for name in ("redis.sock", "supervisor.sock"):
        embedded_redis.check_socket_path(conf["data"] / name)
    proc, _ = embedded_redis.start(conf["data"])
    embedded_redis.stop(proc)


def check(conf):
    check_data_dir(conf["data"])
    check_port(conf["port"])
    try:
        check_redis(conf)
    except RedisUnavailable as e:
        raise CannotStart(str(e)) from None


def supervisor_config(conf):
    """supervisord.conf for web, worker, beat (and the embedded Redis); `%` is escaped as supervisord needs."""
    data, python = conf["data"], sys.executable
    password = secrets.token_urlsafe(16)  # for supervisorctl on the socket (which only this user can open)
    after_redis = f"{python} -m policybuilder.runtime after-redis"
    programs = {
        "web": (20, f"{after_redis} {BIN / 'gunicorn'} policybuilder.wsgi --bind 127.0.0.1:{conf['port']} "
                    f"--workers {conf['web_workers']} --timeout 60 --graceful-timeout 5 --no-control-socket "
                    "--access-logfile - --error-logfile -", 10),
        "worker": (30, f"{after_redis} {python} -m celery -A policybuilder worker --loglevel INFO "
                       f"--concurrency {conf['worker_concurrency']} --hostname worker@%h --without-gossip "
                       "--without-mingle", 20),
        "beat": (40, f"{after_redis} {python} -m celery -A policybuilder beat --loglevel INFO", 10),
    }
    if not conf["redis_url"]:
        redis_conf, _ = embedded_redis.write_config(data)
        programs = {"redis": (10, f"{embedded_redis.server_binary()} {redis_conf}", 10), **programs}
    sections = [
        "[supervisord]",
        "nodaemon=true",
        "logfile=/dev/null",
        "logfile_maxbytes=0",
        f"pidfile={data / 'supervisord.pid'}",
        f"childlogdir={data}",
        f'environment=DATA_DIR="{data}",PYTHONUNBUFFERED="1"',
        f"user={getpass.getuser()}",  # stays who started it; said explicitly, supervisord stops warning about root
        "",
        "[unix_http_server]",
        f"file={data / 'supervisor.sock'}",
        "chmod=0700",
        "username=make-run",
        f"password={password}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{data / 'supervisor.sock'}",
        "username=make-run",
        f"password={password}",
    ]
    for name, (priority, command, stop_wait) in programs.items():
        sections += [
            "",
            f"[program:{name}]",
            f"command={command}",
            f"directory={BASE_DIR}",
            f"priority={priority}",
            "autostart=true",
            "autorestart=true",
            "startsecs=1",
            "startretries=1000",  # keep trying: the school leaves it running
            f"stopwaitsecs={stop_wait}",
            "stopasgroup=true",  # the worker's pool children and gunicorn's workers go with their parent
            "killasgroup=true",
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
            "redirect_stderr=true",
        ]
    return "\n".join(line.replace("%", "%%") for line in sections) + "\n"


def start(conf):
    check_port(conf["port"])
    conf["data"].mkdir(parents=True, exist_ok=True)
    path = conf["data"] / "supervisord.conf"
    path.touch(mode=0o600)
    path.chmod(0o600)  # it holds the password of the control socket
    path.write_text(supervisor_config(conf))
    print(f"\n  AI-beleidsbouwer draait op: http://127.0.0.1:{conf['port']}/\n  Stoppen: Ctrl-C\n", flush=True)
    supervisord = str(BIN / "supervisord")
    os.execv(supervisord, [supervisord, "--nodaemon", "--configuration", str(path)])


def after_redis(command, timeout=30.0):
    """Wait until Redis answers (at most `timeout` s), then become `command` (same pid for supervisord)."""
    conf = settings_from_env()
    url = conf["redis_url"] or embedded_redis.url_for_socket(embedded_redis.socket_path(conf["data"]))
    deadline = time.monotonic() + timeout
    while not embedded_redis.ping(url, timeout=0.5) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.execv(command[0], command)


def beat_healthy(max_age=120.0):
    """Beat writes its schedule file after every task it sends (beat_sync_every = 1): fresh means it is ticking."""
    schedule = embedded_redis.data_dir() / "celerybeat-schedule"
    ages = [time.time() - os.path.getmtime(path) for path in glob(escape(str(schedule)) + "*")]
    if not ages or min(ages) > max_age:
        raise CannotStart(f"beat heeft {schedule} niet bijgewerkt in {int(max_age)} s / beat is not ticking")


def main(argv):
    action, *rest = argv or ["start"]
    try:
        if action == "after-redis":
            after_redis(rest)
        if action == "beat-healthy":
            beat_healthy()
            return 0
        conf = settings_from_env()
        if action == "check":
            check(conf)
        elif action == "start":
            start(conf)
        else:
            raise SystemExit(f"usage: python -m policybuilder.runtime check|start|after-redis COMMAND…; not {action!r}")
    except (CannotStart, RedisUnavailable) as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
