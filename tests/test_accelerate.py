"""The scale-out path without a GPU: `gazebook.train` under `accelerate launch` with 2 CPU processes (gloo).

The same command with `--num_processes <n GPUs>` (and no `device=cpu`) trains on several GPUs; see README.
"""
import json, os, shutil, socket, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
ACCELERATE = Path(sys.executable).parent/'accelerate'
TINY = ["model=gazevit_micro", "model_overrides={'img_size':32,'depth':1,'embed_dim':32}", "labels=['normal','lung_opacity']",
        "phantom_images=24", "phantom_image_size=128", "batch_size=4", "text_weight=0", "seg_weight=0", "device=cpu",
        "shortcut_eval=False", "plot=False", "save_model=False", "patience=10"]


def _port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def _launch(tmp, args):
    env = dict(os.environ, GAZEBOOK_DATA=str(tmp/'data'), GAZEBOOK_CACHE=str(tmp/'cache'), GAZEBOOK_OUTPUTS=str(tmp/'outputs'),
               GAZEBOOK_PROGRESS='0', OMP_NUM_THREADS='1', TOKENIZERS_PARALLELISM='false')
    cmd = [str(ACCELERATE), 'launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1', '--mixed_precision', 'no',
           '--dynamo_backend', 'no', '--main_process_port', str(_port()), '-m', 'gazebook.train', *TINY, *args]
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, f"accelerate launch failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    return p.stdout + p.stderr


@pytest.mark.skipif(not ACCELERATE.exists() or shutil.which('true') is None, reason='accelerate is not installed in this environment')
def test_two_cpu_processes(tmp_path):
    run = tmp_path/'run'
    out = _launch(tmp_path, ['epochs=2', f'out_dir={run}'])
    m = json.loads((run/'metrics.json').read_text())
    assert m['num_processes'] == 2 and m['device'].startswith('cpu') and m['epochs_run'] == 2
    assert sorted(p.name for p in run.glob('*.pt')) == ['checkpoint.pt']          # one checkpoint, by the main process
    n_val = m['data']['validate']['n']
    h = pd.read_csv(run/'curves.csv')
    # every epoch's validation AUROC was computed on all validation images, gathered from both processes
    assert n_val >= 2 and (h.val_n == n_val).all(), (n_val, h.val_n.tolist())
    assert out.count('epoch 1:') == 1                                               # progress lines from the main process only
    # resume: a third epoch continues from the checkpoint
    out2 = _launch(tmp_path, ['epochs=3', 'resume=True', f'out_dir={run}'])
    assert 'resumed from' in out2 and 'at epoch 2' in out2
    h2 = pd.read_csv(run/'curves.csv')
    assert h2.epoch.tolist() == [0, 1, 2] and h2.iloc[:2].val_n.tolist() == h.val_n.tolist()
    assert json.loads((run/'metrics.json').read_text())['epochs_run'] == 3
