"""The scenario language: every key a scenario file may hold, its type and range.

Validated once at the boundary (loading), then trusted inside the model. Names
follow the policy-analysis vocabulary: *parameters* describe the world we do
not control (households, firms, cooperatives, recyclers, costs); *policies* are
the levers a decision maker sets, each switched on from a given month.
Units are in the key names (``_kg``, ``_t``, ``_eur``, ``_km``, ``_months``).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .limits import SIMULATED_HOUSEHOLDS

CATEGORIES = ("clothing", "footwear", "household")
FIRM_SIZES = ("small", "medium", "large")
#: materials of byproducts and wastes in the symbiosis exchange (textile fibres first)
FIBRES = ("cotton", "polyester", "wool", "blend")
MATERIALS = (*FIBRES, "leather", "paper_packaging", "plastic_packaging", "wood")
#: routes a byproduct can feed (each replaces a virgin input), and the demand for the
#: recyclers' fibre
ROUTES = ("mechanical", "chemical", "nonwovens", "insulation", "fillers", "paper",
          "plastics", "panels")


class Strict(BaseModel):
    """Base for every section: unknown keys are errors, values are not coerced, and every
    number is finite (``.inf`` and ``.nan`` are refused everywhere)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


#: How far shares that must sum to one may miss it (rounding in a hand-written file).
SUM_TOLERANCE = 1e-3


def sums_to_one(shares: dict[str, float]) -> dict[str, float]:
    """Shares of a whole: each in [0, 1] and together 1 (within :data:`SUM_TOLERANCE`)."""
    bad = {k: v for k, v in shares.items() if not 0.0 <= v <= 1.0}
    if bad:
        shown = ", ".join(f"{k}: {v!r}" for k, v in bad.items())
        raise ValueError(f"each share must be between 0 and 1, got {shown}")
    total = math.fsum(shares.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"the shares must sum to 1 (within {SUM_TOLERANCE:g}), they sum to "
                         f"{total:.6g}")
    return shares


def plain_text(text: str) -> str:
    """Text without control characters (a NUL byte, an escape sequence, a line break)."""
    bad = sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cc", "Cf")})
    if bad:
        raise ValueError(f"control characters are not allowed here, found {', '.join(bad)}")
    return text


Share = Field(ge=0.0, le=1.0)
#: ``[low, high]`` of an uncertain parameter (checked by :mod:`circsim.scenario.uncertainty`).
Range = Annotated[list[float], Field(min_length=2, max_length=2)]


class PerCategory(Strict):
    """One value per product category."""

    clothing: float = Field(ge=0)
    footwear: float = Field(ge=0)
    household: float = Field(ge=0)

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.clothing, self.footwear, self.household)


class Population(Strict):
    residents: int = Field(ge=1, le=10**15)
    households: int = Field(ge=1, le=10**15)
    low_income_share: float = Share
    low_income_household_size: float = Field(ge=1, le=10)


