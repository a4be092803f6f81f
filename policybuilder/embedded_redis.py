"""The embedded default's Redis: Debian's redis-server on a unix socket inside DATA_DIR.

No TCP port (`port 0`), so several checkouts on one machine never collide; its data (append-only file)
stays in DATA_DIR/redis. Celery's broker and Django's cache use it whenever REDIS_URL is not set.
This module imports nothing from Django: settings.py, the runtime launcher and the test plugin use it.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_SERVER = "redis-server"
# sockaddr_un.sun_path is 108 bytes with the closing NUL: a longer socket path cannot be bound.
MAX_SOCKET_PATH = 107


class RedisUnavailable(Exception):
    """Redis cannot be started or reached; the message says what to do, in Dutch and English."""


def data_dir():
    """DATA_DIR as settings.py resolves it (without creating it)."""
    return Path(os.environ.get("DATA_DIR") or BASE_DIR / "var").resolve()


def socket_path(folder):
    return Path(folder) / "redis.sock"


def url_for_socket(path, db=0):
    """The redis-py URL of a unix socket (Django's cache); broker_url() turns it into kombu's form."""
    return f"unix://{path}?db={db}"


def broker_url(redis_url):
    """Celery's broker URL for a REDIS_URL: kombu spells a unix socket `redis+socket://`."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"


def config(*, socket, folder, appendonly=True):
    """redis.conf for a server of our own: unix socket only, data in `folder`, logs to stdout."""
    lines = [
        "port 0",
        f"unixsocket {socket}",
        "unixsocketperm 700",
        f"dir {folder}",
        "daemonize no",
        'logfile ""',
        'save ""',  # the append-only file keeps the queue; no snapshots besides it
        f"appendonly {'yes' if appendonly else 'no'}",
        "appendfsync everysec",
        "databases 16",
    ]
    return "\n".join(lines) + "\n"


def check_socket_path(socket):
    if len(os.fsencode(str(socket))) > MAX_SOCKET_PATH:
        raise RedisUnavailable(
            f"Het pad van de datamap is te lang voor de Redis-socket ({len(str(socket))} tekens, hooguit "
            f"{MAX_SOCKET_PATH}): kies een korter pad met DATA_DIR=... / The data folder path is too long for "
            f"Redis' unix socket {socket}: set DATA_DIR to a shorter path."
        )


def ping(url, timeout=1.0):
    """True when a Redis server answers PING at `url` (redis://, rediss:// or unix://)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def wait_until_up(url, timeout, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ping(url, timeout=0.5):
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def server_binary():
    path = shutil.which(REDIS_SERVER) or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None)
    if path is None:
        raise RedisUnavailable(
            "redis-server ontbreekt: installeer het met `apt-get install redis-server` (make doet dat als root) "
            "/ redis-server is missing: install Debian's redis-server package."
        )
    return path


def write_config(folder, *, appendonly=True):
    """Create `folder`, write its redis.conf, and return (config path, socket path)."""
    folder = Path(folder)
    socket = socket_path(folder)
    check_socket_path(socket)
    (folder / "redis").mkdir(parents=True, exist_ok=True)
    conf = folder / "redis" / "redis.conf"
    conf.write_text(config(socket=socket, folder=folder / "redis", appendonly=appendonly))
    return conf, socket


def _die_with_parent():
    """In the child before exec: get SIGTERM when the process that started it dies, however it dies."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(folder, *, appendonly=True, log=None, tied_to_parent=False, timeout=10.0):
    """Start redis-server on folder/redis.sock and wait until it answers; returns (process, url).

    Raises RedisUnavailable with the server's own last words when it does not come up.
    """
    conf, socket = write_config(folder, appendonly=appendonly)
    url = url_for_socket(socket)
    if socket.exists():
        if ping(url):
            raise RedisUnavailable(
                f"Er draait al een Redis op {socket}: draait `make run` al met deze datamap? Stop die eerst "
                "of kies een andere DATA_DIR. / A Redis is already running on that socket: is `make run` "
                "already running with this DATA_DIR?"
            )
        socket.unlink()  # left behind by a server that was killed
    out = log if log is not None else subprocess.PIPE
    proc = subprocess.Popen([server_binary(), str(conf)], stdout=out, stderr=subprocess.STDOUT,
                            preexec_fn=_die_with_parent if tied_to_parent else None)
    if not wait_until_up(url, timeout, proc):
        proc.kill()
        output = proc.communicate()[0] if out is subprocess.PIPE else b""
        last = (output or b"").decode(errors="replace").strip().splitlines()[-1:] or ["geen uitvoer / no output"]
        raise RedisUnavailable(
            f"Redis kon niet starten in {folder}: {last[0]} / Redis could not start; check that DATA_DIR is "
            "writable and has free space."
        )
    return proc, url


def stop(proc, timeout=10.0):
    """Stop a server this process started (by its own pid)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    if proc.stdout:
        proc.stdout.close()
