"""sweep.md: the shared Markdown renderer gives the text the sweep's own renderer used to."""

from __future__ import annotations

from typing import Any

from dlbasics.sweep import render_markdown

RESULT: dict[str, Any] = {
    "sweep": "q4.3",
    "title": "PyTorch feed-forward network: 2 and 3 hidden layers",
    "grid": "report",
    "study": "q4.3",
    "storage": "journal:/runs/q4.3/optuna-journal.log",
    "experiment": "q4-ffn",
    "engine": "fast",
    "seed": 42,
    "data_limit": 600,
    "defaults": {"learning_rate": 0.01, "layers": 1},
    "base": {"config": {"learning_rate": 0.001}, "source": "/runs/q4.2/sweep.json"},
}


def _entry(number: int, lr: float, layers: int, status: str, **extra: Any) -> dict[str, Any]:
    final = {"train_loss": 0.5 / layers, "dev_acc": 0.8 + layers / 100, "test_acc": 0.79}
    return {
        "number": number,
        "config": {"learning_rate": lr, "layers": layers, "epochs": 2},
        "final": final,
        "history": [],
        "seconds": 12.4,
        "status": status,
        "_index": number,
        **extra,
    }


ENTRIES = [
    _entry(0, 0.001, 2, "ok"),
    _entry(1, 0.001, 3, "ok"),
    _entry(2, 0.01, 2, "failed", message="RuntimeError: boom"),
    _entry(3, 0.01, 3, "diverged", message="loss is nan", seconds=None),
]

EXPECTED = """\
# Sweep q4.3: PyTorch feed-forward network: 2 and 3 hidden layers

Study `q4.3` in `journal:/runs/q4.3/optuna-journal.log`; grid `report`; objective: validation \
accuracy (maximize); experiment `q4-ffn`, engine `fast`, seed 42, first 600 examples per split.

Starts from the best configuration of /runs/q4.2/sweep.json and from the defaults (learning \
rate 0.01: the report's q4.3 numbers are those of the defaults, see docs/sweeps.md).

| learning_rate | layers | train loss | dev acc | test acc | seconds | status |
|---|---|---|---|---|---|---|
| 0.001 | 2 | 0.2500 | 0.8200 | 0.7900 | 12 | ok |
| 0.001 | 3 | 0.1667 | 0.8300 | 0.7900 | 12 | ok **(best)** |
| 0.01 | 2 | 0.2500 | 0.8200 | 0.7900 | 12 | failed |
| 0.01 | 3 | 0.1667 | 0.8300 | 0.7900 | n/a | diverged |

**Best** (highest validation accuracy): learning_rate=0.001, layers=3: training loss 0.1667, \
validation accuracy 0.8300, test accuracy 0.7900.

- learning_rate=0.01, layers=2: failed: RuntimeError: boom

- learning_rate=0.01, layers=3: diverged: loss is nan
"""


def test_sweep_md_keeps_its_layout():
    best = {"number": 1, "config": ENTRIES[1]["config"], "final": ENTRIES[1]["final"]}
    assert render_markdown({**RESULT, "best": best}, ENTRIES) == EXPECTED


def test_sweep_md_without_a_winner_or_a_base():
    result = {**RESULT, "best": None, "data_limit": None}
    del result["base"]
    text = render_markdown(result, ENTRIES[2:])
    assert "seed 42, full data." in text
    assert "Starts from" not in text
    assert "**Best**: none (no configuration finished without diverging)." in text


def test_a_stalled_winner_is_marked_as_such():
    stalled = _entry(0, 0.001, 2, "stalled", message="accuracy at chance level")
    best = {"number": 0, "config": stalled["config"], "final": stalled["final"]}
    text = render_markdown({**RESULT, "best": best}, [stalled, ENTRIES[3]])
    assert "| stalled **(best)** |" in text
    assert (
        "**Best** (stalled, the highest validation accuracy: no configuration finished ok)" in text
    )
    assert "- learning_rate=0.001, layers=2: stalled: accuracy at chance level" in text


def test_outputs_replace_the_previous_ones_whole(tmp_path):
    from dlbasics.sweep import write_results

    best = {"number": 1, "config": ENTRIES[1]["config"], "final": ENTRIES[1]["final"]}
    history = [{"epoch": 1, "train_loss": 0.5, "dev_acc": 0.8, "test_acc": 0.79}]
    drawn = [{**e, "history": history} for e in ENTRIES]
    (tmp_path / "optuna-journal.log").write_text("the study\n")
    write_results({**RESULT, "best": best}, drawn, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {
        "optuna-journal.log", "sweep.json", "sweep.md", "sweep_loss.png", "sweep_dev_acc.png"
    }  # fmt: skip
    # nothing finished this time: no figure of the earlier run stays beside the new sweep.json
    write_results({**RESULT, "best": None}, ENTRIES[2:], tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"optuna-journal.log", "sweep.json", "sweep.md"}
    assert (tmp_path / "optuna-journal.log").read_text() == "the study\n"
