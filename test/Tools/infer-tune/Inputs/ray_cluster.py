"""Runs a command against a one-node Ray cluster started for it.

  ray_cluster.py -- CMD ...   ('@ADDRESS@' in CMD becomes HOST:PORT)

Starts `ray start --head --block` on a free local port in a process group of
its own (no dashboard, no usage reporting, nothing leaves the machine),
waits until it accepts drivers, runs CMD, then stops the cluster's processes
whatever CMD did. Exits with CMD's status."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

cmd = sys.argv[sys.argv.index("--") + 1:]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
address = f"127.0.0.1:{port}"
ray = os.path.join(os.path.dirname(sys.executable), "ray")
if not os.path.exists(ray):
    ray = shutil.which("ray")
env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
head = subprocess.Popen([ray, "start", "--head", "--block", f"--port={port}",
                         "--node-ip-address=127.0.0.1", "--num-cpus=2",
                         "--include-dashboard=false", "--disable-usage-stats"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                        start_new_session=True)
status = 1
try:
    deadline = time.monotonic() + 120
    while True:
        probe = subprocess.run([sys.executable, "-c",
                                f"import ray; ray.init(address='{address}', "
                                "logging_level='ERROR'); ray.shutdown()"],
                               capture_output=True, env=env)
        if probe.returncode == 0:
            break
        if head.poll() is not None or time.monotonic() > deadline:
            sys.stderr.write("ray_cluster: the Ray head did not start:\n" +
                             head.stderr.read().decode()[-2000:] if head.poll() is not None
                             else "ray_cluster: the Ray head did not start in 120 s\n")
            sys.exit(1)
        time.sleep(1)
    status = subprocess.run([a.replace("@ADDRESS@", address) for a in cmd], env=env).returncode
finally:
    try:
        os.killpg(head.pid, signal.SIGTERM)
        head.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(head.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
sys.exit(status)
