"""An import-only stand-in for torch, for `make test-manifests`.

Lhotse 1.33 imports torch at the top of its package, but its manifest readers (RecordingSet /
SupervisionSet.from_file, CutSet.from_manifests, the validators) and its soundfile audio backend
never call it. torch from PyPI pulls in about 3 GB of CUDA wheels, so the test puts this
directory first on sys.path instead: every `torch.*` name resolves to an inert placeholder. A
Lhotse code path that really needed torch would fail on it, not pass silently.
"""
import sys, types, importlib.abc, importlib.machinery
__version__ = "0.0.0+stub"
class _Anything(type):
    def __getattr__(cls, name):
        if name.startswith("__"): raise AttributeError(name)
        return _make(name)
    def __call__(cls, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs: return args[0]
        return _make("result")
    def __getitem__(cls, item): return cls
    def __or__(cls, other): return cls
    def __ror__(cls, other): return cls
def _make(name): return _Anything(name, (), {})
class _Module(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"): raise AttributeError(name)
        return _make(name)
class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.startswith("torch.") or name.startswith("torchaudio"):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec): return _Module(spec.name)
    def exec_module(self, module): module.__path__ = []
sys.meta_path.insert(0, _Finder())
def __getattr__(name):
    if name.startswith("__"): raise AttributeError(name)
    return _make(name)
