#!/usr/bin/env python3
"""Train a model on the rows `personalize data export` writes and ship it as an ONNX bundle.

Needs only Debian's packages (no pip): `apt-get install python3-sklearn python3-onnx`.

    python3 models/python/train_onnx.py churn-rows.csv --kind churn --label churned --out my-models/churn-onnx

Reads the export (a header with `customer_id`, the features by name, the label), splits customers
80/20 with a seeded shuffle, fits scikit-learn's LogisticRegression (a probability) or
PoissonRegressor (a value, log link) on mean-imputed, standardized numbers and one-hot categories,
and writes into --out:

- `{version}.zip`, the bundle: `manifest.json` (kind, version, format onnx, output, features by name
  and type, the metrics scikit-learn measured on the hold-out, label_column, SHA-256 of the graph),
  `model.onnx`, and `holdout.csv` (the hold-out rows exactly as exported, which the service scores
  itself at activation);
- `reference.csv`: the hold-out rows with `python_score`, what the scikit-learn model answers
  for each (the service's scores of the same rows must match within 1e-5);
- `MODEL_CARD.md`.

The ONNX graph is written with the `onnx` helper API (skl2onnx is not packaged by Debian): one
[N,1] input per feature named as the feature (float for numbers and booleans, string for
categories), NaN replaced by the training mean, standardized, categories one-hot encoded
(`ai.onnx.ml.OneHotEncoder`, unseen categories all zero), a MatMul and Add, then Sigmoid (output
`probability`) or Exp (output `value`).
"""

import argparse
import csv
import datetime
import hashlib
import io
import json
import math
import random
import sys
import zipfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LogisticRegression, PoissonRegressor
from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error, roc_auc_score, average_precision_score

# Columns an export carries that are not features.
NOT_FEATURES = {"customer_id", "decision_id", "offer_id", "decided_at", "channel", "arm", "offer_model_version", "placement", "propensity", "score", "outcome", "as_of"}


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader if len(r) == len(header)]
    return header, rows


def is_number(text):
    if text == "":
        return True
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def infer_features(header, rows, label, chosen):
    names = chosen or [h for h in header if h not in NOT_FEATURES and h != label]
    features = []
    for name in names:
        i = header.index(name)
        values = [r[i] for r in rows]
        if all(is_number(v) for v in values):
            kind = "bool" if all(v in ("", "0", "1") for v in values) else "float"
        else:
            kind = "string"
        features.append({"name": name, "type": kind})
    return features


def split(rows, header, share, seed):
    """Hold out a seeded share of customers (all of a customer's rows on one side)."""
    key = header.index("customer_id") if "customer_id" in header else None
    groups = sorted({r[key] if key is not None else str(n) for n, r in enumerate(rows)})
    rng = random.Random(seed)
    rng.shuffle(groups)
    held = set(groups[: int(round(len(groups) * share))])
    train, test = [], []
    for n, r in enumerate(rows):
        (test if (r[key] if key is not None else str(n)) in held else train).append(r)
    return train, test


class Design:
    """Mean imputation and standardization for numbers, one-hot for categories, fitted on the training rows."""

    def __init__(self, features, header, rows):
        self.features = features
        self.columns = [header.index(f["name"]) for f in features]
        self.params = []
        for f, c in zip(features, self.columns):
            if f["type"] == "string":
                self.params.append(sorted({r[c] for r in rows}))
            else:
                x = np.array([float(r[c]) if r[c] != "" else np.nan for r in rows], dtype=np.float64)
                mean = float(np.nanmean(x)) if np.any(~np.isnan(x)) else 0.0
                std = float(np.nanstd(x)) or 1.0
                self.params.append((mean, std))

    def matrix(self, rows):
        blocks = []
        for f, c, p in zip(self.features, self.columns, self.params):
            if f["type"] == "string":
                index = {v: i for i, v in enumerate(p)}
                block = np.zeros((len(rows), len(p)))
                for n, r in enumerate(rows):
                    if r[c] in index:
                        block[n, index[r[c]]] = 1.0
            else:
                mean, std = p
                # float32 first: the service reads every number as a float.
                x = np.array([np.float32(r[c]) if r[c] != "" else np.nan for r in rows], dtype=np.float64)
                x = np.where(np.isnan(x), mean, x)
                block = ((x - mean) / std).reshape(-1, 1)
            blocks.append(block)
        return np.hstack(blocks)


