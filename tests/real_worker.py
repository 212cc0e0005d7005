"""The harness of the tests that run a real Celery worker process (tests/test_worker.py and the
scoring worker tests): a worker process cannot see the test run's transaction, so each test gets
its own SQLite database in a temporary DATA_DIR, migrated through ``manage.py``, and a worker
started on it and stopped at the end, its output kept in ``worker.log``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")
# What a worker's environment must not inherit from the test run: its database, the async guard
# of the live-server tests, eager tasks.
_NOT_INHERITED = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER"}


def worker_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test run's environment on a database of its own in ``tmp_path``, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env["DATA_DIR"] = str(tmp_path)
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    """``manage.py args`` in ``env``; its standard output, or a failure showing both outputs."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def running_worker(
    env: dict[str, str], tmp_path: Path, *, name: str, queues: str = "celery", beat: bool = False
) -> Iterator[Path]:
    """A worker (one process, ``queues``, with the scheduler when ``beat``) for the block; yields
    the path of its log."""
    log_path = tmp_path / "worker.log"
    command = [str(CELERY), "-A", "lyushunkou", "worker", *(["--beat"] if beat else [])]
    command += ["--loglevel", "INFO", "--concurrency", "1", "--queues", queues]
    command += ["--hostname", f"{name}-{os.getpid()}@%h"]
    with log_path.open("w") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield log_path
        finally:
            worker.terminate()
            worker.wait(timeout=30)
