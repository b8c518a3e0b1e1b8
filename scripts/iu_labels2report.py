"""The label-conditioned report generator (SmolLM2-135M + LoRA, oracle finding lists) on IU X-ray: train on R2Gen's
train split (a random subset), choose the decoding on validation reports, score a random subset of the test split
against gazebook.reports' retrieval baselines on the same reports, with bootstrap intervals. Writes the small result
files (table, differences, examples, parameters, command) into --results for the docs; the model goes to --out.

Run (CPU, one thread, niced; about 25 CPU-minutes with the defaults):
    nice -n 15 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 timeout 4000 .venv/bin/python scripts/iu_labels2report.py
"""
import argparse, datetime, json, platform, shlex, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch

p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
p.add_argument('--annotation', default=str(Path(__file__).resolve().parents[2]/'shared'/'data'/'iu_xray'/'annotation.json'))
p.add_argument('--llm', default='smollm2-135m')
p.add_argument('--model', default='labels2report', help="registered name, or a saved model folder to continue training (e.g. a previous run's --out/model)")
p.add_argument('--n-train', type=int, default=320); p.add_argument('--n-val', type=int, default=32)
p.add_argument('--n-test', type=int, default=200); p.add_argument('--epochs', type=int, default=1)
p.add_argument('--batch-size', type=int, default=8); p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--max-new-tokens', type=int, default=80); p.add_argument('--n-boot', type=int, default=100)
p.add_argument('--seed', type=int, default=0); p.add_argument('--no-meteor', action='store_true')
p.add_argument('--eval-model', default=None, help="score this saved model folder on the test split without training (the decoding its run chose, from its metrics.json)")
p.add_argument('--dtype', default='float32', choices=['float32', 'bfloat16', 'float16'], help="LLM weights dtype for --eval-model ('bfloat16': half the memory traffic on a CPU with AVX-512 BF16)")
p.add_argument('--speculative', action='store_true', help="with --eval-model: decode one report at a time with the retrieval drafter (gazebook.speculative), timed")
p.add_argument('--compare', default=None, help="a generations.csv of another run on the same test reports, added as a system for paired differences")
p.add_argument('--out', default='outputs/iu_labels2report'); p.add_argument('--results', default='nbs/experiments/results/iu_labels2report')
a = p.parse_args()
if not a.eval_model and (a.dtype != 'float32' or a.speculative):
    p.error("--dtype and --speculative apply to --eval-model (training runs in float32 and decodes in batches)")
if a.eval_model and (a.results == p.get_default('results') or a.out == p.get_default('out')):
    p.error("--eval-model: give --results and --out folders of its own (the defaults hold the training run's results)")

def to_markdown(df):
    "A pipe table (no tabulate dependency)."
    cell = lambda v: '' if isinstance(v, float) and np.isnan(v) else f'{v:.3f}' if isinstance(v, float) else str(v)
    head = [df.index.name or ''] + list(map(str, df.columns))
    rows = [[str(i)] + [cell(v) for v in r] for i, r in zip(df.index, df.itertuples(index=False))]
    return '\n'.join('| ' + ' | '.join(r) + ' |' for r in [head, ['---'] * len(head)] + rows) + '\n'
torch.set_num_threads(1)
from gazebook.reports import load_iu_xray_annotation, iu_xray_baselines, r2gen_vocab, r2gen_view, nlg_scores, ce_scores
from gazebook.labeler import label_reports
from gazebook.reportgen import label_conditioned_iu
from gazebook.train import LoopConfig

if not Path(a.annotation).exists(): sys.exit(f"IU X-ray R2Gen annotation not found at {a.annotation}")
c0, t0 = time.process_time(), time.perf_counter()
ann = load_iu_xray_annotation(a.annotation)
def evaluate_saved(folder):
    "Like label_conditioned_iu's result, for a saved model scored on the test split only."
    from gazebook.reportgen import ReportGenerator, iu_label_items, generate_reports
    from gazebook.speculative import drafter_for
    folder = Path(folder); met = folder.parent/'metrics.json'
    dec = dict(num_beams=1, max_new_tokens=a.max_new_tokens) | (json.loads(met.read_text())['info'].get('decoding', {}) if met.exists() else {})
    m = ReportGenerator.from_pretrained(folder, device='cpu', llm_dtype=a.dtype)
    te = iu_label_items(ann, 'test', a.n_test, a.seed)
    drafter = drafter_for(m, list(ann.report[ann.split == 'train'])) if a.speculative else None  # train reports only
    t, c = time.perf_counter(), time.process_time()
    gen = generate_reports(m, te, batch_size=1 if a.speculative else 16, drafter=drafter, **dec)
    info = dict(model=str(folder), dtype=a.dtype, speculative=a.speculative, decoding=dec, n_test=len(te),
                timing='one report at a time' if a.speculative else 'batches of 16',
                seconds_per_report=(time.perf_counter() - t) / len(te), cpu_seconds_per_report=(time.process_time() - c) / len(te))
    return dict(generated=gen, references=[it['report'] for it in te], items=te, info=info)

r = evaluate_saved(a.eval_model) if a.eval_model else label_conditioned_iu(ann, a.model, n_train=a.n_train, n_val=a.n_val, n_test=a.n_test, seed=a.seed, llm=a.llm,
                         loop=LoopConfig(epochs=a.epochs, batch_size=a.batch_size, lr=a.lr, warmup_epochs=0.1, device='cpu',
                                         seed=a.seed, checkpoint=False),
                         decoding=dict(num_beams=1, max_new_tokens=a.max_new_tokens),
                         decoding_grid=[dict(repetition_penalty=1.0), dict(repetition_penalty=2.0)], n_val_gen=16,
                         out=Path(a.out), meteor=not a.no_meteor)
