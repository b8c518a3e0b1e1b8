"""The explorer in a real JupyterLab, as a user meets it.

The test starts JupyterLab itself on 127.0.0.1 (a free port, a random token, a temporary root folder holding the
explorer notebook up to its `explore(ds)` cell), drives it with Debian's Chromium through Playwright at 1600 px with
the file browser open, runs all cells, and checks that the image, the scanpath, the transcript and the sentence
buttons are visible and usable, that a sentence click redraws the figure and that the title says what is drawn, and
that no red error (such as a failed message serialisation) appears. It then narrows the window to 1280 px. The server
is stopped by its PID. Screenshots go to outputs/lab-test/.
"""
import json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT/'outputs'/'lab-test'
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium not installed (Debian package `chromium`): JupyterLab browser test skipped")


def _explorer_notebook(dest: Path) -> Path:
    "nbs/10_explore.ipynb up to and including its `explore(ds)` cell, outputs cleared."
    nb = json.loads((ROOT/'nbs'/'10_explore.ipynb').read_text())
    src = lambda c: ''.join(c['source']) if isinstance(c['source'], list) else c['source']
    end = next(i for i, c in enumerate(nb['cells']) if c['cell_type'] == 'code' and src(c).strip() == 'explore(ds)')
    nb['cells'] = nb['cells'][:end+1]
    for c in nb['cells']:
        if c['cell_type'] == 'code': c['outputs'], c['execution_count'] = [], None
    nb['metadata']['kernelspec'] = dict(name='python3', display_name='Python 3 (gazebook)', language='python')
    nb['metadata'].pop('widgets', None)
    p = dest/'explorer.ipynb'; p.write_text(json.dumps(nb)); return p


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "JupyterLab on 127.0.0.1, started here and stopped by its PID."
    work = tmp_path_factory.mktemp('lab')
    _explorer_notebook(work)
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = dict(os.environ, GAZEBOOK_PROGRESS='0', JUPYTER_CONFIG_DIR=str(work/'.jupyter-config'),
               JUPYTERLAB_WORKSPACES_DIR=str(work/'.workspaces'), JUPYTER_RUNTIME_DIR=str(work/'.runtime'))
    cmd = [str(Path(sys.executable).parent/'jupyter'), 'lab', '--no-browser', '--ip', '127.0.0.1', f'--port={port}',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={work}', '--ServerApp.disable_check_xsrf=False',
           '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate']
    if hasattr(os, 'getuid') and os.getuid() == 0: cmd.append('--allow-root')
    log = open(work/'lab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None: pytest.fail(f"JupyterLab exited: {(work/'lab.log').read_text()[-2000:]}")
            try: urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2); break
            except OSError: time.sleep(0.5)
        else: pytest.fail(f"JupyterLab did not start: {(work/'lab.log').read_text()[-2000:]}")
        yield dict(url=url, token=token, work=work)
    finally:
        proc.terminate()                      # by PID: the server shuts its kernels down on SIGTERM
        try: proc.wait(timeout=20)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope='module')
def page(lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=['--no-sandbox', '--disable-gpu', '--no-first-run',
                              '--disable-background-networking', '--disable-component-update', '--disable-sync'])
        pg = b.new_page(viewport=dict(width=1600, height=1000))
        pg.errors = []
        pg.on('pageerror', lambda e: pg.errors.append(str(e)))
        yield pg
        b.close()


def _visible_box(loc, what, min_w=1, min_h=1):
    assert loc.count() >= 1, f"{what}: not found"
    loc.first.scroll_into_view_if_needed()
    bb = loc.first.bounding_box()
    assert bb and bb['width'] >= min_w and bb['height'] >= min_h, f"{what}: {bb} (expected at least {min_w}x{min_h} px)"
    return bb


