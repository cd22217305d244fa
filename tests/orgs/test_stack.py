"""A request's frames stay in one chunk of the interpreter's frame stack (orgs.stack, CPython gh-142183).

A chunk the interpreter maps for a call is fresh memory, so the first frame written to it costs a minor page
fault: a loop whose calls each map and unmap a chunk takes (at least) one fault per call, a loop that stays in
one chunk takes none.
"""

import resource
import sys

from django.conf import settings

from orgs.stack import StackChunkMiddleware, _call, call_in_one_chunk

CALLS = 2000
# Frames of _calls_at are about a dozen slots; a chunk holds about 2,000: 400 of them cross at least one edge.
DEPTHS = range(400)


def _wide():
    return None


# A callee larger than a _calls_at frame: at the last depths before a chunk fills, _calls_at still fits and
# _wide no longer does, whatever the depth the test starts from.
_wide.__code__ = _wide.__code__.replace(co_stacksize=100)


def _calls_at(depth: int) -> int:
    """``depth`` frames further down, call ``_wide`` CALLS times; the minor page faults that took."""
    if depth:
        return _calls_at(depth - 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(CALLS):
        _wide()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _most_faults(_=None) -> int:
    """The most faults a loop of CALLS calls took at any of DEPTHS."""
    return max(_calls_at(depth) for depth in DEPTHS)


def test_under_the_large_frame_no_depth_maps_a_chunk_per_call():
    assert call_in_one_chunk(_most_faults, None) < CALLS // 10
    # The defect itself, seen on this interpreter: 3.11 unmaps a chunk as soon as its first frame returns (later
    # 3.13 and 3.14 releases keep one spare chunk, and a loop at an edge no longer maps memory).
    if sys.version_info[:2] == (3, 11):
        assert _most_faults() >= CALLS


def test_the_middleware_runs_the_request_under_the_large_frame():
    def get_response(request):
        frame = sys._getframe()
        while frame is not None and frame.f_code is not _call.__code__:
            frame = frame.f_back
        return frame is not None

    assert StackChunkMiddleware(get_response)(object()) is True


def test_the_middleware_comes_first_so_that_the_whole_request_runs_under_it():
    assert settings.MIDDLEWARE[0] == "orgs.stack.StackChunkMiddleware"