print('model:', json.dumps(r['info'], default=float), flush=True)
te, base = iu_xray_baselines(ann)  # baselines use the train split only (the oracle ones also the test reference's labels/text)
pos = {k: i for i, k in enumerate(te.id)}
idx = [pos[it['id']] for it in r['items']]
vocab = r2gen_vocab(ann.report[ann.split == 'train'])
view = lambda xs: [r2gen_view(x, vocab) for x in xs]  # R2Gen's scoring view of both sides (<unk>, 60 words), as baseline_table
refs = view(r['references'])
ours_name = 'labels2report (ours; oracle finding list)' + (f", {a.dtype}{', speculative' if a.speculative else ''}" if a.eval_model else '')
systems = {ours_name: view(r['generated'])}
if a.compare:  # another run's generations of the same test reports (matched by id)
    cmp = pd.read_csv(a.compare).set_index('id').generated.fillna('')
    missing = [it['id'] for it in r['items'] if it['id'] not in cmp.index]
    if missing: sys.exit(f"--compare {a.compare}: {len(missing)} of {len(r['items'])} test ids missing (first: {missing[0]}); "
                         "score the same test reports (same --n-test and --seed as that run)")
    systems[f"compared: {a.compare}"] = view([cmp.loc[it['id']] for it in r['items']])
systems |= {k: view([g[i] for i in idx]) for k, g in base.items()}
labs = {k: label_reports(v) for k, v in systems.items()}; ref_lab = label_reports(refs)
rows = []
for k, g in systems.items():
    s = nlg_scores(g, refs, meteor=not a.no_meteor) | ce_scores(labs[k], ref_lab)
    rows.append(dict(system=k, oracle=k.startswith(('labels2report', 'oracle', 'compared')), n=len(refs), **s))
table = pd.DataFrame(rows).set_index('system')
KEYS, rng, boot = ['BLEU_4', 'CIDEr', 'CE_F1_micro'], np.random.default_rng(a.seed), {k: {m: [] for m in ['BLEU_4', 'CIDEr', 'CE_F1_micro']} for k in systems}
for b in range(a.n_boot):
    ii = rng.integers(0, len(refs), len(refs))
    rr = [refs[i] for i in ii]; rl = ref_lab.iloc[ii].reset_index(drop=True)
    for k, g in systems.items():
        s = nlg_scores([g[i] for i in ii], rr, meteor=False) | ce_scores(labs[k].iloc[ii].reset_index(drop=True), rl)
        for m in KEYS: boot[k][m].append(s[m])
for k in systems:
    for m in KEYS: table.loc[k, f'{m} 95% CI'] = '[{:.3f}, {:.3f}]'.format(*np.percentile(boot[k][m], [2.5, 97.5]))
ours = next(iter(systems))
diff = [dict(versus=k, metric=m, difference=table.loc[ours, m] - table.loc[k, m],
             lo=np.percentile(np.subtract(boot[ours][m], boot[k][m]), 2.5), hi=np.percentile(np.subtract(boot[ours][m], boot[k][m]), 97.5))
        for k in systems if k != ours for m in KEYS]
if a.eval_model:  # keep every generation (the training path writes them into --out itself)
    Path(a.out).mkdir(parents=True, exist_ok=True)
    pd.DataFrame(dict(id=[it['id'] for it in r['items']], condition=[it['condition'] for it in r['items']], reference=r['references'],
                      generated=r['generated'])).to_csv(Path(a.out)/'generations.csv', index=False)
res = Path(a.results); res.mkdir(parents=True, exist_ok=True)
table.to_csv(res/'table.csv'); pd.DataFrame(diff).to_csv(res/'differences.csv', index=False)
cols = ['BLEU_1', 'BLEU_2', 'BLEU_3', 'BLEU_4', 'METEOR', 'ROUGE_L', 'CIDEr', 'CE_F1_micro', 'CE_F1_macro'] + [f'{m} 95% CI' for m in KEYS]
md = table[[c for c in cols if c in table]].round(3)
md.loc["R2Gen (Chen et al., 2020; published, whole test split)", ['BLEU_4', 'METEOR', 'ROUGE_L']] = [0.165, 0.187, 0.371]
(res/'table_markdown.txt').write_text(to_markdown(md))  # not .md: Quarto would render it as a page
pd.DataFrame(dict(condition=[it['condition'] for it in r['items']], reference=refs, generated=systems[ours])).head(6).to_csv(res/'examples.csv', index=False)
info = r['info'] | dict(total_cpu_s=time.process_time() - c0, total_wall_s=time.perf_counter() - t0)
(res/'parameters.json').write_text(json.dumps(dict(vars(a), run_info=info, when=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='minutes'),
                                                 host=platform.processor() or platform.machine(), torch=torch.__version__), indent=1, default=float))
(res/'command.txt').write_text('nice -n 15 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 .venv/bin/python ' + ' '.join(map(shlex.quote, sys.argv)) + '\n')
print(to_markdown(md)); print(pd.DataFrame(diff).round(3).to_string()); print(f"CPU {info['total_cpu_s']:.0f} s, wall {info['total_wall_s']:.0f} s")
