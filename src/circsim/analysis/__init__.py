"""Decision analysis on the results of experiments: scenario discovery (``discover``),
calibration to public targets (``fit``) and lever-package search (``search``)."""
