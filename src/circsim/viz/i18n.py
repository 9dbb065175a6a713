"""Every label of the dashboard in English and Italian, and numbers and dates written the
local way.

Why a plain dict per language: a seminar organiser can read and fix a label without
knowing any framework, and a test checks that every key exists in both languages.
Keys are dotted by family (``lever.epr``, ``field.epr.fee_eur_per_kg``, ``node.firms``,
``route.new_sale``, ``scenario.baseline``); :func:`tr` falls back to English, then to
the key itself, so a missing label never breaks the page. Labels are meant for a lay
audience: plain words, no modelling jargon ("seed", "agent", "transaction cost").

Numbers and month names come from Babel (the Unicode CLDR data), so every number on a
page follows one convention: ``10,000`` and ``1,621`` in English, ``10.000`` and
``1.621`` in Italian. A number written inside a label is a placeholder ``{n10000}``
that :func:`tr` fills the same way, never a literal.
"""

from __future__ import annotations

import math
import re
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

from circsim.viz.defaults import LANGUAGES  # noqa: F401  (re-exported)

#: The Babel locale of each language (British English: the audience is European).
LOCALES = {"en": "en_GB", "it": "it_IT"}

EN: dict[str, str] = {
    "app.title": "Milan's circular textile economy",
    "app.subtitle":
        "a simulation of the households, firms and cooperatives of the Metropolitan City of Milan",
    "ui.language": "Language",
    "ui.scenario": "Scenario",
    "ui.play": "Play",
    "ui.pause": "Pause",
    "ui.step": "Step 1 month",
    "ui.reset": "Reset",
    "ui.speed": "Pause between months: {ms} ms",
    "ui.month": "Month {month} of {months} · {date}",
    "ui.month0": "Month 0 of {months} · ready to start in {date}",
    "ui.ended": "End of the run: press Reset to start again.",
    "ui.latency": "last month computed in {ms} ms",
    "ui.levers": "Policy levers",
    "ui.levers_hint": "Changes act from the next month; Reset restarts with these settings.",
    "ui.active_levers": "Levers acting this month: {names}",
    "ui.none": "none",
    "ui.on": "on",
    "ui.off": "off",
    "ui.switch_on": "On: this lever acts",
    "ui.switch_off": "Off: this lever does nothing",
    "ui.no_end": "no end",
    "ui.never": "never",
    "ui.start_hint": "Press Play or Step 1 month to start.",
    "ui.scale_note": "Scale: {scale} % of households simulated; tonnes are for the whole metro.",
    "field.start_month": "From month",
    "field.end_month": "Until month",
    "unit.eur_per_kg": "€/kg",
    "unit.eur_per_t": "€/t",
    "unit.eur_per_repair": "€ per repair",
    "unit.km": "km",
    "unit.t_month": "t/month",
    "unit.per_10k": "per {n10000} residents",
    "unit.per_year": "per year",
    "unit.percent": "%",
    "unit.pp": "points",
    "lever.epr": "Extended producer responsibility (EPR)",
    "lever.destruction_ban": "Ban on destroying unsold goods",
    "lever.landfill_tax": "Landfill tax",
    "lever.collection": "Collection bins",
    "lever.awareness_campaign": "Awareness campaign",
    "lever.repair_subsidy": "Repair bonus",
    "lever.symbiosis_platform": "Industrial symbiosis platform",
    "lever.enterprise_support": "Support for new enterprises",
    "lever.shared_services_support": "Support for shared services",
    "lever.machinery_marketplace": "Marketplace for idle machinery",
    "field.shared_services_support.consider_rate_boost": "Firms reached a month by facilitators",
    "field.shared_services_support.setup_subsidy_share": "Share of set-up costs paid",
    "field.shared_services_support.facilitation_eur_per_month": "Facilitation cost a month",
    "field.shared_services_support.budget_eur": "Programme budget",
    "field.machinery_marketplace.visibility_share": "Share of idle machines shown",
    "field.machinery_marketplace.reach_km": "Reach of the marketplace",
    "field.machinery_marketplace.transfer_subsidy_share": "Share of moving costs paid",
    "field.machinery_marketplace.operation_eur_per_month": "Running cost a month",
    "field.machinery_marketplace.budget_eur": "Marketplace budget",
    "field.epr.fee_eur_per_kg": "Fee on garments placed on the market",
    "field.epr.durability_bonus": "Fee discount for durable design",
    "field.epr.recycled_content_bonus": "Fee discount for recycled content",
    "field.epr.collection_funding_share": "Share of fees funding collection",
    "field.destruction_ban.firm_sizes": "Firms covered",
    "field.destruction_ban.medium_firms_from_month": "Medium firms covered from month",
    "field.landfill_tax.eur_per_t": "Tax on landfill",
    "field.landfill_tax.incineration_share": "Share of the tax paid on incineration",
    "field.collection.bins_per_10k_residents": "Bins",
    "field.collection.capital_eur_per_bin": "Price of a new bin",
    "field.collection.bin_life_years": "Years a bin lasts",
    "field.collection.public_running_share": "Share of emptying the city pays",
    "field.symbiosis_platform.operating_cost_eur_per_month": "Running cost per month",
    "field.enterprise_support.hub_setup_eur": "Cost of setting up a reuse centre",
    "field.awareness_campaign.reach_share_per_month": "Households reached each month",
    "field.awareness_campaign.effect": "How much each contact changes habits",
    "field.awareness_campaign.cost_eur_per_household_reached": "Cost per household reached",
    "field.repair_subsidy.eur_per_repair": "Bonus",
    "field.repair_subsidy.max_share_of_bill": "At most, share of the repair bill",
    "lever.decluttering_campaign": "Clear-out campaign",
    "field.decluttering_campaign.reach_share_per_month": "Households reached each month",
    "field.decluttering_campaign.release_share": "Share of unworn clothes each lets go",
    "field.decluttering_campaign.cost_eur_per_household_reached": "Cost per household reached",
    "lever.resale_platform": "City resale website",
    "field.resale_platform.resale_utility_gain": "How much easier reselling becomes",
    "field.resale_platform.dormant_release_gain": "How much sooner unworn clothes leave",
    "field.resale_platform.operating_cost_eur_per_month": "Running cost per month",
    "field.symbiosis_platform.reach_km": "How far firms trade leftovers",
    "field.symbiosis_platform.transaction_cost_reduction":
        "Cut in the cost of arranging a trade",
    "field.symbiosis_platform.participation_threshold": "Firms needed for it to work",
    "field.enterprise_support.entry_cost_reduction":
        "Cut in the cost of opening a recycling plant",
    "field.enterprise_support.coop_sorting_grant_t_month":
        "Sorting grant per new social enterprise",
    "field.enterprise_support.max_new_per_year": "New enterprises per year, at most",
    "field.enterprise_support.hub_free_distribution_share":
        "Share of a new reuse hub's garments given free",
    "field.enterprise_support.reach_target_share":
        "Open hubs while low-income households reached are below",
    "field.enterprise_support.review_months": "Months between reviews of new hubs",
    "size.small": "small",
    "size.medium": "medium",
    "size.large": "large",
    "scenario.baseline": "Baseline: Milan as it is",
    "scenario.awareness_campaign": "Awareness campaign",
    "scenario.collection": "More collection bins",
    "scenario.destruction_ban": "Ban on destroying unsold goods",
    "scenario.enterprise_support": "Support for new enterprises",
    "scenario.epr": "Extended producer responsibility",
    "scenario.landfill_tax": "Landfill tax",
    "scenario.milan_programme": "Milan's programme (all three objectives)",
    "scenario.repair_subsidy": "Repair bonus",
    "scenario.decluttering_campaign": "Clear-out campaign",
    "scenario.resale_platform": "City resale website",
    "scenario.symbiosis_platform": "Industrial symbiosis platform",
    "chart.this_run": "this run",
    "chart.baseline": "without the levers (same simulated city)",
    "chart.vs_baseline": "{delta} vs baseline",
    "chart.no_data": "no data yet",
    "chart.year": "year",
    "fates.title": "Where discarded textiles end up",
    "fates.unit": "tonnes per month, whole metro",
    "fate.domestic_reuse": "Reused in Milan",
    "fate.reuse_abroad": "Reused abroad",
    "fate.recycled": "Recycled",
    "fate.waste_abroad": "Waste abroad",
    "fate.incineration": "Incinerated",
    "fate.landfill": "Landfilled",
    "goal.waste": "Less waste",
    "goal.life": "Longer product life",
    "goal.low_income": "Help for low-income households",
    "map.title": "The metro's municipalities, who works where, and who trades leftovers",
    "map.cooperatives": "Social cooperatives",
    "map.recyclers": "Recyclers",
    "map.links": "Firms trading leftovers (thicker: more trust)",
    "map.density": "Collection bins per km²",
    "map.bins": "{bins} bins per {n10000} residents · {total} bins in the metro",
    "map.bins_word": "bins",
    "map.zone": "Area: {zone}",
    "map.scale": "10 km",
    "map.province.MB": "Province of Monza and Brianza",
    "map.province.LO": "Province of Lodi",
    "map.attribution": "Boundaries: ISTAT 2023, Openpolis (CC BY 4.0); thick lines: "
                       "the model's areas",
    "flows.title": "Flows of the last {n} months",
    "flows.title1": "Flows of the last month",
    "flows.unit": "tonnes per month, whole metro; loops underneath go back into use",
    "node.virgin_fibre": "Virgin fibre",
    "node.recycled_fibre": "Recycled fibre",
    "node.firms": "Fashion firms",
    "node.households": "Households",
    "node.peer_listings": "Peer resale",
    "node.cooperatives": "Cooperatives",
    "node.coop_shops": "Charity shops",
    "node.coop_free_stock": "Free distribution",
    "node.recyclers": "Recyclers",
    "node.reuse_abroad": "Reuse abroad",
    "node.waste_abroad": "Waste abroad",
    "node.recycled_out": "Fibre to other sectors",
    "node.sector_inputs": "Scraps used by other industries",
    "node.incineration": "Incineration",
    "node.landfill": "Landfill",
    "route.virgin_fabric": "virgin fabric",
    "route.recycled_fabric": "recycled fabric",
    "route.new_sale": "new sales",
    "route.discount_sale": "discount sales",
    "route.residual_bin": "residual bin",
    "route.bulky_waste": "bulky waste",
    "route.collection_bin": "collection bins",
    "route.donation": "donations",
    "route.take_back": "brand take-back",
    "route.peer_resale_listing": "listed for resale",
    "route.peer_resale": "resold",
    "route.unsold_listing_donation": "unsold listings given away",
    "route.charity_shop_sale": "charity-shop sales",
    "route.free_distribution": "free garments",
    "route.sorted_rewearable": "sorted rewearable",
    "route.donation_new": "donated unsold goods",
    "route.export": "export",
    "route.stock_clearance": "sold off to clearance traders",
    "route.sorting_residual": "left over after sorting",
    "route.unsold_recyclable": "unsold recyclables",
    "route.symbiosis_exchange": "leftovers traded between firms",
    "route.fibre_to_fibre": "recycled into new fibre",
    "route.open_loop_recycling": "recycled into other products",
    "route.recycling_loss": "recycling loss",
    "route.destruction": "destroyed unsold goods",
    "route.unsold_disposal": "unsold goods disposed of",
    "route.scrap_disposal": "cutting scraps disposed of",
}

