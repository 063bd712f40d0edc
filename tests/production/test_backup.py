"""bin/backup and bin/restore: a database and its files, backed up and brought back elsewhere.

Runs where DATABASE_URL is PostgreSQL (CI's PostgreSQL leg; REQUIRE_SCALE_OUT=1 makes a missing
one fail rather than skip), on scratch databases beside it (backup_<pid>_*), dropped afterwards.
The scripts do not care what the tables are, so a small hand-made one stands for the site's.
"""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server():
    """psycopg connection arguments for DATABASE_URL's server, and a URL maker for a database on it."""
    database_url = os.environ.get("DATABASE_URL", "")
    reason = ""
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        reason = "DATABASE_URL is not PostgreSQL: bin/backup dumps PostgreSQL"
    elif not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        reason = "pg_dump, pg_restore and psql (postgresql-client) are needed"
    if reason:
        if os.environ.get("REQUIRE_SCALE_OUT") == "1":
            pytest.fail(f"REQUIRE_SCALE_OUT=1 but {reason}")
        pytest.skip(reason)
    config = environ.Env.db_url_config(database_url)
    connect = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    parts = urlsplit(database_url)
    return connect, lambda name: parts._replace(path=f"/{name}").geturl()


@pytest.fixture
def scratch(server):
    """Names of scratch databases; each one is dropped at the end, whatever happened."""
    import psycopg

    connect, url_for = server
    names = []

    def admin(statement):
        with psycopg.connect(**connect, dbname="postgres", autocommit=True) as connection:
            connection.execute(statement)

    def make(suffix, create=True):
        name = f"backup_{os.getpid()}_{suffix}"
        names.append(name)
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            admin(f'CREATE DATABASE "{name}"')
        return name

    def query(name, sql, *params):
        with psycopg.connect(**connect, dbname=name, autocommit=True) as connection:
            cursor = connection.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else None

    yield make, query, url_for
    for name in names:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, env):
    return subprocess.run([str(ROOT / "bin" / script), *args], cwd=ROOT, env=env, capture_output=True, text=True)


def site_env(tmp_path, database_url, name):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(
        PYTHON=sys.executable,  # the scripts' Python: the one running the tests, with Django
        DATABASE_URL=database_url,
        DEBUG="false",
        PAYMENT_ALLOW_DUMMY="true",
        MEDIA_ROOT=str(tmp_path / name / "media"),
        REPORT_ATTACHMENTS_ROOT=str(tmp_path / name / "private" / "report-attachments"),
    )
    return env


def test_backup_then_restore_into_another_database_brings_everything_back(tmp_path, scratch):
    make, query, url_for = scratch
    source = make("source")
    query(source, "CREATE TABLE library (id serial PRIMARY KEY, name text NOT NULL, joined date)")
    query(
        source,
        "INSERT INTO library (name, joined) VALUES (%s, %s), (%s, %s)",
        "Chicago Public Library",
        "1873-01-01",
        "Ana’s branch",
        None,
    )
    production = site_env(tmp_path, url_for(source), "production")
    media = Path(production["MEDIA_ROOT"])
    (media / "store").mkdir(parents=True)
    (media / "store" / "poster.jpg").write_bytes(b"\xff\xd8 a poster")
    attachments = Path(production["REPORT_ATTACHMENTS_ROOT"])
    (attachments / "2026").mkdir(parents=True)
    (attachments / "2026" / "challenge.pdf").write_bytes(b"%PDF confidential")

    backed_up = run("backup", str(tmp_path / "backups"), env=production)
    assert backed_up.returncode == 0, backed_up.stderr
    folder = Path(backed_up.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups"
    assert folder.name.startswith("ala-")
    assert sorted(path.name for path in folder.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
        "report-attachments.tar.gz",
    ]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # members' data and confidential reports
    assert not list((tmp_path / "backups").glob("*.partial"))

    # Another server: a database that does not exist yet, empty folders.
    target = make("restored", create=False)
    elsewhere = site_env(tmp_path, "postgres://unused/unused", "elsewhere")
    restored = run("restore", str(folder), url_for(target), env=elsewhere)
    assert restored.returncode == 0, restored.stderr
    assert query(target, "SELECT name, joined::text FROM library ORDER BY id") == [
        ("Chicago Public Library", "1873-01-01"),
        ("Ana’s branch", None),
    ]
    assert query(target, "SELECT nextval('library_id_seq')") == [(3,)]  # sequences too
    new_media = Path(elsewhere["MEDIA_ROOT"])
    new_attachments = Path(elsewhere["REPORT_ATTACHMENTS_ROOT"])
    assert (new_media / "store" / "poster.jpg").read_bytes() == b"\xff\xd8 a poster"
    assert (new_attachments / "2026" / "challenge.pdf").read_bytes() == b"%PDF confidential"
    assert stat.S_IMODE(new_attachments.stat().st_mode) & 0o077 == 0


def test_restore_refuses_a_database_in_use_unless_told_to_replace_it(tmp_path, scratch):
    make, query, url_for = scratch
    source = make("source")
    query(source, "CREATE TABLE library (id serial PRIMARY KEY, name text)")
    query(source, "INSERT INTO library (name) VALUES ('from the backup')")
    env = site_env(tmp_path, url_for(source), "site")
    folder = Path(run("backup", str(tmp_path / "backups"), env=env).stdout.strip())

    target = make("busy")
    query(target, "CREATE TABLE library (id serial PRIMARY KEY, name text)")
    query(target, "INSERT INTO library (name) VALUES ('already here')")

    refused = run("restore", "--no-files", str(folder), url_for(target), env=env)
    assert refused.returncode != 0
    assert "--clean" in refused.stderr
    assert query(target, "SELECT name FROM library") == [("already here",)]

    replaced = run("restore", "--clean", "--no-files", str(folder), url_for(target), env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert query(target, "SELECT name FROM library") == [("from the backup",)]


def test_a_damaged_backup_is_refused(tmp_path, scratch):
    make, query, url_for = scratch
    source = make("source")
    query(source, "CREATE TABLE library (id serial PRIMARY KEY)")
    env = site_env(tmp_path, url_for(source), "site")
    folder = Path(run("backup", str(tmp_path / "backups"), env=env).stdout.strip())
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"garbage")

    target = make("target", create=False)
    refused = run("restore", str(folder), url_for(target), env=env)
    assert refused.returncode != 0
    assert "damaged" in refused.stderr
