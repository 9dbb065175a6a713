"""Decision analysis on the results of experiments (scenario discovery, fitting, search)."""
