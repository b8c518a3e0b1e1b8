"Run the papermill experiment notebooks (nbs/experiments) end to end with tiny settings."
import json
from pathlib import Path
import pandas as pd
import pytest

papermill = pytest.importorskip('papermill', reason='papermill is not installed (dev extra)')
ROOT = Path(__file__).resolve().parents[1]
EXP = ROOT/'nbs'/'experiments'
TINY = dict(phantom_images=24, phantom_image_size=128, img_size=32, depth=1, epochs=1, batch_size=8,
            labels=['normal', 'lung_opacity'], device='cpu')


def _run(name, out, params):
    return papermill.execute_notebook(str(EXP/f'{name}.ipynb'), str(out/f'{name}.ipynb'), parameters=params,
                                      cwd=str(EXP), kernel_name='python3', progress_bar=False)


def test_train_classifier_notebook(env):
    run = env/'run'
    # 60 images: the test split (15%, scored per image against the phantom's truth) has both classes of each label
    _run('train_classifier', env, dict(TINY, phantom_images=60, model='gazevit_micro', out_dir=str(run), n_show=2))
    m = json.loads((run/'metrics.json').read_text())
    assert m['data']['test']['unit'] == 'image' and m['data']['test']['n_truth'] == m['data']['test']['n']
    assert 0 <= m['macro_auroc'] <= 1 and m['images_per_s'] > 0 and m['epochs_run'] == 1
    assert set(m['per_label']) == {'normal', 'lung_opacity'}
    assert -1 <= m['gaze_cc'] <= 1
    assert (run/'curves.png').stat().st_size > 1000 and len(pd.read_csv(run/'curves.csv')) == 1
    assert (run/'best'/'model.safetensors').exists()


def test_ablation_notebook(env):
    out = env/'abl'
    _run('ablation', env, dict(TINY, phantom_images=40, phantom_image_size=96, splits=[0.5, 0.2, 0.3], settings=['no-shortcut', 'corner'],
                               arms=['none', 'gaze', 'shuffled'], heads=['gaze'], seeds=[0], term_ablation=True, train_sizes=[10],
                               labels=['normal', 'pleural_abnormality'], width=32, n_boot=20, n_jobs=1, out_dir=str(out)))
    runs = pd.read_csv(out/'runs.csv')
    # main grid 2 settings x 3 arms, loss terms 4 removed + raw, training size 1 x 3 arms
    assert len(runs) == 6 + 5 + 3 and set(runs.arm) == {'none', 'gaze', 'shuffled'}
    main = runs[runs.study == 'main']
    assert main.macro_auroc.dropna().between(0, 1).all() and set(main.setting) == {'no-shortcut', 'corner'}
    assert main.marker_shift.notna().all()                       # counterfactual renders in every setting
    pred = pd.read_csv(out/'predictions.csv')
    assert len(pred) == len(runs) * runs.n_test.iloc[0]           # one row per test image per run
    h = pd.read_csv(out/'headline.csv')
    assert list(h.setting) == ['no-shortcut', 'corner'] and {'macro AUROC', 'flipped AUROC'} <= set(h.columns)
    assert (out/'ablation.png').stat().st_size > 1000 and (out/'terms.csv').exists() and (out/'sizes.csv').exists()
    v = (out/'verdict.md').read_text()
    assert 'gaze − shuffled' in v and 'In plain words' in v
