"Gaze2Report: the report-generation experiment notebook end to end (tiny settings, through papermill), and the label-conditioned IU X-ray variant on a few real reports."
import json, shutil, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd
import pytest

papermill = pytest.importorskip('papermill', reason='papermill is not installed (dev extra)')
ROOT = Path(__file__).resolve().parents[1]
EXP = ROOT/'nbs'/'experiments'
IU = ROOT.parent/'shared'/'data'/'iu_xray'/'annotation.json'
TINY = dict(phantom_images=24, phantom_image_size=128, llm='smollm2-tiny-random', seeds=[0], epochs=1, batch_size=8,
            img_size=32, graph_dim=16, graph_layers=1, lora_r=2, max_new_tokens=4, scanpath_epochs=1, n_boot=5,
            meteor=False, device='cpu', n_show=2)


@pytest.fixture
def env(tmp_path, monkeypatch):
    # phantom and outputs in a temporary folder; the cache stays (the converted LLM is reused, not rebuilt)
    for k in ('DATA', 'OUTPUTS'): monkeypatch.setenv(f'GAZEBOOK_{k}', str(tmp_path/k.lower()))
    monkeypatch.setenv('GAZEBOOK_PROGRESS', '0')
    return tmp_path


def test_report_generation_notebook(env):
    out = env/'rg'
    papermill.execute_notebook(str(EXP/'report_generation.ipynb'), str(env/'rg.ipynb'), parameters=dict(TINY, out_dir=str(out)),
                               cwd=str(EXP), kernel_name='python3', progress_bar=False)
    table = pd.read_csv(out/'table.csv', index_col='system')
    arms = {'visual only', 'real gaze', 'predicted gaze', 'shuffled gaze'}
    ff, hy = {f'findings-first: {a}' for a in arms}, {f'hybrid: {a}' for a in arms}
    assert arms | ff | hy | {'baseline: most common report', 'oracle: findings-first with the true findings'} <= set(table.index)
    assert table.CE_F1_micro.between(0, 1).all() and table.BLEU_4.between(0, 1).all()
    runs = pd.read_csv(out/'runs.csv')
    assert set(runs.arm) == arms | ff | hy | {'oracle: findings-first with the true findings'} and (runs.items_per_s > 0).all()
    assert runs.loc[runs.arm.isin(ff | hy), 'decoding'].str.contains('most label-consistent of').all()  # the decoding each arm used
    d = pd.read_csv(out/'differences.csv')  # gaze arms against their route's visual-only arm; findings-first against end-to-end, hybrid against findings-first
    assert (d.lo <= d.hi).all() and set(d.arm) == (arms | ff | hy) - {'visual only'}
    assert set(d.versus) == arms | ff | {'hybrid: visual only'}
    clf = pd.read_csv(out/'findings_classifier.csv')  # one finding classifier per gaze condition and seed (the hybrid arms share it)
    assert set(clf.arm) == ff and clf['classifier CE_F1_micro'].between(0, 1).all() and clf.threshold.between(0.05, 0.95).all()
    prompts = pd.read_csv(out/'prompts.csv').fillna('')  # what the label-conditioned LLM was asked, per arm, seed and test reading
    assert prompts.prompt.str.fullmatch(r'positive: .+|nothing mentioned').all() and set(prompts.system) >= ff | hy
    rr = pd.read_csv(out/'rerank.csv')  # label-consistent reranking: the chosen report never disagrees more with its prompt than the first beam
    assert set(rr.system) == ff | hy | {'oracle: findings-first with the true findings'} and (rr.chosen_mismatch <= rr.first_mismatch).all()
    assert 'vs visual only' in (out/'verdict.md').read_text()
    gen = pd.read_csv(out/'generations.csv')  # every test report of every arm and seed, for pooling and re-scoring
    assert set(gen.system) == set(table.index) and len(gen) == len(table) * gen.id.nunique()
    probe = pd.read_csv(out/'probe.csv')
    assert list(probe.columns) == ['arm', 'seed', 'finding', 'auroc'] and probe.auroc.between(0, 1).all()
    assert hy <= set(probe.arm)  # the hybrid arms' graph tokens are probed too
    # scripts/rescore_ce.py: the run split in two folders and pooled back gives the same CE F1 as the whole run
    part = env/'rg_hybrid'; part.mkdir(); shutil.copy(out/'metrics.json', part)
    gen[gen.system.isin(hy)].to_csv(part/'generations.csv', index=False); gen[~gen.system.isin(hy)].to_csv(out/'generations.csv', index=False)
    pair = 'hybrid: real gaze=findings-first: real gaze'
    subprocess.run([sys.executable, str(ROOT/'scripts'/'rescore_ce.py'), str(out), '--with', str(part), '--pairs', pair, '--n-boot', '20'], check=True)
    ce = pd.read_csv(out/'ce_vs_baseline.csv').set_index('system')
    assert set(ce.index) == set(table.index) and np.allclose(ce.CE_F1_micro, table.loc[ce.index, 'CE_F1_micro'])
    pr = pd.read_csv(out/'ce_pairs.csv')
    assert len(pr) == 1 and pr.lo[0] <= pr.hi[0]
    assert np.isclose(pr.difference[0], table.CE_F1_micro['hybrid: real gaze'] - table.CE_F1_micro['findings-first: real gaze'])


