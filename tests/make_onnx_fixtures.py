#!/usr/bin/python3
"""Writes tests/NetGen.Onnx.Tests/Fixtures/Onnx/: small PyTorch models exported by torch.onnx.export, one per layer
kind, each with PyTorch's outputs on fixed inputs, for the tests of `netgen import`.

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tests/make_onnx_fixtures.py
The output is committed, so CI needs no Python. For each model NAME it writes NAME.onnx (exported as users export:
named input and output, a dynamic batch axis, opset 13) and NAME.json: {"input_shape", "inputs", "outputs"}, the
inputs and outputs one row per sample, flattened row-major, the outputs computed by PyTorch in float32.

The models are nn.Sequential as people write them: Linear (exported as Gemm), a linear layer written as a matrix
product (exported as MatMul then Add), ReLU/Sigmoid/Tanh/Softmax, Conv2d with and without padding and stride,
MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1) (GlobalAveragePool), nn.Flatten and a reshape. Two models are exported
for the importer to refuse: a residual connection and a dilated convolution.

Then the recurrent and embedding models, made after the others with a seed of their own (so that adding them left
the earlier fixtures as they were): nn.RNN (tanh, and relu returning its sequence, flattened), nn.LSTM and nn.GRU with
batch_first followed by `output[:, -1, :]`, an LSTM's sequence read by a GRU, a two-layer LSTM (num_layers=2, which
torch writes as two LSTM nodes), and nn.Embedding with int64 token ids followed by a padding-masked mean
`(e * m).sum(1) / m.sum(1).clamp(min=1)` or a plain mean. Their inputs are int64 token ids for the embeddings, the
padding id at a third of the positions and one text all padding. A bidirectional GRU is exported for the importer
to refuse.
"""
import json
import os

import torch
import torch.nn as nn

torch.manual_seed(20261202)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NetGen.Onnx.Tests", "Fixtures", "Onnx")
SAMPLES = 4


class MatMulLinear(nn.Module):
    """A linear layer written as x @ W^T + b: exported as MatMul (W^T folded into one initializer) then Add."""

    def __init__(self, inputs, outputs):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(outputs, inputs) / inputs ** 0.5)
        self.bias = nn.Parameter(torch.randn(outputs) * 0.1)

    def forward(self, x):
        return torch.matmul(x, self.weight.t()) + self.bias


class Reshape(nn.Module):
    """x.reshape(-1, size): exported as Reshape with a constant shape."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def forward(self, x):
        return x.reshape(-1, self.size)


class Residual(nn.Module):
    """x + f(x): a graph, not a chain, which NetGen cannot declare."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return x + self.inner(x)


# name, input shape (without the batch), model
MODELS = [
    ("dense_relu_softmax", (6,), nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1))),
    ("dense_tanh_sigmoid", (5,), nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 2), nn.Sigmoid())),
    ("matmul_add_relu", (7,), nn.Sequential(MatMulLinear(7, 5), nn.ReLU(), MatMulLinear(5, 3))),
    ("conv_relu_maxpool", (1, 6, 6), nn.Sequential(
        nn.Conv2d(1, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(12, 3), nn.Softmax(dim=1))),
    ("conv_padded_tanh_avgpool", (2, 5, 5), nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1), nn.Tanh(), nn.AvgPool2d(2, stride=1), nn.Flatten(), nn.Linear(64, 2))),
    ("conv_stride2_sigmoid_global_pool", (2, 9, 9), nn.Sequential(
        nn.Conv2d(2, 3, 5, stride=2, padding=2), nn.Sigmoid(), nn.Conv2d(3, 4, 3, padding=1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 1), nn.Sigmoid())),
    ("conv_reshape", (1, 5, 5), nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), Reshape(18), nn.Linear(18, 2))),
    ("unsupported_residual_dilation", (2, 6, 6), nn.Sequential(
        Residual(nn.Conv2d(2, 2, 3, padding=1)), nn.Conv2d(2, 2, 3, dilation=2), nn.Flatten(), nn.Linear(8, 2))),
]


