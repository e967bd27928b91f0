// The one source image every icon is rendered from, described as shapes in a unit square and drawn
// with signed distance fields (exact anti-aliasing at any size, no image library needed).
// The glyph: a request line entering a ring (the project's port) and leaving as an arrow.
//
// Variants:
// - 'app':      rounded square with a diagonal gradient and the white glyph, inset like macOS icons.
// - 'tray':     the same, nearly full-bleed, for small colour tray icons (Linux, Windows).
// - 'template': the glyph alone in black on transparent (macOS template images; the OS tints it).

const GRADIENT_FROM = [76, 110, 245]; // indigo
const GRADIENT_TO = [112, 72, 232]; // violet
const GLYPH = [255, 255, 255];
const TEMPLATE = [0, 0, 0];

const VARIANTS = {
  app: { inset: 0.08, radius: 0.2, glyphScale: 0.78, background: true },
  tray: { inset: 0, radius: 0.22, glyphScale: 0.9, background: true },
  template: { inset: 0, radius: 0, glyphScale: 1, background: false },
};

function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/**
 * Signed distance to the glyph in glyph units ([0,1] square); negative inside. Below ~24 px the
 * dot and the arrowhead would merge with the ring, so small icons draw just the line and the ring.
 */
function glyphDistance(x, y, stroke, small) {
  const half = stroke / 2;
  if (small) {
    const ring = Math.abs(Math.hypot(x - 0.5, y - 0.5) - 0.22) - half;
    const into = segment(x, y, 0.04, 0.5, 0.28, 0.5) - half;
    const out = segment(x, y, 0.72, 0.5, 0.96, 0.5) - half;
    return Math.min(ring, into, out);
  }
  const ring = Math.abs(Math.hypot(x - 0.5, y - 0.5) - 0.2) - half;
  const dot = Math.hypot(x - 0.5, y - 0.5) - 0.065;
  const into = segment(x, y, 0.06, 0.5, 0.3, 0.5) - half;
  const out = segment(x, y, 0.7, 0.5, 0.92, 0.5) - half;
  const headUp = segment(x, y, 0.92, 0.5, 0.79, 0.37) - half;
  const headDown = segment(x, y, 0.92, 0.5, 0.79, 0.63) - half;
  return Math.min(ring, dot, into, out, headUp, headDown);
}

function roundedSquareDistance(x, y, inset, radius) {
  const half = 0.5 - inset;
  const qx = Math.abs(x - 0.5) - (half - radius);
  const qy = Math.abs(y - 0.5) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Coverage from a distance given in pixels: a one-pixel-wide linear ramp centred on the edge. */
function coverage(distancePx) {
  return Math.max(0, Math.min(1, 0.5 - distancePx));
}

/**
 * Renders a variant at size × size pixels; returns straight (non-premultiplied) RGBA bytes.
 * Small sizes get a thicker stroke so the glyph does not fade into the background.
 */
export function renderIcon(variant, size) {
  const spec = VARIANTS[variant];
  if (!spec) throw new Error(`unknown icon variant ${variant}`);
  const small = size < 24;
  const stroke = small ? 0.14 : size <= 40 ? 0.11 : 0.09;
  const rgba = new Uint8Array(size * size * 4);
  const body = 1 - 2 * spec.inset;
  const glyphSize = body * spec.glyphScale;
  const glyphOrigin = 0.5 - glyphSize / 2;
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      const x = (col + 0.5) / size;
      const y = (row + 0.5) / size;
      const glyphAlpha = coverage((glyphDistance((x - glyphOrigin) / glyphSize, (y - glyphOrigin) / glyphSize, stroke, small) * glyphSize) * size);
      let r, g, b, a;
      if (spec.background) {
        const backAlpha = coverage(roundedSquareDistance(x, y, spec.inset, spec.radius * body) * size);
        const t = (x + y) / 2;
        // Premultiplied "glyph over background".
        const back = GRADIENT_FROM.map((from, i) => from + (GRADIENT_TO[i] - from) * t);
        const glyphOnBody = glyphAlpha * backAlpha;
        a = glyphOnBody + backAlpha * (1 - glyphOnBody);
        r = back[0] * backAlpha * (1 - glyphOnBody) + GLYPH[0] * glyphOnBody;
        g = back[1] * backAlpha * (1 - glyphOnBody) + GLYPH[1] * glyphOnBody;
        b = back[2] * backAlpha * (1 - glyphOnBody) + GLYPH[2] * glyphOnBody;
      } else {
        a = glyphAlpha;
        r = TEMPLATE[0] * a;
        g = TEMPLATE[1] * a;
        b = TEMPLATE[2] * a;
      }
      const at = (row * size + col) * 4;
      rgba[at] = a > 0 ? Math.round(r / a) : 0;
      rgba[at + 1] = a > 0 ? Math.round(g / a) : 0;
      rgba[at + 2] = a > 0 ? Math.round(b / a) : 0;
      rgba[at + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}
