#!/usr/bin/python3
"""Writes tests/NetGen.Tests/Fixtures/convolution.json: PyTorch's outputs, losses and gradients for the networks of
tests/NetGen.Tests/ConvolutionNetworks.cs, declared here with torch.nn layers.

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tests/make_convolution_fixtures.py
The output is committed, so CI needs no Python. For each network it records the flat parameters (each layer's
state_dict tensors in order, flattened row-major, as NetGen stores them), a few inputs and targets, and per sample
the outputs, the loss and the gradient of the loss with respect to the flat parameters, all computed in float64 from
the float32 values so that the reference carries no rounding of its own.

NetGen's Padding.Same pads max((out - 1) * stride + k - in, 0) zeros per axis, half before and the rest after (as
TensorFlow does); that is done here with an explicit F.pad so that stride 2 is covered too.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(20261202)


class SameConv2d(nn.Module):
    def __init__(self, in_channels, filters, kernel, stride):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, filters, kernel, stride=stride, dtype=torch.float64)
        self.kernel, self.stride = kernel, stride

    def forward(self, x):
        pads = []
        for size in (x.shape[3], x.shape[2]):  # F.pad takes the last axis first
            out = math.ceil(size / self.stride)
            total = max((out - 1) * self.stride + self.kernel - size, 0)
            pads += [total // 2, total - total // 2]
        return self.conv(F.pad(x, pads))


def conv(in_channels, filters, kernel, stride=1, same=False):
    if same:
        return SameConv2d(in_channels, filters, kernel, stride)
    return nn.Conv2d(in_channels, filters, kernel, stride=stride, dtype=torch.float64)


class GlobalAveragePool(nn.Module):
    def __init__(self, image):
        super().__init__()
        self.image = image

    def forward(self, x):
        return x.mean(dim=(2, 3)) if self.image else x.mean(dim=1)


def linear(inputs, outputs):
    return nn.Linear(inputs, outputs, dtype=torch.float64)


# name, input shape, layers, output activation, loss
NETWORKS = [
    ("ConvValidNet", (1, 6, 6), [conv(1, 2, 3), nn.ReLU(), nn.Flatten(), linear(2 * 4 * 4, 3)], "softmax", "ce"),
    ("ConvSameMaxPoolNet", (2, 7, 7), [conv(2, 3, 3, same=True), nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(), linear(3 * 3 * 3, 4)], "softmax", "ce"),
    ("ConvStrideTwoAveragePoolNet", (3, 9, 8), [conv(3, 4, 3, stride=2), nn.Sigmoid(), nn.AvgPool2d(2, stride=1), nn.Flatten(), linear(4 * 3 * 2, 2)], "identity", "mse"),
    ("ConvStackGlobalPoolNet", (2, 8, 9), [conv(2, 3, 5, stride=2, same=True), nn.ReLU(), conv(3, 4, 3, same=True), GlobalAveragePool(True), linear(4, 1)], "sigmoid", "bce"),
    ("ConvFashionShapedNet", (1, 28, 28), [conv(1, 3, 3, same=True), nn.ReLU(), nn.MaxPool2d(3, stride=2), conv(3, 4, 3), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(), linear(4 * 5 * 5, 10)], "softmax", "ce"),
    ("SequenceGlobalPoolNet", (5, 3), [GlobalAveragePool(False), linear(3, 2)], "tanh", "mse"),
    ("ConvWorkspaceNet", (1, 28, 28), [conv(1, 16, 3, same=True), nn.ReLU(), nn.MaxPool2d(2), conv(16, 32, 3, same=True), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), linear(32 * 7 * 7, 10)], "softmax", "ce"),
]
SAMPLES = 3


def parameters_in_order(model):
    return [p for p in model.parameters()]  # Conv2d/Linear: weight then bias, layer after layer


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
    # Parameters drawn as float32 values (NetGen's type), held in float64 for the reference arithmetic.
    with torch.no_grad():
        for p in parameters_in_order(model):
            p.copy_((torch.rand(p.shape) * 1.2 - 0.6).float().double())
    flat = torch.cat([p.detach().reshape(-1) for p in parameters_in_order(model)])
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
        gradient = torch.cat([p.grad.reshape(-1) for p in parameters_in_order(model)])
        samples.append({
            "input": x.reshape(-1).tolist(),
            "target": target.tolist(),
            "output": prediction.detach().tolist(),
            "loss": value.item(),
            "gradient": gradient.tolist(),
        })
    return {"name": name, "parameters": flat.tolist(), "samples": samples}


cases = [make_case(*network) for network in NETWORKS]

# Declared after the cases above are made, so that their random draws, and the values committed for them, stay the same.
# Filter counts that leave a partial block for the register-blocked kernels (7 = 4 + 3, 9 = 4 + 4 + 1), an even kernel
# with Same padding (one zero before, two after), and an identity convolution; smooth throughout (tanh, averages), so
# that the finite differences meet no kink.
LATER_NETWORKS = [
    ("ConvFilterBlocksNet", (2, 11, 13), [conv(2, 7, 4, same=True), nn.Tanh(), nn.AvgPool2d(2), conv(7, 9, 2), nn.Flatten(), linear(9 * 4 * 5, 3)], "softmax", "ce"),
]
cases += [make_case(*network) for network in LATER_NETWORKS]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NetGen.Tests", "Fixtures", "convolution.json")
with open(path, "w") as f:
    json.dump({"generator": f"make_convolution_fixtures.py, torch {torch.__version__}", "cases": cases}, f)
print(f"wrote {path}: {len(cases)} networks")
