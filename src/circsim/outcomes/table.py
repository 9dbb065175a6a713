"""The outcome table: every outcome of circsim, declared once.

Tonnes (``_t``) and money (``_eur``) are metro-equivalent: simulated amounts divided by
the run's scale. Per-capita figures use the simulated residents. Shares are in [0, 1].
Adding an outcome means adding one entry here (and, if it needs a new tally, recording
that tally where the flow happens): the monthly record, the summary, the command line,
experiments, the report, the dashboard and ``circsim outcomes`` follow.
"""

from __future__ import annotations

from circsim.households import REACH_WINDOW_MONTHS
from circsim.outcomes.core import Outcome as O
from circsim.outcomes.money import MONEY
from circsim.outcomes.view import ratio

_REACH = f"in the last {REACH_WINDOW_MONTHS} months"

WASTE = (
    O("residual_waste_t", "t", "waste", "Textile waste over the run",
      "Rifiuti tessili nel periodo",
      "Textiles of the metro sent to incineration or landfill (households' residual bin, "
      "sorting residues, destroyed and disposed unsold goods, scraps, recycling losses); "
      "a run's total.",
      lambda v: v.residual_waste * v.t, "sum", better="less", headline=4),
    O("textile_waste_incl_abroad_t", "t", "waste", "Textile waste, abroad included",
      "Rifiuti tessili, estero compreso",
      "Textile waste over the run wherever it ends: incineration and landfill of the "
      "metro's textiles plus exported used clothing never worn again (waste abroad).",
      lambda v: (v.residual_waste + v.waste_abroad) * v.t, "sum", better="less",
      headline=5),
    O("residual_waste_t_per_year", "t/yr", "waste", "Textile waste per year",
      "Rifiuti tessili all'anno",
      "The run's total textile waste to incineration and landfill divided by its years.",
      aggregate="per_year", of="residual_waste_t", better="less"),
    O("residual_waste_kg_per_capita_year", "kg/inh/yr", "waste", "Textile waste per resident",
      "Rifiuti tessili per abitante",
      "Textile waste to incineration and landfill per resident, annualised; the run's "
      "value is the mean over its months.",
      lambda v: v.per_capita_year(v.residual_waste), "mean", better="less", headline=1,
      colour="#D55E00"),
    O("household_residual_kg_per_capita_year", "kg/inh/yr", "waste",
      "Textiles in households' residual bin", "Tessili nell'indifferenziato delle famiglie",
      "Textiles households throw in the residual bin (bin overflow and collection refused "
      "by full cooperatives included), per resident.",
      lambda v: v.per_capita_year(v.residual_bin), "mean", better="less"),
    O("bulky_waste_kg_per_capita_year", "kg/inh/yr", "waste",
      "Household textiles thrown as bulky waste", "Tessili casa conferiti come ingombranti",
      "Carpets, curtains and duvets households take to recycling centres as bulky waste "
      "(to incineration or landfill), per resident.",
      lambda v: v.per_capita_year(v.bulky), "mean", better="less"),
    O("separately_collected_kg_per_capita_year", "kg/inh/yr", "waste",
      "Textiles collected separately", "Tessili raccolti separatamente",
      "Households' textiles collected separately (bins, donations, brand take-back), "
      "per resident.",
      lambda v: v.per_capita_year(v.separate), "mean", better="more", headline=15),
    O("post_consumer_waste_kg_per_capita_year", "kg/inh/yr", "waste",
      "Post-consumer textile waste", "Rifiuti tessili post-consumo",
      "Households' residual bin, bulky waste and separate collection, per resident (peer "
      "listings excluded).",
      lambda v: v.per_capita_year(v.separate + v.thrown), "mean", better="less"),
    O("discarded_kg_per_capita_year", "kg/inh/yr", "waste", "Textiles discarded",
      "Tessili dismessi",
      "Garments leaving households by any route (not repaired), per resident.",
      lambda v: v.per_capita_year(v.discarded), "mean", better="less"),
    O("collection_rate", "share", "waste", "Collection rate", "Tasso di raccolta separata",
      "Separate collection over separate collection plus the residual bin and bulky waste; "
      "the run's value is the ratio of the totals.",
      num=lambda v: v.separate, den=lambda v: v.separate + v.thrown,
      aggregate="ratio", better="more", headline=8),
    O("bin_overflow_share", "share", "waste", "Bin deposits turned away by full bins",
      "Conferimenti respinti da cassonetti pieni",
      "Textiles households meant for a collection bin that found it full (and put in the "
      "residual bin instead), over all they meant for bins; ratio of the run's totals.",
      num=lambda v: v.d.bin_overflow_kg, den=lambda v: v.bins + v.d.bin_overflow_kg,
      aggregate="ratio", better="less"),
    O("collection_refused_share", "share", "waste", "Collection refused by full cooperatives",
      "Raccolta respinta da cooperative piene",
      "Bin deposits, donations and take-back that cooperatives with a full store refused "
      "(the bins stay full; they end in the residual bin), over all households brought; "
      "ratio of the run's totals.",
      num=lambda v: v.refused, den=lambda v: v.separate + v.refused, aggregate="ratio",
      better="less"),
    O("destroyed_share_of_production", "share", "waste", "Unsold goods destroyed",
      "Invenduto distrutto",
      "Unsold goods destroyed over garments produced (ratio of totals over the run).",
      num=lambda v: v.routed("destruction"), den=lambda v: v.tally["production_kg"],
      aggregate="ratio", better="less"),
)

