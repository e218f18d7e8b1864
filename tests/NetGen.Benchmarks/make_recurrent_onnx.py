#!/usr/bin/python3
"""Writes the ONNX models of the W6 recurrent benchmarks (W6RecurrentBenchmarks.cs) into models/ next to this file.

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tests/NetGen.Benchmarks/make_recurrent_onnx.py
The files are committed, so running the benchmarks needs no Python.

For each cell (LSTM, GRU) and hidden size H in 8, 16, 32, 64, with H input features per step, the network is the
recurrent layer (batch_first, PyTorch's gate order) and a Linear(H, 1) on its last step's output: NetGen's
[Input(28, H)] [Lstm(H)] / [Gru(H)] [Dense(1)]. Two models each:
  {cell}{H}_sequence.onnx  input [1, 28, H] -> output [1, 1]: the whole 28-step sequence (Predict's peer);
  {cell}{H}_step.onnx      input [1, H], h [1, 1, H] (and c [1, 1, H] for the LSTM) -> output [1, 1], h_out (and
                           c_out): one step from a given state (Step's peer).
The parameters are not random: parameter i of the flat vector (each tensor of the state_dict in order, flattened
row-major, as NetGen stores them) is sin(0.731 i + 0.3) / sqrt(H), which W6RecurrentBenchmarks.Parameters computes
too, so NetGen, TorchSharp and ONNX Runtime run the same numbers without a weights file.
"""
import math
import os

import torch
import torch.nn as nn

STEPS = 28
SIZES = (8, 16, 32, 64)
OPSET = 14
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "models")


def parameter(i, size):
    return math.sin(0.731 * i + 0.3) / math.sqrt(size)


class Sequence(nn.Module):
    def __init__(self, cell, size):
        super().__init__()
        self.recurrent = (nn.LSTM if cell == "lstm" else nn.GRU)(size, size, batch_first=True)
        self.dense = nn.Linear(size, 1)

    def forward(self, x):
        out, _ = self.recurrent(x)
        return self.dense(out[:, -1, :])


class LstmStep(nn.Module):
    def __init__(self, sequence):
        super().__init__()
        self.recurrent = sequence.recurrent
        self.dense = sequence.dense

    def forward(self, x, h, c):
        out, (h_out, c_out) = self.recurrent(x.unsqueeze(1), (h, c))
        return self.dense(out[:, 0, :]), h_out, c_out


class GruStep(nn.Module):
    def __init__(self, sequence):
        super().__init__()
        self.recurrent = sequence.recurrent
        self.dense = sequence.dense

    def forward(self, x, h):
        out, h_out = self.recurrent(x.unsqueeze(1), h)
        return self.dense(out[:, 0, :]), h_out


def fill(model, size):
    index = 0
    with torch.no_grad():
        for tensor in model.state_dict().values():
            values = [parameter(index + k, size) for k in range(tensor.numel())]
            tensor.copy_(torch.tensor(values, dtype=torch.float32).reshape(tensor.shape))
            index += tensor.numel()


def main():
    os.makedirs(OUT, exist_ok=True)
    for cell in ("lstm", "gru"):
        for size in SIZES:
            model = Sequence(cell, size).eval()
            fill(model, size)
            path = os.path.join(OUT, f"{cell}{size}_sequence.onnx")
            torch.onnx.export(model, (torch.zeros(1, STEPS, size),), path, input_names=["input"],
                              output_names=["output"], opset_version=OPSET)
            print("wrote", os.path.relpath(path, HERE))
            state = torch.zeros(1, 1, size)
            path = os.path.join(OUT, f"{cell}{size}_step.onnx")
            if cell == "lstm":
                torch.onnx.export(LstmStep(model).eval(), (torch.zeros(1, size), state, state), path,
                                  input_names=["input", "h", "c"], output_names=["output", "h_out", "c_out"],
                                  opset_version=OPSET)
            else:
                torch.onnx.export(GruStep(model).eval(), (torch.zeros(1, size), state), path,
                                  input_names=["input", "h"], output_names=["output", "h_out"], opset_version=OPSET)
            print("wrote", os.path.relpath(path, HERE))


if __name__ == "__main__":
    main()
