"""Renders charts/rec-operator with the real Helm engine (helm-python-sdk: Helm v4's Go SDK, no cluster, no helm
binary) and reads the result as objects. Shared by the chart tests; renders are cached per values."""

from __future__ import annotations

import copy
import json
import pathlib

import helm_python as helm
import kubernetes_validate as kv
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "rec-operator"
DEPLOY = ROOT / "deploy"
EVERYTHING = CHART / "ci" / "everything-values.yaml"
KUBE_VERSION = "1.33.0"
# The release deploy/ corresponds to: its objects are named rec-operator in namespace rec-operator.
RELEASE, NAMESPACE = "rec-operator", "rec-operator"

# libyaml's loader when PyYAML has it: the CRD is over 1 MB, which the pure-Python loader takes seconds to read.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_chart = None
_renders: dict[str, dict[str, str]] = {}
_objects: dict[str, list[dict]] = {}


def load_yaml(path: pathlib.Path):
    return yaml.load(path.read_text(), Loader=LOADER)


def load_all(text: str) -> list[dict]:
    return [doc for doc in yaml.load_all(text, Loader=LOADER) if doc]


def everything_values() -> dict:
    return load_yaml(EVERYTHING)


def chart() -> helm.Chart:
    global _chart
    if _chart is None:
        _chart = helm.Chart.load(str(CHART))
    return _chart


def render(values: dict | None = None, name: str = RELEASE, namespace: str = NAMESPACE) -> dict[str, str]:
    """Template path -> rendered text (raises helm's error for a refused value or a failed template)."""
    key = json.dumps([values, name, namespace], sort_keys=True)
    if key not in _renders:
        _renders[key] = chart().render(copy.deepcopy(values or {}), name=name, namespace=namespace, is_install=True)
    return _renders[key]


def objects(values: dict | None = None, **kw) -> list[dict]:
    """Every rendered Kubernetes object, in template order (NOTES.txt left out); a fresh copy each call."""
    key = json.dumps([values, kw], sort_keys=True)
    if key not in _objects:
        texts = [text for path, text in sorted(render(values, **kw).items()) if not path.endswith("NOTES.txt")]
        _objects[key] = [obj for text in texts for obj in load_all(text)]
    return copy.deepcopy(_objects[key])


def find(objs: list[dict], kind: str, name: str | None = None, namespace: str | None = None) -> list[dict]:
    return [
        o for o in objs
        if o["kind"] == kind
        and (name is None or o["metadata"]["name"] == name)
        and (namespace is None or o["metadata"].get("namespace") == namespace)
    ]


def one(objs: list[dict], kind: str, name: str | None = None, namespace: str | None = None) -> dict:
    found = find(objs, kind, name, namespace)
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}: {[o['metadata']['name'] for o in found]}"
    return found[0]


def deploy_objects() -> list[dict]:
    """The objects of deploy/ (kustomize's resources), without the CRDs."""
    kustomization = load_yaml(DEPLOY / "kustomization.yaml")
    objs = []
    for name in kustomization["resources"]:
        if not name.startswith("crd"):
            objs.extend(load_all((DEPLOY / name).read_text()))
    return objs


def kubernetes_validate(objs: list[dict]) -> list[str]:
    """What `kubernetes-validate --strict -k 1.33.0` says of each object (its library function, in this process:
    the schemas load once), as "Kind/name: problem" lines; empty when every object is valid."""
    problems = []
    for obj in objs:
        try:
            kv.validate(obj, KUBE_VERSION, strict=True)
        except kv.ValidationError as e:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {'.'.join(map(str, e.path))}: {e.message}")
        except (kv.SchemaNotFoundError, kv.InvalidSchemaError) as e:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {e}")
    return problems
