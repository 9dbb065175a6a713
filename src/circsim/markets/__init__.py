"""Monthly market-clearing functions (pure, deterministic and vectorised on numpy arrays)
and the one market that keeps a stock between months.

- :mod:`~circsim.markets.byproducts`: industrial symbiosis between firms.
- :mod:`~circsim.markets.donations`: donations to social cooperatives and free distribution.
- :mod:`~circsim.markets.fibre`: the pool of recycled fibre waiting to be spun.
- :mod:`~circsim.markets.secondhand`: charity shops and peer-to-peer resale.
"""

from circsim.markets.byproducts import ExchangeResult, distance_matrix, match_byproducts
from circsim.markets.donations import allocate_donations, distribute_free
from circsim.markets.fibre import RecycledFibrePool
from circsim.markets.secondhand import (
    SecondHandResult,
    ZoneClearing,
    clear_by_zone,
    clear_secondhand,
)

__all__ = [
    "ExchangeResult",
    "RecycledFibrePool",
    "SecondHandResult",
    "ZoneClearing",
    "clear_by_zone",
    "allocate_donations",
    "clear_secondhand",
    "distance_matrix",
    "distribute_free",
    "match_byproducts",
]