IT: dict[str, str] = {
    "app.title": "L'economia circolare del tessile a Milano",
    "app.subtitle": "una simulazione delle famiglie, imprese e cooperative "
                    "della Città metropolitana di Milano",
    "ui.language": "Lingua",
    "ui.scenario": "Scenario",
    "ui.play": "Avvia",
    "ui.pause": "Pausa",
    "ui.step": "Avanza di 1 mese",
    "ui.reset": "Ricomincia",
    "ui.speed": "Pausa tra i mesi: {ms} ms",
    "ui.month": "Mese {month} di {months} · {date}",
    "ui.month0": "Mese 0 di {months} · pronto a partire da {date}",
    "ui.ended": "Fine della simulazione: premi Ricomincia per ripartire.",
    "ui.latency": "ultimo mese calcolato in {ms} ms",
    "ui.levers": "Leve politiche",
    "ui.levers_hint":
        "Le modifiche valgono dal mese successivo; Ricomincia riparte con queste impostazioni.",
    "ui.active_levers": "Leve attive questo mese: {names}",
    "ui.none": "nessuna",
    "ui.on": "attiva",
    "ui.off": "spenta",
    "ui.switch_on": "Accesa: questa leva agisce",
    "ui.switch_off": "Spenta: questa leva non fa nulla",
    "ui.no_end": "senza fine",
    "ui.never": "mai",
    "ui.start_hint": "Premi Avvia o Avanza di 1 mese per iniziare.",
    "ui.scale_note": "Scala: {scale} % delle famiglie simulate; "
                     "le tonnellate sono per l'intera area metropolitana.",
    "field.start_month": "Dal mese",
    "field.end_month": "Fino al mese",
    "unit.eur_per_kg": "€/kg",
    "unit.eur_per_t": "€/t",
    "unit.eur_per_repair": "€ per riparazione",
    "unit.km": "km",
    "unit.t_month": "t/mese",
    "unit.per_10k": "ogni {n10000} abitanti",
    "unit.per_year": "all'anno",
    "unit.percent": "%",
    "unit.pp": "punti",
    "lever.epr": "Responsabilità estesa del produttore (EPR)",
    "lever.destruction_ban": "Divieto di distruggere l'invenduto",
    "lever.landfill_tax": "Tributo sul conferimento in discarica",
    "lever.collection": "Cassonetti per la raccolta",
    "lever.awareness_campaign": "Campagna di sensibilizzazione",
    "lever.repair_subsidy": "Bonus riparazione",
    "lever.symbiosis_platform": "Piattaforma di simbiosi industriale",
    "lever.enterprise_support": "Sostegno alle nuove imprese",
    "lever.shared_services_support": "Sostegno ai servizi condivisi",
    "lever.machinery_marketplace": "Mercato dei macchinari in disuso",
    "field.shared_services_support.consider_rate_boost":
        "Imprese raggiunte al mese dai facilitatori",
    "field.shared_services_support.setup_subsidy_share": "Quota dei costi di avvio pagata",
    "field.shared_services_support.facilitation_eur_per_month": "Costo mensile della facilitazione",
    "field.shared_services_support.budget_eur": "Budget del programma",
    "field.machinery_marketplace.visibility_share": "Quota dei macchinari in disuso mostrata",
    "field.machinery_marketplace.reach_km": "Raggio del mercato",
    "field.machinery_marketplace.transfer_subsidy_share": "Quota dei costi di trasferimento pagata",
    "field.machinery_marketplace.operation_eur_per_month": "Costo mensile di gestione",
    "field.machinery_marketplace.budget_eur": "Budget del mercato",
    "field.epr.fee_eur_per_kg": "Contributo sui capi immessi sul mercato",
    "field.epr.durability_bonus": "Sconto per la progettazione durevole",
    "field.epr.recycled_content_bonus": "Sconto per il contenuto riciclato",
    "field.epr.collection_funding_share": "Quota dei contributi per la raccolta",
    "field.destruction_ban.firm_sizes": "Imprese interessate",
    "field.destruction_ban.medium_firms_from_month": "Medie imprese interessate dal mese",
    "field.landfill_tax.eur_per_t": "Tributo sulla discarica",
    "field.landfill_tax.incineration_share": "Quota del tributo pagata sull'incenerimento",
    "field.collection.bins_per_10k_residents": "Cassonetti",
    "field.collection.capital_eur_per_bin": "Prezzo di un cassonetto nuovo",
    "field.collection.bin_life_years": "Anni di vita di un cassonetto",
    "field.collection.public_running_share": "Quota dello svuotamento pagata dal Comune",
    "field.symbiosis_platform.operating_cost_eur_per_month": "Costo di gestione al mese",
    "field.enterprise_support.hub_setup_eur": "Costo di apertura di un centro del riuso",
    "field.awareness_campaign.reach_share_per_month": "Famiglie raggiunte ogni mese",
    "field.awareness_campaign.effect": "Quanto ogni contatto cambia le abitudini",
    "field.awareness_campaign.cost_eur_per_household_reached": "Costo per famiglia raggiunta",
    "field.repair_subsidy.eur_per_repair": "Bonus",
    "field.repair_subsidy.max_share_of_bill": "Al massimo, quota del costo della riparazione",
    "lever.decluttering_campaign": "Campagna svuota-armadi",
    "field.decluttering_campaign.reach_share_per_month": "Famiglie raggiunte ogni mese",
    "field.decluttering_campaign.release_share": "Quota di capi inutilizzati che ciascuna libera",
    "field.decluttering_campaign.cost_eur_per_household_reached": "Costo per famiglia raggiunta",
    "lever.resale_platform": "Sito comunale dell'usato",
    "field.resale_platform.resale_utility_gain": "Quanto diventa più facile rivendere",
    "field.resale_platform.dormant_release_gain": "Quanto prima escono i capi inutilizzati",
    "field.resale_platform.operating_cost_eur_per_month": "Costo di gestione al mese",
    "field.symbiosis_platform.reach_km": "Distanza massima degli scambi di scarti",
    "field.symbiosis_platform.transaction_cost_reduction":
        "Riduzione del costo di organizzare uno scambio",
    "field.symbiosis_platform.participation_threshold": "Imprese necessarie perché funzioni",
    "field.enterprise_support.entry_cost_reduction":
        "Riduzione del costo di aprire un impianto di riciclo",
    "field.enterprise_support.coop_sorting_grant_t_month":
        "Contributo alla selezione per nuova impresa sociale",
    "field.enterprise_support.max_new_per_year": "Nuove imprese all'anno, al massimo",
    "field.enterprise_support.hub_free_distribution_share":
        "Quota di capi donati dai nuovi centri di riuso",
    "field.enterprise_support.reach_target_share":
        "Apri centri finché le famiglie raggiunte sono sotto",
    "field.enterprise_support.review_months": "Mesi tra una verifica e l'altra dei centri",
    "size.small": "piccole",
    "size.medium": "medie",
    "size.large": "grandi",
    "scenario.baseline": "Riferimento: Milano oggi",
    "scenario.awareness_campaign": "Campagna di sensibilizzazione",
    "scenario.collection": "Più cassonetti per la raccolta",
    "scenario.destruction_ban": "Divieto di distruggere l'invenduto",
    "scenario.enterprise_support": "Sostegno alle nuove imprese",
    "scenario.epr": "Responsabilità estesa del produttore",
    "scenario.landfill_tax": "Tributo sulla discarica",
    "scenario.milan_programme": "Il programma di Milano (i tre obiettivi)",
    "scenario.repair_subsidy": "Bonus riparazione",
    "scenario.decluttering_campaign": "Campagna svuota-armadi",
    "scenario.resale_platform": "Sito comunale dell'usato",
    "scenario.symbiosis_platform": "Piattaforma di simbiosi industriale",
    "chart.this_run": "questa simulazione",
    "chart.baseline": "senza le leve (stessa città simulata)",
    "chart.vs_baseline": "{delta} rispetto al riferimento",
    "chart.no_data": "ancora nessun dato",
    "chart.year": "anno",
    "fates.title": "Dove finiscono i tessili dismessi",
    "fates.unit": "tonnellate al mese, intera area metropolitana",
    "fate.domestic_reuse": "Riusati a Milano",
    "fate.reuse_abroad": "Riusati all'estero",
    "fate.recycled": "Riciclati",
    "fate.waste_abroad": "Rifiuti all'estero",
    "fate.incineration": "Inceneriti",
    "fate.landfill": "In discarica",
    "goal.waste": "Meno rifiuti",
    "goal.life": "Prodotti più longevi",
    "goal.low_income": "Aiuto alle famiglie a basso reddito",
    "map.title": "I comuni dell'area metropolitana, chi lavora dove e chi si scambia gli scarti",
    "map.cooperatives": "Cooperative sociali",
    "map.recyclers": "Riciclatori",
    "map.links": "Imprese che si scambiano scarti (più spesso: più fiducia)",
    "map.density": "Cassonetti per km²",
    "map.bins": "{bins} cassonetti ogni {n10000} abitanti · {total} cassonetti nell'area",
    "map.bins_word": "cassonetti",
    "map.zone": "Zona: {zone}",
    "map.scale": "10 km",
    "map.province.MB": "Provincia di Monza e della Brianza",
    "map.province.LO": "Provincia di Lodi",
    "map.attribution": "Confini: ISTAT 2023, Openpolis (CC BY 4.0); linee spesse: "
                       "le zone del modello",
    "flows.title": "Flussi degli ultimi {n} mesi",
    "flows.title1": "Flussi dell'ultimo mese",
    "flows.unit":
        "tonnellate al mese, intera area metropolitana; gli anelli in basso tornano in uso",
    "node.virgin_fibre": "Fibra vergine",
    "node.recycled_fibre": "Fibra riciclata",
    "node.firms": "Imprese della moda",
    "node.households": "Famiglie",
    "node.peer_listings": "Vendita tra privati",
    "node.cooperatives": "Cooperative",
    "node.coop_shops": "Negozi solidali",
    "node.coop_free_stock": "Distribuzione gratuita",
    "node.recyclers": "Riciclatori",
    "node.reuse_abroad": "Riuso all'estero",
    "node.waste_abroad": "Rifiuti all'estero",
    "node.recycled_out": "Fibra ad altri settori",
    "node.sector_inputs": "Scarti usati da altre industrie",
    "node.incineration": "Incenerimento",
    "node.landfill": "Discarica",
    "route.virgin_fabric": "tessuto vergine",
    "route.recycled_fabric": "tessuto riciclato",
    "route.new_sale": "vendite di nuovo",
    "route.discount_sale": "vendite scontate",
    "route.residual_bin": "indifferenziato",
    "route.bulky_waste": "ingombranti",
    "route.collection_bin": "cassonetti",
    "route.donation": "donazioni",
    "route.take_back": "ritiro dei marchi",
    "route.peer_resale_listing": "messi in vendita",
    "route.peer_resale": "rivenduti",
    "route.unsold_listing_donation": "annunci invenduti donati",
    "route.charity_shop_sale": "vendite nei negozi solidali",
    "route.free_distribution": "capi gratuiti",
    "route.sorted_rewearable": "selezionati riutilizzabili",
    "route.donation_new": "invenduto donato",
    "route.export": "esportazione",
    "route.stock_clearance": "venduti a stockisti",
    "route.sorting_residual": "scarti della selezione",
    "route.unsold_recyclable": "riciclabili invenduti",
    "route.symbiosis_exchange": "scarti scambiati tra imprese",
    "route.fibre_to_fibre": "riciclati in nuova fibra",
    "route.open_loop_recycling": "riciclati in altri prodotti",
    "route.recycling_loss": "perdite di riciclo",
    "route.destruction": "invenduto distrutto",
    "route.unsold_disposal": "invenduto smaltito",
    "route.scrap_disposal": "ritagli smaltiti",
}

