"Run the scanpath papermill experiment (nbs/experiments/scanpath.ipynb) end to end with tiny settings."
import json
from pathlib import Path
import pandas as pd
import pytest

papermill = pytest.importorskip('papermill', reason='papermill is not installed (dev extra)')
ROOT = Path(__file__).resolve().parents[1]
EXP = ROOT/'nbs'/'experiments'
TINY = dict(phantom_images=24, model='scanpath_micro_density', max_len=12, saccade_sds=[0.2, None], temperatures=[1.0], mbr_candidates=[3], mbr_saccade_sds=[0.2], reorders=['nearest'], epochs=1, batch_size=8, seeds=[0, 1],
            n_boot=50, device='cpu', n_show=1, patience=1,
            model_overrides=dict(img_size=32, d_model=32, nhead=2, ff_dim=64, enc_layers=1, dec_layers=1))


def _run(out, params):
    return papermill.execute_notebook(str(EXP/'scanpath.ipynb'), str(out/'scanpath.ipynb'), parameters=params,
                                      cwd=str(EXP), kernel_name='python3', progress_bar=False)


def test_scanpath_notebook(env):
    run = env/'run'
    _run(env, dict(TINY, out_dir=str(run)))
    m = json.loads((run/'metrics.json').read_text())
    assert [r['seed'] for r in m['runs']] == [0, 1] and all(r['epochs_run'] == 1 for r in m['runs'])
    methods = {k.split('|')[0] for k in m['summary']}
    assert {'model', 'model (selected)', 'control: shuffled images', 'control: shuffled images (selected)', 'centre', 'mean_heatmap', 'random', 'nearest'} <= methods
    sweep = pd.read_csv(run/'validation_sweep.csv')   # deterministic + 1 temperature x 2 saccade_sds + MBR of 3 at saccade_sd 0.2
    # + the sampled path without saccade_sd reordered, one chosen by the declared criterion
    assert len(sweep) == 5 and sweep.chosen.sum() == 1 and m['chosen']['name'] == sweep.setting[sweep.chosen].item()
    assert sweep.setting.tolist()[-2:] == ['MBR of 3, T=1.0, saccade_sd=0.2', 'sampled, T=1.0, saccade_sd=None, reorder=nearest']
    assert (sweep['decode CPU s per seed'] > 0).all()
    s = sweep.set_index('setting')   # reordering keeps the fixations: the same heatmap CC as the unreordered twin, to rounding
    for metric in ('cc_gazebook', 'cc_medgaze'):
        assert abs(s.loc['sampled, T=1.0, saccade_sd=None, reorder=nearest', metric] - s.loc['sampled, T=1.0, saccade_sd=None', metric]) < 1e-9
    assert sweep['score (min z)'][sweep.chosen].item() == sweep['score (min z)'].max()
    targets = pd.read_csv(run/'targets.csv')
    assert len(targets) == 5 and targets.met.dtype == bool and set(m['validation_image_information']) == {'mm_mean4', 'cc_gazebook', 'cc_medgaze'}
    mm = m['summary']['model|mm_mean4']
    assert 0 <= mm['mean'] <= 1 and mm['lo'] <= mm['mean'] <= mm['hi'] and mm['n'] == m['n_test_images']
    cc = m['summary']['nearest|cc_medgaze']
    assert -1 <= cc['mean'] <= 1
    table = pd.read_csv(run/'table.csv')
    assert {'cc_gazebook', 'cc_medgaze', 'iou_medgaze', 'scanmatch', 'seq_score', 'dtw', 'any_hit'} <= set(table.metric)
    assert (run/'seed-0'/'model.safetensors').exists() and (run/'seed-1'/'config.json').exists()
    assert (run/'predicted_vs_real.png').stat().st_size > 1000
    assert m['verdict_text'][0].startswith('Decoding chosen on validation') and any('inter-reader' in t for t in m['verdict_text'])
    assert not (run/'confirm_table.csv').exists()   # confirm_phantom_seed=None: no confirmation
    # a second run reusing the saved models (and control) of the first: no training; the first run's chosen decoding fixed in
    # advance (only it is scored on validation, with the same scores) and confirmed on a fresh phantom cohort (seed 1)
    run2 = env/'run2'
    _run(env, dict(TINY, out_dir=str(run2), models_from=str(run), n_show=0, decoding=m['chosen']['name'], confirm_phantom_seed=1))
    m2 = json.loads((run2/'metrics.json').read_text())
    assert [r['loaded_from'] for r in m2['runs']] == [str(run/'seed-0'), str(run/'seed-1')] and (run2/'control'/'model.safetensors').exists()
    sweep2 = pd.read_csv(run2/'validation_sweep.csv')
    assert m2['chosen'] == m['chosen'] and sweep2.setting.tolist() == [m['chosen']['name']]
    pd.testing.assert_frame_equal(sweep2.drop(columns='decode CPU s per seed'),
                                  sweep[sweep.chosen].reset_index(drop=True).drop(columns='decode CPU s per seed'))
    check = json.loads((run2/'confirm_check.json').read_text())
    assert check['fresh_test_images'] > 0 and check['shared_image_ids'] == check['shared_reading_ids'] == check['identical_image_arrays'] == 0
    ct = pd.read_csv(run2/'confirm_table.csv')
    assert {'model (selected)', 'control: shuffled images (selected)', 'centre', 'mean_heatmap', 'random', 'nearest'} <= set(ct.method)
    assert 'model' not in set(ct.method) and (ct[(ct.method == 'model (selected)')].n <= check['fresh_test_images']).all()
    ctg = pd.read_csv(run2/'confirm_targets.csv')
    assert ctg.target.tolist() == targets.target.tolist() and ctg.met.dtype == bool
    cv = pd.read_csv(run2/'confirm_verdict.csv')
    assert set(cv.method) == {'model (selected)'} and len(cv) == 3 * 5


def test_scanpath_notebook_rejects_bad_parameters(env):
    with pytest.raises(papermill.PapermillExecutionError) as e:
        _run(env, dict(TINY, epochs='two', model='scanpath_mikro', out_dir=str(env/'bad')))
    assert 'epochs' in str(e.value) and 'model' in str(e.value)
    with pytest.raises(papermill.PapermillExecutionError) as e:
        _run(env, dict(TINY, temperatures=[0], select_on=['cc'], out_dir=str(env/'bad2')))
    assert 'temperatures' in str(e.value) and 'select_on' in str(e.value)
    with pytest.raises(papermill.PapermillExecutionError) as e:
        _run(env, dict(TINY, mbr_candidates=[1], mbr_saccade_sds=[0.5], reorders=['tsp'], out_dir=str(env/'bad3')))
    assert 'mbr_candidates' in str(e.value) and 'mbr_saccade_sds' in str(e.value) and 'reorders' in str(e.value)
    with pytest.raises(papermill.PapermillExecutionError) as e:
        _run(env, dict(TINY, confirm_phantom_seed=0, out_dir=str(env/'bad4')))
    assert 'confirm_phantom_seed' in str(e.value)
