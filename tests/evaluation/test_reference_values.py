"""Published reference values, reproduced to the precision they were published with (1e-4 where given).

Each case names its source. Where a peer library's test carries the paper's table (pyrepo-mcda,
JMcDM), the citation is the paper's and the library is named beside it.
"""

from __future__ import annotations

import numpy as np
import pytest

from jiju.evaluation.engine import ahp_weights, evaluate
from tests.evaluation.helpers import column, matrix_frame, matrix_scheme


def test_topsis_vector_jmcdm():
    """JMcDM (Julia) TOPSIS test: 3 alternatives, weights 4:2:6:8, all benefits, vector normalisation."""
    matrix = [[9, 7, 6, 7], [8, 7, 9, 6], [7, 8, 6, 6]]
    result = evaluate(matrix_scheme(4, weights=[0.2, 0.1, 0.3, 0.4], aggregate="topsis"), matrix_frame(matrix))
    np.testing.assert_allclose(column(result, "score"), [0.3876870, 0.6503238, 0.0834767], atol=1e-6)
    assert list(column(result, "rank")) == [2, 1, 3]


def test_topsis_papathanasiou_ploskas_2018():
    """Papathanasiou & Ploskas (2018), TOPSIS, in Multiple Criteria Decision Aid, Springer (pyrepo-mcda's test)."""
    matrix = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    result = evaluate(matrix_scheme(4, weights=[0.4, 0.3, 0.1, 0.2], aggregate="topsis"), matrix_frame(matrix))
    assert list(np.round(column(result, "score"), 3)) == [0.387, 0.327, 0.391, 0.615, 0.868, 0.493]


@pytest.mark.parametrize(
    ("matrix", "expected", "source"),
    [
        (
            [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]],
            [0.4630, 0.3992, 0.1378, 0.0000],
            "Xu (2004), EJOR 156(2) 530-532",
        ),
        (
            [[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]],
            [0.1146, 0.1981, 0.4185, 0.2689],
            "Zavadskas & Podvezko (2016), IJITDM 15(02) 267-283",
        ),
    ],
)
def test_entropy_weights(matrix, expected, source):
    result = evaluate(matrix_scheme(4, weighting="entropy"), matrix_frame(matrix))
    weights = [result[f"c{j}.weight"][0] for j in range(4)]
    np.testing.assert_allclose(weights, expected, atol=1e-4, err_msg=source)


