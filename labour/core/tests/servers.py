"""Helpers for tests that start real servers (gunicorn, moto's S3 server)."""

import os
import random
import socket


def free_port():
    """A free TCP port on 127.0.0.1: any (the OS picks), or one from LABOUR_TEST_PORTS
    ("8300-8399") on machines where each user of the machine has a range."""
    spec = os.environ.get("LABOUR_TEST_PORTS", "")
    if spec:
        low, high = (int(part) for part in spec.split("-"))
        candidates = random.sample(range(low, high + 1), high - low + 1)
    else:
        candidates = [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in {spec}")
