"""Run a papermill notebook's code cells in one Python process, as papermill runs them (the `parameters` cell, then
the given values, then the rest), on a machine where papermill and IPython are not installed (a bare GPU machine,
say). The notebook is read as JSON; `IPython.display`'s `display` and `Markdown` become plain printing, and a cell
that needs IPython (a magic, `get_ipython`) stops the run. Nothing else in the source changes; the notebook writes
its results into its own run folder as usual. Parameters come as one JSON object.

Run from the notebook's folder, as papermill's --cwd does:
    cd nbs/experiments && python ../../scripts/nbrun.py report_generation.ipynb '{"seeds": [0], "device": "cuda"}'
"""
import json, sys, time


class Markdown:
    def __init__(self, data): self.data = data


def display(*objs, **kw):
    for o in objs: print(o.data if isinstance(o, Markdown) else o)


def run(nb_path, params:dict):
    nb, ns, t0 = json.load(open(nb_path)), {'__name__': '__main__'}, time.time()
    cells = [c for c in nb['cells'] if c['cell_type'] == 'code']
    if not any('parameters' in c.get('metadata', {}).get('tags', []) for c in cells):
        raise SystemExit(f"{nb_path}: no cell tagged 'parameters'")
    for i, c in enumerate(cells):
        src = ''.join(c['source']).replace('from IPython.display import Markdown, display', '')
        if 'IPython' in src or any(l.lstrip().startswith(('%', '!')) for l in src.splitlines()):
            raise SystemExit(f"{nb_path}: code cell {i} ({c.get('id')}) needs IPython; run this notebook with papermill")
        ns.update(display=display, Markdown=Markdown)
        exec(compile(src, f'{nb_path} code cell {i} ({c.get("id")})', 'exec'), ns)
        if 'parameters' in c.get('metadata', {}).get('tags', []):
            unknown = sorted(set(params) - set(ns))
            if unknown: raise SystemExit(f"{nb_path}: unknown parameter(s) {unknown}; the parameters cell defines {sorted(k for k in ns if not k.startswith('_'))}")
            ns.update(params); print('parameters:', params, flush=True)
        print(f"[code cell {i} done at {time.time() - t0:.0f} s]", flush=True)
    return ns


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3) or sys.argv[1] in ('-h', '--help'): raise SystemExit(__doc__)
    run(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) == 3 else {})
