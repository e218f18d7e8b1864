#!/usr/bin/python3
"""Writes tests/NetGen.Tests/Fixtures/metrics.json: scikit-learn's metrics for fixed outputs and targets, which
tests/NetGen.Tests/MetricsTests.cs checks EvaluationResult.FromOutputs against.

Run with Debian's scikit-learn (apt-get install python3-sklearn):  /usr/bin/python3 tests/make_metrics_fixtures.py
The output is committed, so CI needs no Python. The outputs are rounded to float32 first (what a network gives), and
every metric is computed in float64 from those values. A class is read from a row as NetGen reads it: one value is
class 1 at 0.5 or more; several are the argmax. The ROC score of two outputs is output 1 minus output 0.
"""
import json
import os

import numpy as np
from sklearn import metrics

rng = np.random.default_rng(20261202)


def classes(rows):
    return (rows[:, 0] >= 0.5).astype(int) if rows.shape[1] == 1 else rows.argmax(axis=1)


def classification(name, outputs, labels, output_size):
    outputs = outputs.astype(np.float32)
    class_count = 2 if output_size == 1 else output_size
    targets = labels.reshape(-1, 1).astype(np.float32) if output_size == 1 else np.eye(output_size, dtype=np.float32)[labels]
    predicted = classes(outputs)
    everything = list(range(class_count))
    precision, recall, f1, support = metrics.precision_recall_fscore_support(labels, predicted, labels=everything, zero_division=0)
    case = {
        "name": name,
        "outputSize": output_size,
        "outputs": outputs.astype(np.float64).ravel().tolist(),
        "targets": targets.astype(np.float64).ravel().tolist(),
        "accuracy": metrics.accuracy_score(labels, predicted),
        "confusion": metrics.confusion_matrix(labels, predicted, labels=everything).ravel().tolist(),
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "f1": f1.tolist(),
        "support": support.tolist(),
    }
    for average in ("macro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(labels, predicted, labels=everything, average=average, zero_division=0)
        case[average] = [p, r, f]
    if class_count == 2:
        scores = outputs[:, 0].astype(np.float64) if output_size == 1 else outputs[:, 1].astype(np.float64) - outputs[:, 0].astype(np.float64)
        case["rocAuc"] = metrics.roc_auc_score(labels, scores)
    return case


def regression(name, outputs, targets):
    outputs = outputs.astype(np.float32).astype(np.float64)
    targets = targets.astype(np.float32).astype(np.float64)
    return {
        "name": name,
        "outputSize": targets.shape[1],
        "outputs": outputs.ravel().tolist(),
        "targets": targets.ravel().tolist(),
        "mse": metrics.mean_squared_error(targets, outputs),
        "mae": metrics.mean_absolute_error(targets, outputs),
        "r2": metrics.r2_score(targets, outputs),
    }


cases = []

# One sigmoid output; scores rounded to tenths so that many tie, which the ROC curve must handle.
labels = rng.integers(0, 2, 50)
scores = np.clip(np.round(0.3 * labels + rng.uniform(0, 0.7, 50), 1), 0, 1)
cases.append(classification("binary-sigmoid", scores.reshape(-1, 1), labels, 1))

# Two softmax outputs.
labels = rng.integers(0, 2, 45)
p1 = 1 / (1 + np.exp(-(1.5 * (2 * labels - 1) + rng.normal(0, 1.5, 45))))
cases.append(classification("binary-softmax", np.stack([1 - p1, p1], axis=1), labels, 2))

# Four classes, unbalanced; class 3 is never predicted (its precision divides by zero).
labels = rng.choice(4, 80, p=[0.4, 0.3, 0.2, 0.1])
logits = rng.normal(0, 1, (80, 4))
logits[np.arange(80), labels] += 1.2
logits[:, 3] -= 10
softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
cases.append(classification("multiclass-unbalanced", softmax, labels, 4))

# Five classes, class 4 absent from the targets and predicted once (its recall divides by zero).
labels = rng.integers(0, 4, 30)
logits = rng.normal(0, 1, (30, 5))
logits[np.arange(30), labels] += 1.0
logits[:, 4] -= 10
logits[7, 4] = 20
cases.append(classification("multiclass-absent", logits, labels, 5))

# Regression with two outputs.
x = rng.normal(0, 1, (40, 2))
targets = np.stack([2 * x[:, 0] + 0.5, x[:, 0] * x[:, 1]], axis=1)
cases.append(regression("regression-two", targets + rng.normal(0, 0.4, (40, 2)), targets))

# Regression with one output predicted worse than its mean (negative R^2).
targets = rng.uniform(-3, 3, (25, 1))
cases.append(regression("regression-worse-than-mean", -targets + 0.3, targets))

# Regression where one target column is constant and predicted exactly, the other constant and missed.
targets = np.column_stack([np.full(10, 2.5), np.full(10, 0.25), rng.uniform(1, 2, 10)])
outputs = np.column_stack([np.full(10, 2.5), np.full(10, 0.75), rng.uniform(1, 2, 10)])
cases.append(regression("regression-constant-columns", outputs, targets))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NetGen.Tests", "Fixtures", "metrics.json")
with open(path, "w") as f:
    json.dump({"sklearn": __import__("sklearn").__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {path}")
