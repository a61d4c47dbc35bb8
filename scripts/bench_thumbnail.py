"""Benchmark: the preview of a phone photo (a 12-megapixel JPEG of about 10 MB).

    .venv/bin/python scripts/bench_thumbnail.py --repeat 5

Times labour.attachments.thumbnails.make_thumbnail (JPEG draft mode: decoded at a
reduced scale) against a full decode of the same photo, and prints the sizes: what a
page loads per image instead of the photo itself. No database is needed.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def photo(limit):
    from PIL import Image

    img = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    for quality in (95, 90, 88, 85, 80):
        out = io.BytesIO()
        img.save(out, "JPEG", quality=quality)
        if out.tell() <= limit:
            return out.getvalue()
    return out.getvalue()


def full_decode_thumbnail(data, size):
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        img.thumbnail((size, size))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=80)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=int, default=10 * 1024 * 1024)
    args = parser.parse_args()

    from labour.attachments.thumbnails import THUMBNAIL_SIZE, make_thumbnail

    data = photo(args.limit)
    print(f"photo: 4000x3000 JPEG, {len(data) / 1048576:.1f} MB")
    for label, make in (("draft mode (platform)", lambda: make_thumbnail(io.BytesIO(data))),
                        ("full decode", lambda: full_decode_thumbnail(data, THUMBNAIL_SIZE))):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            thumb = make()
            times.append((time.perf_counter() - start) * 1000)
        print(f"{label:22s} median {statistics.median(times):7.1f} ms  "
              f"(min {min(times):.1f})  preview {len(thumb) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
