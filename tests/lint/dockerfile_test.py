"""The image builds what the project builds: docker/Dockerfile copies every source
folder the top CMakeLists.txt adds (tests and benchmarks apart, which the image
does not build) and installs with the project's install rules.

No Docker daemon runs in CI, so the image itself is not built there; this keeps
the Dockerfile from drifting behind the tree (a new library folder forgotten).
Usage: dockerfile_test.py SOURCE_ROOT
"""

import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
cmake = (root / "CMakeLists.txt").read_text(encoding="utf-8")
dockerfile = (root / "docker" / "Dockerfile").read_text(encoding="utf-8")

folders = [f for f in re.findall(r"^\s*add_subdirectory\(([\w/]+)\)", cmake, re.M)
           if f.split("/")[0] not in ("tests", "bench")]
copied = set(re.findall(r"^COPY\s+([\w/.-]+)\s+\S+\s*$", dockerfile, re.M))
problems = [f"docker/Dockerfile does not COPY {folder}/ (added by CMakeLists.txt)"
            for folder in folders if folder not in copied]
if "cmake --install" not in dockerfile:
    problems.append("docker/Dockerfile does not lay the image out with `cmake --install`")
for problem in problems:
    print(problem)
print(f"{len(folders)} source folders, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