LIFE = (
    O("mean_service_life_months", "months", "life", "Service life of garments",
      "Durata d'uso dei capi",
      "Mean age (months since production) of garments ending their use in the metro "
      "(residual or collection bin), weighted by mass.",
      num=lambda v: v.d.eol_age_kg_months, den=lambda v: v.d.eol_kg, aggregate="ratio",
      better="more", headline=2, colour="#0072B2"),
    O("mean_owners_per_garment", "owners", "life", "Owners per garment",
      "Proprietari per capo",
      "Mean number of owners of garments ending their use, weighted by mass.",
      num=lambda v: v.d.eol_owner_kg, den=lambda v: v.d.eol_kg, aggregate="ratio",
      better="more", headline=16, fmt="f2"),
    O("second_life_share", "share", "life", "Garments with a second life",
      "Capi con una seconda vita",
      "Share of garments ending their use that had more than one owner.",
      num=lambda v: v.d.eol_second_life_kg, den=lambda v: v.d.eol_kg, aggregate="ratio",
      better="more", headline=6),
    O("reuse_rate", "share", "life", "Reuse rate", "Tasso di riuso",
      "Garments reused (second hand, given free, exported and worn again) over garments "
      "discarded.",
      num=lambda v: v.secondhand + v.free + v.reuse_abroad, den=lambda v: v.discarded,
      aggregate="ratio", better="more", headline=9),
    O("repaired_t", "t", "life", "Garments repaired", "Capi riparati",
      "Worn-out garments repaired instead of discarded.",
      lambda v: v.d.repaired_kg * v.t, "sum", better="more"),
    O("repairs", "count", "life", "Repairs", "Riparazioni",
      "Repairs (repaired kg over the weight of a repaired garment).",
      lambda v: v.d.repairs / v.model.scale, "sum", better="more"),
    O("repairs_per_household_year", "count/household/yr", "life",
      "Repairs per household per year", "Riparazioni per famiglia all'anno",
      "Paid repairs per household, annualised; the run's value is the mean over its months.",
      lambda v: 12 * v.d.repairs / v.hh.n, "mean", better="more"),
    O("garments_owned_items_per_capita", "items/inh", "use", "Garments owned per resident",
      "Capi posseduti per abitante",
      "Items households hold, in use or dormant (kg over the mass of an item of each "
      "category: households.kg_per_item); the run's value is the last month's.",
      lambda v: v.hh.items_owned() / v.hh.residents, "last"),
    O("clothing_items_per_capita", "items/inh", "use", "Clothing items owned per resident",
      "Capi di abbigliamento posseduti per abitante",
      "Clothing items (footwear and household textiles aside) households hold, in use or "
      "dormant; the run's value is the last month's.",
      lambda v: v.hh.items_owned(category=0) / v.hh.residents, "last"),
    O("dormant_share", "share", "use", "Garments kept unworn", "Capi tenuti senza usarli",
      "Share of the garments households hold (by mass) that are dormant: out of use but "
      "still kept; the run's value is the last month's.",
      lambda v: v.hh.dormant_share(), "last"),
    O("dormant_released_t", "t", "use", "Unworn garments released", "Capi inutilizzati liberati",
      "Dormant garments that left wardrobes (given to family and friends or discarded by "
      "any route), of which a decluttering campaign released `decluttered_t`.",
      lambda v: v.d.released_kg * v.t, "sum"),
    O("decluttered_t", "t", "use", "Released by decluttering", "Liberati dal decluttering",
      "Dormant garments released at once by a decluttering campaign.",
      lambda v: v.d.decluttered_kg * v.t, "sum"),
    O("gifts_to_family_kg_per_capita_year", "kg/inh/yr", "use",
      "Given to family and friends", "Regalati a parenti e amici",
      "Garments passed on to family and friends (they stay in use, displacing purchases), "
      "per resident, annualised; the run's value is the mean over its months.",
      lambda v: v.per_capita_year(v.d.gifted_kg), "mean", better="more"),
    O("rags_kg_per_capita_year", "kg/inh/yr", "use", "Reused as rags at home",
      "Riusati come stracci in casa",
      "Worn-out textiles kept as rags (they reach the residual bin a while later), per "
      "resident, annualised; the run's value is the mean over its months.",
      lambda v: v.per_capita_year(v.d.rags_in_kg), "mean"),
)

