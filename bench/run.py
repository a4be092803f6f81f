"""`make bench`: start the real server (gunicorn, as `make run` does) and measure.

    python bench/run.py                 # every benchmark
    python bench/run.py public_pages    # only the named ones
    python bench/run.py soak 60         # a number after a name is its argument: here an hour's soak

Results are printed as a table and written to var/bench.json (merged with earlier results).
"""

import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
RESULTS = BASE_DIR / "var" / "bench.json"
BENCHMARKS = {}


def benchmark(func):
    BENCHMARKS[func.__name__] = func
    return func


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Server:
    """gunicorn on a private data folder (SQLite) or on DATABASE_URL when given, with the embedded Redis
    on the data folder's socket (as `make run`) unless REDIS_URL is given."""

    def __init__(self, data_dir, env=None, workers=3):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(data_dir)
        self.env = {**os.environ, "DATA_DIR": str(data_dir), "SERVER_TIMING": "1", **(env or {})}
        self.workers = workers
        self.proc = None
        self.redis = None

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True)

    def prepare(self):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_content", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")

    def __enter__(self):
        if not self.env.get("REDIS_URL"):
            from policybuilder import embedded_redis

            self.redis, _ = embedded_redis.start(self.data_dir, log=subprocess.DEVNULL, tied_to_parent=True)
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.proc = subprocess.Popen(
            [gunicorn, "policybuilder.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--log-level", "warning", "--no-control-socket"],
            cwd=BASE_DIR, env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)
        if self.redis is not None:
            from policybuilder import embedded_redis

            embedded_redis.stop(self.redis)


def server_ms(response):
    """The app's own duration from the Server-Timing header."""
    for part in response.headers["Server-Timing"].split(","):
        name, *fields = part.strip().split(";")
        if name == "app":
            return float(fields[0].split("=")[1])
    raise ValueError("no app timing")


def measure_pages(client, urls, rounds=40, warmup=3):
    rows = []
    for url in urls:
        for _ in range(warmup):
            client.get(url)
        times, wall, queries, statuses = [], [], set(), set()
        for _ in range(rounds):
            start = time.perf_counter()
            r = client.get(url)
            wall.append((time.perf_counter() - start) * 1000)
            statuses.add(r.status_code)
            times.append(server_ms(r))
            queries.add(int(r.headers["X-Query-Count"]))
        rows.append({
            "url": url,
            "status": sorted(statuses),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 95), 2),
            "p95_wall_ms": round(percentile(wall, 95), 2),
            "queries": max(queries),
        })
    return rows


@benchmark
def public_pages():
    """Every public page: p50/p95 server time and queries. Budget: <= 15 queries, p95 <= 100 ms (SQLite)."""
    data = BASE_DIR / "var" / "bench" / "public"
    server = Server(data)
    server.prepare()
    with server:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            urls = public_urls(server)
            rows = measure_pages(client, urls)
    budget = {"queries": 15, "p95_ms": 100}
    ok = all(r["queries"] <= budget["queries"] and r["p95_ms"] <= budget["p95_ms"] and r["status"] == [200]
             for r in rows)
    return {"budget": budget, "ok": ok, "pages": rows}


