"""Reference solutions to the exercises, one module per notebook (see rnnlib.exercises)."""
