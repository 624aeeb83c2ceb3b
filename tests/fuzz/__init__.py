"""The fuzzing suite of issue 16: strategies, the per-case runner, the CI run and the long run."""