def test_explorer_in_jupyterlab(lab, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    try: _check_explorer(lab, page)
    except BaseException:
        page.screenshot(path=str(SHOTS/'failure.png'), full_page=False); raise

def _check_explorer(lab, page):
    page.goto(f"{lab['url']}/lab/tree/explorer.ipynb?token={lab['token']}", wait_until='domcontentloaded')
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=60000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"], .jp-Toolbar-kernelStatus', timeout=60000)
    if not page.locator('#filebrowser').is_visible():           # a user usually keeps the file browser open
        page.locator('.jp-SideBar [data-id="filebrowser"]').first.click()
    assert page.locator('#filebrowser').is_visible()
    page.wait_for_timeout(3000)                                 # the kernel connects
    news = page.locator('.jp-toast-buttonBar button', has_text='No')
    if news.count() and news.first.is_visible(): news.first.click()  # "get notified about Jupyter news?"
    page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
    page.locator('.lm-Menu-itemLabel', has_text='Run All Cells').first.click()

    out = page.locator('.jp-OutputArea-output .widget-vbox').first   # the explorer
    out.wait_for(state='attached', timeout=150000)
    fig = out.locator('.js-plotly-plot').first
    fig.wait_for(state='visible', timeout=60000)
    page.wait_for_function("document.querySelectorAll('.widget-vbox .js-plotly-plot .scatterlayer .trace .point').length > 5", timeout=120000)
    out.scroll_into_view_if_needed(); page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS/'explorer-1600.png'), full_page=False)

    img = _visible_box(fig.locator('image'), 'the X-ray image', 250, 250)
    pts = fig.locator('.scatterlayer .trace').first.locator('.point')
    assert pts.count() > 5, "the scanpath is not drawn"
    _visible_box(out.locator('text=Dictation'), 'the transcript heading')
    transcript = _visible_box(out.locator('.widget-html-content div[style*="line-height"]'), 'the transcript', 250, 30)
    buttons = out.locator('button.widget-button:not(.mod-info)')
    assert buttons.count() >= 1, "no sentence buttons"
    btn = _visible_box(buttons, 'a sentence button', 200, 20)
    assert transcript['x'] >= img['x'] + img['width'] - 5 or transcript['y'] >= img['y'] + img['height'] - 5, \
        "the transcript overlaps the image"
    text = page.inner_text('.jp-Notebook')
    assert 'Message serialization failed' not in text and 'not JSON compliant' not in text, "a serialisation warning is shown"
    assert not page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count(), \
        page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()[:3]
    assert page.locator('.widget-vbox .js-plotly-plot:visible').count() == 1, "the empty comparison panel must stay hidden"

    title = lambda: fig.locator('.gtitle').first.text_content()
    before, n_before = title(), pts.count()
    assert 't = ' in before and 'fixations' in before, before
    buttons.first.click()
    # the title says which window is drawn, and the scanpath shows exactly that many fixations
    page.wait_for_function("""() => {
        const f = document.querySelector('.jp-OutputArea-output .widget-vbox .js-plotly-plot');
        const t = f.querySelector('.gtitle').textContent, m = t.match(/sentence 1: .* (\\d+) of \\d+ fixations/);
        return m && f.querySelector('.scatterlayer .trace').querySelectorAll('.point').length == +m[1]; }""", timeout=30000)
    after = title()
    n_after = fig.locator('.scatterlayer .trace').first.locator('.point').count()
    assert f"{n_after} of " in after and n_after != n_before, (after, n_before, n_after)  # the figure redrew
    slider = out.locator('.widget-hslider', has_text='time (s)').locator('.widget-readout').first.inner_text()
    t1 = float(after.split('–')[1].split(' ')[0])
    assert abs(float(slider) - t1) < 0.06, f"the time slider ({slider}) disagrees with the drawn window ({after})"
    page.screenshot(path=str(SHOTS/'explorer-1600-sentence.png'), full_page=False)

    page.set_viewport_size(dict(width=1280, height=1000)); page.wait_for_timeout(1500)
    out.scroll_into_view_if_needed()
    _visible_box(fig.locator('image'), 'the X-ray image at 1280 px', 250, 250)
    _visible_box(buttons, 'a sentence button at 1280 px', 200, 20)
    page.screenshot(path=str(SHOTS/'explorer-1280.png'), full_page=False)
    assert not [e for e in page.errors if 'anywidget' in e.lower() or 'plotly' in e.lower()], page.errors
