"""Layered configuration: defaults, then config files, then ``--set key=value`` overrides.

``load_config(*paths, overrides=[...])`` starts from {{default_config_doc}}, deep-merges each file
in order (later files win, nested mappings are merged key by key) and applies the overrides last.
YAML files need PyYAML (``pip install pyyaml``); JSON files need nothing. Override values are read
as JSON when they parse (``3``, ``0.1``, ``true``, ``null``, ``[1, 2]``) and as strings otherwise.

Command line: ``python -m {{loader_module}} --config FILE --set train.lr=0.001`` prints the
resolved configuration as JSON.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

try:
    import yaml
except ImportError:  # optional: only YAML files need it
    yaml = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_CONFIG",
    "apply_overrides",
    "build_arg_parser",
    "config_from_args",
    "deep_merge",
    "load_config",
    "load_file",
    "parse_override",
]

DEFAULT_CONFIG: Optional[Path] = {{default_config_expr}}

PathLike = Union[str, Path]


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> Dict[str, Any]:
    """A new dict: ``base`` with ``override`` merged in; nested mappings merge, everything else is replaced."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def load_file(path: PathLike) -> Dict[str, Any]:
    """Read one YAML or JSON config file; an empty file is an empty config."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text) if text.strip() else {}
    elif path.suffix.lower() in (".yaml", ".yml"):
        if yaml is None:
            raise ImportError(f"reading {path} needs PyYAML: pip install pyyaml")
        data = yaml.safe_load(text) or {}
    else:
        raise ValueError(f"{path}: unsupported config format (use .yaml, .yml or .json)")
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the top level must be a mapping, got {type(data).__name__}")
    return data


def parse_override(text: str) -> Tuple[List[str], Any]:
    """``"train.lr=0.001"`` -> ``(["train", "lr"], 0.001)``."""
    key, sep, raw = text.partition("=")
    keys = key.strip().split(".")
    if not sep or not all(k.strip() for k in keys):
        raise ValueError(f"override {text!r} is not KEY=VALUE (nested keys with dots: train.lr=0.001)")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return [k.strip() for k in keys], value


def apply_overrides(config: Mapping[str, Any], overrides: Iterable[str]) -> Dict[str, Any]:
    """A new dict with every ``KEY=VALUE`` override applied, creating nested mappings as needed."""
    result = copy.deepcopy(dict(config))
    for text in overrides:
        keys, value = parse_override(text)
        node = result
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[keys[-1]] = value
    return result


def load_config(*paths: PathLike, overrides: Sequence[str] = (), defaults: Optional[PathLike] = None) -> Dict[str, Any]:
    """Defaults (``defaults`` or ``DEFAULT_CONFIG``), then each file in ``paths``, then ``overrides``."""
    base = defaults if defaults is not None else DEFAULT_CONFIG
    config: Dict[str, Any] = load_file(base) if base is not None and Path(base).exists() else {}
    for path in paths:
        config = deep_merge(config, load_file(path))
    return apply_overrides(config, overrides)


def build_arg_parser(parser: Optional[argparse.ArgumentParser] = None) -> argparse.ArgumentParser:
    """Add ``--config FILE`` (repeatable) and ``--set KEY=VALUE`` (repeatable) to ``parser``."""
    parser = parser or argparse.ArgumentParser(description="Resolve the run configuration.")
    parser.add_argument("--config", action="append", default=[], metavar="FILE", help="config file loaded over the defaults (repeatable)")
    parser.add_argument("--set", action="append", default=[], dest="overrides", metavar="KEY=VALUE", help="override one key, e.g. train.lr=0.001 (repeatable)")
    return parser


def config_from_args(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Parse ``--config``/``--set`` from ``argv`` (default: ``sys.argv``) and return the resolved config."""
    args, _unknown = build_arg_parser().parse_known_args(argv)
    return load_config(*args.config, overrides=args.overrides)


def main(argv: Optional[Sequence[str]] = None) -> None:
    print(json.dumps(config_from_args(argv), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
