"""The docs site: `make docs` renders every notebook into _docs/, and every page works in a real browser.

The browser part drives Debian's Chromium through Playwright (no browser download); it skips with a message when
Chromium is absent. Every page that exists is visited (new notebooks are checked without editing this file) for:
broken internal links and anchors, console errors and failed requests, machine paths and Python warnings in the
text, and figures: a page shows at least as many drawn images and plotly figures as its notebook made. Screenshots
are written to outputs/docs-test/ so a reader of the test log can look at them.
"""
import functools, http.server, json, re, shutil, subprocess, sys, threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, unquote
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
DOCS = ROOT/'_docs'
SHOTS = ROOT/'outputs'/'docs-test'
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
# where the build machine's paths would leak: the checkout, the home folder, the venv, temporary and kernel files
MACHINE = re.compile('|'.join([re.escape(str(ROOT)), re.escape(str(Path.home())) + '/', r'site-packages', r'\.venv/lib',
                               r'/tmp/tmp\w', r'/tmp/ipykernel', r'/tmp/pytest-']))
WARNING = re.compile(r'\b\w*Warning: |warnings\.warn\(')


def page_of(nb: Path) -> Path:
    "The page nbdev names for a notebook: its `output-file`, the file name without the number prefix."
    rel = nb.relative_to(NBS)
    return DOCS/rel.with_name(re.sub(r'^\d+[a-z]?_', '', rel.stem) + '.html')

def notebooks():
    return sorted(p for p in NBS.rglob('*.ipynb') if not any(q.startswith(('.', '_')) for q in p.relative_to(NBS).parts))

def figures_in(nb: Path) -> tuple[int, int]:
    "(images, plotly figures) among a notebook's saved outputs."
    imgs = plots = 0
    for c in json.loads(nb.read_text())['cells']:
        for o in c.get('outputs', []):
            d = o.get('data', {})
            if 'application/vnd.plotly.v1+json' in d or 'plotly-graph-div' in ''.join(d.get('text/html', '')): plots += 1
            elif any(k in d for k in ('image/png', 'image/jpeg', 'image/svg+xml')): imgs += 1
    return imgs, plots


@pytest.fixture(scope='module')
def site():
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py')], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"docs build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return DOCS

def pages(site): return sorted(p for p in site.rglob('*.html') if 'site_libs' not in p.parts)

def test_every_notebook_has_a_page(site):
    assert (site/'index.html').exists()
    missing = [str(nb.relative_to(NBS)) for nb in notebooks() if not page_of(nb).exists()]
    assert not missing, f"notebooks without a docs page: {missing}"
    assert (site/'plotly.min.js').stat().st_size > 1_000_000, "plotly.js must ship with the site (offline figures)"

def test_pages_load_no_cdn_and_plotly_only_where_needed(site):
    for page in pages(site):
        html = page.read_text()
        assert 'cdn.plot.ly' not in html and 'cdn.jsdelivr' not in html, f"{page.name} loads a script from a CDN"
        has_fig, loads = 'class="plotly-graph-div"' in html, 'plotly.min.js"' in html
        assert has_fig == loads, f"{page.relative_to(site)}: plotly.js {'missing' if has_fig else 'loaded without a figure'}"


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(); self.refs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        for k in ('href', 'src'):
            if a.get(k) and tag in ('a', 'img', 'script', 'link', 'iframe', 'source'): self.refs.append((tag, a[k]))

@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Refs:
    p = _Refs(); p.feed(path.read_text(errors='replace')); return p

def test_internal_links(site):
    "Every link, image and script inside the site points at a file that exists, and at an anchor that exists there."
    bad = []
    for page in pages(site):
        for tag, ref in _parse(page).refs:
            u = urlsplit(ref)
            if u.scheme or ref.startswith(('//', 'mailto:', 'data:', 'javascript:')): continue
            target = page if not u.path else (page.parent/unquote(u.path)).resolve()
            if target.is_dir(): target = target/'index.html'
            if not target.exists(): bad.append(f"{page.relative_to(site)}: {tag} {ref} (no such file)"); continue
            if u.fragment and target.suffix == '.html' and unquote(u.fragment) not in _parse(target).ids:
                bad.append(f"{page.relative_to(site)}: {ref} (no anchor #{u.fragment})")
    assert not bad, f"{len(bad)} broken internal references:\n" + '\n'.join(bad[:40])


