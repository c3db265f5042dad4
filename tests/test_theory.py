"""The numerical checks of the report's derivations (dlbasics.theory, `dlbasics verify-math`).

Three kinds of test:
* property tests (hypothesis) of the stable functions and of each claim's formula against torch;
* each check passes with the report's formula on random seeds, and FAILS when handed a wrong
  formula (a check that cannot fail proves nothing);
* the command line: table, JSON schema, exit codes, one-line errors.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import warnings
from functools import partial

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbasics import theory
from dlbasics.errors import ConfigError

FAST = settings(max_examples=25, deadline=None)
SEEDS = settings(max_examples=4, deadline=None)

logit = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
logit_vector = st.lists(logit, min_size=2, max_size=7).map(np.array)
label = st.sampled_from([-1.0, 1.0])
seed = st.integers(0, 2**32 - 1)


def strict(function, *args):
    """Call ``function`` with numpy overflow/invalid/divide and RuntimeWarnings raising."""
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return function(*args)


def torch_derivatives(function, z):
    """First and second derivative of an elementwise torch function at the numbers z."""
    zt = torch.tensor(np.atleast_1d(z), dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(function(zt).sum(), zt, create_graph=True)
    (second,) = torch.autograd.grad(first.sum(), zt)
    return first.detach().numpy(), second.numpy()


# --- the stable functions -------------------------------------------------------------------


@FAST
@given(logit)
def test_sigmoid_is_finite_warning_free_and_matches_torch(z):
    s = strict(theory.sigmoid, z)
    assert np.isfinite(s) and 0.0 <= s <= 1.0
    assert float(s) == pytest.approx(torch.sigmoid(torch.tensor(z, dtype=torch.float64)).item())
    assert strict(theory.sigmoid, -z) == pytest.approx(1.0 - s, abs=1e-15)


def test_sigmoid_saturates_cleanly_at_the_extremes():
    z = np.array([-1e3, -745.0, -710.0, 0.0, 710.0, 1e3])
    s = strict(theory.sigmoid, z)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5


@FAST
@given(logit_vector)
def test_softmax_is_finite_warning_free_and_matches_torch(z):
    s = strict(theory.softmax, z)
    assert np.all(np.isfinite(s)) and np.all(s >= 0) and s.sum() == pytest.approx(1.0)
    expected = torch.softmax(torch.tensor(z, dtype=torch.float64), 0).numpy()
    np.testing.assert_allclose(s, expected, atol=1e-15)
    log_s = strict(theory.log_softmax, z)
    assert np.all(np.isfinite(log_s))
    expected_log = torch.log_softmax(torch.tensor(z, dtype=torch.float64), 0).numpy()
    np.testing.assert_allclose(log_s, expected_log, rtol=1e-12, atol=1e-12)


@FAST
@given(logit, label)
def test_binary_logistic_loss_is_softplus_of_minus_y_z(z, y):
    loss = strict(theory.binary_logistic_loss, z, y)
    # log(1 + exp(-y z)) = logaddexp(0, -y z). (torch's softplus returns x itself past x = 20.)
    expected = np.logaddexp(0.0, -y * z)
    assert np.isfinite(loss) and float(loss) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_binary_logistic_loss_rejects_labels_other_than_plus_minus_one():
    with pytest.raises(ValueError, match="-1 or \\+1"):
        theory.binary_logistic_loss(0.3, 0.0)


# --- claim by claim: the report's formula against torch (property tests) --------------------


@FAST
@given(logit)
def test_claim1_sigmoid_derivative_matches_autograd(z):
    first, _ = torch_derivatives(torch.sigmoid, z)
    assert float(theory.sigmoid_derivative(z)) == pytest.approx(first[0], abs=1e-15)


@FAST
@given(logit, label)
def test_claim2_binary_loss_derivatives_match_autograd(z, y):
    def loss(zt):
        logsig = torch.nn.functional.logsigmoid
        return -(1 + y) / 2 * logsig(zt) - (1 - y) / 2 * logsig(-zt)

    first, second = torch_derivatives(loss, z)
    assert float(theory.binary_loss_first_derivative(z, y)) == pytest.approx(first[0], abs=1e-14)
    claimed_second = float(theory.binary_loss_second_derivative(z, y))
    assert claimed_second == pytest.approx(second[0], abs=1e-14)
    assert claimed_second >= 0.0  # hence convex in z


@FAST
@given(logit_vector)
def test_claim3_softmax_jacobian_matches_autograd(z):
    zt = torch.tensor(z, dtype=torch.float64)
    oracle = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, 0), zt).numpy()
    np.testing.assert_allclose(theory.softmax_jacobian(z), oracle, atol=1e-14)


@FAST
@given(logit_vector, st.data())
def test_claim4_gradient_and_hessian_properties(z, data):
    a = data.draw(st.integers(0, z.size - 1))
    zt = torch.tensor(z, dtype=torch.float64)

    def loss(v):
        return -torch.log_softmax(v, 0)[a]

    grad = torch.autograd.functional.jacobian(loss, zt).numpy()
    hessian = torch.autograd.functional.hessian(loss, zt).numpy()
    np.testing.assert_allclose(theory.multinomial_loss_gradient(z, a), grad, atol=1e-14)
    h = theory.multinomial_loss_hessian(z, a)
    np.testing.assert_allclose(h, hessian, atol=1e-14)
    np.testing.assert_array_equal(h, h.T)
    diagonal = np.diag(h)
    assert np.all(diagonal >= 0)
    assert np.all(np.abs(h).sum(axis=1) - np.abs(diagonal) <= np.abs(diagonal) + 1e-15)
    assert np.linalg.eigvalsh(h)[0] >= -1e-15
    np.testing.assert_allclose(h @ np.ones(z.size), 0.0, atol=1e-15)


@FAST
@given(
    st.integers(2, 4),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["logistic", "squared"]),
)
def test_claims5_and_7_affine_hessian_is_kronecker_and_psd(classes, features, draw_seed, kind):
    rng = np.random.default_rng(draw_seed)
    phi = rng.normal(0.0, 3.0, features)
    matrix = rng.normal(0.0, 3.0, (classes, features + 1))  # [W | b]
    u = np.append(phi, 1.0)
    if kind == "logistic":
        a = int(rng.integers(0, classes))
        hessian_z = theory.multinomial_loss_hessian(matrix @ u, a)

        def loss(theta):
            return -torch.log_softmax(theta.reshape(classes, -1) @ torch.tensor(u), 0)[a]
    else:
        y = rng.normal(0.0, 3.0, classes)
        hessian_z = theory.squared_loss_hessian(matrix @ u, y)
        np.testing.assert_array_equal(hessian_z, np.eye(classes))

        def loss(theta):
            diff = theta.reshape(classes, -1) @ torch.tensor(u) - torch.tensor(y)
            return 0.5 * (diff * diff).sum()

    theta = torch.tensor(matrix.ravel())
    oracle = torch.autograd.functional.hessian(loss, theta).numpy()
    claimed = theory.affine_param_hessian(phi, hessian_z)
    np.testing.assert_allclose(claimed, oracle, atol=1e-12 * max(1.0, np.abs(oracle).max()))
    assert np.linalg.eigvalsh(claimed)[0] >= -1e-12 * max(1.0, np.abs(claimed).max())


@FAST
@given(st.lists(st.integers(1, 5), min_size=2, max_size=6), seed)
def test_claim8_composed_map_equals_the_linear_network(widths, draw_seed):
    rng = np.random.default_rng(draw_seed)
    layers = [
        (rng.normal(size=(fan_out, fan_in)), rng.normal(size=fan_out))
        for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True)
    ]
    x = rng.normal(0.0, 10.0, widths[0])
    net = torch.nn.Sequential(
        *[torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64) for w, _ in layers]
    )
    with torch.no_grad():
        for module, (w, b) in zip(net, layers, strict=True):
            module.weight.copy_(torch.tensor(w))
            module.bias.copy_(torch.tensor(b))
        output = net(torch.tensor(x)).numpy()
    weight, bias = theory.compose_affine_layers(layers)
    assert weight.shape == (widths[-1], widths[0])
    np.testing.assert_allclose(weight @ x + bias, output, rtol=1e-10, atol=1e-10)


# --- the checks pass with the report's formulas, on random seeds ----------------------------


@SEEDS
@given(seed)
def test_scalar_claims_pass_on_random_seeds(draw_seed):
    for check in (theory.check_sigmoid_derivative, theory.check_binary_logistic_loss):
        result = check(cases=50, seed=draw_seed)
        assert result.status == "PASS", result.detail


@SEEDS
@given(seed)
def test_vector_claims_pass_on_random_seeds(draw_seed):
    for number in (3, 4, 5, 7, 8):
        result = theory.CHECKS[number](cases=8, seed=draw_seed)
        assert result.status == "PASS", result.detail
        assert 0.0 <= result.worst_error <= result.tolerance


@SEEDS
@given(seed)
def test_claim6_prints_a_counterexample_that_really_is_one(draw_seed):
    result = theory.check_hidden_layer_nonconvexity(cases=30, seed=draw_seed)
    assert result.status == "PASS" and result.worst_error > result.tolerance
    # Re-read the printed numbers and check the counterexample from them alone.
    x = float(re.search(r"x=(\S+),", result.detail).group(1))
    a = int(re.search(r"class a=(\d+)", result.detail).group(1))
    theta1, theta2 = (
        np.array(
            [float(v) for v in re.search(rf"{name}=\[([^\]]*)\]", result.detail)[1].split(",")]
        )
        for name in ("theta1", "theta2")
    )
    loss1 = theory.hidden_layer_loss(theta1, x, a)
    loss2 = theory.hidden_layer_loss(theta2, x, a)
    midpoint = theory.hidden_layer_loss((theta1 + theta2) / 2, x, a)
    assert midpoint - (loss1 + loss2) / 2 == pytest.approx(result.worst_error, rel=1e-9)
    assert midpoint > (loss1 + loss2) / 2 + 1e-6


# --- and they FAIL when handed a wrong formula ----------------------------------------------


def fails(result: theory.ClaimResult) -> bool:
    return result.status == "FAIL"


def test_claim1_fails_for_wrong_derivatives():
    s = theory.sigmoid
    assert fails(theory.check_sigmoid_derivative(lambda z: -s(z) * (1 - s(z)), cases=20))
    assert fails(theory.check_sigmoid_derivative(lambda z: s(z) * (1 + s(z)), cases=20))
    assert fails(theory.check_sigmoid_derivative(lambda z: s(z) - s(z) ** 3, cases=20))


def test_claim2_fails_for_wrong_derivatives():
    s = theory.sigmoid

    def swapped_labels(z, y):
        return theory.binary_loss_first_derivative(z, -y)

    assert fails(theory.check_binary_logistic_loss(swapped_labels, cases=20))
    flipped = theory.check_binary_logistic_loss(
        second_derivative=lambda z, y: -s(z) * (1 - s(z)), cases=20
    )
    assert fails(flipped) and "L''>=0" in flipped.detail.split("worst case:")[1]


def test_claim3_fails_for_a_sign_flipped_or_incomplete_jacobian():
    assert fails(theory.check_softmax_jacobian(lambda z: -theory.softmax_jacobian(z), cases=10))
    no_diagonal = theory.check_softmax_jacobian(
        lambda z: -np.outer(theory.softmax(z), theory.softmax(z)), cases=10
    )
    assert fails(no_diagonal) and "autograd" in no_diagonal.detail


def test_claim4_fails_for_wrong_gradient_or_hessian():
    def flipped_gradient(z, a):
        return -theory.multinomial_loss_gradient(z, a)

    assert fails(theory.check_multinomial_logistic_loss(flipped_gradient, cases=10))
    flipped = theory.check_multinomial_logistic_loss(
        hessian=lambda z, a: -theory.multinomial_loss_hessian(z, a), cases=10
    )
    assert fails(flipped) and "PSD" in flipped.detail.split("worst case:")[1]
    diagonal_only = theory.check_multinomial_logistic_loss(
        hessian=lambda z, a: np.diag(theory.softmax(z)), cases=10
    )
    assert fails(diagonal_only) and "H1=0" in diagonal_only.detail.split("worst case:")[1]


def test_claim5_fails_for_a_wrong_kronecker_order_or_a_concave_loss():
    def swapped_order(phi, hessian_z):
        u = np.append(phi, 1.0)
        return np.kron(np.outer(u, u), hessian_z)

    assert fails(theory.check_affine_logistic_convexity(swapped_order, cases=15))

    def concave_loss(z, a):
        return torch.log_softmax(z, -1)[..., int(a)]

    concave = theory.check_affine_logistic_convexity(
        hessian_z=lambda z, a: -theory.multinomial_loss_hessian(z, a),
        loss=concave_loss,
        cases=15,
    )
    worst_case = concave.detail.split("worst case:")[1]
    assert fails(concave) and "PSD in theta" in worst_case and "Jensen in theta" in worst_case
    assert "autograd H_theta" not in worst_case  # the formulas matched: convexity is what failed


def test_claim6_fails_when_the_model_is_convex():
    def affine_model_loss(theta, x, a):  # no hidden layer: convex, so no counterexample exists
        return theory.multinomial_logistic_loss(theta[:2] * x + theta[2:4], a)  # theta[4:] unused

    result = theory.check_hidden_layer_nonconvexity(affine_model_loss, cases=200)
    assert fails(result) and result.worst_error <= result.tolerance
    assert "no counterexample" in result.detail


def test_claim6_mirror_pair_alone_is_a_counterexample():
    theta1, theta2, x, a = theory.MIRROR_PAIRS[0]
    assert theory.hidden_layer_loss(theta1, x, a) == pytest.approx(
        theory.hidden_layer_loss(theta2, x, a)
    )
    midpoint = theory.hidden_layer_loss((theta1 + theta2) / 2, x, a)
    assert midpoint == pytest.approx(math.log(2.0))
    assert midpoint - theory.hidden_layer_loss(theta1, x, a) == pytest.approx(0.4959, abs=1e-4)
    # With a single random try the fixed mirror pair still makes the claim pass.
    assert theory.check_hidden_layer_nonconvexity(cases=1, seed=5).status == "PASS"


def test_claim7_fails_for_a_wrong_hessian_or_a_concave_loss():
    assert fails(theory.check_squared_loss_convexity(lambda z, y: 2 * np.eye(z.size), cases=10))

    def negative_squared(z, y):
        diff = z - torch.as_tensor(y, dtype=torch.float64)
        return -0.5 * (diff * diff).sum(-1)

    concave = theory.check_squared_loss_convexity(
        lambda z, y: -np.eye(z.size), loss=negative_squared, cases=10
    )
    worst_case = concave.detail.split("worst case:")[1]
    assert fails(concave) and "PSD in z" in worst_case and "Jensen in z" in worst_case


def test_claim8_fails_for_wrong_compositions():
    def last_bias_only(layers):
        weight, _ = theory.compose_affine_layers(layers)
        return weight, layers[-1][1]

    def reversed_order(layers):
        return theory.compose_affine_layers(list(reversed(layers)))

    assert fails(theory.check_linear_layers_collapse(last_bias_only, cases=10))
    assert fails(theory.check_linear_layers_collapse(reversed_order, cases=10))


def test_a_formula_that_raises_or_returns_nan_fails_instead_of_crashing():
    def raises(z):
        raise IndexError("bad index")

    crashed = theory.check_sigmoid_derivative(raises, cases=5)
    assert fails(crashed) and "IndexError" in crashed.detail and math.isinf(crashed.worst_error)
    nan = theory.check_sigmoid_derivative(lambda z: np.full_like(z, np.nan), cases=5)
    assert fails(nan) and math.isinf(nan.worst_error)


def test_an_overflowing_formula_fails_as_numerical():
    result = theory.check_sigmoid_derivative(lambda z: np.exp(z) / (1 + np.exp(z)) ** 2, cases=5)
    assert fails(result) and "numerical" in result.detail


# --- verify_all and its JSON ----------------------------------------------------------------

JSON_KEYS = {"name", "method", "cases", "worst_error", "tolerance", "status", "detail"}


def test_verify_all_checks_the_eight_claims_deterministically():
    first = theory.verify_all(cases=6, seed=3)
    assert [r.name[0] for r in first] == [str(n) for n in range(1, 9)]
    assert theory.all_passed(first), [r.detail for r in first if r.status != "PASS"]
    assert theory.results_to_json(first) == theory.results_to_json(theory.verify_all(6, 3))
    other_seed = theory.results_to_json(theory.verify_all(cases=6, seed=4))
    assert other_seed != theory.results_to_json(first)


def test_results_to_json_schema_and_non_finite_errors():
    results = theory.verify_all(cases=3, seed=0, claims=[1, 6])
    results.append(theory.check_sigmoid_derivative(lambda z: np.full_like(z, np.nan), cases=3))
    document = theory.results_to_json(results)
    assert set(document) == {"claims"}
    for claim in document["claims"]:
        assert set(claim) == JSON_KEYS
        assert isinstance(claim["cases"], int) and claim["status"] in ("PASS", "FAIL")
    assert document["claims"][-1]["worst_error"] is None  # inf -> null, JSON stays valid
    json.dumps(document, allow_nan=False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cases": 0}, "--cases"),
        ({"cases": -5}, "--cases"),
        ({"seed": -1}, "--seed"),
        ({"claims": [9]}, "--claim"),
    ],
)
def test_verify_all_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        theory.verify_all(**kwargs)


def test_table_lists_every_claim_and_the_counterexample():
    results = theory.verify_all(cases=4, seed=0)
    table = theory.format_table(results)
    lines = table.splitlines()
    cells = [cell.strip() for cell in lines[0].split("|")]
    assert cells == ["claim", "method", "cases", "worst error", "tolerance", "status"]
    rows = lines[2:10]
    assert [row.split("|")[0].strip() for row in rows] == [r.name for r in results]
    assert all(row.endswith("PASS") for row in rows)
    assert "8/8 claims pass." in table and "counterexample at x=" in table


# --- the command line -----------------------------------------------------------------------


def run_main(monkeypatch, capsys, *args):
    """Run the real entry point in-process; return (exit code, stdout, stderr)."""
    from dlbasics.cli import main

    monkeypatch.setattr(sys, "argv", ["dlbasics", "verify-math", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_table_and_exit_zero(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "--cases", "4", "--seed", "2")
    assert code == 0, err
    header = out.splitlines()[0]
    assert re.match(r"claim\s+\| method\s+\| cases \| worst error \| tolerance \| status", header)
    assert out.count("| PASS") == 8 and "FAIL" not in out


def test_cli_json_schema(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "--json", "--cases", "4", "--claim", "6")
    assert code == 0, err
    document = json.loads(out)
    assert len(document["claims"]) == 1 and set(document["claims"][0]) == JSON_KEYS
    assert document["claims"][0]["detail"].startswith("counterexample at x=")


def test_cli_exits_non_zero_when_a_claim_fails(monkeypatch, capsys):
    wrong = partial(theory.check_softmax_jacobian, lambda z: -theory.softmax_jacobian(z))
    monkeypatch.setitem(theory.CHECKS, 3, wrong)
    code, out, _ = run_main(monkeypatch, capsys, "--cases", "3", "--claim", "3", "--claim", "1")
    assert code == 1
    assert re.search(r"^3 softmax Jacobian .*\| FAIL$", out, re.MULTILINE)
    assert re.search(r"^1 sigmoid derivative .*\| PASS$", out, re.MULTILINE)
    code, out, _ = run_main(monkeypatch, capsys, "--json", "--cases", "3", "--claim", "3")
    assert code == 1 and json.loads(out)["claims"][0]["status"] == "FAIL"


@pytest.mark.parametrize(
    "args",
    [
        ("--cases", "0"),
        ("--cases", "abc"),
        ("--cases", "2.5"),
        ("--seed", "-1"),
        ("--seed", "x"),
        ("--claim", "9"),
    ],
)
def test_cli_bad_values_are_one_line(monkeypatch, capsys, args):
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: invalid " + args[0]), err


def test_the_installed_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "dlbasics", "verify-math", "--cases", "3", "--claim", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "1 sigmoid derivative" in result.stdout and "1/1 claims pass." in result.stdout
