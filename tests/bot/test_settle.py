"""A running bot's full garbage collections walk only what serving made: what start-up built (modules, mappers,
catalogues, the app) lives as long as the process and is frozen out of the collector's sight once it is built."""

from __future__ import annotations

import gc

from bot import runtime
from bot.standin import ListenerPool


def test_what_start_up_built_is_left_out_of_full_collections(settings) -> None:
    pool = ListenerPool()
    frozen = gc.get_freeze_count()
    built = runtime.build(settings, listener_executor=pool, background=pool)
    try:
        assert gc.get_freeze_count() > frozen
        tracked = {id(thing) for thing in gc.get_objects()}  # what a full collection walks
        assert not {id(built.app), id(built.services), id(built.services.delivery)} & tracked
    finally:
        gc.unfreeze()  # the rest of the tests run as before
        pool.shutdown(wait=True)
        built.engine.dispose()
