"""Re-bootstrap CE micro F1 of a report_generation run from its saved generations: each system (mean over its seeds)
minus a baseline, paired over the test readings, with as many resamples as asked (the notebook's n_boot is 200, whose
2.5th percentile rests on about five resamples). The references are rebuilt from the run's parameters.json (the same
phantom cohort, split and text field), so nothing but the saved generations is read from the run. Writes
ce_vs_baseline.csv into the run folder.

Runs of the same cohort made separately (say, the findings-first arms in one and the hybrid arms in another, or
the seeds of one arm in two processes) are pooled with --with, by (system, seed); their parameters must name the
same cohort and text. --pairs scores chosen systems against each other on the same resamples (ce_pairs.csv).

Run (CPU, about a minute per 1000 resamples and 25 test readings):
    nice -n 5 env OMP_NUM_THREADS=1 .venv/bin/python scripts/rescore_ce.py nbs/experiments/results/report_generation_findings_first --n-boot 2000
"""
import argparse, json
from pathlib import Path
import numpy as np, pandas as pd

p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
p.add_argument('run', help='a report_generation run folder with generations.csv and parameters.json (or metrics.json); results are written here')
p.add_argument('--with', dest='others', nargs='*', default=[], help='more run folders of the same cohort whose (system, seed) generations are pooled in')
p.add_argument('--pairs', nargs='*', default=[], help="'SYSTEM=REFERENCE' pairs scored as SYSTEM minus REFERENCE")
p.add_argument('--n-boot', type=int, default=2000); p.add_argument('--seed', type=int, default=1)
p.add_argument('--baseline', default='baseline: most common report')
a = p.parse_args()

from gazebook.labeler import label_reports
from gazebook.reports import ce_scores, clean_report_iu_xray
from gazebook.train import TrainConfig, load_cohort, split_readings
from gazebook.scanpath import reading_text

COHORT = ('phantom_images', 'phantom_image_size', 'phantom_seed', 'text_field')
def params(run):
    f = (run/'parameters.json') if (run/'parameters.json').exists() else (run/'metrics.json')
    return json.loads(f.read_text())['params']

run = Path(a.run); meta = params(run)
gen = pd.read_csv(run/'generations.csv').fillna('')
for o in map(Path, a.others):
    m = params(o); diff = {k: (meta[k], m[k]) for k in COHORT if meta[k] != m[k]}
    if diff: raise SystemExit(f"--with {o}: another cohort or text than {run} ({diff}); only runs of one cohort can be pooled")
    g = pd.read_csv(o/'generations.csv').fillna('')
    have = set(zip(gen.system, gen.seed))  # a (system, seed) in both (the baselines) is taken from the first run given
    gen = pd.concat([gen, g[[k not in have for k in zip(g.system, g.seed)]]], ignore_index=True)
readings = load_cohort(TrainConfig.make(data='phantom', phantom_images=meta['phantom_images'],
                                        phantom_image_size=meta['phantom_image_size'], phantom_seed=meta['phantom_seed']))
test = [r for r in split_readings(readings, seed=meta['phantom_seed'])[0]['test'] if reading_text(r, meta['text_field']).strip()]
ids, ref_lab = [r.id for r in test], label_reports([clean_report_iu_xray(reading_text(r, meta['text_field'])) for r in test])
missing = sorted(set(ids) - set(gen.id))
if missing: raise SystemExit(f"{run/'generations.csv'}: test reading(s) {missing[:5]} absent: is this the run's cohort?")
labs = {k: label_reports(list(d.set_index('id').loc[ids, 'generated'])) for k, d in gen.groupby(['system', 'seed'])}
systems = list(dict.fromkeys(s for s, _ in labs))
bad = [q for q in a.pairs if '=' not in q]
if bad: raise SystemExit(f"--pairs {bad}: expected 'SYSTEM=REFERENCE'")
pairs = [tuple(q.split('=', 1)) for q in a.pairs]
for s in [a.baseline] + [x for q in pairs for x in q]:
    if s not in systems: raise SystemExit(f"{s!r} is not among the runs' systems: {systems}")
ce = lambda k, i: ce_scores(labs[k].iloc[i].reset_index(drop=True), ref_lab.iloc[i].reset_index(drop=True))['CE_F1_micro']
mean = lambda s, i: np.mean([ce(k, i) for k in labs if k[0] == s])
n, rng = len(ids), np.random.default_rng(a.seed)
draws = [rng.integers(0, n, n) for _ in range(a.n_boot)]
boot = {s: np.array([mean(s, i) for i in draws]) for s in systems}
point = {s: mean(s, np.arange(n)) for s in systems}

def versus(s, ref):
    d = boot[s] - boot[ref]; lo, hi = np.percentile(d, [2.5, 97.5])
    return dict(system=s, seeds=sum(k[0] == s for k in labs), CE_F1_micro=point[s], versus=ref, difference=point[s] - point[ref],
                lo=lo, hi=hi, share_not_above=float(np.mean(d <= 0)), n_boot=a.n_boot, test_readings=n)

out = pd.DataFrame([versus(s, a.baseline) for s in systems]).rename(columns=dict(difference='minus_baseline', versus='baseline'))
out.to_csv(run/'ce_vs_baseline.csv', index=False)
print(out.drop(columns=['baseline']).round(3).to_string(index=False))
if pairs:
    pr = pd.DataFrame([versus(s, ref) for s, ref in pairs]); pr.to_csv(run/'ce_pairs.csv', index=False)
    print(pr.round(3).to_string(index=False))
