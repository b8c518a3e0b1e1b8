"""What a papermill user meets: parameters that parse, are checked before any work, and one output folder per run.

Every experiment notebook in nbs/experiments must have a `parameters`-tagged first code cell that papermill reads
without complaint (one parameter per line, a help comment each) and must check its parameters (`check_params`) and
make its run folder (`run_dir`) right after it. train_classifier is then run for real with tiny settings.
"""
import json, logging
from pathlib import Path
import pandas as pd
import pytest

papermill = pytest.importorskip('papermill', reason='papermill is not installed (dev extra)')
from papermill.inspection import inspect_notebook

ROOT = Path(__file__).resolve().parents[1]
EXP = ROOT/'nbs'/'experiments'
NOTEBOOKS = sorted(p for p in EXP.glob('*.ipynb') if not p.name.startswith('_'))
TINY = dict(phantom_images=24, phantom_image_size=128, img_size=32, depth=1, epochs=1, batch_size=8,
            labels=['normal', 'lung_opacity'], model='gazevit_micro', n_show=1, device='cpu')


def _code_cells(nb): return [c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell(nb, caplog):
    "papermill parses every parameter (no `Unable to parse line`), each has help text, and they are checked at once."
    cells = _code_cells(nb)
    assert 'parameters' in cells[0].get('metadata', {}).get('tags', []), f"{nb.name}: the first code cell must be tagged `parameters`"
    with caplog.at_level(logging.WARNING):
        params = inspect_notebook(str(nb))
    assert not [r for r in caplog.records if 'Unable to parse' in r.getMessage()], caplog.text
    names = [l.split('=')[0].strip() for l in _src(cells[0]).splitlines() if l.strip() and not l.lstrip().startswith('#')]
    assert sorted(names) == sorted(params), f"{nb.name}: papermill sees {sorted(params)}, the cell sets {names}"
    assert not [k for k, v in params.items() if not v['help']], f"{nb.name}: parameters without a help comment"
    nxt = ''.join(_src(c) for c in cells[1:3])
    assert 'check_params(' in nxt, f"{nb.name}: the cell after the parameters must validate them with check_params"
    assert 'run_dir(' in nxt, f"{nb.name}: each run needs its own folder (gazebook.core.run_dir), made up front"


def _run(out, **params):
    return papermill.execute_notebook(str(EXP/'train_classifier.ipynb'), str(out), parameters=params, cwd=str(EXP),
                                      kernel_name='python3', progress_bar=False)


def test_bad_parameters_fail_first(env):
    "Typos stop in the first cell with one message naming each parameter, its value and what was expected."
    with pytest.raises(papermill.PapermillExecutionError) as e:
        _run(env/'bad.ipynb', **dict(TINY, epochs='two', lr=-1.0, gaze_schedule='cosin', data='no/such/folder', device='tpu'))
    msg = str(e.value)
    for part in ["epochs='two': expected int (got str)", 'lr=-1.0: expected a number in [0, 1]',
                 "gaze_schedule='cosin': expected one of ['constant', 'linear', 'cosine']",
                 "data='no/such/folder': expected one of ['phantom', 'reflacx'] or an existing path",
                 "device='tpu': expected a device present on this machine"]:
        assert part in msg, (part, msg[-2000:])
    assert e.value.exec_count <= 3, "the parameters must be checked before any work"
    assert not (env/'data').exists() and not (env/'outputs').exists(), "nothing may be prepared or written before the check"


def test_each_run_its_own_folder(env):
    "Two runs with the same settings write two folders (each printed); a 1-epoch run still trains with gaze."
    outs = []
    for i in range(2):
        _run(env/f'run{i}.ipynb', **TINY)
        nb = json.loads((env/f'run{i}.ipynb').read_text())
        text = ''.join(''.join(o.get('text', '')) for c in nb['cells'] for o in c.get('outputs', []) if o['output_type'] == 'stream')
        line = next(l for l in text.splitlines() if l.startswith('run folder: '))
        outs.append(Path(line[len('run folder: '):]))
        assert 'covers all 1 epoch(s)' in text, "a warm-up longer than the run must be reported"
    a, b = outs
    assert a != b and a.parent == b.parent == env/'outputs', outs
    assert a.name.startswith('train_classifier-data=phantom-model=gazevit_micro-epochs=1-gaze_weight=1.0-seed=0-')
    for d in outs:
        assert json.loads((d/'parameters.json').read_text())['epochs'] == 1
        assert json.loads((d/'metrics.json').read_text())['epochs_run'] == 1
        assert (d/'curves.png').stat().st_size > 1000 and (d/'attention.png').stat().st_size > 1000
        assert pd.read_csv(d/'curves.csv').train_gaze_weight.iloc[0] > 0, "the warm-up swallowed the only epoch's gaze loss"
    imgs = [o for c in nb['cells'] for o in c.get('outputs', []) if 'image/png' in o.get('data', {})]
    assert len(imgs) >= 2, "the learning curves and the attention figure must appear in the notebook"
