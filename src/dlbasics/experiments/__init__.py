"""The report's runs: configurations, a registry, and the runner that records them."""

from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.experiments.registry import get, names, register

__all__ = ["Experiment", "RunContext", "RunResult", "get", "names", "register"]
