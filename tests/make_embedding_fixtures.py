#!/usr/bin/python3
"""Writes tests/NetGen.Tests/Fixtures/embedding.json: PyTorch's outputs, losses and gradients for the networks of
tests/NetGen.Tests/EmbeddingNetworks.cs, declared here with nn.Embedding (with padding_idx), a mean over the positions
whose token is not padding, and nn.Linear.

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tests/make_embedding_fixtures.py
The output is committed, so CI needs no Python. For each network it records the flat parameters (each layer's
state_dict tensors in order, flattened row-major, as NetGen stores them), token id inputs (with repeated tokens, and
padding at the end and in the middle), targets, and per sample the outputs, the loss and the gradient of the loss with
respect to the flat parameters, all in float64 from float32 values so that the reference carries no rounding of its own.
Then "sparseAdam": EmbeddingSparseNet trained step by step with SparseAdam on its table and Adam on its Linear layer,
the reference of NetGen's LazyAdam.
The padding row is drawn like every other row, not zero, so that the fixtures show it is left out of the mean and
receives no gradient.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(20261212)


class MaskedMean(nn.Module):
    """The mean over the positions whose token is not padding_idx (over all of them when there is none)."""

    def __init__(self, padding_idx):
        super().__init__()
        self.padding_idx = padding_idx
        self.tokens = None

    def forward(self, x):
        if self.padding_idx is None:
            return x.mean(dim=1)
        mask = (self.tokens != self.padding_idx).double().unsqueeze(-1)
        return (x * mask).sum(dim=1) / mask.sum(dim=1)


class TokenNetwork(nn.Module):
    def __init__(self, vocabulary, dimensions, padding_idx, rest, pool):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, dimensions, padding_idx=padding_idx, dtype=torch.float64)
        self.pool = MaskedMean(padding_idx) if pool else None
        self.rest = nn.Sequential(*rest)

    def forward(self, tokens):
        x = self.embedding(tokens)
        if self.pool is not None:
            self.pool.tokens = tokens
            x = self.pool(x)
        else:
            x = torch.flatten(x, 1)
        return self.rest(x)


def linear(inputs, outputs):
    return nn.Linear(inputs, outputs, dtype=torch.float64)


# name, tokens, vocabulary, dimensions, padding id, pool (else flatten), layers after, output activation, loss
NETWORKS = [
    ("EmbeddingMeanBinaryNet", 7, 11, 5, 0, True, [linear(5, 1)], "sigmoid", "bce"),
    ("EmbeddingMeanSoftmaxNet", 6, 9, 12, 2, True, [linear(12, 3)], "softmax", "ce"),
    ("EmbeddingPlainMeanNet", 5, 8, 4, None, True, [linear(4, 1)], "sigmoid", "bce"),
    ("EmbeddingFlattenNet", 4, 10, 3, 9, False, [linear(12, 5), nn.Tanh(), linear(5, 2)], "identity", "mse"),
]


def token_samples(length, vocabulary, padding):
    """Token id rows: repeats and trailing padding, padding in the middle, all different, one token repeated everywhere."""
    others = [t for t in range(vocabulary) if t != padding]
    rows = []
    first = [others[torch.randint(len(others), ()).item()] for _ in range(length)]
    first[1] = first[0]  # a repeated token, whose deltas add up in one row
    if padding is not None:
        first[-2:] = [padding, padding]
    rows.append(first)
    middle = [others[i % len(others)] for i in range(length)]
    if padding is not None:
        middle[length // 2] = padding
    rows.append(middle)
    rows.append([others[(3 * i + 1) % len(others)] for i in range(length)])
    rows.append([others[-1]] * length)
    return rows


def loss_of(output_logits, target, activation, loss):
    if activation == "softmax":
        prediction = torch.softmax(output_logits, dim=-1)
    elif activation == "sigmoid":
        prediction = torch.sigmoid(output_logits)
    else:
        prediction = output_logits
    if loss == "ce":
        value = -(target * torch.log_softmax(output_logits, dim=-1)).sum()
    elif loss == "bce":
        value = F.binary_cross_entropy_with_logits(output_logits, target, reduction="mean")
    else:
        value = ((prediction - target) ** 2).mean()
    return prediction, value


def make_case(name, length, vocabulary, dimensions, padding, pool, rest, activation, loss):
    model = TokenNetwork(vocabulary, dimensions, padding, rest, pool)
    parameters = list(model.parameters())  # the table, then each Linear's weight and bias
    with torch.no_grad():
        for p in parameters:
            p.copy_((torch.rand(p.shape) * 1.2 - 0.6).float().double())
    flat = torch.cat([p.detach().reshape(-1) for p in parameters])
    outputs_count = rest[-1].out_features
    samples = []
    for row in token_samples(length, vocabulary, padding):
        tokens = torch.tensor([row])
        if loss == "ce":
            target = torch.softmax(torch.randn(outputs_count) * 2, dim=0).float().double()
        else:
            target = torch.rand(outputs_count).float().double()
        model.zero_grad()
        logits = model(tokens)[0]
        prediction, value = loss_of(logits, target, activation, loss)
        value.backward()
        gradient = torch.cat([p.grad.reshape(-1) for p in parameters])
        samples.append({
            "input": [float(t) for t in row],
            "target": target.tolist(),
            "output": prediction.detach().tolist(),
            "loss": value.item(),
            "gradient": gradient.tolist(),
        })
    return {"name": name, "parameters": flat.tolist(), "samples": samples}


def make_sparse_adam_case():
    """EmbeddingSparseNet trained batch by batch as a PyTorch user trains it: nn.Embedding(sparse=True) stepped by
    SparseAdam, the Linear layer by Adam. Records the parameters before and after every step. The table has 40 rows and
    a batch touches a few, so rows wait untouched for steps (their moments must not decay) and come back."""
    vocabulary, dimensions, padding, length, classes = 40, 5, 0, 6, 3
    embedding = nn.Embedding(vocabulary, dimensions, padding_idx=padding, sparse=True, dtype=torch.float64)
    dense = linear(dimensions, classes)
    with torch.no_grad():
        for p in [embedding.weight, dense.weight, dense.bias]:
            p.copy_((torch.rand(p.shape) * 1.2 - 0.6).float().double())
    parameters = [embedding.weight, dense.weight, dense.bias]
    flat = lambda: torch.cat([p.detach().reshape(-1) for p in parameters]).tolist()
    initial = flat()
    lazy = torch.optim.SparseAdam([embedding.weight], lr=0.05)
    adam = torch.optim.Adam([dense.weight, dense.bias], lr=0.05)

    inputs, targets = [], []
    for s in range(60):
        # Tokens from a narrow window of the vocabulary that moves with the sample, then trailing padding.
        used = 1 + (s * 7) % length
        low = 1 + (s * 5) % (vocabulary - 8)
        row = [low + torch.randint(8, ()).item() for _ in range(used)] + [padding] * (length - used)
        inputs.append(row)
        target = [0.0] * classes
        target[row[0] % classes] = 1.0
        targets.append(target)
    # Small batches (the trainer's one-chunk path, some of them out of order) and one of 36 (two chunks).
    batches = [[0, 1, 2, 3], [7, 5, 4, 6], [8, 9, 10], list(range(11, 47)), [50, 48, 59, 52, 47]] * 2
    steps = []
    for batch in batches:
        tokens = torch.tensor([inputs[i] for i in batch])
        target = torch.tensor([targets[i] for i in batch], dtype=torch.float64)
        mask = (tokens != padding).double().unsqueeze(-1)
        pooled = (embedding(tokens) * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
        loss = -(target * torch.log_softmax(dense(pooled), dim=-1)).sum(dim=-1).mean()
        lazy.zero_grad()
        adam.zero_grad()
        loss.backward()
        before = embedding.weight.detach().clone()
        lazy.step()
        adam.step()
        # SparseAdam leaves the rows the batch did not touch, and the padding row, exactly as they were.
        assert all(torch.equal(before[r], embedding.weight.detach()[r]) for r in range(vocabulary)
                   if r not in set(tokens.reshape(-1).tolist()) - {padding})
        steps.append({"batch": batch, "loss": loss.item(), "parameters": flat()})
    return {"name": "EmbeddingSparseNet", "optimizer": "SparseAdam on the table, Adam on the rest, lr 0.05",
            "inputs": inputs, "targets": targets, "initial": initial,
            "steps": steps}


cases = [make_case(*network) for network in NETWORKS]
sparse_adam = make_sparse_adam_case()
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NetGen.Tests", "Fixtures", "embedding.json")
with open(path, "w") as f:
    json.dump({"generator": f"make_embedding_fixtures.py, torch {torch.__version__}", "cases": cases, "sparseAdam": sparse_adam}, f)
print(f"wrote {path}: {len(cases)} networks and {len(sparse_adam['steps'])} SparseAdam steps")