# -- presenter mode, save and load, export, side by side (issue 15) ---------------------
EN.update({
    "ui.presenter": "Presenter mode",
    "ui.presenter_exit": "Leave presenter mode",
    "ui.next_chart": "Next chart",
    "ui.chart_of": "Chart {n} of {total}",
    "ui.keys_hint": "Keys: Space play or pause · → one month · N next chart · "
                    "B previous chart · Esc leave",
    "ui.files": "Save, load, export",
    "ui.save_levers": "Save levers (YAML)",
    "ui.load_levers": "Load levers",
    "ui.loaded": "Levers loaded from {name}; the run starts again from month 0.",
    "ui.load_failed": "This file cannot be loaded: {error}",
    "ui.export_png": "Charts as PNG",
    "ui.export_csv": "Data as CSV",
    "ui.saved_description": "Lever settings saved from the dashboard (from {scenario}).",
    "ui.compare": "Side by side",
    "ui.compare_close": "Close side by side",
    "ui.compare_keep": "Keep these levers as B",
    "ui.compare_with": "Compare with",
    "ui.compare_a": "A: the levers as set now",
    "ui.compare_b": "B: {name}",
    "ui.compare_kept": "the levers kept at month {month}",
    "ui.compare_same": "A and B start from the same households and meet the same chance "
                       "events (simulated city no. {city}); only the levers differ.",
})
IT.update({
    "ui.presenter": "Modalità presentazione",
    "ui.presenter_exit": "Esci dalla presentazione",
    "ui.next_chart": "Grafico successivo",
    "ui.chart_of": "Grafico {n} di {total}",
    "ui.keys_hint": "Tasti: Spazio avvia o mette in pausa · → un mese · N grafico successivo · "
                    "B grafico precedente · Esc esci",
    "ui.files": "Salva, carica, esporta",
    "ui.save_levers": "Salva le leve (YAML)",
    "ui.load_levers": "Carica le leve",
    "ui.loaded": "Leve caricate da {name}; la simulazione riparte dal mese 0.",
    "ui.load_failed": "Impossibile caricare questo file: {error}",
    "ui.export_png": "Grafici in PNG",
    "ui.export_csv": "Dati in CSV",
    "ui.saved_description": "Impostazioni delle leve salvate dalla dashboard (da {scenario}).",
    "ui.compare": "A confronto",
    "ui.compare_close": "Chiudi il confronto",
    "ui.compare_keep": "Tieni queste leve come B",
    "ui.compare_with": "Confronta con",
    "ui.compare_a": "A: le leve come sono ora",
    "ui.compare_b": "B: {name}",
    "ui.compare_kept": "le leve tenute al mese {month}",
    "ui.compare_same": "A e B partono dalle stesse famiglie e incontrano gli stessi eventi "
                       "casuali (città simulata n. {city}); cambiano solo le leve.",
})

