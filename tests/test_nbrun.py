"scripts/nbrun.py: a papermill notebook run without papermill (parameters injected after the parameters cell, display printed)."
import json, subprocess, sys
from pathlib import Path

NBRUN = Path(__file__).resolve().parents[1]/'scripts'/'nbrun.py'

def notebook(path, cells):
    nb = dict(nbformat=4, nbformat_minor=5, metadata={}, cells=[
        dict(cell_type='code', id=f'c{i}', metadata=dict(tags=tags), source=src, outputs=[], execution_count=None)
        for i, (src, tags) in enumerate(cells)])
    path.write_text(json.dumps(nb)); return path

def test_parameters_and_display(tmp_path):
    nb = notebook(tmp_path/'n.ipynb', [("a = 1\nb = 'x'", ['parameters']),
                                       ("from IPython.display import Markdown, display\ndisplay(Markdown(f'a={a} b={b}'))", [])])
    r = subprocess.run([sys.executable, str(NBRUN), str(nb), '{"a": 5}'], capture_output=True, text=True, check=True)
    assert 'a=5 b=x' in r.stdout

def test_unknown_parameter_and_magic(tmp_path):
    nb = notebook(tmp_path/'n.ipynb', [("a = 1", ['parameters'])])
    r = subprocess.run([sys.executable, str(NBRUN), str(nb), '{"zz": 5}'], capture_output=True, text=True)
    assert r.returncode != 0 and "unknown parameter(s) ['zz']" in r.stderr
    nb = notebook(tmp_path/'m.ipynb', [("a = 1", ['parameters']), ("%time a", [])])
    r = subprocess.run([sys.executable, str(NBRUN), str(nb)], capture_output=True, text=True)
    assert r.returncode != 0 and 'needs IPython' in r.stderr
