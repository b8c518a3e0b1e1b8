"Shared fixtures: the repository root, ../shared/data, and a temporary gazebook home for every test session."
import os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent/'shared'/'data'

@pytest.fixture(scope='session')
def root(): return ROOT

@pytest.fixture(scope='session')
def shared_data():
    if not SHARED.exists(): pytest.skip(f"real third-party data not found at {SHARED} (see ../shared/data/README.md)")
    return SHARED

@pytest.fixture(scope='session')
def venv_bin(): return Path(sys.executable).parent

@pytest.fixture
def env(tmp_path, monkeypatch):
    "A gazebook home of the test's own (data, cache and outputs in a temporary folder), progress bars off."
    for k in ('DATA', 'CACHE', 'OUTPUTS'): monkeypatch.setenv(f'GAZEBOOK_{k}', str(tmp_path/k.lower()))
    monkeypatch.setenv('GAZEBOOK_PROGRESS', '0')
    return tmp_path
