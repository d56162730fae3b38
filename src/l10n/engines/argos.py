"""Argos Translate packages (.argosmodel): install, list, and translate with our batched runner.

A package is a zip with one top folder holding `metadata.json`, a CTranslate2
`model/` and `sentencepiece.model`.  Installing and listing go through
argostranslate's package API when the `argos` extra is installed; translating
goes through our own runner over the installed folder, because
argostranslate.translate batches about one sentence at a time, turns every `_`
of the output into a space (which breaks placeholders), strips a target prefix
only once, and offline its default sentence splitter (MiniSBD) tries to
download a model.  The runner needs only ctranslate2 and sentencepiece, so
packages installed elsewhere (or unzipped by hand) translate without torch.

`argostranslate` is a second engine over the same packages that calls
argostranslate.translate itself: the reference the tests and the benchmark
compare with.  Offline it needs a sentence splitter inside the package (stanza/
or minisbd/), or ARGOS_CHUNK_TYPE=SPACY with a spacy/ folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import httpx

from ..errors import L10nError
from ..languages import language
from .base import (
    DEFAULT_OPTIONS,
    SOURCE_LANGUAGE,
    Arrived,
    EngineOptions,
    EngineUnavailable,
    ModelInfo,
    file_fingerprint,
)
from .ctranslate2_runner import CTranslate2Runner

#: Project language → Argos Translate language code (Dari drafts come from Persian).
ARGOS_CODES: dict[str, str] = {"en": "en", "ur": "ur", "fa_AF": "fa", "fa": "fa", "ps": "ps"}
#: Targets the public Argos index offers from English (Argos Translate 1.11).
INDEX_TARGETS = frozenset({"ur", "fa"})


@dataclass(frozen=True)
class ArgosPackage:
    """An installed package, read from its metadata.json."""

    path: Path
    from_code: str
    to_code: str
    version: str
    target_prefix: str = ""

    @property
    def name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}"

    @property
    def sp_model(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def runnable(self) -> bool:
        """Our runner needs a CTranslate2 model and a SentencePiece model (not BPE)."""
        return (self.path / "model" / "model.bin").is_file() and self.sp_model.is_file()

    def info(self) -> ModelInfo:
        return ModelInfo(
            engine="argos",
            model=self.name,
            version=self.version,
            path=self.path,
            pairs=((self.from_code, self.to_code),),
            fingerprint=file_fingerprint(self.path / "model" / "model.bin", self.sp_model),
        )


def packages_dir(options: EngineOptions = DEFAULT_OPTIONS) -> Path:
    """The folder argostranslate installs into, found by its rules (ARGOS_PACKAGES_DIR, XDG)."""
    if options.argos_packages is not None:
        return options.argos_packages
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "argos-translate" / "packages"


def read_package(folder: Path) -> ArgosPackage | None:
    """A package folder's metadata, or None if it is not a translate package."""
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None
    if not meta.get("from_code") or not meta.get("to_code"):
        return None
    return ArgosPackage(
        path=folder,
        from_code=str(meta["from_code"]),
        to_code=str(meta["to_code"]),
        version=str(meta.get("package_version", "")),
        target_prefix=str(meta.get("target_prefix", "")),
    )


def installed_packages(
    options: EngineOptions = DEFAULT_OPTIONS, use_argostranslate: bool | None = False
) -> list[ArgosPackage]:
    """Installed translate packages; through argostranslate.package if asked and installed.

    Drafting reads the folder itself (no argostranslate import, no torch);
    `l10n models list` asks argostranslate, so both agree on what is installed.
    """
    folder = packages_dir(options)
    if not folder.is_dir():
        return []
    package_api = _package_api() if use_argostranslate is not False else None
    if package_api is not None:
        paths = [Path(p.package_path) for p in package_api.get_installed_packages(path=[folder])]
    else:
        paths = sorted(p for p in folder.iterdir() if p.is_dir())
    return [pkg for pkg in map(read_package, paths) if pkg is not None]


def _package_api() -> Any | None:
    try:
        import argostranslate.package as package_api
    except ImportError:
        return None
    return package_api


def _version_key(pkg: Any) -> tuple[int, ...]:
    """ "1.10" after "1.9": versions compare by their numbers."""
    return tuple(
        int(n)
        for n in re.findall(
            r"\d+", str(pkg.package_version if hasattr(pkg, "package_version") else pkg.version)
        )
    )


# --------------------------------------------------------------------------- installing


