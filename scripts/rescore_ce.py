"""Re-bootstrap CE micro F1 of a report_generation run from its saved generations: each system (mean over its seeds)
minus a baseline, paired over the test readings, with as many resamples as asked (the notebook's n_boot is 200, whose
2.5th percentile rests on about five resamples). The references are rebuilt from the run's parameters.json (the same
phantom cohort, split and text field), so nothing but the saved generations is read from the run. Writes
ce_vs_baseline.csv into the run folder.

Run (CPU, about a minute per 1000 resamples):
    nice -n 5 env OMP_NUM_THREADS=1 .venv/bin/python scripts/rescore_ce.py nbs/experiments/results/report_generation_findings_first --n-boot 2000
"""
import argparse, json
from pathlib import Path
import numpy as np, pandas as pd

p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
p.add_argument('run', help='a report_generation run folder with generations.csv and parameters.json (or metrics.json)')
p.add_argument('--n-boot', type=int, default=2000); p.add_argument('--seed', type=int, default=1)
p.add_argument('--baseline', default='baseline: most common report')
a = p.parse_args()

from gazebook.labeler import label_reports
from gazebook.reports import ce_scores, clean_report_iu_xray
from gazebook.train import TrainConfig, load_cohort, split_readings
from gazebook.scanpath import reading_text

run = Path(a.run)
meta = json.loads(((run/'parameters.json') if (run/'parameters.json').exists() else (run/'metrics.json')).read_text())['params']
readings = load_cohort(TrainConfig.make(data='phantom', phantom_images=meta['phantom_images'],
                                        phantom_image_size=meta['phantom_image_size'], phantom_seed=meta['phantom_seed']))
test = [r for r in split_readings(readings, seed=meta['phantom_seed'])[0]['test'] if reading_text(r, meta['text_field']).strip()]
ids, ref_lab = [r.id for r in test], label_reports([clean_report_iu_xray(reading_text(r, meta['text_field'])) for r in test])
gen = pd.read_csv(run/'generations.csv').fillna('')
missing = sorted(set(ids) - set(gen.id))
if missing: raise SystemExit(f"{run/'generations.csv'}: test reading(s) {missing[:5]} absent: is this the run's cohort?")
labs = {k: label_reports(list(d.set_index('id').loc[ids, 'generated'])) for k, d in gen.groupby(['system', 'seed'])}
if a.baseline not in {s for s, _ in labs}: raise SystemExit(f"--baseline {a.baseline!r} not among the run's systems")
systems = list(dict.fromkeys(s for s, _ in labs))
ce = lambda k, i: ce_scores(labs[k].iloc[i].reset_index(drop=True), ref_lab.iloc[i].reset_index(drop=True))['CE_F1_micro']
mean = lambda s, i: np.mean([ce(k, i) for k in labs if k[0] == s])
n, rng = len(ids), np.random.default_rng(a.seed)
draws = [rng.integers(0, n, n) for _ in range(a.n_boot)]
boot = {s: np.array([mean(s, i) for i in draws]) for s in systems}
rows = []
for s in systems:
    d = boot[s] - boot[a.baseline]; lo, hi = np.percentile(d, [2.5, 97.5])
    rows.append(dict(system=s, seeds=sum(k[0] == s for k in labs), CE_F1_micro=mean(s, np.arange(n)),
                     minus_baseline=mean(s, np.arange(n)) - mean(a.baseline, np.arange(n)), lo=lo, hi=hi,
                     share_not_above=float(np.mean(d <= 0)), baseline=a.baseline, n_boot=a.n_boot, test_readings=n))
out = pd.DataFrame(rows); out.to_csv(run/'ce_vs_baseline.csv', index=False)
print(out.drop(columns=['baseline']).round(3).to_string(index=False))
