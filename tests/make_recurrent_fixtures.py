#!/usr/bin/python3
"""Writes tests/NetGen.Tests/Fixtures/recurrent.json: PyTorch's outputs, losses and gradients for the networks of
tests/NetGen.Tests/RecurrentNetworks.cs, declared here with torch.nn.RNN, LSTM and GRU (batch_first).

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tests/make_recurrent_fixtures.py
The output is committed, so CI needs no Python. For each network it records the flat parameters (each layer's
state_dict tensors in order, weight_ih, weight_hh, bias_ih, bias_hh, flattened row-major, as NetGen stores them), a
few inputs and targets, and per sample the outputs, the loss and the gradient of the loss with respect to the flat
parameters, all computed in float64 from float32 values so that the reference carries no rounding of its own.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(20261203)


class Recurrent(nn.Module):
    """One recurrent layer; return_sequences=False keeps the last step's output, as NetGen's default."""

    def __init__(self, kind, features, units, return_sequences, nonlinearity="tanh"):
        super().__init__()
        if kind == "rnn":
            self.layer = nn.RNN(features, units, nonlinearity=nonlinearity, batch_first=True, dtype=torch.float64)
        elif kind == "lstm":
            self.layer = nn.LSTM(features, units, batch_first=True, dtype=torch.float64)
        else:
            self.layer = nn.GRU(features, units, batch_first=True, dtype=torch.float64)
        self.return_sequences = return_sequences

    def forward(self, x):
        out, _ = self.layer(x)
        return out if self.return_sequences else out[:, -1, :]


def linear(inputs, outputs):
    return nn.Linear(inputs, outputs, dtype=torch.float64)


# name, input shape (steps, features), layers, output activation, loss
NETWORKS = [
    ("RnnTanhNet", (5, 3), [Recurrent("rnn", 3, 4, False), linear(4, 2)], "identity", "mse"),
    ("RnnReluSequenceNet", (6, 4), [Recurrent("rnn", 4, 5, True, "relu"), nn.Flatten(), linear(6 * 5, 3)], "softmax", "ce"),
    ("LstmNet", (7, 3), [Recurrent("lstm", 3, 5, False), linear(5, 3)], "softmax", "ce"),
    ("LstmSequenceNet", (4, 5), [Recurrent("lstm", 5, 3, True), nn.Flatten(), linear(4 * 3, 2)], "sigmoid", "bce"),
    ("GruNet", (6, 4), [Recurrent("gru", 4, 5, False), linear(5, 2)], "identity", "mse"),
    ("GruSequenceNet", (3, 2), [Recurrent("gru", 2, 4, True), nn.Flatten(), linear(3 * 4, 2)], "tanh", "mse"),
    ("StackedRecurrentNet", (8, 3), [Recurrent("lstm", 3, 6, True), Recurrent("gru", 6, 5, False), linear(5, 3)], "softmax", "ce"),
    ("OneStepGruNet", (1, 4), [Recurrent("gru", 4, 3, False), linear(3, 2)], "identity", "mse"),
    ("LongLstmNet", (30, 28), [Recurrent("lstm", 28, 8, False), linear(8, 10)], "softmax", "ce"),
]
SAMPLES = 3


def loss_of(output_logits, target, activation, loss):
    if activation == "softmax":
        prediction = torch.softmax(output_logits, dim=-1)
    elif activation == "sigmoid":
        prediction = torch.sigmoid(output_logits)
    elif activation == "tanh":
        prediction = torch.tanh(output_logits)
    else:
        prediction = output_logits
    if loss == "ce":
        value = -(target * torch.log_softmax(output_logits, dim=-1)).sum()
    elif loss == "bce":
        value = F.binary_cross_entropy_with_logits(output_logits, target, reduction="mean")
    else:
        value = ((prediction - target) ** 2).mean()
    return prediction, value


def make_case(name, shape, layers, activation, loss):
    model = nn.Sequential(*layers)
    parameters = list(model.parameters())  # each layer's state_dict order: weight_ih, weight_hh, bias_ih, bias_hh; Linear: weight, bias
    with torch.no_grad():
        for p in parameters:
            p.copy_((torch.rand(p.shape) * 1.2 - 0.6).float().double())
    flat = torch.cat([p.detach().reshape(-1) for p in parameters])
    outputs_count = layers[-1].out_features
    samples = []
    for _ in range(SAMPLES):
        x = (torch.rand((1,) + shape) * 2 - 1).float().double()
        if loss == "ce":
            target = torch.softmax(torch.randn(outputs_count) * 2, dim=0).float().double()
        else:
            target = torch.rand(outputs_count).float().double()
        model.zero_grad()
        logits = model(x)[0]
        prediction, value = loss_of(logits, target, activation, loss)
        value.backward()
        gradient = torch.cat([p.grad.reshape(-1) for p in parameters])
        samples.append({
            "input": x.reshape(-1).tolist(),
            "target": target.tolist(),
            "output": prediction.detach().tolist(),
            "loss": value.item(),
            "gradient": gradient.tolist(),
        })
    return {"name": name, "parameters": flat.tolist(), "samples": samples}


cases = [make_case(*network) for network in NETWORKS]
# Built after the cases above, so that their random draws stay as they were: units that fill whole vectors of 16 (and
# 16 + 4), so that the cells' widest vector paths run too.
WIDE_NETWORKS = [
    ("WideLstmNet", (5, 16), [Recurrent("lstm", 16, 16, False), linear(16, 3)], "softmax", "ce"),
    ("WideGruNet", (4, 12), [Recurrent("gru", 12, 20, False), linear(20, 3)], "identity", "mse"),
]
cases += [make_case(*network) for network in WIDE_NETWORKS]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NetGen.Tests", "Fixtures", "recurrent.json")
with open(path, "w") as f:
    json.dump({"generator": f"make_recurrent_fixtures.py, torch {torch.__version__}", "cases": cases}, f)
print(f"wrote {path}: {len(cases)} networks")