def public_urls(server):
    code = (
        "import django, json; django.setup(); from agreements.views.library import public_urls; "
        "print(json.dumps(public_urls()))"
    )
    env = {**server.env, "DJANGO_SETTINGS_MODULE": "policybuilder.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- The policy PDF (documents feature) ---------------------------------------------------------

PDF_SETUP = """
import json, django
django.setup()
from django.test import Client
from agreements.models import RenderedDocument, Role
from django.utils import timezone
from tests import document_data
from tests.factories import MembershipFactory, SchoolFactory
out = []
for i in range({count}):
    school = SchoolFactory(name=f"Basisschool De Regenboog {{i}}")
    leader = MembershipFactory(school=school, role=Role.LEADER, user__name=f"Lotte Leider {{i}}").user
    mr = MembershipFactory(school=school, role=Role.MR, user__name=f"Mira MR {{i}}").user
    version = document_data.{builder}(school=school, leader=leader, mr_member=mr)
    client = Client()
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    row = {{"version": version.pk, "session": client.cookies["sessionid"].value}}
    if {make_rows}:
        row["document"] = RenderedDocument.objects.create(version=version, edition="team", created_by=leader,
            site_url="http://127.0.0.1/", queued_at=timezone.now()).pk
    out.append(row)
print(json.dumps(out))
"""

PDF_RENDER = """
import json, resource, time, django
django.setup()
from agreements.models import RenderedDocument
from agreements import rendering
start = time.perf_counter()
rendering.warm_up()  # what a worker child does when it starts (agreements.tasks.load_pdf_renderer)
warm_up = time.perf_counter() - start
times, cpu = [], []
for pk in {ids}:
    start, start_cpu = time.perf_counter(), time.process_time()
    rendering.render(pk)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
d = RenderedDocument.objects.get(pk={ids}[0])
print(json.dumps({{"warm_up": warm_up, "times": times, "cpu": cpu, "pages": d.page_count, "status": d.status,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_snippet(env, code):
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env={**env, "DJANGO_SETTINGS_MODULE":
                         "policybuilder.settings"}, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def fresh_server(name, **kwargs):
    import shutil

    data = BASE_DIR / "var" / "bench" / name
    shutil.rmtree(data, ignore_errors=True)
    server = Server(data, **kwargs)
    server.prepare()
    return server


SCHOOL_MOVE = """
import json, time, django
django.setup()
from django.utils import timezone
from agreements.models import Decision, Role
from agreements.queries.export import school_export
from agreements.services import documents
from agreements.services.school_import import import_school
from tests import document_data
from tests.factories import MembershipFactory, SchoolFactory
school = SchoolFactory(name="Basisschool De Verhuizing")
leader = MembershipFactory(school=school, role=Role.LEADER, user__name="Lotte Leider").user
mr = MembershipFactory(school=school, role=Role.MR, user__name="Mira MR").user
# 18 examples + 7 themes x 69 own agreements = 501 decisions per version; three versions.
version = document_data.adopted_version(school=school, leader=leader, mr_member=mr, own_per_theme=69)
for _ in range(2):
    version = documents.start_new_draft_from(version=version, by=leader)
    version = document_data.adopt(version, leader=leader, mr_member=mr)
decisions = Decision.objects.filter(version__policy__school=school).count()
start = time.perf_counter()
text = json.dumps(school_export(school, now=timezone.now()), ensure_ascii=False)
export_s = time.perf_counter() - start
school.delete()
start = time.perf_counter()
import_school(json.loads(text), site_url="http://127.0.0.1/")
import_s = time.perf_counter() - start
print(json.dumps({"decisions": decisions, "export_s": export_s, "import_s": import_s, "bytes": len(text.encode())}))
"""


@benchmark
def school_move():
    """A school with 3 adopted versions of ~500 decisions each (actions, history, signatures): the export as
    JSON and its import into the same (emptied) installation. Budget: export <= 10 s, import <= 30 s."""
    server = fresh_server("school-move")
    result = run_snippet(server.env, SCHOOL_MOVE)
    budget = {"export_s": 10.0, "import_s": 30.0}
    ok = result["export_s"] <= budget["export_s"] and result["import_s"] <= budget["import_s"]
    return {"budget": budget, "ok": ok, "decisions": result["decisions"], "export_s": round(result["export_s"], 2),
            "import_s": round(result["import_s"], 2), "export_mib": round(result["bytes"] / 2**20, 2),
            "load_average_1min": round(os.getloadavg()[0], 2)}


@benchmark
def pdf_render():
    """A team edition of 20+ pages (25 now) rendered by the worker's code path in its own process, as a worker
    child does (PDF and its Word copy): it loads WeasyPrint, print.css and the fonts when it starts (reported
    apart), then renders; the wall time of two renders and the process's peak memory. Budget (issue 14):
    <= 3 s a render, <= 150 MiB."""
    server = fresh_server("pdf-render")
    rows = run_snippet(server.env, PDF_SETUP.format(count=2, builder="big_adopted_version", make_rows=True))
    ids = [r["document"] for r in rows]
    result = run_snippet(server.env, PDF_RENDER.format(ids=ids))
    budget = {"seconds": 3.0, "peak_rss_mib": 150}
    first, second = result["times"]
    ok = (result["status"] == "done" and result["pages"] >= 20 and max(first, second) <= budget["seconds"]
          and result["peak_rss_mib"] <= budget["peak_rss_mib"])
    return {"budget": budget, "ok": ok, "page_count": result["pages"],
            "worker_start_load_s": round(result["warm_up"], 2), "first_render_s": round(first, 2),
            "second_render_s": round(second, 2), "first_render_cpu_s": round(result["cpu"][0], 2),
            "second_render_cpu_s": round(result["cpu"][1], 2), "peak_rss_mib": round(result["peak_rss_mib"], 1),
            "load_average_1min": round(os.getloadavg()[0], 2)}


@benchmark
def pdf_large():
    """A 500-decision team edition (18 examples + 7 x 69 own agreements, two actions each) rendered as a worker
    child does (PDF and its Word copy). Budget: <= 20 s, <= 300 MiB peak in the process."""
    server = fresh_server("pdf-large")
    rows = run_snippet(server.env, PDF_SETUP.format(count=1, builder="large_adopted_version", make_rows=True))
    result = run_snippet(server.env, PDF_RENDER.format(ids=[rows[0]["document"]]))
    budget = {"seconds": 20.0, "peak_rss_mib": 300}
    seconds = result["times"][0]
    ok = (result["status"] == "done" and seconds <= budget["seconds"]
          and result["peak_rss_mib"] <= budget["peak_rss_mib"])
    return {"budget": budget, "ok": ok, "page_count": result["pages"], "render_s": round(seconds, 2),
            "render_cpu_s": round(result["cpu"][0], 2), "peak_rss_mib": round(result["peak_rss_mib"], 1),
            "worker_start_load_s": round(result["warm_up"], 2), "load_average_1min": round(os.getloadavg()[0], 2)}


def start_worker(server):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "policybuilder", "worker", "--concurrency", "2", "--loglevel",
         "WARNING", "--without-gossip", "--without-mingle", "--hostname", f"bench-{time.time_ns()}@%h"],
        cwd=BASE_DIR, env=server.env, start_new_session=True,
    )


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


@benchmark
def pdf_end_to_end():
    """Click -> download ready, against gunicorn and a real worker on the embedded default: POST generate,
    then poll the status fragment until the download link is there, then download. Budget: <= 10 s."""
    import re

    server = fresh_server("pdf-e2e")
    rows = run_snippet(server.env, PDF_SETUP.format(count=3, builder="adopted_version", make_rows=False))
    worker = start_worker(server)
    rounds = []
    try:
        with server, httpx.Client(base_url=server.url, timeout=30) as probe:
            wait_until(lambda: probe.get("/healthz").json()["checks"]["worker"]["ok"], 60, "the worker")
            for row in rows:
                with httpx.Client(base_url=server.url, timeout=30, cookies={"sessionid": row["session"]}) as client:
                    page_url = f"/versies/{row['version']}/documenten/"
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(page_url).text)[1]
                    start = time.perf_counter()
                    response = client.post(page_url, data={"csrfmiddlewaretoken": token, "edition": "team"})
                    assert response.status_code == 302, response.status_code
                    status_url = re.search(r'hx-get="(/documenten/\d+/status/)', client.get(page_url).text)[1]
                    while "Download de pdf" not in (fragment := client.get(status_url).text):
                        assert "mislukt" not in fragment, fragment
                        assert time.perf_counter() - start < 60, "no pdf after 60 s"
                        time.sleep(0.1)
                    ready = time.perf_counter() - start
                    download = re.search(r'href="(/documenten/\d+/download/)"', fragment)[1]
                    body = client.get(download).content
                    assert body.startswith(b"%PDF-")
                    rounds.append({"ready_s": round(ready, 2), "downloaded_s": round(time.perf_counter() - start, 2),
                                   "bytes": len(body)})
    finally:
        worker.terminate()  # warm shutdown of the main process; it stops its pool
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, 9)
            worker.wait(10)
    budget = {"seconds": 10.0}
    worst = max(r["downloaded_s"] for r in rounds)
    return {"budget": budget, "ok": worst <= budget["seconds"], "rounds": rounds, "worst_s": worst}


WIZARD_SETUP = """
import json
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from agreements.models import Membership, Policy, Role, School, User
from agreements.services import policy as services

school, _ = School.objects.get_or_create(name="Benchmarkschool", defaults={"sector": "po", "place": "Utrecht"})
leader = User.objects.filter(email="bench-leider@school.example").first() or User.objects.create_user(
    email="bench-leider@school.example", password=None, name="Bench Leider")
Membership.objects.get_or_create(user=leader, school=school, defaults={"role": Role.LEADER})
Policy.objects.filter(school=school).delete()
version = services.start_policy(school=school, by=leader)
# A filled-in policy: every agreement chosen, two own agreements per theme, two actions and comments each.
choices = ["adopt", "amend", "reject"]
for i, decision in enumerate(version.decisions.select_related("example")):
    services.save_decision(decision=decision, by=leader, choice=choices[i % 3], text="Aangepaste tekst van de school.",
                           reason="Past niet bij onze school.", revision=1)
for state in version.theme_states.select_related("theme"):
    services.save_theme_note(state=state, by=leader, note="Nog bespreken in de teamvergadering.", revision=1)
    for n in range(2):
        services.add_own_agreement(version=version, theme=state.theme, by=leader, text=f"Eigen afspraak {n}.")
for decision in version.decisions.all():
    for n in range(2):
        services.add_action(decision=decision, by=leader, what=f"Actie {n}", who="Team")
        services.add_comment(decision=decision, by=leader, text=f"Opmerking {n}")
session = SessionStore()
session[SESSION_KEY] = str(leader.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = leader.get_session_auth_hash()
session.create()
urls = ([reverse("policy:overview", args=[version.pk])]
        + [reverse("policy:step", args=[version.pk, n]) for n in range(1, 8)]
        + [reverse("policy:review", args=[version.pk])])
print(json.dumps({"session": session.session_key, "urls": urls}))
"""


@benchmark
def wizard_pages():
    """The wizard with a filled-in policy, signed in as the leader: overview, the seven steps, the review.
    Budget: a step <= 10 queries, overview and review <= 15; p95 <= 100 ms (SQLite)."""
    data = BASE_DIR / "var" / "bench" / "wizard"
    server = Server(data)
    server.prepare()
    out = subprocess.run([sys.executable, "-c", WIZARD_SETUP], cwd=BASE_DIR, check=True, capture_output=True,
                         text=True, env={**server.env, "DJANGO_SETTINGS_MODULE": "policybuilder.settings"}).stdout
    setup = json.loads(out.strip().splitlines()[-1])
    with server:
        with httpx.Client(base_url=server.url, timeout=30, cookies={"sessionid": setup["session"]}) as client:
            rows = measure_pages(client, setup["urls"])
    budget = {"step_queries": 10, "queries": 15, "p95_ms": 100}
    ok = all(
        r["status"] == [200] and r["p95_ms"] <= budget["p95_ms"]
        and r["queries"] <= (budget["step_queries"] if "/thema/" in r["url"] else budget["queries"])
        for r in rows
    )
    return {"budget": budget, "ok": ok, "pages": rows}


# --- The team meeting: vote_burst and tally_polling --------------------------------------------

MEETING_SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from agreements.models import Membership, Role, School, User
from agreements.services import meetings
from agreements.services.policy import start_policy

school = School.objects.create(name="Bench school", sector="po", place="Utrecht")
leader = User.objects.create_user(email=f"leader-{school.pk}@bench.example", name="Bench Leider")
Membership.objects.create(user=leader, school=school, role=Role.LEADER)
draft = start_policy(school=school, by=leader)
meeting = meetings.create_meeting(version=draft, decisions=list(draft.decisions.all()[:3]), audience="anyone",
                                  hide_tally=False, by=leader)
item = meetings.open_item(meeting=meeting, item=meeting.items.first())
session = SessionStore()
session[SESSION_KEY] = str(leader.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = leader.get_session_auth_hash()
session.create()
print(json.dumps({"meeting": meeting.pk, "code": meeting.join_code, "item": item.pk, "session": session.session_key}))
"""

BALLOT_COUNT = """
import json
from agreements.models import Ballot
item = {item}
print(json.dumps({{"ballots": Ballot.objects.filter(item_id=item).count(),
                  "participants": Ballot.objects.filter(item_id=item).values("participant").distinct().count()}}))
"""


def django_json(server, code):
    """Run `code` with Django set up on the server's database; it prints one JSON line."""
    script = "import django; django.setup()\n" + code
    done = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, capture_output=True, text=True,
                          env={**server.env, "DJANGO_SETTINGS_MODULE": "policybuilder.settings"})
    if done.returncode:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def join_meeting(server, code, name):
    """A phone joining over HTTP: its own client, with the participant cookie and a CSRF token."""
    client = httpx.Client(base_url=server.url, timeout=60)
    page = client.get(f"/stem/{code}/")
    token = CSRF_INPUT.search(page.text).group(1)
    response = client.post(f"/stem/{code}/meedoen/", data={"csrfmiddlewaretoken": token, "name": name})
    assert response.status_code == 302, response.status_code
    client.headers.update({"X-CSRFToken": token, "HX-Request": "true"})
    return client


def vote_request(client, code, item, choice, comment=""):
    return client.post(f"/stem/{code}/stemmen/", data={"item": item, "choice": choice, "comment": comment})


def simultaneously(tasks):
    """Run the callables in threads released by one barrier; returns [(status or error, ms, server ms)]."""
    barrier = threading.Barrier(len(tasks))
    results = [None] * len(tasks)

    def run(n, task):
        barrier.wait()
        start = time.perf_counter()
        server = None
        try:
            response = task()
            outcome, server = response.status_code, server_ms(response)
        except Exception as e:  # noqa: BLE001 - every failure counts as an error
            outcome = type(e).__name__
        results[n] = (outcome, (time.perf_counter() - start) * 1000, server)

    threads = [threading.Thread(target=run, args=(n, task)) for n, task in enumerate(tasks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def status_counts(results):
    counts = {}
    for outcome, *_ in results:
        counts[str(outcome)] = counts.get(str(outcome), 0) + 1
    return counts


def vote_burst_on(server, participants=100, identical=50):
    setup = django_json(server, MEETING_SETUP)
    code, item = setup["code"], setup["item"]
    with ThreadPoolExecutor(10) as pool:
        phones = list(pool.map(lambda n: join_meeting(server, code, f"Deelnemer {n}"), range(participants)))
    choices = ["support", "amended", "against"]
    burst = simultaneously([
        (lambda c=c, n=n: vote_request(c, code, item, choices[n % 3])) for n, c in enumerate(phones)
    ])
    after_burst = django_json(server, BALLOT_COUNT.format(item=item))
    one = join_meeting(server, code, "Dezelfde")
    same = simultaneously([lambda: vote_request(one, code, item, "support", "Zelfde stem")] * identical)
    after_same = django_json(server, BALLOT_COUNT.format(item=item))
    for client in [*phones, one]:
        client.close()
    burst_errors = sum(1 for outcome, *_ in burst if outcome != 200)
    same_errors = sum(1 for outcome, *_ in same if outcome not in (200, 429))
    server_times = [s for *_, s in burst if s is not None]
    return {
        "burst_votes": participants,
        "burst_statuses": status_counts(burst),
        "burst_errors": burst_errors,
        "ballots_after_burst": after_burst["ballots"],
        # Wall time includes waiting for one of the 3 workers: 100 requests arrive at once.
        "burst_wall_p50_ms": round(percentile([ms for _, ms, _ in burst], 50), 1),
        "burst_wall_max_ms": round(max(ms for _, ms, _ in burst), 1),
        "vote_server_p50_ms": round(percentile(server_times, 50), 1),
        "vote_server_p95_ms": round(percentile(server_times, 95), 1),
        "identical_requests": identical,
        "identical_statuses": status_counts(same),  # 429: the rate limit (30 per minute per participant)
        "identical_errors": same_errors,
        "ballots_from_identical": after_same["ballots"] - after_burst["ballots"],
        "ok": burst_errors == 0 and after_burst["ballots"] == participants and same_errors == 0
        and after_same["ballots"] - after_burst["ballots"] == 1,
    }


def postgres_database(name):
    """Create a fresh database on BENCH_POSTGRES_URL's server; returns (url, drop) or (None, reason)."""
    import psycopg

    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as e:
        return None, f"no PostgreSQL at {admin_url}: {e}".strip()

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin_url.rsplit("/", 1)[0] + "/" + name, drop


@benchmark
def vote_burst():
    """100 phones vote at the same moment (SQLite and PostgreSQL): 0 errors, exactly 100 ballots;
    then 50 identical votes at once from one phone: exactly 1 ballot."""
    results = {}
    data = BASE_DIR / "var" / "bench" / "vote-sqlite"
    shutil.rmtree(data, ignore_errors=True)
    server = Server(data)
    server.prepare()
    with server:
        results["sqlite"] = vote_burst_on(server)
    url, drop = postgres_database(f"pb_bench_votes_{os.getpid()}")
    if url is None:
        results["postgresql"] = {"skipped": drop, "ok": False}
    else:
        try:
            data = BASE_DIR / "var" / "bench" / "vote-postgresql"
            shutil.rmtree(data, ignore_errors=True)
            server = Server(data, env={"DATABASE_URL": url})
            server.prepare()
            with server:
                results["postgresql"] = vote_burst_on(server)
        finally:
            drop()
    budget = {"errors": 0, "ballots": 100, "ballots_from_identical": 1}
    return {"budget": budget, "ok": all(r["ok"] for r in results.values()),
            "load_average_1min": round(os.getloadavg()[0], 2), **results}


async def http_get(host, port, path, cookie):
    """A minimal HTTP/1.1 GET on a fresh connection: (status, headers, body).

    The load generator for tally_polling. httpx's async client costs about 5 ms of CPU per request;
    100 pollers then take a large part of the two shared cores and starve the server being measured.
    A browser's cost is not on the server's machine, so this client stays as light as possible.
    """
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\nHX-Request: true\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body.decode()


async def poll_tally(url, cookie, duration, interval, offset, samples):
    """One projector: GET the tally fragment every `interval` seconds; (wall ms, server ms, ok) per request."""
    parts = urlsplit(url)
    await asyncio.sleep(offset)
    deadline = time.monotonic() + duration
    next_at = time.monotonic()
    while next_at < deadline:
        start = time.perf_counter()
        try:
            status, headers, body = await http_get(parts.hostname, parts.port, parts.path, cookie)
            samples.append(((time.perf_counter() - start) * 1000, server_ms(httpx.Response(status, headers=headers)),
                            status == 200 and "hebben gestemd" in body))
        except (OSError, ValueError, IndexError):
            samples.append(((time.perf_counter() - start) * 1000, None, False))
        next_at += interval
        await asyncio.sleep(max(0, next_at - time.monotonic()))


@benchmark
def tally_polling(clients=100, duration=60, interval=2.0):
    """100 projectors poll the tally fragment every 2 s for 60 s while phones keep voting.
    Budget: p95 <= 150 ms (as the client sees it), 0 errors."""
    data = BASE_DIR / "var" / "bench" / "tally"
    shutil.rmtree(data, ignore_errors=True)
    load_before = os.getloadavg()[0]
    server = Server(data)
    server.prepare()
    with server:
        setup = django_json(server, MEETING_SETUP)
        code, item = setup["code"], setup["item"]
        phones = [join_meeting(server, code, f"Deelnemer {n}") for n in range(30)]
        for n, phone in enumerate(phones):
            vote_request(phone, code, item, ["support", "amended", "against"][n % 3])
        stop = threading.Event()

        def keep_voting():  # one changed vote every 0.5 s: each phone every 15 s, under its rate limit
            n = 0
            while not stop.wait(0.5):
                vote_request(phones[n % len(phones)], code, item, ["support", "amended", "against"][n % 3])
                n += 1

        voter = threading.Thread(target=keep_voting)
        voter.start()
        samples = []
        url = f"{server.url}/vergaderingen/{setup['meeting']}/stand/"
        cookie = f"sessionid={setup['session']}"

        async def run_all():
            await asyncio.gather(*(
                poll_tally(url, cookie, duration, interval, n * interval / clients, samples) for n in range(clients)
            ))

        asyncio.run(run_all())
        stop.set()
        voter.join()
        for phone in phones:
            phone.close()
    wall = [s[0] for s in samples]
    app = [s[1] for s in samples if s[1] is not None]
    errors = sum(1 for s in samples if not s[2])
    budget = {"p95_ms": 150, "errors": 0}
    p95 = percentile(wall, 95)
    return {
        "budget": budget,
        "ok": errors == 0 and p95 <= budget["p95_ms"],
        # The machine is shared: the 1-minute load average before and after, as context for the numbers.
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "clients": clients,
        "seconds": duration,
        "requests": len(samples),
        "errors": errors,
        "p50_ms": round(percentile(wall, 50), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(wall), 1),
        "server_p50_ms": round(percentile(app, 50), 1),
        "server_p95_ms": round(percentile(app, 95), 1),
    }


# --- Poll capacity: what an idle poll costs next to a page (wrk) -------------------------------------

WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds, connections, headers=()):
    """One wrk run: requests/s, p50/p99 latency (ms), non-2xx answers and socket errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = {p: round(float(v) * WRK_UNITS[unit], 2) for p, v, unit in WRK_LATENCY.findall(out)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def poll_targets(server):
    """URL and headers of each target, and a check that the unchanged polls really answer 204."""
    setup = django_json(server, MEETING_SETUP)
    code, meeting = setup["code"], setup["meeting"]
    state = re.compile(r'data-state="([^"]+)"')
    phone = join_meeting(server, code, "Telefoon")
    phone_state = state.search(phone.get(f"/stem/{code}/").text).group(1)
    phone_cookie = "; ".join(f"{name}={value}" for name, value in phone.cookies.items())
    session = f"sessionid={setup['session']}"
    with httpx.Client(base_url=server.url, headers={"Cookie": session}) as leader:
        tally_state = state.search(leader.get(f"/vergaderingen/{meeting}/stand/").text).group(1)
        home = httpx.get(server.url + "/").text
        css = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
        targets = {
            "page": ("/zoeken/", []),
            "static": (css, []),
            "phone_unchanged": (f"/stem/{code}/huidig/?state={phone_state}", [f"Cookie: {phone_cookie}",
                                                                               "HX-Request: true"]),
            "tally_unchanged": (f"/vergaderingen/{meeting}/stand/?state={tally_state}", [f"Cookie: {session}",
                                                                                         "HX-Request: true"]),
            "tally_changed": (f"/vergaderingen/{meeting}/stand/", [f"Cookie: {session}", "HX-Request: true"]),
        }
        for name in ("phone_unchanged", "tally_unchanged"):
            path, headers = targets[name]
            status = httpx.get(server.url + path, headers=dict(h.split(": ", 1) for h in headers)).status_code
            assert status == 204, (name, status)
    phone.close()
    return targets


@benchmark
def poll_capacity(seconds=10, connections=16):
    """wrk against the cheapest page (/zoeken/), the static floor (a CSS file through whitenoise), the unchanged
    phone poll, the unchanged tally poll and the changed tally, one after another with the same seconds and
    connections on the same server (3 gunicorn workers, as `make run`).
    Budget: the unchanged phone and tally polls serve >= 1.0x the cheapest page's requests/s; 0 errors."""
    if not shutil.which("wrk"):
        return {"ok": False, "skipped": "wrk is not installed (`make bench` installs it with apt-get)"}
    data = BASE_DIR / "var" / "bench" / "polls"
    shutil.rmtree(data, ignore_errors=True)
    load_before = os.getloadavg()[0]
    server = Server(data)
    server.prepare()
    with server:
        targets = poll_targets(server)
        wrk(server.url + targets["page"][0], 2, connections)  # warm every worker up
        results = {name: wrk(server.url + path, seconds, connections, headers)
                   for name, (path, headers) in targets.items()}
    page = results["page"]["req_per_s"]
    ratios = {f"{name}_vs_page": round(r["req_per_s"] / page, 2) for name, r in results.items() if name != "page"}
    errors = sum(r["non_2xx"] + r["socket_errors"] for r in results.values())
    budget = {"phone_unchanged_vs_page": 1.0, "tally_unchanged_vs_page": 1.0, "errors": 0}
    return {
        "budget": budget,
        "ok": errors == 0 and all(ratios[k] >= v for k, v in budget.items() if k.endswith("_vs_page")),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "seconds": seconds,
        "connections": connections,
        "web_workers": server.workers,
        **{name: r for name, r in results.items()},
        "ratios": ratios,
    }


NGINX_CONF = """
worker_processes 1;
pid {data}/nginx.pid;
error_log {data}/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {data}/nginx-body;
  proxy_temp_path {data}/nginx-proxy;
  upstream web {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
    }}
  }}
}}
"""


def nginx_in_front(data, ports):
    """nginx (as the compose file's proxy) on a free port, round-robin over the gunicorn ports; (process, url)."""
    port = free_port()
    conf = data / f"nginx-{len(ports)}.conf"
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in ports)
    conf.write_text(NGINX_CONF.format(data=data, servers=servers, port=port))
    proc = subprocess.Popen([shutil.which("nginx"), "-c", str(conf), "-p", str(data)], start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(url), 10, "nginx")
    return proc, url


def _answers(url):
    try:
        return httpx.get(url + "/zoeken/", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@benchmark
def web_scaling(seconds=10, connections=16):
    """The compose-like setup on this machine: PostgreSQL, one Redis, nginx in front of 1 and then 2 web processes
    (one gunicorn worker each, CONN_MAX_AGE=60), wrk on the cheapest page and the unchanged polls; the ratio
    2 processes / 1 process. Informational (no budget): on 2 shared cores the second process competes with
    wrk, nginx, PostgreSQL and the other tenants of the machine."""
    if not (shutil.which("wrk") and shutil.which("nginx")):
        return {"ok": True, "skipped": "needs wrk and nginx (apt-get install wrk nginx-light)"}
    url, drop = postgres_database("meet_bench_scaling")
    if url is None:
        return {"ok": True, "skipped": drop}
    data = BASE_DIR / "var" / "bench" / "scaling"
    shutil.rmtree(data, ignore_errors=True)
    load_before = os.getloadavg()[0]
    runs = {}
    try:
        first = Server(data, env={"DATABASE_URL": url}, workers=1)
        first.prepare()
        with first:
            targets = poll_targets(first)
            second = Server(data, env={"DATABASE_URL": url, "REDIS_URL": f"unix://{data}/redis.sock"}, workers=1)
            with second:  # the same database and Redis: a second web process
                for count, ports in ((1, [first.port]), (2, [first.port, second.port])):
                    proxy, proxy_url = nginx_in_front(data, ports)
                    try:
                        wrk(proxy_url + targets["page"][0], 2, connections)
                        runs[count] = {name: wrk(proxy_url + targets[name][0], seconds, connections,
                                                 targets[name][1])
                                       for name in ("page", "phone_unchanged", "tally_unchanged")}
                    finally:
                        proxy.terminate()
                        proxy.wait(10)
    finally:
        drop()
    ratios = {name: round(runs[2][name]["req_per_s"] / runs[1][name]["req_per_s"], 2) for name in runs[1]}
    errors = sum(r["non_2xx"] + r["socket_errors"] for run in runs.values() for r in run.values())
    return {
        "ok": errors == 0,
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "seconds": seconds,
        "connections": connections,
        "one_process": runs[1],
        "two_processes": runs[2],
        "ratio_two_vs_one": ratios,
        "errors": errors,
    }


# --- The runtime `make run` starts: soak and recovery ------------------------------------------

BALLOT_CHOICES = """
import json
from agreements.models import Ballot
print(json.dumps({{b.participant.name: b.choice for b in Ballot.objects.filter(item_id={item}).select_related(
    "participant")}}))
"""


class MakeRun:
    """`make run` on a fresh data folder (the embedded default: SQLite and its own Redis), in a session of its own."""

    def __init__(self, name):
        self.data = BASE_DIR / "var" / "bench" / name
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")}
        self.env.update(DATA_DIR=str(self.data), PORT=str(self.port))
        self.log_path = self.data.parent / f"{name}-make-run.log"

    def __enter__(self):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(["make", "run"], cwd=BASE_DIR, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(self.healthy, 180, "make run to be healthy")
        return self

    def healthy(self):
        try:
            return httpx.get(self.url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def __exit__(self, *exc):
        os.kill(self.proc.pid, 15)  # SIGTERM to make, as Ctrl-C or a service manager would
        self.proc.wait(60)
        deadline = time.monotonic() + 20
        while self.session_pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.left_behind = self.session_pids()
        for pid in self.left_behind:
            os.kill(pid, 9)
        self.log.close()

    def session_pids(self):
        out = subprocess.run(["pgrep", "-s", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def pid(self, program):
        out = subprocess.run([str(Path(sys.executable).parent / "supervisorctl"), "-c",
                              str(self.data / "supervisord.conf"), "pid", program],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        return int(out) if out.isdigit() else 0

    def output(self):
        return self.log_path.read_text(errors="replace")

    def supervisor_events(self):
        """Processes that exited unexpectedly, and processes (re)started after the first four."""
        log = self.output()
        return {"crashes": len(re.findall(r"exited: \w+ .*not expected", log)),
                "restarts": max(0, log.count("INFO spawned: ") - 4),
                "tracebacks": log.count("Traceback (most recent call last)")}


def leader_client(run, session):
    return httpx.Client(base_url=run.url, timeout=30, cookies={"sessionid": session})


def ask_for_pdf(client, version):
    """The leader's click on "Maak de pdf: teameditie"; returns the URL of the status fragment."""
    page_url = f"/versies/{version}/documenten/"
    token = CSRF_INPUT.search(client.get(page_url).text).group(1)
    response = client.post(page_url, data={"csrfmiddlewaretoken": token, "edition": "team"})
    assert response.status_code == 302, response.status_code
    return re.search(r'hx-get="(/documenten/\d+/status/)', client.get(page_url).text)[1]


def pdf_ready(client, status_url):
    fragment = client.get(status_url).text
    assert "mislukt" not in fragment, fragment
    return "Download de pdf" in fragment


@benchmark
def soak(minutes=10):
    """`make run` left running: beat on, a PDF asked for every 15 s, 2 votes a second, 20 phones polling every 2 s.
    Budget: 0 crashes, every render done, every ballot stored, 0 failed requests. `python bench/run.py soak 60`
    runs an hour."""
    seconds = float(minutes) * 60
    renders_expected = int(seconds // 15)
    with MakeRun("soak") as run:
        rows = run_snippet(run.env, PDF_SETUP.format(count=renders_expected, builder="adopted_version",
                                                     make_rows=False))
        meeting = django_json(run, MEETING_SETUP)
        phones = [join_meeting(run, meeting["code"], f"Telefoon {n}") for n in range(20)]
        stop = threading.Event()
        polls, votes, last_choice, renders, asked, errors = [], [], {}, [], [], []

        def poll(phone):
            while not stop.wait(2.0):
                start = time.perf_counter()
                try:
                    ok = phone.get(f"/stem/{meeting['code']}/huidig/").status_code == 200
                except httpx.HTTPError as e:
                    ok = False
                    errors.append(f"poll: {type(e).__name__}")
                polls.append(((time.perf_counter() - start) * 1000, ok))

        def vote():
            n = 0
            while not stop.wait(0.5):  # 2 a second, each phone every 10 s (its limit is 30 a minute)
                phone, choice = n % len(phones), ["support", "amended", "against"][(n // len(phones)) % 3]
                try:
                    status = vote_request(phones[phone], meeting["code"], meeting["item"], choice).status_code
                except httpx.HTTPError as e:
                    status = type(e).__name__
                votes.append(status)
                if status == 200:
                    last_choice[f"Telefoon {phone}"] = choice
                n += 1

        def check(pending):
            for item in list(pending):
                if pdf_ready(item[0], item[1]):
                    renders.append(time.monotonic() - item[2])
                    pending.remove(item)
                    item[0].close()

        def render():
            pending, start = [], time.monotonic()
            for n, row in enumerate(rows):  # one every 15 s, on a fixed schedule
                while time.monotonic() < start + 15 * n:
                    check(pending)
                    time.sleep(1)
                client = leader_client(run, row["session"])
                pending.append((client, ask_for_pdf(client, row["version"]), time.monotonic()))
                asked.append(n)
            deadline = time.monotonic() + 60  # the last ones may still be busy when the soak ends
            while pending and time.monotonic() < deadline:
                check(pending)
                time.sleep(1)

        threads = [threading.Thread(target=poll, args=(p,)) for p in phones]
        threads += [threading.Thread(target=vote)]
        for t in threads:
            t.start()
        renderer = threading.Thread(target=render)
        renderer.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
        renderer.join()  # it stops by itself after the last PDF it asked for (at most 60 s after the soak)
        stored = django_json(run, BALLOT_CHOICES.format(item=meeting["item"]))
        events = run.supervisor_events()
        for phone in phones:
            phone.close()
    wall = [ms for ms, _ in polls]
    failed_polls = sum(1 for _, ok in polls if not ok)
    failed_votes = sum(1 for v in votes if v != 200)
    result = {
        "minutes": float(minutes),
        **events,
        "renders_asked": len(asked), "renders_done": len(renders), "renders_expected": renders_expected,
        "render_ready_p50_s": round(percentile(renders, 50), 1), "render_ready_max_s": round(max(renders or [0]), 1),
        "ballots_stored": len(stored), "ballots_expected": len(last_choice),
        "ballots_with_the_last_choice": sum(1 for name, c in last_choice.items() if stored.get(name) == c),
        "votes_sent": len(votes), "votes_failed": failed_votes,
        "polls": len(polls), "polls_failed": failed_polls, "request_errors": sorted(set(errors))[:5],
        "poll_p50_ms": round(percentile(wall, 50), 1), "poll_p95_ms": round(percentile(wall, 95), 1),
        "processes_left_after_sigterm": len(run.left_behind),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    result["ok"] = (events["crashes"] == 0 and result["renders_done"] == renders_expected
                    and result["ballots_stored"] == result["ballots_expected"]
                    == result["ballots_with_the_last_choice"] == len(phones)
                    and failed_polls == 0 and failed_votes == 0 and not run.left_behind)
    result["budget"] = {"crashes": 0, "renders": "all", "ballots": "all", "failed_requests": 0}
    return result


@benchmark
def recovery():
    """kill -9 of the worker's main process while a PDF renders, under `make run` with its default settings:
    the site keeps answering (every probe), the supervisor starts a new worker, and the PDF is done within 60 s
    of the kill without anyone clicking again."""
    with MakeRun("recovery") as run:
        [row] = run_snippet(run.env, PDF_SETUP.format(count=1, builder="slow_adopted_version", make_rows=False))
        client = leader_client(run, row["session"])
        status_url = ask_for_pdf(client, row["version"])
        wait_until(lambda: "Stap 2 van 3" in client.get(status_url).text, 60, "the render to start")
        time.sleep(1)
        worker = run.pid("worker")
        os.kill(worker, 9)
        killed = time.monotonic()
        probes, failures, back, done = 0, 0, None, None
        while time.monotonic() - killed < 120 and done is None:
            probes += 1
            try:
                if httpx.get(run.url + "/", timeout=5).status_code != 200:
                    failures += 1
            except httpx.HTTPError:
                failures += 1
            if back is None and run.pid("worker") not in (0, worker):
                back = time.monotonic() - killed
            if pdf_ready(client, status_url):
                done = time.monotonic() - killed
            time.sleep(0.2)
        client.close()
        attempts = run_snippet(run.env, "import json, django; django.setup(); from agreements.models import "
                                        "RenderedDocument as R; print(json.dumps(list(R.objects.values_list("
                                        "'attempts', flat=True))))")
    result = {
        "site_probes_during_recovery": probes, "site_probes_failed": failures,
        "worker_back_after_s": round(back, 1) if back is not None else None,
        "render_done_after_kill_s": round(done, 1) if done is not None else None,
        "render_attempts": attempts,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "budget": {"site_probes_failed": 0, "render_done_after_kill_s": 60},
    }
    result["ok"] = failures == 0 and done is not None and done <= 60 and back is not None
    return result


def print_table(name, result):
    print(f"\n== {name}: {'OK' if result.get('ok') else 'OVER BUDGET'}  budget={result.get('budget')}")
    if "pages" in result:
        print(f"{'page':45} {'status':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for r in result["pages"]:
            status = ",".join(map(str, r["status"]))
            print(f"{r['url'][:45]:45} {status:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['queries']:>8}")
    for key, value in result.items():
        if key not in ("pages", "budget", "ok"):
            print(f"  {key}: {value}")


def main(argv):
    """Names of benchmarks, each optionally followed by a number (soak's minutes): `soak 60 recovery`."""
    runs = []
    for arg in argv:
        if arg.replace(".", "", 1).isdigit() and runs:
            runs[-1][1].append(float(arg))
        else:
            runs.append((arg, []))
    runs = runs or [(name, []) for name in BENCHMARKS]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    failed = []
    for name, args in runs:
        result = BENCHMARKS[name](*args)
        result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        results[name] = result
        print_table(name, result)
        if not result.get("ok"):
            failed.append(name)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nResults written to {RESULTS.relative_to(BASE_DIR)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
