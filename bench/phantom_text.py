"""Phantom report composition throughput: `compose_report` against a straightforward reference.

`gazebook.phantom.text.compose_report` keeps the sentence bank as NumPy arrays with candidate lists per kind, the
labeler's verdicts as bit masks and each reader's taste cached, so a report costs a few masks and draws. The reference
does the same selection the way one would first write it: boolean indexing of the bank DataFrame with pandas for every
finding and every topic. Both compose the same readings in this process; the rates are compared (CPU time, which other
jobs on a shared machine do not inflate) and the reference's reports are checked for contradictions too.
Also printed: the time to build the sentence bank from scratch (what a cold cache costs once).
"""
import time
import numpy as np, pandas as pd
from gazebook.phantom.anatomy import plan_studies
from gazebook.phantom.gaze import make_readers
from gazebook.phantom import text as T
from gazebook.labeler import _LABELS


def reference_report(study, reported, reader, rng, bank):
    "Naive composition: pandas filtering of the whole bank per finding and per topic (same rules, fewer refinements)."
    items = T._reported_items(reported)
    kinds = {f['kind'] for f, c in items}
    bit = {l: 1 << j for j, l in enumerate(l for l in _LABELS if l != 'No Finding')}
    neg_bits = 0
    for k in kinds:
        for l in T.KIND_LABELS[k][0] + (['Lung Opacity'] if k == 'consolidation' else []): neg_bits |= bit[l]
    out = []
    for f, c in sorted(items, key=lambda fc: -fc[1]):
        want = {5: [5], 4: [4], 3: [3], 2: [2, 3], 1: [1]}[c]
        side = f.get('side', '')
        d = bank[(bank.role == 'finding') & (bank.kind == f['kind']) & bank.cert.isin(want) & ((bank.neg & neg_bits) == 0)
                 & ~bank.comparison & bank.side.isin(['', side] if side in ('right', 'left') else ['', 'both'])]
        if f['kind'] == 'device': d = d[d.device == f.get('device', '')]
        else:
            d = d[d.severity.isin(['', T._SEV_BUCKET(float(f.get('severity', .5)))])]
            z = T._finding_zone(f, study.anatomy)
            if z and f['kind'] not in ('cardiomegaly', 'edema'): d = d[d.zone.isin(['', z])]
        out.append(d.text.iloc[int(rng.integers(len(d)))] if len(d) else T._own_sentence(f, c, study.anatomy, rng))
    n = bank[(bank.role == 'normal') & ((bank.neg & neg_bits) == 0) & ~bank.comparison & ~bank.otherwise]
    if kinds & T._LUNG_KINDS: n = n[~n.lungs_clear]
    if kinds - {'device'}: n = n[~n.topic_global]
    for t in T.reader_style(reader)['topics'][1:5]:
        d = n[n[f'topic_{t}'] & (n.section == 'findings')]
        if len(d): out.append(d.text.iloc[int(rng.integers(len(d)))])
    return ' '.join(out)


if __name__ == '__main__':
    t = time.perf_counter(); c = time.process_time(); bank = T.build_sentence_bank()
    print(f"sentence bank : {len(bank)} sentences built in {time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU "
          f"(once; then read from the cache)")
    T.sentence_bank()
    studies, readers = plan_studies(600, seed=1), make_readers(5, 0)
    rng = np.random.default_rng(0)
    reps = [[(f, 5 if f['kind'] == 'device' else int(rng.integers(1, 6))) for f in s.findings if rng.uniform() < .8] for s in studies]
    T.compose_report(studies[0], reps[0], readers[0], np.random.default_rng(0))   # warm-up (loads the bank arrays)
    best = None
    for _ in range(3):
        w, c = time.perf_counter(), time.process_time()
        fast = [T.compose_report(s, r, readers[i % 5], np.random.default_rng(i)) for i, (s, r) in enumerate(zip(studies, reps))]
        w, c = time.perf_counter() - w, time.process_time() - c
        best = (w, c) if best is None or c < best[1] else best
    k = 200
    w, c = time.perf_counter(), time.process_time()
    ref = [reference_report(s, r, readers[i % 5], np.random.default_rng(i), bank) for i, (s, r) in enumerate(zip(studies[:k], reps[:k]))]
    rw, rc = time.perf_counter() - w, time.process_time() - c
    n = len(studies)
    print(f"compose_report: {n} reports in {best[0]:.2f} s wall, {best[1]:.2f} s CPU -> {n / best[1]:,.0f} reports/s of CPU (best of 3)")
    print(f"reference     : {k} reports in {rw:.2f} s wall, {rc:.2f} s CPU -> {k / rc:,.0f} reports/s of CPU (pandas filtering)")
    print(f"speed-up      : {(n / best[1]) / (k / rc):.1f}x (CPU time)")
    bad_fast = sum(bool(v) for v in T.report_contradictions(fast, reps, studies))
    bad_ref = sum(bool(v) for v in T.report_contradictions(ref, reps[:k], studies[:k]))
    print(f"reports with a contradiction: compose_report {bad_fast}/{n}, reference {bad_ref}/{k}")