def test_critic_weights_tus_aytac_adali_2019():
    """Tuş & Aytaç Adalı (2019), CRITIC-WASPAS, Opsearch 56(2) 528-538 (pyrepo-mcda's test): every column,
    the cost c0 too, min-max scaled as a benefit, which is the `critic_benefit` variant."""
    matrix = [
        [5000, 3, 3, 4, 3, 2],
        [680, 5, 3, 2, 2, 1],
        [2000, 3, 2, 3, 4, 3],
        [600, 4, 3, 1, 2, 2],
        [800, 2, 4, 3, 3, 4],
    ]
    result = evaluate(matrix_scheme(6, weighting="critic_benefit", types=[-1, 1, 1, 1, 1, 1]), matrix_frame(matrix))
    weights = [round(result[f"c{j}.weight"][0], 3) for j in range(6)]
    assert weights == [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


def test_ahp_papathanasiou_ploskas_2018():
    """Papathanasiou & Ploskas (2018), AHP, Springer, DOI 10.1007/978-3-319-91648-4_5 (pyrepo-mcda's test):
    criteria weights and local priorities by the principal eigenvector, global priorities as their sum."""
    criteria = [[1, 1, 5, 3], [1, 1, 5, 3], [1 / 5, 1 / 5, 1, 1 / 3], [1 / 3, 1 / 3, 3, 1]]
    alternatives = [
        [
            [1, 5, 1, 1, 1 / 3, 3],
            [1 / 5, 1, 1 / 3, 1 / 5, 1 / 7, 1],
            [1, 3, 1, 1 / 3, 1 / 5, 1],
            [1, 5, 3, 1, 1 / 3, 3],
            [3, 7, 5, 3, 1, 7],
            [1 / 3, 1, 1, 1 / 3, 1 / 7, 1],
        ],
        [
            [1, 7, 3, 1 / 3, 1 / 3, 1 / 3],
            [1 / 7, 1, 1 / 3, 1 / 7, 1 / 9, 1 / 7],
            [1 / 3, 3, 1, 1 / 5, 1 / 5, 1 / 5],
            [3, 7, 5, 1, 1, 1],
            [3, 9, 5, 1, 1, 1],
            [3, 7, 5, 1, 1, 1],
        ],
        [
            [1, 1 / 9, 1 / 7, 1 / 9, 1, 1 / 5],
            [9, 1, 1, 1, 5, 3],
            [7, 1, 1, 1, 5, 1],
            [9, 1, 1, 1, 7, 3],
            [1, 1 / 5, 1 / 5, 1 / 7, 1, 1 / 3],
            [5, 1 / 3, 1, 1 / 3, 3, 1],
        ],
        [
            [1, 1 / 5, 1 / 5, 1 / 3, 1 / 7, 1 / 5],
            [5, 1, 1, 3, 1 / 3, 1],
            [5, 1, 1, 1, 1 / 3, 1],
            [3, 1 / 3, 1, 1, 1 / 7, 1],
            [7, 3, 3, 7, 1, 5],
            [5, 1, 1, 1, 1 / 5, 1],
        ],
    ]
    weights, ratio = ahp_weights(tuple(map(tuple, criteria)))
    assert ratio < 0.1
    local = np.column_stack([ahp_weights(tuple(map(tuple, m)))[0] for m in alternatives])
    assert list(np.round(local @ weights, 3)) == [0.117, 0.071, 0.095, 0.212, 0.350, 0.155]


def test_weighted_sum_with_max_normalization_rizan_2020():
    """Rizan et al. (2020), SAW for school admission, CITSM 2020, DOI 10.1109/CITSM50537.2020.9268874
    (pyrepo-mcda's test; linear normalisation there is x / max)."""
    matrix = [
        [0.75, 0.50, 0.75, 0, 0, 0, 1],
        [0.75, 1, 0.75, 0, 0, 0, 0.75],
        [0.75, 0.75, 0.75, 0, 0.50, 0.25, 1],
        [0.50, 0.50, 0.75, 1, 0.50, 0, 0.75],
    ]
    weights = [0.1, 0.1, 0.1, 0.15, 0.2, 0.25, 0.1]
    result = evaluate(matrix_scheme(7, weights=weights, normalize="max"), matrix_frame(matrix))
    assert list(np.round(column(result, "score"), 3)) == [0.35, 0.375, 0.825, 0.642]


X = [3.0, 2.5, 1.8, 2.2]
# Values of pymcdm 1.4.0's normalizations (vector, sum, max, minmax) for X, benefit then cost.
PYMCDM = {
    "vector": ([0.621103, 0.517586, 0.372662, 0.455476], [0.378897, 0.482414, 0.627338, 0.544524]),
    "sum": ([0.315789, 0.263158, 0.189474, 0.231579], [0.191194, 0.229432, 0.318656, 0.260718]),
    "max": ([1.0, 0.833333, 0.6, 0.733333], [0.0, 0.166667, 0.4, 0.266667]),
    "minmax": ([1.0, 0.583333, 0.0, 0.333333], [0.0, 0.416667, 1.0, 0.666667]),
}


@pytest.mark.parametrize("method", list(PYMCDM))
@pytest.mark.parametrize("cost", [False, True])
def test_normalizations_match_pymcdm(method, cost):
    result = evaluate(
        matrix_scheme(1, weights=[1], types=[-1 if cost else 1], normalize=method), matrix_frame([[x] for x in X])
    )
    np.testing.assert_allclose(column(result, "c0.normalized"), PYMCDM[method][cost], atol=1e-6)


def test_linear_benchmark_zscore_percentile_by_their_formulas():
    frame = matrix_frame([[x] for x in X])
    linear = column(evaluate(matrix_scheme(1, weights=[1], normalize="linear"), frame), "c0.normalized")
    spread = (np.array(X) - min(X)) / (max(X) - min(X))
    np.testing.assert_allclose(linear, (20 + 80 * spread) / 100, atol=1e-12)
    z = column(evaluate(matrix_scheme(1, weights=[1], normalize="zscore"), frame), "c0.normalized")
    np.testing.assert_allclose(z, (np.array(X) - np.mean(X)) / np.std(X), atol=1e-9)
    pct = column(evaluate(matrix_scheme(1, weights=[1], normalize="percentile"), frame), "c0.normalized")
    np.testing.assert_allclose(pct, [1.0, 0.75, 0.25, 0.5])
    options = "benchmark = 2.0\ncap = 1.2"
    capped = column(
        evaluate(matrix_scheme(1, weights=[1], normalize="benchmark", options=options), frame), "c0.normalized"
    )
    np.testing.assert_allclose(capped, [1.2, 1.2, 0.9, 1.1])
    scheme = matrix_scheme(1, weights=[1], types=[-1], normalize="benchmark", options=options)
    cost = column(evaluate(scheme, frame), "c0.normalized")
    np.testing.assert_allclose(cost, [2 / 3.0, 0.8, 1.111111, 0.909091], atol=1e-6)