def onnx_graph(design, coef, intercept, output):
    inputs, nodes, inits, parts = [], [], [], []
    for f, p in zip(design.features, design.params):
        name = f["name"]
        if f["type"] == "string":
            inputs.append(helper.make_tensor_value_info(name, TensorProto.STRING, ["N", 1]))
            nodes.append(helper.make_node("OneHotEncoder", [name], [f"{name}__hot3"], domain="ai.onnx.ml", cats_strings=p, zeros=1))
            inits.append(numpy_helper.from_array(np.array([-1, len(p)], dtype=np.int64), f"{name}__shape"))
            nodes.append(helper.make_node("Reshape", [f"{name}__hot3", f"{name}__shape"], [f"{name}__hot"]))
            parts.append(f"{name}__hot")
        else:
            mean, std = p
            inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", 1]))
            inits.append(numpy_helper.from_array(np.array([mean], dtype=np.float32), f"{name}__mean"))
            inits.append(numpy_helper.from_array(np.array([std], dtype=np.float32), f"{name}__std"))
            nodes.append(helper.make_node("IsNaN", [name], [f"{name}__nan"]))
            nodes.append(helper.make_node("Where", [f"{name}__nan", f"{name}__mean", name], [f"{name}__filled"]))
            nodes.append(helper.make_node("Sub", [f"{name}__filled", f"{name}__mean"], [f"{name}__centred"]))
            nodes.append(helper.make_node("Div", [f"{name}__centred", f"{name}__std"], [f"{name}__z"]))
            parts.append(f"{name}__z")
    inits.append(numpy_helper.from_array(coef.reshape(-1, 1).astype(np.float32), "coef"))
    inits.append(numpy_helper.from_array(np.array([intercept], dtype=np.float32), "intercept"))
    nodes.append(helper.make_node("Concat", parts, ["x"], axis=1))
    nodes.append(helper.make_node("MatMul", ["x", "coef"], ["linear"]))
    nodes.append(helper.make_node("Add", ["linear", "intercept"], ["eta"]))
    nodes.append(helper.make_node("Sigmoid" if output == "probability" else "Exp", ["eta"], [output]))
    graph = helper.make_graph(nodes, "personalization", inputs, [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["N", 1])], inits)
    model = helper.make_model(graph, producer_name="models/python/train_onnx.py",
                              opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    onnx.checker.check_model(model)
    return model.SerializeToString()


def calibration_error(p, y):
    bins = np.minimum(9, (p * 10).astype(int))
    return float(sum(np.sum(bins == b) * abs(p[bins == b].mean() - y[bins == b].mean()) for b in range(10) if np.any(bins == b)) / len(p))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", help="CSV written by `personalize data export` (or the same columns)")
    ap.add_argument("--kind", required=True, help="the model kind, e.g. churn")
    ap.add_argument("--label", required=True, help="the label column, e.g. churned")
    ap.add_argument("--output", choices=["probability", "value"], default="probability")
    ap.add_argument("--features", help="comma-separated feature columns (default: every column but ids and the label)")
    ap.add_argument("--out", required=True, help="folder for the bundle, reference.csv and MODEL_CARD.md")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--holdout-share", type=float, default=0.2)
    ap.add_argument("--training-data", default="", help="what the rows are, for the manifest and the card")
    ap.add_argument("--created-at", default=None, help="ISO time for the manifest (default now)")
    args = ap.parse_args()

    header, rows = read_rows(args.rows)
    li = header.index(args.label)
    rows = [r for r in rows if r[li] != ""]
    features = infer_features(header, rows, args.label, args.features.split(",") if args.features else None)
    train, test = split(rows, header, args.holdout_share, args.seed)
    design = Design(features, header, train)
    x_train, x_test = design.matrix(train), design.matrix(test)
    y_train = np.array([float(r[li]) for r in train])
    y_test = np.array([float(r[li]) for r in test])

    if args.output == "probability":
        model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000).fit(x_train, y_train)
        scores = model.predict_proba(x_test)[:, 1]
        trainer = "scikit-learn LogisticRegression"
        settings = {"C": "1.0", "solver": "lbfgs"}
        metrics = {"auc": roc_auc_score(y_test, scores), "pr_auc": average_precision_score(y_test, scores),
                   "log_loss": log_loss(y_test, scores), "calibration_error": calibration_error(scores, y_test),
                   "positive_rate": float(y_test.mean())}
    else:
        model = PoissonRegressor(alpha=1e-3, max_iter=20000).fit(x_train, y_train)
        scores = model.predict(x_test)
        trainer = "scikit-learn PoissonRegressor"
        settings = {"alpha": "0.001", "link": "log"}
        metrics = {"rmse": math.sqrt(mean_squared_error(y_test, scores)), "mae": mean_absolute_error(y_test, scores),
                   "mean_prediction": float(scores.mean()), "mean_label": float(y_test.mean()),
                   # What predicting the training mean for everyone scores: the bar a value model must clear.
                   "baseline_rmse": math.sqrt(mean_squared_error(y_test, np.full(len(y_test), y_train.mean())))}
    settings.update({"seed": str(args.seed), "hold_out_share": str(args.holdout_share), "sklearn": __import__("sklearn").__version__})
    coef = np.ravel(model.coef_)
    intercept = float(np.ravel([model.intercept_])[0])

    graph = onnx_graph(design, coef, intercept, args.output)
    sha = hashlib.sha256(graph).hexdigest()
    created = args.created_at or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    version = f"{args.kind}-onnx-{created[:10]}-{sha[:8]}"
    manifest = {
        "kind": args.kind, "version": version, "created_at": created, "trainer": trainer, "trainer_settings": settings,
        "training_data": args.training_data or f"{len(rows)} exported rows of {args.rows.split('/')[-1]}; {len(train)} train, {len(test)} hold-out (by customer, seed {args.seed})",
        "features": features, "metrics": {k: round(float(v), 4) for k, v in metrics.items()},
        "content_sha256": sha, "format": "onnx", "output": args.output, "label_column": args.label,
    }

    holdout = io.StringIO()
    w = csv.writer(holdout, lineterminator="\n")
    w.writerow(header)
    w.writerows(test)

    import os
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".zip"):
            os.remove(os.path.join(args.out, old))
    bundle = os.path.join(args.out, f"{version}.zip")
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        z.writestr("model.onnx", graph)
        z.writestr("holdout.csv", holdout.getvalue())

    with open(os.path.join(args.out, "reference.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header + ["python_score"])
        for r, s in zip(test, scores):
            w.writerow(r + [repr(float(s))])

    with open(os.path.join(args.out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(f"# Model card: {args.kind} `{version}` (ONNX)\n\n")
        f.write(f"- **Trained:** {created} with `models/python/train_onnx.py` (seed {args.seed}; the same rows and seed give the same graph)\n")
        f.write(f"- **Trainer:** {trainer} ({', '.join(f'{k}={v}' for k, v in settings.items())})\n")
        f.write(f"- **Data:** {manifest['training_data']}\n")
        f.write(f"- **Output:** {args.output}, label `{args.label}`\n")
        f.write(f"- **SHA-256 of model.onnx:** `{sha}`\n\n")
        f.write("## Hold-out metrics (scikit-learn's; the service measures its own on holdout.csv at activation)\n\n| metric | value |\n|---|---|\n")
        for k, v in manifest["metrics"].items():
            f.write(f"| {k} | {v:.4f} |\n")
        f.write("\n## Features\n\n| name | type |\n|---|---|\n")
        for feat in features:
            f.write(f"| `{feat['name']}` | {feat['type']} |\n")

    print(f"{version} written to {bundle}")
    for k, v in manifest["metrics"].items():
        print(f"  {k:<20} {v:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
