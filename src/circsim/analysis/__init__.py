"""Decision analysis on top of experiments: calibration to public targets (``fit``)."""
