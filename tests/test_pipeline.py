"""`gazebook-read` on real images and the evidence card in a headless browser.

The models here are tiny and UNTRAINED (`gazebook.pipeline.tiny_models`, saved and reloaded through
`save_pretrained`/`from_pretrained`): these tests check that reading a study runs end to end on real DICOM/PNG/JPEG
files and that the output is honest about it (every card says the models were not trained), not that it is right."""
import json, shutil, subprocess
from pathlib import Path
import numpy as np, pytest

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    from gazebook.pipeline import tiny_models, save_models
    return save_models(tiny_models(), tmp_path_factory.mktemp('run'))

def test_models_round_trip(run):
    from gazebook.pipeline import load_models, read_study, tiny_models
    m = load_models(run, device='cpu')
    assert not m.trained and m.source == str(run)
    img = (np.random.default_rng(0).random((300, 260)) * 255).astype(np.uint8)
    a, b = read_study(img, m), read_study(img, tiny_models())
    assert a.probs == pytest.approx(b.probs, abs=1e-5)          # the saved models are the models
    assert a.report == b.report and len(a.scanpath) == len(b.scanpath)
    with pytest.raises(FileNotFoundError, match='no config.json'): load_models(run/'classifier')

def test_cli_on_real_images(run, shared_data, venv_bin, tmp_path):
    src = shared_data/'cxr_images'
    if not src.exists(): pytest.skip(f"{src} not found: real images for gazebook-read absent")
    files = sorted(src.glob('dicom/*.dcm')) + sorted(src.glob('*.jpg')) + sorted(src.glob('nih/*.png'))[:4]
    r = subprocess.run([str(venv_bin/'gazebook-read'), *map(str, files), '--out', str(tmp_path), '--models', str(run)],
                       capture_output=True, text=True, timeout=600, env={'GAZEBOOK_PROGRESS': '1', 'PATH': str(venv_bin)} | _env())
    assert r.returncode == 0, r.stderr[-3000:]
    rows = json.loads((tmp_path/'readings.json').read_text())
    assert [Path(x['file']) for x in rows] == files and all('card' in x for x in rows), rows
    for x in rows:
        card = (tmp_path/x['card']).read_text()
        assert 'NOT trained' in card and x['trained'] is False     # honest about the models
        assert '<image href="data:image/png;base64,' in card and 'src="http' not in card and 'href="http' not in card
        assert x['report'] and set(x['probs']) >= {'pleural_effusion', 'pneumothorax'}
    idx = (tmp_path/'index.html').read_text()
    assert all(x['card'] in idx for x in rows)
    assert 'reading studies' in r.stderr                               # the progress bar

def _env():
    import os
    return {k: v for k, v in os.environ.items() if k not in ('GAZEBOOK_PROGRESS',)}

def test_cli_rejects_other_files(run, tmp_path, capsys):
    from gazebook.pipeline import main
    bad = tmp_path/'notes.txt'; bad.write_text('not an image')
    with pytest.raises(SystemExit) as e: main([str(bad), '--out', str(tmp_path/'o'), '--models', str(run)])
    err = capsys.readouterr().err
    assert e.value.code == 2 and 'notes.txt' in err and 'unsupported file type' in err and 'PNG or JPEG' in err
    with pytest.raises(SystemExit) as e: main([str(bad), '--out', str(tmp_path/'o')])
    assert e.value.code == 2 and '--models' in capsys.readouterr().err
    assert not (tmp_path/'o').exists()

@pytest.fixture(scope='module')
def card(run, tmp_path_factory):
    from gazebook.pipeline import load_models, read_study
    from gazebook.phantom.anatomy import plan_studies, render_study
    sr = read_study(render_study(plan_studies(4, 0)[1]), load_models(run, device='cpu'), threshold=0.3, id='phantom-1')
    assert sr.findings, "untrained models gave no finding box at threshold 0.3"
    return sr, sr.to_html(tmp_path_factory.mktemp('card')/'card.html')

def test_card_in_browser(card):
    if not CHROMIUM: pytest.skip("Chromium not installed (Debian package `chromium`): browser check of the evidence card skipped")
    from playwright.sync_api import sync_playwright
    sr, path = card
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=['--no-sandbox', '--disable-gpu', '--no-first-run',
                              '--disable-background-networking', '--disable-component-update', '--disable-sync'])
        try:
            page = b.new_page(viewport=dict(width=1280, height=900)); errors, requests = [], []
            page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
            page.on('pageerror', lambda e: errors.append(str(e)))
            page.on('request', lambda r: requests.append(r.url) if not r.url.startswith(('file:', 'data:')) else None)
            page.goto(path.as_uri(), wait_until='load')
            # the image is drawn, with the trajectory, one box per finding and the report sentences
            box = page.locator('svg#image').bounding_box(); assert box and box['width'] > 200 and box['height'] > 200
            assert page.locator('svg#image image').count() == 1
            assert page.evaluate("document.querySelector('svg#image image').href.baseVal.startsWith('data:image/png;base64,')")
            pts = page.get_attribute('#trajectory', 'points').split()
            assert len(pts) == len(sr.scanpath.dropna(subset=['x', 'y'])) >= 1
            assert page.locator('circle.fix').count() == len(pts)
            assert page.locator('rect.box').count() == len(sr.findings) >= 1
            sents = page.locator('#report li.sent'); assert sents.count() == len(sr.sentences)
            assert sents.first.inner_text().startswith(sr.sentences[0]['text'])
            # hover a finding sentence: its box (and only it) is highlighted; leaving clears it
            i = next(k for k, s in enumerate(sr.sentences) if s['term'] in {f['term'] for f in sr.findings})
            fid = 'f' + str([f['term'] for f in sr.findings].index(sr.sentences[i]['term']))
            sents.nth(i).hover()
            assert page.locator(f'#{fid}').get_attribute('class').split() == ['box', 'hl']
            assert page.locator('rect.hl').count() == 1
            page.mouse.move(1, 1)
            assert page.locator('rect.hl').count() == 0
            # a normal statement highlights the regions it speaks for
            j = [k for k, s in enumerate(sr.sentences) if s['kind'] == 'normal']
            if j:
                sents.nth(j[0]).hover()
                assert page.locator('rect.region.hl').count() == len(sr.sentences[j[0]]['regions'])
            assert not errors, errors
            assert not requests, f"the card must be offline; it requested {requests}"
        finally: b.close()

def test_llm_report_path(tmp_path):
    "The optional Gaze2Report LLM report: a tiny random-weight SmolLM2 (`smollm2-tiny-random`), saved and reloaded with the run."
    from gazebook.reportgen import create_reportgen
    from gazebook.pipeline import tiny_models, save_models, load_models, read_study
    m = tiny_models(); img = (np.random.default_rng(0).random((300, 260)) * 255).astype(np.uint8)
    with pytest.raises(ValueError, match='reportgen is None'): read_study(img, m, llm=True)
    m.reportgen = create_reportgen('gaze2report_tiny', device='cpu', llm='smollm2-tiny-random', max_new_tokens=8, num_beams=1)
    a = read_study(img, m, llm=True)
    assert isinstance(a.llm_report, str) and 'llm' in a.seconds
    b = read_study(img, load_models(save_models(m, tmp_path/'run'), device='cpu'), llm=True)
    assert b.llm_report == a.llm_report                                  # the saved generator is the generator
    assert "id='llm'" in b.to_html(tmp_path/'card.html').read_text()