LOW_INCOME = (
    O("low_income_reach_share", "share", "low_income", "Low-income households reached",
      "Famiglie a basso reddito raggiunte",
      f"Share of low-income households that received free garments {_REACH}; the run's "
      "value is the last month's.",
      lambda v: v.hh.low_income_reach(v.model.month), "last", better="more", headline=3,
      colour="#009E73"),
    O("low_income_households_reached", "count", "low_income",
      "Low-income households reached (number)", "Famiglie a basso reddito raggiunte (numero)",
      f"Low-income households of the metro that received free garments {_REACH} (the "
      "reach share times the low-income households); the run's value is the last month's.",
      lambda v: v.hh.low_income_reach(v.model.month) * v.n_low / v.model.scale, "last",
      better="more"),
    O("low_income_kg_per_household_year", "kg/household/yr", "low_income",
      "Free garments per household", "Capi gratuiti per famiglia",
      f"Free garments given {_REACH}, per low-income household; the run's value is the "
      "last month's.",
      lambda v: (v.recent("free_given_t", REACH_WINDOW_MONTHS) / v.t + v.free) / v.n_low,
      "last", better="more", headline=7),
    O("unmet_need_kg_per_low_income_household", "kg/household", "low_income",
      "Unmet need per low-income household", "Bisogno non coperto per famiglia",
      "How far low-income households short of garments fell below the flow norm "
      "(households.need_norm_kg_per_person_year / 12 a person) in what they got this month "
      "(gifts, free, second hand, new), each month counted once.",
      lambda v: v.a.unmet_low_income_kg / v.n_low, "mean", better="less"),
    O("unmet_need_kg_per_low_income_household_year", "kg/household/yr", "low_income",
      "Unmet need per low-income household per year",
      "Bisogno non coperto per famiglia all'anno",
      "Monthly unmet need per low-income household, mean over the run, times 12.",
      aggregate="annual", of="unmet_need_kg_per_low_income_household", better="less"),
    O("free_recipients", "count", "low_income", "Households given free garments",
      "Famiglie che ricevono capi gratuiti",
      "Households that received a parcel of free garments this month.",
      lambda v: v.a.free_recipients / v.model.scale, "mean", better="more"),
    O("low_income_households_share", "share", "low_income", "Low-income households",
      "Famiglie a basso reddito",
      "Share of households that are low-income (an input, reported for checks).",
      aggregate="end", at_end=lambda m: float(m.households.low_income.mean())),
)

