"""The dashboard's defaults, in a module that imports nothing: ``circsim --help`` shows
them without loading the model, Babel or Solara."""

LANGUAGES = ("en", "it")
DEFAULT_PORT = 8765
DEMO_SCALE = 0.005     # share of households: 7 900 of them, a month in 10-20 ms