class Households(Strict):
    """Consumption, lifetimes, awareness and end-of-life choice (Theory of Planned Behaviour)."""

    consumption_kg_per_person_year: PerCategory
    life_months: PerCategory
    weibull_shape: float = Field(gt=0.5, le=8)
    wear_out_share: float = Share
    low_income_budget_share: float = Share
    low_income_consumption_factor: float = Field(gt=0, le=2)
    awareness_mean: float = Share
    awareness_sd: float = Field(ge=0, le=0.5)
    awareness_peer_rate: float = Share
    awareness_decay_rate: float = Share
    initial_norm: float = Share
    norm_update_rate: float = Share
    # end-of-life route choice, multinomial logit against the residual bin
    asc_bin: float = Field(ge=-20, le=20)
    asc_donation: float = Field(ge=-20, le=20)
    asc_resale: float = Field(ge=-20, le=20)
    asc_resale_low_income: float = Field(ge=-20, le=20)
    resale_attitude_weight: float = Field(ge=0, le=2)
    beta_attitude: float = Field(ge=0, le=20)
    beta_norm: float = Field(ge=0, le=20)
    beta_distance_per_km: float = Field(ge=0, le=20)
    worn_out_collection_penalty: float = Field(ge=-10, le=0)
    # repair
    repair_base_share: float = Share
    repair_cost_eur: float = Field(gt=0, le=500)
    repair_price_sensitivity: float = Field(ge=0, le=5)
    repair_cost_sigma: float = Field(ge=0, le=2)
    repair_hassle_eur: float = Field(gt=0, le=200)    # else a free repair is infinitely attractive
    repair_attitude_weight: float = Share
    repair_share_max: float = Share
    repair_life_extension_months: float = Field(ge=0, le=120)
    kg_per_repair: float = Field(gt=0, le=5)
    # second hand
    secondhand_share_mean: float = Share
    initial_second_hand_share: float = Share
    secondhand_awareness_gain: float = Field(ge=0, le=1)
    displacement_rate: float = Share
    secondhand_life_months_factor: float = Field(gt=0, le=2)
    secondhand_share_max: float = Share
    low_income_secondhand_factor: float = Field(ge=0, le=5)
    unsold_listing_donation_share: float = Field(gt=0, le=1)   # else unsold listings never leave
    # consumption as a choice: a desired stock in use, a budget, use intensity
    budget_eur_per_person_month: float = Field(gt=0, le=1000)
    buy_less_gain: float = Field(ge=0, le=2)
    fashion_turnover: float = Field(gt=0.2, le=3)
    keep_longer_gain: float = Field(ge=0, le=2)
    dormant_months: PerCategory
    gift_share: ShareByCategory
    rag_share: ShareByCategory
    bulky_share: ShareByCategory
    rag_months: float = Field(ge=1, le=120)          # else rags would pile up for ever
    separate_route_asc: OffsetByCategory
    resale_route_asc: OffsetByCategory
    kg_per_item: PerCategory
    need_norm_kg_per_person_year: float = Field(ge=0, le=100)
    secondhand_expectation_rate: float = Field(gt=0, le=1)

    @field_validator("dormant_months", "kg_per_item")
    @classmethod
    def _positive(cls, v: PerCategory) -> PerCategory:
        if min(v.as_tuple()) <= 0:
            raise ValueError("every category needs a value above 0")
        return v


class Firms(Strict):
    """Fashion brands and retailers placing garments on the metro's market."""

    count: int = Field(ge=1, le=2000)
    size_shares: dict[Literal["small", "medium", "large"], float]
    relative_volume: PerSize
    volume_sigma: float = Field(ge=0, le=3)
    city_share: float = Share
    unsold_share: float = Field(ge=0, lt=0.9)
    cutting_waste_share: float = Field(ge=0, lt=0.9)
    local_production_share: float = Share
    price_eur_per_kg: float = Field(gt=0)
    unit_cost_eur_per_kg: float = Field(ge=0, le=1000)
    price_elasticity: float = Field(ge=0, le=5)
    recycled_content: float = Share
    durability: float = Field(gt=0.2, le=5)
    durability_change_per_year: float = Field(ge=-0.1, le=0.1)
    discount_share_max: float = Share
    brand_protection_eur_per_kg: PerSize
    brand_protection_sigma: float = Field(ge=0, le=3)
    donation_value_eur_per_kg: float = Field(ge=-50, le=50)
    scrap_value_eur_per_kg: float = Field(ge=-50, le=50)
    disposal_fee_eur_per_t: float = Field(ge=0)
    innovation_cost_eur: float = Field(ge=0)
    innovation_peer_weight: float = Field(ge=0, le=20)
    innovation_rate: float = Share
    innovation_payoff_weight: float = Field(ge=0, le=50)
    innovation_horizon_years: float = Field(gt=0, le=30)
    durable_design_factor: float = Field(gt=1, le=3)
    recycled_content_target: float = Field(gt=0, le=1)
    repair_service_uplift: float = Share
    recycled_fibre_premium_eur_per_kg: float = Field(ge=0, le=10)
    repair_service_margin_eur_per_kg: float = Field(ge=0, le=10)
    take_back_margin_eur_per_kg: float = Field(ge=0, le=10)
    take_back_fee_relief_share: float = Share
    recycled_fibre_stock_share: float = Field(ge=0, le=2)

    @field_validator("size_shares")
    @classmethod
    def _shares_sum(cls, v: dict[str, float]) -> dict[str, float]:
        return sums_to_one(v)


