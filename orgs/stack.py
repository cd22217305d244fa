"""A request's Python frames in one piece of the interpreter's frame stack (CPython issue gh-142183).

CPython (3.11 onwards) keeps the frames of Python calls in a per-thread stack made of 16 KiB chunks. When a
call does not fit in the current chunk, a new chunk is mapped (``mmap``); when that call returns, the chunk is
unmapped at once. A loop that calls a function while the stack stands just short of a chunk's end therefore
maps and unmaps memory on every call. Which depth that is shifts with every middleware, view and template tag
added: on this platform it once put the list tables' cell rendering at such an edge, about 1,500 ``mmap`` /
``munmap`` pairs for one page of 50 projects, and every list page took twice its CPU time (the load test's p95
330 ms against 150 ms). The fix of gh-142183, in 3.13 and 3.14 releases from spring 2026 on, keeps one spare
chunk instead; the interpreter here, 3.11, will not get it.

``StackChunkMiddleware`` runs the rest of the request under one frame made large on purpose: that frame does
not fit in the chunk it is called from, so a chunk of 512 KiB is mapped for it once a request, and the frames of
everything the request calls follow it in the same chunk. What that buys is headroom, not a guarantee: about
190 KiB of the chunk stay free after the large frame (some 24,000 slots, hundreds of ordinary frames), far more
than a page here uses; a request that nested deeper would cross the chunk's end and could meet the old edge
again. Memory is touched only where frames are written, and the chunk is returned when the request ends.

It helps only the WSGI request path, the one place it is installed (first of ``MIDDLEWARE``): Celery tasks,
management commands and the exports built in workers run without it. It can go once the platform runs on a
CPython that carries gh-142183's fix (3.13 or 3.14 releases from spring 2026 on): delete this module, its
middleware entry and its test, and confirm with the load test that list pages keep their CPU time.
"""

from __future__ import annotations

#: Slots of the large frame: 40,000 × 8 bytes, so the interpreter maps a 512 KiB chunk for it and about
#: 190 KiB (some 24,000 slots, hundreds of frames) stay free for the calls made under it.
FRAME_SLOTS = 40_000


def _call(function, argument):
    return function(argument)


# The frame's size is its code's value stack plus its locals; a larger stack than the code needs is allowed
# (it is an upper bound) and costs nothing until written.
_call.__code__ = _call.__code__.replace(co_stacksize=FRAME_SLOTS)


def call_in_one_chunk(function, argument):
    """``function(argument)``, with every frame it pushes in one chunk of the frame stack."""
    return _call(function, argument)


class StackChunkMiddleware:
    """First of the middleware: the whole request below it runs in one chunk of the frame stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return call_in_one_chunk(self.get_response, request)
