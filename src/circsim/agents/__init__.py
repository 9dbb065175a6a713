"""The actors of the circular textile economy, as Mesa agents."""

from circsim.agents.consumer import Consumer
from circsim.agents.cooperative import SocialCooperative
from circsim.agents.firm import FashionFirm
from circsim.agents.recycler import Recycler

__all__ = ["Consumer", "FashionFirm", "Recycler", "SocialCooperative"]