class PerSize(Strict):
    small: float = Field(ge=0)
    medium: float = Field(ge=0)
    large: float = Field(ge=0)


Firms.model_rebuild()


class Cooperatives(Strict):
    """Social cooperatives: collection bins, sorting, shops, free distribution."""

    count: int = Field(ge=1, le=100)
    bins_per_10k_residents: float = Field(ge=0, le=100)
    bin_capacity_kg_month: float = Field(gt=0)
    sorting_capacity_t_month: float = Field(gt=0)
    investment_trigger_months: int = Field(ge=1, le=60)
    investment_step_share: float = Field(gt=0, le=2)
    investment_eur_per_t_month: float = Field(ge=0, le=100_000)
    exit_debt_months: float = Field(ge=0, le=120)
    rewearable_share_out_of_use: ShareByCategory
    rewearable_share_worn_out: float = Share
    condition_loss_per_year: float = Field(ge=0, le=1)
    recyclable_share_of_rest: ShareByCategory
    free_distribution_share: float = Share
    parcel_kg: float = Field(gt=0, le=100)
    shop_price_eur_per_kg: float = Field(ge=0)
    shop_sales_share_max: float = Share
    shop_share_adjust_rate: float = Share
    export_price_eur_per_kg: float = Field(ge=0, le=20)
    export_cost_eur_per_kg: float = Field(ge=0, le=5)
    export_reference_condition: float = Field(gt=0, le=1)
    abroad_reuse_share: float = Share
    recyclable_price_eur_per_kg: float = Field(ge=-5, le=5)
    disadvantaged_worker_share: float = Share
    cost_eur_per_t_sorted: float = Field(ge=0)
    cost_eur_per_bin_month: float = Field(ge=0)
    shop_stock_months: float = Field(ge=0, le=36)
    free_stock_months: float = Field(ge=0, le=36)
    storage_months: float = Field(ge=0, le=24)
    min_staff_fte: float = Field(ge=0, le=1000)
    staffing_adjustment_per_month: float = Field(gt=0, le=1)
    no_area_capacity_share: float = Field(gt=0, le=1)


class OffsetByCategory(PerCategory):
    """One utility offset per product category (any sign)."""

    clothing: float = Field(ge=-20, le=20)
    footwear: float = Field(ge=-20, le=20)
    household: float = Field(ge=-20, le=20)


class ShareByCategory(PerCategory):
    """One share in [0, 1] per product category."""

    clothing: float = Share
    footwear: float = Share
    household: float = Share


Households.model_rebuild()
Cooperatives.model_rebuild()


class Recyclers(Strict):
    """Mechanical and chemical recyclers taking pre- and post-consumer feedstock."""

    count: int = Field(ge=0, le=100)
    capacity_t_month: float = Field(ge=0)
    yield_share: float = Field(gt=0, le=1)
    gate_fee_eur_per_t: float = Field(ge=-1000, le=1000)
    fibre_price_eur_per_kg: float = Field(ge=0)
    fibre_to_fibre_share: float = Share
    processing_cost_eur_per_t: float = Field(ge=0)
    entry_backlog_months: int = Field(ge=1, le=60)
    exit_debt_months: float = Field(ge=0, le=120)
    entry_cost_eur: float = Field(ge=0)
    storage_months: float = Field(ge=0, le=24)
    full_room_share: float = Share
    entry_payback_years: float = Field(gt=0, le=30)
    max_entries_per_year: int = Field(ge=0, le=50)


