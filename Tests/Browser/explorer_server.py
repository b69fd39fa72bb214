"""A running `parecon-sim serve` for the browser tests."""
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def find_tool() -> Path:
    """$PARECON_SIM, else the release build unless only the debug build is current (the Analysis scripts' rule)."""
    sys.path.insert(0, str(ROOT / "Analysis"))
    from parecon_results import find_tool as find
    return find("browser tests", quiet=True)


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