class LastStep(nn.Module):
    """A batch-first recurrent layer, then `output[:, -1, :]` into a head: exported as Transpose, the recurrent node,
    Squeeze, Transpose and Gather(axis=1, index -1), the zero initial state computed from the input's Shape."""

    def __init__(self, recurrent, head):
        super().__init__()
        self.recurrent = recurrent
        self.head = head

    def forward(self, x):
        output, _ = self.recurrent(x)
        return self.head(output[:, -1, :])


class WholeSequence(nn.Module):
    """A batch-first recurrent layer whose every step goes on: the sequence [batch, steps, units] into the rest."""

    def __init__(self, recurrent, rest):
        super().__init__()
        self.recurrent = recurrent
        self.rest = rest

    def forward(self, x):
        output, _ = self.recurrent(x)
        return self.rest(output)


class EmbeddingMean(nn.Module):
    """Token ids (int64), an embedding, the mean of the rows that are not padding (or of every row), a head."""

    def __init__(self, vocabulary, dimensions, padding_idx, head):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, dimensions, padding_idx=padding_idx)
        self.padding_idx = padding_idx
        self.head = head

    def forward(self, ids):
        rows = self.embedding(ids)
        if self.padding_idx is None:
            return self.head(rows.mean(1))
        mask = (ids != self.padding_idx).float().unsqueeze(-1)
        return self.head((rows * mask).sum(1) / mask.sum(1).clamp(min=1))


def recurrent_models():
    """name, input shape, model, vocabulary (None for float inputs); made after the first models, seeded apart."""
    torch.manual_seed(20261203)
    return [
        ("rnn_tanh_last_step", (5, 3), LastStep(nn.RNN(3, 4, batch_first=True), nn.Linear(4, 2)), None),
        ("rnn_relu_sequence_flatten", (4, 3), WholeSequence(
            nn.RNN(3, 5, nonlinearity="relu", batch_first=True), nn.Sequential(nn.Flatten(), nn.Linear(20, 3), nn.Softmax(dim=1))), None),
        ("lstm_last_step", (6, 3), LastStep(nn.LSTM(3, 5, batch_first=True), nn.Sequential(nn.Linear(5, 3), nn.Softmax(dim=1))), None),
        ("gru_last_step", (6, 4), LastStep(nn.GRU(4, 5, batch_first=True), nn.Linear(5, 2)), None),
        ("lstm_sequence_gru_last_step", (7, 3), WholeSequence(
            nn.LSTM(3, 6, batch_first=True), LastStep(nn.GRU(6, 4, batch_first=True), nn.Linear(4, 2))), None),
        ("lstm_two_layers", (5, 2), LastStep(nn.LSTM(2, 4, num_layers=2, batch_first=True), nn.Linear(4, 1)), None),
        ("embedding_padding_mean", (7,), EmbeddingMean(11, 5, 0, nn.Sequential(nn.Linear(5, 1), nn.Sigmoid())), 11),
        ("embedding_mean", (6,), EmbeddingMean(9, 4, None, nn.Linear(4, 3)), 9),
        ("unsupported_bidirectional_gru", (4, 3), LastStep(nn.GRU(3, 2, batch_first=True, bidirectional=True), nn.Linear(4, 1)), None),
    ]


def token_ids(input_shape, vocabulary, padding_idx):
    ids = torch.randint(0, vocabulary, (SAMPLES, *input_shape))
    if padding_idx is not None:
        ids[torch.rand(SAMPLES, *input_shape) < 1 / 3] = padding_idx
        ids[-1] = padding_idx
    return ids


def export(name, input_shape, model, vocabulary=None):
    model.eval()
    if vocabulary is None:
        inputs = torch.randn(SAMPLES, *input_shape)
    else:
        inputs = token_ids(input_shape, vocabulary, getattr(model, "padding_idx", None))
    with torch.no_grad():
        outputs = model(inputs)
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, inputs[:1], path, input_names=["input"], output_names=["output"], opset_version=13,
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    record = {
        "input_shape": list(input_shape),
        "inputs": [[round(float(v), 9) for v in row] for row in inputs.reshape(SAMPLES, -1).tolist()],
        "outputs": [[float(v) for v in row] for row in outputs.reshape(SAMPLES, -1).tolist()],
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"{name}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, shape, model in MODELS:
        export(name, shape, model)
    for name, shape, model, vocabulary in recurrent_models():
        export(name, shape, model, vocabulary)