class Exchange(Strict):
    """Industrial symbiosis: who can trade byproducts with whom, at what cost."""

    reach_km: float = Field(gt=0, le=500)
    site_radius_share: float = Field(gt=0, le=1)     # of a disc of the zone's area
    transport_eur_per_tkm: float = Field(ge=0)
    transaction_cost_eur_per_t: float = Field(ge=0)
    trust_gain_per_month: float = Share
    trust_decay_per_month: float = Share
    platform_uptake_per_month: float = Share


class Service(Strict):
    """An accessory service co-located firms may buy together (security, cleaning, ...)."""

    cost_eur_per_employee_year: float = Field(ge=0, le=100_000)
    saving_share: float = Share          # of the bill, reached by a large group
    setup_eur_per_member: float = Field(ge=0, le=10_000_000)


class Utility(Service):
    """Shared infrastructure (water, heat, wastewater): also saves energy."""

    kwh_per_employee_year: float = Field(ge=0, le=1_000_000)


class Services(Strict):
    water: Utility
    heat: Utility
    wastewater: Utility
    security: Service
    cleaning: Service
    catering: Service
    logistics: Service


class SharedServices(Strict):
    """Co-located firms sharing infrastructure and accessory services in groups."""

    services: Services
    coordination_eur_per_member_month: float = Field(ge=0, le=100_000)
    min_group_size: int = Field(ge=2, le=100)
    radius_km: float = Field(gt=0, le=100)
    consider_rate_per_month: float = Share       # at full symbiosis awareness
    interest_months: int = Field(ge=1, le=120)
    leave_rate_per_month: float = Share
    payback_years: float = Field(gt=0, le=30)
    co2e_kg_per_kwh: float = Field(ge=0, le=2)


class Machinery(Strict):
    """Disused machines of fashion and design firms and the new enterprises that reuse them."""

    holder_sectors: list[str] = Field(min_length=1)      # ATECO divisions holding machines
    idle_machines_per_employee_year: float = Field(ge=0, le=10)
    new_machine_eur: float = Field(gt=0, le=1_000_000)
    depreciation_per_year: float = Field(ge=0, lt=1)
    max_age_years: float = Field(gt=0, le=100)
    scrap_rate_per_month: float = Field(gt=0, le=1)      # else idle machines pile up forever
    maker_entries_per_year: float = Field(ge=0, le=10_000)
    maker_entry_cost_eur: float = Field(gt=0, le=10_000_000)
    entry_cost_elasticity: float = Field(ge=0, le=10)
    machines_per_entrant: int = Field(ge=1, le=100)
    search_radius_km: float = Field(gt=0, le=500)
    visibility_share: float = Share
    transfer_eur_per_machine: float = Field(ge=0, le=100_000)
class SymbiosisRoute(Strict):
    """A recycling or substitution route: its quality limit and the virgin input it replaces."""

    min_quality: float = Share
    virgin_price_eur_per_kg: float = Field(ge=0, le=50)
    virgin_co2_kg_per_kg: float = Field(ge=0, le=100)