# The symbiosis layer of the map: sectors (ATECO divisions) and shared services, lay words.
EN.update({
    "map.sectors": "Firms by sector (bigger dot: stands for more real firms)",
    "map.groups": "Firms sharing services (ring: where they share)",
    "map.firm_tip": "{sector} · {town} · stands for about {n} firms",
    "map.group_tip": "{n} firms share: {services}",
    "map.service.water": "water supply",
    "map.service.heat": "heating",
    "map.service.wastewater": "wastewater treatment",
    "map.service.security": "security",
    "map.service.cleaning": "cleaning",
    "map.service.catering": "canteen",
    "map.service.logistics": "deliveries",
    "sector.14": "Clothing and fashion",
    "sector.13": "Textile mills",
    "sector.15": "Leather goods and shoes",
    "sector.16": "Wood",
    "sector.17": "Paper",
    "sector.20": "Chemicals",
    "sector.22": "Rubber and plastics",
    "sector.23": "Building materials",
    "sector.29": "Cars and car parts",
    "sector.31": "Furniture and upholstery",
    "sector.55/56": "Hotels and restaurants",
    "lever.symbiosis_programme": "Regional symbiosis programme",
    "field.symbiosis_programme.budget_eur": "Programme budget",
    "field.symbiosis_programme.duration_months": "Months it runs",
    "field.symbiosis_programme.mapping_share": "Share of firms the survey reaches",
    "field.symbiosis_programme.mapping_awareness_gain": "How much the survey makes firms think",
    "field.symbiosis_programme.trained_firms": "Firms at the seminars",
    "field.symbiosis_programme.training_awareness_gain": "How much a seminar convinces",
    "field.symbiosis_programme.workshops": "Workshops for small groups of firms",
    "field.symbiosis_programme.workshop_group_size": "Firms per workshop",
    "field.symbiosis_programme.workshop_awareness_gain": "How much a workshop convinces",
    "field.symbiosis_programme.support_cost_reduction":
        "Share of start-up and paperwork costs the advice saves",
    "field.symbiosis_programme.guidelines_awareness_gain": "How much the final guidelines convince",
    "scenario.sigma_programme": "Regional symbiosis programme (SIGMA)",
})
IT.update({
    "map.sectors": "Imprese per settore (pallino più grande: rappresenta più imprese reali)",
    "map.groups": "Imprese che condividono servizi (cerchio: dove li condividono)",
    "map.firm_tip": "{sector} · {town} · rappresenta circa {n} imprese",
    "map.group_tip": "{n} imprese condividono: {services}",
    "map.service.water": "acqua",
    "map.service.heat": "riscaldamento",
    "map.service.wastewater": "depurazione delle acque",
    "map.service.security": "vigilanza",
    "map.service.cleaning": "pulizie",
    "map.service.catering": "mensa",
    "map.service.logistics": "consegne",
    "sector.14": "Abbigliamento e moda",
    "sector.13": "Industria tessile",
    "sector.15": "Pelle e calzature",
    "sector.16": "Legno",
    "sector.17": "Carta",
    "sector.20": "Chimica",
    "sector.22": "Gomma e plastica",
    "sector.23": "Materiali da costruzione",
    "sector.29": "Auto e componenti",
    "sector.31": "Mobili e imbottiti",
    "sector.55/56": "Alberghi e ristoranti",
    "lever.symbiosis_programme": "Programma regionale di simbiosi",
    "field.symbiosis_programme.budget_eur": "Budget del programma",
    "field.symbiosis_programme.duration_months": "Mesi di durata",
    "field.symbiosis_programme.mapping_share": "Quota di imprese raggiunte dal questionario",
    "field.symbiosis_programme.mapping_awareness_gain": "Quanto il questionario fa riflettere",
    "field.symbiosis_programme.trained_firms": "Imprese ai seminari",
    "field.symbiosis_programme.training_awareness_gain": "Quanto convince un seminario",
    "field.symbiosis_programme.workshops": "Laboratori per piccoli gruppi di imprese",
    "field.symbiosis_programme.workshop_group_size": "Imprese per laboratorio",
    "field.symbiosis_programme.workshop_awareness_gain": "Quanto convince un laboratorio",
    "field.symbiosis_programme.support_cost_reduction":
        "Quota dei costi di avvio e di pratiche risparmiata con l'assistenza",
    "field.symbiosis_programme.guidelines_awareness_gain": "Quanto convincono le linee guida",
    "scenario.sigma_programme": "Programma regionale di simbiosi (SIGMA)",
})

