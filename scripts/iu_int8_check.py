"""Does `quantize='int8'` change the reports? The model saved by scripts/iu_labels2report.py generates the first
--n test reports of that run with float32 and with int8 (same decoding); prints identical fraction, BLEU-4 and
CE micro F1 of each against the references, and CPU seconds per report.

    nice -n 15 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 .venv/bin/python scripts/iu_int8_check.py
"""
import argparse, json, time, warnings
from pathlib import Path
import pandas as pd, torch
p = argparse.ArgumentParser(); p.add_argument('--run', default='outputs/iu_labels2report'); p.add_argument('--n', type=int, default=32)
a = p.parse_args(); torch.set_num_threads(1)
from gazebook.reportgen import ReportGenerator, generate_reports
from gazebook.reports import score_reports
info = json.loads((Path(a.run)/'metrics.json').read_text())['info']
gen = pd.read_csv(Path(a.run)/'generations.csv').head(a.n)
m = ReportGenerator.from_pretrained(Path(a.run)/'model', device='cpu')
items = [dict(condition=c, report=r) for c, r in zip(gen.condition, gen.reference)]
out = {}
for q in (None, 'int8'):
    generate_reports(m, items[:1], quantize=q, **info['decoding'])  # warm-up (int8: builds the quantised copy)
    c = time.process_time(); out[q] = generate_reports(m, items, quantize=q, **info['decoding']); c = time.process_time() - c
    s = score_reports(out[q], list(gen.reference), meteor=False)
    print(f"{q or 'float32'}: BLEU-4 {s['BLEU_4']:.3f}, CIDEr {s['CIDEr']:.3f}, CE micro F1 {s['CE_F1_micro']:.3f}, {c / len(items):.2f} CPU-s per report (batch 16)")
print(f"identical reports: {sum(x == y for x, y in zip(out[None], out['int8']))} of {len(items)}; "
      f"float32 here equals the run's generations: {sum(x == y for x, y in zip(out[None], gen.generated))} of {len(items)}")