class Symbiosis(Strict):
    """Firms of several sectors, their streams, and how they find and keep partners."""

    agents_per_sector_province: int = Field(ge=1, le=200)
    max_firms_per_agent: float = Field(ge=1, le=100_000)
    firm_count_factor: float = Field(gt=0, le=5)
    byproduct_factor: float = Field(ge=0, le=10)
    need_factor: float = Field(ge=0, le=10)
    fibre_mix: dict[Literal["cotton", "polyester", "wool", "blend"], float]
    pre_consumer_quality: float = Share
    post_consumer_quality: float = Share
    quality_concentration: float = Field(gt=0, le=10_000)
    routes: dict[Literal["mechanical", "chemical", "nonwovens", "insulation", "fillers",
                         "paper", "plastics", "panels"], SymbiosisRoute]
    byproduct_value_share: float = Field(gt=0, le=1)
    reservation_sigma: float = Field(ge=0, le=2)
    awareness_mean: float = Field(gt=0, lt=1)
    awareness_concentration: float = Field(gt=0, le=100)
    neighbourhood_km: float = Field(ge=0, le=100)
    network_contacts: int = Field(ge=0, le=50)
    contract_months: int = Field(ge=1, le=120)
    setup_cost_eur: float = Field(ge=0, le=100_000)
    bad_experience_per_month: float = Share
    virgin_transport_km: float = Field(ge=0, le=5000)
    fashion_firms_represented: int = Field(ge=1, le=100_000)
    fashion_employees: PerSize
    fashion_size_shares: PerSize
    handling_hours_per_t: float = Field(ge=0, le=100)

    @field_validator("fibre_mix")
    @classmethod
    def _mix_sums(cls, v: dict[str, float]) -> dict[str, float]:
        return sums_to_one(v)

    @field_validator("fashion_size_shares")
    @classmethod
    def _sizes_sum(cls, v: PerSize) -> PerSize:
        sums_to_one(v.model_dump())
        return v


class Waste(Strict):
    landfill_share_of_residual: float = Share
    incineration_fee_eur_per_t: float = Field(ge=0)
    landfill_fee_eur_per_t: float = Field(ge=0)


class Climate(Strict):
    """Emission factors in kg CO2e, and the distances and displacement they apply to."""

    production_kg_per_kg: float = Field(ge=0)
    recycled_fibre_saving_kg_per_kg: float = Field(ge=0)
    export_displacement_rate: float = Share
    incineration_kg_per_kg: float = Field(ge=0)
    landfill_kg_per_kg: float = Field(ge=0)
    transport_kg_per_tkm: float = Field(ge=0)
    road_km_per_straight_km: float = Field(ge=1, le=3)
    export_road_km: float = Field(ge=0, le=5000)
    export_sea_km: float = Field(ge=0, le=30000)
    sea_transport_kg_per_tkm: float = Field(ge=0)


class Labour(Strict):
    """Hours of work per unit of each activity performed, and the hours of a full-time job."""

    hours_per_fte_month: float = Field(gt=0, le=250)
    collection_hours_per_t: float = Field(ge=0, le=100)
    bin_emptyings_per_month: float = Field(ge=0, le=62)
    hours_per_bin_emptied: float = Field(ge=0, le=5)
    sorting_hours_per_t: float = Field(ge=0, le=100)
    shop_hours_per_t_sold: float = Field(ge=0, le=1000)
    hours_per_parcel: float = Field(ge=0, le=10)
    hours_per_repair: float = Field(ge=0, le=10)
    recycling_hours_per_t: float = Field(ge=0, le=100)
    wage_eur_per_fte_month: float = Field(ge=0, le=20000)


class Lever(Strict):
    """A policy lever: off unless enabled, active from start_month (1 = first month)."""

    enabled: bool = False
    start_month: int = Field(default=1, ge=1, le=1200)
    end_month: int | None = Field(default=None, ge=1, le=1200)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Lever:
        if self.end_month is not None and self.end_month < self.start_month:
            raise ValueError(f"end_month ({self.end_month}) is before start_month "
                             f"({self.start_month})")
        return self

    def active(self, month: int) -> bool:
        """Whether the lever acts in ``month`` (1-based)."""
        if not self.enabled or month < self.start_month:
            return False
        return self.end_month is None or month <= self.end_month


class Epr(Lever):
    fee_eur_per_kg: float = Field(default=0.12, ge=0, le=20)
    durability_bonus: float = Field(default=0.3, ge=0, le=1)
    recycled_content_bonus: float = Field(default=0.3, ge=0, le=1)
    collection_funding_share: float = Field(default=0.5, ge=0, le=1)


