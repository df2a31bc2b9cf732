"""Import every package generate-all wrote and construct its client; print failures and a count."""

import importlib
import sys
import time
from pathlib import Path

root = Path(sys.argv[1])
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "runtime"))
failed = 0
count = 0
started = time.monotonic()
for dist in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
    sys.path.insert(0, str(dist))
    name = dist.name.replace("-", "_")
    count += 1
    try:
        importlib.import_module(name).Client(region="us-east-1", anonymous=True)
    except Exception as exc:  # report every failure, keep going
        failed += 1
        print(f"{name}: {type(exc).__name__}: {exc}")
print(f"packages: {count}, imported: {count - failed}, failed: {failed}, time: {time.monotonic() - started:.1f} s")
sys.exit(1 if failed else 0)
