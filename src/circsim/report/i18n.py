"""The policy report's words, in English and Italian (every key in both)."""

from __future__ import annotations

from circsim.outcomes import OUTCOMES

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "circsim policy report",
        "subtitle": "Circular textile economy of the Metropolitan City of Milan",
        "generated": "Generated on {date} by circsim {version}",
        "summary": "Summary",
        "headline": "Headline metrics",
        "headline_note": ("Mean over {n} replicates with its 95 % confidence interval; change "
                          "against <b>{ref}</b> with the 95 % interval of the paired "
                          "difference (same random numbers for every scenario)."),
        "figures": "Figures",
        "changes": "What each scenario changes",
        "assumptions": "Assumptions that matter most",
        "reproduce": "How to reproduce",
        "scenario": "Scenario", "metric": "Metric", "mean": "Mean (95 % CI)",
        "change": "Change vs reference (95 % CI)", "reference": "reference",
        "parameter": "Parameter", "value": "Value", "source": "Source",
        "index": "Influence", "no_change": "no lever changed",
        "lever_on": "{lever} from month {start}",
        "rule_crn": " with common random numbers, else ",
        "rule_seed": "experiment seed",
        "sentence": "<b>{scenario}</b> {waste} and {life}; {reach}.",
        "what_waste": "textile waste sent to incineration and landfill ({period})",
        "what_life": "the service life of garments",
        "waste_less": "reduces", "waste_more": "increases",
        "life_more": "lengthens", "life_less": "shortens",
        "by": "{verb} {what} by {change} ({ci})",
        "unchanged": "leaves {what} about unchanged ({change}; {ns})",
        "reach_more": "it reaches about {n} more low-income households ({pct})",
        "reach_fewer": "it reaches about {n} fewer low-income households ({pct})",
        "reach_same": "it leaves the low-income households reached about unchanged ({pct})",
        "ci": "95 % CI {low} to {high}",
        "not_significant": "not distinguishable from the reference at 95 %",
        "ci_undefined": "CI undefined with 1 replicate",
        "best": ("Of the scenarios compared, <b>{scenario}</b> cuts waste the most."),
        "intro": ("{n} scenarios were each run {r} times for {months} months ({start} to "
                  "{end}), simulating {scale_pct} of the metro's households (scale {scale}); "
                  "every amount is scaled up to the whole metro. <b>{ref}</b> is the "
                  "reference."),
        "period_sum": "total over {years} years", "period_mean": "mean over {years} years",
        "period_ratio": "over {years} years", "period_per_year": "mean of {years} years",
        "period_last": "in {date}", "period_end": "at the end of {date}",
        "effects": "How the effects change over the years",
        "effects_note": ("Change against <b>{ref}</b> year by year with the 95 % interval of "
                         "the paired difference; amounts are each year's total or mean, "
                         "shares in percentage points."),
        "year": "Year",
        "shape_peak": ("{what}: the effect is largest in {peak_year} ({peak}) and fades to "
                       "{last} by {last_year}."),
        "shape_grows": ("{what}: the effect builds up from {first} in {first_year} to {last} "
                        "in {last_year} (largest in {peak_year}: {peak})."),
        "shape_steady": ("{what}: the effect holds between {low} and {high} from "
                         "{first_year} to {last_year}."),
        "shape_none": "{what}: in no year is the change distinguishable from zero at 95 %.",
        "assumption": "assumption",
        "seed_rule": ("Replicate r of every scenario runs on the same random numbers, drawn "
                      "from the experiment's seed {seed} and r (common random numbers): the "
                      "same command gives the same results on any machine and number of "
                      "workers. Rule: "),
        "sweep_intro": ("An experiment of {points} design points × {r} replicates over "
                        "{params}."),
        "uncertainty_stochastic": ("Confidence intervals show stochastic uncertainty only: "
                                   "every run uses one point estimate of each parameter."),
        "uncertainty_ensemble": ("Confidence intervals combine stochastic and parameter "
                                 "uncertainty: replicate r of every scenario uses parameter "
                                 "set r mod {n} of the calibrated ensemble <code>{file}</code>."),
        "sensitivity_note": ("Total-order Sobol indices: the share of the variance of each "
                             "headline metric due to the parameter, alone or with others."),
        "morris_note": "Morris mu*: mean absolute elementary effect of the parameter.",
        "no_sensitivity": ("These results hold no sensitivity analysis. The parameters below "
                           "are the most uncertain of the baseline (public ranges); run the "
                           "bundled Sobol experiment to rank them."),
        "command": "Command", "versions": "Versions", "commit": "Git commit",
        "files": "Input files (SHA-256)", "seeds": "Seeds",
        "runs": "{ok} runs succeeded, {failed} failed.",
        "points": "Design points",
        "fig_comparison": "Headline metrics by scenario, with 95 % confidence intervals.",
        "fig_timeseries": "Monthly means with 95 % bands.",
        "fig_sweep": "Headline metrics over the design grid.",
        "fig_sensitivity": "Sensitivity indices of the headline metrics.",
        "fig_other": "Figure",
        "sym_title": "Industrial symbiosis: economic, environmental and social benefits",
        "sym_note": ("Mean over the replicates with its 95 % interval; change against the "
                     "reference in the row's unit (and in %) with the 95 % interval of the "
                     "paired difference. Each row gives its unit and period. Emissions "
                     "avoided here are other sectors' and are not part of the textile "
                     "chain's emissions above."),
        "sym_intro": ("<b>{scenario}</b> switches on {levers}. Its effects against "
                      "<b>{ref}</b>, counted as the regional symbiosis programme counts "
                      "them:"),
        "sym_economic": "Economic benefits", "sym_environmental": "Environmental benefits",
        "sym_social": "Social benefits", "sym_network": "The network",
        "sym_change": "{what}: {change} {verb} ({ci})",
        "sym_up": "more", "sym_down": "less", "sym_reference": "Reference",
        "sym_none": "{kind}: no change is distinguishable from the reference at 95 %.",
        "costs": "Public cost and cost-effectiveness",
        "costs_note": ("Change in the public budget's net cost against <b>{ref}</b> (what it "
                       "paid less what it received, from the euro ledger) and what each euro "
                       "buys, with 95 % intervals: paired over {n} replicates for the cost, "
                       "Fieller's interval for the ratios. A ratio is undefined when its "
                       "effect is not distinguishable from zero at 95 % or goes the wrong "
                       "way; a negative ratio means the budget saves money while achieving "
                       "the effect. Amounts are in euros of the whole metro."),
        "cost_change": "Change in net public cost",
        "undefined": "undefined",
        "ce_ns": "the effect is not distinguishable from zero at 95 %",
        "ce_wrong": "the effect goes the wrong way",
        "ce_few": "fewer than two paired replicates",
        "discovery": "Where a target is met (scenario discovery)",
        "disc_target": "{outcome} {target}",
        "disc_intro": ("PRIM searched the sweep's inputs for boxes where the target is met: "
                       "{hits} of {cases} cases meet it ({case}). Each box is the widest "
                       "whose density is at least {threshold}."),
        "disc_point": "one case per design point, replicates averaged",
        "disc_run": "one case per run",
        "disc_none": "No box reaches the density asked for.",
        "disc_head_box": "Box", "disc_head_where": "Where",
        "disc_head_coverage": "Coverage", "disc_head_density": "Density",
        "disc_head_mass": "Mass", "disc_head_cases": "Cases",
    },
    "it": {
        "title": "Rapporto circsim sulle politiche",
        "subtitle": "Economia circolare del tessile nella Città metropolitana di Milano",
        "generated": "Generato il {date} da circsim {version}",
        "summary": "Sintesi",
        "headline": "Indicatori principali",
        "headline_note": ("Media su {n} repliche con l'intervallo di confidenza al 95 %; "
                          "variazione rispetto a <b>{ref}</b> con l'intervallo al 95 % della "
                          "differenza appaiata (stessi numeri casuali per ogni scenario)."),
        "figures": "Grafici",
        "changes": "Che cosa cambia ogni scenario",
        "assumptions": "Le ipotesi che contano di più",
        "reproduce": "Come riprodurre i risultati",
        "scenario": "Scenario", "metric": "Indicatore", "mean": "Media (IC 95 %)",
        "change": "Variazione rispetto al riferimento (IC 95 %)", "reference": "riferimento",
        "parameter": "Parametro", "value": "Valore", "source": "Fonte",
        "index": "Influenza", "no_change": "nessuna leva modificata",
        "lever_on": "{lever} dal mese {start}",
        "rule_crn": " con numeri casuali comuni, altrimenti ",
        "rule_seed": "seme dell'esperimento",
        "sentence": "<b>{scenario}</b> {waste} e {life}; {reach}.",
        "what_waste": "i rifiuti tessili inviati a incenerimento e discarica ({period})",
        "what_life": "la durata d'uso dei capi",
        "waste_less": "riduce", "waste_more": "aumenta",
        "life_more": "allunga", "life_less": "accorcia",
        "by": "{verb} {what} del {change} ({ci})",
        "unchanged": "lascia quasi invariato {what} ({change}; {ns})",
        "reach_more": "raggiunge circa {n} famiglie a basso reddito in più ({pct})",
        "reach_fewer": "raggiunge circa {n} famiglie a basso reddito in meno ({pct})",
        "reach_same": "lascia quasi invariate le famiglie a basso reddito raggiunte ({pct})",
        "ci": "IC 95 % da {low} a {high}",
        "not_significant": "non distinguibile dal riferimento al 95 %",
        "ci_undefined": "IC non definito con 1 replica",
        "best": "Tra gli scenari confrontati, <b>{scenario}</b> riduce di più i rifiuti.",
        "intro": ("{n} scenari, ciascuno simulato {r} volte per {months} mesi (da {start} a "
                  "{end}), con {scale_pct} delle famiglie della città metropolitana (scala "
                  "{scale}); ogni quantità è riportata all'intera città metropolitana. "
                  "<b>{ref}</b> è il riferimento."),
        "period_sum": "totale in {years} anni", "period_mean": "media su {years} anni",
        "period_ratio": "su {years} anni", "period_per_year": "media di {years} anni",
        "period_last": "a {date}", "period_end": "alla fine di {date}",
        "effects": "Come cambiano gli effetti negli anni",
        "effects_note": ("Variazione rispetto a <b>{ref}</b> anno per anno, con l'intervallo "
                         "al 95 % della differenza appaiata; le quantità sono il totale o la "
                         "media di ogni anno, le quote in punti percentuali."),
        "year": "Anno",
        "shape_peak": ("{what}: l'effetto è massimo nel {peak_year} ({peak}) e si attenua a "
                       "{last} nel {last_year}."),
        "shape_grows": ("{what}: l'effetto cresce da {first} nel {first_year} a {last} nel "
                        "{last_year} (massimo nel {peak_year}: {peak})."),
        "shape_steady": ("{what}: l'effetto resta tra {low} e {high} dal {first_year} al "
                         "{last_year}."),
        "shape_none": ("{what}: in nessun anno la variazione è distinguibile da zero al "
                       "95 %."),
        "assumption": "ipotesi",
        "seed_rule": ("La replica r di ogni scenario usa gli stessi numeri casuali, ricavati "
                      "dal seme dell'esperimento {seed} e da r (numeri casuali comuni): lo "
                      "stesso comando dà gli stessi risultati su qualsiasi macchina e numero "
                      "di processi. Regola: "),
        "sweep_intro": "Un esperimento di {points} punti × {r} repliche su {params}.",
        "uncertainty_stochastic": ("Gli intervalli di confidenza mostrano solo l'incertezza "
                                   "stocastica: ogni simulazione usa una sola stima di ciascun "
                                   "parametro."),
        "uncertainty_ensemble": ("Gli intervalli di confidenza uniscono l'incertezza stocastica "
                                 "e quella dei parametri: la replica r di ogni scenario usa "
                                 "l'insieme di parametri r mod {n} dell'ensemble calibrato "
                                 "<code>{file}</code>."),
        "sensitivity_note": ("Indici di Sobol totali: la quota della varianza di ogni "
                             "indicatore dovuta al parametro, da solo o con altri."),
        "morris_note": "Morris mu*: effetto elementare medio assoluto del parametro.",
        "no_sensitivity": ("Questi risultati non contengono un'analisi di sensitività. I "
                           "parametri qui sotto sono i più incerti dello scenario base "
                           "(intervalli pubblici); l'esperimento Sobol incluso li ordina."),
        "command": "Comando", "versions": "Versioni", "commit": "Commit git",
        "files": "File di input (SHA-256)", "seeds": "Semi casuali",
        "runs": "{ok} simulazioni riuscite, {failed} fallite.",
        "points": "Punti del disegno",
        "fig_comparison": "Indicatori principali per scenario, con intervalli al 95 %.",
        "fig_timeseries": "Medie mensili con bande al 95 %.",
        "fig_sweep": "Indicatori principali sulla griglia dell'esperimento.",
        "fig_sensitivity": "Indici di sensitività degli indicatori principali.",
        "fig_other": "Grafico",
        "sym_title": "Simbiosi industriale: benefici economici, ambientali e sociali",
        "sym_note": ("Media delle repliche con l'intervallo al 95 %; variazione rispetto al "
                     "riferimento nell'unità della riga (e in %) con l'intervallo al 95 % "
                     "della differenza appaiata. Ogni riga indica unità e periodo. Le "
                     "emissioni evitate qui sono di altri settori e non rientrano nelle "
                     "emissioni della filiera tessile riportate sopra."),
        "sym_intro": ("<b>{scenario}</b> attiva {levers}. I suoi effetti rispetto a "
                      "<b>{ref}</b>, contati come li conta il programma regionale di "
                      "simbiosi:"),
        "sym_economic": "Benefici economici", "sym_environmental": "Benefici ambientali",
        "sym_social": "Benefici sociali", "sym_network": "La rete",
        "sym_change": "{what}: {change} {verb} ({ci})",
        "sym_up": "in più", "sym_down": "in meno", "sym_reference": "Riferimento",
        "sym_none": ("{kind}: nessuna variazione è distinguibile dal riferimento al 95 %."),
        "costs": "Costo pubblico e costo-efficacia",
        "costs_note": ("Variazione del costo netto per il bilancio pubblico rispetto a "
                       "<b>{ref}</b> (quanto paga meno quanto incassa, dal bilancio in euro) e "
                       "che cosa compra ogni euro, con intervalli al 95 %: appaiati su {n} "
                       "repliche per il costo, intervallo di Fieller per i rapporti. Un "
                       "rapporto non è definito quando il suo effetto non si distingue da zero "
                       "al 95 % o va nella direzione sbagliata; un rapporto negativo vuol dire "
                       "che il bilancio risparmia ottenendo l'effetto. Importi in euro "
                       "dell'intera città metropolitana."),
        "cost_change": "Variazione del costo pubblico netto",
        "undefined": "non definito",
        "ce_ns": "l'effetto non si distingue da zero al 95 %",
        "ce_wrong": "l'effetto va nella direzione sbagliata",
        "ce_few": "meno di due repliche appaiate",
        "discovery": "Dove un obiettivo è raggiunto (scoperta di scenari)",
        "disc_target": "{outcome} {target}",
        "disc_intro": ("PRIM ha cercato negli input dell'esplorazione i riquadri in cui "
                       "l'obiettivo è raggiunto: lo raggiungono {hits} casi su {cases} "
                       "({case}). Ogni riquadro è il più ampio la cui densità è almeno "
                       "{threshold}."),
        "disc_point": "un caso per punto del disegno, media delle repliche",
        "disc_run": "un caso per esecuzione",
        "disc_none": "Nessun riquadro raggiunge la densità richiesta.",
        "disc_head_box": "Riquadro", "disc_head_where": "Dove",
        "disc_head_coverage": "Copertura", "disc_head_density": "Densità",
        "disc_head_mass": "Massa", "disc_head_cases": "Casi",
    },
}

#: Every outcome's label with its unit, in each language, from the outcome table.
METRICS: dict[str, dict[str, str]] = {
    o.name: {lang: o.label_with_unit(lang) for lang in ("en", "it")} for o in OUTCOMES}

LANGUAGES = tuple(STRINGS)


def text(lang: str, key: str, **values: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``values``."""
    return STRINGS[lang][key].format(**values)


def metric_label(metric: str, lang: str) -> str:
    """A metric's name for people; its key when it has no translation."""
    return METRICS.get(metric, {}).get(lang, metric)