FLOWS = (
    O("placed_on_market_t", "t", "flows", "Garments sold new", "Capi venduti nuovi",
      "New garments sold to households, fresh or discounted.",
      lambda v: v.new_sales * v.t, "sum"),
    O("production_t", "t", "flows", "Garments produced", "Capi prodotti",
      "Garments produced for the metro's market (unsold goods included).",
      lambda v: v.tally["production_kg"] * v.t, "sum"),
    O("virgin_fibre_t", "t", "flows", "Virgin fibre used", "Fibra vergine usata",
      "Virgin fibre in the fabric of new garments (cutting scraps included).",
      lambda v: v.tally["virgin_fibre_kg"] * v.t, "sum", better="less"),
    O("new_purchases_kg_per_capita_year", "kg/inh/yr", "flows", "New textiles bought",
      "Tessili nuovi acquistati", "New garments bought per resident, annualised.",
      lambda v: v.per_capita_year(v.new_sales), "mean"),
    O("consumption_kg_per_capita_year", "kg/inh/yr", "flows", "Textiles acquired",
      "Tessili acquisiti",
      "Garments acquired per resident: new, second hand and given free.",
      lambda v: v.per_capita_year(v.new_sales + v.secondhand + v.free), "mean"),
    O("secondhand_share_of_acquisitions", "share", "flows", "Second-hand share of acquisitions",
      "Quota di seconda mano sugli acquisti",
      "Garments bought second hand or given free over all garments acquired (new, second "
      "hand, free); ratio of the run's totals.",
      num=lambda v: v.secondhand + v.free, den=lambda v: v.new_sales + v.secondhand + v.free,
      aggregate="ratio"),
    O("discarded_t", "t", "flows", "Garments discarded", "Capi dismessi",
      "Garments leaving households (not repaired), by any route.",
      lambda v: v.discarded * v.t, "sum", better="less"),
    O("residual_bin_t", "t", "flows", "Households' residual bin", "Indifferenziato",
      "Textiles households throw in the residual bin (bin overflow and refused collection "
      "included).",
      lambda v: v.residual_bin * v.t, "sum", better="less"),
    O("bin_overflow_t", "t", "flows", "Bin overflow", "Cassonetti pieni",
      "Textiles meant for a collection bin that was full, diverted to the residual bin.",
      lambda v: v.d.bin_overflow_kg * v.t, "sum", better="less"),
    O("collection_refused_t", "t", "flows", "Collection refused", "Raccolta respinta",
      "Households' deposits that cooperatives with a full store refused, diverted to the "
      "residual bin.", lambda v: v.refused * v.t, "sum", better="less"),
    O("collected_bins_t", "t", "flows", "Collected in bins", "Raccolti nei cassonetti",
      "Households' textiles put in collection bins.", lambda v: v.bins * v.t, "sum"),
    O("donated_t", "t", "flows", "Donated by households", "Donati dalle famiglie",
      "Households' garments given directly to cooperatives.",
      lambda v: v.donated * v.t, "sum"),
    O("take_back_t", "t", "flows", "Brand take-back", "Ritiro nei negozi",
      "Households' garments returned through brands' take-back.",
      lambda v: v.take_back * v.t, "sum"),
    O("resale_listed_t", "t", "flows", "Listed for peer resale", "Messi in vendita tra privati",
      "Households' garments listed for peer resale.", lambda v: v.listed * v.t, "sum"),
    O("secondhand_bought_t", "t", "flows", "Bought second hand", "Acquistati di seconda mano",
      "Garments bought in charity shops and from peers.",
      lambda v: v.secondhand * v.t, "sum"),
    O("free_given_t", "t", "flows", "Given free", "Donati gratuitamente",
      "Garments cooperatives gave free to low-income households.",
      lambda v: v.free * v.t, "sum", better="more"),
    O("firm_donations_t", "t", "flows", "Unsold goods donated", "Invenduto donato",
      "Firms' unsold goods given to cooperatives.",
      lambda v: v.tally["firm_donations_kg"] * v.t, "sum"),
    O("sorted_t", "t", "flows", "Sorted by cooperatives", "Selezionati dalle cooperative",
      "Collected textiles sorted into grades.", lambda v: v.tally["sorted_kg"] * v.t, "sum"),
    O("sorted_rewearable_t", "t", "flows", "Sorted rewearable", "Selezionati riutilizzabili",
      "The rewearable grade of what was sorted.",
      lambda v: v.tally["sorted_rewearable_kg"] * v.t, "sum"),
    O("sorted_recyclable_t", "t", "flows", "Sorted recyclable", "Selezionati riciclabili",
      "The recyclable grade of what was sorted.",
      lambda v: v.tally["sorted_recyclable_kg"] * v.t, "sum"),
    O("sorted_rewearable_share", "share", "flows", "Rewearable share of sorting",
      "Quota riutilizzabile della selezione", "Rewearable grade over all sorted.",
      num=lambda v: v.tally["sorted_rewearable_kg"], den=lambda v: v.tally["sorted_kg"],
      aggregate="ratio"),
    O("sorted_recyclable_share", "share", "flows", "Recyclable share of sorting",
      "Quota riciclabile della selezione", "Recyclable grade over all sorted.",
      num=lambda v: v.tally["sorted_recyclable_kg"], den=lambda v: v.tally["sorted_kg"],
      aggregate="ratio"),
    O("destroyed_t", "t", "flows", "Unsold goods destroyed", "Invenduto distrutto",
      "Firms' unsold goods destroyed.", lambda v: v.routed("destruction") * v.t, "sum",
      better="less"),
    O("incinerated_t", "t", "flows", "Incinerated", "Incenerito",
      "Textiles incinerated (with energy recovery).", lambda v: v.incinerated * v.t, "sum",
      better="less"),
    O("landfilled_t", "t", "flows", "Landfilled", "In discarica", "Textiles landfilled.",
      lambda v: v.landfilled * v.t, "sum", better="less"),
    O("exported_reuse_t", "t", "flows", "Exported and worn again", "Esportati e riusati",
      "Used garments exported that are worn again abroad.",
      lambda v: v.reuse_abroad * v.t, "sum"),
    O("exported_waste_t", "t", "flows", "Exported and never worn again",
      "Esportati e mai più indossati",
      "Used garments exported that are never worn again (waste abroad).",
      lambda v: v.waste_abroad * v.t, "sum", better="less"),
    O("recycled_out_t", "t", "flows", "Recycled fibre to other sectors",
      "Fibra riciclata ad altri settori",
      "Recycled fibre sold outside the textile loop (open-loop recycling).",
      lambda v: v.recycled_out * v.t, "sum"),
    O("recycled_fibre_to_firms_t", "t", "flows", "Recycled fibre in new fabric",
      "Fibra riciclata in nuovi tessuti", "Recycled fibre spun into firms' new fabric.",
      lambda v: v.recycled_to_firms * v.t, "sum", better="more"),
    O("recycling_rate", "share", "flows", "Recycling rate", "Tasso di riciclo",
      "Recycled fibre produced over textile waste arising (discards, scraps, unsold goods "
      "leaving firms); the run's value is the mean of the monthly rates.",
      lambda v: ratio(v.tally["recycled_fibre_kg"], v.arising), "mean", better="more",
      headline=10),
    O("recycled_content_share", "share", "flows", "Recycled content", "Contenuto riciclato",
      "Recycled fibre in new fabric; the run's value is the last month's.",
      lambda v: ratio(v.tally["recycled_fibre_used_kg"], v.fabric), "last", better="more"),
    O("virgin_fibre_avoided_t", "t", "flows", "Virgin fibre avoided", "Fibra vergine evitata",
      "Recycled fibre in new fabric plus the new garments that second-hand and free "
      "garments displace.",
      lambda v: (v.recycled_to_firms + (v.secondhand + v.free)
                 * v.s.households.displacement_rate) * v.t, "sum", better="more"),
)

