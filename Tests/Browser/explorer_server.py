"""A running `parecon-sim serve` for the browser tests."""
import os
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def find_tool() -> Path:
    """$PARECON_SIM, else the most recently built parecon-sim."""
    if os.environ.get("PARECON_SIM"):
        return Path(os.environ["PARECON_SIM"])
    built = [c for c in (ROOT / ".build" / cfg / "parecon-sim" for cfg in ("release", "debug")) if c.is_file()]
    if not built:
        raise RuntimeError("build the tool first (swift build) or set PARECON_SIM")
    return max(built, key=lambda c: c.stat().st_mtime)


class Server:
    def __init__(self, *arguments: str):
        self.process = subprocess.Popen(
            [str(find_tool()), "serve", "--port", "0", "--scenarios", str(ROOT / "Scenarios"), *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        line = self.process.stdout.readline()
        if "http://" not in line:
            self.process.kill()
            raise RuntimeError(f"serve printed no address: {line!r} {self.process.stderr.read()}")
        self.address = line.split("http://", 1)[1].split(" ", 1)[0].rstrip("/")
        self.url = "http://" + self.address

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=30)
        return self.process.returncode, out


