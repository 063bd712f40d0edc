"""Real-thread races for the tests: each thread does its own reading, then all are released at once."""

import threading

from django.db import connections


def run_at_once(work, items, *, prepare=None):
    """Call `work(prepare(item))` (or `work(item)`) in one thread per item, every `work` released
    at the same moment after every `prepare`; returns the errors the threads met, for the test's
    assertions. Each thread closes its own database connections."""
    start = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            ready = prepare(item) if prepare else item
            start.wait()
            work(ready)
        except Exception as error:  # surfaced by the caller's assertions
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