SYMBIOSIS = (
    O("symbiosis_exchanged_t", "t", "symbiosis", "Byproducts exchanged",
      "Sottoprodotti scambiati",
      "Scraps and recyclable grades traded in the byproduct exchange.",
      lambda v: v.routed("symbiosis_exchange") * v.t, "sum", better="more", headline=11),
    O("symbiosis_links", "count", "symbiosis", "Symbiosis links", "Legami di simbiosi",
      "Pairs of partners that traded this month; the run's value is the last month's.",
      lambda v: v.model.exchange.links, "last", better="more", integer=True),
    O("shared_services_groups", "count", "symbiosis", "Shared-service groups",
      "Gruppi di servizi condivisi",
      "Groups of co-located firms sharing a utility (water, heat, wastewater treatment) or "
      "an accessory service (security, cleaning, catering, logistics); the run's value is "
      "the last month's.",
      lambda v: len(v.model.shared_services.groups), "last", better="more", integer=True),
    O("shared_services_firms", "count", "symbiosis", "Firms sharing services",
      "Imprese che condividono servizi",
      "Firms (representative agents) in at least one shared-service group (last month).",
      lambda v: v.model.shared_services.members(), "last", better="more", integer=True),
    O("shared_services_savings_eur", "EUR", "symbiosis", "Savings from shared services",
      "Risparmi dai servizi condivisi",
      "Bills firms avoid by sharing utilities and services, less the groups' coordination "
      "fees (set-up costs not deducted); a run's total.",
      lambda v: v.model.shared_services.saving_eur, "sum", better="more"),
    O("shared_services_energy_saved_mwh", "MWh", "symbiosis",
      "Energy saved by shared infrastructure", "Energia risparmiata dalle infrastrutture "
      "condivise",
      "Energy that shared water supply, heat and wastewater treatment save; a run's total.",
      lambda v: v.model.shared_services.kwh_saved / 1000, "sum", better="more"),
    O("shared_services_co2e_saved_t", "t CO2e", "symbiosis",
      "Emissions avoided by shared infrastructure",
      "Emissioni evitate dalle infrastrutture condivise",
      "The energy shared infrastructure saves times the emission factor of energy "
      "(shared_services.co2e_kg_per_kwh); a run's total, not part of co2e_t.",
      lambda v: v.model.shared_services.kwh_saved * v.s.shared_services.co2e_kg_per_kwh
      / 1000, "sum", better="more"),
    O("machines_reused", "count", "symbiosis", "Machines reused", "Macchinari riutilizzati",
      "Disused machines of fashion and design firms that new enterprises bought; a run's "
      "total.", lambda v: v.model.machinery.reused, "sum", better="more", integer=True),
    O("machines_idle", "count", "symbiosis", "Idle machines", "Macchinari inutilizzati",
      "Disused machines firms hold, neither reused nor scrapped yet (last month).",
      lambda v: v.model.machinery.idle, "last", integer=True),
    O("machines_scrapped", "count", "symbiosis", "Idle machines scrapped",
      "Macchinari inutilizzati rottamati",
      "Idle machines scrapped unused, too old or cleared by their owners; a run's total.",
      lambda v: v.model.machinery.scrapped, "sum", better="less", integer=True),
    O("maker_entries", "count", "symbiosis", "New makers and start-ups",
      "Nuovi artigiani e start-up",
      "New small enterprises (makers, artisans, start-ups, social enterprises) that set up "
      "a workshop; a run's total (not counted in new_enterprises).",
      lambda v: v.model.machinery.entrants, "sum", better="more", integer=True),
    O("machinery_entry_savings_eur", "EUR", "symbiosis", "Entry costs saved by reused machines",
      "Costi di avvio risparmiati con macchinari riutilizzati",
      "What new enterprises saved buying disused machines instead of new ones, net of "
      "what they paid to move them; a run's total.",
      lambda v: v.model.machinery.saving_eur, "sum", better="more"),
    O("symbiosis_firms_participating", "count", "symbiosis", "Firms in symbiosis",
      "Imprese in simbiosi",
      "Real firms (representative firms times the firms each stands for) that traded a "
      "byproduct this month; the run's value is the mean over its months.",
      lambda v: v.sym["participating"], "mean", better="more"),
    O("symbiosis_sectors_connected", "count", "symbiosis", "Sectors connected",
      "Settori collegati",
      "ATECO divisions (waste recovery counted as one) with a trade to a firm of another "
      "division this month; the run's value is the last month's.",
      lambda v: v.sym["sectors"], "last", better="more", integer=True),
    O("symbiosis_collaborations", "count", "symbiosis", "Symbiosis contracts running",
      "Contratti di simbiosi attivi",
      "Byproduct contracts running at the end of the month (collaborations); the run's "
      "value is the last month's.",
      lambda v: v.sym["collaborations"], "last", better="more", integer=True),
    O("symbiosis_waste_avoided_t", "t", "symbiosis", "Waste avoided by symbiosis",
      "Rifiuti evitati dalla simbiosi",
      "Byproducts and wastes exchanged instead of disposed of (every sector).",
      lambda v: v.sym["exchanged_kg"] * v.t, "sum", better="more"),
    O("symbiosis_virgin_avoided_t", "t", "symbiosis", "Virgin material avoided by symbiosis",
      "Materia vergine evitata dalla simbiosi",
      "Byproducts firms of other sectors used in place of virgin inputs, plus recycled "
      "fibre local firms bought.",
      lambda v: v.sym["virgin_avoided_kg"] * v.t, "sum", better="more"),
    O("symbiosis_co2e_avoided_t", "t CO2e", "symbiosis", "Emissions avoided by symbiosis",
      "Emissioni evitate dalla simbiosi",
      "Cradle-to-gate emissions of the virgin inputs byproducts replaced in other sectors "
      "(not part of co2e_t, which covers the textile chain).",
      lambda v: v.sym["co2e_avoided_kg"] / v.model.scale / 1000, "sum", better="more"),
    O("symbiosis_procurement_savings_eur", "EUR", "symbiosis", "Procurement savings",
      "Risparmi di approvvigionamento",
      "What buyers saved on inputs: virgin price less the byproduct's price, transport and "
      "transaction costs.",
      lambda v: v.sym["procurement_saved_eur"], "sum", better="more"),
    O("symbiosis_disposal_savings_eur", "EUR", "symbiosis", "Disposal savings",
      "Risparmi di smaltimento",
      "What sellers would have paid to dispose of what they exchanged.",
      lambda v: v.sym["disposal_saved_eur"], "sum", better="more"),
    O("symbiosis_transport_savings_eur", "EUR", "symbiosis", "Transport savings",
      "Risparmi di trasporto",
      "Haulage saved because byproducts travel less than the virgin inputs they replace.",
      lambda v: v.sym["transport_saved_eur"], "sum", better="more"),
    O("symbiosis_byproduct_revenue_eur", "EUR", "symbiosis", "Revenue from byproducts",
      "Ricavi dai sottoprodotti",
      "What sellers were paid for their byproducts.",
      lambda v: v.sym["revenue_eur"], "sum", better="more"),
    O("symbiosis_jobs", "FTE", "symbiosis", "Jobs in byproduct exchange",
      "Posti di lavoro negli scambi",
      "Full-time equivalents of handling, testing and paperwork of the month's exchanges; "
      "the run's value is the last month's.",
      lambda v: v.sym["hours"] / v.s.labour.hours_per_fte_month, "last", better="more"),
)