def test_report_generation_bad_parameter(env):
    with pytest.raises(papermill.PapermillExecutionError, match='arms'):
        papermill.execute_notebook(str(EXP/'report_generation.ipynb'), str(env/'bad.ipynb'),
                                   parameters=dict(TINY, arms=['no such arm'], out_dir=str(env/'bad')),
                                   cwd=str(EXP), kernel_name='python3', progress_bar=False)


def test_e2e_findings_target_pilot(env):
    # scripts/e2e_findings_target.py: trained on "findings || report", it scores only the report part, against the baseline
    out = env/'pilot'
    subprocess.run([sys.executable, str(ROOT/'scripts'/'e2e_findings_target.py'), '--out', str(out), '--llm', 'smollm2-tiny-random',
                    '--phantom-images', '24', '--epochs', '1', '--n-boot', '20'], check=True)
    row = pd.read_csv(out/'scores.csv').iloc[0]
    gen = pd.read_csv(out/'generations.csv').fillna('')
    assert len(gen) == row.test_readings > 0 and row.target == 'findings+report' and 0 <= row.with_separator <= 1
    assert row.lo <= row.minus_baseline <= row.hi or row.lo == row.hi  # the point estimate inside its interval
    assert np.isclose(row.minus_baseline, row.CE_F1_micro - row.baseline_CE_F1_micro) and 0 <= row.stated_findings_micro_F1 <= 1
    assert not gen.generated.str.contains('||', regex=False).any()  # the stated findings never reach the scored report


@pytest.mark.skipif(not IU.exists(), reason=f"IU X-ray R2Gen annotation absent ({IU}): the shared data folder is not here")
def test_label_conditioned_iu(env):
    from gazebook.reports import load_iu_xray_annotation
    from gazebook.reportgen import label_conditioned_iu, ReportGenerator
    from gazebook.train import LoopConfig
    ann = load_iu_xray_annotation(IU)
    r = label_conditioned_iu(ann, llm='smollm2-tiny-random', n_train=8, n_val=4, n_test=6, meteor=False, out=env/'iu',
                             loop=LoopConfig(epochs=1, batch_size=4, device='cpu', checkpoint=False), log=lambda *a: None,
                             decoding=dict(max_new_tokens=4, num_beams=2))
    assert len(r['generated']) == 6 and set(ann.set_index('id').loc[[it['id'] for it in r['items']], 'split']) == {'test'}
    m = json.loads((env/'iu'/'metrics.json').read_text())
    assert 0 <= m['scores']['CE_F1_micro'] <= 1 and m['info']['n_train'] == 8
    gen = pd.read_csv(env/'iu'/'generations.csv')
    assert len(gen) == 6 and gen.condition.str.len().gt(0).all()
    back = ReportGenerator.from_pretrained(env/'iu'/'model', device='cpu')
    assert back.config.llm == 'smollm2-tiny-random'
