#!/usr/bin/python3
"""PyTorch eager baseline for `retort-cli bench train`: one TinyBERT-style intermediate-layer
distillation step (teacher forward without grad + student forward + attention, hidden and
embedding MSE through a shared learned projection + backward + AdamW), timed as Retort times it
(2 warm-up steps, then the median). Debian's python3-torch:

    OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 tests/bench/torch_train_step.py \
        --teacher-config T.json --student-config S.json --batch 32 --seq 64 --threads 2
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
    def __init__(self, H, A, Fd, eps, p):
        super().__init__()
        self.A, self.d, self.p = A, H // A, p
        self.q, self.k, self.v = nn.Linear(H, H), nn.Linear(H, H), nn.Linear(H, H)
        self.o, self.ln1 = nn.Linear(H, H), nn.LayerNorm(H, eps=eps)
        self.i, self.out, self.ln2 = nn.Linear(H, Fd), nn.Linear(Fd, H), nn.LayerNorm(H, eps=eps)

    def forward(self, x, bias):
        B, S, H = x.shape
        split = lambda t: t.view(B, S, self.A, self.d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d)
        probs = F.dropout((scores + bias).softmax(-1), self.p, self.training)
        ctx = (probs @ v).transpose(1, 2).reshape(B, S, H)
        a = self.ln1(F.dropout(self.o(ctx), self.p, self.training) + x)
        return self.ln2(F.dropout(self.out(F.gelu(self.i(a))), self.p, self.training) + a), scores


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        H, eps = c["hidden_size"], c.get("layer_norm_eps", 1e-12)
        self.p = c.get("hidden_dropout_prob", 0.1)
        self.word = nn.Embedding(c["vocab_size"], H)
        self.pos = nn.Embedding(c.get("max_position_embeddings", 512), H)
        self.token_type = nn.Embedding(c.get("type_vocab_size", 2), H)
        self.ln = nn.LayerNorm(H, eps=eps)
        self.layers = nn.ModuleList(Layer(H, c["num_attention_heads"], c["intermediate_size"], eps, self.p)
                                    for _ in range(c["num_hidden_layers"]))

    def forward(self, ids, mask):
        S = ids.shape[1]
        x = F.dropout(self.ln(self.word(ids) + self.pos.weight[:S] + self.token_type.weight[0]), self.p, self.training)
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        hidden, scores = [x], []
        for layer in self.layers:
            x, s = layer(x, bias)
            hidden.append(x)
            scores.append(s)
        return hidden, scores


def att_mse(s, t, mask):
    keep = (mask[:, None, :, None] * mask[:, None, None, :]).bool()
    return F.mse_loss(torch.where(keep, s, torch.zeros_like(s)), torch.where(keep, t, torch.zeros_like(t)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--teacher-config", required=True)
    ap.add_argument("--student-config", required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=64)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    tc, sc = json.load(open(a.teacher_config)), json.load(open(a.student_config))
    torch.manual_seed(0)
    teacher, student = Bert(tc).eval(), Bert(sc).train()
    N, M = tc["num_hidden_layers"], sc["num_hidden_layers"]
    pairs = [(0, 0)] + [(m, m * N // M) for m in range(1, M + 1)]
    proj = nn.Linear(sc["hidden_size"], tc["hidden_size"])
    opt = torch.optim.AdamW(list(student.parameters()) + list(proj.parameters()), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(5, tc["vocab_size"], (a.batch, a.seq))
    mask = torch.ones(a.batch, a.seq, dtype=torch.long)

    def step():
        opt.zero_grad()
        with torch.no_grad():
            th, ts = teacher(ids, mask)
        sh, ss = student(ids, mask)
        loss = 0
        for m, n in pairs:
            loss = loss + F.mse_loss(proj(sh[m]), th[n])
            if m > 0:
                loss = loss + att_mse(ss[m - 1], ts[n - 1], mask)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(2):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    print("pytorch %s eager train step: batch %d seq %d threads %d: median %.2f ms  min %.2f ms  (%d steps)"
          % (torch.__version__, a.batch, a.seq, a.threads, statistics.median(times), min(times), a.steps))


if __name__ == "__main__":
    main()
