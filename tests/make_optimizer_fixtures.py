#!/usr/bin/python3
"""Writes tests/NetGen.Tests/Fixtures/optimizers.json: five steps of each torch.optim optimizer on a fixed problem.

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tests/make_optimizer_fixtures.py
The output is committed, so CI does not need Python. For each case it records the initial parameters and, per step,
the gradient PyTorch computed (autograd of a fixed loss) and the parameters after the optimizer's step. The C# test
feeds the same gradients to NetGen's optimizer and compares the parameters after each step.
"""
import json
import os

import torch

torch.manual_seed(0)
SIZE = 37  # not a multiple of any vector width, so the scalar tail is checked too
initial = (torch.rand(SIZE, dtype=torch.float32) * 2 - 1)
a = torch.rand(SIZE, dtype=torch.float32) + 0.5
b = torch.rand(SIZE, dtype=torch.float32) * 2 - 1


def loss_of(theta):
    # A fixed smooth loss with gradients of varied sign and size.
    return (a * theta * theta).sum() + (b * torch.sin(3 * theta)).sum()


CASES = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_weight_decay", lambda p: torch.optim.SGD(p, lr=0.05, weight_decay=0.1)),
    ("sgd_momentum", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    ("sgd_momentum_dampening", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3)),
    ("sgd_nesterov", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adagrad", lambda p: torch.optim.Adagrad(p, lr=0.1)),
    ("adagrad_decay", lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.1)),
    ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmsprop_momentum", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5, weight_decay=0.05)),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam_weight_decay", lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adamw", lambda p: torch.optim.AdamW(p, lr=0.02, weight_decay=0.1)),
]

cases = []
for name, make in CASES:
    theta = torch.nn.Parameter(initial.clone())
    optimizer = make([theta])
    steps = []
    for _ in range(5):
        optimizer.zero_grad()
        loss_of(theta).backward()
        gradient = theta.grad.detach().clone()
        optimizer.step()
        steps.append({"gradient": gradient.tolist(), "parameters": theta.detach().clone().tolist()})
    cases.append({"name": name, "initial": initial.tolist(), "steps": steps})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NetGen.Tests", "Fixtures", "optimizers.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
print(f"wrote {out} with {len(cases)} cases (torch {torch.__version__})")
