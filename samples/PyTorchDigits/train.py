#!/usr/bin/python3
"""Trains a small convolutional network on the UCI digits in PyTorch and exports it to ONNX for `netgen import`.

Run from the repository's root with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 samples/PyTorchDigits/train.py
It writes, next to itself, digits.onnx (the trained model) and pytorch_outputs.csv (PyTorch's ten probabilities for
each of the 297 held-out digits, the rows after the first 1,500 of data/digits/digits.csv.gz), both committed.
The training here is on one CPU; the point is that it is PyTorch's, and could be on a cluster.
"""
import gzip
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "digits", "digits.csv.gz")
TRAIN = 1500

torch.manual_seed(7)
with gzip.open(DATA, "rt") as f:
    rows = [[float(v) for v in line.split(",")] for line in f if line.strip()]
pixels = torch.tensor([row[:64] for row in rows]).reshape(-1, 1, 8, 8) / 16.0
labels = torch.tensor([int(row[64]) for row in rows])

model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(8 * 4 * 4, 32), nn.ReLU(),
    nn.Linear(32, 10), nn.Softmax(dim=1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(40):
    order = torch.randperm(TRAIN)
    for start in range(0, TRAIN, 32):
        batch = order[start:start + 32]
        optimizer.zero_grad()
        probabilities = model(pixels[batch])
        loss = nn.functional.nll_loss(torch.log(probabilities + 1e-12), labels[batch])
        loss.backward()
        optimizer.step()

model.eval()
with torch.no_grad():
    outputs = model(pixels[TRAIN:])
accuracy = (outputs.argmax(dim=1) == labels[TRAIN:]).float().mean().item()
print(f"held-out accuracy: {accuracy:.3f} on {len(outputs)} digits")
torch.onnx.export(model, pixels[:1], os.path.join(HERE, "digits.onnx"), input_names=["input"], output_names=["output"],
                  opset_version=13, dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
with open(os.path.join(HERE, "pytorch_outputs.csv"), "w") as f:
    for row in outputs.tolist():
        f.write(",".join(f"{v:.9g}" for v in row) + "\n")
