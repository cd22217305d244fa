"""Run calls at the same moment, each in its own thread with its own database connection.

Used by the concurrency tests of every app (they need ``django_db(transaction=True)`` so that both
connections see committed data). Each result is ``("ok", value)``, ``("refused", messages)`` for a
``ValidationError``, or ``("error", repr)`` for anything else — which a test should treat as a failure.
"""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except ValidationError as exc:
            results[index] = ("refused", exc.messages)
        except Exception as exc:  # noqa: BLE001 - reported to the test as an error
            results[index] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def outcomes(results) -> list[str]:
    return sorted(kind for kind, _ in results)
