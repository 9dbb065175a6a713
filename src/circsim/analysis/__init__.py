"""Decision analysis on top of experiments: lever-package search, calibration fits, discovery."""
