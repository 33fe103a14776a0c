#!/usr/bin/python3
"""PyTorch eager baseline for `retort-cli bench forward`: the same BERT encoder (embeddings,
L post-LayerNorm layers, pooler) written with torch.nn, timed the same way (3 warm-up runs,
then the median of N runs, no grad, eval mode). Debian's python3-torch:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tests/bench/torch_forward.py \
        --config tests/bench/configs/bert-base.json --batch 1 --seq 128 --threads 2
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, H, A, Fd, eps):
        super().__init__()
        self.A, self.d = A, H // A
        self.q, self.k, self.v = nn.Linear(H, H), nn.Linear(H, H), nn.Linear(H, H)
        self.o, self.ln1 = nn.Linear(H, H), nn.LayerNorm(H, eps=eps)
        self.i, self.out, self.ln2 = nn.Linear(H, Fd), nn.Linear(Fd, H), nn.LayerNorm(H, eps=eps)

    def forward(self, x, bias):
        B, S, H = x.shape
        split = lambda t: t.view(B, S, self.A, self.d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, H)
        a = self.ln1(self.o(ctx) + x)
        return self.ln2(self.out(F.gelu(self.i(a))) + a)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        H = c["hidden_size"]
        self.word = nn.Embedding(c["vocab_size"], H)
        self.pos = nn.Embedding(c.get("max_position_embeddings", 512), H)
        self.token_type = nn.Embedding(c.get("type_vocab_size", 2), H)
        self.ln = nn.LayerNorm(H, eps=c.get("layer_norm_eps", 1e-12))
        self.layers = nn.ModuleList(Layer(H, c["num_attention_heads"], c["intermediate_size"],
                                          c.get("layer_norm_eps", 1e-12))
                                    for _ in range(c["num_hidden_layers"]))
        self.pool = nn.Linear(H, H)

    def forward(self, ids, mask):
        S = ids.shape[1]
        x = self.ln(self.word(ids) + self.pos.weight[:S] + self.token_type.weight[0])
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, bias)
        return torch.tanh(self.pool(x[:, 0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    c = json.load(open(a.config))
    m = Bert(c).eval()
    torch.manual_seed(0)
    ids = torch.randint(0, c["vocab_size"], (a.batch, a.seq))
    mask = torch.ones(a.batch, a.seq, dtype=torch.long)
    times = []
    with torch.no_grad():
        for _ in range(3):
            m(ids, mask)
        for _ in range(a.runs):
            t0 = time.perf_counter()
            m(ids, mask)
            times.append((time.perf_counter() - t0) * 1000)
    print("pytorch %s eager: batch %d seq %d threads %d: median %.2f ms  min %.2f ms  (%d runs)"
          % (torch.__version__, a.batch, a.seq, a.threads, statistics.median(times), min(times), a.runs))


if __name__ == "__main__":
    main()
