"""A stand-in training step: reads the words prepare wrote, 'fits' a model, and logs a metric to its step run.

It uses only the standard library and MLflow's REST protocol, so it runs on any python3; an MLflow client would
log to the same run because keel sets MLFLOW_TRACKING_URI and MLFLOW_RUN_ID for the step.
"""
import json
import os
import time
import urllib.request

words = open(os.environ["KEEL_INPUT_WORDS"]).read().split()
model = {"vocabulary": sorted(set(words))}
score = len(model["vocabulary"]) / (len(words) + 1)

with open(os.environ["KEEL_OUTPUT_MODEL"], "w") as out:
    json.dump(model, out)

request = urllib.request.Request(
    os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/runs/log-metric",
    data=json.dumps({
        "run_id": os.environ["MLFLOW_RUN_ID"],
        "key": "score",
        "value": score,
        "timestamp": int(time.time() * 1000),
    }).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
urllib.request.urlopen(request).read()
print(f"vocabulary of {len(model['vocabulary'])} words, score {score:.3f}")
