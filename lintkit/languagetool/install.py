"""Where LanguageTool lives and how it gets there: Maven (the default) or
language-tool-python's own download (the fallback where languagetool.org is reachable).

Layout of the install folder (``LINTKIT_LANGUAGETOOL_HOME`` or
``<cache_dir>/languagetool``)::

    <home>/6.8/libs/*.jar      jars resolved by ``mvn dependency:copy-dependencies``
    <home>/ltp-path            (fallback) path of a language-tool-python download
    <home>/server.json         the managed server: port, pid, start time, version
    <home>/server.log          its stdout/stderr
    <home>/lt.properties       its config file
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lintkit.errors import BackendError

LT_VERSION = "6.8"
MIN_JAVA = 17
WHERE = "languagetool"

FALLBACK_HINT = ("where languagetool.org is reachable, `lintkit languagetool install --via language-tool-python` "
                 "downloads the LanguageTool zip instead")


def home() -> Path:
    env = os.environ.get("LINTKIT_LANGUAGETOOL_HOME")
    if env:
        return Path(env)
    from lintkit.context import cache_dir

    return cache_dir() / "languagetool"


def pom_dir() -> Path:
    """The folder holding pom.xml and settings.xml (source checkout or sdist)."""
    here = Path(__file__).resolve().parent
    for cand in (here / "maven", here.parent.parent / "languagetool"):
        if (cand / "pom.xml").is_file():
            return cand
    raise BackendError(WHERE, "languagetool/pom.xml not found next to lintkit",
                       "reinstall lintkit from a source checkout or sdist")


def libs_dir(h: Path | None = None, version: str = LT_VERSION) -> Path:
    return (h or home()) / version / "libs"


def classpath(h: Path | None = None) -> list[str] | None:
    """Java class-path entries of the installed server, or None if not installed."""
    h = h or home()
    libs = libs_dir(h)
    if libs.is_dir() and any(libs.glob("languagetool-server-*.jar")):
        return [str(libs / "*")]
    pointer = h / "ltp-path"
    if pointer.is_file():
        folder = Path(pointer.read_text().strip())
        if (folder / "languagetool-server.jar").is_file():
            return [str(folder / "*"), str(folder / "libs" / "*")]
    return None


def installed_version(h: Path | None = None) -> str | None:
    cp = classpath(h)
    if cp is None:
        return None
    m = re.search(r"LanguageTool-([\w.\-]+)", cp[0])
    return m.group(1) if m else LT_VERSION


def not_installed_error(h: Path | None = None) -> BackendError:
    return BackendError(WHERE, f"LanguageTool is not installed in {h or home()}",
                        "run `lintkit languagetool install` or `bash scripts/languagetool.sh`")


def find_java() -> str:
    """Path of a ``java`` 17+ binary (``JAVA_HOME`` first, then ``PATH``)."""
    import shutil

    cands = []
    jh = os.environ.get("JAVA_HOME")
    if jh:
        cands.append(str(Path(jh) / "bin" / "java"))
    w = shutil.which("java")
    if w:
        cands.append(w)
    if not cands:
        raise BackendError(WHERE, f"java not found (LanguageTool {LT_VERSION} needs Java {MIN_JAVA}+)",
                           "install a JDK/JRE 17 or newer, e.g. `apt-get install openjdk-17-jre-headless`, "
                           "and put java on PATH or set JAVA_HOME")
    seen = []
    for java in cands:
        version = java_version(java)
        if version is not None and version >= MIN_JAVA:
            return java
        seen.append(f"{java} is {version or 'unusable'}")
    raise BackendError(WHERE, f"LanguageTool {LT_VERSION} needs Java {MIN_JAVA}+ ({'; '.join(seen)})",
                       "install Java 17 or newer and set JAVA_HOME to it")


def java_version(java: str) -> int | None:
    import subprocess

    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def find_mvn() -> str:
    import shutil

    mvn = os.environ.get("LINTKIT_MVN") or shutil.which("mvn")
    if not mvn:
        raise BackendError(WHERE, "mvn (Apache Maven) not found; it resolves LanguageTool from Maven Central",
                           f"install Maven 3.6.3+ (`apt-get install maven`), or {FALLBACK_HINT}")
    return mvn


def install(force: bool = False, log: Callable[[str], None] = lambda s: None, timeout: float = 1800) -> Path:
    """Resolve the server jars with Maven into ``<home>/<version>/libs``. Idempotent."""
    import shutil
    import subprocess

    h = home()
    libs = libs_dir(h)
    if not force and classpath(h) is not None:
        log(f"LanguageTool {installed_version(h)} already installed in {h}")
        return h
    find_java()
    mvn = find_mvn()
    src = pom_dir()
    h.mkdir(parents=True, exist_ok=True)
    tmp = libs.with_name(f"libs.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [mvn, "-B", "-ntp", "-s", str(src / "settings.xml"), "-f", str(src / "pom.xml"),
           "dependency:copy-dependencies", f"-Dlintkit.libs={tmp}",
           f"-Dlanguagetool.version={LT_VERSION}"]
    log(f"resolving LanguageTool {LT_VERSION} (English) from Maven Central into {libs} ...")
    t0 = time.monotonic()
    tail: list[str] = []
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                cwd=str(src))
    except OSError as exc:
        raise BackendError(WHERE, f"cannot run mvn: {exc}", f"check your Maven install, or {FALLBACK_HINT}") from None
    assert proc.stdout is not None
    count = 0
    for line in proc.stdout:  # drained line by line: progress, and no blocked pipe
        line = line.rstrip()
        tail = (tail + [line])[-15:]
        if "Copying" in line or "Copy" in line:
            count += 1
            if count % 20 == 0:
                log(f"  {count} jars ...")
        if time.monotonic() - t0 > timeout:
            proc.kill()
            break
    rc = proc.wait()
    if rc != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        errors = [ln for ln in tail if "ERROR" in ln] or tail[-3:]
        raise BackendError(WHERE, f"mvn failed (exit {rc}): {' | '.join(errors)[:400]}",
                           f"check network access to Maven Central (repo.maven.apache.org), or {FALLBACK_HINT}")
    if not any(tmp.glob("languagetool-server-*.jar")):
        raise BackendError(WHERE, "mvn finished but no languagetool-server jar was copied",
                           "check languagetool/pom.xml")
    if libs.exists():
        shutil.rmtree(libs)
    libs.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, libs)
    n = len(list(libs.glob("*.jar")))
    log(f"installed {n} jars in {time.monotonic() - t0:.1f} s: {libs}")
    return h


def install_via_ltp(log: Callable[[str], None] = lambda s: None) -> Path:
    """Fallback: let language-tool-python download the LanguageTool zip (needs
    languagetool.org) and remember where it put it."""
    find_java()
    try:
        from language_tool_python import download_lt, utils
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise BackendError(WHERE, f"language-tool-python is not importable: {exc}") from None
    log("downloading LanguageTool through language-tool-python (needs languagetool.org) ...")
    try:
        download_lt.download_lt()
    except Exception as exc:
        raise BackendError(WHERE, f"language-tool-python download failed: {exc}",
                           "use the Maven install (`lintkit languagetool install`) instead") from None
    base = utils.get_language_tool_download_path()
    found = sorted(p for p in Path(base).glob("LanguageTool-*") if (p / "languagetool-server.jar").is_file())
    if not found:
        raise BackendError(WHERE, f"no LanguageTool folder found in {base} after the download")
    h = home()
    h.mkdir(parents=True, exist_ok=True)
    (h / "ltp-path").write_text(str(found[-1]) + "\n")
    log(f"using {found[-1]}")
    return h


def main() -> int:  # python -m lintkit.languagetool.install
    try:
        install(log=lambda s: print(s, file=sys.stderr))
    except BackendError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