TEXTS: dict[str, dict[str, str]] = {"en": EN, "it": IT}


class _Filler(dict):
    """Values for a label; a missing ``n<digits>`` is that number, written the local way."""

    def __init__(self, lang: str, values: dict[str, object]) -> None:
        super().__init__(values)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        if re.fullmatch(r"n\d+", key):
            return fmt_num(int(key[1:]), self.lang)
        raise KeyError(key)


def tr(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (English, then the key, if missing), filled with values
    (and with any number placeholder such as ``{n10000}``)."""
    text = TEXTS.get(lang, EN).get(key) or EN.get(key) or key
    return text.format_map(_Filler(lang, values)) if "{" in text else text


def locale_of(lang: str) -> str:
    """The Babel locale of a dashboard language (English for an unknown one)."""
    return LOCALES.get(lang, LOCALES["en"])


def fmt_num(x: float, lang: str, digits: int = 0) -> str:
    """A number the local way: ``1,234.5`` in English, ``1.234,5`` in Italian; ``–`` if NaN."""
    if x is None or not math.isfinite(x):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    x = round(x, digits) + 0.0          # no "-0" for a tiny negative number
    return format_decimal(x, format=pattern, locale=locale_of(lang))


def fmt_signed_pct(x: float, lang: str, digits: int = 1) -> str:
    """A signed percentage change (``+3.2 %``, ``−1,5 %``), with a true minus sign."""
    if x is None or not math.isfinite(x):
        return "–"
    sign = "+" if x > 0 else ("−" if x < 0 else "±")
    return f"{sign}{fmt_num(abs(x), lang, digits)} %"


def month_label(start_year: int, month: int, lang: str) -> str:
    """Calendar label of model month ``month`` (1 = January of ``start_year``), e.g.
    ``Feb 2027`` or ``feb 2027``."""
    m = max(month, 1)
    day = date(start_year + (m - 1) // 12, (m - 1) % 12 + 1, 1)
    return format_date(day, "MMM y", locale=locale_of(lang))