@pytest.fixture(scope='module')
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True); t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()

@pytest.fixture(scope='module')
def browser():
    if not CHROMIUM: pytest.skip("Chromium not installed (Debian package `chromium`): browser checks of the docs skipped")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'])
        yield b
        b.close()

def open_page(browser, url, width=1280):
    "Open `url`, collecting console errors and failed requests."
    page = browser.new_page(viewport=dict(width=width, height=900))
    errors = []
    page.on('console', lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == 'error' else None)
    page.on('pageerror', lambda e: errors.append(f"page error: {e}"))
    # a request cut short by the next navigation (the previous page's favicon, say) fails with net::ERR_ABORTED: not a fault
    page.on('requestfailed', lambda r: None if 'ERR_ABORTED' in (r.failure or '') else errors.append(f"request failed: {r.url} ({r.failure})"))
    page.goto(url, wait_until='load')
    return page, errors

def test_every_page_in_browser(browser, server, site):
    """Each page: no console errors or failed requests, no machine paths or Python warnings in its text, and as many
    drawn images and plotly figures as its notebook made."""
    problems = []
    page, errors = open_page(browser, f"{server}/index.html")
    for nb in notebooks():
        html = page_of(nb)
        if not html.exists(): continue  # reported by test_every_notebook_has_a_page
        rel = html.relative_to(site).as_posix(); errors.clear()
        page.goto(f"{server}/{rel}", wait_until='load')
        n_img, n_plot = figures_in(nb)
        if n_plot:
            try: page.wait_for_function(f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {n_plot}", timeout=15000)
            except Exception: pass  # counted below
        text = page.inner_text('main')
        outputs = ' '.join(page.locator('.cell-output').all_inner_texts())
        if (m := MACHINE.search(text)): problems.append(f"{rel}: machine path {text[max(0, m.start()-60):m.end()+40]!r}")
        if (m := WARNING.search(outputs)): problems.append(f"{rel}: Python warning {outputs[max(0, m.start()-80):m.end()+80]!r}")
        drawn = page.evaluate("[...document.querySelectorAll('main img')].filter(i => i.complete && i.naturalWidth > 0).length")
        broken = page.evaluate("[...document.querySelectorAll('main img')].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
        plots = page.evaluate("document.querySelectorAll('.plotly-graph-div .main-svg').length")
        if drawn < n_img: problems.append(f"{rel}: {drawn} images drawn, the notebook made {n_img}")
        if broken: problems.append(f"{rel}: broken images {broken[:3]}")
        if plots < n_plot: problems.append(f"{rel}: {plots} plotly figures drawn, the notebook made {n_plot}")
        problems += [f"{rel}: {e}" for e in errors]
    SHOTS.mkdir(parents=True, exist_ok=True); page.screenshot(path=str(SHOTS/'last-page.png'))
    assert not problems, '\n'.join(problems)

def test_function_link_click(browser, server, site):
    "A function link on one page leads, when clicked, to that function's documentation on another page."
    found = None
    for pg in pages(site):
        for m in re.finditer(r'<a href="([\w/.-]+\.html)#([\w.-]+)"', pg.read_text()):
            if (pg.parent/m.group(1)).resolve() != pg.resolve() and 'sidebar' not in m.group(0):
                found = pg.relative_to(site).as_posix(), m.group(1) + '#' + m.group(2), m.group(2); break
        if found: break
    assert found, "no page links to a function documented on another page"
    src, href, name = found
    page, errors = open_page(browser, f"{server}/{src}")
    page.locator(f'main a[href="{href}"]').first.click()
    page.wait_for_load_state('load')
    assert page.url.split('/')[-1] == href.split('/')[-1], (src, page.url, href)
    assert page.locator(f'[id="{name}"]').first.is_visible(), f"{href}: the target is not shown"
    assert not errors, errors

def test_index_in_browser(browser, server):
    page, errors = open_page(browser, f"{server}/index.html")
    assert 'gazebook' in page.title()
    body = page.inner_text('main')
    assert 'Two commands' in body and 'make demo' in body and 'pyproject.toml' in body
    # the component table lists every notebook, including ones added after this test was written
    titles = page.eval_on_selector_all('main table a', "as => as.map(a => a.getAttribute('href'))")
    want = {page_of(nb).relative_to(DOCS).as_posix() for nb in notebooks() if nb.name != 'index.ipynb'}
    assert want <= set(titles), f"not in the component table: {sorted(want - set(titles))}"
    SHOTS.mkdir(parents=True, exist_ok=True); page.screenshot(path=str(SHOTS/'index.png'), full_page=False)
    assert not errors, errors

def test_wide_content_fits(browser, server):
    "Tables and code never push the page sideways at 1280 px: they scroll in their own box."
    page, errors = open_page(browser, f"{server}/experiments/ablation.html")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    cell = page.locator('table.dataframe td').first
    if cell.count():
        assert page.evaluate("getComputedStyle(document.querySelector('table.dataframe td')).textAlign") == 'right'
        h = cell.bounding_box()['height']
        assert h < 40, f"a table value wraps over several lines ({h:.0f} px high)"
    page.screenshot(path=str(SHOTS/'ablation.png'), full_page=False)

def test_component_page_in_browser(browser, server):
    page, errors = open_page(browser, f"{server}/core.html")
    assert 'best_device' in page.inner_text('main') and 'check_params' in page.inner_text('main')
    page.wait_for_selector('#core-example-scanpath .main-svg', timeout=15000)  # plotly drew the figure offline
    assert page.evaluate('typeof Plotly') == 'object'
    SHOTS.mkdir(parents=True, exist_ok=True); page.screenshot(path=str(SHOTS/'core.png'), full_page=False)
    assert not errors, errors

def _n_points(page, div):
    "Number of scanpath markers drawn in the figure `div` (its first scatter trace), and how many the figure holds."
    return (page.evaluate(f"document.querySelectorAll('#{div} .scatterlayer .trace')[0].querySelectorAll('.point').length"),
            page.evaluate(f"document.getElementById('{div}')._fullData[2].x.length"))

def test_explorer_page_in_browser(browser, server):
    "The explorer page shows the image, scanpath and slider; a slider step changes what is drawn; no raw widget text."
    page, errors = open_page(browser, f"{server}/explore.html")
    assert 'VBox(children' not in page.inner_text('main'), "a widget is shown as raw text instead of its static view"
    assert page.locator('.gazebook-explorer-static .plotly-graph-div').count() == 1, "the explorer's static view is missing"
    div = 'explore-replay'
    page.wait_for_selector(f'#{div} .scatterlayer .trace .point', timeout=20000)
    assert page.locator(f'#{div} image').count() >= 1, "the X-ray image is not drawn"
    rail = page.locator(f'#{div} .slider-rail-touch-rect')
    assert rail.count() == 1, "the time slider is missing"
    n_drawn, n_data = _n_points(page, div)
    assert n_drawn > 5 and n_drawn == n_data, (n_drawn, n_data)   # the whole scanpath at the last step
    fig = page.locator(f'#{div}')
    fig.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True); fig.screenshot(path=str(SHOTS/'explorer-end.png'))
    box = rail.bounding_box()
    page.mouse.click(box['x'] + box['width']*0.3, box['y'] + box['height']/2)   # a step about a third of the way in
    page.wait_for_timeout(800)
    n_drawn2, n_data2 = _n_points(page, div)
    assert 0 <= n_drawn2 < n_drawn and n_drawn2 == n_data2, (n_drawn, n_drawn2, n_data2)
    assert page.locator(f'#{div} image').count() >= 1, "the image must stay drawn after a slider step"
    assert 't = ' in page.inner_text(f'#{div}')
    fig.screenshot(path=str(SHOTS/'explorer-step.png'))
    page.screenshot(path=str(SHOTS/'explorer-page.png'), full_page=False)
    assert not errors, errors

def test_math_page_offline(browser, server):
    "Maths is MathML rendered by the browser (no MathJax or KaTeX from a CDN)."
    page, errors = open_page(browser, f"{server}/metrics.html")
    assert page.locator('main math').count() > 0
    assert 'kld' in page.inner_text('main').lower()
    assert not errors, errors
