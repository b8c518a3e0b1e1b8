"Run the method comparison (nbs/experiments/compare_methods.ipynb) end to end through papermill with tiny settings."
import json
from pathlib import Path
import pandas as pd
import pytest

papermill = pytest.importorskip('papermill', reason='papermill is not installed (dev extra)')
EXP = Path(__file__).resolve().parents[1]/'nbs'/'experiments'
TINY = dict(phantom_images=24, phantom_image_size=128, epochs=1, batch_size=8, seeds=[0], max_len=12, n_boot=50, device='cpu',
            classifier_overrides=dict(img_size=32, depth=1), max_test_images=4,
            scanpath_overrides=dict(img_size=32, d_model=32, nhead=2, ff_dim=64, enc_layers=1, dec_layers=1),
            llm='smollm2-tiny-random', reportgen_epochs=1, reportgen_max_train=8, max_new_tokens=8)

def _run(out, params):
    return papermill.execute_notebook(str(EXP/'compare_methods.ipynb'), str(out/'compare_methods.ipynb'), parameters=params,
                                      cwd=str(EXP), kernel_name='python3', progress_bar=False)

def test_compare_methods_notebook(env):
    run = env/'run'
    _run(env, dict(TINY, out_dir=str(run)))
    m = json.loads((run/'metrics.json').read_text())
    arms = {r['arm'] for r in m['table']}
    assert arms == {'modular', 'oracle', 'retrieval: most common', 'retrieval: labels', 'Gaze2Report: predicted gaze', 'Gaze2Report: no gaze'}
    s = pd.read_csv(run/'scores.csv'); assert {'BLEU_4', 'ROUGE_L', 'keyword_recall', 'CE_F1_micro'} <= set(s.columns)
    e = pd.read_csv(run/'evidence.csv')
    assert -1 <= e.dwell_icc[0] <= 1 and 0 <= e.grounding_iou.fillna(0)[0] <= 1 and e.s_per_study[0] > 0
    assert {'mm_mean4', 'scanmatch', 'cc_gazebook', 'oracle_iou'} <= set(e.columns)
    assert (s.s_per_study[s.arm.str.startswith('Gaze2Report')] > 0).all()             # generation is timed per study
    g = s[s.arm == 'Gaze2Report: predicted gaze'].iloc[0]; assert 0 <= g.CE_F1_micro <= 1 and 0 <= g.keyword_recall <= 1
    t = pd.read_csv(run/'table.csv', header=[0, 1], index_col=0)
    assert ('grounding_iou', 'mean') in t.columns and ('dwell_icc', 'mean') in t.columns and len(t) == 6
    assert len(m['verdict_text']) == 5 and 'Keyword recall' in m['verdict_text'][0] and 'Inter-reader' in m['verdict_text'][2]
    assert 'Gaze2Report' in m['verdict_text'][3] and 'Seconds per study' in m['verdict_text'][4]
    assert len(pd.read_csv(run/'gaze2report_runs.csv')) == 2
    rep = pd.read_csv(run/'reports.csv'); assert len(rep) == 6 * m['n_test_images'] and set(rep.arm) == arms   # 6 arms x the test images
    assert not rep.reference.str.contains('final report').any()                              # FINDINGS + IMPRESSION only
    assert set(m['inter_reader_icc']) >= {'icc', 'lo', 'hi', 'images'}
    assert (run/'seed-0'/'scanpath'/'config.json').exists() and (run/'seed-0'/'classifier'/'best'/'model.safetensors').exists()

def test_compare_methods_rejects_bad_parameters(env):
    with pytest.raises(papermill.PapermillExecutionError) as e: _run(env, dict(TINY, threshold=2.0, out_dir=str(env/'r')))
    assert 'threshold' in str(e.value)
