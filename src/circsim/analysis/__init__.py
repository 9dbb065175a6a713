"""Decision analysis on the results of experiments: scenario discovery, calibration fits and
lever-package search."""