CLIMATE = (
    O("co2e_t", "t CO2e", "climate", "Emissions", "Emissioni",
      "Production of the metro's fabric (lower when second-hand and free garments displace "
      "new purchases), minus recycled fibre and the new garments that exports worn again "
      "displace abroad, plus incineration, landfill and transport; a run's total.",
      lambda v: v.co2e_kg / v.model.scale / 1000, "sum", better="less", headline=12),
    O("co2e_transport_t", "t CO2e", "climate", "Emissions of transport",
      "Emissioni dei trasporti",
      "Road transport from households' zones to the cooperatives and in the byproduct "
      "exchange, and road and sea transport of exports; a run's total (part of co2e_t).",
      lambda v: v.transport_co2e_kg / v.model.scale / 1000, "sum", better="less"),
)


def _activity_jobs(name: str, activity: str, en: str, it: str, what: str) -> O:
    """The full-time equivalents of one cooperative activity performed (last month)."""
    return O(name, "FTE", "social", en, it,
             f"Full-time equivalents of the {what} cooperatives performed this month (its "
             "hours over a full-time month); the run's value is the last month's.",
             lambda v: v.coop_activity_jobs(activity), "last")


SOCIAL = (
    O("jobs", "FTE", "social", "Jobs", "Posti di lavoro",
      "Full-time equivalents in cooperatives (the hours of the collection, sorting, shop "
      "and free-distribution work they performed, at least a hub's minimum staff) and "
      "recyclers (the hours of the tonnes they processed); the run's value is the last "
      "month's.",
      lambda v: v.coop_jobs + v.recycler_jobs, "last", better="more", headline=13),
    O("disadvantaged_jobs", "FTE", "social", "Jobs for disadvantaged workers",
      "Posti per lavoratori svantaggiati",
      "Cooperatives' full-time equivalents held by disadvantaged workers (last month).",
      lambda v: v.coop_jobs * v.s.cooperatives.disadvantaged_worker_share, "last",
      better="more"),
    _activity_jobs("collection_jobs", "collection", "Collection jobs", "Posti nella raccolta",
                   "collection (bins emptied, tonnes taken in)"),
    _activity_jobs("sorting_jobs", "sorting", "Sorting jobs", "Posti nella selezione",
                   "sorting"),
    _activity_jobs("shop_jobs", "shops", "Charity shop jobs", "Posti nei negozi solidali",
                   "sales in charity shops"),
    _activity_jobs("free_distribution_jobs", "free_distribution", "Free distribution jobs",
                   "Posti nella distribuzione gratuita",
                   "free distribution (parcels given)"),
    O("recycling_jobs", "FTE", "social", "Recycling jobs", "Posti nel riciclo",
      "Recyclers' full-time equivalents for the tonnes they processed (last month).",
      lambda v: v.recycler_jobs, "last"),
    O("repair_jobs", "FTE", "social", "Repair jobs", "Posti nella riparazione",
      "Repairers' full-time equivalents for the month's repairs (a sector of its own, not "
      "counted in jobs); the run's value is the last month's.",
      lambda v: v.repair_jobs, "last", better="more"),
    O("jobs_per_kt_collected", "FTE/kt", "social", "Cooperative jobs per 1 000 t collected",
      "Posti nelle cooperative per 1 000 t raccolte",
      "Cooperatives' full-time equivalents per 1 000 t a year they take in (households' "
      "separate routes and firms' donations); ratio of the run's totals. A calibration "
      "check (RREUSE 2021: 20-35), not an input: jobs come from the hours worked.",
      num=lambda v: v.coop_jobs,
      den=lambda v: v.collected_by_cooperatives / v.model.scale * 12 / 1e6,
      aggregate="ratio"),
    O("new_enterprises", "count", "social", "New enterprises", "Nuove imprese",
      "Recyclers and social reuse enterprises that entered since month 1.",
      lambda v: len(v.model.entries), "last", better="more", headline=14, integer=True),
    O("enterprises_closed", "count", "social", "Enterprises closed", "Imprese chiuse",
      "Recyclers and cooperatives that closed since month 1, their losses beyond what "
      "lenders carry.", lambda v: len(v.model.exits), "last", better="less", integer=True),
    O("sorting_capacity_t_month", "t", "social", "Cooperatives' sorting capacity",
      "Capacità di selezione delle cooperative",
      "Tonnes a month the cooperatives' plants can sort (last month); it grows only by "
      "investments they pay for.",
      lambda v: sum(c.sorting_capacity_kg for c in v.model.cooperatives) * v.t, "last"),
    O("recyclers", "count", "social", "Recyclers", "Riciclatori",
      "Recyclers active (last month).", lambda v: len(v.model.recyclers), "last",
      integer=True),
    O("cooperatives", "count", "social", "Cooperatives", "Cooperative",
      "Social cooperatives active (last month).", lambda v: len(v.model.cooperatives),
      "last", integer=True),
)

