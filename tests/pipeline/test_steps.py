"""The step catalogue: the Ames sensitivity's supplementary steps."""

from __future__ import annotations

from dlbasics.pipeline import ReproduceOptions, plan_outcomes
from dlbasics.pipeline.estimates import estimates
from dlbasics.pipeline.steps import BY_NAME, QUICK_EPOCHS
from dlbasics.report.sensitivity import FEATURISATIONS, step_name


def test_each_featurisation_of_q2_has_a_step_the_sensitivity_reads(tmp_path):
    quick, _ = plan_outcomes(ReproduceOptions(out=tmp_path, quick=True))
    full, _ = plan_outcomes(ReproduceOptions(out=tmp_path))
    keys = {o.step.name: o.key for o in quick}
    full_keys = {o.step.name: o.key for o in full}
    for features in FEATURISATIONS:
        for model in ("q2.2a", "q2.2b"):
            step = BY_NAME[step_name(model, features)]
            assert step.experiment == model and step.kind == "experiment"
            default = features == "minmax"
            assert step.supplementary is not default
            assert dict(step.overrides) == ({} if default else {"features": features})
            # The same epochs as the run it varies, in --quick and in the full reproduction.
            assert QUICK_EPOCHS[step.name] == QUICK_EPOCHS[model]
            assert keys[step.name]["config"]["overrides"] == {
                **dict(step.overrides),
                "epochs": QUICK_EPOCHS[model],
            }
            assert full_keys[step.name]["config"]["overrides"] == dict(step.overrides)
            assert estimates(tmp_path, True)[step.name] == estimates(tmp_path, True)[model]
