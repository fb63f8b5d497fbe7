/**
 * Images are drawn at the screen's pixel density (up to 2), crisp on a high-density screen; on an ordinary one a
 * quarter of the pixels, which MapLibre copies into every tile's icon atlas each time the units move.
 */
export const PIXEL_RATIO = Math.min(2, Math.max(1, Math.round(window.devicePixelRatio || 1)));
export const LABEL_FONT_CSS_PX = 15;
export const LABEL_FONT = `700 ${LABEL_FONT_CSS_PX * PIXEL_RATIO}px system-ui, "DejaVu Sans", "Liberation Sans", sans-serif`;
export const OUTLINE = '#000000';

export function canvas2d(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) {
    throw new Error('Canvas 2D is not available');
  }
  return ctx;
}

let measuring: CanvasRenderingContext2D | null = null;

export function measure(text: string, font: string): number {
  measuring ??= canvas2d(1, 1);
  const ctx = measuring;
  ctx.font = font;
  return Math.ceil(ctx.measureText(text).width);
}

/** A map label: `text` on a dark rounded plate, legible over any basemap. */
export function drawLabelPlate(text: string, color: string): ImageData {
  const padX = 6 * PIXEL_RATIO;
  const height = (LABEL_FONT_CSS_PX + 8) * PIXEL_RATIO;
  const width = measure(text, LABEL_FONT) + padX * 2;
  const ctx = canvas2d(width, height);
  ctx.fillStyle = 'rgba(3, 7, 13, 0.85)';
  ctx.beginPath();
  ctx.roundRect(0, 0, width, height, 4 * PIXEL_RATIO);
  ctx.fill();
  ctx.font = LABEL_FONT;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, padX, height / 2 + PIXEL_RATIO);
  return ctx.getImageData(0, 0, width, height);
}