class DestructionBan(Lever):
    firm_sizes: list[Literal["small", "medium", "large"]] = ["large"]
    medium_firms_from_month: int | None = Field(default=None, ge=1, le=1200)


class LandfillTax(Lever):
    eur_per_t: float = Field(default=25.82, ge=0, le=1000)
    incineration_share: float = Field(default=0.2, ge=0, le=1)


class Collection(Lever):
    """More textile bins: the public budget buys the bins added above today's density
    (annualised over their life) and pays the cooperatives a share of their running cost."""

    bins_per_10k_residents: float = Field(default=6.0, ge=0, le=100)
    capital_eur_per_bin: float = Field(default=1200.0, ge=0, le=20_000)
    bin_life_years: float = Field(default=10.0, gt=0, le=50)
    public_running_share: float = Field(default=1.0, ge=0, le=1)


class AwarenessCampaign(Lever):
    reach_share_per_month: float = Field(default=0.05, ge=0, le=1)
    effect: float = Field(default=0.3, ge=0, le=1)
    cost_eur_per_household_reached: float = Field(default=2.0, ge=0, le=100)


class RepairSubsidy(Lever):
    eur_per_repair: float = Field(default=15.0, ge=0, le=200)
    max_share_of_bill: float = Field(default=0.6, ge=0, le=1)


class DeclutteringCampaign(Lever):
    reach_share_per_month: float = Field(default=0.03, ge=0, le=1)
    release_share: float = Field(default=0.3, ge=0, le=1)
    cost_eur_per_household_reached: float = Field(default=1.5, ge=0, le=100)


class ResalePlatform(Lever):
    resale_utility_gain: float = Field(default=0.5, ge=0, le=5)
    dormant_release_gain: float = Field(default=0.25, ge=0, le=5)
    operating_cost_eur_per_month: float = Field(default=20_000.0, ge=0, le=1e7)


class SymbiosisPlatform(Lever):
    reach_km: float = Field(default=60.0, gt=0, le=500)
    transaction_cost_reduction: float = Field(default=0.6, ge=0, le=1)
    participation_threshold: float = Field(default=0.15, ge=0, le=1)
    operating_cost_eur_per_month: float = Field(default=5000.0, ge=0, le=1e7)


class SymbiosisProgramme(Lever):
    """A regional symbiosis programme: mapping, training, workshops, support, guidelines."""

    budget_eur: float = Field(default=400_000.0, ge=0, le=1e9)
    duration_months: int = Field(default=24, ge=1, le=240)
    mapping_share: float = Field(default=0.05, ge=0, le=1)
    mapping_awareness_gain: float = Field(default=0.1, ge=0, le=1)
    trained_firms: float = Field(default=300.0, ge=0, le=1e6)
    training_awareness_gain: float = Field(default=0.3, ge=0, le=1)
    workshops: int = Field(default=2, ge=0, le=100)
    workshop_group_size: int = Field(default=8, ge=2, le=100)
    workshop_awareness_gain: float = Field(default=0.5, ge=0, le=1)
    support_cost_reduction: float = Field(default=0.5, ge=0, le=1)
    guidelines_awareness_gain: float = Field(default=0.05, ge=0, le=1)


class EnterpriseSupport(Lever):
    entry_cost_reduction: float = Field(default=0.5, ge=0, le=1)
    coop_sorting_grant_t_month: float = Field(default=0.0, ge=0)
    max_new_per_year: int = Field(default=2, ge=0, le=50)
    reach_target_share: float = Field(default=0.9, ge=0, le=1)
    review_months: int = Field(default=6, ge=1, le=120)
    hub_free_distribution_share: float = Field(default=0.24, ge=0, le=1)
    hub_setup_eur: float = Field(default=150_000.0, ge=0, le=1e8)