BEHAVIOUR = (
    O("awareness_mean", "index", "behaviour", "Awareness", "Consapevolezza",
      "Mean attitude of households towards circular choices, in [0, 1] (last month).",
      lambda v: float(v.hh.awareness.mean()), "last", fmt="f2"),
    O("firms_with_innovation_share", "share", "behaviour", "Firms with an innovation",
      "Imprese con un'innovazione",
      "Share of firms that adopted at least one product-service innovation (last month).",
      lambda v: v.innovation_share(), "last", better="more"),
    O("mean_new_durability", "index", "behaviour", "Durability of new garments",
      "Durata dei capi nuovi",
      "Sales-weighted durability of new garments (1 = today's reference; last month).",
      lambda v: v.model.mean_new_durability, "last", better="more", fmt="f2"),
)

CHECKS = (
    O("ledger_imbalance_kg", "kg", "check", "Ledger imbalance", "Squilibrio del bilancio",
      "Largest difference between the ledger and what agents hold (must be about zero); "
      "the run's value is the worst of any month, spin-up included.",
      lambda v: v.imbalance, "end", at_end=lambda m: float(m.ledger.max_imbalance_kg),
      better="less", headline=17, fmt="small"),
    O("free_recipients_low_share", "share", "check", "Low-income share of recipients",
      "Quota a basso reddito dei beneficiari",
      "Share of the households that ever received free garments that are low-income.",
      aggregate="end", at_end=lambda m: _low_income_share_of_recipients(m)),
)


def _low_income_share_of_recipients(model) -> float:
    hh = model.households
    got = hh.last_gift_month > -1_000
    return float(hh.low_income[got].mean()) if got.any() else float("nan")


OUTCOMES: tuple[O, ...] = (*WASTE, *LIFE, *LOW_INCOME, *FLOWS, *SYMBIOSIS, *CLIMATE,
                           *SOCIAL, *MONEY, *BEHAVIOUR, *CHECKS)
