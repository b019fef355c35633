"""Ingest under load: many logged-in users pasting URLs at once, through the real web server
and real Celery workers, then a count of what became of every paste.

    .venv/bin/python bench/ingest_load.py --articles 500 --concurrency 20 --workers 2
    .venv/bin/python bench/ingest_load.py --database-url postgres://postgres@127.0.0.1/postgres \\
        --redis-url redis://127.0.0.1:6379/9

Starts a local server of generated news articles, a scratch database (a fresh SQLite file
in a temporary directory, or ``newsreader_bench`` created next to ``--database-url`` and
dropped at the end), gunicorn and ``--workers`` Celery worker processes; logs in like a
browser (CSRF cookie, session cookie) from ``--concurrency`` threads, pastes every article
URL (and some again, with tracking parameters, to test de-duplication) for at most
``--duration`` seconds, then waits at most ``--wait`` seconds for processing and prints:
pasted, accepted, done, failed (with reasons), lost (accepted but not in the database:
must be 0), duplicates (two articles for one URL: must be 0), throughput and paste latency.
Everything it starts is stopped, and the scratch database removed, on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_DATABASE = "newsreader_bench"
USERNAME, PASSWORD = "bench", "bench-load-password"

# Generated articles ------------------------------------------------------------------------

PEOPLE = [
    ("Emmanuel Macron", "French President"),
    ("Olaf Scholz", "German Chancellor"),
    ("Antony Blinken", "US Secretary of State"),
    ("Ursula von der Leyen", "European Commission President"),
    ("Narendra Modi", "Indian Prime Minister"),
    ("Luiz Inacio Lula da Silva", "Brazilian President"),
    ("Cyril Ramaphosa", "South African President"),
    ("Fumio Kishida", "Japanese Prime Minister"),
    ("Antonio Guterres", "UN Secretary-General"),
    ("Kristalina Georgieva", "IMF Managing Director"),
    ("Jens Stoltenberg", "NATO Secretary General"),
    ("Pedro Sanchez", "Spanish Prime Minister"),
    ("Giorgia Meloni", "Italian Prime Minister"),
    ("Justin Trudeau", "Canadian Prime Minister"),
    ("Anthony Albanese", "Australian Prime Minister"),
    ("Recep Tayyip Erdogan", "Turkish President"),
    ("Sarah Mitchell", "a trade analyst"),
    ("David Okafor", "an energy economist"),
    ("Maria Fernandes", "a climate negotiator"),
    ("Tom Whitaker", "a defence correspondent"),
]
COUNTRIES = [
    "France", "Germany", "the United States", "India", "Brazil", "South Africa", "Japan",
    "China", "Canada", "Australia", "Turkey", "Spain", "Italy", "Nigeria", "Mexico",
    "Indonesia", "Poland", "Egypt", "Kenya", "Argentina", "South Korea", "Ukraine",
]  # fmt: skip
ORGANISATIONS = [
    "the United Nations", "the European Union", "NATO", "the World Bank",
    "the International Monetary Fund", "the World Health Organization", "the African Union",
    "Reuters", "Amnesty International", "the World Trade Organization", "OPEC",
    "the Red Cross", "Greenpeace", "the Bank of England", "the Federal Reserve",
]  # fmt: skip
CITIES = [
    "Paris", "Berlin", "Geneva", "Brussels", "New Delhi", "Nairobi", "Tokyo", "Ottawa",
    "Madrid", "Rome", "Cairo", "Warsaw", "Jakarta", "Buenos Aires", "Seoul", "Lagos",
]  # fmt: skip
TOPICS = [
    ("trade", "tariffs on steel and farm goods", "a new trade agreement"),
    ("climate", "emissions targets for the coming decade", "a fund for adaptation"),
    ("health", "vaccine supplies for poorer nations", "a pandemic preparedness treaty"),
    ("energy", "gas prices ahead of the winter", "a plan to expand wind power"),
    ("security", "the war in the region", "a ceasefire monitored by observers"),
    ("debt", "the debts of low-income countries", "a restructuring framework"),
    ("migration", "the number of people crossing the sea", "shared rules on asylum"),
]
SITES = ["The Daily Ledger", "Morning Courier", "Global Dispatch", "The Evening Post"]
TITLES = [
    "{person} Presses {country} On {topic_title} At {city} Talks",
    "{org_title} Warns Of Risks As {country} And {country2} Clash Over {topic_title}",
    "{country} Signs {topic_title} Deal After Talks In {city}",
    "Leaders Gather In {city} As {org_title} Seeks Agreement On {topic_title}",
]
PARAGRAPHS = [
    "{person} arrived in {city} on {day} for talks with officials from {country} and "
    "{country2}, as pressure grew for {deal}. {org} said the meeting could decide the "
    "direction of {issue} for years.",
    "Speaking to reporters, {person_role} {person} said that {country} would not accept "
    'any agreement that ignored {issue}. "We have waited long enough," {surname} said.',
    "Delegates from {org} and {org2} joined the discussions, which ran late into the night. "
    "Officials in {country2} described the atmosphere as tense but constructive.",
    "{person2}, {person2_role}, told the conference that {org} had underestimated the cost "
    "of {issue}, and urged {country} to move faster on {deal}.",
    "Markets in {country} rose after the announcement. Analysts at {org2} said investors "
    "had expected a longer dispute, and that {country2} was likely to follow.",
    "Critics were not convinced. {surname2} said the plan left too many questions open, and "
    "campaigners outside the venue in {city} called on {org} to do more.",
    "The talks follow months of disagreement between {country} and {country2} over {issue}. "
    "A report by {org2} last year found that neither side had met its commitments.",
    "{surname} is expected to travel to {city2} next week, where {org2} will host a second "
    "round. Diplomats said a final text could be ready by the end of the month.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _capitalise_sentences(text: str) -> str:
    """'the United Nations' opening a sentence is 'The United Nations'."""
    return re.sub(r"(^|[.!?] )the ", lambda match: f"{match[1]}The ", text)


def article_html(index: int) -> str:
    """A plausible news page, different for every index and the same on every request."""
    rng = random.Random(index)
    (person, role), (person2, role2) = rng.sample(PEOPLE, 2)
    country, country2 = rng.sample(COUNTRIES, 2)
    org, org2 = rng.sample(ORGANISATIONS, 2)
    city, city2 = rng.sample(CITIES, 2)
    topic, issue, deal = rng.choice(TOPICS)
    values = {
        "person": person,
        "person_role": role if role[0].isupper() else role.split()[-1].title(),
        "person2": person2,
        "person2_role": role2,
        "surname": person.split()[-1],
        "surname2": person2.split()[-1],
        "country": country,
        "country2": country2,
        "org": org,
        "org2": org2,
        "org_title": org.removeprefix("the "),
        "city": city,
        "city2": city2,
        "issue": issue,
        "deal": deal,
        "topic_title": topic.title(),
        "day": rng.choice(DAYS),
    }
    title = rng.choice(TITLES).format(**values)
    paragraphs = [PARAGRAPHS[0], *rng.sample(PARAGRAPHS[1:], rng.randint(4, 7))]
    texts = [_capitalise_sentences(p.format(**values)) for p in paragraphs]
    body = "\n".join(f"<p>{html.escape(text, quote=False)}</p>" for text in texts)
    site = rng.choice(SITES)
    day = 1 + index % 28
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta name="author" content="Staff reporter">
<meta property="article:published_time" content="2024-10-{day:02d}T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Sign in</a></nav>
<article><h1>{html.escape(title)}</h1>
{body}
</article>
<footer>Copyright {site}. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


class _ArticleHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        match = re.fullmatch(r"/news/(\d+)\.html", self.path.split("?")[0])
        if not match:
            self.send_error(404)
            return
        body = article_html(int(match[1])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


# Processes and the scratch database --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Scratch:
    """The scratch database and broker, and every process started on them."""

    directory: Path
    database_url: str
    admin_database_url: str | None  # PostgreSQL: where to create and drop the scratch one
    redis_url: str | None
    env: dict[str, str] = field(default_factory=dict)
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.directory / f"{name}.log").open("w")
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its children stop with it
        )
        self.processes.append((name, process))
        return process

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _purge_redis(url: str, *, bindings: bool = False) -> None:
    """Drop the Celery queue and unacknowledged messages left in the bench's Redis database
    (and, once no worker runs, kombu's queue bindings)."""
    import redis

    client = redis.Redis.from_url(url)
    client.delete("fetch", "analysis", "unacked", "unacked_index", "unacked_mutex")
    patterns = [":1:ingest-rate:*", *(["_kombu.binding*"] if bindings else [])]
    for pattern in patterns:
        for key in client.scan_iter(pattern):
            client.delete(key)
    client.close()


@contextlib.contextmanager
def scratch_environment(args: argparse.Namespace) -> Iterator[Scratch]:
    directory = Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    if args.database_url:
        database_url = _with_database(args.database_url, BENCH_DATABASE)
        admin = args.database_url
        _postgres_admin(admin, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        _postgres_admin(admin, f"CREATE DATABASE {BENCH_DATABASE}")
    else:
        database_url, admin = f"sqlite:///{directory / 'bench.sqlite3'}", None
    scratch = Scratch(directory, database_url, admin, args.redis_url)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL"}
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=database_url,
        NEWSREADER_VAR_DIR=str(directory / "var"),  # broker, cache and logs of this run only
        NEWSREADER_ALLOW_PRIVATE_URLS="1",
        # One user pastes everything: the per-user limit is not what is measured here.
        NEWSREADER_INGEST_RATE_PER_MINUTE="1000000000",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        _purge_redis(args.redis_url)
    scratch.env = env
    try:
        yield scratch
    finally:
        scratch.stop_all()
        if args.redis_url:
            with contextlib.suppress(Exception):
                _purge_redis(args.redis_url, bindings=True)
        if admin:
            with contextlib.suppress(Exception):
                _postgres_admin(admin, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        if args.keep:
            print(f"Kept the logs and files in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


def manage(scratch: Scratch, *command: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *command], cwd=REPO_ROOT, env=scratch.env, check=True, timeout=300
    )


def start_web(scratch: Scratch, port: int) -> str:
    scratch.start(
        "web",
        [
            PYTHON,
            "-m",
            "gunicorn",
            "newsreader.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=8",
            "--timeout=60",
        ],
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{base}/login/", timeout=5).read()
            return base
        time.sleep(0.3)
    raise RuntimeError(f"The web server did not start:\n{scratch.log('web')[-3000:]}")


def start_workers(scratch: Scratch, count: int) -> None:
    for number in range(count):
        scratch.start(
            f"worker-{number}",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "newsreader",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=bench{number}@%h",
            ],
        )
    deadline = time.monotonic() + 120
    for number in range(count):
        while "ready." not in scratch.log(f"worker-{number}"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"Worker {number} did not start")
            time.sleep(0.3)


# Pasting -------------------------------------------------------------------------------------


class Browser:
    """A logged-in session: cookies and the CSRF token, as a browser with htmx sends them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf_token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def log_in(self) -> None:
        self.opener.open(f"{self.base}/login/", timeout=30).read()
        data = urllib.parse.urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf_token()}
        ).encode()
        self.opener.open(f"{self.base}/login/", data=data, timeout=30).read()
        if not any(c.name == "sessionid" for c in self.cookies):
            raise RuntimeError("Logging in failed")

    def paste(self, url: str) -> tuple[int, str]:
        request = urllib.request.Request(
            f"{self.base}/articles/",
            data=urllib.parse.urlencode({"url": url}).encode(),
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf_token()},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


@dataclass
class Paste:
    index: int
    url: str
    status: int = 0
    article_id: int | None = None
    seconds: float = 0.0
    error: str = ""


def paste_urls(pages: str, count: int, repeat_fraction: float) -> list[tuple[int, str]]:
    """Every article once, and some again as people paste them: with tracking parameters."""
    urls = [(i, f"{pages}/news/{i}.html") for i in range(count)]
    rng = random.Random(0)
    repeats = [
        (i, f"{pages}/news/{i}.html?utm_source=newsletter&utm_medium=email")
        for i in rng.sample(range(count), int(count * repeat_fraction))
    ]
    for item in repeats:  # later in the run, while the first paste may still be processing
        urls.insert(rng.randint(len(urls) // 2, len(urls)), item)
    return urls


def run_pastes(base: str, urls: list[tuple[int, str]], concurrency: int, duration: float):
    pastes: list[Paste] = []
    lock = threading.Lock()
    work = iter(urls)
    deadline = time.monotonic() + duration

    def user() -> None:
        browser = Browser(base)
        browser.log_in()
        while time.monotonic() < deadline:
            with lock:
                item = next(work, None)
            if item is None:
                return
            paste = Paste(*item)
            started = time.monotonic()
            try:
                paste.status, text = browser.paste(paste.url)
                match = re.search(r'id="article-card-(\d+)"', text)
                paste.article_id = int(match[1]) if match else None
                if paste.status != 200:
                    paste.error = f"HTTP {paste.status}"
            except OSError as error:
                paste.error = f"{type(error).__name__}: {error}"
            paste.seconds = time.monotonic() - started
            with lock:
                pastes.append(paste)

    threads = [threading.Thread(target=user) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pastes


# Counting -------------------------------------------------------------------------------------


def query(database_url: str, sql: str) -> list[tuple]:
    """Read the scratch database directly: the bench process does not load Django."""
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url[len("sqlite:///") :], 30)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


def article_rows(database_url: str) -> list[tuple]:
    return query(database_url, "SELECT id, url, status, error FROM articles_article")


def wait_for_processing(scratch: Scratch, expected: set[int], wait: float):
    """Poll until every accepted article is done or failed, or ``wait`` seconds pass."""
    started = time.monotonic()
    last_done, last_change, finished = -1, started, 0
    while True:
        rows = article_rows(scratch.database_url)
        status = {row[0]: row[2] for row in rows}
        done = sum(status.get(i) == "done" for i in expected)
        finished = sum(status.get(i) in {"done", "failed"} for i in expected)
        if done != last_done:
            last_done, last_change = done, time.monotonic()
            print(f"  {time.monotonic() - started:6.1f} s: {done} done, {finished} finished")
        if finished >= len(expected) or time.monotonic() - started > wait:
            return rows, last_change
        time.sleep(1)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def mention_count(database_url: str) -> int:
    return query(database_url, "SELECT count(*) FROM articles_mention")[0][0]


def report(pastes: list[Paste], rows, mentions: int, started: float, last_done: float) -> bool:
    accepted = [p for p in pastes if p.status == 200 and p.article_id is not None]
    by_id = {row[0]: row for row in rows}
    index_of = {}
    for row in rows:
        match = re.search(r"/news/(\d+)\.html", row[1])
        if match:
            index_of.setdefault(int(match[1]), []).append(row[0])
    lost = [p for p in accepted if p.article_id not in by_id]
    lost += [p for p in accepted if p.index not in index_of and p not in lost]
    duplicates = {index: ids for index, ids in index_of.items() if len(ids) > 1}
    accepted_ids = {p.article_id for p in accepted}
    statuses = Counter(by_id[i][2] for i in accepted_ids if i in by_id)
    reasons = Counter(by_id[i][3] for i in accepted_ids if i in by_id and by_id[i][2] == "failed")
    done = statuses.get("done", 0)
    latencies = [p.seconds for p in pastes if not p.error]
    elapsed = max(last_done - started, 1e-9)

    print()
    print(f"pasted               {len(pastes)}  ({len({p.index for p in pastes})} distinct URLs)")
    print(f"accepted             {len(accepted)}  ({len(accepted_ids)} articles)")
    rejected = Counter(p.error for p in pastes if p not in accepted)
    for reason, count in rejected.most_common():
        print(f"  not accepted       {count}  {reason or 'no article card in the answer'}")
    print(f"done                 {done}")
    print(f"failed               {statuses.get('failed', 0)}")
    for reason, count in reasons.most_common(10):
        print(f"  {count:5d}  {reason}")
    unfinished = {s: n for s, n in statuses.items() if s not in {"done", "failed"}}
    print(f"unfinished           {sum(unfinished.values())}  {unfinished or ''}")
    print(f"mentions             {mentions} ({mentions / max(done, 1):.1f} per done article)")
    print(f"lost                 {len(lost)}  (accepted, not in the database; must be 0)")
    print(f"duplicates           {len(duplicates)}  (URLs with two or more articles; must be 0)")
    print(f"throughput           {done / elapsed:.2f} articles/s done ({elapsed:.1f} s)")
    print(
        f"paste latency        p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"max {max(latencies, default=0) * 1000:.0f} ms"
    )
    return not lost and not duplicates


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500, help="distinct article URLs")
    parser.add_argument("--concurrency", type=int, default=20, help="users pasting at once")
    parser.add_argument("--duration", type=float, default=120, help="longest pasting time, s")
    parser.add_argument("--wait", type=float, default=600, help="longest processing wait, s")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument(
        "--repeat-fraction", type=float, default=0.1, help="share of URLs pasted a second time"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help=f"a PostgreSQL server to create the scratch database {BENCH_DATABASE} on "
        "(default: a SQLite file in a temporary directory)",
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="the Redis broker, a database of its own: its Celery queue is purged "
        "(default: Celery's filesystem broker in the temporary directory)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs and temporary files")
    args = parser.parse_args()

    # A SIGTERM (a CI timeout, a wrapper giving up) still runs the clean-up below.
    signal.signal(signal.SIGTERM, _interrupt)

    pages = ThreadingHTTPServer(("127.0.0.1", 0), _ArticleHandler)
    pages.daemon_threads = True
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    pages_url = f"http://127.0.0.1:{pages.server_address[1]}"
    try:
        with scratch_environment(args) as scratch:
            backend = "PostgreSQL" if args.database_url else "SQLite"
            broker = "Redis" if args.redis_url else "filesystem"
            print(f"Scratch {backend} database, {broker} broker, files in {scratch.directory}")
            manage(scratch, "migrate", "--verbosity=0")
            manage(
                scratch,
                "shell",
                "--verbosity=0",
                "-c",
                "from django.contrib.auth import get_user_model; "
                f"get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})",
            )
            base = start_web(scratch, free_port())
            start_workers(scratch, args.workers)
            print(f"gunicorn at {base}, {args.workers} worker(s) ready; pasting")

            urls = paste_urls(pages_url, args.articles, args.repeat_fraction)
            started = time.monotonic()
            pastes = run_pastes(base, urls, args.concurrency, args.duration)
            pasting = time.monotonic() - started
            print(f"Pasted {len(pastes)} in {pasting:.1f} s ({len(pastes) / pasting:.1f}/s)")
            expected = {p.article_id for p in pastes if p.article_id is not None}
            rows, last_done = wait_for_processing(scratch, expected, args.wait)
            mentions = mention_count(scratch.database_url)
            return 0 if report(pastes, rows, mentions, started, last_done) else 1
    except KeyboardInterrupt:
        print("Interrupted; stopped everything.")
        return 130
    finally:
        pages.shutdown()


if __name__ == "__main__":
    sys.exit(main())