class SharedServicesSupport(Lever):
    consider_rate_boost: float = Field(default=0.03, ge=0, le=1)
    setup_subsidy_share: float = Field(default=0.5, ge=0, le=1)
    facilitation_eur_per_month: float = Field(default=8000.0, ge=0, le=1_000_000)
    budget_eur: float = Field(default=1_000_000.0, ge=0)


class MachineryMarketplace(Lever):
    visibility_share: float = Field(default=0.8, ge=0, le=1)
    reach_km: float = Field(default=60.0, gt=0, le=500)
    transfer_subsidy_share: float = Field(default=0.5, ge=0, le=1)
    operation_eur_per_month: float = Field(default=4000.0, ge=0, le=1_000_000)
    budget_eur: float = Field(default=500_000.0, ge=0)


class Policies(Strict):
    epr: Epr = Epr()
    destruction_ban: DestructionBan = DestructionBan()
    landfill_tax: LandfillTax = LandfillTax()
    collection: Collection = Collection()
    awareness_campaign: AwarenessCampaign = AwarenessCampaign()
    repair_subsidy: RepairSubsidy = RepairSubsidy()
    symbiosis_platform: SymbiosisPlatform = SymbiosisPlatform()
    symbiosis_programme: SymbiosisProgramme = SymbiosisProgramme()
    enterprise_support: EnterpriseSupport = EnterpriseSupport()
    decluttering_campaign: DeclutteringCampaign = DeclutteringCampaign()
    resale_platform: ResalePlatform = ResalePlatform()
    shared_services_support: SharedServicesSupport = SharedServicesSupport()
    machinery_marketplace: MachineryMarketplace = MachineryMarketplace()


LEVERS = tuple(Policies.model_fields)


class Scenario(Strict):
    """A complete, validated scenario: parameters, policies and run settings."""

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    #: What people read instead of the id (reports, dashboard); not inherited by ``extends``.
    label: str = Field(default="", max_length=80)
    label_it: str = Field(default="", max_length=80)
    description_it: str = ""
    months: int = Field(ge=1, le=1200)
    scale: float = Field(gt=0, le=1)
    seed: int = Field(ge=0, le=2**63 - 1)
    start_year: int = Field(default=2026, ge=1990, le=2100)
    warmup_months: int = Field(default=0, ge=0, le=600)
    population: Population
    households: Households
    firms: Firms
    cooperatives: Cooperatives
    recyclers: Recyclers
    exchange: Exchange
    shared_services: SharedServices
    machinery: Machinery
    symbiosis: Symbiosis
    waste: Waste
    climate: Climate
    labour: Labour
    policies: Policies = Policies()
    sources: dict[str, str] = {}
    uncertainty: dict[str, Range] = {}

    @field_validator("name", "label", "label_it")
    @classmethod
    def _plain(cls, v: str) -> str:
        return plain_text(v)

    def size_problem(self) -> str | None:
        """A message if the run would simulate more households than the limit allows."""
        simulated = self.population.households * self.scale
        limit = SIMULATED_HOUSEHOLDS.value()
        if simulated <= limit:
            return None
        return (f"households x scale = {simulated:,.0f} households to simulate; the limit is "
                f"{limit:,} (lower `scale`, or {SIMULATED_HOUSEHOLDS.how_to_raise()})")

    def title(self, lang: str = "en") -> str:
        """The scenario's name for people in ``lang``: its label, else its id."""
        own = self.label_it if lang == "it" else ""
        return own or self.label or self.name

    def describe(self, lang: str = "en") -> str:
        """Its description in ``lang`` (English where no translation is given)."""
        own = self.description_it if lang == "it" else ""
        return " ".join((own or self.description).split())


#: Keys that belong to one scenario file alone: a file that ``extends`` another does not
#: inherit its words (a policy scenario must not read "Baseline: Milan as it is").
OWN_WORDS = ("description", "label", "label_it", "description_it")