def check_package_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The top folder and metadata of a .argosmodel, refusing one that would install badly.

    argostranslate extracts any zip into the packages folder; a zip without a
    single top folder (or with `..` in a name) would scatter files there and
    break every installed package.
    """
    if not zipfile.is_zipfile(path):
        raise EngineUnavailable(f"{path} is not an Argos Translate package (not a zip file)")
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.strip("/")]
        tops = {PurePosixPath(n).parts[0] for n in names}
        unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
        if len(tops) != 1 or unsafe:
            raise EngineUnavailable(
                f"{path}: a package must hold exactly one top folder and no absolute or '..' paths"
            )
        top = tops.pop()
        try:
            meta = json.loads(archive.read(f"{top}/metadata.json"))
        except (KeyError, ValueError) as exc:
            raise EngineUnavailable(f"{path}: no readable {top}/metadata.json") from exc
        if not any(n.startswith(f"{top}/model/") for n in names):
            raise EngineUnavailable(f"{path}: no {top}/model/ folder (CTranslate2 model)")
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise EngineUnavailable(f"{path}: metadata.json lacks from_code/to_code")
    return top, meta


def install_file(
    path: Path, options: EngineOptions = DEFAULT_OPTIONS, use_argostranslate: bool | None = None
) -> ArgosPackage:
    """Install a .argosmodel file (checked first); replaces an installed copy of the same folder.

    With argostranslate installed and agreeing on the folder, its
    `install_from_path` unpacks the file; otherwise the file is unpacked next
    to the packages folder and moved in, so a failure leaves nothing half-done.
    """
    top, _ = check_package_file(path)
    folder = packages_dir(options)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / top
    package_api = _package_api() if use_argostranslate is not False else None
    if package_api is not None and _same_dir(package_api, folder):
        if target.exists():
            shutil.rmtree(target)
        package_api.install_from_path(path)
    else:
        staging = Path(tempfile.mkdtemp(prefix=".argos-install-", dir=folder.parent))
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(staging)
            if target.exists():
                shutil.rmtree(target)
            os.replace(staging / top, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _forget_argostranslate_languages()
    installed = read_package(target)
    if installed is None:
        raise EngineUnavailable(f"{path}: installed, but {target} is not a translate package")
    return installed


#: The public Argos index (argostranslate's default); ARGOS_PACKAGE_INDEX names another.
ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
#: Seconds to wait for the index to connect and answer: offline, one clear line, soon.
INDEX_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def index_url() -> str:
    """index.json under ARGOS_PACKAGE_INDEX (as argostranslate reads it), or the public one."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or ARGOS_INDEX
    return base.rstrip("/") + "/index.json"


def install_from_index(
    pair: str, options: EngineOptions = DEFAULT_OPTIONS, use_argostranslate: bool | None = None
) -> ArgosPackage:
    """Download a package from the Argos index ("en-ur") and install it; needs a network.

    The index and the package are fetched here, with timeouts, rather than
    through argostranslate: offline, its `get_available_packages` calls itself
    until Python's recursion limit after retrying every download.
    """
    source, target = _pair(pair)
    url = index_url()
    available = [p for p in _fetch_json(url, "the Argos package index") if isinstance(p, dict)]
    matches = [
        p
        for p in available
        if p.get("from_code") == source
        and p.get("to_code") == target
        and p.get("type", "translate") == "translate"
    ]
    if not matches:
        codes = sorted(f"{p.get('from_code')}-{p.get('to_code')}" for p in available)
        raise EngineUnavailable(
            f"the Argos index ({url}) has no {source}-{target} package "
            f"(it has {', '.join(codes) or 'none'})"
        )
    best = max(matches, key=lambda p: _numbers(str(p.get("package_version", ""))))
    links = [str(link) for link in best.get("links", [])]
    with tempfile.TemporaryDirectory(prefix="l10n-argos-") as tmp:
        download = Path(tmp) / f"translate-{source}_{target}.argosmodel"
        _download(links, download, f"the {source}-{target} package")
        return install_file(download, options, use_argostranslate)


def _pair(pair: str) -> tuple[str, str]:
    """ "en-ur", "en_ur", "en-prs", "en-fa_AF" → Argos codes (Dari's packages are Persian)."""
    source, _, target = pair.partition("-") if "-" in pair else pair.partition("_")
    with suppress(L10nError):  # a code l10n does not know is asked of the index as written
        target = language(target).code
    return source, ARGOS_CODES.get(target, target)


def _fetch_json(url: str, what: str) -> list[Any]:
    try:
        response = httpx.get(url, timeout=INDEX_TIMEOUT, follow_redirects=True)
        response.raise_for_status()
        data = response.json()
    except httpx.HTTPError as exc:
        raise EngineUnavailable(f"cannot read {what} at {url}: {_reason(exc)}") from exc
    except ValueError as exc:
        raise EngineUnavailable(f"{what} at {url} is not JSON") from exc
    if not isinstance(data, list):
        raise EngineUnavailable(f"{what} at {url} is not a list of packages")
    return data


