/**
 * Place, state, river and geofence names drawn on a canvas as images, as the unit labels are: the style has no glyphs,
 * so no font is ever fetched. Each image is drawn the first time a layer asks for its name (see `drawMissingImage`).
 */
import { SEVERITY_COLOR } from '../palette';
import { PIXEL_RATIO } from './canvas';

const FONT = 'system-ui, "DejaVu Sans", "Liberation Sans", sans-serif';
const HALO = '#03070d';

/** Place label sizes by rank (1: the largest cities): big enough to read across the room, smaller for villages. */
const PLACE_FONT_PX = [0, 19, 17, 16, 15, 14];
const PLACE_COLOR = '#dfe7f2';
const STATE_COLOR = '#8ea3bd';
const RIVER_COLOR = '#7cc4ff';

/** Image names the ground layers ask for. */
export const LABEL = {
  /** `p:<rank>:<name>`: a dot with the name to its right, anchored on the dot. */
  place: 'p:',
  /** `s:<name>`: a state's name, spaced capitals. */
  state: 's:',
  /** `r:<name>`: a river's name. */
  river: 'r:',
  /** `g:<severity>:<name>`: a geofence's name on a dark plate in its severity colour. */
  fence: 'g:',
} as const;

/** Half the place dot's box: the place's image is anchored this far left of the dot's centre. */
export const PLACE_DOT_CSS_PX = 6;

function context(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(width));
  canvas.height = Math.max(1, Math.ceil(height));
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) {
    throw new Error('Canvas 2D is not available');
  }
  return ctx;
}

function textWidth(text: string, font: string): number {
  const ctx = context(1, 1);
  ctx.font = font;
  return Math.ceil(ctx.measureText(text).width);
}

/** Text with a dark halo, so it reads over land, water, lines and fills alike. */
function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string, halo: number) {
  ctx.lineJoin = 'round';
  ctx.lineWidth = halo;
  ctx.strokeStyle = HALO;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

function drawPlace(rank: number, name: string): ImageData {
  const px = (PLACE_FONT_PX[rank] ?? 14) * PIXEL_RATIO;
  const font = `${rank <= 2 ? 700 : 600} ${px}px ${FONT}`;
  const dot = PLACE_DOT_CSS_PX * 2 * PIXEL_RATIO;
  const gap = 4 * PIXEL_RATIO;
  const halo = 4 * PIXEL_RATIO;
  const height = Math.max(dot, px + halo + 4 * PIXEL_RATIO);
  const width = dot + gap + textWidth(name, font) + halo;
  const ctx = context(width, height);
  ctx.beginPath();
  ctx.arc(dot / 2, height / 2, (rank <= 2 ? 4.5 : 3.5) * PIXEL_RATIO, 0, Math.PI * 2);
  ctx.fillStyle = PLACE_COLOR;
  ctx.lineWidth = 2 * PIXEL_RATIO;
  ctx.strokeStyle = HALO;
  ctx.stroke();
  ctx.fill();
  ctx.font = font;
  ctx.textBaseline = 'middle';
  haloText(ctx, name, dot + gap, height / 2 + PIXEL_RATIO, PLACE_COLOR, halo);
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
}

/**
 * Spaced text with a halo. `beside`: the text sits in the lower half of an image twice its height, so a label placed
 * on a line lies beside it; the empty half keeps its collision box honest (an icon offset would not move that box).
 */
function drawSpaced(
  name: string,
  color: string,
  sizePx: number,
  weight: number,
  italic: boolean,
  beside = false,
): ImageData {
  const px = sizePx * PIXEL_RATIO;
  const font = `${italic ? 'italic ' : ''}${weight} ${px}px ${FONT}`;
  const halo = 4 * PIXEL_RATIO;
  const line = px + halo * 2;
  const width = textWidth(name, font) + halo * 2 + name.length * PIXEL_RATIO * 2;
  const ctx = context(width, beside ? line * 2 + 6 * PIXEL_RATIO : line);
  ctx.font = font;
  ctx.letterSpacing = `${2 * PIXEL_RATIO}px`;
  ctx.textBaseline = 'middle';
  haloText(ctx, name, halo, ctx.canvas.height - line / 2 + PIXEL_RATIO, color, halo);
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
}

function drawFence(color: string, name: string): ImageData {
  const px = 15 * PIXEL_RATIO;
  const font = `700 ${px}px ${FONT}`;
  const padX = 7 * PIXEL_RATIO;
  const height = px + 10 * PIXEL_RATIO;
  const width = textWidth(name, font) + padX * 2;
  const ctx = context(width, height);
  ctx.fillStyle = 'rgba(3, 7, 13, 0.82)';
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * PIXEL_RATIO;
  ctx.beginPath();
  ctx.roundRect(PIXEL_RATIO, PIXEL_RATIO, width - 2 * PIXEL_RATIO, height - 2 * PIXEL_RATIO, 4 * PIXEL_RATIO);
  ctx.fill();
  ctx.stroke();
  ctx.font = font;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(name, padX, height / 2 + PIXEL_RATIO);
  return ctx.getImageData(0, 0, width, height);
}

/** The image for one of the names above, or null when the name is not a ground label's. */
export function drawGroundLabel(id: string): ImageData | null {
  if (id.startsWith(LABEL.place)) {
    const rest = id.slice(LABEL.place.length);
    const colon = rest.indexOf(':');
    const rank = Number(rest.slice(0, colon));
    return colon > 0 && Number.isInteger(rank) ? drawPlace(rank, rest.slice(colon + 1)) : null;
  }
  if (id.startsWith(LABEL.state)) {
    return drawSpaced(id.slice(LABEL.state.length), STATE_COLOR, 17, 600, false);
  }
  if (id.startsWith(LABEL.river)) {
    return drawSpaced(id.slice(LABEL.river.length), RIVER_COLOR, 15, 600, true, true);
  }
  if (id.startsWith(LABEL.fence)) {
    const rest = id.slice(LABEL.fence.length);
    const colon = rest.indexOf(':');
    const severity = rest.slice(0, colon);
    const color = SEVERITY_COLOR[severity as keyof typeof SEVERITY_COLOR];
    return colon > 0 && color !== undefined ? drawFence(color, rest.slice(colon + 1)) : null;
  }
  return null;
}

