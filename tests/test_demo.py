"`make demo`'s job through its command-line entry point, on a tiny phantom cohort in a temporary gazebook home."
import json, os, re, subprocess, sys
from pathlib import Path

def test_demo_command(tmp_path):
    env = dict(os.environ, GAZEBOOK_DATA=str(tmp_path/'data'), GAZEBOOK_CACHE=str(tmp_path/'cache'),
               GAZEBOOK_OUTPUTS=str(tmp_path/'outputs'), GAZEBOOK_PROGRESS='0')
    exe = Path(sys.executable).parent/'gazebook-demo'
    # a tiny random-weight SmolLM2 stands in for the real one (the demo's default): the test checks the path, fast
    r = subprocess.run([str(exe), '--n-images', '24', '--epochs', '2', '--device', 'cpu', '--cards', '2',
                        '--llm', 'smollm2-tiny-random', '--llm-steps', '2'], env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    assert '==> [demo] done' in r.stdout
    out = tmp_path/'outputs'/'demo'
    s = json.loads((out/'summary.json').read_text())
    assert s['readings'] >= 24 and s['images'] == 24
    assert set(s['gaze_vs_nogaze']) == {'gaze', 'no gaze'}
    for f in ['reading.png', 'reading.svg', 'reading.html', 'cohort.csv', 'gaze_vs_nogaze.csv', 'attention_gaze.html', 'index.html']:
        assert (out/f).exists(), f
    assert -1 <= s['attention']['gaze']['CC'] <= 1
    cohort = Path(s['cohort'])   # a non-default cohort size gets its own folder beside data/phantom
    assert cohort.parent == tmp_path/'data' and (cohort/'main_data'/'metadata_phase_3.csv').exists()
    # small trained versions of every model, in a run folder gazebook-read reads
    from gazebook.pipeline import load_models
    m = load_models(out/'models', device='cpu')
    assert m.trained and m.reportgen is not None and 'LoRA steps' in s['models']
    # the saved drafter makes read_study's LLM report speculative: the same text as plain greedy generation
    assert m.drafter is not None and len(m.drafter) > 0
    from gazebook.pipeline import read_study
    from gazebook.data import load_reflacx
    study = next(r for r in load_reflacx(cohort) if r.split == 'test')
    fast = read_study(study, m, llm=True).llm_report
    m.drafter = None
    assert read_study(study, m, llm=True).llm_report == fast
    # the evidence cards exist, are cards of test studies, carry the LLM report, and the index links each of them
    assert len(s['cards']) == 2
    hrefs = re.findall(r"href='([^']+)'", (out/'index.html').read_text())
    for c in s['cards']:
        assert c in hrefs and (out/c).exists(), c
        card = (out/c).read_text()
        assert '<svg id="image"' in card and 'id="trajectory"' in card and "id='llm'" in card and 'NOT trained' not in card
    assert all((out/h).exists() for h in hrefs), hrefs                        # every link of the index resolves
    assert {'reading.html', 'attention_gaze.html', 'summary.json'} <= set(hrefs)
    tests = set(__import__('pandas').read_csv(out/'cohort.csv').query("split == 'test'").dicom_id)
    assert {Path(c).stem for c in s['cards']} <= tests                        # never a training image