def _download(links: Sequence[str], target: Path, what: str) -> None:
    """The first link that answers, streamed to `target`; every failure named if none does."""
    failures = []
    for link in links:
        try:
            with httpx.stream("GET", link, timeout=INDEX_TIMEOUT, follow_redirects=True) as r:
                r.raise_for_status()
                with target.open("wb") as handle:
                    for chunk in r.iter_bytes():
                        handle.write(chunk)
            return
        except httpx.HTTPError as exc:
            failures.append(f"{link}: {_reason(exc)}")
    raise EngineUnavailable(f"download of {what} failed: {'; '.join(failures) or 'no links'}")


def _reason(exc: httpx.HTTPError) -> str:
    """One line: the HTTP status, or what the connection said (no traceback)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time (offline?)"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def _same_dir(package_api: Any, folder: Path) -> bool:
    settings = package_api.settings
    return Path(settings.package_data_dir).resolve() == folder.resolve()


def _forget_argostranslate_languages() -> None:
    """argostranslate caches its installed languages; drop the cache if it is loaded."""
    import sys

    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.get_installed_languages.cache_clear()


# --------------------------------------------------------------------------- engines


class ArgosEngine:
    """Argos packages through our batched CTranslate2 runner."""

    name = "argos"

    def __init__(self, options: EngineOptions = DEFAULT_OPTIONS) -> None:
        self.options = options
        self._runners: dict[Path, CTranslate2Runner] = {}

    def package_for(self, src: str, tgt: str) -> ArgosPackage | None:
        source, target = ARGOS_CODES.get(src, src), ARGOS_CODES.get(tgt, tgt)
        found = [
            p
            for p in installed_packages(self.options)
            if p.from_code == source and p.to_code == target and p.runnable
        ]
        return max(found, key=_version_key) if found else None

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        pkg = self.package_for(src, tgt)
        return _cached_info(pkg) if pkg else None

    def translate(
        self, sentences: Sequence[str], src: str, tgt: str, arrived: Arrived | None = None
    ) -> list[str]:
        pkg = self.package_for(src, tgt)
        if pkg is None:
            raise EngineUnavailable(self.install_hint(tgt))
        runner = self._runners.get(pkg.path)
        if runner is None:
            runner = CTranslate2Runner.from_options(pkg.path / "model", pkg.sp_model, self.options)
            self._runners[pkg.path] = runner
        prefix = [pkg.target_prefix] if pkg.target_prefix else []
        return runner.translate(sentences, target_prefix=prefix, arrived=arrived)

    def install_hint(self, tgt: str) -> str:
        return argos_install_hint(tgt)

    def installed(self) -> list[ModelInfo]:
        return [_cached_info(p) for p in installed_packages(self.options) if p.runnable]


class ArgosTranslateEngine(ArgosEngine):
    """The same packages through argostranslate.translate (the reference; needs the extra)."""

    name = "argostranslate"

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        if _package_api() is None:
            return None
        info = super().model_for(src, tgt)
        if info is None:
            return None
        return ModelInfo("argostranslate", info.model, info.version, info.path, info.pairs,
                         info.fingerprint)  # fmt: skip

    def translate(
        self, sentences: Sequence[str], src: str, tgt: str, arrived: Arrived | None = None
    ) -> list[str]:
        package_api = _package_api()
        if package_api is None:
            raise EngineUnavailable(self.install_hint(tgt))
        if not _same_dir(package_api, packages_dir(self.options)):
            raise EngineUnavailable(
                f"argostranslate reads packages from {package_api.settings.package_data_dir}; "
                f"set ARGOS_PACKAGES_DIR={packages_dir(self.options)}"
            )
        from argostranslate import translate

        source, target = ARGOS_CODES.get(src, src), ARGOS_CODES.get(tgt, tgt)
        return [translate.translate(s, source, target) if s.strip() else "" for s in sentences]

    def install_hint(self, tgt: str) -> str:
        hint = argos_install_hint(tgt)
        if _package_api() is None:
            hint = "pip install torch==2.13.0 && pip install 'l10n[argos]'; then " + hint
        return hint


def argos_install_hint(tgt: str) -> str:
    code = ARGOS_CODES.get(tgt, tgt)
    if code in INDEX_TARGETS:
        return (
            f"l10n models install {SOURCE_LANGUAGE}-{code}  (from the Argos index), "
            "or l10n models install FILE.argosmodel"
        )
    return (
        f"Argos Translate has no {SOURCE_LANGUAGE}→{code} package; use nllb: "
        "l10n models install nllb DIR  (README: Machine drafts)"
    )


@cache
def _cached_info_by_key(path: Path, mtime: int) -> ModelInfo:
    pkg = read_package(path)
    if pkg is None:  # removed or broken since it was listed
        raise EngineUnavailable(f"{path} is no longer an Argos package; reinstall it", path)
    return pkg.info()


def _cached_info(pkg: ArgosPackage) -> ModelInfo:
    """Model info with its fingerprint, read once per installed copy of a package."""
    stamp = (pkg.path / "model" / "model.bin").stat().st_mtime_ns
    return _cached_info_by_key(pkg.path, stamp)
