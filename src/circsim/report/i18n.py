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
        "sentence": ("<b>{scenario}</b> changes textile waste sent to incineration and landfill "
                     "by {waste} and the service life of garments by {life}; {reach}."),
        "reach_more": "it reaches about {n} more low-income households ({pct})",
        "reach_fewer": "it reaches about {n} fewer low-income households ({pct})",
        "reach_same": "it leaves the low-income households reached unchanged ({pct})",
        "ci": "95 % CI {low} to {high}",
        "not_significant": "not distinguishable from the reference at 95 %",
        "best": ("Of the scenarios compared, <b>{scenario}</b> cuts waste the most."),
        "intro": ("{n} scenarios were each run {r} times for {months} months with a share of "
                  "{scale} of the metro's households; <b>{ref}</b> is the reference."),
        "sweep_intro": ("An experiment of {points} design points × {r} replicates over "
                        "{params}."),
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
        "sentence": ("<b>{scenario}</b> cambia i rifiuti tessili inviati a incenerimento e "
                     "discarica del {waste} e la durata d'uso dei capi del {life}; {reach}."),
        "reach_more": "raggiunge circa {n} famiglie a basso reddito in più ({pct})",
        "reach_fewer": "raggiunge circa {n} famiglie a basso reddito in meno ({pct})",
        "reach_same": "non cambia le famiglie a basso reddito raggiunte ({pct})",
        "ci": "IC 95 % da {low} a {high}",
        "not_significant": "non distinguibile dal riferimento al 95 %",
        "best": "Tra gli scenari confrontati, <b>{scenario}</b> riduce di più i rifiuti.",
        "intro": ("{n} scenari, ciascuno simulato {r} volte per {months} mesi con una quota "
                  "{scale} delle famiglie della città metropolitana; <b>{ref}</b> è il "
                  "riferimento."),
        "sweep_intro": "Un esperimento di {points} punti × {r} repliche su {params}.",
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
