"""Small previews of image attachments: a 10 MB phone photo is shown as a JPEG of a
few dozen KB, decoded at a reduced scale (JPEG draft mode) rather than in full."""

from __future__ import annotations

import io
from typing import IO

from PIL import Image, ImageOps

THUMBNAIL_SIZE = 480  # px, the longer side; previews are at most 360 px high on a page
THUMBNAIL_QUALITY = 80


def make_thumbnail(source: IO[bytes], *, size: int = THUMBNAIL_SIZE) -> bytes:
    """The JPEG bytes of a preview of the image in `source`, at most `size` px on its
    longer side, turned upright by its EXIF orientation (phone photos)."""
    with Image.open(source) as img:
        if img.format == "JPEG":
            # decode at 1/2, 1/4 or 1/8 scale, still at least the preview size: a
            # 4000×3000 photo is decoded as 1000×750 (2 MB of pixels, not 36 MB)
            img.draft("RGB", (size, size))
        upright = ImageOps.exif_transpose(img)
        upright.thumbnail((size, size), Image.Resampling.LANCZOS)
        if upright.mode not in ("RGB", "L"):
            background = Image.new("RGB", upright.size, (255, 255, 255))
            rgba = upright.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            upright = background
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()
